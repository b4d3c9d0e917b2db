"""The questionnaire's progress line follows the answers as they are given, and says the
same total on every section (issue 29, item 15), at a phone's and a laptop's width, in
French and German."""

import re

import pytest
from playwright.sync_api import expect

from assess.services import assessment_start, organization_create
from tests.e2e.conftest import check_accessibility, no_sideways_scroll, sign_in
from tests.e2e.test_pages import _shot

WIDTHS = (390, 1280)
LOCALES = ("fr-FR", "de-DE")


def _count(page):
    answered, total = re.findall(r"\d+", page.locator("#progress-count").inner_text())
    return int(answered), int(total)


def _expect_count(page, answered, total):
    expect(page.locator("#progress-count")).to_have_text(
        re.compile(rf"^\D*{answered}\D+{total}\D*$")
    )


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("locale", LOCALES)
def test_the_count_follows_each_answer_and_holds_across_sections(
    site, new_context, ciso, locale, width
):
    org = organization_create(
        user=ciso, name="Zähler SA", sector="energy", size_band="large", countries=["FR"]
    )
    assessment = assessment_start(organization=org, user=ciso)
    page = new_context(locale=locale, viewport={"width": width, "height": 844}).new_page()
    sign_in(page, site, ciso)
    page.goto(f"{site}/a/{assessment.code}/s/1/")
    answered, total = _count(page)
    assert answered == 0
    assert page.locator("#progress-count").get_attribute("role") == "status"

    page.locator("#q-PRO-03 .form-check-label").first.click()
    _expect_count(page, 1, total)
    # "Yes" to PRO-05 makes PRO-06 and PRO-07 apply: the total grows at once, and shrinks
    # again when the answer changes.
    page.locator("label[for=q-PRO-05-yes]").click()
    _expect_count(page, 2, total + 2)
    page.locator("label[for=q-PRO-05-no]").click()
    _expect_count(page, 2, total)
    no_sideways_scroll(page)
    check_accessibility(page)
    _shot(page, f"progress-{locale[:2]}-{width}", at="#q-PRO-05")

    # Saved, the next section says what this one said last.
    page.locator("button[value=next]:not(.visually-hidden)").click()
    page.wait_for_url(f"**/a/{assessment.code}/s/2/")
    _expect_count(page, 2, total)


def test_without_javascript_the_server_count_is_there(site, new_context, ciso):
    org = organization_create(
        user=ciso, name="Static Ltd", sector="energy", size_band="large", countries=["DE"]
    )
    assessment = assessment_start(organization=org, user=ciso)
    page = new_context(locale="de-DE", java_script_enabled=False).new_page()
    sign_in(page, site, ciso)
    page.goto(f"{site}/a/{assessment.code}/s/2/")
    answered, total = _count(page)
    assert answered == 0 and total > 30
