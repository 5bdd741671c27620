"""Diagram jobs: find or queue the diagram of a stage's state, and render it (in a worker).

Files are content-addressed by the render key, so an equal architecture — in any journey —
reuses the files already drawn instead of rendering again.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from journeys import drawing, engine
from journeys.architecture import previous_stage
from journeys.milestones import milestone_state
from journeys.models import Diagram, Journey, Milestone

FILES = {"svg": "image/svg+xml", "png": "image/png", "py": "text/x-python"}


def render_key(state: engine.ArchitectureState, previous: engine.ArchitectureState | None) -> str:
    """Everything the picture depends on: the state, and the previous stage's state (which
    decides what is highlighted as new)."""
    text = json.dumps([state.hash, previous.hash if previous else None], separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def ensure_diagram(
    journey: Journey,
    stage: str,
    state: engine.ArchitectureState,
    previous: engine.ArchitectureState | None,
) -> Diagram:
    """The diagram row of this state: found, reused from an equal one, or queued."""
    key = render_key(state, previous)
    diagram, created = Diagram.objects.get_or_create(
        journey=journey,
        stage=stage,
        render_key=key,
        defaults={
            "state_hash": state.hash,
            "state": state.to_dict(),
            "previous_state": previous.to_dict() if previous else None,
        },
    )
    if not created:
        return diagram
    if _reuse_twin(diagram):
        return diagram
    diagram.supersede_queued()
    enqueue(diagram)
    return diagram


def milestone_diagram_for(journey: Journey, milestone: Milestone) -> Diagram:
    """A milestone's diagram: its frozen state, against the previous stage's latest milestone."""
    before = previous_stage(milestone.stage)
    previous = Milestone.objects.latest_for(journey, before) if before else None
    return ensure_diagram(
        journey,
        milestone.stage,
        milestone_state(milestone),
        milestone_state(previous) if previous else None,
    )


def enqueue(diagram: Diagram) -> None:
    from journeys.tasks import draw_diagram

    transaction.on_commit(lambda: draw_diagram.delay(diagram.pk))


def retry(diagram: Diagram) -> None:
    """Queue a failed diagram again."""
    if diagram.requeue():
        enqueue(diagram)


def _reuse_twin(diagram: Diagram) -> bool:
    twin = (
        Diagram.objects.filter(render_key=diagram.render_key, status=Diagram.DONE)
        .exclude(pk=diagram.pk)
        .first()
    )
    if twin is None:
        return False
    diagram.finish(
        svg=twin.svg.name,
        png=twin.png.name,
        script=twin.script.name,
        node_count=twin.node_count,
        render_seconds=twin.render_seconds,
    )
    return True


def render(diagram_id: int) -> Diagram | None:
    """Draw a claimed diagram and store its files; the plain function behind the task."""
    diagram = Diagram.objects.select_related("journey").filter(pk=diagram_id).first()
    if diagram is None or _reuse_twin(diagram):
        return diagram
    state = engine.ArchitectureState.from_dict(diagram.state)
    previous = (
        engine.ArchitectureState.from_dict(diagram.previous_state)
        if diagram.previous_state
        else None
    )
    try:
        result = drawing.draw(state, previous=previous, title=_title(state))
    except drawing.DrawingError as error:
        diagram.fail(str(error))
        return diagram
    stem = f"diagrams/{diagram.render_key}"
    diagram.finish(
        svg=_store(f"{stem}.svg", result.svg),
        png=_store(f"{stem}.png", result.png),
        script=_store(f"{stem}.py", result.python_source.encode()),
        node_count=result.node_count,
        render_seconds=result.render_seconds,
        reason="",
    )
    return diagram


def _title(state: engine.ArchitectureState) -> str:
    return f"{state.stage.capitalize()} stage — {state.region}"


def _store(name: str, content: bytes) -> str:
    """Save under a content-addressed name; an existing file of that name is the same file."""
    if default_storage.exists(name):
        return name
    return default_storage.save(name, ContentFile(content))


def read(diagram: Diagram, kind: str) -> Any:
    field = {"svg": diagram.svg, "png": diagram.png, "py": diagram.script}[kind]
    with field.open("rb") as handle:
        return handle.read()
