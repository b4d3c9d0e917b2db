"""Single sign-on with OpenID Connect (mozilla-django-oidc), on when OIDC_RP_CLIENT_ID is set.

The provider's e-mail address names the account: the first sign-in creates it (with no
password) and, where an organisation claims the address's domain (SSODomain, in the admin),
makes it a member. Someone who has turned on two-factor authentication still gives a code
after the provider: the sign-in is left pending, as after a password."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from assess.models import AccessEvent, Membership, SSODomain
from assess.people import access_log, addresses

log = logging.getLogger(__name__)
UNVERIFIED_ACCOUNT = "unverified-account"  # request.sso_refusal: why, for the sign-in page


def _email(claims):
    return (claims.get("email") or "").strip().lower()


def id_token_problem(payload, *, issuer, client_id):
    """Why an ID token was not made by our provider for this site, or "" if it was: its
    issuer must be the provider's, and its audience this client (with the client as the
    authorised party when there are several audiences), per OpenID Connect Core 3.1.3.7."""
    if payload.get("iss") != issuer:
        return f"issuer {payload.get('iss')!r} is not {issuer!r}"
    audience = payload.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if client_id not in audiences:
        return f"audience {audience!r} does not include {client_id!r}"
    if len(audiences) > 1 and payload.get("azp") != client_id:
        return f"several audiences and the authorised party {payload.get('azp')!r} is not us"
    return ""


def email_verified(claims):
    """Whether the provider says it verified the address (some send the text "true")."""
    return claims.get("email_verified") in (True, "true")


class SSOBackend(OIDCAuthenticationBackend):
    def authenticate(self, request, *, nonce, code_verifier, **kwargs):
        """Only the callback view reaches this: it alone passes the nonce and the PKCE
        verifier it kept in the session. Django skips a backend whose signature does not fit
        the credentials, so the password form (username and password) never gets here, and a
        `code` in the sign-in page's query string is never exchanged at the provider."""
        if request is None or request.path != reverse("sso_callback"):
            return None
        return super().authenticate(request, nonce=nonce, code_verifier=code_verifier, **kwargs)

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        problem = id_token_problem(
            payload, issuer=settings.OIDC_OP_ISSUER, client_id=settings.OIDC_RP_CLIENT_ID
        )
        if problem:
            raise SuspiciousOperation(f"ID token refused: {problem}")
        return payload

    def verify_claims(self, claims):
        if not email_verified(claims):
            # An address the provider has not verified could be anyone's: it must neither
            # name an account nor join the organisation that claims its domain.
            log.warning(
                "Single sign-on refused: the provider has not verified %r", claims.get("email")
            )
            return False
        return super().verify_claims(claims)

    def filter_users_by_claims(self, claims):
        """The account with this address, only if its address was verified: an account
        anyone could have registered with someone else's address is never handed over."""
        email = _email(claims)
        if not email:
            return self.UserModel.objects.none()
        users = self.UserModel.objects.filter(email__iexact=email)
        if users and not all(addresses.is_verified(u) for u in users):
            self.request.sso_refusal = UNVERIFIED_ACCOUNT
            raise SuspiciousOperation(f"the account of {email!r} has an unverified address")
        return users

    @transaction.atomic
    def create_user(self, claims):
        email = _email(claims)
        user = get_user_model().objects.create_user(
            username=email,
            email=email,
            first_name=(claims.get("name") or claims.get("given_name") or "")[:150],
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        addresses.mark_verified(user, "sso")  # the provider said it verified it
        claim = SSODomain.objects.filter(domain=email.rpartition("@")[2]).first()
        if claim is not None:
            Membership.objects.create(user=user, organization=claim.organization, role=claim.role)
            access_log.record(
                self.request,
                claim.organization,
                AccessEvent.Action.JOINED,
                f"by single sign-on, as {claim.role}",
                user=user,
                via="sso",
                role=claim.role,
            )
        return user
