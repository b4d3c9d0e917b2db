"""Every stored result becomes a version-2 snapshot (assess/snapshot.py), so that nothing
after submit needs the rules or the live answers:

- the map's regions are frozen from the result's own scores, thresholds and gates (the same
  rules that drew it before: `rules.maps` reads only the stored result);
- results frozen before the answer appendix was kept in them get it now, from their answers
  (which cannot change after submit) and the bank they were answered on, with the questions a
  condition hid left out, as the appendix always did;
- fields that results of older rules lack get the value those rules meant (no gates, nothing
  to find out, not a workshop), and their words are marked English, the only language then.
"""

from django.db import migrations

DEFAULTS = {
    "caps": {},
    "gates": [],
    "find_out": [],
    "sensitivity": [],
    "related": [],
    "tags": [],
    "missing_required": [],
    "provisional_dimensions": [],
    "open_dimensions": [],
    "open_gates": [],
    "plan": [],
    "caveats": [],
    "reasons": [],
    "alliances": [],
    "headline": "",
    "submitted_by": "",
    "operational_depth": "none",
    "normative_depth": "none",
    "confidence": 0.0,
    "answered": 0,
    "unknown": 0,
    "visible": 0,
    "workshop": None,
}


def _answer_sheet(apps, assessment):
    """The appendix as `selectors.answer_sheet` makes it, from the historical models."""
    Section = apps.get_model("assess", "Section")
    Answer = apps.get_model("assess", "Answer")
    sections = list(
        Section.objects.filter(bank_id=assessment.bank_id)
        .order_by("order", "id")
        .prefetch_related("questions__choices")
    )
    answers = {
        a.question_id: a
        for a in Answer.objects.filter(
            assessment_id=assessment.pk, participant__isnull=True
        ).prefetch_related("choices")
    }
    picked = {qid: {c.code for c in a.choices.all()} for qid, a in answers.items()}
    questions = {q.pk: q for s in sections for q in s.questions.all()}

    def visible(q, seen=frozenset()):
        if q.show_if_question_id is None:
            return True
        source = questions.get(q.show_if_question_id)
        if source is None or q.pk in seen or not visible(source, seen | {q.pk}):
            return False
        return bool(picked.get(source.pk, set()) & set(q.show_if_choices or ()))

    sheet = []
    for section in sections:
        rows = []
        for q in sorted(section.questions.all(), key=lambda q: (q.order, q.pk)):
            if not visible(q):
                continue
            answer = answers.get(q.pk)
            codes = picked.get(q.pk, set())
            rows.append(
                {
                    "code": q.code,
                    "text": q.text,
                    "answers": [
                        c.label
                        for c in sorted(q.choices.all(), key=lambda c: (c.order, c.pk))
                        if c.code in codes
                    ],
                    "comment": answer.comment if answer else "",
                    "required": q.required,
                }
            )
        sheet.append({"code": section.code, "title": section.title, "questions": rows})
    return sheet


def upgrade(apps, schema_editor):
    from assess.rules.maps import frozen_map

    Assessment = apps.get_model("assess", "Assessment")
    for assessment in Assessment.objects.filter(result__isnull=False).select_related("bank"):
        result = assessment.result
        if not isinstance(result, dict) or result.get("version", 1) >= 2:
            continue
        if "provisional" not in result:
            result["provisional"] = bool(result.get("insufficient"))
        for name, value in DEFAULTS.items():
            result.setdefault(name, value)
        result.setdefault("kind", assessment.kind)
        result.setdefault(
            "bank",
            {
                "slug": assessment.bank.slug,
                "version": assessment.bank.version,
                "name": assessment.bank.name,
            },
        )
        result.setdefault("rules_version", "")
        result.setdefault("thresholds", {})
        result.setdefault("organization", {"name": ""})
        if result.get("answers") is None:
            result["answers"] = _answer_sheet(apps, assessment)
        result["map"] = frozen_map(result).to_dict()
        result.update(version=2, language="en", texts={})
        Assessment.objects.filter(pk=assessment.pk).update(result=result)


class Migration(migrations.Migration):
    dependencies = [("assess", "0010_join_code_throttle")]

    operations = [migrations.RunPython(upgrade, migrations.RunPython.noop)]
