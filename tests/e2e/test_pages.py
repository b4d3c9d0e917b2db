"""Pages a new user tripped over (issue 29, "Pages"), in a real browser at a phone's and a
laptop's width, in French and German."""

import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from assess.banks.services import bank_new_draft
from assess.models import Holding, QuestionBank
from assess.selectors import bank_view
from assess.services import (
    answers_save,
    assessment_start,
    assessment_submit,
    organization_create,
    workshop_start,
)
from tests.e2e.bank_admin import editor_page
from tests.e2e.conftest import check_accessibility, no_sideways_scroll, sign_in
from tests.test_portfolio import client_org
from tests.workshop_helpers import team_workshop

WIDTHS = (390, 1280)
LOCALES = ("fr-FR", "de-DE")
# Screenshots for a person to look at: set SCREENSHOTS=/some/dir to keep them.
SHOTS = os.environ.get("SCREENSHOTS")


def _shot(page, name, at=None):
    """The viewport, scrolled to `at` (a selector) when given."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        if at:
            page.locator(at).scroll_into_view_if_needed()
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"))


def gettext_in(locale, text):
    with translation.override(locale[:2]):
        return gettext(text)


def _page(new_context, locale, width):
    return new_context(locale=locale, viewport={"width": width, "height": 844}).new_page()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("locale", LOCALES)
def test_the_consensus_shows_what_applies_with_the_team_s_comments(
    site, new_context, ciso, locale, width
):
    org = organization_create(
        user=ciso, name="Grenz AG", sector="energy", size_band="large", countries=["DE"]
    )
    workshop, _people = team_workshop(
        org,
        ciso,
        {
            "Ann": {"PRO-05": "no", "THR-03": "unknown", "THR-01": ("confirmed", "Phishing 2025")},
            "Ben": {"PRO-05": "no", "THR-03": "unknown", "THR-01": "none"},
        },
    )
    page = _page(new_context, locale, width)
    sign_in(page, site, ciso)
    page.goto(f"{site}/workshops/{workshop.assessment.code}/consensus/")
    # Everyone said "don't know": that is prefilled, not left blank.
    assert page.locator("#k-THR-03-unknown").is_checked()
    # PRO-06 applies only when PRO-05 is "yes": hidden until the facilitator says so.
    assert page.locator("#q-PRO-06").is_hidden()
    page.locator("label[for=k-PRO-05-yes]").click()
    assert page.locator("#q-PRO-06").is_visible()
    page.locator("label[for=k-PRO-05-no]").click()
    assert page.locator("#q-PRO-06").is_hidden()
    # What the participants wrote is beside the question it is about.
    assert "Phishing 2025" in page.locator("#q-THR-01").inner_text()
    no_sideways_scroll(page)
    check_accessibility(page)
    _shot(page, f"consensus-{locale[:2]}-{width}", at="#q-THR-01")


def _answer_lowest(assessment):
    """Every question answered with its first known choice: a team that can act on nothing."""
    view = bank_view(assessment.bank)
    for number, section in enumerate(view.sections, start=1):
        values = {}
        for q in section.question_list:
            known = [c for c in q.choice_list if not c.is_unknown and c.code != "none"]
            values[q.code] = ((known[0].code,), "")
        answers_save(assessment=assessment, section_number=number, values=values)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("locale", LOCALES)
def test_hygiene_first_lists_sources_to_start_with_not_alliances(
    site, new_context, ciso, locale, width
):
    org = organization_create(
        user=ciso, name="Klein GmbH", sector="retail", size_band="small", countries=["GB"]
    )
    assessment = assessment_start(organization=org, user=ciso)
    _answer_lowest(assessment)
    assessment_submit(assessment=assessment, user=ciso)
    assessment.refresh_from_db()
    assert assessment.result["outcome"] == "hygiene_first"
    starting = [a for a in assessment.result["alliances"] if a["role"] == "starting_point"]
    assert starting and all(a["free"] for a in starting)
    heading = gettext_in(locale, "Sources to start with")
    other = gettext_in(locale, "Alliances that match")
    page = _page(new_context, locale, width)
    sign_in(page, site, ciso)
    page.goto(f"{site}/a/{assessment.code}/result/")
    assert page.locator("#h-alliances").inner_text() == heading
    assert other not in page.inner_text("main")
    section = page.locator("section[aria-labelledby=h-alliances]")
    # Each card listed is a free starting point, and says so.
    cards = section.locator("article")
    assert 0 < cards.count() <= len(starting)
    assert section.locator(
        ".badge", has_text=gettext_in(locale, "free starting point")
    ).count() == (cards.count())
    no_sideways_scroll(page)
    check_accessibility(page)
    _shot(page, f"hygiene-{locale[:2]}-{width}", at="#h-alliances")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("locale", LOCALES)
def test_an_editor_adds_a_gate_in_a_form(site, new_context, locale, width):
    page = editor_page(
        site, lambda: new_context(locale=locale, viewport={"width": width, "height": 844})
    )
    draft = bank_new_draft(bank=QuestionBank.objects.get(slug="default", status="published"))
    before = len(draft.gates)
    page.goto(f"{site}/admin/assess/questionbank/{draft.pk}/change/")
    with page.expect_navigation():
        page.click(f"a[href='/admin/assess/questionbank/{draft.pk}/gates/']")
    assert page.locator("fieldset.gate-row").count() == before + 1
    row = f"gate-{before}"
    page.fill(f"#id_{row}-code", "no_owner")
    page.select_option(f"#id_{row}-when", ["CAP-01|none"])
    page.select_option(f"#id_{row}-operational", "receive")
    page.fill(f"#id_{row}-text", "Nobody owns security yet.")
    check_accessibility(page)
    no_sideways_scroll(page)
    _shot(page, f"gates-{locale[:2]}-{width}", at=f"#id_{row}-code")
    with page.expect_navigation():
        page.click("input[type=submit].default")
    assert page.url.endswith(f"/admin/assess/questionbank/{draft.pk}/change/")
    gates = QuestionBank.objects.get(pk=draft.pk).gates
    assert gates[-1]["code"] == "no_owner" and gates[-1]["limits"] == {"operational": "receive"}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("locale", LOCALES)
def test_the_header_is_one_row_and_folds_on_a_phone(site, new_context, ciso, locale, width):
    ciso.is_staff = True  # the longest menu: with "Admin"
    ciso.save(update_fields=["is_staff"])
    org = organization_create(
        user=ciso, name="Grenz AG", sector="energy", size_band="large", countries=["DE"]
    )
    page = _page(new_context, locale, width)
    sign_in(page, site, ciso)
    page.goto(f"{site}/orgs/{org.code}/")
    brand = page.locator(".navbar-brand").bounding_box()
    dashboard = page.locator("#app-menu a", has_text=gettext_in(locale, "Dashboard"))
    toggle = page.locator(".app-menu-toggle")
    # One row: the header is no taller than the brand's row, whatever the language.
    assert page.locator("header nav").bounding_box()["height"] < brand["height"] + 24
    if width == 390:
        assert toggle.is_visible()
    if toggle.is_visible():
        assert dashboard.is_hidden() and toggle.get_attribute("aria-expanded") == "false"
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true" and dashboard.is_visible()
        check_accessibility(page)
        _shot(page, f"header-open-{locale[:2]}-{width}")
        page.keyboard.press("Escape")
        assert dashboard.is_hidden() and toggle.get_attribute("aria-expanded") == "false"
    else:
        assert dashboard.is_visible()
    no_sideways_scroll(page)
    check_accessibility(page)
    _shot(page, f"header-{locale[:2]}-{width}")


# What of the verdict panel is on screen once the page is scrolled well past it: the height
# it covers, and whether "what changed" sits in a scroll box of its own.
_VERDICT_ON_SCREEN = """() => {
  const parts = [...document.querySelectorAll('#verdict > *')].map(e => e.getBoundingClientRect());
  const shown = parts.filter(r => r.height && r.bottom > 0 && r.top < innerHeight);
  const changes = document.querySelector('.whatif-details > div');
  return {
    covered: shown.length
      ? Math.max(...shown.map(r => r.bottom)) - Math.min(...shown.map(r => r.top)) : 0,
    boxed: changes.scrollHeight > changes.clientHeight + 1,
  };
}"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("locale", LOCALES)
def test_the_what_if_verdict_never_covers_most_of_a_phone(site, new_context, ciso, locale, width):
    org = organization_create(
        user=ciso, name="What If Ltd", sector="retail", size_band="large", countries=["GB"]
    )
    assessment = assessment_start(organization=org, user=ciso)
    _answer_lowest(assessment)
    assessment_submit(assessment=assessment, user=ciso)
    view = bank_view(assessment.bank)
    page = _page(new_context, locale, width)
    sign_in(page, site, ciso)
    page.goto(f"{site}/a/{assessment.code}/what-if/")
    headline = page.locator('[data-whatif-part="summary"]')
    aside = page.locator("#verdict")
    changed = [q for q in view.questions if q.section.code == "capacity" and q.kind != "multi"]
    for q in changed:
        known = [c for c in q.choice_list if not c.is_unknown and c.code != "none"]
        page.click(f'label[for="w-{q.code}-{known[-1].code}"]')
    expect(page.locator("[data-whatif-count]")).to_have_attribute(
        "data-whatif-count", str(len(changed))
    )
    # The verdict follows the answers down the page: its headline stays in view.
    page.mouse.wheel(0, 2500)
    expect(headline).to_be_in_viewport()
    closed = page.evaluate(_VERDICT_ON_SCREEN)["covered"]
    page.evaluate("window.scrollTo(0, 0)")
    page.click(".whatif-details summary")
    expect(page.locator(".whatif-changes li")).to_have_count(len(changed))
    check_accessibility(page)
    no_sideways_scroll(page)
    _shot(page, f"whatif-open-{locale[:2]}-{width}", at=".whatif-details")
    if width == 1280:  # the score table fits its panel, German words and all
        table, panel = page.locator(".whatif-scores").bounding_box(), aside.bounding_box()
        assert table["x"] + table["width"] <= panel["x"] + panel["width"], (table, panel)
    if width == 390:
        assert closed <= 844 / 4, closed  # only the headline is kept over the questions
        # Open, "what changed" is part of the page: no scroll box of its own, and it scrolls
        # away while the headline alone stays.
        assert not page.evaluate(_VERDICT_ON_SCREEN)["boxed"]
        page.mouse.wheel(0, 2500)
        expect(page.locator(".whatif-changes")).not_to_be_in_viewport()
        expect(headline).to_be_in_viewport()
        assert page.evaluate(_VERDICT_ON_SCREEN)["covered"] <= 844 / 4
        _shot(page, f"whatif-scrolled-{locale[:2]}-{width}")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("locale", LOCALES)
def test_the_portfolio_s_latest_result_is_on_screen_on_a_phone(
    site, new_context, ciso, locale, width
):
    bank = QuestionBank.objects.get(slug="default", status="published")
    clients = [
        client_org(ciso, bank, "Alpha Einzelhandel", outcome="operational", depth="contribute"),
        client_org(ciso, bank, "Beta Energie", sector="energy", hq="DE", outcome="both"),
        client_org(ciso, bank, "Gamma Gesundheit", sector="healthcare", hq="GB"),
    ]
    workshop_start(organization=clients[0], user=ciso)
    Holding.objects.create(
        organization=clients[1],
        body_name="E-ISAC",
        depth="receive",
        renewal_date=date.today() + timedelta(days=10),
    )
    page = _page(new_context, locale, width)
    sign_in(page, site, ciso)
    page.goto(f"{site}/portfolio/")
    result = gettext_in(locale, "Latest result")
    cells = page.locator(f'table.portfolio td[data-label="{result}"]')
    expect(cells).to_have_count(len(clients))
    for i in range(len(clients)):
        box = cells.nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (i, box)
    assert gettext_in(locale, "Operational alliances") in cells.nth(0).inner_text()
    # The renewals due are on the page, not in its title.
    expect(page.locator("#h-renewals")).to_be_visible()
    assert "E-ISAC" in page.locator("section[aria-labelledby=h-renewals]").inner_text()
    assert "<" not in page.title()
    no_sideways_scroll(page)
    check_accessibility(page)
    _shot(page, f"portfolio-{locale[:2]}-{width}", at="table.portfolio")
