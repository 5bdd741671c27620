"""wizard.save_answer: saving one answer through the htmx endpoint, against one ORM write."""

from __future__ import annotations

import itertools

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from bench.harness import Result, compare
from journeys import demo


def run() -> list[Result]:
    journey, _ = demo.seed()
    client = Client()
    client.force_login(User.objects.get(username=demo.USERNAME))
    url = reverse("journeys:answer", args=[journey.pk, "growth", "peak_rps"])
    values = itertools.cycle(["120", "121", "122.5"])

    def save_answer() -> None:
        response = client.post(url, {"value": next(values)}, headers={"HX-Request": "true"})
        assert response.status_code == 200, response.status_code

    def one_write() -> None:
        # The same request body, so that only the server's work differs.
        response = client.post(
            f"/bench/one-write/{journey.pk}/", {"value": "120"}, headers={"HX-Request": "true"}
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
