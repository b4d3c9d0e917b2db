"""Two app servers, one database (issue #19): two gunicorn servers on their own ports behind
nginx, sharing PostgreSQL and the database cache. What a person does on one server holds on
the other: a session, the sign-in lockout, the workshop-code throttle, a PDF rendered once;
and one server killed mid-run loses no acknowledged save (nginx sends new requests to the
other). Runs in `make test` on PostgreSQL (its own database, named after DATABASE_URL's with
`_servers` added, or TWO_SERVERS_DATABASE_URL); skipped on SQLite, which one machine's
servers could share but two machines could not."""

import os
import re
import subprocess
import threading
import time
from urllib.parse import urlparse

import pytest
import requests

from faults import nginx
from faults.harness import PYTHON, ROOT, Savers, check, fixtures, stored
from faults.servers import is_postgres, kill_server, servers, setup_database, shared_env

URL = os.environ.get("DATABASE_URL", "")
if is_postgres(URL):
    _parts = urlparse(URL)
    URL = os.environ.get(
        "TWO_SERVERS_DATABASE_URL", URL.replace(_parts.path, _parts.path + "_servers", 1)
    )

pytestmark = [
    pytest.mark.skipif(
        not is_postgres(URL),
        reason="two app servers share one PostgreSQL: run with DATABASE_URL=postgres://...",
    ),
    pytest.mark.skipif(
        not nginx.available() and not os.environ.get("CI"),
        reason="nginx is not installed (apt-get install nginx; CI installs it)",
    ),
]

LOCKOUT_AFTER = 5


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("two-servers")
    env = shared_env(URL, AXES_FAILURE_LIMIT=LOCKOUT_AFTER)
    setup_database(URL, env)
    data = fixtures(env, "faults.scale_fixtures", "workshops", "2")
    data["pdf"] = fixtures(env, "faults.scale_fixtures", "submitted")
    with servers(env, workdir, count=2, workers=2, threads=2) as (two, proxy):
        yield {"env": env, "data": data, "a": two[0], "b": two[1], "nginx": proxy, "dir": workdir}


def base(server):
    return f"http://127.0.0.1:{server.port}"


def sign_in(session, server, email, password):
    session.get(base(server) + "/accounts/login/")
    return session.post(
        base(server) + "/accounts/login/",
        {
            "username": email,
            "password": password,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        allow_redirects=False,
    )


def test_a_session_made_on_one_server_continues_on_the_other(cluster):
    a, b, data = cluster["a"], cluster["b"], cluster["data"]
    workshop = data["workshops"][0]
    facilitator = requests.Session()
    assert sign_in(facilitator, a, workshop["email"], data["password"]).status_code == 302
    board = facilitator.get(f"{base(b)}/workshops/{workshop['assessment']}/")
    assert board.status_code == 200 and "/accounts/login/" not in board.url
    # A participant joins on A; B knows them from the session and offers to continue.
    person = requests.Session()
    join = f"/w/{workshop['join_token']}/"
    person.get(base(a) + join)
    joined = person.post(
        base(a) + join,
        {"name": "Ada", "role": "other", "csrfmiddlewaretoken": person.cookies["csrftoken"]},
        allow_redirects=False,
    )
    assert joined.status_code == 302
    token = re.search(r"/p/([^/]+)/s/1/$", joined.headers["Location"]).group(1)
    again = person.get(base(b) + join)
    assert again.status_code == 200 and f"/p/{token}/" in again.text
    # Someone without that session is not taken for Ada.
    assert f"/p/{token}/" not in requests.get(base(b) + join).text


def test_the_sign_in_lockout_counts_wrong_passwords_on_both_servers(cluster):
    a, b, data = cluster["a"], cluster["b"], cluster["data"]
    email = data["workshops"][1]["email"]
    statuses = []
    for i in range(LOCKOUT_AFTER):
        s = requests.Session()
        statuses.append(sign_in(s, (a, b)[i % 2], email, "wrong").status_code)
    # Each server saw at most 3 of the 5: only a shared count reaches the limit.
    assert statuses == [200] * (LOCKOUT_AFTER - 1) + [429]
    for server in (a, b):
        response = sign_in(requests.Session(), server, email, data["password"])
        assert response.status_code == 429
        assert "sign-in is paused" in response.text


def test_the_workshop_code_throttle_counts_on_both_servers(cluster):
    a, b = cluster["a"], cluster["b"]
    statuses = []
    for i in range(22):
        s = requests.Session()
        server = (a, b)[i % 2]
        s.get(base(server) + "/join/")
        statuses.append(
            s.post(
                base(server) + "/join/",
                {"code": "AAAAAA", "csrfmiddlewaretoken": s.cookies["csrftoken"]},
            ).status_code
        )
    assert statuses == [200] * 20 + [429, 429]


def test_a_pdf_is_rendered_once_whichever_server_asks(cluster):
    a, b, env, pdf = cluster["a"], cluster["b"], cluster["env"], cluster["data"]["pdf"]
    sessions = {}
    for server in (a, b):
        sessions[server.port] = requests.Session()
        assert sign_in(sessions[server.port], server, pdf["email"], pdf["password"]).status_code
    status_path = f"/a/{pdf['assessment']}/report/status/"
    states = []

    def ask(server):
        for _ in range(5):
            states.append(sessions[server.port].get(base(server) + status_path).json()["state"])

    askers = [threading.Thread(target=ask, args=(s,)) for s in (a, b, a, b)]
    for t in askers:
        t.start()
    for t in askers:
        t.join()
    assert set(states) == {"preparing"}  # queued at submit; nobody queued another
    # A task worker beside each server: they take from the one queue in the database.
    log = open(cluster["dir"] / "workers.log", "ab")  # noqa: SIM115
    workers = [
        subprocess.Popen(
            [PYTHON, "manage.py", "run_worker", "--interval", "0.2", "--nice", "0"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        for _ in range(2)
    ]
    try:
        deadline = time.monotonic() + 120
        ready = {}
        while time.monotonic() < deadline and len(ready) < 2:
            for server in (a, b):
                got = sessions[server.port].get(base(server) + status_path).json()
                if got["state"] == "ready":
                    ready[server.port] = got["size"]
            time.sleep(0.5)
    finally:
        for w in workers:
            w.terminate()
        for w in workers:
            w.wait(timeout=30)
        log.close()
    assert len(ready) == 2 and len(set(ready.values())) == 1, ready  # the same file on both
    counts = fixtures(env, "faults.scale_fixtures", "pdfs")[pdf["assessment"]]
    assert counts == {"stored": 1, "tasks": 1}
    for server in (a, b):
        response = sessions[server.port].get(f"{base(server)}/a/{pdf['assessment']}/report.pdf")
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
        assert len(response.content) == ready[a.port]


def test_one_server_killed_mid_run_loses_no_acknowledged_save(cluster, tmp_path):
    env = cluster["env"]
    fixture = fixtures(env, "faults.fixtures", "prepare", "8")
    with (
        servers(env, tmp_path, count=2, workers=2, threads=2) as (two, proxy),
        Savers(proxy.port, fixture, pause=0.02) as savers,
    ):
        time.sleep(2)
        kill_server(two[0])
        killed_at = time.monotonic()
        time.sleep(3)
    result = check(savers.outcomes, stored(env)["answers"])
    after = [o for o in savers.outcomes if o.at > killed_at + 0.5]
    print(f"\ntwo servers, one killed: {result}")
    assert result["lost"] == 0
    assert result["acknowledged"] > 50
    # Only saves in flight on the dying server fail, with no answer or nginx's 502: never
    # acknowledged, and the page's script sends them again.
    assert result["failed_clear_503"] == 0
    assert all(o.status in (None, 502) for o in savers.outcomes if o.status != 204)
    assert result["failed"] <= 8 * 2, result
    # After the kill, the other server takes every save: none is refused.
    assert after and all(o.status == 204 for o in after)
