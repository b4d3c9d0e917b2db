"""Every page of the app outside the admin is valid HTML (Nu HTML Checker, one call)."""

import json
import re
import shutil
import subprocess
from pathlib import Path

from django.test import Client

from assess.models import Assessment, ReportPDF
from assess.report.storage import source_hash
from assess.services import assessment_submit, participant_join, workshop_start
from tests.conftest import NODE_MODULES, PASSWORD, answer_everything, needs, sent_mail, signed_in
from tests.peer_helpers import contributing_peers, earlier_result
from tests.two_factor_helpers import give_two_factor

VNU = NODE_MODULES / "vnu-jar" / "build" / "dist"


def _checker():
    jar = VNU / "vnu.jar"
    needs(shutil.which("java"), "java is not installed (apt-get install -y default-jre-headless)")
    needs(jar, "vnu-jar is not installed (npm ci)")
    return jar


def test_every_page_is_valid_html(client, owner, outsider, org, assessment, tmp_path):
    jar = _checker()
    pages = {
        "welcome": "/",
        "login": "/accounts/login/",
        "signup": "/accounts/signup/",
        "password-reset": "/accounts/password_reset/",
        "password-reset-done": "/accounts/password_reset/done/",
    }
    html = {name: client.get(path).content for name, path in pages.items()}
    html["signup-sent"] = client.post("/accounts/signup/", {"email": "new@corp.example"}).content
    link = re.search(r"https?://[^/\s]+(/accounts/signup/\S+/)", sent_mail()[-1].body)[1]
    html["signup-complete"] = client.get(link).content
    html["link-invalid"] = client.get("/accounts/signup/forged/").content
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
    workshop = workshop_start(organization=org, user=owner)
    person = participant_join(workshop=workshop, name="Pat <b>", role="risk")
    workshop_pages = {
        "workshop-board": f"/workshops/{workshop.assessment.code}/",
        "workshop-consensus": f"/workshops/{workshop.assessment.code}/consensus/",
        "workshop-presenter": f"/workshops/{workshop.assessment.code}/present/",
    }
    for name, path in workshop_pages.items():
        html[name] = client.get(path).content
    # The board's live part is a fragment the page's script swaps in: check it in a page.
    live = client.get(f"/workshops/{workshop.assessment.code}/?fragment=1").content
    html["workshop-board-live"] = (
        b'<!doctype html><html lang="en"><head><title>Board</title></head><body>'
        + live
        + b"</body></html>"
    )
    stranger = Client()
    stranger.force_login(outsider)
    html["invite"] = stranger.get(f"/orgs/join/{org.invite_token}/").content
    client.logout()
    for name, path in {
        "workshop-join": f"/w/{workshop.join_token}/",
        "workshop-code": "/join/",
        "workshop-invalid": "/w/nope/",
        "participant-section": f"/p/{person.token}/s/3/",
        "participant-done": f"/p/{person.token}/done/",
    }.items():
        html[name] = client.get(path).content
    signed_in(client, owner)
    assessment = assessment_submit(assessment=assessment, user=owner)
    contributing_peers(assessment)  # the result and report compare with peers
    earlier_result(assessment)  # the dashboard and report show a trend
    for name, path in {
        "portfolio": "/portfolio/",
        "dashboard-trend": f"/orgs/{org.code}/",
        "result": f"/a/{assessment.code}/result/",
        "report": f"/a/{assessment.code}/report/",
        "report-pending": f"/a/{assessment.code}/report.pdf",
    }.items():
        html[name] = client.get(path).content
    for name in ("result", "report"):  # checked with their peer comparison and trend
        assert b"Security capacity: higher than" in html[name], name
    assert b"Your scores over time" in html["report"] + html["dashboard-trend"]
    Assessment.objects.filter(pk=assessment.pk).update(pdf_tasks={})
    ReportPDF.objects.create(assessment=assessment, content=b"%PDF-", size=5)
    ReportPDF.objects.filter(assessment=assessment).update(source_hash=source_hash(assessment))
    html["result-pdf-ready"] = client.get(f"/a/{assessment.code}/result/").content
    # Two-factor: set-up, recovery codes shown once, the owner's policy, the sign-in code step.
    html["members"] = client.get(f"/orgs/{org.code}/members/").content
    html["two-factor-off"] = client.get("/accounts/two-factor/").content
    html["two-factor-setup"] = client.get("/accounts/two-factor/setup/").content
    _device, codes = give_two_factor(owner)
    html["two-factor-renew"] = client.get("/accounts/two-factor/recovery/renew/").content
    client.post("/accounts/two-factor/recovery/renew/", {"current": codes[0]})
    html["two-factor-recovery"] = client.get("/accounts/two-factor/recovery/").content
    html["two-factor-on"] = client.get("/accounts/two-factor/").content
    client.logout()
    client.post("/accounts/login/", {"username": owner.email, "password": PASSWORD})
    html["two-factor-verify"] = client.get("/accounts/two-factor/verify/").content
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
    assert len(files) >= 34
