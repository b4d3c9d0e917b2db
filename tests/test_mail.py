"""Every e-mail through the task queue (assess.operations.mail): a request never talks to the
mail server, the mail is written with what it announces and sent only after that commits, a
passing failure is tried again later, and a mail that cannot be delivered is shown to the
organisation's owners, who can have it tried again."""

import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from assess.models import Invitation, OutgoingMail, UserPreference
from assess.operations import mail as outgoing
from tests.conftest import make_user, run_queued_tasks, sent_mail, signed_in
from tests.smtp_server import SMTPServer

THIRTY = [f"person{n:02}@client.example" for n in range(30)]


def invite(client, org, emails, role="member"):
    return client.post(f"/orgs/{org.code}/members/", {"emails": " ".join(emails), "role": role})


def time_passes():
    """The waits before the next tries are over (the queue's clock, not the test's)."""
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


@pytest.fixture
def connections(monkeypatch):
    """Every connection made to a mail server, by whoever makes it."""
    made = []
    real = smtplib.SMTP.connect

    def counting(self, host="localhost", port=0, source_address=None):
        made.append((host, port))
        return real(self, host, port, source_address)

    monkeypatch.setattr(smtplib.SMTP, "connect", counting)
    return made


def test_thirty_invitations_with_the_mail_server_down_keep_all_and_retry_until_sent(
    client, owner, org, settings, connections
):
    smtp = SMTPServer()  # its port is chosen but nothing listens on it yet: the server is down
    settings.MAILERS = smtp.mailers()
    response = invite(signed_in(client, owner), org, THIRTY)
    # The request answered without reaching for the mail server at all.
    assert response.status_code == 302 and connections == []
    assert Invitation.objects.filter(organization=org).count() == 30
    assert OutgoingMail.objects.filter(status="queued", attempts=0).count() == 30

    # The worker tries each once; the server is down, so each waits for a later try.
    assert run_queued_tasks() == 30
    assert len(connections) == 30
    assert OutgoingMail.objects.filter(status="queued", attempts=1).count() == 30
    assert all("Connection" in m.last_error for m in OutgoingMail.objects.all())
    waiting = DBTaskResult.objects.filter(status="READY")
    assert waiting.count() == 30 and all(t.run_after > timezone.now() for t in waiting)
    assert run_queued_tasks() == 0  # not before their time

    with smtp:  # the server is back
        time_passes()
        assert run_queued_tasks() == 30
    assert sorted(to[0] for to, _m in smtp.inbox.messages) == THIRTY
    assert OutgoingMail.objects.filter(status="sent", attempts=2).count() == 30
    # Sent, the text with its secret link is not kept.
    assert set(OutgoingMail.objects.values_list("body", flat=True)) == {""}
    assert Invitation.objects.filter(organization=org).count() == 30


def test_nothing_is_queued_when_the_transaction_rolls_back(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        outgoing.mail_queue(to=["a@example.org"], subject="Hello", body="Hi")
        raise RuntimeError
    assert not OutgoingMail.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_after_the_last_try_the_mail_is_marked_failed_and_tried_no_more(
    client, owner, org, settings
):
    settings.MAIL_ATTEMPTS = 2
    smtp = SMTPServer()  # down
    settings.MAILERS = smtp.mailers()
    invite(signed_in(client, owner), org, ["carol@client.example"])
    run_queued_tasks()
    time_passes()
    run_queued_tasks()
    sent = OutgoingMail.objects.get()
    assert (sent.status, sent.attempts) == ("failed", 2)
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert Invitation.objects.get().is_pending  # the invitation stays


def test_a_refused_address_fails_at_once_and_the_owner_sees_it_and_tries_again(
    client, owner, org, settings
):
    with SMTPServer(refuse=["bounce@client.example"]) as smtp:
        settings.MAILERS = smtp.mailers()
        invite(signed_in(client, owner), org, ["carol@client.example", "bounce@client.example"])
        run_queued_tasks()
    assert [to for to, _m in smtp.inbox.messages] == [["carol@client.example"]]
    bounced = OutgoingMail.objects.get(to=["bounce@client.example"])
    assert (bounced.status, bounced.attempts) == ("failed", 1)  # a 550 is not tried again
    assert "550" in bounced.last_error
    assert bounced.invitation.email == "bounce@client.example"
    assert Invitation.objects.filter(organization=org).count() == 2

    page = client.get(f"/orgs/{org.code}/members/").text
    assert "E-mails that could not be delivered" in page
    assert "bounce@client.example" in page and "550" in page
    assert f"/orgs/{org.code}/mail/{bounced.pk}/try-again/" in page

    response = client.post(f"/orgs/{org.code}/mail/{bounced.pk}/try-again/")
    assert response.status_code == 302
    bounced.refresh_from_db()
    assert (bounced.status, bounced.attempts) == ("queued", 0)
    with SMTPServer() as smtp:  # the address was fixed at the other end
        settings.MAILERS = smtp.mailers()
        assert run_queued_tasks() == 1
    assert [to for to, _m in smtp.inbox.messages] == [["bounce@client.example"]]
    assert (
        "E-mails that could not be delivered" not in client.get(f"/orgs/{org.code}/members/").text
    )


def _failed_mail(org):
    sent = outgoing.mail_queue(to=["x@client.example"], subject="S", body="B", organization=org)
    OutgoingMail.objects.filter(pk=sent.pk).update(status="failed", attempts=6)
    DBTaskResult.objects.all().delete()
    return sent


def test_a_member_who_is_not_an_owner_cannot_try_a_mail_again(client, member, org):
    failed = _failed_mail(org)
    response = signed_in(client, member).post(f"/orgs/{org.code}/mail/{failed.pk}/try-again/")
    assert response.status_code == 403
    assert OutgoingMail.objects.get().status == "failed"
    assert not DBTaskResult.objects.exists()


def test_another_organisations_owner_cannot_see_or_try_a_mail_again(
    client, outsider, other_org, org
):
    failed = _failed_mail(org)
    signed_in(client, outsider)
    for code in (org.code, other_org.code):
        response = client.post(f"/orgs/{code}/mail/{failed.pk}/try-again/")
        assert response.status_code == 404
    assert "x@client.example" not in client.get(f"/orgs/{other_org.code}/members/").text
    assert OutgoingMail.objects.get().status == "failed"


def test_anonymous_visitors_are_sent_to_sign_in(client, org):
    failed = _failed_mail(org)
    response = client.post(f"/orgs/{org.code}/mail/{failed.pk}/try-again/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert OutgoingMail.objects.get().status == "failed"


def test_the_members_page_reads_failed_mail_in_one_query_whatever_their_number(owner_client, org):
    url = f"/orgs/{org.code}/members/"
    _failed_mail(org)
    with CaptureQueriesContext(connection) as one:
        owner_client.get(url)
    for _ in range(5):
        _failed_mail(org)
    with CaptureQueriesContext(connection) as six:
        page = owner_client.get(url).text
    assert page.count("/try-again/") == 6
    assert len(six.captured_queries) == len(one.captured_queries)


def test_an_invitation_is_written_in_the_language_the_invitees_account_chose(owner_client, org):
    known = make_user("francoise@client.example")
    UserPreference.objects.create(user=known, language="fr")
    invite(owner_client, org, ["francoise@client.example", "new@client.example"])
    by_address = {m.to[0]: m for m in sent_mail()}
    assert by_address["francoise@client.example"].subject.startswith("Invitation à rejoindre")
    assert by_address["new@client.example"].subject.startswith("You are invited")
    assert set(OutgoingMail.objects.values_list("language", flat=True)) == {"fr", "en"}


def test_mail_django_sends_itself_goes_through_the_queue_too(client, owner, settings):
    """A password reset: Django sends it with the default mailer, which only queues."""
    settings.MAILERS = {
        "default": {"BACKEND": "assess.operations.mail.QueuedEmailBackend"},
        "delivery": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
    }
    response = client.post("/accounts/password_reset/", {"email": owner.email})
    assert response.status_code == 302
    assert mail.outbox == []
    queued = OutgoingMail.objects.get()
    assert queued.to == [owner.email] and "/accounts/reset/" in queued.body
    assert run_queued_tasks() == 1
    assert [m.to for m in mail.outbox] == [[owner.email]]


def test_the_waits_between_tries_grow_and_are_capped(settings):
    settings.MAIL_RETRY_SECONDS = 60
    waits = [outgoing.retry_delay(n) for n in range(1, 9)]
    assert waits[:4] == [timedelta(seconds=s) for s in (60, 240, 960, 3840)]
    assert waits[-1] == outgoing.MAX_DELAY and waits == sorted(waits)


def test_a_mail_gone_or_already_sent_is_not_sent_again(db):
    queued = outgoing.mail_queue(to=["a@example.org"], subject="Hello", body="Hi")
    OutgoingMail.objects.filter(pk=queued.pk).update(status="sent")
    with mock.patch.object(outgoing.EmailMultiAlternatives, "send") as send:
        assert outgoing.mail_deliver.call(queued.pk) == "sent"
        assert outgoing.mail_deliver.call(queued.pk + 1) == "gone"
    send.assert_not_called()
