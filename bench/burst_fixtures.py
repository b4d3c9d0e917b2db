"""Run inside a Django process (python -m bench.burst_fixtures N) against DATABASE_URL: N
submitted assessments whose PDFs are not made yet, a signed-in owner, and the time one
render takes in process; JSON on stdout."""

import json
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assess.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from assess import reports  # noqa: E402
from assess.models import Membership, Organization, QuestionBank, ReportPDF  # noqa: E402
from assess.selectors import bank_view  # noqa: E402
from assess.services import (  # noqa: E402
    answers_save,
    assessment_copy,
    assessment_start,
    assessment_submit,
)


def main(n):
    user = get_user_model().objects.create_user(
        username="burst@example.com", email="burst@example.com", first_name="Bea"
    )
    org = Organization.objects.create(
        name="Burst Holdings", sector="energy", size_band="large", countries=["DE", "FR"]
    )
    Membership.objects.create(user=user, organization=org, role=Membership.Role.OWNER)
    first = assessment_start(organization=org, user=user, bank=QuestionBank.objects.current())
    view = bank_view(first.bank)
    for number, section in enumerate(view.sections, start=1):
        values = {}
        for q in section.question_list:
            known = [c for c in q.choice_list if not c.is_unknown and c.code != "none"]
            values[q.code] = ((known[-1].code,), "Discussed with the SOC lead.")
        answers_save(assessment=first, section_number=number, values=values)
    done = [assessment_submit(assessment=first, user=user)]
    for _ in range(n - 1):
        copy = assessment_copy(assessment=done[0], user=user)
        done.append(assessment_submit(assessment=copy, user=user))
    reports.report_pdf(done[0])  # warm-up: the WeasyPrint import
    ReportPDF.objects.all().delete()
    t0 = time.perf_counter()
    reports.report_pdf(done[0])
    inline_ms = (time.perf_counter() - t0) * 1000
    ReportPDF.objects.all().delete()
    DBTaskResult.objects.all().delete()  # nothing queued until the burst asks
    client = Client()
    client.force_login(user)
    return {
        "codes": [str(a.code) for a in done],
        "cookie": f"{settings.SESSION_COOKIE_NAME}="
        f"{client.cookies[settings.SESSION_COOKIE_NAME].value}",
        "inline_render_ms": inline_ms,
    }


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]))))
