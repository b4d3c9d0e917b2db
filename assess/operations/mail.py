"""Every e-mail the site sends goes through the task queue.

`mail_queue` writes the mail (an OutgoingMail row) and its delivery task (a row of
django-tasks-db's queue) in the caller's transaction: nothing is sent if that transaction
rolls back, and the task worker sees the mail only once it has committed, so a request never
waits on the mail server and a mail server that refuses the 30th address cannot undo the
29 invitations before it. The worker sends it (`mail_deliver`) with the `delivery` mailer,
tries again later after a passing failure (a server down, a 4xx answer), and after the last
try, or a refusal that trying again cannot change (a 5xx for the recipient), marks it failed
for the organisation's owners to see on the members page.

Mail sent by Django itself (a password reset) reaches the queue through `QueuedEmailBackend`,
the `default` mailer."""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.tasks import task
from django.utils import timezone, translation

from assess.models import OutgoingMail

log = logging.getLogger(__name__)

DELIVERY = "delivery"  # the MAILERS alias of the real backend (SMTP in production)
MAX_DELAY = timedelta(hours=6)


@transaction.atomic  # the mail and its task together, or neither
def mail_queue(
    *,
    to,
    subject,
    body,
    kind=OutgoingMail.Kind.OTHER,
    html_body="",
    from_email="",
    organization=None,
    invitation=None,
):
    """Queue one e-mail, in the caller's transaction, in the active language."""
    mail = OutgoingMail.objects.create(
        kind=kind,
        to=list(to),
        from_email=from_email or "",
        subject=subject,
        body=body,
        html_body=html_body,
        language=translation.get_language() or "",
        organization=organization,
        invitation=invitation,
    )
    mail_deliver.enqueue(mail.pk)
    return mail


def retry_delay(attempts):
    """How long to wait after the `attempts`-th failed try: MAIL_RETRY_SECONDS, then four
    times longer each time, at most six hours."""
    return min(timedelta(seconds=settings.MAIL_RETRY_SECONDS * 4 ** (attempts - 1)), MAX_DELAY)


def _permanent(error):
    """Whether trying again cannot help: the server refused every recipient for good."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(500 <= code < 600 for code, _message in error.recipients.values())
    return False


def _text(message):
    return message.decode(errors="replace") if isinstance(message, bytes) else str(message)


def _describe(error):
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        refused = "; ".join(
            f"{address}: {code} {_text(message)}"
            for address, (code, message) in error.recipients.items()
        )
        return f"refused {refused}"[:500]
    return f"{type(error).__name__}: {error}"[:500]


@task()
def mail_deliver(mail_id):
    """Send one queued mail; on a passing failure, queue the next try. Returns its status."""
    mail = OutgoingMail.objects.filter(pk=mail_id).first()
    if mail is None or mail.status != OutgoingMail.Status.QUEUED:
        return mail.status if mail else "gone"
    message = EmailMultiAlternatives(mail.subject, mail.body, mail.from_email or None, mail.to)
    if mail.html_body:
        message.attach_alternative(mail.html_body, "text/html")
    mail.attempts += 1
    mail.last_attempt_at = timezone.now()
    try:
        message.send(using=DELIVERY)
    except (smtplib.SMTPException, OSError) as error:
        mail.last_error = _describe(error)
        if _permanent(error) or mail.attempts >= settings.MAIL_ATTEMPTS:
            mail.status = OutgoingMail.Status.FAILED
            log.error(
                "Mail %s (%s) not sent after %s tries: %s",
                mail.pk,
                mail.kind,
                mail.attempts,
                mail.last_error,
            )
        else:
            wait = retry_delay(mail.attempts)
            log.warning(
                "Mail %s (%s) not sent, trying again in %s s: %s",
                mail.pk,
                mail.kind,
                int(wait.total_seconds()),
                mail.last_error,
            )
            mail_deliver.using(run_after=timezone.now() + wait).enqueue(mail.pk)
    else:
        mail.status = OutgoingMail.Status.SENT
        mail.sent_at = timezone.now()
        mail.last_error = ""
        mail.body = mail.html_body = ""  # the links in it are secrets; sent, it is not needed
        log.info("Mail %s (%s) sent after %s tries", mail.pk, mail.kind, mail.attempts)
    mail.save(
        update_fields=[
            "status",
            "attempts",
            "last_attempt_at",
            "sent_at",
            "last_error",
            "body",
            "html_body",
        ]
    )
    return mail.status


@transaction.atomic
def mail_try_again(mail):
    """Queue a failed mail again, with a fresh count of tries (an owner's "Try again")."""
    if mail.status != OutgoingMail.Status.FAILED:
        return False
    mail.status = OutgoingMail.Status.QUEUED
    mail.attempts = 0
    mail.save(update_fields=["status", "attempts"])
    mail_deliver.enqueue(mail.pk)
    return True


class QueuedEmailBackend(BaseEmailBackend):
    """The `default` mailer: whatever Django sends (a password reset) is queued like our own
    mail, and the task worker delivers it with the `delivery` mailer."""

    def send_messages(self, email_messages):
        for message in email_messages:
            if message.bcc or message.cc or message.attachments:
                raise ValueError("Queued mail carries plain recipients, no cc, bcc or files.")
            html = next(
                (content for content, kind in message.alternatives if kind == "text/html"), ""
            )
            mail_queue(
                to=message.to,
                subject=str(message.subject),
                body=str(message.body),
                html_body=str(html),
                from_email=message.from_email or "",
            )
        return len(email_messages)
