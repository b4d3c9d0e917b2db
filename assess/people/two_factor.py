"""Two-factor authentication over django-otp: a TOTP device (an authenticator app) and a
static device holding one-time recovery codes.

Sign-in is two steps. The password step (our login view) does not sign in a user who has a
device: it keeps who they are in the session as "pending", and the code step finishes the
sign-in. Wrong codes are counted per account in the shared throttle table."""

import hashlib
import secrets
import time
from base64 import b32encode

import segno
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from assess.people import throttle

PENDING = "two_factor_pending"  # session key: the user between the password and the code
RECOVERY_SHOWN = "two_factor_recovery_codes"  # session key: new codes, shown once
RECOVERY_CODE_COUNT = 10
RECOVERY_CODE_BYTES = 8  # 64 random bits, shown as 13 letters and digits
CONFIRMED = "two_factor_confirmed_at"  # session key: when a current code was last given
CONFIRMED_SECONDS = 5 * 60  # how long that lets the authenticator or the codes be replaced
CODE_LIMIT = 10  # wrong codes per account in CODE_WINDOW, before codes are refused
CODE_WINDOW = 15 * 60


def has_two_factor(user):
    return user.is_authenticated and user_has_device(user)


def memberships_requiring(user):
    """The user's memberships of organisations that require two-factor authentication."""
    from assess.models import Membership

    return list(
        Membership.objects.filter(user=user, organization__require_two_factor=True)
        .select_related("organization")
        .order_by("organization__name")
    )


def pending_start(request, user, backend, next_url):
    request.session.cycle_key()
    request.session[PENDING] = {
        "user": user.pk,
        "backend": backend,
        "next": next_url,
        "since": int(time.time()),
    }


def pending_user(request):
    """The user who gave the right password and has yet to give a code, or None."""
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["since"] > settings.TWO_FACTOR_PENDING_SECONDS:
        return None, None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    return user, pending


def _throttle_key(user):
    return f"two-factor:{user.pk}"


def code_check(user, code):
    """The device that accepts `code` (an authenticator code or an unused recovery code), or
    None. Raises CodeLimitReached when the account has had too many wrong codes."""
    key = _throttle_key(user)
    if not throttle.attempt(key, limit=CODE_LIMIT, window=CODE_WINDOW):
        raise CodeLimitReached
    code = "".join(code.split()).lower()
    with transaction.atomic():
        for device in devices_for_user(user, for_verify=True):
            # Recovery codes are stored hashed: the static device is given the hash.
            given = recovery_code_hash(code) if isinstance(device, StaticDevice) else code
            if device.verify_token(given):
                throttle.give_back(key)
                return device
    return None


class CodeLimitReached(Exception):
    pass


def totp_device_new(user):
    """An unconfirmed authenticator device, replacing any earlier unconfirmed one."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def totp_device_pending(user):
    return TOTPDevice.objects.filter(user=user, confirmed=False).first()


def qr_svg(device):
    """The otpauth:// URI as an inline SVG QR code."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#000", light="#fff")


def secret_base32(device):
    return b32encode(device.bin_key).decode()


@transaction.atomic
def totp_device_confirm(*, device, code):
    """True, and the device in use, if `code` is the app's current code."""
    if not device.verify_token("".join(code.split())):
        return False
    TOTPDevice.objects.filter(user=device.user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


def recovery_code_hash(code):
    """What is stored of a recovery code (like an invitation's token, only a hash, so a copy
    of the database does not reveal them): 64 bits of its SHA-256, as the 16 characters
    django-otp's token column holds. Migration 0019_sign_in hashed the codes made before."""
    return hashlib.sha256(code.encode()).hexdigest()[:16]


@transaction.atomic
def recovery_codes_new(user):
    """Fresh recovery codes, returned once to be shown; any earlier ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name="recovery")
    device.token_set.all().delete()
    codes = [
        b32encode(secrets.token_bytes(RECOVERY_CODE_BYTES)).decode().rstrip("=").lower()
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=recovery_code_hash(c)) for c in codes
    )
    return codes


def confirm_current(request, code):
    """Whether `code` is a current code of the signed-in user (the app's or a recovery
    code); if so, replacing the authenticator or the recovery codes is allowed for a few
    minutes, so a wrong new code does not cost a second recovery code. Raises
    CodeLimitReached like code_check."""
    if code_check(request.user, code) is None:
        return False
    request.session[CONFIRMED] = int(time.time())
    return True


def recently_confirmed(request):
    since = request.session.get(CONFIRMED)
    return bool(since) and time.time() - since <= CONFIRMED_SECONDS


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def two_factor_disable(user):
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
