import json
import os
import signal
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.db import OperationalError
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from assess import rules
from assess.banks.format import DATA_DIR
from assess.banks.store import load_defaults
from assess.models import Assessment, Membership, Organization, QuestionBank, VerifiedAddress
from assess.selectors import bank_view, clear_bank_cache

PASSWORD = "Correct-horse-battery-9"


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogues():
    """The French and German pages need the .mo files, which are not committed: compiled here
    (as make setup does) when a .po is newer, so a bare pytest run tests the real catalogues."""
    call_command("compile_catalogues", verbosity=0)


@pytest.fixture(autouse=True)
def _english_between_tests():
    """The test client runs requests in the test's thread, where the language a French page
    activated would stay active for the next test's services and snapshots."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    from django.core.cache import cache

    cache.clear()  # the join-code throttle counts in the cache


@pytest.fixture(autouse=True)
def _fresh_bank_cache():
    # Test transactions roll back, so a bank id can come back with other content.
    clear_bank_cache()
    yield
    clear_bank_cache()


@pytest.fixture(scope="session")
def bank_document():
    with open(DATA_DIR / "default_bank.json", encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(scope="session")
def catalogue_document():
    with open(DATA_DIR / "catalogue.json", encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(scope="session")
def default_bank(bank_document):
    """The default bank as pure rules data (no database)."""
    return rules.bank_from_document(bank_document["bank"])


@pytest.fixture(scope="session")
def default_catalogue(catalogue_document):
    return [rules.alliance_from_document(a) for a in catalogue_document["alliances"]]


@pytest.fixture
def bank(db, bank_document):
    load_defaults()
    return QuestionBank.objects.get(slug="default", version=bank_document["bank"]["version"])


def make_user(email, name="", *, verified=True):
    """An account with a password; its address verified unless `verified=False` (as one
    made before addresses were verified, or in the admin)."""
    user = get_user_model().objects.create_user(
        username=email, email=email, password=PASSWORD, first_name=name
    )
    if verified:
        VerifiedAddress.objects.create(user=user, email=email.lower(), how="link")
    return user


@pytest.fixture
def owner(db):
    return make_user("alice@owner.example", "Alice")


@pytest.fixture
def member(db):
    return make_user("bob@member.example", "Bob")


@pytest.fixture
def outsider(db):
    return make_user("eve@outsider.example", "Eve")


@pytest.fixture
def org(owner, member):
    org = Organization.objects.create(
        name="Acme Bank", sector="financial_services", size_band="large", countries=["GB", "DE"]
    )
    Membership.objects.create(user=owner, organization=org, role=Membership.Role.OWNER)
    Membership.objects.create(user=member, organization=org)
    return org


@pytest.fixture
def other_org(outsider):
    other = Organization.objects.create(
        name="Rival Ltd", sector="retail", size_band="small", countries=["FR"]
    )
    Membership.objects.create(user=outsider, organization=other, role=Membership.Role.OWNER)
    return other


@pytest.fixture
def assessment(org, bank, owner):
    return Assessment.objects.create(organization=org, bank=bank, created_by=owner)


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def owner_client(client, owner):
    return signed_in(client, owner)


def section_post(view, number, pick="high", comment=""):
    """POST data answering every question of a section: 'high' takes the last known choice,
    'low' the first, 'unknown' the don't-know choice where there is one."""
    data = {"action": "next"}
    for q in view.section(number).question_list:
        known = [c for c in q.choice_list if not c.is_unknown and c.code != "none"]
        unknown = [c for c in q.choice_list if c.is_unknown]
        if pick == "unknown" and unknown:
            choice = unknown[0]
        elif pick == "low":
            choice = known[0]
        else:
            choice = known[-1]
        data[f"q_{q.code}"] = [choice.code] if q.kind == "multi" else choice.code
        if comment:
            data[f"c_{q.code}"] = comment
    return data


def answer_everything(client, assessment, pick="high"):
    view = bank_view(assessment.bank)
    for number in range(1, len(view.sections) + 1):
        response = client.post(
            f"/a/{assessment.code}/s/{number}/", section_post(view, number, pick)
        )
        assert response.status_code == 302, response.content[:500]
    return view


def run_queued_tasks():
    """Runs every queued task with the real worker (django-tasks-db's `db_worker` in batch
    mode, as `manage.py run_worker` runs it) and returns how many finished."""
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    before = DBTaskResult.objects.finished().count()
    try:
        # The worker closes "old" connections between tasks; inside a test's transaction
        # Django counts the connection as one (autocommit off) and closes it, which on
        # PostgreSQL ends the test's transaction. SQLite's in-memory test database ignores it.
        with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
            for attempt in range(100):
                try:
                    call_command(
                        "db_worker",
                        batch=True,
                        reload=False,
                        startup_delay=False,
                        interval=0,
                        verbosity=0,
                    )
                    break
                except OperationalError as e:
                    # SQLite's shared in-memory test database locks a table, without waiting,
                    # while a browser test's live server reads it (a page polling for its
                    # PDF); the worker claims its task under BEGIN EXCLUSIVE. Nothing was
                    # claimed: try again once the server's read is over.
                    if "table is locked" not in str(e) or attempt == 99:
                        raise
    finally:
        for sig, handler in handlers.items():  # the worker installs its own
            signal.signal(sig, handler)
    return DBTaskResult.objects.finished().count() - before


def sent_mail():
    """The mail sent so far: every e-mail goes through the task queue, so this first runs the
    queued tasks with the real worker, as `manage.py run_worker` would."""
    run_queued_tasks()
    return mail.outbox


@pytest.fixture
def run_tasks(db):
    return run_queued_tasks


@pytest.fixture
def renders(monkeypatch):
    """Counts the PDFs actually rendered (by assessment id), whoever renders them."""
    from assess.report import storage

    calls = []
    real = storage.render_pdf

    def counting(assessment):
        calls.append(assessment.pk)
        return real(assessment)

    monkeypatch.setattr(storage, "render_pdf", counting)
    return calls


def needs(tool, reason):
    """Skips the calling test with `reason` where `tool` (a path) is missing, as a bare pytest
    on a fresh checkout has no node_modules or java yet; in CI (CI=true) a missing tool fails
    the test instead, so nothing is skipped there unseen. `make test` installs every tool."""
    if tool is not None and Path(tool).exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"cannot run in CI: {reason}")
    pytest.skip(reason)


NODE_MODULES = Path(__file__).resolve().parent.parent / "node_modules"
