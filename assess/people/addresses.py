"""E-mail addresses an account has shown it receives mail at, and the signed links that show it.

Sign-up starts with the address alone: a link is mailed to it, and the account is made when
that link is opened, with the name and password given then. Whether or not an account with
that address exists, the page says the same ("we sent a link"); the mail says which.
An account from before (or whose address changed) verifies with a link of its own.

Only a verified address may be matched by single sign-on, join an organisation by its shared
link or invite others. Addresses at a domain an organisation claims for single sign-on
(SSODomain) cannot sign up with a password at all."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from assess.models import OutgoingMail, SSODomain, VerifiedAddress
from assess.operations.mail import mail_queue
from assess.people import throttle
from assess.people.security import client_ip

log = logging.getLogger(__name__)

SIGNUP_SALT = "assess.people.addresses.signup"
VERIFY_SALT = "assess.people.addresses.verify"
MAILS_PER_ADDRESS = 3  # sign-up or verification mails to one address per hour
MAILS_PER_CLIENT = 20  # sign-up mails asked from one client address per hour


def link_max_age():
    return settings.EMAIL_LINK_HOURS * 3600


def is_verified(user):
    return (
        user.is_authenticated
        and VerifiedAddress.objects.filter(user=user, email__iexact=user.email).exists()
    )


def mark_verified(user, how):
    VerifiedAddress.objects.update_or_create(
        user=user, defaults={"email": user.email.lower(), "how": how}
    )


def domain_claimed(email):
    """Whether an organisation claims the address's domain for single sign-on."""
    return SSODomain.objects.filter(domain=email.rpartition("@")[2].lower()).exists()


def signup_token(email, next_url=""):
    return signing.dumps({"e": email, "n": next_url}, salt=SIGNUP_SALT, compress=True)


def signup_from_token(token):
    """(email, next) from a sign-up link, or None if it is forged or older than allowed."""
    try:
        data = signing.loads(token, salt=SIGNUP_SALT, max_age=link_max_age())
    except signing.BadSignature:
        return None
    return data["e"], data.get("n", "")


def verify_token(user):
    return signing.dumps({"u": user.pk, "e": user.email.lower()}, salt=VERIFY_SALT)


def user_from_verify_token(token):
    """The account a verification link was made for, if its address is still the one the
    link was sent to; None otherwise (forged, expired, or the address changed since)."""
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=link_max_age())
    except signing.BadSignature:
        return None
    user = get_user_model().objects.filter(pk=data["u"], is_active=True).first()
    if user is None or user.email.lower() != data["e"]:
        return None
    return user


def _mail_allowed(request, email, *, per_client):
    ok = throttle.attempt(f"address-mail:{email.lower()}", limit=MAILS_PER_ADDRESS, window=3600)
    if ok and per_client:
        ok = throttle.attempt(
            f"signup-client:{client_ip(request)}", limit=MAILS_PER_CLIENT, window=3600
        )
    if not ok:
        log.warning("Address mail to %r not sent: over the hourly limit", email)
    return ok


def _send(template, email, context):
    context = {"site_name": settings.SITE_NAME, "hours": settings.EMAIL_LINK_HOURS, **context}
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    mail_queue(
        to=[email],
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        kind=OutgoingMail.Kind.ADDRESS,
    )


def signup_mail(request, email, next_url=""):
    """The sign-up mail: a link to finish signing up, or, if the address has an account,
    how to sign in. The caller answers the same either way."""
    if not _mail_allowed(request, email, per_client=True):
        return
    if get_user_model().objects.filter(email__iexact=email).exists():
        _send(
            "assess/email/signup_exists",
            email,
            {
                "login_url": request.build_absolute_uri(reverse("login")),
                "reset_url": request.build_absolute_uri(reverse("password_reset")),
            },
        )
        return
    path = reverse("signup_complete", args=[signup_token(email, next_url)])
    _send("assess/email/signup", email, {"url": request.build_absolute_uri(path)})


def verification_mail(request, user):
    """A link that verifies the signed-in account's address; False if one went out too
    recently to send another."""
    if not _mail_allowed(request, user.email, per_client=False):
        return False
    path = reverse("address_verify", args=[verify_token(user)])
    _send("assess/email/verify_address", user.email, {"url": request.build_absolute_uri(path)})
    return True


def verification_mail_or_message(request):
    """Send the signed-in account a verification link and say so (or why not)."""
    if verification_mail(request, request.user):
        messages.info(
            request,
            _("We sent a link to %(email)s. Open it within %(hours)s hours to confirm the address.")
            % {"email": request.user.email, "hours": settings.EMAIL_LINK_HOURS},
        )
    else:
        messages.info(
            request,
            _("A link was sent to %(email)s a short while ago: open it, or try again later.")
            % {"email": request.user.email},
        )
