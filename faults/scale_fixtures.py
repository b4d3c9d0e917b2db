"""Run inside a Django process (python -m faults.scale_fixtures COMMAND ...) against the
database in DATABASE_URL; prints JSON. For the busy-day load (faults/scale.py) and the
two-server test (tests/test_two_servers.py).

    workshops W      W facilitators (fac<i>@example.com, password PASSWORD), each with an
                     organisation and an open workshop on the default bank
    submitted        one facilitator with a submitted self-assessment (its PDF not made yet)
    pdfs             per submitted assessment: stored PDFs and render tasks queued"""

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assess.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from assess.models import Assessment, ReportPDF  # noqa: E402
from assess.selectors import bank_view  # noqa: E402
from assess.services import (  # noqa: E402
    assessment_start,
    assessment_submit,
    organization_create,
    workshop_start,
)
from faults.fixtures import section_fields  # noqa: E402

PASSWORD = "Scale-test-horse-9"  # noqa: S105 (a throwaway account in a throwaway database)


def _facilitator(i):
    email = f"fac{i}@example.com"
    user = get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)
    org = organization_create(
        user=user, name=f"Client {i} Ltd", sector="retail", size_band="medium", countries=["FR"]
    )
    return user, org


def _bank_fields(view):
    return {
        "sections": {str(n): section_fields(view, n) for n in range(1, len(view.sections) + 1)},
        "questions": {
            str(n): [q.code for q in view.section(n).question_list]
            for n in range(1, len(view.sections) + 1)
        },
        "unknown": {q.code: c.code for q in view.questions for c in q.choice_list if c.is_unknown},
    }


def workshops(count):
    out = []
    view = None
    for i in range(count):
        user, org = _facilitator(i)
        workshop = workshop_start(organization=org, user=user)
        view = view or bank_view(workshop.assessment.bank)
        out.append(
            {
                "email": user.email,
                "join_token": workshop.join_token,
                "join_code": workshop.short_code,
                "assessment": str(workshop.assessment.code),
            }
        )
    return {"password": PASSWORD, "workshops": out, **_bank_fields(view)}


def submitted():
    user, org = _facilitator("pdf")
    assessment = assessment_start(organization=org, user=user)
    assessment_submit(assessment=assessment, user=user)
    return {"email": user.email, "password": PASSWORD, "assessment": str(assessment.code)}


def pdfs():
    tasks = {}
    for row in DBTaskResult.objects.values_list("args_kwargs", flat=True):
        args = (row or {}).get("args") or []
        if args:
            tasks[args[0]] = tasks.get(args[0], 0) + 1
    out = {}
    for pk, code in Assessment.objects.submitted().values_list("pk", "code"):
        out[str(code)] = {
            "stored": ReportPDF.objects.filter(assessment_id=pk).count(),
            "tasks": tasks.get(pk, 0),
        }
    return out


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "workshops":
        print(json.dumps(workshops(int(sys.argv[2]))))
    elif command == "submitted":
        print(json.dumps(submitted()))
    else:
        print(json.dumps(pdfs()))
