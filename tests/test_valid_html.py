"""Every page of the app outside the admin is valid HTML (Nu HTML Checker, one call)."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from assess.services import assessment_submit
from tests.conftest import answer_everything, signed_in

VNU = Path(__file__).resolve().parent.parent / "node_modules" / "vnu-jar" / "build" / "dist"


def _checker():
    jar = VNU / "vnu.jar"
    reason = None
    if not shutil.which("java"):
        reason = "java is not installed (apt-get install -y default-jre-headless)"
    elif not jar.exists():
        reason = "vnu-jar is not installed (npm ci)"
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the HTML check cannot run in CI: {reason}")
        pytest.skip(reason)
    return jar


def test_every_page_is_valid_html(client, owner, org, assessment, tmp_path):
    jar = _checker()
    pages = {
        "welcome": "/",
        "login": "/accounts/login/",
        "signup": "/accounts/signup/",
        "password-reset": "/accounts/password_reset/",
        "password-reset-done": "/accounts/password_reset/done/",
    }
    html = {name: client.get(path).content for name, path in pages.items()}
    signed_in(client, owner)
    view = answer_everything(client, assessment, pick="high")
    draft_pages = {
        f"section-{n}": f"/a/{assessment.code}/s/{n}/" for n in range(1, len(view.sections) + 1)
    }
    draft_pages |= {
        "dashboard": f"/orgs/{org.code}/",
        "organisation-new": "/orgs/new/",
        "organisation-edit": f"/orgs/{org.code}/edit/",
        "review": f"/a/{assessment.code}/review/",
        "what-if": f"/a/{assessment.code}/what-if/",
        "not-found": "/orgs/00000000-0000-0000-0000-000000000000/",
    }
    for name, path in draft_pages.items():
        html[name] = client.get(path).content
    assessment_submit(assessment=assessment, user=owner)
    for name, path in {
        "result": f"/a/{assessment.code}/result/",
        "report": f"/a/{assessment.code}/report/",
    }.items():
        html[name] = client.get(path).content
    files = []
    for name, content in html.items():
        target = tmp_path / f"{name}.html"
        target.write_bytes(content)
        files.append(str(target))
    run = subprocess.run(
        ["java", "-jar", str(jar), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    output = next((o for o in (run.stdout, run.stderr) if '"messages"' in o), None)
    assert output is not None, f"the checker said nothing useful: {run.stderr[-500:]}"
    messages = json.loads(output)["messages"]
    problems = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert problems == [], "\n".join(problems)
    assert len(files) >= 18
