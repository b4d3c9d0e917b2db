"""Deployment checks of our own (`manage.py check --deploy`, run by `make prod-check`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

OIDC_URL_SETTINGS = (
    "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT",
    "OIDC_OP_ISSUER",
)


@register(Tags.security, deploy=True)
def sso_endpoints_use_https(app_configs, **kwargs):
    """Single sign-on's provider over plain HTTP outside DEBUG: the client secret, the codes,
    the tokens and the signing keys would cross the network readable and changeable."""
    if not settings.SSO_ENABLED or settings.DEBUG:
        return []
    return [
        Warning(
            f"{name} is {getattr(settings, name)!r}: single sign-on's provider must be "
            "reached over https:// in production.",
            hint="Use the provider's https:// addresses from its "
            "/.well-known/openid-configuration.",
            id="assess.W001",
        )
        for name in OIDC_URL_SETTINGS
        if str(getattr(settings, name, "") or "").lower().startswith("http://")
    ]
