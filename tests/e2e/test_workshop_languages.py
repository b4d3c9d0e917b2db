"""A workshop across languages in a real browser: a German and a French participant each
answer in their browser's language; the English facilitator's board and consensus stay in
English."""

import re

from assess.services import organization_create, workshop_start
from tests.e2e.conftest import check_accessibility, sign_in

PRO_01 = {
    "en": "Which of these best describes your organisation's main line of business?",
    "fr": "Laquelle de ces descriptions correspond le mieux à l’activité principale de votre "
    "organisation\u202f?",
    "de": "Welche dieser Beschreibungen trifft das Hauptgeschäft Ihrer Organisation am besten?",
}
TITLE = {
    "en": "Organisation profile and systemic importance",
    "fr": "Profil de l’organisation et importance systémique",
    "de": "Profil der Organisation und systemische Bedeutung",
}


def _join(new_context, site, workshop, locale, name, choice):
    page = new_context(locale=locale, viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{site}/join/")
    page.fill("#id_code", workshop.short_code)
    page.click("main [type=submit]")
    page.fill("#id_name", name)
    page.select_option("#id_role", "ciso")
    page.click("main [type=submit]")
    page.wait_for_url(re.compile(r".*/p/[^/]+/s/1/$"))
    page.check(f"#q-PRO-01-{choice}")
    with page.expect_navigation():
        page.click("main button.btn-primary[value=next]")
    page.goto(page.url.replace("/s/2/", "/s/1/"))
    return page


def test_each_participant_answers_in_their_language_and_the_board_stays_english(
    site, new_context, ciso
):
    org = organization_create(
        user=ciso, name="Grenz AG", sector="energy", size_band="large", countries=["DE", "FR"]
    )
    workshop = workshop_start(organization=org, user=ciso)

    german = _join(new_context, site, workshop, "de-DE", "Jens", "industrial")
    french = _join(new_context, site, workshop, "fr-FR", "Amélie", "user")
    for page, lang, other in ((german, "de", "fr"), (french, "fr", "de")):
        main = page.inner_text("main")
        assert TITLE[lang] in main
        assert PRO_01[lang] in main
        assert PRO_01["en"] not in main and PRO_01[other] not in main
        # The answer saved before coming back is still ticked.
        assert page.locator("#q-PRO-01 input:checked").count() == 1
        # No text in another language is left unmarked: every English fallback says so.
        assert page.locator("main [lang=en]").count() == 0
        check_accessibility(page)

    facilitator = new_context(locale="en-GB").new_page()
    sign_in(facilitator, site, ciso)
    facilitator.goto(f"{site}/workshops/{workshop.assessment.code}/")
    board = facilitator.inner_text("main")
    assert "Jens" in board and "Amélie" in board
    assert PRO_01["en"] in board
    assert PRO_01["fr"] not in board and PRO_01["de"] not in board
    facilitator.goto(f"{site}/workshops/{workshop.assessment.code}/consensus/")
    consensus = facilitator.inner_text("main")
    assert PRO_01["en"] in consensus
    assert PRO_01["de"] not in consensus and PRO_01["fr"] not in consensus
