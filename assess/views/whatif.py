"""What if: change any answers hypothetically and see the recommendation they would give.

Nothing is saved: a CISO can test "what if we had a response team?" in front of the board."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from assess import rules
from assess.access import get_assessment_for_user
from assess.forms import SectionForm
from assess.rules import legacy
from assess.selectors import answer_codes, answers_of, bank_view, catalogue


def _codes_from(form, questions):
    codes = {}
    for q in questions:
        picked = form.cleaned_data.get(f"q_{q.code}") or ()
        if isinstance(picked, str):
            picked = (picked,) if picked else ()
        if picked:
            codes[q.code] = tuple(picked)
    return codes


@login_required
@require_http_methods(["GET", "POST"])
def what_if(request, code):
    assessment = get_assessment_for_user(request, code)
    view = bank_view(assessment.bank)
    actual = answer_codes(answers_of(assessment, view))
    profile = assessment.organization.profile()
    alliances = catalogue()
    # A submitted result is compared as frozen, unless it was frozen under rules that scored
    # other dimensions: then today's rules score the same answers, and the page says so.
    rescored = not assessment.is_draft and legacy.is_legacy(assessment.result)
    if assessment.is_draft or rescored:
        now = rules.evaluate(
            view.definition, actual, profile, alliances, with_sensitivity=False
        ).as_dict()
    else:
        now = assessment.result
    initial = {
        f"q_{q.code}": list(actual.get(q.code, ()))
        if q.kind == "multi"
        else (actual.get(q.code) or ("",))[0]
        for q in view.questions
    }
    form = SectionForm(request.POST or None, initial=initial, questions=view.questions)
    outcome = changes = None
    if request.method == "POST" and form.is_valid():
        hypothetical = _codes_from(form, view.questions)
        outcome = rules.evaluate(
            view.definition, hypothetical, profile, alliances, with_sensitivity=False
        ).as_dict()
        changes = [
            {"question": q, "before": actual.get(q.code, ()), "after": hypothetical.get(q.code, ())}
            for q in view.questions
            if set(actual.get(q.code, ())) != set(hypothetical.get(q.code, ()))
        ]
        for change in changes:
            labels = {c.code: c.label for c in change["question"].choice_list}
            change["before"] = "; ".join(labels[c] for c in change["before"] if c in labels)
            change["after"] = "; ".join(labels[c] for c in change["after"] if c in labels)
    rows = form.rows()
    sections = [
        {"section": s, "rows": [r for r in rows if r["question"].section_id == s.id]}
        for s in view.sections
    ]
    labels = rules.dimension_labels()
    compare = None
    if outcome:
        compare = [
            {
                "label": labels[d],
                "now": now["scores"][d]["score"],
                "then": outcome["scores"][d]["score"],
            }
            for d in rules.DIMENSIONS
        ]
    return render(
        request,
        "assess/what_if.html",
        {
            "assessment": assessment,
            "org": assessment.organization,
            "form": form,
            "sections": sections,
            "now": now,
            "now_label": rules.outcome_labels()[now["outcome"]],
            "rescored": rescored,
            "outcome": outcome,
            "outcome_label": rules.outcome_labels()[outcome["outcome"]] if outcome else "",
            "changes": changes,
            "compare": compare,
        },
    )
