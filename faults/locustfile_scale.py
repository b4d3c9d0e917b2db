"""A consultancy's busy day (issue #19), under locust: WORKSHOPS workshops of PER_WORKSHOP
participants each, and one facilitator per workshop. Run through faults/scale.py, which sets
the workshops up and passes them in SCALE_FIXTURE.

- A participant joins by the workshop's link, then answers one section every 20-60 s (the
  time to read and answer it): the section page, then the save the page's script sends in
  the background when they press "Next". About 1 answer in 10 is "Don't know" and 1 in 8
  carries a longer comment. Every answer's comment starts with "s<seq>", seq growing per
  participant, so each acknowledged save can be found in the database afterwards.
- A facilitator signs in at a random moment while the participants join (SCALE_RAMP) and
  refreshes the board's live part every 5 s, as board.js does.
  From SCALE_SETTLE_AT (a Unix time), participants stop and each facilitator, at a random
  moment within the next minute, settles the consensus, submits, and polls the PDF's status
  every 2 s (as report_status.js does) until it is ready.
Acknowledged saves, submit and PDF-ready times go to SCALE_OUT at the end."""

import itertools
import json
import os
import random
import re
import time

import gevent
from locust import HttpUser, constant, events, task

FIXTURE = json.loads(open(os.environ["SCALE_FIXTURE"], encoding="utf-8").read())  # noqa: SIM115
WORKSHOPS = FIXTURE["workshops"]
SETTLE_AT = float(os.environ["SCALE_SETTLE_AT"])
RAMP = float(os.environ.get("SCALE_RAMP", "0"))
SECTIONS = sorted(FIXTURE["sections"], key=int)
ACKS = []  # (participant token, section, seq) for every acknowledged save
PDFS = {}  # assessment code -> {"submitted": t, "ready": t}
ERRORS = {}
_participant_numbers = itertools.count()
_facilitator_numbers = itertools.count()


# When each board refresh and save was answered, and how long it took, to tell the steady
# phase from the minute when everyone settles and the PDFs render.
TIMED = {"/workshops/[code]/ live": "board", "/p/[token]/s/[n]/ save": "save"}
TIMINGS = []  # (kind, Unix time at the answer, response time in ms)


@events.request.add_listener
def _count_error(request_type, name, response, exception, response_time=0, **_kwargs):
    if name in TIMED:
        TIMINGS.append((TIMED[name], time.time(), response_time))
    if exception is not None:
        status = getattr(response, "status_code", None)
        key = f"{request_type} {name}: {status} {exception}"[:300]
        ERRORS[key] = ERRORS.get(key, 0) + 1


def _csrf(client):
    return {"X-CSRFToken": client.cookies.get("csrftoken", "")}


class Participant(HttpUser):
    wait_time = constant(0)

    def on_start(self):
        n = next(_participant_numbers)
        self.workshop = WORKSHOPS[n % len(WORKSHOPS)]
        self.rng = random.Random(n)
        self.token, self.section, self.seq = None, 0, 0
        gevent.sleep(self.rng.uniform(0, 5))
        path = f"/w/{self.workshop['join_token']}/"
        self.client.get(path, name="/w/[join]/")
        with self.client.post(
            path,
            {
                "name": f"Person {n}",
                "role": self.rng.choice(["ciso", "cio", "legal", "risk", "other"]),
            },
            headers=_csrf(self.client),
            name="/w/[join]/ join",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            match = re.search(r"/p/([^/]+)/s/1/$", response.headers.get("Location", ""))
            if response.status_code != 302 or not match:
                response.failure(f"join answered {response.status_code}")
                return
        self.token = match.group(1)

    def fields(self, number):
        self.seq += 1
        fields = []
        for name, value in FIXTURE["sections"][number]:
            code = name[2:]
            if name.startswith("q_") and self.rng.random() < 0.1 and code in FIXTURE["unknown"]:
                value = FIXTURE["unknown"][code]
            fields.append((name, value))
        for code in FIXTURE["questions"][number]:
            comment = f"s{self.seq}"
            if self.rng.random() < 0.125:
                comment += " We rely on the vendor's SOC for this; to be confirmed with legal."
            fields.append((f"c_{code}", comment))
        return fields

    @task
    def answer_next_section(self):
        if self.token is None or self.section == len(SECTIONS) or time.time() > SETTLE_AT:
            gevent.sleep(5)  # finished, or the facilitator is settling: nothing more to do
            return
        number = SECTIONS[self.section]
        path = f"/p/{self.token}/s/{number}/"
        self.client.get(path, name="/p/[token]/s/[n]/")
        gevent.sleep(self.rng.uniform(20, 60))  # reading and answering
        if time.time() > SETTLE_AT:
            return
        fields = self.fields(number)
        with self.client.post(
            path,
            fields,
            headers={**_csrf(self.client), "X-Save-Mode": "background"},
            name="/p/[token]/s/[n]/ save",
            catch_response=True,
        ) as response:
            if response.status_code == 204 and response.headers.get("X-Next"):
                ACKS.append((self.token, number, self.seq))
                self.section += 1
            else:
                response.failure(f"save answered {response.status_code}: {response.text[:100]}")


class Facilitator(HttpUser):
    fixed_count = len(WORKSHOPS)  # one per workshop; participants are the other users
    wait_time = constant(0)

    def on_start(self):
        n = next(_facilitator_numbers)
        self.workshop = WORKSHOPS[n % len(WORKSHOPS)]
        self.code = self.workshop["assessment"]
        self.rng = random.Random(-n - 1)
        self.settle_at = SETTLE_AT + self.rng.uniform(0, 55)
        self.done = False
        # Facilitators sign in while their participants join, each at their own moment of the
        # ramp (locust starts every facilitator in its first seconds, and 40 password hashes
        # at once hold both cores for seconds); this also spreads their boards' refresh
        # timers over the 5 s, as independent browsers' timers are.
        gevent.sleep(self.rng.uniform(0, RAMP))
        self.client.get("/accounts/login/")
        self.client.post(
            "/accounts/login/",
            {"username": self.workshop["email"], "password": FIXTURE["password"]},
            headers=_csrf(self.client),
            name="/accounts/login/ sign in",
        )

    @task
    def refresh_board(self):
        if self.done:
            gevent.sleep(5)
            return
        if time.time() >= self.settle_at:
            self.settle_and_submit()
            return
        self.client.get(f"/workshops/{self.code}/?fragment=1", name="/workshops/[code]/ live")
        gevent.sleep(5)

    def settle_and_submit(self):
        self.done = True
        self.client.get(f"/workshops/{self.code}/consensus/", name="/workshops/[code]/consensus/")
        values = []
        for number in SECTIONS:
            for name, value in FIXTURE["sections"][number]:
                if name.startswith("q_"):
                    values += [(name, value), (f"c_{name[2:]}", "")]
        self.client.post(
            f"/workshops/{self.code}/consensus/",
            values,
            headers=_csrf(self.client),
            name="/workshops/[code]/consensus/ save",
        )
        with self.client.post(
            f"/a/{self.code}/submit/",
            {},
            headers=_csrf(self.client),
            name="/a/[code]/submit/",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302 or "/result/" not in response.headers.get(
                "Location", ""
            ):
                response.failure(f"submit answered {response.status_code}")
                return
        PDFS[self.code] = {"submitted": time.time(), "ready": None}
        deadline = time.time() + 180
        while time.time() < deadline:
            got = self.client.get(f"/a/{self.code}/report/status/", name="/a/[code]/report/status/")
            if got.status_code == 200 and got.json().get("state") == "ready":
                PDFS[self.code]["ready"] = time.time()
                return
            gevent.sleep(2)


@events.quitting.add_listener
def _write(environment, **_kwargs):
    with open(os.environ["SCALE_OUT"], "w", encoding="utf-8") as f:
        json.dump({"acks": ACKS, "pdfs": PDFS, "errors": ERRORS, "timings": TIMINGS}, f)
