"""The questionnaire page shared by a member answering their organisation's assessment
(views/assessments.py) and a workshop participant answering on their own
(views/workshops.py): each view loads and authorises, then hands the page to this module, so
no view module needs another."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from assess.forms import SectionForm
from assess.selectors import answer_codes, answers_of, bank_view, page_questions, progress
from assess.services import ServiceError, answers_save


def saving_in_background(request):
    """Whether static/js/questionnaire.js sent this save (it keeps the page if it fails)."""
    return request.headers.get("X-Save-Mode") == "background"


def refused_in_background(message):
    return HttpResponse(message, status=409, content_type="text/plain; charset=utf-8")


def questionnaire_step(
    request, *, assessment, number, step_base, after, participant=None, closed=False
):
    """One questionnaire page, for the assessment's own answers or a workshop participant's.

    `after(action)` gives the response once the page is saved: the action is "back",
    "next", "later" or "review"."""
    view = bank_view(assessment.bank)
    current = view.section(number)
    if current is None:
        raise Http404
    answers = answers_of(assessment, view, participant)
    codes = answer_codes(answers)
    questions = page_questions(view, current, codes)
    if request.method == "POST":
        form = SectionForm(request.POST, questions=questions)
        if form.is_valid():
            try:
                answers_save(
                    assessment=assessment,
                    section_number=number,
                    values=form.values(),
                    participant=participant,
                )
            except ServiceError as e:
                if saving_in_background(request):
                    return refused_in_background(str(e))
                messages.error(request, str(e))
                return redirect(request.path)
            action = request.POST.get("action", "next")
            if action == "back" and number == 1:
                action = "next"
            if action == "next" and number == len(view.sections):
                action = "review"
            response = after(action)
            if saving_in_background(request):
                # The page's script saved in the background: tell it where to go, rather
                # than redirect (fetch would follow it and use up the page's messages).
                return HttpResponse(status=204, headers={"X-Next": response.url})
            return response
    else:
        form = SectionForm(initial=SectionForm.initial_for(questions, answers), questions=questions)
    answered, question_count = progress(view, codes)
    ctx = {
        "assessment": assessment,
        "org": assessment.organization,
        "participant": participant,
        "closed": closed,
        "section": current,
        "number": number,
        "total": len(view.sections),
        "sections": view.sections,
        "form": form,
        "rows": form.rows(),
        "answered": answered,
        "question_count": question_count,
        "step_base": step_base,
    }
    return render(request, "assess/section.html", ctx)
