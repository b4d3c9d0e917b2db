"""Production settings (SECURE=true and friends): Django's deployment checks pass with no
warning, and the security headers and cookie flags are really sent."""

import importlib.util
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings

from tests.conftest import NODE_MODULES, PASSWORD, needs

PRODUCTION = {
    "SECURE": "true",
    "DEBUG": "false",
    "SECRET_KEY": "test-only-" + "k3y" * 20,  # not a secret: only these tests use it
    "ALLOWED_HOSTS": "assess.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://assess.example.org",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
}
HOST = "assess.example.org"
# What the production environment changes for requests; the database and the rest stay the
# test run's own.
SECURITY_SETTINGS = [
    "DEBUG",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CSP",
    "X_FRAME_OPTIONS",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SECURE",
]


def load_settings(monkeypatch, env):
    """assess/settings.py evaluated afresh under this environment, as a separate module."""
    for name in PRODUCTION:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location(
        "production_settings", settings.BASE_DIR / "assess" / "settings.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def production(monkeypatch):
    module = load_settings(monkeypatch, PRODUCTION)
    with override_settings(**{name: getattr(module, name) for name in SECURITY_SETTINGS}):
        yield Client(HTTP_HOST=HOST)


def deploy_check(**overrides):
    """`manage.py check --deploy --fail-level WARNING` in a fresh process with the production
    environment (and `overrides`). Bootstrap from npm is a static folder the check looks for."""
    needs(NODE_MODULES / "bootstrap" / "dist", "bootstrap is not installed (npm ci)")
    env = {**os.environ, **PRODUCTION, **overrides}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    # The browser tests set this for their own process; a deployment never has it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deployment_checks_pass_without_a_warning():
    result = deploy_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deployment_checks_catch_the_development_defaults():
    """The check above is worth something: without the production values it fails."""
    result = deploy_check(SECURE="false")
    assert result.returncode != 0
    assert "security.W004" in result.stderr  # no HSTS


def test_the_deployment_checks_pass_behind_a_proxy_that_redirects_to_https():
    """README: SECURE_SSL_REDIRECT=false where the proxy redirects; the check then passes."""
    result = deploy_check(SECURE_SSL_REDIRECT="false")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 silenced" in result.stdout


def test_the_deployment_checks_refuse_the_console_email_backend_and_pass_with_smtp():
    """README: the default EMAIL_BACKEND prints mail; production names an SMTP server."""
    result = deploy_check(EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend")
    assert result.returncode != 0 and "assess.E010" in result.stderr
    smtp = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.example.org",
        "EMAIL_PORT": "587",
        "EMAIL_USE_TLS": "true",
    }
    result = deploy_check(**smtp)
    assert result.returncode == 0, result.stdout + result.stderr


def test_secure_without_a_secret_key_refuses_to_start(monkeypatch):
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        load_settings(monkeypatch, env)


def test_single_sign_on_without_its_endpoints_refuses_to_start(monkeypatch):
    sso = {
        "OIDC_RP_CLIENT_ID": "readiness",
        "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://idp.example/authorize",
        "OIDC_OP_TOKEN_ENDPOINT": "https://idp.example/token",
        "OIDC_OP_USER_ENDPOINT": "https://idp.example/userinfo",
    }
    with pytest.raises(ImproperlyConfigured, match="OIDC_OP_JWKS_ENDPOINT"):
        load_settings(monkeypatch, PRODUCTION | sso)
    sso["OIDC_OP_JWKS_ENDPOINT"] = "https://idp.example/jwks"
    with pytest.raises(ImproperlyConfigured, match="OIDC_OP_ISSUER"):
        load_settings(monkeypatch, PRODUCTION | sso)
    sso["OIDC_OP_ISSUER"] = "https://idp.example"
    assert load_settings(monkeypatch, PRODUCTION | sso).SSO_ENABLED


SSO = {
    "OIDC_RP_CLIENT_ID": "readiness",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://idp.example/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://idp.example/token",
    "OIDC_OP_USER_ENDPOINT": "https://idp.example/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://idp.example/jwks",
    "OIDC_OP_ISSUER": "https://idp.example",
}


def test_the_deployment_checks_warn_of_a_single_sign_on_provider_over_plain_http():
    assert deploy_check(**SSO).returncode == 0
    result = deploy_check(**SSO | {"OIDC_OP_TOKEN_ENDPOINT": "http://idp.example/token"})
    assert result.returncode != 0
    assert "assess.W001" in result.stderr and "OIDC_OP_TOKEN_ENDPOINT" in result.stderr


def test_plain_http_is_redirected_to_https(production, db):
    response = production.get("/")
    assert response.status_code == 301
    assert response.url == f"https://{HOST}/"


def test_https_pages_carry_hsts_nosniff_no_framing_and_a_strict_csp(production, db):
    response = production.get("/", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_the_proxy_saying_https_counts_as_https(production, db):
    response = production.get("/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert "Strict-Transport-Security" in response


def test_session_and_csrf_cookies_are_secure_and_the_session_cookie_http_only(production, owner):
    page = production.get("/accounts/login/", secure=True)
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"]
    response = production.post(
        "/accounts/login/", {"username": owner.email, "password": PASSWORD}, secure=True
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"]
    assert session["samesite"] == "Lax"
