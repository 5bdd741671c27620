"""wizard.quick_start_answers and wizard.quick_start_walk: a new team's scripted walk from
sign-in to a downloaded roadmap, through the quick start (the path of
tests/test_quick_start_browser.py, with the test client instead of Chromium, and each
background job run in this process as a worker would run it)."""

from __future__ import annotations

import io
import re
import time
import uuid

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils.text import slugify
from pypdf import PdfReader  # a development requirement, as the benchmarks are

from bench.harness import Result, ratio_result
from journeys.jobs import diagrams, estimates, exports
from journeys.models import Diagram, Estimate, Export, Journey, Membership, Team
from journeys.vocabulary import STAGES

TARGET_ANSWERS = 12
WALK_BUDGET_SECONDS = 60.0
PASSWORD = "bench-quick-start-password"
ANSWERS = {
    "product": "b2b_saas",
    "customers_now": "250",
    "customers_1y": "12,000",
    "customers_3y": "800000",
    "region": "eu-central-1",
    "data_residency": "yes",
    "availability_target": "99.95",
    "recovery": "minutes",
    "compute_model": "containers",
    "database_engine": "aurora-postgresql",
    "customer_identity": "managed",
}


def _ok(response: object, status: int = 200) -> None:
    code = getattr(response, "status_code", None)
    assert code == status, code


def _work_off_queue() -> None:
    """Every queued job, run here through the task's own claim-and-run."""
    for model, work in (
        (Diagram, diagrams.render),
        (Estimate, estimates.run),
        (Export, lambda pk: exports.run(pk, may_wait=False)),
    ):
        for pk in model.objects.filter(status=model.QUEUED).values_list("pk", flat=True):
            if model.objects.claim(pk, "bench"):  # the task's own claim, then its work
                work(pk)


def walk() -> tuple[int, float, str]:
    """One new team's walk: (answers given, seconds, the cover's coverage sentence)."""
    name = f"bench-qs-{uuid.uuid4().hex[:8]}"
    user = get_user_model().objects.create_user(name, password=PASSWORD)
    team = Team.objects.create(name=name, slug=slugify(name))
    Membership.objects.create(team=team, user=user, role=Membership.OWNER)
    client = Client()
    start = time.perf_counter()
    _ok(client.post(reverse("login"), {"username": name, "password": PASSWORD}), 302)
    created = client.post(
        reverse("journeys:create"),
        {"name": "Ledger", "team": team.pk, "region": "eu-west-1", "quick_start": "1"},
    )
    _ok(created, 302)
    journey = Journey.objects.get(team=team)
    _ok(client.post(reverse("journeys:quick_start", args=[journey.pk]), ANSWERS), 302)
    _ok(client.get(journey.get_absolute_url()))
    for stage in STAGES:  # what the journey page's loaders ask for
        _ok(client.get(reverse("journeys:stage_diagram", args=[journey.pk, stage])))
    _ok(client.get(reverse("journeys:costs", args=[journey.pk])))
    _work_off_queue()
    _ok(client.post(reverse("journeys:exports", args=[journey.pk])), 302)
    _work_off_queue()
    export = Export.objects.get(journey=journey)
    assert export.status == Export.DONE, export.reason
    pdf = client.get(reverse("journeys:export_download", args=[journey.pk, export.pk]))
    _ok(pdf)
    data = pdf.getvalue()  # the download streams the file; the test client joins it
    seconds = time.perf_counter() - start
    cover = _cover_text(data)
    found = re.search(r"Based on \d+ answers?, \d+ carried forward, \d+ defaults?", cover)
    assert found, cover[:400]
    return len(ANSWERS), seconds, found.group(0)


def _cover_text(data: bytes) -> str:
    return " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())


def run() -> list[Result]:
    answers, seconds, sentence = walk()
    print(f"wizard.quick_start: {answers} answers, walk {seconds:.2f} s; cover: {sentence}")
    return [
        ratio_result(
            "wizard.quick_start_answers",
            answers,
            "answers",
            f"the target of {TARGET_ANSWERS} answers for a whole four-stage journey",
            TARGET_ANSWERS,
            1.0,
        ),
        ratio_result(
            "wizard.quick_start_walk",
            seconds,
            "s",
            f"a {WALK_BUDGET_SECONDS:.0f} s budget: sign-in, quick start, four diagrams and "
            "estimates, roadmap PDF downloaded (jobs run in-process)",
            WALK_BUDGET_SECONDS,
            1.0,
        ),
    ]
