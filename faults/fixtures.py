"""Run inside a Django process (python -m faults.fixtures prepare N | stored) against the
database in DATABASE_URL: set up a workshop, or dump what was stored, as JSON on stdout."""

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assess.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402

from assess.models import Answer, Participant  # noqa: E402
from assess.selectors import bank_view  # noqa: E402
from assess.services import organization_create, participant_join, workshop_start  # noqa: E402


def section_fields(view, number):
    """The form fields answering every question of a section with its last known choice."""
    fields = [("action", "next")]
    for q in view.section(number).question_list:
        known = [c for c in q.choice_list if not c.is_unknown and c.code != "none"]
        fields.append((f"q_{q.code}", known[-1].code))
    return fields


def prepare(participants):
    user = get_user_model().objects.create_user(
        username="faults@example.com", email="faults@example.com", password=None
    )
    org = organization_create(
        user=user, name="Faults Ltd", sector="retail", size_band="small", countries=["FR"]
    )
    workshop = workshop_start(organization=org, user=user)
    view = bank_view(workshop.assessment.bank)
    people = [
        participant_join(workshop=workshop, name=f"P{i}", role="other") for i in range(participants)
    ]
    return {
        "join_token": workshop.join_token,
        "tokens": [p.token for p in people],
        "sections": {str(n): section_fields(view, n) for n in range(1, len(view.sections) + 1)},
        "questions": {
            str(n): [q.code for q in view.section(n).question_list]
            for n in range(1, len(view.sections) + 1)
        },
    }


def stored():
    """token -> section number -> the comments stored with that participant's answers."""
    out = {}
    views = {}
    rows = Answer.objects.filter(participant__isnull=False).values_list(
        "participant__token", "question__code", "comment", "assessment__bank_id"
    )
    for token, code, comment, bank_id in rows:
        if bank_id not in views:
            from assess.models import QuestionBank

            view = bank_view(QuestionBank.objects.get(pk=bank_id))
            views[bank_id] = {
                q.code: str(n)
                for n in range(1, len(view.sections) + 1)
                for q in view.section(n).question_list
            }
        out.setdefault(token, {}).setdefault(views[bank_id][code], []).append(comment)
    return {"answers": out, "participants": Participant.objects.count()}


if __name__ == "__main__":
    if sys.argv[1] == "prepare":
        print(json.dumps(prepare(int(sys.argv[2]))))
    else:
        print(json.dumps(stored()))
