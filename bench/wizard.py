"""wizard.save_answer: saving one answer through the htmx endpoint, against one ORM write."""

from __future__ import annotations

import itertools

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from bench.harness import Result, compare
from journeys import answers, demo
from journeys.models import Answer


def run() -> list[Result]:
    journey, _ = demo.seed()
    client = Client()
    client.force_login(User.objects.get(username=demo.USERNAME))
    url = reverse("journeys:answer", args=[journey.pk, "growth", "peak_rps"])
    values = itertools.cycle(["120", "121", "122.5"])
    # Each save is based on the version the one before returned, as the page sends it; counted
    # here rather than read from the response, so that the client does no extra work.
    current = Answer.objects.filter(journey=journey, stage="growth", question="peak_rps").first()
    version = answers.version_of(current)
    if version.answer_id is None:
        first = client.post(url, {"value": "119", "version": "0"}, headers={"HX-Request": "true"})
        assert first.status_code == 200, first.status_code
        current = Answer.objects.get(journey=journey, stage="growth", question="peak_rps")
        version = answers.version_of(current)

    def save_answer() -> None:
        nonlocal version
        response = client.post(
            url, {"value": next(values), "version": str(version)}, headers={"HX-Request": "true"}
        )
        assert response.status_code == 200, response.status_code
        version = answers.Version(version.answer_id, version.number + 1)

    def one_write() -> None:
        # The same request body, so that only the server's work differs.
        response = client.post(
            f"/bench/one-write/{journey.pk}/",
            {"value": "120", "version": str(version)},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200, response.status_code

    return [
        compare(
            "wizard.save_answer",
            save_answer,
            "a minimal Django view doing one ORM write (same client, middleware, database)",
            one_write,
            target=2.0,
            repeat=600,
        )
    ]
