"""The pages of an organisation's data: deleting and restoring it, exports, deleting one's
account; each access rule from the outsider's side."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from assess.models import (
    AccessEvent,
    Assessment,
    DataExport,
    Membership,
    OrganizationDeletion,
    ReportPDF,
)
from assess.ownership import export
from assess.services import assessment_submit
from tests.conftest import signed_in
from tests.ownership_helpers import answer_all
from tests.workshop_helpers import team_workshop


@pytest.fixture
def submitted(org, bank, owner):
    a = Assessment.objects.create(organization=org, bank=bank, created_by=owner)
    answer_all(a, comment="Only the owner wrote this")
    a = assessment_submit(assessment=a, user=owner)
    ReportPDF.objects.create(assessment=a, language="en", content=b"%PDF-1.7 x", source_hash="h")
    return a


@pytest.fixture
def client_factory(db):
    from django.test import Client

    return Client


def data_url(org):
    return f"/orgs/{org.code}/data/"


# --- Who may see the page -------------------------------------------------------------------


def test_the_owner_sees_export_and_deletion(owner_client, org, django_assert_num_queries):
    with django_assert_num_queries(6):
        page = owner_client.get(data_url(org))
    assert page.status_code == 200
    assert "Delete the organisation" in page.text
    assert "Export everything the organisation holds" in page.text
    # The accounts that go with it are named before anyone confirms.
    assert "alice@owner.example" in page.text and "bob@member.example" in page.text


def test_a_member_sees_only_their_own_export(client, org, member):
    page = signed_in(client, member).get(data_url(org))
    assert page.status_code == 200
    assert "Export your own account and answers" in page.text
    assert "Delete the organisation" not in page.text
    assert "Export everything" not in page.text


def test_outsiders_and_anonymous_visitors_get_nothing(client, org, outsider):
    assert client.get(data_url(org)).status_code == 302  # to sign in
    assert client.post(f"/orgs/{org.code}/delete/", {"name": org.name}).status_code == 302
    signed_in(client, outsider)
    assert client.get(data_url(org)).status_code == 404
    assert client.post(f"/orgs/{org.code}/delete/", {"name": org.name}).status_code == 404
    assert client.post(f"/orgs/{org.code}/data/export/", {"scope": "person"}).status_code == 404
    assert not OrganizationDeletion.objects.exists()
    assert not DataExport.objects.exists()


def test_a_member_may_not_delete_or_export_everything(client, org, member):
    signed_in(client, member)
    assert client.post(f"/orgs/{org.code}/delete/", {"name": org.name}).status_code == 403
    response = client.post(f"/orgs/{org.code}/data/export/", {"scope": "organization"})
    assert response.status_code == 403
    assert not OrganizationDeletion.objects.exists()
    assert not DataExport.objects.exists()


# --- Deleting and restoring -----------------------------------------------------------------


def test_a_wrong_name_deletes_nothing_and_keeps_what_was_typed(owner_client, org):
    page = owner_client.post(f"/orgs/{org.code}/delete/", {"name": "Acme"})
    assert page.status_code == 200
    assert "The name you typed does not match" in page.text
    assert 'value="Acme"' in page.text
    assert not OrganizationDeletion.objects.exists()
    assert owner_client.get(org.get_absolute_url()).status_code == 200


def test_deleting_hides_it_from_everyone_and_an_owner_restores_it(
    owner_client, org, member, client_factory
):
    response = owner_client.post(f"/orgs/{org.code}/delete/", {"name": " acme bank"})
    assert response.url == "/account/"
    pending = OrganizationDeletion.objects.get(organization=org)
    assert pending.purge_after - pending.requested_at == timedelta(days=7)
    colleague = signed_in(client_factory(), member)
    assert colleague.get(org.get_absolute_url()).status_code == 404
    assert owner_client.get(org.get_absolute_url()).status_code == 404
    account = owner_client.get("/account/").text
    assert "Organisations waiting to be deleted" in account and "Acme Bank" in account
    # The member (not an owner) cannot restore it.
    assert colleague.post(f"/orgs/{org.code}/restore/").status_code == 404

    restored = owner_client.post(f"/orgs/{org.code}/restore/")
    assert restored.url == org.get_absolute_url()
    assert colleague.get(org.get_absolute_url()).status_code == 200
    actions = list(AccessEvent.objects.filter(organization=org).values_list("action", flat=True))
    assert "deletion_requested" in actions and "deletion_cancelled" in actions


def test_a_second_click_says_it_is_already_scheduled(owner_client, org):
    owner_client.post(f"/orgs/{org.code}/delete/", {"name": org.name})
    again = owner_client.post(f"/orgs/{org.code}/delete/", {"name": org.name}, follow=True)
    assert "already scheduled for deletion" in again.text
    assert OrganizationDeletion.objects.count() == 1


def test_deleting_during_an_export_is_refused_with_a_reason(owner_client, org):
    owner_client.post(f"/orgs/{org.code}/data/export/", {"scope": "organization"})
    page = owner_client.post(f"/orgs/{org.code}/delete/", {"name": org.name})
    assert page.status_code == 200
    assert "An export of this organisation is being built" in page.text
    assert not OrganizationDeletion.objects.exists()


def test_workshop_and_invite_links_stop_working_while_deletion_waits(
    client, org, owner, bank, owner_client
):
    workshop, people = team_workshop(org, owner, {"Ann": {"THR-01": "confirmed"}})
    owner_client.post(f"/orgs/{org.code}/delete/", {"name": org.name})
    assert client.get(f"/w/{workshop.join_token}/").status_code == 404
    assert client.get(f"/p/{people['Ann'].token}/s/1/").status_code == 404


# --- Exports --------------------------------------------------------------------------------


def _archive(client, job):
    response = client.get(f"/exports/{job.code}/")
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response)))


def test_the_owner_exports_everything(owner_client, org, submitted, owner, run_tasks):
    team_workshop(org, owner, {"Ann": {"THR-01": ("confirmed", "Ann's note")}})
    owner_client.post(f"/orgs/{org.code}/data/export/", {"scope": "organization"})
    job = DataExport.objects.get()
    assert "Waiting for the worker" in owner_client.get(data_url(org)).text
    run_tasks()
    job.refresh_from_db()
    assert (job.status, job.progress) == ("ready", 100)
    z = _archive(owner_client, job)
    doc = json.loads(z.read("export.json"))
    assert (doc["schema"], doc["version"], doc["scope"]) == (
        "alliance-readiness-export",
        export.SCHEMA_VERSION,
        "organization",
    )
    assert doc["organization"]["name"] == "Acme Bank"
    assert {m["email"] for m in doc["members"]} == {"alice@owner.example", "bob@member.example"}
    codes = {a["code"] for a in doc["assessments"]}
    assert str(submitted.code) in codes
    mine = next(a for a in doc["assessments"] if a["code"] == str(submitted.code))
    assert mine["result"]["outcome"] == submitted.result["outcome"]
    assert any(x["comment"] == "Only the owner wrote this" for x in mine["answers"])
    assert doc["workshops"][0]["participants"][0]["name"] == "Ann"
    names = set(z.namelist())
    assert f"csv/answers-{submitted.code}.csv" in names
    assert "csv/access-log.csv" in names
    assert z.read(f"pdf/report-{submitted.code}-en.pdf").startswith(b"%PDF-1.7")
    assert AccessEvent.objects.filter(action="exported_data").count() == 1


def test_the_archive_holds_the_memberships_held_and_the_tokens_but_no_secret(
    owner_client, org, owner, member, run_tasks
):
    from assess.api.tokens import api_token_create
    from assess.models import Holding

    Holding.objects.create(
        organization=org,
        body_name="Regional Banking Security Circle",
        depth="receive",
        annual_cost=800,
        currency="EUR",
        owner=member,
        notes="renew with the board",
    )
    token, secret = api_token_create(
        organization=org, user=owner, name="GRC sync", scope="read", days=30
    )
    owner_client.post(f"/orgs/{org.code}/data/export/", {"scope": "organization"})
    run_tasks()
    raw = _archive(owner_client, DataExport.objects.get()).read("export.json")
    doc = json.loads(raw)
    [held] = doc["memberships_held"]
    assert (held["name"], held["annual_cost"], held["currency"], held["reminders_to"]) == (
        "Regional Banking Security Circle",
        "800.00",
        "EUR",
        "bob@member.example",
    )
    [listed] = doc["api_tokens"]
    assert (listed["name"], listed["scope"], listed["made_by"]) == (
        "GRC sync",
        "read",
        "alice@owner.example",
    )
    assert secret.encode() not in raw and token.token_hash.encode() not in raw


def test_a_member_gets_only_their_own_data(client, org, member, submitted, owner, run_tasks):
    mine = Assessment.objects.create(organization=org, bank=submitted.bank, created_by=member)
    signed_in(client, member)
    client.post(f"/orgs/{org.code}/data/export/", {"scope": "person"})
    run_tasks()
    doc = json.loads(_archive(client, DataExport.objects.get()).read("export.json"))
    assert doc["scope"] == "person"
    assert doc["account"]["email"] == "bob@member.example"
    assert [m["email"] for m in doc["members"]] == ["bob@member.example"]
    assert [a["code"] for a in doc["assessments"]] == [str(mine.code)]
    assert "workshops" not in doc and "invitations" not in doc
    assert "memberships_held" not in doc and "api_tokens" not in doc
    assert all(e["email"] == "bob@member.example" for e in doc["access_log"])


def test_a_second_export_click_while_building_is_told_so(owner_client, org):
    owner_client.post(f"/orgs/{org.code}/data/export/", {"scope": "organization"})
    again = owner_client.post(
        f"/orgs/{org.code}/data/export/", {"scope": "organization"}, follow=True
    )
    assert "still being built" in again.text
    assert DataExport.objects.count() == 1


def test_nobody_else_downloads_an_export(owner_client, org, run_tasks, client_factory, member):
    owner_client.post(f"/orgs/{org.code}/data/export/", {"scope": "organization"})
    run_tasks()
    job = DataExport.objects.get()
    colleague = signed_in(client_factory(), member)
    assert colleague.get(f"/exports/{job.code}/").status_code == 404
    assert client_factory().get(f"/exports/{job.code}/").status_code == 302


def test_an_expired_export_is_not_served(owner_client, org, run_tasks):
    owner_client.post(f"/orgs/{org.code}/data/export/", {"scope": "organization"})
    run_tasks()
    DataExport.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    job = DataExport.objects.get()
    page = owner_client.get(f"/exports/{job.code}/", follow=True)
    assert "not available any more" in page.text


# --- Deleting an account --------------------------------------------------------------------


def test_a_sole_owner_must_hand_over_first(owner_client, owner, org):
    page = owner_client.get("/account/")
    assert "You are the only owner of these organisations" in page.text
    refused = owner_client.post("/account/delete/", {"email": owner.email})
    assert refused.status_code == 200
    assert "You are the only owner of Acme Bank" in refused.text
    assert get_user_model().objects.filter(pk=owner.pk).exists()


def test_a_wrong_address_deletes_nothing(client, member):
    page = signed_in(client, member).post("/account/delete/", {"email": "bob@elsewhere.example"})
    assert page.status_code == 200
    assert "does not match" in page.text and 'value="bob@elsewhere.example"' in page.text
    assert get_user_model().objects.filter(pk=member.pk).exists()


def test_a_member_deletes_their_account_and_results_keep_no_name(client, org, member, bank):
    a = Assessment.objects.create(organization=org, bank=bank, created_by=member)
    answer_all(a)
    a = assessment_submit(assessment=a, user=member)
    assert a.result["submitted_by"] == "Bob"
    signed_in(client, member)
    response = client.post("/account/delete/", {"email": "BOB@member.example "})
    assert response.url == "/"
    assert not get_user_model().objects.filter(pk=member.pk).exists()
    a.refresh_from_db()
    assert a.result["submitted_by"] == "a former member"
    assert a.answers.count() > 0  # the organisation keeps its answers
    assert not Membership.objects.filter(user_id=member.pk).exists()
    assert client.get("/account/").status_code == 302  # signed out
