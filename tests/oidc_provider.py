"""A real OpenID Connect provider on 127.0.0.1 for the tests (oidc-provider-mock: any client
id and secret, and whoever the form names signs in), and the settings that point at it."""

import contextlib

import requests
from oidc_provider_mock import run_server_in_thread

CLIENT_ID = "alliance-readiness"
CLIENT_SECRET = "test-client-secret"


@contextlib.contextmanager
def oidc_provider(settings):
    with run_server_in_thread(require_nonce=True) as server:
        base = f"http://localhost:{server.server_port}"
        config = requests.get(f"{base}/.well-known/openid-configuration", timeout=10).json()
        settings.OIDC_RP_CLIENT_ID = CLIENT_ID
        settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
        settings.OIDC_OP_AUTHORIZATION_ENDPOINT = config["authorization_endpoint"]
        settings.OIDC_OP_TOKEN_ENDPOINT = config["token_endpoint"]
        settings.OIDC_OP_USER_ENDPOINT = config["userinfo_endpoint"]
        settings.OIDC_OP_JWKS_ENDPOINT = config["jwks_uri"]
        settings.OIDC_OP_ISSUER = config["issuer"]
        settings.SSO_ENABLED = True
        yield base


def set_person(base, sub, **claims):
    """What the provider says about someone the next time they sign in there (an address it
    has verified unless email_verified says otherwise)."""
    if "email" in claims:
        claims.setdefault("email_verified", True)
    response = requests.put(f"{base}/users/{sub}", json=claims, timeout=10)
    response.raise_for_status()
