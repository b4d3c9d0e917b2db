"""Every page with an organisation's data, from the outsider's and the anonymous side."""

import ast
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import get_resolver
from django.utils import timezone

import assess
from assess import access
from assess.models import Answer, Assessment, DataExport, Membership, Organization, Workshop
from assess.selectors import bank_view
from assess.services import assessment_submit, workshop_start
from tests.conftest import PASSWORD, section_post, signed_in

ORG_PAGES = [
    ("get", "/orgs/{org}/"),
    ("get", "/orgs/{org}/edit/"),
    ("post", "/orgs/{org}/edit/"),
    ("post", "/orgs/{org}/assessments/new/"),
    ("post", "/orgs/{org}/invite/renew/"),
    ("get", "/orgs/{org}/members/"),
    ("post", "/orgs/{org}/members/"),
    ("post", "/orgs/{org}/members/{m}/role/"),
    ("post", "/orgs/{org}/members/{m}/remove/"),
    ("get", "/orgs/{org}/api-tokens/"),
    ("post", "/orgs/{org}/api-tokens/"),
    ("post", "/orgs/{org}/api-tokens/{m}/revoke/"),
    ("post", "/orgs/{org}/invitations/{i}/revoke/"),
    ("get", "/orgs/{org}/memberships/"),
    ("get", "/orgs/{org}/memberships/new/"),
    ("post", "/orgs/{org}/memberships/new/"),
    ("get", "/orgs/{org}/memberships/{h}/"),
    ("post", "/orgs/{org}/memberships/{h}/"),
    ("post", "/orgs/{org}/memberships/{h}/remove/"),
    ("post", "/orgs/{org}/mail/{i}/try-again/"),
    ("get", "/orgs/{org}/access-log/"),
    ("get", "/orgs/{org}/access-log.csv"),
    ("post", "/orgs/{org}/peers/"),
    ("get", "/orgs/{org}/data/"),
    ("post", "/orgs/{org}/data/export/"),
    ("post", "/orgs/{org}/delete/"),
    ("post", "/orgs/{org}/restore/"),
    ("get", "/exports/{e}/"),
    ("post", "/orgs/{org}/two-factor-policy/"),
    ("get", "/a/{a}/"),
    ("get", "/a/{a}/s/1/"),
    ("post", "/a/{a}/s/1/"),
    ("get", "/a/{a}/review/"),
    ("post", "/a/{a}/submit/"),
    ("get", "/a/{a}/result/"),
    ("get", "/a/{s}/result/"),
    ("post", "/a/{s}/copy/"),
    ("get", "/a/{a}/what-if/"),
    ("post", "/a/{a}/what-if/"),
    ("post", "/a/{a}/what-if/verdict/"),
    ("get", "/a/{a}/report/"),
    ("get", "/a/{s}/report/"),
    ("get", "/a/{s}/report.pdf"),
    ("get", "/a/{s}/report/status/"),
    ("post", "/a/{s}/report/retry/"),
    ("get", "/a/{s}/answers.csv"),
    ("post", "/orgs/{org}/workshops/new/"),
    ("get", "/workshops/{w}/"),
    ("get", "/workshops/{w}/present/"),
    ("get", "/workshops/{w}/consensus/"),
    ("post", "/workshops/{w}/consensus/"),
    ("get", "/workshops/{w}/present/"),
    ("post", "/workshops/{w}/close/"),
    ("post", "/workshops/{w}/new-link/"),
]


def test_the_list_covers_every_url_with_an_object_code():
    patterns = {
        str(p.pattern) for p in get_resolver().url_patterns if "<uuid:code>" in str(p.pattern)
    }
    covered = {
        path.replace("{org}", "<uuid:code>")
        .replace("{a}", "<uuid:code>")
        .replace("{s}", "<uuid:code>")
        .replace("{w}", "<uuid:code>")
        .replace("{e}", "<uuid:code>")
        .replace("{m}", "<int:pk>")
        .replace("{i}", "<int:pk>")
        .replace("{h}", "<int:pk>")
        .replace("/close/", "/<slug:action>/")
        .lstrip("/")
        .replace("/1/", "/<int:number>/")
        for _m, path in ORG_PAGES
    }
    assert patterns <= covered


@pytest.fixture
def submitted(org, bank, owner):
    a = Assessment.objects.create(organization=org, bank=bank, created_by=owner)
    return assessment_submit(assessment=a, user=owner)


@pytest.fixture
def workshop(org, bank, owner):
    return workshop_start(organization=org, user=owner)


def _path(template, org, assessment, submitted, workshop):
    return template.format(
        org=org.code,
        a=assessment.code,
        s=submitted.code,
        w=workshop.assessment.code,
        m=Membership.objects.filter(organization=org).first().pk,
        i=1,  # the organisation is checked before the invitation is looked up
        h=1,  # and before the membership held is
        e=_export(org).code,
    )


def _export(org):
    """A ready export of the organisation, asked for by its owner."""
    owner = Membership.objects.filter(organization=org, role="owner").first().user
    return DataExport.objects.get_or_create(
        organization=org,
        requested_by=owner,
        defaults={
            "scope": "organization",
            "status": "ready",
            "archive": b"Acme Bank",
            "expires_at": timezone.now() + timedelta(days=1),
        },
    )[0]


@pytest.mark.parametrize(("method", "template"), ORG_PAGES)
def test_an_outsider_gets_404_and_changes_nothing(
    client, outsider, other_org, org, assessment, submitted, workshop, method, template
):
    signed_in(client, outsider)
    data = section_post(bank_view(assessment.bank), 1) if "/s/1/" in template else {}
    if "consensus" in template:
        data = section_post(bank_view(assessment.bank), 1)
    path = _path(template, org, assessment, submitted, workshop)
    response = getattr(client, method)(path, data)
    assert response.status_code == 404
    assert "Acme Bank" not in response.text
    assessment.refresh_from_db()
    assert assessment.is_draft and not Answer.objects.exists()
    assert Assessment.objects.filter(organization=org).count() == 3
    token, status = workshop.join_token, workshop.status
    workshop.refresh_from_db()
    assert (workshop.join_token, workshop.status) == (token, status)


@pytest.mark.parametrize(("method", "template"), ORG_PAGES)
def test_an_anonymous_visitor_is_sent_to_sign_in(
    client, org, assessment, submitted, workshop, method, template
):
    path = _path(template, org, assessment, submitted, workshop)
    response = getattr(client, method)(path)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")
    assert Assessment.objects.filter(organization=org).count() == 3


def test_a_member_who_is_not_the_owner_has_access(client, member, assessment):
    signed_in(client, member)
    assert client.get(f"/a/{assessment.code}/s/1/").status_code == 200


def test_an_expired_session_returns_to_the_same_page_after_sign_in(client, owner, assessment):
    signed_in(client, owner)
    view = bank_view(assessment.bank)
    client.post(f"/a/{assessment.code}/s/1/", section_post(view, 1))
    client.logout()  # the session expired
    response = client.get(f"/a/{assessment.code}/s/2/")
    login_url = response.url
    assert login_url == f"/accounts/login/?next=/a/{assessment.code}/s/2/"
    assert "you will return to where you were" in client.get(login_url).text
    response = client.post(
        login_url,
        {"username": owner.email, "password": PASSWORD, "next": f"/a/{assessment.code}/s/2/"},
    )
    assert response.url == f"/a/{assessment.code}/s/2/"
    assert "the answers saved so far are kept" in client.get(response.url).text
    # PRO-02 applies only if PRO-01 is "security": not picked, so not kept.
    assert Answer.objects.filter(assessment=assessment).count() == (
        len(view.section(1).question_list) - 1
    )


def test_for_user_gives_members_their_organisations_objects_and_no_one_else_any(
    owner, member, outsider, org, other_org, assessment, workshop
):
    workshop_start(organization=other_org, user=outsider)
    of_org = {  # each model's lookup of the organisation its objects belong to
        Organization: "pk",  # the organisation itself
        Assessment: "organization",
        Workshop: "assessment__organization",
    }
    for model, lookup in of_org.items():
        for user, mine, theirs in ((owner, org, other_org), (outsider, other_org, org)):
            visible = model.objects.for_user(user)
            assert visible.filter(**{lookup: mine.pk}).exists(), (model, user)
            assert not visible.filter(**{lookup: theirs.pk}).exists(), (model, user)
        assert model.objects.for_user(member).count() == model.objects.for_user(owner).count()
        assert not model.objects.for_user(AnonymousUser()).exists(), model


def test_only_an_owner_of_the_organisation_is_its_owner(owner, member, outsider, org, other_org):
    assert access.is_owner(owner, org)
    assert not access.is_owner(member, org)
    assert not access.is_owner(outsider, org)  # though the owner of another organisation
    assert not access.is_owner(AnonymousUser(), org)
    assert access.is_member(member, org) and not access.is_member(outsider, org)


def _membership_rules(path):
    """Lines of the file that spell out the membership rule (a lookup through membership)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        words = []
        if isinstance(node, ast.keyword) and node.arg:
            words.append(node.arg)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            words.append(node.value)
        if any("membership__" in w for w in words):
            yield node.lineno


def test_the_membership_rule_is_written_once():
    """In OrganizationQuerySet.for_user; every other rule and view goes through it."""
    root = Path(assess.__file__).parent
    found = {
        f"{path.relative_to(root)}:{line}"
        for path in root.rglob("*.py")
        if "migrations" not in path.parts
        for line in _membership_rules(path)
    }
    assert len(found) == 1 and next(iter(found)).startswith("models/organizations.py:"), found
