"""The questionnaire runner: one section page, for every page that asks questions.

A view loads and authorises, picks where the answers live (an `AnswerStore`: the assessment's
own answers, a workshop participant's, or a bank preview's in the editor's session) and hands
the page to `questionnaire_step`, so no view module needs another and every questionnaire
follows the same rules: the same form, the same initial values, and answers that a condition
now hides are dropped on save (`selectors.hidden_codes`)."""

from contextlib import contextmanager

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from assess.questionnaire.forms import SectionForm
from assess.selectors import (
    SavedAnswer,
    answer_codes,
    answers_of,
    bank_view,
    hidden_codes,
    page_questions,
    progress,
    progress_rules,
)
from assess.services import ServiceError, answers_hold, answers_save


class AssessmentAnswers:
    """An assessment's own answers (a workshop's consensus), or one participant's, in the
    database."""

    def __init__(self, assessment, participant=None):
        self.assessment, self.participant = assessment, participant
        self.held = None

    def load(self, view):
        return answers_of(self.assessment, view, self.participant)

    @contextmanager
    def saving(self, view):
        """A transaction holding the save's locks, giving the answers read under them: the
        page validates its form on these and `save` writes from them (one read, not two).
        May refuse with a ServiceError whose message says why."""
        with transaction.atomic():
            self.held = answers_hold(
                assessment=self.assessment, view=view, participant=self.participant
            )
            try:
                yield self.held.answers
            finally:
                self.held = None

    def save(self, view, number, values):
        """May refuse with a ServiceError whose message says why."""
        answers_save(
            assessment=self.assessment,
            section_number=number,
            values=values,
            participant=self.participant,
            view=view,
            held=self.held,
        )


class SessionAnswers:
    """A bank preview's answers, in the editor's session under `key`: the bank and the
    database stay untouched."""

    def __init__(self, session, key):
        self.session, self.key = session, key

    def _stored(self):
        data = self.session.get(self.key) or {}
        return dict(data.get("answers", {})), dict(data.get("comments", {}))

    def load(self, view):
        stored, comments = self._stored()
        out = {}
        for q in view.questions:
            picked = [c.code for c in q.choice_list if c.code in set(stored.get(q.code, ()))]
            if picked or comments.get(q.code):
                out[q.code] = SavedAnswer(picked, comments.get(q.code, ""))
        return out

    @contextmanager
    def saving(self, view):
        yield self.load(view)

    def save(self, view, number, values):
        stored, comments = self._stored()
        for code, (chosen, comment) in values.items():
            stored.pop(code, None)
            comments.pop(code, None)
            if chosen:
                stored[code] = list(chosen)
            if comment:
                comments[code] = comment
        for code in hidden_codes(view, {c: tuple(v) for c, v in stored.items()}):
            stored.pop(code, None)
            comments.pop(code, None)
        self.session[self.key] = {"answers": stored, "comments": comments}

    def clear(self):
        self.session.pop(self.key, None)


def saving_in_background(request):
    """Whether static/js/questionnaire.js sent this save (it keeps the page if it fails)."""
    return request.headers.get("X-Save-Mode") == "background"


def refused_in_background(message):
    return HttpResponse(message, status=409, content_type="text/plain; charset=utf-8")


def questionnaire_step(
    request, *, view, store, number, after, template="assess/section.html", context=None
):
    """One questionnaire page over `store`, rendered with `template` and `context` besides
    the page's own.

    `after(action)` gives the response once the page is saved: the action is "back",
    "next", "later" or "review" ("back" on the first page is "next", "next" on the last is
    "review")."""
    current = view.section(number)
    if current is None:
        raise Http404
    if request.method == "POST":
        try:
            with store.saving(view) as answers:
                codes = answer_codes(answers)
                questions = page_questions(view, current, codes)
                form = SectionForm(request.POST, questions=questions)
                saved = form.is_valid()
                if saved:
                    store.save(view, number, form.values())
        except ServiceError as e:
            if saving_in_background(request):
                return refused_in_background(str(e))
            messages.error(request, str(e))
            return redirect(request.path)
        if saved:
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
        answers = store.load(view)
        codes = answer_codes(answers)
        questions = page_questions(view, current, codes)
        form = SectionForm(initial=SectionForm.initial_for(questions, answers), questions=questions)
    answered, question_count = progress(view, codes)
    ctx = {
        **(context or {}),
        "section": current,
        "number": number,
        "total": len(view.sections),
        "sections": view.sections,
        "form": form,
        "rows": form.rows(),
        "answered": answered,
        "question_count": question_count,
        "progress_rules": progress_rules(view, current, codes),
        "conditional": any(q.show_if_code for q in view.questions),
    }
    return render(request, template, ctx)


def moves(number, *, section, done, later=None):
    """`after` for `questionnaire_step`: "back" and "next" go to the section before or after,
    "later" to `later()` (else as "review"), "review" to `done()`. `section(n)` and `done()`
    give the responses."""

    def after(action):
        if action == "back":
            return section(number - 1)
        if action == "next":
            return section(number + 1)
        if action == "later" and later is not None:
            return later()
        return done()

    return after


def member_step(request, *, assessment, number, after, step_base, participant=None, closed=False):
    """The page for a member answering the organisation's assessment, or a workshop
    participant answering on their own."""
    return questionnaire_step(
        request,
        view=bank_view(assessment.bank),
        store=AssessmentAnswers(assessment, participant),
        number=number,
        after=after,
        context={
            "assessment": assessment,
            "org": assessment.organization,
            "participant": participant,
            "closed": closed,
            "step_base": step_base,
        },
    )
