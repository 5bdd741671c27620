"""Diagram jobs: queued on a new state, claimed once, rendered into storage, reused by hash."""

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from journeys import architecture, drawing
from journeys.jobs import diagrams
from journeys.milestones import save_milestone
from journeys.models import Answer, Diagram, Journey
from journeys.reviews import submissions
from journeys.tasks import draw_diagram

HTMX = {"HX-Request": "true"}


def ensure(journey: Journey, stage: str = "growth") -> Diagram:
    state, previous = architecture.stage_with_previous(journey, stage)
    return diagrams.ensure_diagram(journey, stage, state, previous)


def test_a_new_state_queues_one_diagram_on_commit(
    journey: Journey, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        diagram = ensure(journey)
        again = ensure(journey)
    assert again.pk == diagram.pk
    assert diagram.status == Diagram.QUEUED
    assert len(callbacks) == 1


def test_a_diagram_is_claimed_once(journey: Journey) -> None:
    diagram = ensure(journey)
    assert Diagram.objects.claim(diagram.pk)
    assert not Diagram.objects.claim(diagram.pk)


def test_the_task_renders_the_files_and_a_second_delivery_does_nothing(
    journey: Journey,
) -> None:
    diagram = ensure(journey)
    draw_diagram.run(diagram.pk)
    diagram.refresh_from_db()
    assert diagram.status == Diagram.DONE, diagram.reason
    svg = diagrams.read(diagram, "svg")
    assert svg.startswith(b"<?xml") or b"<svg" in svg[:500]
    assert diagrams.read(diagram, "png").startswith(b"\x89PNG")
    assert b"from diagrams" in diagrams.read(diagram, "py")
    finished = diagram.finished
    draw_diagram.run(diagram.pk)
    diagram.refresh_from_db()
    assert diagram.finished == finished and diagram.attempts == 1


def test_an_equal_state_elsewhere_reuses_the_files_without_rendering(
    journey: Journey, editor: Any
) -> None:
    first = ensure(journey)
    draw_diagram.run(first.pk)
    first.refresh_from_db()
    twin = Journey.objects.create(team=journey.team, name="Twin", region=journey.region)
    reused = ensure(twin)
    assert reused.status == Diagram.DONE and reused.attempts == 0
    assert reused.svg.name == first.svg.name


def test_a_newer_state_supersedes_a_queued_older_one(journey: Journey) -> None:
    old = ensure(journey)
    Answer.objects.create(
        journey=journey, stage="growth", question="peak_rps", value=3000, catalogue_version="x"
    )
    new = ensure(journey)
    assert new.pk != old.pk
    assert not Diagram.objects.filter(pk=old.pk).exists()
    draw_diagram.run(old.pk)  # the message of the superseded one arrives: nothing happens


def test_without_graphviz_the_diagram_fails_with_a_reason(
    journey: Journey, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    diagram = ensure(journey)
    draw_diagram.run(diagram.pk)
    diagram.refresh_from_db()
    assert diagram.status == Diagram.FAILED
    assert "Graphviz" in diagram.reason


def test_an_unexpected_error_fails_the_diagram_with_a_reason_and_logs_it(
    journey: Journey, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("dot went away")

    monkeypatch.setattr(drawing, "draw", broken)
    diagram = ensure(journey)
    draw_diagram.run(diagram.pk)
    diagram.refresh_from_db()
    assert diagram.status == Diagram.FAILED and "unexpected error" in diagram.reason
    assert "dot went away" in caplog.text and "dot went away" not in diagram.reason


def test_a_failed_diagram_can_be_tried_again(
    editor_client: Any, journey: Journey, django_capture_on_commit_callbacks: Any
) -> None:
    diagram = ensure(journey)
    diagram.fail("Graphviz is not installed")
    with django_capture_on_commit_callbacks() as callbacks:
        response = editor_client.post(
            reverse("journeys:diagram_retry", args=[journey.pk, diagram.pk]),
            {"next": reverse("journeys:stage_diagram", args=[journey.pk, "growth"])},
            headers=HTMX,
        )
    assert response.status_code == 200
    diagram.refresh_from_db()
    assert diagram.status == Diagram.QUEUED and len(callbacks) == 1


def test_the_page_polls_while_pending_and_stops_when_done(
    editor_client: Any, journey: Journey
) -> None:
    url = reverse("journeys:stage_diagram", args=[journey.pk, "growth"])
    pending = editor_client.get(url, headers=HTMX).content.decode()
    assert 'hx-trigger="every 1s"' in pending and "<progress" in pending
    draw_diagram.run(Diagram.objects.get().pk)
    done = editor_client.get(url, headers=HTMX)
    html = done.content.decode()
    assert "every 1s" not in html and "<img" in html
    assert done["HX-Trigger"] == "diagram-ready"


def test_a_diagram_drawn_after_the_orthogonal_router_crashed_says_so_on_its_row_and_page(
    editor_client: Any, journey: Journey, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = drawing.render.run_dot

    def maze_abort(args: list[str], **kwargs: Any) -> bytes:
        if "splines=ortho" in Path(args[-1]).read_text():
            raise drawing.GraphvizCrashed("dot: maze.c:311: chkSgraph: Assertion failed.")
        return real(args, **kwargs)

    monkeypatch.setattr(drawing.render, "run_dot", maze_abort)
    diagram = ensure(journey)
    draw_diagram.run(diagram.pk)
    diagram.refresh_from_db()
    assert (diagram.status, diagram.router) == (Diagram.DONE, "polyline")
    url = reverse("journeys:stage_diagram", args=[journey.pk, "growth"])
    html = editor_client.get(url, headers=HTMX).content.decode()
    assert 'data-router="polyline"' in html
    assert "Arrows drawn as straight segments: Graphviz could not route right-angled" in html


def test_a_reused_diagram_keeps_the_router_that_drew_it(journey: Journey, editor: Any) -> None:
    first = ensure(journey)
    draw_diagram.run(first.pk)
    Diagram.objects.filter(pk=first.pk).update(router="spline")
    twin = Journey.objects.create(team=journey.team, name="Twin", region=journey.region)
    assert ensure(twin).router == "spline"


def test_the_done_diagram_opens_in_the_viewer_with_labelled_controls(
    editor_client: Any, journey: Journey
) -> None:
    draw_diagram.run(ensure(journey).pk)
    url = reverse("journeys:stage_diagram", args=[journey.pk, "growth"])
    html = editor_client.get(url, headers=HTMX).content.decode()
    assert 'class="diagram-open" data-viewer="viewer-growth"' in html
    assert '<dialog id="viewer-growth" class="diagram-viewer"' in html
    for label in ("Zoom in", "Zoom out", "Fit the diagram to the window", "Close the viewer"):
        assert f'aria-label="{label}"' in html
    assert 'class="viewer-stage" tabindex="0"' in html
    assert "Arrows drawn at right angles." in html


def test_the_three_downloads(editor_client: Any, journey: Journey) -> None:
    diagram = ensure(journey)
    draw_diagram.run(diagram.pk)
    for kind, content_type in diagrams.FILES.items():
        url = reverse("journeys:diagram_file", args=[journey.pk, diagram.pk, kind])
        response = editor_client.get(url, {"download": "1"})
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"].startswith("attachment;")


def test_another_team_cannot_download(client: Any, outsider: Any, journey: Journey) -> None:
    diagram = ensure(journey)
    draw_diagram.run(diagram.pk)
    client.force_login(outsider)
    url = reverse("journeys:diagram_file", args=[journey.pk, diagram.pk, "svg"])
    assert client.get(url).status_code == 404


def test_a_milestone_has_its_own_diagram(editor_client: Any, journey: Journey, editor: Any) -> None:
    milestone, _ = save_milestone(journey, "scale", "", editor)
    url = reverse("journeys:milestone_diagram", args=[journey.pk, "scale", milestone.number])
    html = editor_client.get(url, headers=HTMX).content.decode()
    assert f'id="diagram-scale-m{milestone.number}"' in html
    diagram = Diagram.objects.get(stage="scale")
    assert diagram.state_hash == milestone.state_hash


def test_the_cli_draws_into_a_folder(journey: Journey, tmp_path: Path) -> None:
    out = tmp_path / "out"
    call_command("draw_journey", str(journey.pk), "--stage", "scale", "--output", str(out))
    names = sorted(p.suffix for p in out.iterdir())
    assert names == [".png", ".py", ".svg"]
    assert b"/site-packages/" not in (out / f"journey-{journey.pk}-scale.svg").read_bytes()


def test_a_share_link_serves_its_milestones_diagram_and_nothing_else(
    client: Any, journey: Journey, editor: Any
) -> None:
    from django.utils import timezone

    from tests.conftest import share_link

    milestone, _ = save_milestone(journey, "growth", "", editor)
    link = share_link(journey, editor, "Board")
    token = link.token
    url = reverse("journeys:shared_milestone_diagram", args=[token, "growth", milestone.number])
    assert client.get(url, headers=HTMX).status_code == 200  # no account needed
    draw_diagram.run(Diagram.objects.get(stage="growth").pk)
    html = client.get(url, headers=HTMX).content.decode()
    file_url = reverse("journeys:shared_diagram_file", args=[token, "growth", 1, "png"])
    assert file_url in html
    assert f"/journeys/{journey.pk}/" not in html  # nothing that needs an account
    assert client.get(file_url).content.startswith(b"\x89PNG")
    other = reverse("journeys:shared_milestone_diagram", args=[token, "growth", 9])
    assert client.get(other).status_code == 404
    tampered = reverse("journeys:shared_milestone_diagram", args=[token + "x", "growth", 1])
    assert client.get(tampered).status_code == 404
    link.revoked = timezone.now()
    link.save()
    assert client.get(file_url).status_code == 404


def test_an_architect_sees_a_submitted_milestones_diagram(
    client: Any, journey: Journey, editor: Any, architect: Any
) -> None:
    milestone, _ = save_milestone(journey, "growth", "", editor)
    client.force_login(architect)
    url = reverse("journeys:milestone_diagram", args=[journey.pk, "growth", milestone.number])
    assert client.get(url, headers=HTMX).status_code == 404  # not submitted: not theirs
    for stage in ("launch", "scale", "beyond"):
        save_milestone(journey, stage, "", editor)
    submissions.submit(journey, editor, {}, "")
    html = client.get(url, headers=HTMX).content.decode()
    assert f'id="diagram-growth-m{milestone.number}"' in html
