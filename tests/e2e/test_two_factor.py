"""A CISO sets up an authenticator app from the QR page's key, keeps the recovery codes, and
signs in again with a code: the codes are computed from the key the page showed, as an app
would."""

import time
from base64 import b32decode

from django_otp.oath import TOTP

from tests.e2e.conftest import check_accessibility, no_sideways_scroll, sign_in


def app_code(secret, steps_ahead=0):
    """The code an app shows now (or `steps_ahead` 30-s steps later). Never within 3 s of a
    step's end: a code typed then reaches the server in the next step, which django-otp
    takes as the app's clock running a step behind and remembers, so the next sign-in's
    code would be refused (a flake seen in CI)."""
    if 30 - time.time() % 30 < 3:
        time.sleep(30 - time.time() % 30 + 0.1)
    totp = TOTP(b32decode(secret))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def test_set_up_totp_and_sign_in_with_it(site, new_context, ciso):
    page = new_context().new_page()
    sign_in(page, site, ciso)
    page.get_by_role("link", name=ciso.email).click()
    page.get_by_role("link", name="Set up two-factor authentication").click()
    assert page.locator("main svg").count() == 1  # the QR code
    check_accessibility(page)
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_role("textbox", name="Code").fill("000000")
    page.get_by_role("button", name="Confirm").click()
    page.get_by_text("That code does not match").wait_for()
    assert page.locator("#totp-secret").inner_text() == secret
    page.get_by_role("textbox", name="Code").fill(app_code(secret))
    page.get_by_role("button", name="Confirm").click()
    page.get_by_text("Two-factor authentication is on.").wait_for()
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    check_accessibility(page)

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    sign_in(page, site, ciso)
    page.get_by_role("heading", name="Two-factor code").wait_for()
    check_accessibility(page)
    page.get_by_role("textbox", name="Code").fill("123 456")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("That code is not right").wait_for()
    page.get_by_role("textbox", name="Code").fill(app_code(secret, 1))
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name=ciso.email).wait_for()
    assert page.url == f"{site}/orgs/new/"  # home, for someone with no organisation yet

    phone = new_context(viewport={"width": 390, "height": 800}).new_page()
    sign_in(phone, site, ciso)
    phone.get_by_role("textbox", name="Code").fill(codes[0])
    phone.get_by_role("button", name="Sign in").click()
    phone.get_by_text("You signed in with a recovery code").wait_for()
    no_sideways_scroll(phone)
    phone.goto(f"{site}/accounts/two-factor/")
    assert "9 recovery codes are left." in phone.locator("main").inner_text()
    no_sideways_scroll(phone)
