"""The workshop room in a real browser: the presenter view on the projector, joining by the
code it shows, a tied question on the consensus, and the "disputed only" filter without
JavaScript."""

import re

from assess.models import Participant
from assess.services import organization_create, workshop_start
from tests.e2e.conftest import check_accessibility, no_sideways_scroll, sign_in
from tests.workshop_helpers import SPLIT, team_workshop


def _org(ciso):
    return organization_create(
        user=ciso, name="Room Co", sector="energy", size_band="large", countries=["DE"]
    )


def test_the_room_joins_by_the_code_on_the_projector_and_the_count_follows(site, new_context, ciso):
    workshop = workshop_start(organization=_org(ciso), user=ciso)
    projector = new_context(viewport={"width": 1280, "height": 800}).new_page()
    sign_in(projector, site, ciso)
    projector.goto(f"{site}/workshops/{workshop.assessment.code}/")
    projector.click("text=Show the invitation on a projector")
    projector.wait_for_url(re.compile(r".*/present/$"))
    address = projector.inner_text(".presenter-address")
    assert address == f"{site}/join/"
    code = projector.inner_text(".presenter-code [aria-hidden]")
    assert code == workshop.short_code
    qr = projector.locator(".presenter-qr svg").bounding_box()
    assert qr["width"] >= 400 and qr["height"] >= 400  # readable from the back of a room
    assert "0 people have joined" in projector.inner_text("#presenter-live")
    check_accessibility(projector)
    no_sideways_scroll(projector)

    phone = new_context(viewport={"width": 390, "height": 844}).new_page()
    phone.goto(address)
    phone.fill("#id_code", code.lower())
    phone.click("main [type=submit]")
    phone.fill("#id_name", "Ann")
    phone.select_option("#id_role", "ciso")
    phone.click("main [type=submit]")
    phone.wait_for_url(re.compile(r".*/p/[^/]+/s/1/$"))
    assert Participant.objects.filter(workshop=workshop, name="Ann").exists()
    # No reload: the projector's count follows by itself.
    projector.wait_for_function(
        "document.querySelector('#presenter-live').innerText.includes('1 person has joined')",
        timeout=15_000,
    )


def test_the_presenter_fits_a_phone_too(site, new_context, ciso):
    workshop = workshop_start(organization=_org(ciso), user=ciso)
    page = new_context(viewport={"width": 390, "height": 844}).new_page()
    sign_in(page, site, ciso)
    page.goto(f"{site}/workshops/{workshop.assessment.code}/present/")
    no_sideways_scroll(page)
    check_accessibility(page)


def test_a_tie_waits_for_the_facilitators_choice_and_nothing_entered_is_lost(
    site, new_context, ciso
):
    workshop, _people = team_workshop(_org(ciso), ciso, SPLIT)
    page = new_context().new_page()
    sign_in(page, site, ciso)
    page.goto(f"{site}/workshops/{workshop.assessment.code}/consensus/")
    tied = page.locator("#q-PRO-03")
    assert "Tie: your choice" in tied.inner_text()
    assert tied.locator("input:checked").count() == 0
    assert page.is_visible(".workshop-ties >> text=PRO-03.")
    check_accessibility(page)
    page.check("#k-THR-01-repeated")
    page.fill("#id_c_THR-01", "Settled after a long talk")
    with page.expect_navigation():
        page.click("text=Save the consensus and review it")
    alert = page.locator("#unsettled")
    assert "1 tied question still needs your choice" in alert.inner_text()
    assert page.is_checked("#k-THR-01-repeated")
    assert page.input_value("#id_c_THR-01") == "Settled after a long talk"
    check_accessibility(page)
    alert.locator("a[href='#q-PRO-03']").click()
    assert page.url.endswith("#q-PRO-03")
    page.check("#k-PRO-03-customers")
    with page.expect_navigation():
        page.click("text=Save the consensus and review it")
    assert page.url.endswith("/review/")


def test_the_disputed_filter_works_without_javascript(site, new_context, ciso):
    workshop, _people = team_workshop(_org(ciso), ciso, SPLIT)
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, site, ciso)
    page.goto(f"{site}/workshops/{workshop.assessment.code}/")
    assert page.locator("#h-disagree ~ article").count() == 3
    page.click("#board-live >> text=Disputed only (2)")
    assert page.url.endswith("?disputed=1")
    assert page.locator("#h-disagree ~ article").count() == 2
    page.goto(f"{site}/workshops/{workshop.assessment.code}/consensus/")
    page.click("text=Disputed only (2)")
    assert page.locator("fieldset legend").all_inner_texts()[0].startswith("PRO-03.")
    assert page.locator("fieldset").count() == 2
