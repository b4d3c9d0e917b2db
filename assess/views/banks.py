"""Preview of a question bank version: an editor walks through it as a respondent would.

The answers live in the editor's session, never in the database, so no assessment is created
and the bank stays untouched. Reached through the bank's admin pages (staff only)."""

from types import SimpleNamespace

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from assess import rules
from assess.access import get_bank_for_editor
from assess.bank_services import publish_problems
from assess.forms import SectionForm
from assess.selectors import (
    answer_codes,
    bank_view,
    catalogue,
    hidden_codes,
    page_questions,
    progress,
    review_sheet,
)


def _session_key(bank):
    return f"bank_preview:{bank.pk}"


def _stored(request, bank):
    data = request.session.get(_session_key(bank)) or {}
    return data.get("answers", {}), data.get("comments", {})


def _store(request, bank, answers, comments):
    request.session[_session_key(bank)] = {"answers": answers, "comments": comments}


def _answers(view, answers, comments):
    """Stored preview answers in the shape the questionnaire's helpers expect."""
    out = {}
    for q in view.questions:
        picked = [c.code for c in q.choice_list if c.code in set(answers.get(q.code, ()))]
        if picked or comments.get(q.code):
            out[q.code] = SimpleNamespace(choice_codes=picked, comment=comments.get(q.code, ""))
    return out


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
    current = view.section(number)
    if current is None:
        raise Http404
    stored, comments = _stored(request, bank)
    answers = _answers(view, stored, comments)
    codes = answer_codes(answers)
    questions = page_questions(view, current, codes)
    if request.method == "POST":
        form = SectionForm(request.POST, questions=questions)
        if form.is_valid():
            for code, (chosen, comment) in form.values().items():
                stored.pop(code, None)
                comments.pop(code, None)
                if chosen:
                    stored[code] = list(chosen)
                if comment:
                    comments[code] = comment
            # As in every questionnaire, questions the answers now hide keep no answer.
            for code in hidden_codes(view, {c: tuple(v) for c, v in stored.items()}):
                stored.pop(code, None)
                comments.pop(code, None)
            _store(request, bank, stored, comments)
            action = request.POST.get("action", "next")
            if action == "back" and number > 1:
                return redirect("admin:assess_questionbank_preview_section", bank.pk, number - 1)
            if action == "next" and number < len(view.sections):
                return redirect("admin:assess_questionbank_preview_section", bank.pk, number + 1)
            return redirect("admin:assess_questionbank_preview_review", bank.pk)
    else:
        form = SectionForm(initial=SectionForm.initial_for(questions, answers), questions=questions)
    context = _base_context(bank, view)
    answered, question_count = progress(view, codes)
    context.update(
        {
            "section": current,
            "number": number,
            "form": form,
            "rows": form.rows(),
            "answered": answered,
            "question_count": question_count,
        }
    )
    return render(request, "assess/preview_section.html", context)


def preview_review(request, pk):
    bank, view = _load(request, pk)
    if view is None:
        return _unusable(request, bank)
    stored, comments = _stored(request, bank)
    answers = _answers(view, stored, comments)
    codes = answer_codes(answers)
    sections, missing = review_sheet(view, answers)
    result = rules.evaluate(view.definition, codes, None, catalogue()).as_dict()
    labels = rules.dimension_labels()
    context = _base_context(bank, view)
    context.update(
        {
            "review_sections": sections,
            "missing": missing,
            "result": result,
            "outcome_label": rules.outcome_labels()[result["outcome"]],
            "dimension_rows": [
                {"label": labels[d], **result["scores"][d]} for d in rules.DIMENSIONS
            ],
            "problems": publish_problems(bank) if bank.is_draft else [],
        }
    )
    return render(request, "assess/preview_review.html", context)


@require_POST
def preview_restart(request, pk):
    bank = get_bank_for_editor(request, pk)
    request.session.pop(_session_key(bank), None)
    return redirect("admin:assess_questionbank_preview_section", bank.pk, 1)
