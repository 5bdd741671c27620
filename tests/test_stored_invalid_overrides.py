"""A journey that already holds an invalid override (stored before imports checked them, or
made wrong by a later answer) shows it marked and ignored, and every page and job still works.

The bad overrides are written straight into the database, as the old import did.
"""

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from journeys import architecture, exchange, roadmap
from journeys.jobs import diagrams, estimates, exports
from journeys.models import Export, Journey, Milestone
from journeys.tasks import draw_diagram, estimate_stage, export_roadmap

HTMX = {"HX-Request": "true"}
BAD = {
    "web-asg": {"count": "lots", "instance_type": "<script>alert(1)</script>"},
    "primary-db": {"read_replicas": [[[1]]]},
    "app-cache": ["not", "a", "table"],
}


@pytest.fixture(autouse=True)
def snapshot_prices(settings: Any) -> None:
    settings.PRICING_SOURCE = "snapshot"


@pytest.fixture
def broken(journey: Journey) -> Journey:
    journey.overrides = {"growth": BAD, "scale": {"app-service": {"tasks": 10**12}}}
    journey.save(update_fields=["overrides"])
    return journey


def stage_url(name: str, journey: Journey, stage: str = "growth") -> str:
    return reverse(f"journeys:{name}", args=[journey.pk, stage])


def test_the_engine_ignores_them_and_names_each_one(broken: Journey) -> None:
    proposal = architecture.stage_proposal(broken, "growth")
    assert [str(item) for item in proposal.ignored] == [
        "app-cache: must be a table of parameters",
        "web-asg.count: 'lots' must be a whole number from 1 to 100",
        "web-asg.instance_type: '<script>alert(1)</script>' is not offered; choose one of "
        "t3.small, t3.medium, t3.large, m6g.large, m6g.xlarge, m6g.2xlarge, c6g.large, "
        "c6g.xlarge, c6g.2xlarge, m6i.large, m6i.xlarge, m6i.2xlarge, r6g.large, r6g.xlarge",
        "primary-db.read_replicas: [[[1]]] must be a whole number from 0 to 15",
    ]
    clean = Journey(region=broken.region, overrides={})
    no_answers = architecture.JourneyAnswers({})
    assert proposal.state.hash == architecture.stage_state(clean, "growth", no_answers).hash
    assert not any(c.overridden for c in proposal.state.components)


def test_the_stage_page_marks_them_escaped_and_offers_the_reset(
    editor_client: Any, broken: Journey
) -> None:
    response = editor_client.get(stage_url("stage", broken))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="ignored-web-asg"' in html and "invalid override, ignored" in html
    assert "Instances: &#x27;lots&#x27; must be a whole number from 1 to 100" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'id="ignored-primary-db"' in html
    reset = reverse("journeys:override", args=[broken.pk, "growth", "web-asg"])
    assert f'hx-post="{reset}"' in html and 'name="reset"' in html


def test_a_far_too_large_count_is_marked_on_its_stage(editor_client: Any, broken: Journey) -> None:
    html = editor_client.get(stage_url("panel", broken, "scale"), headers=HTMX).content.decode()
    assert "Tasks: 1000000000000 must be a whole number from 1 to 100" in html


@pytest.mark.parametrize("name", ["stage_diagram", "stage_estimate"])
def test_the_diagram_and_the_estimate_are_made_without_them(
    editor_client: Any, broken: Journey, name: str
) -> None:
    assert editor_client.get(stage_url(name, broken)).status_code == 200


def test_the_diagram_and_estimate_jobs_finish(broken: Journey) -> None:
    answers = architecture.JourneyAnswers.of(broken)
    state = architecture.stage_state(broken, "growth", answers)
    diagram = diagrams.ensure_diagram(broken, "growth", state, None)
    draw_diagram.run(diagram.pk)
    diagram.refresh_from_db()
    assert diagram.status == "done", diagram.reason
    row = estimates.ensure_estimate(
        broken, "growth", state, architecture.stage_facts("growth", answers)
    )
    estimate_stage.run(row.pk)
    row.refresh_from_db()
    assert row.status == "done", row.reason


def test_the_costs_page_works(editor_client: Any, broken: Journey) -> None:
    assert editor_client.get(reverse("journeys:costs", args=[broken.pk])).status_code == 200


def test_a_milestone_saves(editor_client: Any, broken: Journey) -> None:
    response = editor_client.post(stage_url("milestones", broken), {"note": "with a bad one"})
    assert response.status_code == 302
    milestone = Milestone.objects.get(journey=broken, stage="growth")
    assert editor_client.get(milestone.get_absolute_url()).status_code == 200


def test_resetting_removes_the_component_s_overrides(editor_client: Any, broken: Journey) -> None:
    url = reverse("journeys:override", args=[broken.pk, "growth", "web-asg"])
    response = editor_client.post(url, {"reset": "1"}, headers=HTMX)
    assert response.status_code == 200
    assert 'id="ignored-web-asg"' not in response.content.decode()
    broken.refresh_from_db()
    assert "web-asg" not in broken.overrides["growth"]
    assert "primary-db" in broken.overrides["growth"]


def test_another_component_can_still_be_changed(editor_client: Any, broken: Journey) -> None:
    """The invalid overrides of web-asg do not block a change to the database."""
    url = reverse("journeys:override", args=[broken.pk, "growth", "primary-db"])
    editor_client.post(url, {"reset": "1"})
    response = editor_client.post(url, {"multi_az": "false"}, headers=HTMX)
    assert response.status_code == 200
    broken.refresh_from_db()
    assert broken.overrides["growth"]["primary-db"] == {"multi_az": False}
    assert broken.overrides["growth"]["web-asg"] == BAD["web-asg"]


def test_changing_one_parameter_leaves_the_invalid_ones_of_that_component_marked(
    editor_client: Any, broken: Journey
) -> None:
    url = reverse("journeys:override", args=[broken.pk, "growth", "web-asg"])
    response = editor_client.post(url, {"azs": "1"}, headers=HTMX)
    assert response.status_code == 200
    broken.refresh_from_db()
    assert broken.overrides["growth"]["web-asg"]["azs"] == 1
    assert 'id="ignored-web-asg"' in response.content.decode()


def test_the_json_export_leaves_them_out_and_imports_again(
    editor_client: Any, broken: Journey
) -> None:
    response = editor_client.get(reverse("journeys:export", args=[broken.pk]))
    assert response.status_code == 200
    doc = json.loads(response.content)
    assert doc["stages"]["growth"]["overrides"] == {}
    assert doc["stages"]["scale"]["overrides"] == {}
    assert exchange.problems(doc) == []


def test_the_roadmap_export_finishes(
    broken: Journey, editor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages: list[str] = []

    def write_pdf(html: str) -> roadmap.Pdf:
        pages.append(html)
        return roadmap.Pdf(data=b"%PDF-1.7\n", pages=1, seconds=0.01)

    monkeypatch.setattr(roadmap, "write_pdf", write_pdf)
    export = exports.request_export(broken, editor, roadmap.live_selection(), queue=False)
    export_roadmap.run(export.pk)
    export.refresh_from_db()
    assert export.status == Export.DONE, export.reason
    assert "<script>alert(1)</script>" not in pages[0]
