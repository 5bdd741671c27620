"""diagram.render and diagram.cached."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from bench.harness import Result, compare
from journeys import architecture, demo, drawing
from journeys.jobs import diagrams
from journeys.models import Diagram


def run() -> list[Result]:
    journey, _ = demo.seed()
    state, previous = architecture.stage_with_previous(journey, "scale")
    dot_source = drawing.draw(state, previous=previous).dot_source

    def render() -> None:
        drawing.draw(state, previous=previous)

    def raw_dot() -> None:
        drawing.render_dot(dot_source, "svg")
        drawing.render_dot(dot_source, "png")

    diagram = diagrams.ensure_diagram(journey, "scale", state, previous)
    if diagram.status != Diagram.DONE:
        diagram.run_here(diagrams.render)
    client = Client()
    client.force_login(User.objects.get(username=demo.USERNAME))
    url = reverse("journeys:stage_diagram", args=[journey.pk, "scale"])

    def cached_request() -> None:
        response = client.get(url, headers={"HX-Request": "true"})
        assert response.status_code == 200 and b"<img" in response.content

    return [
        compare(
            "diagram.render",
            render,
            "raw dot -Tsvg plus dot -Tpng on the same DOT source",
            raw_dot,
            target=1.5,
            repeat=15,
            warmup=2,
        ),
        compare(
            "diagram.cached",
            cached_request,
            "rendering the same diagram (SVG + PNG)",
            render,
            target=0.05,
            repeat=15,
            warmup=2,
        ),
    ]
