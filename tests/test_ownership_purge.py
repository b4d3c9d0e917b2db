"""Deleting an organisation leaves nothing that names it or the people who belonged to it
alone: every table of every installed app is walked, so a model added later is covered
without changing this test (tests/ownership_helpers.py)."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from assess.models import AccessEvent, Assessment, Membership, Organization, OrganizationDeletion
from assess.ownership import deletion
from tests.conftest import make_user
from tests.ownership_helpers import all_rows, lived_in, report, rows_naming, tainted

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def consultant(db):
    return make_user("kim@consult.example", "Kim")


@pytest.fixture
def world(org, owner, member, other_org, outsider, consultant, bank):
    """The victim (Acme Bank, two people of its own and a consultant shared with Rival Ltd)
    and Rival Ltd with a life of its own, which must survive untouched."""
    Membership.objects.create(user=consultant, organization=org, role=Membership.Role.CONSULTANT)
    Membership.objects.create(
        user=consultant, organization=other_org, role=Membership.Role.CONSULTANT
    )
    rival = Assessment.objects.create(organization=other_org, bank=bank, created_by=outsider)
    AccessEvent.objects.create(
        organization=other_org, user=consultant, email=consultant.email, action="viewed_result"
    )
    life = lived_in(org, owner, member, Client, consultant=consultant)
    return life, rival


def _purge_and_check(life, now):
    fk = tainted(life.org, life.people)
    before = all_rows()
    named = rows_naming(fk, life.markers)
    # The life above reaches every kind of table an organisation's deletion must clear:
    # if one of them is not found here, the walk itself is broken.
    labels = {m._meta.label for m in named}
    for expected in (
        "assess.Organization",
        "assess.Answer",
        "assess.Participant",
        "assess.ReportPDF",
        "assess.AccessEvent",
        "assess.Invitation",
        "assess.DataExport",
        "assess.Throttle",
        "admin.LogEntry",
        "sessions.Session",
        "axes.AccessLog",
        "axes.AccessAttempt",
        "django_tasks_database.DBTaskResult",
        "otp_totp.TOTPDevice",
        "auth.User",
    ):
        assert expected in labels, f"the scenario left {expected} empty"

    call_command("cleanup", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Organization.objects.filter(pk=life.org.pk).exists(), "purged before its time"
    with _clock(now + deletion.grace_period() + timedelta(seconds=1)):
        call_command("cleanup", stdout=open("/dev/null", "w"))  # noqa: SIM115

    left = rows_naming(fk, life.markers)
    assert not left, "rows still naming the organisation or its people:\n" + report(left)
    after = all_rows()
    lost = {
        m: before[m] - after.get(m, set()) - set(named.get(m, {}))
        for m in before
        if before[m] - after.get(m, set()) - set(named.get(m, {}))
    }
    assert not lost, f"rows deleted that did not name it: {lost}"


class _clock:
    """Moves `timezone.now` (as `cleanup` and the purge read it) to a fixed moment."""

    def __init__(self, when):
        from unittest import mock

        self.patch = mock.patch("django.utils.timezone.now", return_value=when)

    def __enter__(self):
        self.patch.start()

    def __exit__(self, *exc):
        self.patch.stop()


def test_after_the_grace_period_nothing_names_the_organisation_or_its_people(world, owner):
    life, rival = world
    from assess.models import DataExport

    DataExport.objects.update(status=DataExport.Status.READY)
    now = timezone.now()
    deletion.organization_delete_request(
        organization=life.org, user=owner, typed_name="acme  bank ", now=now
    )
    _purge_and_check(life, now)


def test_the_shared_consultant_and_the_other_organisation_stay(world, owner, consultant, other_org):
    life, rival = world
    from assess.models import DataExport

    DataExport.objects.update(status=DataExport.Status.READY)
    now = timezone.now()
    deletion.organization_delete_request(
        organization=life.org, user=owner, typed_name="Acme Bank", now=now
    )
    with _clock(now + timedelta(days=8)):
        call_command("cleanup", stdout=open("/dev/null", "w"))  # noqa: SIM115
    users = get_user_model().objects
    assert not users.filter(email__in=[p.email for p in life.people]).exists()
    assert users.filter(pk=consultant.pk).exists()
    assert Assessment.objects.filter(pk=rival.pk).exists()
    assert list(
        Membership.objects.filter(user=consultant).values_list("organization__name", flat=True)
    ) == ["Rival Ltd"]
    # The consultant's own sessions stay, without the deleted organisation in them.
    assert Session.objects.exists()
    browser = Client()
    browser.force_login(consultant)
    assert browser.get("/").url == other_org.get_absolute_url()


def test_before_the_grace_period_ends_restoring_brings_everything_back(world, owner):
    life, _rival = world
    from assess.models import DataExport

    # Kept past the six days (an export is otherwise kept only EXPORT_RETENTION_HOURS).
    DataExport.objects.update(
        status=DataExport.Status.READY, expires_at=timezone.now() + timedelta(days=30)
    )
    before = all_rows()
    now = timezone.now()
    pending = deletion.organization_delete_request(
        organization=life.org, user=owner, typed_name="Acme Bank", now=now
    )
    with _clock(now + timedelta(days=6)):
        call_command("cleanup", stdout=open("/dev/null", "w"))  # noqa: SIM115
    deletion.organization_restore(deletion=pending, user=owner)
    after = all_rows()
    for model, pks in before.items():
        missing = pks - after[model]
        assert not missing, f"{model._meta.label} lost {missing}"
    assert not OrganizationDeletion.objects.exists()
    assert Organization.objects.for_user(owner).filter(pk=life.org.pk).exists()


def test_an_admin_deletion_purges_the_same_way(world, client):
    life, _rival = world
    from assess.models import DataExport

    DataExport.objects.update(status=DataExport.Status.READY)
    fk = tainted(life.org, life.people)
    admin = get_user_model().objects.create_superuser("root@site.example", "root@site.example", "x")
    client.force_login(admin)
    response = client.post(f"/admin/assess/organization/{life.org.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    left = rows_naming(fk, life.markers)
    assert not left, "rows still naming the organisation or its people:\n" + report(left)
