"""A CISO's whole path in a real browser: keyboard only, across two sittings."""

import re

from assess.models import Assessment
from tests.conftest import PASSWORD, sent_mail
from tests.e2e.conftest import check_accessibility, no_sideways_scroll, sign_in


def tab_to(page, selector, limit=60):
    """Press Tab until the focused element matches selector (keyboard-only navigation)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector} on {page.url}")


def answer_page_by_keyboard(page, pick_last=False):
    """Select one choice in every visible question of the page with Tab and arrow keys.

    The visible questions are looked up again after each answer, since an answer can show
    or hide a conditional question on the same page."""
    done = []
    while True:
        names = page.eval_on_selector_all(
            ".question:not([hidden]) input[type=radio]",
            "els => [...new Set(els.map(e => e.name))]",
        )
        todo = [name for name in names if name not in done]
        if not todo:
            return done
        name = todo[0]
        tab_to(page, f'input[name="{name}"]')
        if pick_last:
            page.keyboard.press("ArrowUp")  # from the first choice, wraps to the last
        else:
            page.keyboard.press("Space")  # a radio group takes focus on its first choice
        # The choice is really checked, by keyboard alone.
        assert page.evaluate(f"document.querySelector('input[name=\"{name}\"]:checked') !== null")
        done.append(name)


def test_sign_up_and_create_an_organisation(site, new_context):
    page = new_context().new_page()
    page.goto(site)
    check_accessibility(page)
    page.click("text=Create an account")
    check_accessibility(page)
    page.fill("#id_email", "new.ciso@corp.example")
    page.click("main [type=submit]")
    page.get_by_role("heading", name="Check your e-mail").wait_for()
    check_accessibility(page)
    page.goto(re.search(r"http://\S+/accounts/signup/\S+/", sent_mail()[-1].body)[0])
    check_accessibility(page)
    page.fill("#id_name", "New CISO")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("main [type=submit]")
    page.wait_for_url("**/orgs/new/")
    check_accessibility(page)
    page.fill("#id_name", "Müller & Søn — 株式会社")
    page.select_option("#id_sector", "manufacturing")
    page.select_option("#id_size_band", "medium")
    page.select_option("#id_headquarters", "GB")
    page.check("#id_countries_DE")
    page.check("#id_countries_JP")
    page.click("main [type=submit]")
    page.wait_for_url(re.compile(r".*/orgs/[0-9a-f-]+/$"))
    assert "Müller & Søn — 株式会社" in page.inner_text("h1")
    check_accessibility(page)


def test_keyboard_questionnaire_resumed_in_a_new_browser_then_submitted(site, new_context, ciso):
    first = new_context().new_page()
    sign_in(first, site, ciso)
    assert first.url.endswith("/orgs/new/")  # a new user is asked for the organisation
    first.fill("#id_name", "Keyboard Corp")
    first.select_option("#id_sector", "financial_services")
    first.select_option("#id_size_band", "large")
    first.select_option("#id_headquarters", "GB")
    first.check("#id_countries_GB")
    first.click("main [type=submit]")
    first.click("text=Start a new assessment")
    first.wait_for_url(re.compile(r".*/s/1/$"))
    check_accessibility(first)
    assert "Section 1 of 6" in first.inner_text("main")
    answered = {}
    for number in (1, 2):
        answered[number] = answer_page_by_keyboard(first)
        tab_to(first, '.actions-bar button[value="next"]')
        first.keyboard.press("Enter")
        first.wait_for_url(re.compile(rf".*/s/{number + 1}/$"))
    answer_page_by_keyboard(first)
    tab_to(first, 'button[value="later"]')
    first.keyboard.press("Enter")
    first.wait_for_url(re.compile(r".*/orgs/[0-9a-f-]+/$"))
    assert "Your answers are saved" in first.inner_text("main")
    first.context.close()

    # Days later, in another browser.
    second = new_context().new_page()
    sign_in(second, site, ciso)
    second.click("text=Continue")
    second.wait_for_url(re.compile(r".*/s/3/$"))
    assert answered[1] and answered[2]  # answered on the earlier pages ...
    second.goto(second.url.replace("/s/3/", "/s/1/"))
    for name in answered[1]:  # ... and still checked
        assert second.is_checked(f'input[name="{name}"]:checked')
    for number in range(1, 7):
        assert second.url.endswith(f"/s/{number}/")
        answer_page_by_keyboard(second, pick_last=True)
        check_accessibility(second)
        button = '.actions-bar button[value="next"]' if number < 6 else 'button[value="review"]'
        tab_to(second, button)
        with second.expect_navigation():
            second.keyboard.press("Enter")
    assert second.url.endswith("/review/")
    check_accessibility(second)
    second.click("text=Submit and see the recommendation")
    second.wait_for_url(re.compile(r".*/result/$"))
    check_accessibility(second)
    assessment = Assessment.objects.get(organization__name="Keyboard Corp")
    assert assessment.status == "submitted"
    assert assessment.result["headline"] in second.inner_text("main")
    assert second.locator("svg[role=img]").count() == 2


def test_pages_fit_a_phone_without_sideways_scrolling(site, new_context, ciso):
    page = new_context(viewport={"width": 390, "height": 844}).new_page()
    for path in ("/", "/accounts/login/", "/accounts/signup/"):
        page.goto(site + path)
        no_sideways_scroll(page)
    sign_in(page, site, ciso)
    page.fill("#id_name", "Phone Org")
    page.select_option("#id_sector", "retail")
    page.select_option("#id_size_band", "small")
    page.select_option("#id_headquarters", "GB")
    page.click("main [type=submit]")
    no_sideways_scroll(page)
    page.click("text=Start a new assessment")
    for number in range(1, 7):
        no_sideways_scroll(page)
        answer_page_by_keyboard(page)
        with page.expect_navigation():
            page.click(
                '.actions-bar button[value="next"]' if number < 6 else 'button[value="review"]'
            )
    no_sideways_scroll(page)
    page.click("text=Submit and see the recommendation")
    page.wait_for_url(re.compile(r".*/result/$"))
    no_sideways_scroll(page)


def test_the_questionnaire_works_without_javascript(site, new_context, ciso):
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, site, ciso)
    page.fill("#id_name", "No Script Ltd")
    page.select_option("#id_sector", "healthcare")
    page.select_option("#id_size_band", "small")
    page.select_option("#id_headquarters", "GB")
    page.click("main [type=submit]")
    page.click("text=Start a new assessment")
    # Without the script, a conditional question stays visible with a note on when it applies.
    assert page.locator("[data-show-if-question]").first.is_visible()
    assert "Only applies given your answer" in page.inner_text("main")
    page.check("input[name=q_PRO-01] >> nth=0")
    page.click('.actions-bar button[value="next"]')
    page.wait_for_url(re.compile(r".*/s/2/$"))
    assessment = Assessment.objects.get(organization__name="No Script Ltd")
    assert assessment.answers.filter(question__code="PRO-01").exists()


def _start(page, site, ciso, name):
    sign_in(page, site, ciso)
    page.fill("#id_name", name)
    page.select_option("#id_sector", "retail")
    page.select_option("#id_size_band", "small")
    page.select_option("#id_headquarters", "GB")
    page.click("main [type=submit]")
    page.click("text=Start a new assessment")
    page.wait_for_url(re.compile(r".*/s/1/$"))


def _saved_count(name):
    return Assessment.objects.get(organization__name=name).answers.count()


def test_a_503_during_save_keeps_the_answers_and_a_retry_saves_them(site, new_context, ciso):
    # Under the app's real Content Security Policy: the saving script must work with it.
    page = new_context(bypass_csp=False).new_page()
    _start(page, site, ciso, "Flaky Server Ltd")
    answered = answer_page_by_keyboard(page)

    def unavailable(route):
        if route.request.method == "POST":
            route.fulfill(status=503, body="Service Unavailable")
        else:
            route.continue_()

    step_one = re.compile(r".*/s/1/$")
    page.route(step_one, unavailable)
    page.click('.actions-bar button[value="next"]')
    status = page.locator("#save-status")
    status.wait_for(state="visible")
    assert "server answered 503" in status.inner_text()
    assert page.url.endswith("/s/1/")
    for name in answered:  # still on the page, as typed
        assert page.is_checked(f'input[name="{name}"]:checked')
    assert _saved_count("Flaky Server Ltd") == 0
    page.unroute(step_one, unavailable)
    with page.expect_navigation():
        page.click("#save-status [data-retry]")
    assert page.url.endswith("/s/2/")
    assert _saved_count("Flaky Server Ltd") == len(answered)


def test_a_dropped_connection_keeps_the_answers_and_a_retry_saves_them(site, new_context, ciso):
    context = new_context(bypass_csp=False)
    page = context.new_page()
    _start(page, site, ciso, "Offline Ltd")
    answered = answer_page_by_keyboard(page)
    context.set_offline(True)
    page.click('.actions-bar button[value="next"]')
    page.locator("#save-status").wait_for(state="visible")
    assert "connection dropped" in page.inner_text("#save-status")
    for name in answered:
        assert page.is_checked(f'input[name="{name}"]:checked')
    context.set_offline(False)
    with page.expect_navigation():
        page.click("#save-status [data-retry]")
    assert page.url.endswith("/s/2/")
    assert _saved_count("Offline Ltd") == len(answered)


def test_a_save_after_the_session_expired_keeps_the_answers_and_says_so(site, new_context, ciso):
    context = new_context(bypass_csp=False)
    page = context.new_page()
    _start(page, site, ciso, "Expired Ltd")
    answered = answer_page_by_keyboard(page)
    page.click("#q-PRO-01 summary")  # open "Add a comment"
    page.fill("textarea[name='c_PRO-01']", "Typed just before the session ended")
    context.clear_cookies()  # the session expired while they were typing
    page.click('.actions-bar button[value="next"]')
    page.locator("#save-status").wait_for(state="visible")
    assert "signed out" in page.inner_text("#save-status")
    assert page.url.endswith("/s/1/")
    for name in answered:
        assert page.is_checked(f'input[name="{name}"]:checked')
    assert page.input_value("textarea[name='c_PRO-01']") == "Typed just before the session ended"
    assert _saved_count("Expired Ltd") == 0
