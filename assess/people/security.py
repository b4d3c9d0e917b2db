"""Who is asking, and ending a user's sessions: small pieces the security settings rely on."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone


def client_ip(request):
    """The client's address. Behind PROXY_COUNT reverse proxies it is the one the outermost
    proxy saw, counted from the right of X-Forwarded-For: entries further left come from the
    client and can be forged."""
    count = settings.PROXY_COUNT
    if count:
        forwarded = [
            a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")


def user_sessions_end(user):
    """Delete every session signed in as this user. Sessions carry the user id only inside
    their encoded data, so each unexpired one is decoded; this runs when an account is
    deactivated, not on every request."""
    ended = [
        s.session_key
        for s in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if s.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    Session.objects.filter(session_key__in=ended).delete()
    return len(ended)


@receiver(pre_save, sender=get_user_model())
def _note_deactivation(sender, instance, raw=False, **kwargs):
    instance._deactivated = bool(
        not raw
        and instance.pk
        and not instance.is_active
        and sender.objects.filter(pk=instance.pk, is_active=True).exists()
    )


@receiver(post_save, sender=get_user_model())
def _end_sessions_of_deactivated(sender, instance, raw=False, **kwargs):
    """A deactivated account is signed out everywhere at once, so reactivating it later does
    not bring its old sessions back."""
    if getattr(instance, "_deactivated", False):
        user_sessions_end(instance)
