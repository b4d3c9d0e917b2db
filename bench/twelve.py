"""The questionnaire step the benchmarks measure: a bank whose one section has 12 questions,
a member and a half-answered assessment; and the hand-written template page of the same size
they are compared with. Needs Django set up (the benchmark scripts do it)."""

from django.core.management import call_command
from django.template import engines

# The baseline: the same 12 questions in the same page structure (head, navigation, a card
# with a fieldset per question, comment boxes, buttons), written by hand as one template with
# plain loops: no view logic, no form, no database.
BASELINE_SOURCE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{{ title }}</title>
<link rel="stylesheet" href="/static/vendor/bootstrap/css/bootstrap.min.css">
<link rel="stylesheet" href="/static/css/app.css"></head><body>
<a class="visually-hidden-focusable skip-link" href="#main">Skip to main content</a>
<header><nav class="navbar navbar-expand-md app-navbar" aria-label="Main"><div class="container">
<a class="navbar-brand fw-semibold" href="/">Alliance Readiness</a></div></nav></header>
<main id="main" class="container py-4" tabindex="-1">
<nav aria-label="Sections" class="mb-3"><p class="fw-semibold mb-1">Section 1 of 1</p>
<ol class="progress-steps"><li><span aria-current="step">1. {{ title }}</span></li></ol></nav>
<h1 class="h3">{{ title }}</h1><form method="post">
{% for q in questions %}<div class="card card-question mb-3 question" id="q-{{ q.code }}">
<div class="card-body"><fieldset aria-describedby="help-{{ q.code }}"><legend>{{ q.text }}</legend>
<p class="form-text mt-0" id="help-{{ q.code }}">{{ q.help }}</p>
{% for c in q.choices %}<div class="form-check"><input class="form-check-input" type="radio"
 name="q_{{ q.code }}" id="q-{{ q.code }}-{{ c.code }}" value="{{ c.code }}"
 {% if c.checked %}checked{% endif %}>
<label class="form-check-label" for="q-{{ q.code }}-{{ c.code }}">{{ c.label }}</label></div>
{% endfor %}</fieldset><details class="mt-2"><summary class="small">Add a comment</summary>
<label class="form-label small mt-2" for="id_c_{{ q.code }}">Comment on {{ q.code }}</label>
<textarea class="form-control" rows="2" name="c_{{ q.code }}" id="id_c_{{ q.code }}"
 maxlength="4000">{{ q.comment }}</textarea></details></div></div>{% endfor %}
<div class="actions-bar my-4"><button class="btn btn-primary" type="submit" name="action"
 value="next">Save and continue</button></div></form></main>
<footer class="container py-4 small text-body-secondary border-top">A self-assessment.</footer>
<script src="/static/js/questionnaire.js" defer></script></body></html>"""


def baseline_template():
    return engines["django"].from_string(BASELINE_SOURCE)


def baseline_context():
    """The same 12 questions as `build` makes, as plain data."""
    return {
        "title": "Twelve questions",
        "questions": [
            {
                "code": f"Q{i:02d}",
                "text": question_text(i),
                "help": HELP,
                "choices": [
                    {"code": f"c{j}", "label": f"Answer {j} for question {i}"} for j in range(4)
                ]
                + [{"code": "unknown", "label": "Don't know"}],
            }
            for i in range(12)
        ],
    }


HELP = "Pick the answer closest to where you are today."


def question_text(i):
    return f"Question number {i}: how far along is this part of your security work?"


def build():
    from django.contrib.auth import get_user_model

    from assess.banks.format import DATA_DIR, load_json
    from assess.banks.store import bank_import
    from assess.models import Assessment
    from assess.services import answers_save, organization_create

    call_command("migrate", verbosity=0)
    thresholds = load_json(DATA_DIR / "default_bank.json")["bank"]["thresholds"]

    def question(i):
        return {
            "code": f"Q{i:02d}",
            "text": question_text(i),
            "help": HELP,
            "choices": [
                {
                    "code": f"c{j}",
                    "label": f"Answer {j} for question {i}",
                    "points": {
                        "capacity": j,
                        "sharing_tolerance": 4 - j,
                        "commitment_tolerance": 4 - j,
                        "exposure": j % 3,
                        "geopolitical_exposure": 1,
                    },
                }
                for j in range(4)
            ]
            + [{"code": "unknown", "label": "Don't know", "is_unknown": True}],
        }

    bank = bank_import(
        {
            "format": "alliance-bank",
            "format_version": 2,
            "bank": {
                "slug": "bench",
                "name": "Bench",
                "version": 1,
                "thresholds": thresholds,
                "sections": [
                    {
                        "code": "twelve",
                        "title": "Twelve questions",
                        "questions": [question(i) for i in range(12)],
                    }
                ],
            },
        }
    )
    user = get_user_model().objects.create_user("bench@example.org", "bench@example.org", "x")
    org = organization_create(
        user=user, name="Bench Org", sector="energy", size_band="large", countries=["GB"]
    )
    assessment = Assessment.objects.create(organization=org, bank=bank, created_by=user)
    answers_save(
        assessment=assessment,
        section_number=1,
        values={f"Q{i:02d}": ((f"c{i % 4}",), "A comment") for i in range(6)},
    )
    return user, assessment
