"""Making and revoking API tokens: the token page and `manage.py create_api_token` both go
through here. The secret is returned once and only its digest is stored."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from assess.models import ApiToken, Membership, api_token_hash


@transaction.atomic
def api_token_create(*, organization, user, name, scope, days, now=None):
    """(the token, its secret): the secret is not stored and cannot be shown again."""
    if not Membership.objects.filter(organization=organization, user=user).exists():
        raise ValueError(f"{user} is not a member of {organization}")
    now = now or timezone.now()
    secret = ApiToken.new_secret()
    token = ApiToken(
        organization=organization,
        user=user,
        name=name,
        scope=scope,
        prefix=secret[:10],
        token_hash=api_token_hash(secret),
        created=now,
        expires=now + timedelta(days=days),
    )
    token.full_clean()
    token.save()
    return token, secret


def api_token_revoke(*, token, now=None):
    if token.revoked_at is None:
        token.revoked_at = now or timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
