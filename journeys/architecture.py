"""Where the journey meets the engine: a stage's answers, overrides and assumptions in, the
architecture state out. The engine itself stays pure; this module reads the models."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from journeys import catalog, engine
from journeys.engine.overrides import IgnoredOverride, set_aside, well_formed
from journeys.models import Answer, Journey, answered_values
from journeys.vocabulary import (
    NA_REASONS,
    PILLAR_LABELS,
    PILLARS,
    STAGES,
    previous_stage,
)


@functools.cache
def choice_risks(stage_slug: str) -> dict[str, dict[str, dict[str, str]]]:
    """{question: {choice: {pillar: level}}} of one stage, for the engine's findings."""
    risks: dict[str, dict[str, dict[str, str]]] = {}
    for q in catalog.get().stage(stage_slug).questions.values():
        by_choice = {c.value: dict(c.risks) for c in q.choices if c.risks}
        if by_choice:
            risks[q.id] = by_choice
    return risks


@dataclass(frozen=True)
class Proposal:
    """A stage's architecture and the stored overrides the engine set aside to make it."""

    state: engine.ArchitectureState
    ignored: tuple[IgnoredOverride, ...] = ()

    def ignored_by_component(self) -> dict[str, list[IgnoredOverride]]:
        grouped: dict[str, list[IgnoredOverride]] = {}
        for item in self.ignored:
            grouped.setdefault(item.component_id, []).append(item)
        return grouped


def propose(
    stage_slug: str,
    values: Mapping[str, Any],
    overrides: Any,
    *,
    assumptions: Mapping[str, Any] | None = None,
    region: str = "us-east-1",
    dr_region: str | None = None,
) -> Proposal:
    """`engine.recommend`, except that an override the engine refuses is set aside and named
    instead of raised. A journey may hold one written before overrides were checked, or one
    that a later answer made wrong (an instance class once the database went serverless):
    the stage must still show, price and export, with that override marked."""
    usable, ignored = well_formed(overrides)
    # Each refusal removes one entry, so this ends within one try per entry and a last one.
    for _ in range(sum(len(params) for params in usable.values()) + 1):
        try:
            state = engine.recommend(
                stage_slug,
                values,
                overrides=usable,
                assumptions=assumptions,
                region=region,
                dr_region=dr_region,
                choice_risks=choice_risks(stage_slug),
            )
        except engine.InvalidOverride as error:
            usable, refused = set_aside(usable, error)
            ignored.append(refused)
        else:
            return Proposal(state, tuple(ignored))
    raise AssertionError("unreachable: every refusal removes an override")


def stage_proposal(journey: Journey, stage_slug: str, answers: Mapping[str, Answer]) -> Proposal:
    """The architecture the engine proposes for one stage of the journey, with the stored
    overrides it could not apply."""
    return propose(
        stage_slug,
        answered_values(dict(answers)),
        journey.overrides.get(stage_slug, {}),
        assumptions=journey.assumptions,
        region=journey.region,
        dr_region=journey.dr_region or None,
    )


def stage_state(
    journey: Journey, stage_slug: str, answers: Mapping[str, Answer]
) -> engine.ArchitectureState:
    """The architecture the engine proposes for one stage of the journey."""
    return stage_proposal(journey, stage_slug, answers).state


@dataclass(frozen=True)
class StageFacts:
    """What an estimate needs of a stage's answers besides its state."""

    customers: int
    traffic_pattern: str


def stage_facts(stage_slug: str, answers: Mapping[str, Answer]) -> StageFacts:
    return facts_from_values(stage_slug, answered_values(dict(answers)))


def facts_from_values(stage_slug: str, values: Mapping[str, Any]) -> StageFacts:
    """The facts from answered values (question id -> value); the stage defaults fill gaps."""
    defaults = engine.STAGE_DEFAULTS[stage_slug]
    return StageFacts(
        customers=int(values.get("customers") or defaults["customers"]),
        traffic_pattern=str(values.get("traffic_pattern") or defaults["traffic_pattern"]),
    )


def answers_with_previous(journey: Journey, stage_slug: str) -> dict[str, dict[str, Answer]]:
    """The answers of a stage and of the stage before it, in one query."""
    before = previous_stage(stage_slug)
    slugs = [stage_slug] if before is None else [before, stage_slug]
    grouped: dict[str, dict[str, Answer]] = {slug: {} for slug in slugs}
    for answer in journey.answers.filter(stage__in=slugs):
        grouped[answer.stage][answer.question] = answer
    return grouped


def stage_with_previous(
    journey: Journey, stage_slug: str, grouped: dict[str, dict[str, Answer]] | None = None
) -> tuple[engine.ArchitectureState, engine.ArchitectureState | None]:
    """This stage's state and the previous stage's (for "what changes")."""
    grouped = grouped if grouped is not None else answers_with_previous(journey, stage_slug)
    before = previous_stage(stage_slug)
    current = stage_state(journey, stage_slug, grouped[stage_slug])
    previous = stage_state(journey, before, grouped[before]) if before else None
    return current, previous


def all_states(journey: Journey) -> dict[str, engine.ArchitectureState]:
    by_stage = journey.answers_by_stage()
    return {slug: stage_state(journey, slug, by_stage[slug]) for slug in STAGES}


def panel(
    state: engine.ArchitectureState, previous: engine.ArchitectureState | None
) -> dict[str, Any]:
    """What the architecture panel shows: the state, grouped for reading."""
    changes = engine.diff(previous, state)
    new_ids = set(changes.added)
    findings_by_pillar: dict[str, list[engine.Finding]] = {}
    for finding in sorted(state.findings, key=lambda f: (f.risk != "high", f.title)):
        findings_by_pillar.setdefault(finding.pillar, []).append(finding)
    return {
        "state": state,
        "diff": changes,
        "new_ids": new_ids,
        "primary": [c for c in state.components if not c.id.startswith("dr-")],
        "dr_components": [c for c in state.components if c.id.startswith("dr-")],
        "findings_by_pillar": [
            (pillar, PILLAR_LABELS[pillar], findings_by_pillar.get(pillar, []))
            for pillar in PILLARS
        ],
        "risk_counts": [
            (pillar, PILLAR_LABELS[pillar], state.risk_counts.get(pillar, {})) for pillar in PILLARS
        ],
        "one_way_doors": [c for c in state.components if c.door == "one_way"],
    }


class SavedStage(Protocol):
    """A stage shown from a saved milestone (a submission's, a share link's)."""

    @property
    def stage(self) -> catalog.Stage: ...

    @property
    def state(self) -> engine.ArchitectureState: ...


def panel_of(stages: Sequence[SavedStage], current: SavedStage) -> dict[str, Any]:
    """The panel of one of a row of saved stages, compared with the stage before it."""
    index = stages.index(current)
    previous = stages[index - 1] if index else None
    shown = panel(current.state, previous.state if previous else None)
    shown["previous_title"] = previous.stage.title if previous else None
    return shown


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def override_fields(component: engine.Component) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Each overridable parameter of a component: its current value as a form shows it and,
    for the parameters chosen from a list, the options (empty for the others)."""
    db_engine = str(component.params.get("engine", ""))
    options: dict[str, tuple[str, ...]] = {
        "instance_type": engine.INSTANCE_TYPES,
        "node_type": engine.CACHE_NODE_TYPES,
        "multi_az": ("true", "false"),
        "instance_class": (
            engine.AURORA_INSTANCE_CLASSES
            if db_engine.startswith("aurora")
            else engine.DB_INSTANCE_CLASSES
        ),
        "engine": (
            engine.SERVERLESS_DB_ENGINES
            if component.kind == "serverless_db"
            else engine.RELATIONAL_ENGINES
        ),
    }
    current = {**component.params, "azs": component.azs}
    return {
        param: (_shown(current.get(param)), options.get(param, ()))
        for param in engine.OVERRIDABLE_PARAMS.get(component.kind, ())
    }


def overrides_with(
    journey: Journey, stage: str, component_id: str, changes: Mapping[str, Any]
) -> dict[str, Any]:
    """The journey's whole override table with these changes to one component (not stored)."""
    stage_overrides = dict(journey.overrides.get(stage, {}))
    stage_overrides[component_id] = {**stage_overrides.get(component_id, {}), **changes}
    return {**journey.overrides, stage: stage_overrides}


def check_overrides(
    journey: Journey, stage: str, stage_overrides: dict[str, Any], component_id: str
) -> None:
    """engine.InvalidOverride when a change to one component's overrides does not fit with
    the rest and the stage's answers (parameters valid one by one may not be together).
    Overrides that were set aside before the change stay marked; they do not block it."""
    answers = answered_values(journey.answers_for(stage))

    def refused(overrides: Any) -> list[IgnoredOverride]:
        found = propose(
            stage,
            answers,
            overrides,
            assumptions=journey.assumptions,
            region=journey.region,
            dr_region=journey.dr_region or None,
        ).ignored
        return [item for item in found if item.component_id == component_id]

    before = refused(journey.overrides.get(stage, {}))
    for item in refused(stage_overrides):
        if item not in before:
            raise engine.InvalidOverride(component_id, item.param, item.message)


def reset_overrides(journey: Journey, stage: str, component_id: str) -> None:
    stage_overrides = dict(journey.overrides.get(stage, {}))
    stage_overrides.pop(component_id, None)
    journey.overrides = {**journey.overrides, stage: stage_overrides}


def readable_answers(stage: str, snapshot: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A milestone's answers as questions and readable values, in catalogue order."""
    rows = []
    for q in catalog.get().stage(stage).questions.values():
        entry = snapshot.get(q.id)
        if entry is None:
            continue
        rows.append(
            {
                "question": q,
                "value": "Not applicable"
                if entry.get("not_applicable")
                else q.display(entry.get("value")),
                "note": entry.get("note", ""),
                "reason": dict(NA_REASONS).get(entry.get("not_applicable", ""), ""),
            }
        )
    return rows


# A side of a comparison: (key, title, state), or None when there is nothing to show.
Side = tuple[str, str, engine.ArchitectureState] | None


def component_pairs(
    left: Side, right: Side
) -> list[tuple[str, engine.Component | None, engine.Component | None]]:
    """(id, left component, right component) for every component on either side."""
    if not left or not right:
        return []
    a = {c.id: c for c in left[2].components}
    b = {c.id: c for c in right[2].components}
    order = [c.id for c in left[2].components] + [i for i in b if i not in a]
    return [(cid, a.get(cid), b.get(cid)) for cid in order]
