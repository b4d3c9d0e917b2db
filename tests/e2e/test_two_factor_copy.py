"""Two-factor set-up on a phone: the key and the recovery codes each have a copy button that
says, in the page's language, that they were copied (issue 29, item 15)."""

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from tests.e2e.conftest import check_accessibility, no_sideways_scroll, sign_in
from tests.e2e.test_pages import _shot
from tests.e2e.test_two_factor import app_code

WIDTHS = (390, 1280)
LOCALES = ("fr-FR", "de-DE")


def _said(locale, text):
    with translation.override(locale[:2]):
        return gettext(text)


def _copy(page, button, status):
    page.locator(f"button[data-copy={button}]").click()
    expect(page.locator(f"button[data-copy={button}] + [data-copy-status]")).to_have_text(status)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("locale", LOCALES)
def test_the_key_and_the_recovery_codes_can_be_copied(site, new_context, ciso, locale, width):
    context = new_context(locale=locale, viewport={"width": width, "height": 844})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    sign_in(page, site, ciso)
    page.goto(f"{site}/accounts/two-factor/setup/")
    secret = page.locator("#totp-secret").inner_text()
    button = page.get_by_role("button", name=_said(locale, "Copy the key"))
    box = button.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24
    _copy(page, "totp-secret", _said(locale, "Copied."))
    assert page.evaluate("navigator.clipboard.readText()") == secret
    no_sideways_scroll(page)
    check_accessibility(page)
    _shot(page, f"two-factor-key-{locale[:2]}-{width}", at="#totp-secret")

    page.locator("#id_code").fill(app_code(secret))
    page.locator("main form [type=submit]").first.click()
    page.locator("#recovery-codes").wait_for()
    codes = page.locator("#recovery-codes li").all_inner_texts()
    page.get_by_role("button", name=_said(locale, "Copy the recovery codes")).wait_for()
    _copy(page, "recovery-codes", _said(locale, "Copied."))
    assert page.evaluate("navigator.clipboard.readText()").split("\n") == codes
    no_sideways_scroll(page)
    check_accessibility(page)
    _shot(page, f"two-factor-codes-{locale[:2]}-{width}", at="#recovery-codes")


def test_without_the_clipboard_api_the_key_is_selected(site, new_context, ciso):
    page = new_context(locale="fr-FR", viewport={"width": 390, "height": 844}).new_page()
    page.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    page.add_init_script("document.execCommand = () => false")
    sign_in(page, site, ciso)
    page.goto(f"{site}/accounts/two-factor/setup/")
    secret = page.locator("#totp-secret").inner_text()
    _copy(page, "totp-secret", _said("fr", "Selected: copy it with your device’s copy command."))
    assert page.evaluate("window.getSelection().toString()").strip() == secret


def test_without_javascript_no_copy_button_is_offered(site, new_context, ciso):
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, site, ciso)
    page.goto(f"{site}/accounts/two-factor/setup/")
    assert page.locator("button[data-copy]").is_hidden()
