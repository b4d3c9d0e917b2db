"""Preview of a question bank version: an editor walks through it as a respondent would.

The answers live in the editor's session, never in the database, so no assessment is created
and the bank stays untouched. Reached through the bank's admin pages (staff only)."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from assess.access import get_bank_for_editor
from assess.banks.services import publish_problems
from assess.questionnaire.runner import SessionAnswers, moves, questionnaire_step
from assess.selectors import answer_codes, bank_view, preview_result, review_sheet


def _answers(request, bank):
    """The preview's answers, in the editor's session only."""
    return SessionAnswers(request.session, f"bank_preview:{bank.pk}")


def _load(request, pk):
    bank = get_bank_for_editor(request, pk)
    try:
        view = bank_view(bank)
    except ValueError:  # thresholds missing or out of range: the rules cannot run
        return bank, None
    return bank, view


def _unusable(request, bank):
    return render(
        request,
        "assess/preview_unusable.html",
        {"bank": bank, "problems": publish_problems(bank), "preview": True},
        status=200,
    )


def _base_context(bank, view):
    return {
        "bank": bank,
        "preview": True,
        "sections": view.sections,
        "total": len(view.sections),
        "admin_url": reverse("admin:assess_questionbank_change", args=[bank.pk]),
    }


def preview_start(request, pk):
    bank, view = _load(request, pk)
    if view is None or not view.sections:
        return _unusable(request, bank)
    return redirect("admin:assess_questionbank_preview_section", bank.pk, 1)


def preview_section(request, pk, number):
    bank, view = _load(request, pk)
    if view is None:
        return _unusable(request, bank)

    after = moves(
        number,
        section=lambda n: redirect("admin:assess_questionbank_preview_section", bank.pk, n),
        done=lambda: redirect("admin:assess_questionbank_preview_review", bank.pk),
    )
    return questionnaire_step(
        request,
        view=view,
        store=_answers(request, bank),
        number=number,
        after=after,
        template="assess/preview_section.html",
        context=_base_context(bank, view),
    )


def preview_review(request, pk):
    bank, view = _load(request, pk)
    if view is None:
        return _unusable(request, bank)
    answers = _answers(request, bank).load(view)
    codes = answer_codes(answers)
    sections, missing = review_sheet(view, answers)
    context = _base_context(bank, view)
    context.update(
        {
            **preview_result(view, codes),
            "review_sections": sections,
            "missing": missing,
            "problems": publish_problems(bank) if bank.is_draft else [],
        }
    )
    return render(request, "assess/preview_review.html", context)


@require_POST
def preview_restart(request, pk):
    bank = get_bank_for_editor(request, pk)
    _answers(request, bank).clear()
    return redirect("admin:assess_questionbank_preview_section", bank.pk, 1)
