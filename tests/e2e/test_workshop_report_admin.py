"""A workshop with three participants, the PDF report, and a bank editor, in a real browser."""

import io
import re
from pathlib import Path

import pypdf

from assess.models import Participant, QuestionBank
from assess.services import organization_create
from tests.conftest import run_queued_tasks
from tests.e2e.bank_admin import editor_page
from tests.e2e.conftest import check_accessibility, sign_in
from tests.e2e.test_self_assessment import answer_page_by_keyboard


def answer_all(page, pick_last):
    for number in range(1, 7):
        answer_page_by_keyboard(page, pick_last=pick_last)
        button = '.actions-bar button[value="next"]' if number < 6 else 'button[value="review"]'
        with page.expect_navigation():
            page.click(button)


def test_a_workshop_with_three_participants_and_a_consensus(site, new_context, ciso):
    org = organization_create(
        user=ciso, name="Workshop Co", sector="energy", size_band="large", countries=["DE"]
    )
    facilitator = new_context().new_page()
    sign_in(facilitator, site, ciso)
    facilitator.goto(f"{site}/orgs/{org.code}/")
    facilitator.click("text=Run a workshop with your team")
    facilitator.wait_for_url(re.compile(r".*/workshops/[0-9a-f-]+/$"))
    check_accessibility(facilitator)
    join_url = facilitator.input_value("#join-url")
    code = facilitator.inner_text("strong.font-monospace")

    people = [("Ann", "ciso", True), ("Ben", "legal", False), ("Cat", "board", True)]
    for i, (name, role, high) in enumerate(people):
        page = new_context(viewport={"width": 390, "height": 844}).new_page()
        if i == 1:  # one of them types the code instead of following the link
            page.goto(f"{site}/join/")
            page.fill("#id_code", code.lower())
            page.click("main [type=submit]")
        else:
            page.goto(join_url)
        check_accessibility(page)
        page.fill("#id_name", name)
        page.select_option("#id_role", role)
        page.click("main [type=submit]")
        page.wait_for_url(re.compile(r".*/p/[^/]+/s/1/$"))
        answer_all(page, pick_last=high)
        assert "You answered" in page.inner_text("main")
    assert Participant.objects.count() == 3

    # The board updates by itself: no reload needed to see all three.
    facilitator.wait_for_function(
        "document.querySelector('#board-live').innerText.includes('3 participants')",
        timeout=15_000,
    )
    assert "Cat" in facilitator.inner_text("#board-live")
    check_accessibility(facilitator)
    facilitator.click("text=Settle the consensus")
    check_accessibility(facilitator)
    facilitator.click("text=Save the consensus and review it")
    facilitator.wait_for_url(re.compile(r".*/review/$"))
    facilitator.click("text=Submit and see the recommendation")
    facilitator.wait_for_url(re.compile(r".*/result/$"))
    assert "Your recommendation" in facilitator.inner_text("main")
    facilitator.click("text=View the printable report")
    assert "where your team disagreed" in facilitator.inner_text("main")
    check_accessibility(facilitator)


def test_the_pdf_report_downloads_and_parses(site, new_context, ciso):
    org = organization_create(
        user=ciso, name="Report Ltd", sector="healthcare", size_band="medium", countries=["GB"]
    )
    page = new_context(accept_downloads=True).new_page()
    sign_in(page, site, ciso)
    page.goto(f"{site}/orgs/{org.code}/")
    page.click("text=Start a new assessment")
    answer_all(page, pick_last=True)
    page.click("text=Submit and see the recommendation")
    page.wait_for_url(re.compile(r".*/result/$"))
    outcome = page.inner_text("h1")
    # The worker has not run yet: the page says the PDF is being prepared ...
    assert page.is_visible("text=The PDF report is being prepared")
    assert not page.is_visible("text=Download the PDF report")
    check_accessibility(page)
    assert run_queued_tasks() == 1
    # ... and its script offers the download once the worker has made it, with no reload.
    page.wait_for_selector("text=Download the PDF report", state="visible", timeout=10_000)
    assert not page.is_visible("text=The PDF report is being prepared")
    with page.expect_download() as info:
        page.click("text=Download the PDF report")
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    reader = pypdf.PdfReader(io.BytesIO(Path(download.path()).read_bytes()))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Report Ltd" in text
    assert outcome.split(": ", 1)[1] in text
    assert len(reader.pages) >= 5


def test_an_editor_changes_a_draft_and_publishes_it(site, new_context):
    page = editor_page(site, new_context)
    published = QuestionBank.objects.get(slug="default", status="published")
    page.goto(f"{site}/admin/assess/questionbank/{published.pk}/change/")
    page.click("text=New draft version")
    page.click("main [type=submit], #content [type=submit] >> nth=0")
    page.wait_for_load_state()
    draft = QuestionBank.objects.get(slug="default", status="draft")
    page.goto(f"{site}/admin/assess/questionbank/{draft.pk}/change/")
    # The bank's page lists its questions; the text is edited on the question's own page.
    page.click(".bank-questions a >> nth=0")
    page.wait_for_load_state()
    page.fill(
        "textarea[name=text]",
        "Which of these best describes your organisation's main business today?",
    )
    page.click("input[name=_save]")
    page.wait_for_load_state()
    assert "was changed successfully" in page.inner_text("body")
    page.goto(f"{site}/admin/assess/questionbank/{draft.pk}/change/")
    page.click("text=Publish")
    page.click("#content [type=submit] >> nth=0")
    page.wait_for_load_state()
    draft.refresh_from_db()
    assert draft.status == "published"
    assert QuestionBank.objects.current().pk == draft.pk
    assert draft.questions.filter(
        text__startswith="Which of these best describes your organisation's main business today"
    ).exists()
