"""What each stage of a roadmap shows: a chosen milestone, or the live answers.

A selection maps every stage to a milestone number, or to None for the answers as they are
now ("live"). Reading it gives one `StageSource` per stage with the state the PDF prints, the
previous stage's state as printed too (for "what changes" and the diagram's highlights), and
the facts an estimate needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from journeys import architecture, catalog, engine
from journeys.milestones import answers_snapshot, milestone_state
from journeys.models import Journey, Milestone
from journeys.vocabulary import STAGES

Selection = dict[str, int | None]


class InvalidSelection(ValueError):
    """A selection naming milestones the journey does not have; `errors` is {stage: message}."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{stage}: {message}" for stage, message in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class StageSource:
    stage: str
    milestone: Milestone | None  # None: the live answers
    state: engine.ArchitectureState
    previous: engine.ArchitectureState | None  # the stage before, as this roadmap shows it
    facts: architecture.StageFacts
    answers: dict[str, dict[str, Any]]  # the exchange format's {question: {value, note, …}}
    catalogue_version: str
    as_of: datetime  # when these inputs last changed

    @property
    def label(self) -> str:
        return f"milestone {self.milestone.number}" if self.milestone else "live"


def live_selection() -> Selection:
    return dict.fromkeys(STAGES)


def parse_selection(journey: Journey, data: Mapping[str, Any]) -> Selection:
    """{stage: number or None} from a form ({"milestone-growth": "2"}) or the command line
    ({"growth": "2"}); an empty or absent value, or "live", means the live answers.
    Raises InvalidSelection naming every stage whose milestone does not exist."""
    numbers = set(journey.milestones.values_list("stage", "number"))
    selection: Selection = {}
    errors: dict[str, str] = {}
    for stage in STAGES:
        raw = data.get(f"milestone-{stage}", data.get(stage, ""))
        raw = str(raw if raw is not None else "").strip()
        if raw in ("", "live"):
            selection[stage] = None
            continue
        # ASCII digits only, and not too many: int() takes "²" badly and 5,000 digits not at all.
        number = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else None
        if number is None or (stage, number) not in numbers:
            errors[stage] = f"The {stage} stage has no milestone {raw[:10]}."
            continue
        selection[stage] = number
    if errors:
        raise InvalidSelection(errors)
    return selection


def read_sources(journey: Journey, selection: Mapping[str, int | None]) -> list[StageSource]:
    """One source per stage, in stage order (two queries: the milestones, the answers).
    Raises InvalidSelection when a chosen milestone no longer exists."""
    wanted = {stage: n for stage, n in selection.items() if n is not None}
    found = {
        (m.stage, m.number): m
        for m in Milestone.objects.filter(journey=journey, stage__in=list(wanted)).select_related(
            "author"
        )
        if wanted.get(m.stage) == m.number
    }
    missing = {
        stage: f"Milestone {n} of the {stage} stage no longer exists."
        for stage, n in wanted.items()
        if (stage, n) not in found
    }
    if missing:
        raise InvalidSelection(missing)
    live = architecture.JourneyAnswers.of(journey) if len(wanted) < len(STAGES) else None
    sources: list[StageSource] = []
    previous: engine.ArchitectureState | None = None
    for stage in STAGES:
        number = selection.get(stage)
        milestone = found.get((stage, number)) if number is not None else None
        if milestone is not None:
            source = StageSource(
                stage=stage,
                milestone=milestone,
                state=milestone_state(milestone),
                previous=previous,
                facts=architecture.facts_from_snapshot(stage, milestone.answers),
                answers=dict(milestone.answers),
                catalogue_version=milestone.catalogue_version,
                as_of=milestone.created,
            )
        else:
            assert live is not None  # loaded whenever a stage is live
            # Answers carried forward from earlier stages are inputs of this one too.
            upto = STAGES[: STAGES.index(stage) + 1]
            stamps = [a.updated for s in upto for a in live.own(s).values()]
            source = StageSource(
                stage=stage,
                milestone=None,
                state=architecture.stage_state(journey, stage, live),
                previous=previous,
                facts=architecture.stage_facts(stage, live),
                answers=answers_snapshot(live, stage),
                catalogue_version=catalog.get().version,
                as_of=max([journey.updated, *stamps]),
            )
        sources.append(source)
        previous = source.state
    return sources
