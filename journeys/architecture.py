"""Where the journey meets the engine: a stage's answers, overrides and assumptions in, the
architecture state out. The engine itself stays pure; this module reads the models."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from journeys import catalog, effective, engine, labels
from journeys.engine.overrides import IgnoredOverride, set_aside, well_formed
from journeys.models import Answer, Journey
from journeys.vocabulary import (
    NA_REASONS,
    PILLAR_LABELS,
    PILLARS,
    STAGES,
    previous_stage,
    short_title,
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


@functools.cache
def asked(stage_slug: str) -> dict[str, engine.Asked]:
    """How the stage's questions read, so that findings cite answers in the team's words."""
    return {
        q.id: engine.Asked(q.label, q.unit, {c.value: c.label for c in q.choices})
        for q in catalog.get().stage(stage_slug).questions.values()
    }


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
                asked=asked(stage_slug),
            )
        except engine.InvalidOverride as error:
            usable, refused = set_aside(usable, error)
            ignored.append(refused)
        else:
            return Proposal(state, tuple(ignored))
    raise AssertionError("unreachable: every refusal removes an override")


class JourneyAnswers:
    """A journey's stored answers, by stage, and what they amount to in every stage: the
    effective answers (own, carried forward or defaulted) that the engine, estimates, diagrams,
    milestones and the roadmap all work on. One query; the resolving is pure (`effective`)."""

    def __init__(self, by_stage: Mapping[str, Mapping[str, Answer]]) -> None:
        self.by_stage = {slug: dict(by_stage.get(slug, {})) for slug in STAGES}
        self.effective = effective.resolve(catalog.get(), given_answers(self.by_stage))

    @classmethod
    def of(cls, journey: Journey) -> JourneyAnswers:
        return cls(journey.answers_by_stage())

    def own(self, stage_slug: str) -> dict[str, Answer]:
        return self.by_stage[stage_slug]

    def stage(self, stage_slug: str) -> effective.StageAnswers:
        return self.effective[stage_slug]

    def values(self, stage_slug: str) -> dict[str, Any]:
        """What the engine reads for a stage."""
        return effective.engine_values(self.effective[stage_slug])

    def coverage(self, stage_slug: str) -> engine.Coverage:
        return effective.coverage(self.effective[stage_slug])

    def total_coverage(self, stages: Iterable[str] = STAGES) -> engine.Coverage:
        return sum((self.coverage(s) for s in stages), engine.Coverage(0, 0, 0))

    @property
    def is_empty(self) -> bool:
        return not any(self.by_stage.values())


def given_answers(
    by_stage: Mapping[str, Mapping[str, Answer]],
) -> dict[str, dict[str, effective.Given]]:
    return {
        slug: {qid: effective.Given(a.value, a.not_applicable) for qid, a in answers.items()}
        for slug, answers in by_stage.items()
    }


def carried_answer(journey: Journey, question: catalog.Question) -> effective.EffectiveAnswer:
    """One question's effective answer in its stage, from the answers to that question id in
    this and the earlier stages (one small query: the wizard's autosave needs no more)."""
    rows = journey.answers.filter(question=question.id).only(
        "id", "journey_id", "stage", "question", "value", "not_applicable"
    )
    grouped: dict[str, dict[str, Answer]] = {}
    for row in rows:
        grouped.setdefault(row.stage, {})[row.question] = row
    return effective.resolve_question(
        catalog.get(), question.stage, question.id, given_answers(grouped)
    )


def stage_state(
    journey: Journey, stage_slug: str, answers: JourneyAnswers | None = None
) -> engine.ArchitectureState:
    """The architecture the engine proposes for one stage of the journey."""
    return stage_proposal(journey, stage_slug, answers).state


def stage_proposal(
    journey: Journey, stage_slug: str, answers: JourneyAnswers | None = None
) -> Proposal:
    """The architecture the engine proposes for one stage of the journey, from the stage's
    effective answers, with their coverage and the stored overrides it could not apply."""
    answers = answers if answers is not None else JourneyAnswers.of(journey)
    proposal = propose(
        stage_slug,
        answers.values(stage_slug),
        journey.overrides.get(stage_slug, {}),
        assumptions=journey.assumptions,
        region=journey.region,
        dr_region=journey.dr_region or None,
    )
    state = replace(proposal.state, coverage=answers.coverage(stage_slug))
    return Proposal(state, proposal.ignored)


@dataclass(frozen=True)
class StageFacts:
    """What an estimate needs of a stage's answers besides its state."""

    customers: int
    traffic_pattern: str


def stage_facts(stage_slug: str, answers: JourneyAnswers) -> StageFacts:
    return facts_from_values(stage_slug, answers.values(stage_slug))


def facts_from_values(stage_slug: str, values: Mapping[str, Any]) -> StageFacts:
    """The facts from the values the engine read (question id -> value); the stage defaults
    fill gaps."""
    defaults = engine.STAGE_DEFAULTS[stage_slug]
    return StageFacts(
        customers=int(values.get("customers") or defaults["customers"]),
        traffic_pattern=str(values.get("traffic_pattern") or defaults["traffic_pattern"]),
    )


def facts_from_snapshot(stage_slug: str, snapshot: Mapping[str, Any]) -> StageFacts:
    """The facts from a milestone's frozen answers ({question id: {"value", "not_applicable",
    …}}): an answer marked not applicable counts as not given."""
    given = {qid: entry for qid, entry in snapshot.items() if not entry.get("not_applicable")}
    values = {qid: entry.get("value") for qid, entry in given.items()}
    return facts_from_values(stage_slug, values)


def stage_with_previous(
    journey: Journey, stage_slug: str, answers: JourneyAnswers | None = None
) -> tuple[engine.ArchitectureState, engine.ArchitectureState | None]:
    """This stage's state and the previous stage's (for "what changes")."""
    answers = answers if answers is not None else JourneyAnswers.of(journey)
    before = previous_stage(stage_slug)
    current = stage_state(journey, stage_slug, answers)
    previous = stage_state(journey, before, answers) if before else None
    return current, previous


def all_states(
    journey: Journey, answers: JourneyAnswers | None = None
) -> dict[str, engine.ArchitectureState]:
    answers = answers if answers is not None else JourneyAnswers.of(journey)
    return {slug: stage_state(journey, slug, answers) for slug in STAGES}


def panel(
    state: engine.ArchitectureState, previous: engine.ArchitectureState | None
) -> dict[str, Any]:
    """What the architecture panel shows: the state, grouped for reading."""
    changes = engine.diff(previous, state)
    new_ids = set(changes.added)
    findings_by_pillar: dict[str, list[engine.Finding]] = {}
    for finding in sorted(state.findings, key=lambda f: (f.risk != "high", f.title)):
        findings_by_pillar.setdefault(finding.pillar, []).append(finding)
    before = previous.components if previous is not None else ()
    names = {c.id: c.label for c in (*before, *state.components)}
    titles = {
        f.id: labels.finding_title(s.stage, f)
        for s in (previous, state)
        if s is not None
        for f in s.findings
    }
    return {
        "state": state,
        "diff": changes,
        "new_ids": new_ids,
        # The display vocabulary of this panel: ids never reach the page (journeys/labels.py).
        "names": names,
        "finding_titles": titles,
        "reasons": {
            f.id: [labels.reason(state.stage, item, names) for item in f.because]
            for f in state.findings
        },
        "fixes": {f.id: labels.fix_label(f.fixed_by, names) for f in state.findings if f.fixed_by},
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
    answers = JourneyAnswers.of(journey).values(stage)

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


def origin_text(entry: Mapping[str, Any]) -> str:
    """Where a frozen answer came from, for people: "" for the stage's own answer."""
    origin = entry.get("from")
    if origin in STAGES:
        return f"from {short_title(origin)}"
    if entry.get("derived"):
        return f"default: {entry['derived']}"
    return ""


def readable_answers(stage: str, snapshot: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A milestone's answers as questions and readable values, in catalogue order, each with
    where it came from (carried forward from an earlier stage, or derived)."""
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
                "origin": origin_text(entry),
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


def comparison(left: Side, right: Side) -> dict[str, Any]:
    """What a page comparing two states shows: the diff, the components side by side, and the
    names of the components and findings the diff speaks of by id (journeys/labels.py)."""
    sides = [side[2] for side in (left, right) if side]
    return {
        "diff": engine.diff(left[2], right[2]) if left and right else None,
        "components": component_pairs(left, right),
        "names": {c.id: c.label for state in sides for c in state.components},
        "finding_titles": {
            f.id: labels.finding_title(state.stage, f) for state in sides for f in state.findings
        },
    }
