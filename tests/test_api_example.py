"""The example script of docs/api.md, run as it is printed there, against a live server."""

import csv
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import translation

from assess.models import Assessment
from assess.report import storage
from tests.api_helpers import submitted_assessment, token_for

DOC = Path(__file__).resolve().parent.parent / "docs" / "api.md"


def _script():
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 1
    return blocks[0]


@pytest.fixture
def live(live_server, transactional_db):
    return live_server.url


def test_the_example_script_pulls_every_result_and_its_pdf(live, org, owner, bank, tmp_path):
    done = [
        submitted_assessment(
            Assessment.objects.create(organization=org, bank=bank, created_by=owner), owner
        )
        for _ in range(2)
    ]
    for assessment in done:  # made beforehand, so the script never waits for a worker
        with translation.override("en"):
            storage.report_pdf(assessment)
    script = tmp_path / "results_to_csv.py"
    script.write_text(_script(), encoding="utf-8")
    pdfs = tmp_path / "pdfs"
    pdfs.mkdir()
    env = {
        **os.environ,
        "API_URL": live,
        "API_TOKEN": token_for(org, owner, "read"),
        "ORG": str(org.code),
        "PDF_DIR": str(pdfs),
    }
    out = tmp_path / "results.csv"
    run = subprocess.run(
        [sys.executable, str(script), str(out)], env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert "2 results written" in run.stdout
    with open(out, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {r["assessment"] for r in rows} == {str(a.code) for a in done}
    by_code = {r["assessment"]: r for r in rows}
    for assessment in done:
        row, frozen = by_code[str(assessment.code)], assessment.result
        assert row["outcome"] == frozen["outcome"]
        assert float(row["capacity_score"]) == frozen["scores"]["capacity"]["score"]
        assert row["bodies"].split("; ")[0] == frozen["alliances"][0]["name"]
    for assessment in done:
        assert (pdfs / f"{assessment.code}.pdf").read_bytes().startswith(b"%PDF")
