"""Diagram jobs: find or queue the diagram of a stage's state, and draw it (in a worker).

Files are content-addressed by the render key, so an equal architecture — in any journey —
reuses the files already drawn instead of rendering again.
"""

from __future__ import annotations

import hashlib
import json

from django.db.models.fields.files import FieldFile

from journeys import drawing, engine
from journeys.jobs import base
from journeys.milestones import milestone_state
from journeys.models import Diagram, Journey, Milestone
from journeys.vocabulary import previous_stage

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
    defaults = {
        "state_hash": state.hash,
        "state": state.to_dict(),
        "previous_state": previous.to_dict() if previous else None,
    }
    key = render_key(state, previous)
    return base.find_or_queue(Diagram, defaults, journey=journey, stage=stage, render_key=key)


def _milestone_states(
    journey: Journey, milestone: Milestone
) -> tuple[engine.ArchitectureState, engine.ArchitectureState | None]:
    """What a milestone's diagram draws: its frozen state, against the previous stage's latest
    milestone."""
    before = previous_stage(milestone.stage)
    previous = Milestone.objects.latest_for(journey, before) if before else None
    return milestone_state(milestone), milestone_state(previous) if previous else None


def milestone_diagram_for(journey: Journey, milestone: Milestone) -> Diagram:
    """A milestone's diagram: found, or queued."""
    return ensure_diagram(journey, milestone.stage, *_milestone_states(journey, milestone))


def milestone_render_key(journey: Journey, milestone: Milestone) -> str:
    """The render key of a milestone's diagram, without finding or queueing it."""
    return render_key(*_milestone_states(journey, milestone))


def render(diagram_id: int) -> Diagram | None:
    """Draw a claimed diagram and store its files; the plain function behind the task."""
    diagram = Diagram.objects.select_related("journey").filter(pk=diagram_id).first()
    if diagram is None or base.reuse_twin(diagram):
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
        svg=base.store(f"{stem}.svg", result.svg),
        png=base.store(f"{stem}.png", result.png),
        script=base.store(f"{stem}.py", result.python_source.encode()),
        node_count=result.node_count,
        render_seconds=result.render_seconds,
        router=result.router,
        reason="",
    )
    return diagram


def _title(state: engine.ArchitectureState) -> str:
    return f"{state.stage.capitalize()} stage — {state.region}"


def file_of(diagram: Diagram, kind: str) -> FieldFile:
    """One of the diagram's files (a key of FILES)."""
    return {"svg": diagram.svg, "png": diagram.png, "py": diagram.script}[kind]


def read(diagram: Diagram, kind: str) -> bytes:
    """The bytes of one of the diagram's files (a key of FILES)."""
    return base.read(file_of(diagram, kind))
