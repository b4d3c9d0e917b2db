"""The organisation's access log: one call per event, from the view where it happens, and one
function that says an entry in the reader's language."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.urls import reverse
from django.utils import formats
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from assess.models import AccessEvent, Organization, role_phrase
from assess.people.security import client_ip
from assess.report.exports import csv_safe, csv_text


def record(request, organization, action, detail="", *, user=None, **data):
    """Write one entry: who (the signed-in user unless given), what, and from which address.

    ``detail`` is the English record; ``data`` the same facts as fields (see ``describe``)."""
    user = user or request.user
    address = client_ip(request) if request is not None else ""
    AccessEvent.objects.create(
        organization=organization,
        user=user if user.is_authenticated else None,
        email=getattr(user, "email", "") or "",
        action=action,
        detail=str(detail)[:300],
        data=data,
        ip_address=address or None,
    )


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    """A sign-in is entered in the log of every organisation the person belongs to."""
    if request is None:
        return
    address = client_ip(request) or None
    AccessEvent.objects.bulk_create(
        AccessEvent(
            organization=org,
            user=user,
            email=user.email,
            action=AccessEvent.Action.SIGNED_IN,
            ip_address=address,
        )
        for org in Organization.objects.for_user(user)
    )


def record_assessment(request, assessment, action):
    """An entry about one assessment: the log names it by its submission date."""
    when = assessment.submitted_at
    detail = f"assessment submitted {when:%Y-%m-%d %H:%M} UTC" if when else "draft assessment"
    record(
        request,
        assessment.organization,
        action,
        f"{detail} ({assessment.code})",
        assessment=str(assessment.code),
        submitted=when.isoformat() if when else None,
    )


def describe(event):
    """What the entry is about, in the active language: "result submitted Dec. 6, 2026,
    12:05 p.m. UTC", "bob@example.com, from member to consultant". An entry without ``data``
    (written before it existed) is said as it was recorded."""
    data = event.data or {}
    if "assessment" in data:
        when = parse_datetime(data["submitted"]) if data.get("submitted") else None
        if when is None:
            return _("a draft assessment")
        return _("result submitted %(when)s UTC") % {
            "when": formats.date_format(when, "DATETIME_FORMAT")
        }
    if "old_role" in data:
        return _("%(email)s, from %(old)s to %(new)s") % {
            "email": data.get("email", ""),
            "old": role_phrase(data["old_role"]),
            "new": role_phrase(data.get("role", "")),
        }
    if "email" in data and "role" in data:
        return _("%(email)s, as %(role)s") % {
            "email": data["email"],
            "role": role_phrase(data["role"]),
        }
    if "role" in data:
        if data.get("via") == "sso":
            return _("by single sign-on, as %(role)s") % {"role": role_phrase(data["role"])}
        return _("by invitation, as %(role)s") % {"role": role_phrase(data["role"])}
    if "body" in data:  # an alliance membership recorded, changed or removed
        return data["body"]
    if data.get("via") == "invite_link":
        return _("by the invite link")
    if "email" in data:
        return data["email"]
    if "purge_after" in data:
        when = parse_datetime(data["purge_after"])
        return _("to be purged after %(when)s UTC") % {
            "when": formats.date_format(when, "DATETIME_FORMAT")
        }
    if "export_scope" in data:
        if data["export_scope"] == "person":
            return _("their own account and answers")
        return _("everything the organisation holds")
    if "two_factor_required" in data:
        if data["two_factor_required"]:
            return _("two-factor authentication required of every member")
        return _("two-factor authentication no longer required")
    return event.detail


def link(event):
    """Where the entry's subject can be opened (an assessment's result), or ""."""
    code = (event.data or {}).get("assessment")
    if not code:
        return ""
    if (event.data or {}).get("submitted"):
        return reverse("result", args=[code])
    return reverse("assessment", args=[code])


def as_csv(events):
    """The entries as CSV: the English record as written, and the assessment's code apart."""
    header = ["time (UTC)", "e-mail", "action", "detail", "assessment", "IP address"]
    return csv_text(
        [header]
        + [
            [
                e.created.strftime("%Y-%m-%d %H:%M:%S"),
                csv_safe(e.email),
                e.get_action_display(),
                csv_safe(e.detail),
                (e.data or {}).get("assessment", ""),
                e.ip_address or "",
            ]
            for e in events
        ]
    )
