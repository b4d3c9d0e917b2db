"""In a browser, on a phone and at desktop width: the what-if verdict follows each change
without the button, reset and clear work, and the countries filter narrows the list without
losing a tick. Both pages pass axe."""

import re

import pytest
from playwright.sync_api import expect

from assess.models import Organization
from assess.selectors import answer_codes, answers_of, bank_view
from assess.services import (
    answers_save,
    assessment_start,
    assessment_submit,
    organization_create,
)
from tests.e2e.conftest import check_accessibility, no_sideways_scroll, sign_in

WIDTHS = [pytest.param(390, id="phone"), pytest.param(1280, id="desktop")]


@pytest.fixture
def org(site, ciso):
    return organization_create(
        user=ciso,
        name="What If Ltd",
        sector="financial_services",
        size_band="large",
        countries=["GB", "DE"],
        headquarters="GB",
    )


@pytest.fixture
def submitted(org, ciso):
    """Submitted with the weakest known answers: cyber hygiene first."""
    assessment = assessment_start(organization=org, user=ciso)
    view = bank_view(assessment.bank)
    for number, section in enumerate(view.sections, start=1):
        values = {}
        for q in section.question_list:
            known = [c for c in q.choice_list if not c.is_unknown and c.code != "none"]
            values[q.code] = ((known[0].code,), "")
        answers_save(assessment=assessment, section_number=number, values=values)
    assessment_submit(assessment=assessment, user=ciso)
    return assessment, view


def _page(new_context, site, ciso, width):
    page = new_context(viewport={"width": width, "height": 844 if width < 500 else 900}).new_page()
    sign_in(page, site, ciso)
    return page


@pytest.mark.parametrize("width", WIDTHS)
def test_the_verdict_follows_each_change_and_reset_and_clear_work(
    site, new_context, ciso, submitted, width
):
    assessment, view = submitted
    page = _page(new_context, site, ciso, width)
    url = f"{site}/a/{assessment.code}/what-if/"
    page.goto(url)
    summary = page.locator('[data-whatif-part="summary"]')
    expect(summary).to_contain_text("The same recommendation")
    expect(page.locator("[data-whatif-show]")).to_be_hidden()  # the verdict follows by itself
    check_accessibility(page)
    no_sideways_scroll(page)

    # The strongest capacity answers, picked with the section link and clicks only.
    page.click('.whatif-nav a[href="#s-capacity"]')
    capacity = [q for q in view.questions if q.section.code == "capacity" and q.kind != "multi"]
    for q in capacity:
        known = [c for c in q.choice_list if not c.is_unknown and c.code != "none"]
        page.click(f'label[for="w-{q.code}-{known[-1].code}"]')
    expect(summary).to_contain_text("A different recommendation")
    expect(summary).to_contain_text("With these answers: Operational alliances")
    expect(summary).to_contain_text(f"{len(capacity)} answers changed")
    expect(page.locator('[data-whatif-part="count-capacity"]')).to_contain_text(str(len(capacity)))
    first = page.locator(f"#q-{capacity[0].code}")
    expect(first).to_have_class(re.compile(r"\bis-changed\b"))
    expect(first.locator("[data-whatif-was]")).to_be_visible()
    page.click(".whatif-details summary")
    expect(page.locator(".whatif-changes li")).to_have_count(len(capacity))
    check_accessibility(page)
    no_sideways_scroll(page)

    # Reset: the submitted answers again, without leaving the page.
    page.click("[data-whatif-reset]")
    expect(summary).to_contain_text("The same recommendation")
    expect(summary).to_contain_text("no answer changed")
    assert page.url.split("#")[0] == url  # no page load: only the section link's anchor
    saved = answer_codes(answers_of(assessment, view))
    for q in capacity:
        for c in q.choice_list:
            box = expect(page.locator(f"#w-{q.code}-{c.code}"))
            box.to_be_checked() if c.code in saved.get(q.code, ()) else box.not_to_be_checked()
        expect(page.locator(f"#q-{q.code}")).not_to_have_class(re.compile(r"\bis-changed\b"))

    # Clearing a radio answer: no choice left checked, and the verdict counts it.
    q = capacity[1]
    page.click(f"#q-{q.code} [data-whatif-clear]")
    expect(page.locator(f'#q-{q.code} input[type="radio"]:checked')).to_have_count(0)
    expect(summary).to_contain_text("1 answer changed")
    expect(page.locator(f"#q-{q.code} [data-whatif-clear]")).to_be_hidden()
    was = next(c.label for c in q.choice_list if c.code in saved[q.code])
    expect(page.locator(f"#q-{q.code} [data-whatif-was]")).to_contain_text(was)
    focused = page.evaluate("document.activeElement.name")
    assert focused == f"q_{q.code}"  # focus stays with the question it cleared
    expect(page.locator(".whatif-changes")).to_contain_text("(not answered)")
    check_accessibility(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_country_filter_narrows_the_list_and_keeps_every_tick(
    site, new_context, ciso, org, width
):
    page = _page(new_context, site, ciso, width)
    page.goto(f"{site}/orgs/{org.code}/edit/")
    count = page.locator("[data-countries-count]")
    expect(count).to_have_text("2 countries chosen")
    chips = page.locator(".countries-chip")
    expect(chips).to_have_text([re.compile("Germany"), re.compile("United Kingdom")])
    check_accessibility(page)
    no_sideways_scroll(page)

    visible = page.locator(".countries-list li:visible")
    page.fill("#id_countries_filter", "jap")
    expect(visible).to_have_count(1)
    expect(visible).to_contain_text("Japan")
    expect(page.locator("#id_countries_matches")).to_have_text("1 country matches")
    page.check("#id_countries_JP")
    page.press("#id_countries_filter", "Enter")  # must not send the form
    assert page.url.endswith(f"/orgs/{org.code}/edit/")
    page.fill("#id_countries_filter", "britain")  # another name for it
    expect(visible).to_have_count(1)
    expect(visible).to_contain_text("United Kingdom")
    page.fill("#id_countries_filter", "")
    assert page.locator(".countries-list li:visible").count() > 240
    expect(count).to_have_text("3 countries chosen")
    for code in ("DE", "GB", "JP"):
        expect(page.locator(f"#id_countries_{code}")).to_be_checked()
    check_accessibility(page)

    # Removing Germany from the chosen list unticks it; focus moves to the next one.
    page.click('.countries-chip[data-code="DE"]')
    expect(page.locator("#id_countries_DE")).not_to_be_checked()
    expect(count).to_have_text("2 countries chosen")
    assert page.evaluate("document.activeElement.getAttribute('data-code')") == "JP"
    no_sideways_scroll(page)

    page.click("main [type=submit]")
    page.wait_for_url(re.compile(r".*/orgs/[0-9a-f-]+/$"))
    saved = Organization.objects.get(pk=org.pk)
    assert sorted(c.code for c in saved.countries) == ["GB", "JP"]
    page.goto(f"{site}/orgs/{org.code}/edit/")
    expect(page.locator(".countries-list input:checked")).to_have_count(2)
    expect(chips).to_have_text([re.compile("Japan"), re.compile("United Kingdom")])
