"""Who may edit question banks: the editors group, other staff, and people who are not staff."""

import pytest
from django.contrib.auth.models import Group

from tests.bank_helpers import EDITORS
from tests.conftest import signed_in

pytest_plugins = ["tests.bank_fixtures"]

BANK_PAGES = [
    ("get", "/admin/assess/questionbank/"),
    ("get", "/admin/assess/questionbank/{bank}/change/"),
    ("get", "/admin/assess/questionbank/{draft}/change/"),
    ("get", "/admin/assess/questionbank/{draft}/history/"),
    ("get", "/admin/assess/questionbank/import/"),
    ("get", "/admin/assess/questionbank/{draft}/publish/"),
    ("post", "/admin/assess/questionbank/{draft}/publish/"),
    ("get", "/admin/assess/questionbank/{bank}/new-draft/"),
    ("post", "/admin/assess/questionbank/{bank}/new-draft/"),
    ("post", "/admin/assess/questionbank/{bank}/retire/"),
    ("get", "/admin/assess/questionbank/{bank}/export/"),
    ("get", "/admin/assess/questionbank/{draft}/gates/"),
    ("post", "/admin/assess/questionbank/{draft}/gates/"),
    ("get", "/admin/assess/questionbank/{draft}/preview/"),
    ("get", "/admin/assess/questionbank/{draft}/preview/s/1/"),
    ("post", "/admin/assess/questionbank/{draft}/preview/s/1/"),
    ("get", "/admin/assess/questionbank/{draft}/preview/review/"),
    ("post", "/admin/assess/questionbank/{draft}/preview/restart/"),
    ("get", "/admin/assess/question/"),
    ("get", "/admin/assess/alliance/"),
]


def _url(template, bank, draft):
    return template.format(bank=bank.pk, draft=draft.pk)


def test_the_editors_group_has_exactly_the_bank_and_catalogue_permissions(db):
    group = Group.objects.get(name=EDITORS)
    perms = set(group.permissions.values_list("content_type__app_label", "codename"))
    expected = {
        ("assess", f"{action}_{model}")
        for model in ("questionbank", "section", "question", "choice", "alliance")
        for action in ("add", "change", "delete", "view")
    }
    assert perms == expected


@pytest.mark.parametrize(("method", "template"), BANK_PAGES)
def test_an_editor_can_use_every_bank_page(client, editor, bank, draft, method, template):
    signed_in(client, editor)
    response = getattr(client, method)(_url(template, bank, draft))
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 302:
        assert "/login/" not in response.url


def test_an_editor_can_edit_a_draft(client, editor, draft):
    from tests.bank_helpers import change_form_data

    signed_in(client, editor)
    url = f"/admin/assess/questionbank/{draft.pk}/change/"
    data = change_form_data(client.get(url))
    data["name"] = "Alliance readiness, 2027 edition"
    assert client.post(url, data).status_code == 302
    draft.refresh_from_db()
    assert draft.name == "Alliance readiness, 2027 edition"


@pytest.mark.parametrize(
    "path",
    [
        "/admin/assess/assessment/",
        "/admin/assess/organization/",
        "/admin/assess/membership/",
        "/admin/auth/user/",
        "/admin/auth/group/",
    ],
)
def test_an_editor_cannot_see_organisations_or_assessments(client, editor, assessment, path):
    signed_in(client, editor)
    response = client.get(path)
    assert response.status_code in (403, 404)


def test_an_editor_cannot_open_an_assessment_in_admin(client, editor, assessment):
    signed_in(client, editor)
    assert client.get(f"/admin/assess/assessment/{assessment.pk}/change/").status_code == 403
    index = client.get("/admin/").text
    assert "Question banks" in index and "Alliances" in index
    assert "Assessments" not in index and "Organizations" not in index


@pytest.mark.parametrize(("method", "template"), BANK_PAGES)
def test_staff_without_the_permission_get_403(
    client, staff_outsider, bank, draft, method, template
):
    signed_in(client, staff_outsider)
    response = getattr(client, method)(_url(template, bank, draft))
    assert response.status_code == 403
    draft.refresh_from_db()
    bank.refresh_from_db()
    assert (draft.status, bank.status) == ("draft", "published")


@pytest.mark.parametrize(("method", "template"), BANK_PAGES)
def test_people_who_are_not_staff_are_sent_to_the_admin_login(
    client, owner, bank, draft, method, template
):
    signed_in(client, owner)
    response = getattr(client, method)(_url(template, bank, draft))
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


@pytest.mark.parametrize(("method", "template"), BANK_PAGES)
def test_anonymous_visitors_are_sent_to_the_admin_login(client, bank, draft, method, template):
    response = getattr(client, method)(_url(template, bank, draft))
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


def test_a_view_only_editor_sees_a_draft_read_only_and_cannot_publish(client, draft, db):
    from django.contrib.auth.models import Permission

    from tests.conftest import make_user

    viewer = make_user("vic@viewer.example")
    viewer.is_staff = True
    viewer.save()
    viewer.user_permissions.add(Permission.objects.get(codename="view_questionbank"))
    signed_in(client, viewer)
    page = client.get(f"/admin/assess/questionbank/{draft.pk}/change/").text
    assert 'name="name"' not in page and "Publish…" not in page
    assert client.post(f"/admin/assess/questionbank/{draft.pk}/publish/").status_code == 403
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_superuser_can_view_but_not_change_a_submitted_assessment(client, db, owner, org, bank):
    from django.contrib.auth import get_user_model

    from assess.models import Assessment
    from assess.services import assessment_submit

    admin_user = get_user_model().objects.create_superuser("root@x.example", "root@x.example", "pw")
    a = assessment_submit(
        assessment=Assessment.objects.create(organization=org, bank=bank, created_by=owner),
        user=owner,
    )
    client.force_login(admin_user)
    url = f"/admin/assess/assessment/{a.pk}/change/"
    assert client.get(url).status_code == 200  # a read-only view
    response = client.post(url, {"status": "draft", "bank": bank.pk, "organization": org.pk})
    assert response.status_code == 403
    a.refresh_from_db()
    assert a.status == "submitted" and a.result
