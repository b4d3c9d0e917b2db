"""A CISO records two memberships in the browser, sees them against the recommendation on
the result page and the dashboard, and finds the auditor section in the report: accessible
at 1280 px and without sideways scrolling at 390 px. Screenshots go to E2E_SHOTS if set."""

import datetime
import os

import pytest

from assess.models import Alliance, Holding
from assess.services import assessment_start, assessment_submit, organization_create
from tests.e2e.conftest import check_accessibility, no_sideways_scroll, sign_in
from tests.e2e.test_every_page import _answer_all

SHOTS = os.environ.get("E2E_SHOTS")


def _shot(page, name, *, full=False):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=full)


@pytest.fixture
def submitted(site, ciso):
    org = organization_create(
        user=ciso,
        name="Holding Bank",
        sector="financial_services",
        size_band="large",
        countries=["DE", "FR"],
    )
    assessment = assessment_start(organization=org, user=ciso)
    _answer_all(assessment)
    return assessment_submit(assessment=assessment, user=ciso)


@pytest.mark.parametrize("width", [1280, 390])
def test_a_ciso_records_two_memberships_and_sees_them_against_the_result(
    site, new_context, ciso, submitted, width
):
    org = submitted.organization
    kept = next(a for a in submitted.result["alliances"] if a.get("first"))
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    sign_in(page, site, ciso)
    page.goto(f"{site}/orgs/{org.code}/")
    page.get_by_role("link", name="0 recorded: view or change").click()
    page.get_by_role("link", name="Record a membership").click()
    page.get_by_label("Body from the catalogue").select_option(label=kept["name"])
    page.get_by_label("Depth").select_option("receive")
    page.get_by_label("Annual cost").fill("4500")
    page.get_by_label("Currency", exact=True).select_option("EUR")
    last_year = datetime.date.today() - datetime.timedelta(days=30)
    page.get_by_label("Next renewal").fill(last_year.isoformat())
    page.get_by_label("Internal owner (a role)").fill("SOC lead")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("This date has passed").wait_for()
    assert page.get_by_label("Internal owner (a role)").input_value() == "SOC lead"
    check_accessibility(page) if width == 1280 else no_sideways_scroll(page)
    _shot(page, f"holding-form-error-{width}", full=True)
    renewal = datetime.date.today() + datetime.timedelta(days=45)
    page.get_by_label("Next renewal").fill(renewal.isoformat())
    page.get_by_role("button", name="Save").click()
    page.get_by_text(f"{kept['name']} is recorded.").wait_for()
    page.get_by_role("link", name="Record a membership").click()
    page.get_by_label("Name of the body").fill("Old Vendor Club")
    page.get_by_label("Depth").select_option("receive")
    page.get_by_label("Annual cost").fill("800")
    page.get_by_label("Currency", exact=True).select_option("GBP")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Old Vendor Club is recorded.").wait_for()
    assert Holding.objects.filter(organization=org).count() == 2
    check_accessibility(page) if width == 1280 else no_sideways_scroll(page)
    _shot(page, f"holdings-{width}", full=True)

    page.goto(f"{site}/a/{submitted.code}/result/")
    keep = page.locator('[data-group="keep"]')
    assert kept["name"] in keep.inner_text() and "4,500 EUR" in keep.inner_text()
    assert "Old Vendor Club" in page.locator('[data-group="why_pay"]').inner_text()
    check_accessibility(page) if width == 1280 else no_sideways_scroll(page)
    page.locator("#h-held").scroll_into_view_if_needed()
    _shot(page, f"result-held-{width}")

    page.goto(f"{site}/orgs/{org.code}/")
    assert "Old Vendor Club" in page.locator('[data-group="why_pay"]').inner_text()
    check_accessibility(page) if width == 1280 else no_sideways_scroll(page)
    page.locator("#h-held").scroll_into_view_if_needed()
    _shot(page, f"dashboard-held-{width}")

    page.goto(f"{site}/a/{submitted.code}/report/")
    auditor = page.locator("#auditor")
    assert "DORA" in auditor.inner_text() and "NIST SP 800-53" not in auditor.inner_text()
    check_accessibility(page) if width == 1280 else no_sideways_scroll(page)
    auditor.scroll_into_view_if_needed()
    _shot(page, f"report-auditor-{width}")


def test_a_retired_body_reads_on_the_phone(site, new_context, ciso, submitted):
    org = submitted.organization
    body = Alliance.objects.get(slug="first")
    Holding.objects.create(organization=org, alliance=body, depth="contribute")
    Alliance.objects.filter(pk=body.pk).update(active=False)
    page = new_context(viewport={"width": 390, "height": 900}).new_page()
    sign_in(page, site, ciso)
    page.goto(f"{site}/orgs/{org.code}/memberships/")
    assert "retired from the catalogue" in page.locator("main").inner_text()
    no_sideways_scroll(page)
    page.goto(f"{site}/portfolio/")
    no_sideways_scroll(page)
