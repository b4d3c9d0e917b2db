"""Single sign-on with OpenID Connect (mozilla-django-oidc), on when OIDC_RP_CLIENT_ID is set.

The provider's e-mail address names the account: the first sign-in creates it (with no
password) and, where an organisation claims the address's domain (SSODomain, in the admin),
makes it a member. Someone who has turned on two-factor authentication still gives a code
after the provider: the sign-in is left pending, as after a password."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from assess import access_log
from assess.models import AccessEvent, Membership, SSODomain


def _email(claims):
    return (claims.get("email") or "").strip().lower()


class SSOBackend(OIDCAuthenticationBackend):
    def authenticate(self, request, *, nonce, code_verifier, **kwargs):
        """Only the callback view reaches this: it alone passes the nonce and the PKCE
        verifier it kept in the session. Django skips a backend whose signature does not fit
        the credentials, so the password form (username and password) never gets here, and a
        `code` in the sign-in page's query string is never exchanged at the provider."""
        if request is None or request.path != reverse("sso_callback"):
            return None
        return super().authenticate(request, nonce=nonce, code_verifier=code_verifier, **kwargs)

    def filter_users_by_claims(self, claims):
        email = _email(claims)
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email)

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
