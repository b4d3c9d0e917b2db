"""A form body that cannot be decoded gets a 400 page, DEBUG on or off (issue 14, finding 8)."""

import pytest


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize("path", ["/accounts/login/", "/join/", "/accounts/signup/"])
def test_a_form_body_in_utf16_gets_400(client, db, settings, debug, path):
    settings.DEBUG = debug
    body = "email=a%40b.example&password=x".encode("utf-16")
    response = client.generic(
        "POST", path, body, content_type="application/x-www-form-urlencoded; charset=utf-16"
    )
    assert response.status_code == 400
