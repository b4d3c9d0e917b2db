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
from django.test import Client  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from assess.models import ReportPDF  # noqa: E402
from assess.report import storage  # noqa: E402
from bench.full import full_assessment, submitted_copies  # noqa: E402


def main(n):
    done = submitted_copies(*full_assessment("Burst Holdings"), n)
    user = done[0].submitted_by
    storage.report_pdf(done[0])  # warm-up: the WeasyPrint import
    ReportPDF.objects.all().delete()
    t0 = time.perf_counter()
    storage.report_pdf(done[0])
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
