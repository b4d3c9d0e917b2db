"""Reminders about memberships: a renewal coming up (to the membership's named person, else
the organisation's owners) and the yearly re-assessment (to the owners), each once, in the
recipient's language, with a link to unsubscribe from the organisation's reminders.

`manage.py send_reminders`, run daily from cron, queues them (README, "Reminders"); the task
worker sends them like every other e-mail, with retries and a record of failures the owners
see (assess.operations.mail)."""

import dataclasses
import datetime

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from assess.models import (
    Holding,
    LatestResult,
    Membership,
    Organization,
    OutgoingMail,
    ReminderOptOut,
    ReminderSent,
    UserPreference,
)
from assess.operations.mail import mail_queue

SALT = "assess.holdings.unsubscribe"


def reminder_mail_send(*, to, subject, body, organization):
    """Queue one reminder: the only place a reminder leaves the app. The task worker sends
    it, with retries; one the mail server refuses shows on the organisation's members page
    for its owners (assess.operations.mail)."""
    mail_queue(
        to=[to],
        subject=subject,
        body=body,
        kind=OutgoingMail.Kind.REMINDER,
        organization=organization,
    )


# --- Unsubscribing ----------------------------------------------------------------------


def unsubscribe_token(user, organization):
    return signing.dumps({"u": user.pk, "o": organization.pk}, salt=SALT)


def unsubscribe_target(token):
    """(user, organisation) the link was made for, or None for a link that is not ours."""
    from django.contrib.auth import get_user_model

    try:
        data = signing.loads(token, salt=SALT)
        user = get_user_model().objects.get(pk=data["u"])
        org = Organization.objects.get(pk=data["o"])
    except (signing.BadSignature, KeyError, TypeError, ValueError, LookupError):
        return None
    except (get_user_model().DoesNotExist, Organization.DoesNotExist):
        return None
    return user, org


def opt_out(*, user, organization):
    try:
        with transaction.atomic():
            ReminderOptOut.objects.get_or_create(user=user, organization=organization)
    except IntegrityError:  # the same link opened twice at once
        pass


# --- What is due ------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Reminder:
    kind: str
    organization: Organization
    user: object
    due: datetime.date
    holding: Holding | None = None

    @property
    def key(self):
        about = self.holding.pk if self.holding else self.organization.pk
        return f"{self.kind}:{about}:{self.due.isoformat()}:{self.user.email.lower()}"


def _owners(org_ids):
    owners = {}
    for m in Membership.objects.filter(
        organization_id__in=org_ids, role=Membership.Role.OWNER
    ).select_related("user"):
        owners.setdefault(m.organization_id, []).append(m.user)
    return owners


def due(*, today, days):
    """Every reminder due on `today`: renewals within `days`, re-assessments whose latest
    result is older than REASSESS_AFTER_DAYS; without those already sent or unsubscribed."""
    holdings = list(
        Holding.objects.filter(
            renewal_date__gte=today, renewal_date__lte=today + datetime.timedelta(days=days)
        ).select_related("organization", "owner")
    )
    end_of_today = timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min)
    )
    cutoff = end_of_today - datetime.timedelta(days=settings.REASSESS_AFTER_DAYS)
    stale = list(
        LatestResult.objects.filter(submitted_at__lte=cutoff).select_related("organization")
    )
    org_ids = {h.organization_id for h in holdings} | {r.organization_id for r in stale}
    owners = _owners(org_ids)
    members = set(
        Membership.objects.filter(organization_id__in=org_ids).values_list(
            "organization_id", "user_id"
        )
    )
    found = []
    for h in holdings:
        named = h.owner if h.owner and (h.organization_id, h.owner_id) in members else None
        for user in [named] if named else owners.get(h.organization_id, []):
            found.append(Reminder("renewal", h.organization, user, h.renewal_date, h))
    for r in stale:
        when = timezone.localdate(r.submitted_at) + datetime.timedelta(
            days=settings.REASSESS_AFTER_DAYS
        )
        for user in owners.get(r.organization_id, []):
            found.append(Reminder("reassess", r.organization, user, when))
    opted = set(
        ReminderOptOut.objects.filter(organization_id__in=org_ids).values_list(
            "organization_id", "user_id"
        )
    )
    sent = set(
        ReminderSent.objects.filter(key__in=[r.key for r in found]).values_list("key", flat=True)
    )
    return [
        r
        for r in found
        if r.user.email and (r.organization.pk, r.user.pk) not in opted and r.key not in sent
    ]


# --- Sending ----------------------------------------------------------------------------


def _language(user):
    chosen = UserPreference.objects.filter(user=user).values_list("language", flat=True).first()
    return chosen or settings.LANGUAGE_CODE


def _absolute(path):
    return settings.SITE_URL.rstrip("/") + path


def render(reminder):
    """(subject, body) of one reminder, in the recipient's language."""
    org = reminder.organization
    with translation.override(_language(reminder.user)):
        context = {
            "reminder": reminder,
            "org_name": org.name,
            "holding": reminder.holding,
            "due": reminder.due,
            "site_name": settings.SITE_NAME,
            "url": _absolute(
                reverse("holdings", args=[org.code])
                if reminder.kind == "renewal"
                else reverse("dashboard", args=[org.code])
            ),
            "unsubscribe_url": _absolute(
                reverse("reminders_unsubscribe", args=[unsubscribe_token(reminder.user, org)])
            ),
        }
        name = f"assess/email/reminder_{reminder.kind}"
        subject = " ".join(render_to_string(f"{name}_subject.txt", context).split())
        body = render_to_string(f"{name}.txt", context)
    return subject, body


def send_due(*, today=None, days=None):
    """Queue every reminder due; returns how many. Each is recorded as sent in the same
    transaction as its queued mail, so a reminder is queued once even if two runs overlap;
    delivery, its retries and a refusal are the mail queue's (assess.operations.mail)."""
    today = today or timezone.localdate()
    days = settings.RENEWAL_REMINDER_DAYS if days is None else days
    sent = 0
    for reminder in due(today=today, days=days):
        subject, body = render(reminder)
        try:
            with transaction.atomic():
                ReminderSent.objects.create(
                    key=reminder.key,
                    organization=reminder.organization,
                    holding=reminder.holding,
                    kind=reminder.kind,
                    email=reminder.user.email,
                )
                reminder_mail_send(
                    to=reminder.user.email,
                    subject=subject,
                    body=body,
                    organization=reminder.organization,
                )
        except IntegrityError:  # another run queued it in the meantime
            continue
        sent += 1
    return sent
