"""The load test's users (run by `make load` through bench/load.py, never on its own against
another host): team members open stage pages, autosave answers and poll the panel; architects
open the review queue and review pages. Each request is named by what it stands for; `static`
(/health/, a trivial view of the same server) is the baseline the others are compared with.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from typing import Any

from locust import HttpUser, between, task

PEOPLE: dict[str, Any] = json.loads(os.environ["LOAD_PEOPLE"])
STAGES = ("launch", "growth", "scale", "beyond")
QUESTION = "peak_rps"  # a number on the first stage: every save is a real change
VERSION = re.compile(rf'id="q-{QUESTION}".*?name="version" value="([^"]*)"', re.S)
HTMX = {"HX-Request": "true"}
_members = itertools.count()
_architects = itertools.count()


class Person(HttpUser):
    abstract = True
    wait_time = between(1, 3)  # a person reads and types between requests

    def sign_in(self, session: str) -> None:
        """Signed in already (bench/load.py made the session): the cookie is all it takes."""
        self.client.cookies.set("sessionid", session)

    def headers(self, htmx: bool = True) -> dict[str, str]:
        extra = {"X-CSRFToken": self.client.cookies.get("csrftoken") or ""}
        return {**HTMX, **extra} if htmx else extra

    @task(1)
    def static(self) -> None:
        self.client.get("/health/", name="static")


class TeamMember(Person):
    fixed_count = int(os.environ.get("LOAD_MEMBERS", "50"))

    def on_start(self) -> None:
        me = PEOPLE["members"][next(_members) % len(PEOPLE["members"])]
        self.journey, self.version = me["journey"], ""
        self.sign_in(me["session"])
        self.stage_page()

    def stage_url(self, stage: str) -> str:
        return f"/journeys/{self.journey}/stages/{stage}/"

    @task(3)
    def stage_page(self) -> None:
        with self.client.get(
            self.stage_url(STAGES[0]), name="stage_page", catch_response=True
        ) as response:
            found = VERSION.search(response.text) if response.status_code == 200 else None
            if found is None:
                response.failure(f"no answer form ({response.status_code})")
                return
            # The question's version: the save below sends it back, as a browser does.
            self.version = found[1]

    @task(4)
    def save_answer(self) -> None:
        if not self.version:
            return
        url = f"{self.stage_url(STAGES[0])}answers/{QUESTION}/"
        with self.client.post(
            url,
            {"value": str(random.randint(1, 500)), "version": self.version},
            headers=self.headers(),
            name="save_answer",
            catch_response=True,
        ) as response:
            found = VERSION.search(response.text) if response.status_code == 200 else None
            if found is None:
                response.failure(f"save refused ({response.status_code})")
                self.version = ""
                return
            self.version = found[1]

    @task(4)
    def panel(self) -> None:
        self.client.get(
            f"{self.stage_url(STAGES[0])}progress/", headers=self.headers(), name="panel"
        )


class Architect(Person):
    fixed_count = int(os.environ.get("LOAD_ARCHITECTS", "5"))

    def on_start(self) -> None:
        me = PEOPLE["architects"][next(_architects) % len(PEOPLE["architects"])]
        self.sign_in(me)

    @task(2)
    def queue(self) -> None:
        self.client.get("/reviews/", name="queue")

    @task(2)
    def review(self) -> None:
        journey = random.choice(PEOPLE["submitted"])
        self.client.get(f"/journeys/{journey}/review/", name="review")
