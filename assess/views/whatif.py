"""What if: change any answers hypothetically and see the recommendation they would give.

Nothing is saved: a CISO can test "what if we had a response team?" in front of the board.

The page posts every answer at once. Its verdict (the outcome they give, what changed against
the saved or submitted answers) is a partial that the page's script asks `what_if_verdict` for
on each change; without JavaScript the page's own button posts the form and the page comes back
with the same partial. Resetting is loading the page again; clearing a question is a button that
posts the form without that question's answer."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST

from assess.access import get_assessment_for_user
from assess.questionnaire.whatif import WhatIf, answer_labels


def _posted(request):
    return request.POST if request.method == "POST" else None


@login_required
@require_http_methods(["GET", "POST"])
def what_if(request, code):
    w = WhatIf(get_assessment_for_user(request, code), _posted(request))
    changed = w.changed_codes()
    rows = w.form.rows()
    for row in rows:
        q = row["question"]
        row["changed"] = q.code in changed
        row["submitted"] = answer_labels(q, w.actual.get(q.code, ()))
        row["submitted_codes"] = set(w.actual.get(q.code, ()))
    sections = [
        {"section": s, "rows": [r for r in rows if r["question"].section_id == s.id]}
        for s in w.view.sections
    ]
    return render(
        request,
        "assess/what_if.html",
        {
            **w.verdict(),
            "org": w.assessment.organization,
            "form": w.form,
            "sections": sections,
            "cleared": w.cleared,
        },
    )


@login_required
@require_POST
def what_if_verdict(request, code):
    """The verdict alone, for the page's script: the same rules on the server, no copy of
    them in the browser. Answers that are not valid choices get a 400 and a message."""
    w = WhatIf(get_assessment_for_user(request, code), _posted(request))
    return render(
        request,
        "assess/_what_if_verdict.html",
        w.verdict(),
        status=200 if w.valid else 400,
    )
