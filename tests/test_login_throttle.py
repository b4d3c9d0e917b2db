"""Sign-in throttling with django-axes: many wrong passwords pause sign-in for that account
from that address, with a page that says what to do, a log line, and a way to lift it."""

import logging

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command

from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"


def wrong_passwords(client, email, times, **extra):
    for _ in range(times):
        response = client.post(LOGIN, {"username": email, "password": "wrong"}, **extra)
    return response


def test_the_limit_is_thirty_wrong_passwords():
    assert settings.AXES_FAILURE_LIMIT == 30


def test_wrong_passwords_below_the_limit_only_say_the_password_is_wrong(client, owner):
    response = wrong_passwords(client, owner.email, settings.AXES_FAILURE_LIMIT - 1)
    assert response.status_code == 200
    assert "paused" not in response.text
    assert client.post(LOGIN, {"username": owner.email, "password": PASSWORD}).status_code == 302


def test_thirty_wrong_passwords_pause_sign_in_with_a_page_that_says_what_to_do(client, owner):
    response = wrong_passwords(client, owner.email, settings.AXES_FAILURE_LIMIT)
    assert response.status_code == 429
    assert "Too many wrong passwords: sign-in is paused" in response.text
    assert "Try again in 1 hour" in response.text
    assert 'href="/accounts/password_reset/"' in response.text
    assert "<nav" in response.text  # our page, inside the site's layout


def test_the_right_password_is_refused_while_paused(client, owner):
    wrong_passwords(client, owner.email, settings.AXES_FAILURE_LIMIT)
    response = client.post(LOGIN, {"username": owner.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get("/orgs/new/").status_code == 302  # still signed out


def test_the_lockout_is_logged(client, owner, caplog):
    with caplog.at_level(logging.WARNING, logger="assess.views.accounts"):
        wrong_passwords(client, owner.email, settings.AXES_FAILURE_LIMIT)
    lines = [r.getMessage() for r in caplog.records if r.name == "assess.views.accounts"]
    assert lines == [
        f"Sign-in refused: '{owner.email}' from 127.0.0.1 is locked out after 30 wrong passwords"
    ]


def test_the_count_is_kept_in_the_database_without_the_password(client, owner):
    wrong_passwords(client, owner.email, 3)
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == (
        owner.email,
        "127.0.0.1",
        3,
    )
    assert "wrong" not in attempt.post_data


def test_the_lock_is_for_that_account_from_that_address_only(client, owner, member):
    wrong_passwords(client, owner.email, settings.AXES_FAILURE_LIMIT)
    # The same person elsewhere (another address) can still sign in ...
    elsewhere = client.post(
        LOGIN, {"username": owner.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.7"
    )
    assert elsewhere.status_code == 302
    # ... and a colleague behind the same address is not locked out.
    client.logout()
    colleague = client.post(LOGIN, {"username": member.email, "password": PASSWORD})
    assert colleague.status_code == 302


def test_email_case_does_not_reset_the_count(client, owner):
    wrong_passwords(client, owner.email.upper(), settings.AXES_FAILURE_LIMIT)
    response = client.post(LOGIN, {"username": owner.email, "password": PASSWORD})
    assert response.status_code == 429


@pytest.mark.parametrize(
    "command", [["axes_reset_username", "alice@owner.example"], ["axes_reset"]]
)
def test_an_administrator_lifts_the_pause_with_a_command(client, owner, command):
    wrong_passwords(client, owner.email, settings.AXES_FAILURE_LIMIT)
    call_command(*command, verbosity=0)
    response = client.post(LOGIN, {"username": owner.email, "password": PASSWORD})
    assert response.status_code == 302


def test_a_locked_out_administrator_is_unlocked_from_the_admin(client, db):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    locked = users.create_superuser("root@example.org", "root@example.org", PASSWORD)
    other_admin = users.create_superuser("ops@example.org", "ops@example.org", PASSWORD)
    wrong_passwords(client, locked.email, settings.AXES_FAILURE_LIMIT)
    attempt = AccessAttempt.objects.get(username=locked.email)
    helper = client.__class__()
    helper.force_login(other_admin)
    response = helper.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert client.post(LOGIN, {"username": locked.email, "password": PASSWORD}).status_code == 302


def test_the_client_address_behind_a_proxy_is_the_one_the_proxy_saw(client, owner, settings):
    settings.PROXY_COUNT = 1
    forged = {"HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.9", "REMOTE_ADDR": "10.0.0.1"}
    wrong_passwords(client, owner.email, 1, **forged)
    assert AccessAttempt.objects.get().ip_address == "198.51.100.9"


@pytest.mark.parametrize("query", ["?code=x&state=y", "?code=x", "?state=y&next=/", "?a=%ff"])
def test_a_query_string_changes_neither_the_answer_nor_the_count(client, owner, query):
    plain = client.post(LOGIN, {"username": owner.email, "password": "wrong"})
    with_query = client.post(LOGIN + query, {"username": owner.email, "password": "wrong"})
    assert with_query.status_code == plain.status_code == 200
    assert AccessAttempt.objects.get().failures_since_start == 2


def test_wrong_passwords_with_an_sso_query_string_lock_the_account(client, owner):
    """The lockout bypass: a `code` in the query string used to reach the single sign-on
    backend, whose error (a 500) escaped before django-axes counted the failure."""
    for _ in range(35):
        response = client.post(
            LOGIN + "?code=x&state=y", {"username": owner.email, "password": "wrong"}
        )
        assert response.status_code in (200, 429)
    assert response.status_code == 429
    response = client.post(
        LOGIN + "?code=x&state=y", {"username": owner.email, "password": PASSWORD}
    )
    assert response.status_code == 429 and "_auth_user_id" not in client.session


def test_with_single_sign_on_on_a_code_on_the_sign_in_page_still_counts(client, owner, settings):
    from tests.oidc_provider import oidc_provider

    with oidc_provider(settings):
        for _ in range(35):
            response = client.post(
                LOGIN + "?code=x&state=y", {"username": owner.email, "password": "wrong"}
            )
    assert response.status_code == 429
    assert AccessAttempt.objects.get().failures_since_start == 35  # every one counted
