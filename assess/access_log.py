"""The organisation's access log: one call per event, from the view where it happens."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from assess.membership_models import AccessEvent
from assess.models import Organization
from assess.security import client_ip


def record(request, organization, action, detail="", *, user=None):
    """Write one entry: who (the signed-in user unless given), what, and from which address."""
    user = user or request.user
    AccessEvent.objects.create(
        organization=organization,
        user=user if user.is_authenticated else None,
        email=getattr(user, "email", "") or "",
        action=action,
        detail=str(detail)[:300],
        ip_address=client_ip(request) or None,
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
    """An entry about one submitted assessment: the log names it by its submission date."""
    when = assessment.submitted_at
    detail = f"assessment submitted {when:%Y-%m-%d %H:%M} UTC" if when else "draft assessment"
    record(request, assessment.organization, action, f"{detail} ({assessment.code})")
