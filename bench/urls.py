"""The app's URLs plus the two hand-written pages the questionnaire step is compared with:

- /bench/baseline/: the same 12 questions as a static page (no sign-in, no database);
- /bench/baseline/<code>/: the same request as the step (signed-in member, the assessment and
  its answers loaded, with the same access check) rendered by the hand-written template, so
  the difference is what the questionnaire's own rendering costs."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

from assess.access import get_assessment_for_user
from assess.selectors import answers_of, bank_view
from assess.urls import urlpatterns as app_urlpatterns
from bench.twelve import baseline_context, baseline_template

_template = baseline_template()
_context = baseline_context()


def baseline(request):
    return HttpResponse(_template.render(_context, request))


@login_required
def baseline_same_data(request, code):
    assessment = get_assessment_for_user(request, code)
    view = bank_view(assessment.bank)
    answers = answers_of(assessment, view)
    questions = [
        {
            "code": q.code,
            "text": q.text,
            "help": q.help,
            "choices": [
                {
                    "code": c.code,
                    "label": c.label,
                    "checked": q.code in answers and c.code in answers[q.code].choice_codes,
                }
                for c in q.choice_list
            ],
            "comment": answers[q.code].comment if q.code in answers else "",
        }
        for q in view.section(1).question_list
    ]
    ctx = {"title": view.section(1).title, "questions": questions}
    return HttpResponse(_template.render(ctx, request))


urlpatterns = [
    path("bench/baseline/", baseline),
    path("bench/baseline/<uuid:code>/", baseline_same_data),
    *app_urlpatterns,
]
