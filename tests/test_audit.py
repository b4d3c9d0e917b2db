"""The dependency audit's verdict (.ci/audit.py): a known vulnerability fails it unless
accepted with a reason until a date not yet past; an unreachable advisory database is said
aloud, and fails it only where AUDIT_REQUIRED=true. The audits themselves are stubbed."""

import importlib.util
from pathlib import Path

import pytest

SPEC = importlib.util.spec_from_file_location(
    "ci_audit", Path(__file__).resolve().parent.parent / ".ci" / "audit.py"
)
audit = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(audit)

ENTRY = '[[accept]]\nid = "GHSA-aaaa-bbbb-cccc"\nreason = "We parse no XML."\nexpires = %s\n'
FINDING = ("django", "6.1.0", [{"PYSEC-2099-1", "GHSA-aaaa-bbbb-cccc"}])


@pytest.fixture
def stubbed(monkeypatch, tmp_path):
    accepted = tmp_path / "audit-accepted.toml"
    accepted.write_text("")
    monkeypatch.setattr(audit, "ACCEPTED", accepted)
    monkeypatch.setattr(audit, "ROOT", tmp_path)
    monkeypatch.delenv("AUDIT_REQUIRED", raising=False)

    def set_findings(python=(), npm=(), python_skipped=None):
        monkeypatch.setattr(audit, "python_findings", lambda: (list(python), python_skipped or {}))
        monkeypatch.setattr(audit, "npm_findings", lambda: (list(npm), {}))

    return accepted, set_findings


def test_a_known_vulnerability_fails_the_audit(stubbed, capsys):
    _accepted, findings = stubbed
    findings(python=[FINDING])
    assert audit.main() == 1
    assert "VULNERABLE Python django 6.1.0: GHSA-aaaa-bbbb-cccc, PYSEC-2099-1" in (
        capsys.readouterr().out
    )


def test_an_accepted_one_passes_until_its_expiry_date(stubbed, capsys):
    accepted, findings = stubbed
    findings(python=[FINDING])
    accepted.write_text(ENTRY % "2999-01-01")
    assert audit.main() == 0
    assert "accepted Python django 6.1.0 GHSA-aaaa-bbbb-cccc until 2999-01-01" in (
        capsys.readouterr().out
    )
    accepted.write_text(ENTRY % "2020-01-01")
    assert audit.main() == 1
    assert "expired on 2020-01-01" in capsys.readouterr().out


def test_an_acceptance_without_a_reason_or_date_is_refused(stubbed):
    accepted, findings = stubbed
    findings(python=[FINDING])
    accepted.write_text('[[accept]]\nid = "GHSA-aaaa-bbbb-cccc"\nexpires = 2999-01-01\n')
    with pytest.raises(SystemExit, match="lacks reason"):
        audit.main()


def test_an_unreachable_database_is_said_aloud_and_fails_only_when_required(
    stubbed, capsys, monkeypatch
):
    _accepted, findings = stubbed
    findings(python_skipped={"django": "Dependency not found on PyPI and could not be audited"})
    assert audit.main() == 0
    out = capsys.readouterr().out
    assert "NOT AUDITED" in out and "Python: django" in out
    monkeypatch.setenv("AUDIT_REQUIRED", "true")
    assert audit.main() == 1
