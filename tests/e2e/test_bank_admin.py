"""The question bank editor's admin pages in a real browser: no WCAG 2.2 A/AA violation (axe)
on the pages an editor uses, and rows put in order by keyboard or by dragging."""

from assess.banks.services import bank_new_draft
from assess.models import QuestionBank
from tests.e2e.bank_admin import editor_page
from tests.e2e.conftest import check_accessibility


def _draft():
    return bank_new_draft(bank=QuestionBank.objects.get(slug="default", status="published"))


def test_the_pages_an_editor_uses_have_no_accessibility_violations(site, new_context):
    page = editor_page(site, new_context)
    draft = _draft()
    broken = draft.questions.get(code="PRO-05")
    broken.choices.exclude(code="yes").delete()
    question = draft.questions.get(code="CAP-04")
    for path in (
        "/admin/assess/questionbank/",
        f"/admin/assess/questionbank/{draft.pk}/change/",
        f"/admin/assess/questionbank/{draft.pk}/publish/",
        f"/admin/assess/question/{question.pk}/change/",
        f"/admin/assess/section/{question.section_id}/change/",
        f"/admin/assess/questionbank/{draft.pk}/preview/",
        "/admin/assess/questionbank/{}/change/".format(
            QuestionBank.objects.get(status="published").pk
        ),
    ):
        page.goto(site + path)
        check_accessibility(page)
    # The publish page names the question and takes the editor to it.
    page.goto(f"{site}/admin/assess/questionbank/{draft.pk}/publish/")
    page.click("text=Question PRO-05")
    assert page.url.endswith(f"/admin/assess/question/{broken.pk}/change/")
    assert page.input_value("#id_code") == "PRO-05"


def test_choices_are_put_in_order_from_the_keyboard(site, new_context):
    page = editor_page(site, new_context)
    question = _draft().questions.get(code="CAP-04")
    before = list(question.choices.order_by("order").values_list("code", flat=True))
    page.goto(f"{site}/admin/assess/question/{question.pk}/change/")
    arrow = page.locator("#choices-0 .sort .move-end")
    arrow.focus()
    assert page.evaluate("document.activeElement.classList.contains('move-end')")
    page.keyboard.press("Enter")
    page.click("input[name=_continue]")
    page.wait_for_load_state()
    assert "was changed successfully" in page.inner_text("body")
    after = list(question.choices.order_by("order").values_list("code", flat=True))
    assert after == before[1:] + before[:1]


def test_sections_are_put_in_order_by_dragging(site, new_context):
    page = editor_page(site, new_context)
    draft = _draft()
    before = list(draft.sections.order_by("order").values_list("code", flat=True))
    page.goto(f"{site}/admin/assess/questionbank/{draft.pk}/change/")
    handle = page.locator("#sections-0 td.original p")
    target = page.locator(f"#sections-{len(before) - 1} td.original p")
    goal = target.bounding_box()
    handle.drag_to(target, target_position={"x": 40, "y": goal["height"] - 2})
    assert page.locator("fieldset.sortable tbody tr.has_original").last.get_attribute("id") == (
        "sections-0"
    )
    page.click("input[name=_continue]")
    page.wait_for_load_state()
    assert "was changed successfully" in page.inner_text("body")
    after = list(draft.sections.order_by("order").values_list("code", flat=True))
    assert after == before[1:] + before[:1]
