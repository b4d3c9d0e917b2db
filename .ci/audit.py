"""Audits the locked packages for known vulnerabilities (`make audit`, run by .ci/run):
pip-audit on every package uv.lock installs, `npm audit --omit=dev` on package-lock.json's
runtime packages.

A known vulnerability fails the run, unless .ci/audit-accepted.toml accepts it with a reason
and an expiry date; once that date has passed it fails again (README, "Dependencies are
audited").

Both audits ask an advisory database on the network (PyPI's or OSV's, npm's). Where it cannot
be reached (an air-gapped site, a registry mirror that does not serve it), nothing was
audited: this script says so in a banner and exits 0, or 1 with AUDIT_REQUIRED=true, so a
network without the databases never passes for a clean audit unseen."""

import datetime
import json
import os
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ACCEPTED = ROOT / ".ci" / "audit-accepted.toml"
VENV_BIN = ROOT / ".venv" / "bin"


def accepted(today):
    """id -> (reason, expires) of the findings accepted until a date not yet past; and the
    list of acceptances that have expired."""
    data = tomllib.loads(ACCEPTED.read_text()) if ACCEPTED.exists() else {}
    valid, expired = {}, []
    for entry in data.get("accept", []):
        missing = {"id", "reason", "expires"} - set(entry)
        if missing:
            raise SystemExit(f"{ACCEPTED.name}: an entry lacks {', '.join(sorted(missing))}")
        expires = entry["expires"]
        if not isinstance(expires, datetime.date):
            raise SystemExit(f"{ACCEPTED.name}: expires of {entry['id']} must be a date")
        if expires < today:
            expired.append(entry)
        else:
            valid[entry["id"]] = (entry["reason"], expires)
    return valid, expired


def python_findings():
    """(findings, not_audited): findings as (package, version, ids); not_audited the packages
    the database could not be asked about, with why."""
    with tempfile.TemporaryDirectory() as tmp:
        requirements = Path(tmp) / "requirements.txt"
        subprocess.run(
            [str(ROOT / ".uv" / "bin" / "uv"), "export", "--frozen", "--no-emit-project"]
            + ["--format", "requirements-txt", "--output-file", str(requirements)],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        run = subprocess.run(
            [str(VENV_BIN / "pip-audit"), "--requirement", str(requirements)]
            + ["--disable-pip", "--require-hashes", "--format", "json"]
            + ["--progress-spinner", "off"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        last = (run.stderr.strip().splitlines() or ["no output"])[-1]
        return [], {"(every package)": last}
    findings, not_audited = [], {}
    for dep in report.get("dependencies", []):
        if "skip_reason" in dep:
            not_audited[dep["name"]] = dep["skip_reason"]
        elif dep.get("vulns"):
            ids = [{v["id"], *v.get("aliases", [])} for v in dep["vulns"]]
            findings.append((dep["name"], dep.get("version", ""), ids))
    return findings, not_audited


def npm_findings():
    run = subprocess.run(
        ["npm", "audit", "--omit=dev", "--json"], cwd=ROOT, capture_output=True, text=True
    )
    try:
        report = json.loads(run.stdout or "{}")
    except json.JSONDecodeError:
        report = {}
    if "vulnerabilities" not in report:
        why = report.get("message") or (run.stderr.strip().splitlines() or ["no output"])[-1]
        return [], {"(every npm package)": why}
    findings = []
    for name, vuln in report["vulnerabilities"].items():
        ids = []
        for via in vuln.get("via", []):
            if isinstance(via, dict):  # a plain string names the dependency it comes through
                url = via.get("url", "")
                ids.append({url.rsplit("/", 1)[-1] or str(via.get("source"))})
        if ids:
            findings.append((name, vuln.get("range", ""), ids))
    return findings, {}


def main():
    today = datetime.date.today()
    valid, expired = accepted(today)
    for entry in expired:
        print(f"acceptance of {entry['id']} expired on {entry['expires']}: it counts again")
    failing, not_audited = [], {}
    for label, audit in (("Python", python_findings), ("npm", npm_findings)):
        findings, skipped = audit()
        not_audited.update({f"{label}: {k}": v for k, v in skipped.items()})
        for package, version, id_sets in findings:
            for ids in id_sets:
                taken = sorted(ids & set(valid))
                if taken:
                    reason, expires = valid[taken[0]]
                    print(
                        f"accepted {label} {package} {version} {taken[0]} until {expires}: {reason}"
                    )
                else:
                    failing.append(f"{label} {package} {version}: {', '.join(sorted(ids))}")
    for line in failing:
        print(f"VULNERABLE {line}")
    if not_audited:
        print("=" * 78)
        print("NOT AUDITED: the advisory database could not be asked about these packages,")
        print("so this run says nothing about their known vulnerabilities:")
        reasons = {}
        for name, why in not_audited.items():
            # pip-audit names the package in each reason: group by the reason alone.
            reasons.setdefault(why.split(": ", 1)[0], []).append(name)
        for why, names in reasons.items():
            more = f" and {len(names) - 6} more" if len(names) > 6 else ""
            print(f"  {len(names)} packages ({', '.join(names[:6])}{more}):")
            print(f"    {why}")
        print("Run `make audit` where PyPI's JSON API (or OSV) and the npm registry's audit")
        print("endpoint are reachable.")
        print("=" * 78)
    if failing:
        print(
            f"{len(failing)} known vulnerabilities: upgrade, or accept each in "
            f"{ACCEPTED.relative_to(ROOT)} with a reason and an expiry date."
        )
        return 1
    if not_audited and os.environ.get("AUDIT_REQUIRED") == "true":
        return 1
    if not_audited:
        print("no known vulnerabilities among the packages that could be audited")
    else:
        print("no known vulnerabilities")
    return 0


if __name__ == "__main__":
    sys.exit(main())
