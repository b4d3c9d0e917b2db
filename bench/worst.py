"""The largest report the bank limits allow (assess/banks/limits.py): every text at its limit and
written as one unbroken word (what WeasyPrint lays out slowest), every list at its size limit,
every question answered with every choice and a comment at the comment limit. The test
tests/test_render_limits.py and the benchmark bench_pdf render it."""

import string

from assess.banks.limits import COUNT_LIMITS, TEXT_LIMITS
from assess.questionnaire.forms import COMMENT_MAX
from assess.vocabulary import DIMENSIONS


def word(n, seed=0):
    """n characters without a space or hyphen."""
    letters = string.ascii_letters
    return "".join(letters[(i + seed) % len(letters)] for i in range(n))


def worst_bank_document(slug="worst"):
    n_sections, n_questions = COUNT_LIMITS["sections"], COUNT_LIMITS["questions"]
    per_section = -(-n_questions // n_sections)
    sections, made = [], 0
    for s in range(n_sections):
        questions = []
        for _ in range(per_section):
            if made == n_questions:
                break
            made += 1
            questions.append(
                {
                    "code": f"Q{made:03d}",
                    "text": word(TEXT_LIMITS["question.text"], made),
                    "help": word(TEXT_LIMITS["question.help"], made),
                    "kind": "multi",
                    "choices": [
                        {
                            "code": f"c{c}",
                            "label": word(TEXT_LIMITS["choice.label"], c),
                            "points": dict.fromkeys(DIMENSIONS, 2),
                            "tags": [
                                word(TEXT_LIMITS["tag"], t) for t in range(COUNT_LIMITS["tags"])
                            ],
                        }
                        for c in range(COUNT_LIMITS["choices"])
                    ],
                }
            )
        sections.append(
            {
                "code": f"s{s}",
                "title": word(TEXT_LIMITS["section.title"], s),
                "intro": word(TEXT_LIMITS["section.intro"], s),
                "questions": questions,
            }
        )
    step = {
        "window": word(TEXT_LIMITS["plan.window"]),
        "action": word(TEXT_LIMITS["plan.action"]),
        "owner": "ciso",
        "keep": word(TEXT_LIMITS["plan.keep"]),
    }
    from assess.banks.format import PLAN_KEYS

    return {
        "format": "alliance-bank",
        "format_version": 1,
        "bank": {
            "slug": slug,
            "name": word(TEXT_LIMITS["bank.name"]),
            "version": 1,
            "description": word(TEXT_LIMITS["bank.description"]),
            "thresholds": {
                "operational_capacity": 40,
                "contributing_capacity": 60,
                "contributing_risk_tolerance": 50,
                "normative_exposure": 40,
                "normative_risk_tolerance": 40,
                "signatory_exposure": 60,
                "signatory_risk_tolerance": 60,
                "geopolitical_high": 60,
                "geopolitical_override_risk_tolerance": 70,
                "risk_tolerance_low": 30,
                "min_confidence": 50,
                "min_answered_share": 50,
            },
            "plans": {key: [step] * COUNT_LIMITS["plan_steps"] for key in PLAN_KEYS},
            "caveats": [
                {
                    "code": f"cv{i}",
                    "text": word(TEXT_LIMITS["caveat.text"], i),
                    "source": "https://example.org/" + word(TEXT_LIMITS["caveat.source"] - 20, i),
                    "as_of": word(TEXT_LIMITS["caveat.as_of"]),
                }
                for i in range(COUNT_LIMITS["caveats"])
            ],
            "sections": sections,
        },
    }


def worst_answers(view):
    """{section number: values for answers_save}: every choice of every question, and a
    comment at the limit."""
    return {
        number: {
            q.code: (tuple(c.code for c in q.choice_list), word(COMMENT_MAX, i))
            for i, q in enumerate(section.question_list)
        }
        for number, section in enumerate(view.sections, start=1)
    }


def worst_assessment(user, organization):
    """A submitted assessment of the worst-case bank, imported and published first."""
    from assess.banks.store import bank_import
    from assess.selectors import bank_view
    from assess.services import answers_save, assessment_start, assessment_submit

    bank = bank_import(worst_bank_document())
    assessment = assessment_start(organization=organization, user=user, bank=bank)
    for number, values in worst_answers(bank_view(bank)).items():
        answers_save(assessment=assessment, section_number=number, values=values)
    return assessment_submit(assessment=assessment, user=user)
