"""Renewal and re-assessment reminders (`manage.py send_reminders`), through a real SMTP
server: to whom, in which language, once, and the unsubscribe link."""

import datetime
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from assess.models import (
    Assessment,
    Holding,
    LatestResult,
    OutgoingMail,
    ReminderOptOut,
    ReminderSent,
    UserPreference,
)
from assess.services import assessment_submit
from tests.conftest import run_queued_tasks
from tests.smtp_server import SMTPServer

TODAY = datetime.date(2027, 3, 1)


@pytest.fixture
def smtp(settings):
    with SMTPServer() as server:
        settings.MAILERS = server.mailers()
        settings.DEFAULT_FROM_EMAIL = "readiness@acme.example"
        settings.SITE_URL = "https://readiness.acme.example"
        yield server


def send(today=TODAY):
    """Run the cron command, then the task worker that delivers what it queued."""
    out = StringIO()
    call_command("send_reminders", today=today.isoformat(), stdout=out)
    run_queued_tasks()
    return out.getvalue()


@pytest.fixture
def renewal(org, member):
    """Renewing in 20 days, with the member named for its reminders."""
    return Holding.objects.create(
        organization=org,
        body_name="Regional Banking Security Circle",
        depth="receive",
        annual_cost=800,
        currency="EUR",
        renewal_date=TODAY + timedelta(days=20),
        owner=member,
    )


def _link(body):
    return re.search(r"https://readiness\.acme\.example(/reminders/unsubscribe/\S+/)", body)[1]


@pytest.mark.django_db(transaction=True)
def test_a_renewal_reminder_goes_to_the_named_person_once_with_an_unsubscribe_link(
    client, smtp, renewal, member, org
):
    Holding.objects.create(  # beyond 30 days: not yet
        organization=org,
        body_name="Later Club",
        depth="receive",
        renewal_date=TODAY + timedelta(60),
    )
    assert "Reminders sent: 1" in send()
    [(to, message)] = smtp.inbox.messages
    assert to == [member.email]
    assert message["Subject"] == "Regional Banking Security Circle renews on 21 March 2027"
    body = smtp.inbox.body(0)
    assert "It costs 800 EUR a year." in body
    assert f"https://readiness.acme.example/orgs/{org.code}/memberships/" in body
    send()
    assert len(smtp.inbox.messages) == 1  # sent once
    assert ReminderSent.objects.get().email == member.email
    path = _link(body)
    page = client.get(path)
    assert page.status_code == 200 and "Unsubscribe" in page.text
    assert not ReminderOptOut.objects.exists()  # opening the link alone changes nothing
    assert client.post(path).status_code == 200
    assert ReminderOptOut.objects.filter(user=member, organization=org).exists()
    renewal.renewal_date = TODAY + timedelta(days=25)
    renewal.save()
    assert "Reminders sent: 0" in send()


@pytest.mark.django_db(transaction=True)
def test_without_a_named_person_the_owners_get_it_in_their_language(
    smtp, renewal, owner, member, org
):
    renewal.owner = None
    renewal.save()
    UserPreference.objects.create(user=owner, language="fr")
    send()
    [(to, message)] = smtp.inbox.messages
    assert to == [owner.email]
    assert message["Subject"] == "Regional Banking Security Circle est renouvelé le 21 mars 2027"
    assert "Pour ne plus recevoir de rappels" in smtp.inbox.body(0)


@pytest.mark.django_db(transaction=True)
def test_a_named_person_who_left_is_replaced_by_the_owners(smtp, renewal, owner, member, org):
    org.membership_set.filter(user=member).delete()
    send()
    assert [to for to, _m in smtp.inbox.messages] == [[owner.email]]


@pytest.mark.django_db(transaction=True)
def test_a_result_a_year_old_brings_a_reassess_reminder_in_german(smtp, owner, org, bank, settings):
    a = Assessment.objects.create(organization=org, bank=bank, created_by=owner)
    assessment_submit(assessment=a, user=owner)
    old = timezone.make_aware(datetime.datetime(2026, 2, 1, 12))
    LatestResult.objects.filter(organization=org).update(submitted_at=old)
    UserPreference.objects.create(user=owner, language="de")
    send(TODAY)
    [(to, message)] = smtp.inbox.messages
    assert to == [owner.email]
    assert message["Subject"] == "Zeit für eine neue Bewertung von Acme Bank"
    assert f"https://readiness.acme.example/orgs/{org.code}/" in smtp.inbox.body(0)
    send(TODAY + timedelta(days=1))
    assert len(smtp.inbox.messages) == 1
    LatestResult.objects.filter(organization=org).update(submitted_at=timezone.now())
    assert "Reminders sent: 0" in send(TODAY + timedelta(days=2))


@pytest.mark.django_db(transaction=True)
def test_a_refused_reminder_is_queued_once_and_its_failure_shown_to_the_owners(
    settings, renewal, member, org, owner, client
):
    with SMTPServer(refuse=[member.email]) as smtp:
        settings.MAILERS = smtp.mailers()
        assert "Reminders sent: 1" in send()
        assert smtp.inbox.messages == []
        # Queued once: the next day's run does not queue it again.
        assert "Reminders sent: 0" in send(TODAY + timedelta(days=1))
    mail = OutgoingMail.objects.get(organization=org, kind=OutgoingMail.Kind.REMINDER)
    assert mail.status == "failed" and mail.to == [member.email]
    client.force_login(owner)
    page = client.get(f"/orgs/{org.code}/members/").content.decode()
    assert member.email in page and "try-again" in page


def test_a_link_that_is_not_ours_unsubscribes_nobody(client, org, member):
    response = client.post("/reminders/unsubscribe/not-a-real-token/")
    assert response.status_code == 404
    assert "not valid" in response.text
    assert not ReminderOptOut.objects.exists()


def test_a_date_that_is_not_a_date_is_refused(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", today="tomorrow")
