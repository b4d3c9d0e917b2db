"""What the fault scripts share: a database to prepare, gunicorn to run, participants who
keep saving over HTTP, and the check that every acknowledged save is stored.

A save is acknowledged when the app answers 204 to a background save (what the page's
script sends). Every save writes the comment "s<seq>" on each answer of its section, seq
growing per participant, so afterwards each acknowledged save must be stored or
overwritten by a later save of the same participant."""

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import gunicorn

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
CLEAR_503 = "The database is not available right now"


def django_env(database_url, **extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "CONN_MAX_AGE")
    }
    env.update(
        DATABASE_URL=database_url,
        DEBUG="false",
        SECRET_KEY="faults-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        PYTHONPATH=str(ROOT),
        LOG_LEVEL="WARNING",
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env


def manage(env, *args):
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )


def prepare(env, participants):
    """Migrate, load the default bank, start a workshop with `participants` joined."""
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_defaults")
    out = subprocess.run(
        [PYTHON, "-m", "faults.fixtures", "prepare", str(participants)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def stored(env):
    out = subprocess.run(
        [PYTHON, "-m", "faults.fixtures", "stored"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """gunicorn on 127.0.0.1 with the app, its log in `log_path`."""

    def __init__(self, env, log_path, workers=2, threads=1, timeout=30, keep_alive=2):
        self.env, self.log_path = env, Path(log_path)
        self.port = free_port()
        self.args = [
            GUNICORN,
            "assess.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--timeout",
            str(timeout),
            "--graceful-timeout",
            "5",
            "--keep-alive",
            str(keep_alive),
        ]
        if gunicorn.version_info >= (27,):
            # gunicorn 27's control socket is one path per user: several servers on one
            # machine (other test runs) would fight over it.
            self.args.append("--no-control-socket")
        self.proc = None

    def __enter__(self):
        self.log = open(self.log_path, "ab")  # noqa: SIM115
        self.proc = subprocess.Popen(
            self.args, cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log_path}")
            try:
                if request(self.port, "GET", "/join/")[0] == 200 and len(self.workers()) >= 1:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer in 30 s; see {self.log_path}")

    def __exit__(self, *exc):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()

    def workers(self):
        """The worker processes' ids (children of the master)."""
        path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        try:
            return [int(p) for p in path.read_text().split()]
        except OSError:
            return []


def request(port, method, path, body=None, headers=None, timeout=30):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


@dataclass
class Outcome:
    token: str
    section: str
    seq: int
    status: int | None  # None: no answer at all (connection dropped)
    text: str
    at: float
    took: float = 0.0  # seconds from sending the save to its answer


class Participant:
    """One participant's browser: a CSRF cookie, then background saves."""

    def __init__(self, port, token, fixture):
        self.port, self.token, self.fixture = port, token, fixture
        self.cookie = None

    def open(self):
        status, headers, _body = request(self.port, "GET", f"/p/{self.token}/s/1/")
        assert status == 200, status
        match = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", ""))
        self.cookie = match.group(1)
        return self

    def save(self, section, seq, padding=0):
        """Save a section; `padding` characters lengthen each comment (to fill a disk)."""
        comment = f"s{seq}" + (" " + "x" * padding if padding else "")
        fields = [tuple(f) for f in self.fixture["sections"][section]]
        fields += [(f"c_{code}", comment) for code in self.fixture["questions"][section]]
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={self.cookie}",
            "X-CSRFToken": self.cookie,
            "X-Save-Mode": "background",
        }
        sent = time.monotonic()
        try:
            status, _headers, body = request(
                self.port, "POST", f"/p/{self.token}/s/{section}/", urlencode(fields), headers
            )
            text = body.decode("utf-8", "replace")[:300]
        except (OSError, http.client.HTTPException) as e:
            status, text = None, f"{type(e).__name__}: {e}"
        now = time.monotonic()
        return Outcome(self.token, section, seq, status, text, now, now - sent)


@dataclass
class Savers:
    """Every participant saves section after section, as fast as the app answers (with a
    pause between saves), until stopped."""

    port: int
    fixture: dict
    pause: float = 0.0
    padding: int = 0
    outcomes: list = field(default_factory=list)

    def __post_init__(self):
        self.stop_event = threading.Event()
        self.people = [
            Participant(self.port, t, self.fixture).open() for t in self.fixture["tokens"]
        ]
        self.threads = [threading.Thread(target=self._run, args=(p,)) for p in self.people]
        self.lock = threading.Lock()

    def _run(self, person):
        sections = sorted(self.fixture["sections"], key=int)
        seq = 0
        while not self.stop_event.is_set():
            seq += 1
            outcome = person.save(sections[(seq - 1) % len(sections)], seq, self.padding)
            with self.lock:
                self.outcomes.append(outcome)
            if self.pause:
                time.sleep(self.pause)

    def __enter__(self):
        self.started = time.monotonic()
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop_event.set()
        for t in self.threads:
            t.join(timeout=60)


def check(outcomes, stored_answers):
    """Numbers: acknowledged saves, how many are missing from the database, the failures by
    kind, and whether any failure leaked 'database is locked'."""
    acked = [o for o in outcomes if o.status == 204]
    lost = []
    for o in acked:
        comments = stored_answers.get(o.token, {}).get(o.section, [])
        seqs = [int(m.group(1)) for c in comments if (m := re.match(r"s(\d+)", c))]
        if not seqs or max(seqs) < o.seq:
            lost.append(o)
    failed = [o for o in outcomes if o.status != 204]
    clear_503 = [o for o in failed if o.status == 503 and CLEAR_503 in o.text]
    dropped = [o for o in failed if o.status is None]
    other = [o for o in failed if o not in clear_503 and o not in dropped]
    return {
        "saves": len(outcomes),
        "acknowledged": len(acked),
        "lost": len(lost),
        "failed": len(failed),
        "failed_clear_503": len(clear_503),
        "failed_no_answer": len(dropped),
        "failed_other": len(other),
        "other_examples": sorted({f"{o.status}: {o.text[:120]}" for o in other})[:5],
        "locked_leaked": sum(1 for o in outcomes if "locked" in o.text.lower()),
        "stored_sections": sum(len(sections) for sections in stored_answers.values()),
    }
