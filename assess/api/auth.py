"""Who is calling: the bearer token, checked on every call, and its rate limit.

A token acts for one organisation as the member who made it. It stops working when it
expires, when an owner revokes it, or when that member leaves the organisation; where the
organisation requires two-factor authentication, its holder must have set up a second factor
(a script cannot type a code, so the token stands in for the signed-in session that the code
protects)."""

import math
import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from ninja.security import HttpBearer

from assess.api.errors import Problem
from assess.models import ApiToken, Membership, api_token_hash
from assess.people.two_factor import has_two_factor

# `last_used` is written at most this often per token, not on every call.
LAST_USED_EVERY = 60


def clock():
    """Seconds since the epoch; tests replace it to move through rate-limit windows."""
    return time.time()


class TokenAuth(HttpBearer):
    """ninja's bearer auth: the ApiToken, None (401) or a Problem."""

    def authenticate(self, request, token):
        secret = token.strip()
        if not secret:
            return None
        token = (
            ApiToken.objects.select_related("organization", "user")
            .filter(token_hash=api_token_hash(secret))
            .first()
        )
        if token is None:
            return None
        now = timezone.now()
        invalid = {"WWW-Authenticate": 'Bearer error="invalid_token"'}
        if token.revoked_at is not None:
            raise Problem("token-revoked", headers=invalid)
        if token.expires <= now:
            raise Problem(
                "token-expired",
                f"It expired on {token.expires:%Y-%m-%d %H:%M} UTC; an owner can make a new one.",
                headers=invalid,
            )
        if (
            not token.user.is_active
            or not Membership.objects.filter(
                user=token.user, organization=token.organization
            ).exists()
        ):
            return None  # its maker left: as good as unknown
        if token.organization.require_two_factor and not has_two_factor(token.user):
            raise Problem(
                "two-factor-required",
                "The token's owner must set up two-factor authentication before it works.",
            )
        rate_limit(token)
        if token.last_used is None or (now - token.last_used).total_seconds() > LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used=now)
        # The token acts as its maker: the access log names them, as for a page they open.
        request.user = token.user
        return token


def rate_limit(token):
    """At most API_RATE_LIMIT calls per token in each window of API_RATE_WINDOW seconds,
    counted in the shared cache so every app server counts the same calls."""
    limit = settings.API_RATE_LIMIT
    window = settings.API_RATE_WINDOW
    now = clock()
    start = int(now // window) * window
    key = f"api-rate:{token.pk}:{start}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        count = 1
    if count > limit:
        wait = max(1, math.ceil(start + window - now))
        raise Problem(
            "rate-limited",
            f"This token may make {limit} calls every {window} seconds.",
            headers={"Retry-After": str(wait)},
        )


def require_write(token):
    if not token.can_write:
        raise Problem("read-only-token", "Make a token with the write scope to change data.")
