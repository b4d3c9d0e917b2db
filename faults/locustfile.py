"""Workshop participants under load: each simulated person joins the workshop by its link,
opens and saves each section in turn (a background save, as the page's script sends it),
then someone else joins from the same browser and starts over. Every save the app
acknowledges (204) is written to FAULTS_ACKS at the end, for faults/load.py to compare
with the database. Run through faults/load.py (make load), which sets the workshop up."""

import json
import os
import re
import time

from locust import HttpUser, between, events, task

FIXTURE = json.loads(open(os.environ["FAULTS_FIXTURE"], encoding="utf-8").read())  # noqa: SIM115
SECTIONS = sorted(FIXTURE["sections"], key=int)
ACKS = []  # (participant token, section) for every acknowledged save
ERRORS = {}  # "request: error" -> how many times


@events.request.add_listener
def _count_error(request_type, name, response, exception, **_kwargs):
    if exception is not None:
        status = getattr(response, "status_code", None)
        key = f"{request_type} {name}: {status} {exception}"[:300]
        ERRORS[key] = ERRORS.get(key, 0) + 1


class Participant(HttpUser):
    wait_time = between(1, 3)

    def on_start(self):
        self.join()

    def join(self):
        path = f"/w/{FIXTURE['join_token']}/?someone_else=1"
        self.client.get(path, name="/w/[join]/")
        csrf = self.client.cookies.get("csrftoken")
        with self.client.post(
            path,
            {"name": f"Load {id(self)} {time.monotonic()}", "role": "other"},
            headers={"X-CSRFToken": csrf},
            name="/w/[join]/ join",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            match = re.search(r"/p/([^/]+)/s/1/$", response.headers.get("Location", ""))
            if response.status_code != 302 or not match:
                response.failure(f"join answered {response.status_code}")
                self.token = None
                return
        self.token, self.section = match.group(1), 0

    @task
    def answer_next_section(self):
        if self.token is None:
            self.join()
            return
        if self.section == len(SECTIONS):
            self.client.get(f"/p/{self.token}/done/", name="/p/[token]/done/")
            self.join()
            return
        number = SECTIONS[self.section]
        path = f"/p/{self.token}/s/{number}/"
        self.client.get(path, name="/p/[token]/s/[n]/")
        fields = [tuple(f) for f in FIXTURE["sections"][number]]
        fields += [(f"c_{code}", "s1 load") for code in FIXTURE["questions"][number]]
        with self.client.post(
            path,
            fields,
            headers={
                "X-CSRFToken": self.client.cookies.get("csrftoken"),
                "X-Save-Mode": "background",
            },
            name="/p/[token]/s/[n]/ save",
            catch_response=True,
        ) as response:
            if response.status_code == 204 and response.headers.get("X-Next"):
                ACKS.append((self.token, number))
                self.section += 1
            else:
                response.failure(f"save answered {response.status_code}: {response.text[:100]}")


@events.quitting.add_listener
def _write_acks(environment, **_kwargs):
    with open(os.environ["FAULTS_ACKS"], "w", encoding="utf-8") as f:
        json.dump({"acks": ACKS, "errors": ERRORS}, f)
