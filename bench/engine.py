"""engine.recommend and engine.stage_page."""

from __future__ import annotations

import json

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from bench.harness import Result, compare
from journeys import demo, engine
from journeys.demo_answers import DEMO_ANSWERS

STAGES = ("launch", "growth", "scale", "beyond")


def recommend_all() -> list[engine.ArchitectureState]:
    return [
        engine.recommend(s, DEMO_ANSWERS[s], region="eu-west-1", dr_region="eu-central-1")
        for s in STAGES
    ]


def run() -> list[Result]:
    states = [s.to_dict() for s in recommend_all()]

    def handle_data() -> None:
        json.loads(json.dumps(states))

    def recommend_and_hash() -> None:
        for state in recommend_all():
            state.hash  # noqa: B018 (the hash is part of every use of a state)

    journey, _ = demo.seed()
    client = Client()
    client.force_login(User.objects.get(username=demo.USERNAME))
    page = reverse("journeys:stage", args=[journey.pk, "scale"])
    bare = f"/bench/bare-stage/{journey.pk}/scale/"

    def stage_page() -> None:
        assert client.get(page).status_code == 200

    def bare_page() -> None:
        assert client.get(bare).status_code == 200

    return [
        compare(
            "engine.recommend",
            recommend_and_hash,
            "json.loads(json.dumps(...)) of the four resulting states",
            handle_data,
            target=20.0,
            repeat=200,
        ),
        compare(
            "engine.stage_page",
            stage_page,
            "the bare wizard page of the same stage (no architecture panel)",
            bare_page,
            target=1.5,
            repeat=60,
        ),
    ]
