"""Backups (assess.operations.backups, `make backup` / `make restore`): a database restored
from a backup serves the same result page and the same PDF, on SQLite (the online backup
API) and on PostgreSQL (pg_dump / pg_restore) alike, whichever the suite runs on."""

import re

import pytest
from django.core.management import CommandError, call_command

from assess.models import Assessment, ReportPDF
from tests.conftest import run_queued_tasks, signed_in
from tests.test_report import submitted

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def page_and_pdf(client, assessment):
    page = client.get(f"/a/{assessment.code}/result/")
    pdf = client.get(f"/a/{assessment.code}/report.pdf")
    assert page.status_code == 200 and pdf.status_code == 200
    return CSRF.sub("", page.text), pdf.content


@pytest.mark.django_db(transaction=True)
def test_a_restored_database_serves_the_same_result_page_and_pdf(
    client, owner, assessment, tmp_path
):
    a = submitted(assessment, owner)
    assert run_queued_tasks() == 1
    signed_in(client, owner)
    before = page_and_pdf(client, a)
    assert before[1].startswith(b"%PDF-")

    call_command("backup", str(tmp_path / "backup"))
    Assessment.objects.all().delete()  # lost after the backup
    assert client.get(f"/a/{a.code}/result/").status_code == 404

    call_command("restore", str(tmp_path / "backup"), "--yes")
    assert ReportPDF.objects.filter(assessment__code=a.code).exists()
    assert page_and_pdf(client, a) == before


def test_restore_asks_for_yes_and_a_file_that_exists(db, tmp_path):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path / "nothing"))
    with pytest.raises(CommandError, match="No backup at"):
        call_command("restore", str(tmp_path / "nothing"), "--yes")
