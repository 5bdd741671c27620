"""The architecture engine: one stage's answers -> the proposed AWS architecture of that stage.

Pure Python on purpose (no Django, no I/O, stdlib only): views, Celery tasks, the diagram and
pricing workers and the CLI all call it, and the tests run it without a database. Deterministic:
the state, and so its `hash`, is a function of (stage, answers, overrides, assumptions, region,
dr_region, choice_risks) only. It never reads another stage: the answers a stage carries
forward from an earlier one arrive already resolved (`journeys.effective`), so the engine sees
one stage's effective answers and nothing else. `diff` says what a stage adds to the previous
one.

Public API (everything importable from `journeys.engine`)
    recommend(stage, answers, overrides=None, assumptions=None, *,
              region="us-east-1", dr_region=None, choice_risks=None) -> ArchitectureState
    diff(previous, current) -> StateDiff
    to_text(state) -> str
    validate_override(state_or_components, component_id, param, value) -> cleaned value
    resolve_assumptions(overrides) -> {name: value}
    select_dr_strategy(rpo_minutes, rto_minutes, availability_target) -> (strategy, rejected)
    default_dr_region(region) -> str
    ArchitectureState, Component, Finding, DrPlan, Assumption, StateDiff, InvalidOverride,
    Coverage (a state's answered / inherited / defaulted counts, attached outside the engine)
    and the tables: KINDS, ASSUMPTIONS, INSTANCE_TYPES, DB_INSTANCE_CLASSES,
    AURORA_INSTANCE_CLASSES, CACHE_NODE_TYPES, FARGATE_VCPUS, OVERRIDABLE_PARAMS,
    DR_STRATEGIES, DR_THRESHOLDS, STAGE_DEFAULTS, OPTIONAL_ANSWERS...

Answers the engine reads: the core ids of DESIGN 3.1 (`CORE_CHOICES`, `CORE_NUMBERS`), the
catalogue questions of `OPTIONAL_CHOICES` and `OPTIONAL_NUMBERS` (app_state, caching_layers,
latency_target_ms...), and the yes/no inputs of `OPTIONAL_ANSWERS`, which those questions
decide (`DERIVED_INPUTS`: app_state decides stateless_app...). An absent answer takes the stage
default of `STAGE_DEFAULTS`; peak_rps, db_storage_gb and object_storage_gb default to figures
derived from customers and the assumptions. Other answer ids are ignored, except by
`choice_risks`, which turns the catalogue's risky choices into specific findings.

STAGES, PILLARS and CORE_CHOICES are re-exported from `journeys.vocabulary`, their one home.

The package: `tables` (constants), `state` (the dataclasses), `inputs` (answers, assumptions,
DR strategy), `overrides`, `plan` (the load figures and drafts the builders share), `sizing`
(the planner) over the builders `compute`, `edge`, `data_stores` and `supporting`, `recovery`
(the DR region), `findings` (what rules speak in), `rules` (the findings of the talk) with
its `checks` and `reasons`, `choice_risks` (the catalogue's per-choice risks), `fmt`
(numbers), `stores` (the search, analytics and time-series stores), `residency` (the recovery
region under data residency).

The DR region is the journey's own, else the region paired with `region`, else under
`data_residency` one in the same country or jurisdiction; when none is allowed, the state's
`dr_region` is its `region`: recovery stays there, across AZs
(`ArchitectureState.recovers_in_region`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from journeys.engine.choice_risks import FINDING_IDS as _CHOICE_FINDING_IDS
from journeys.engine.choice_risks import TABLE as _CHOICE_TABLE
from journeys.engine.findings import (
    STAGE_SECTIONS,
    Asked,
    Facts,
    Finding,
    count_risks,
    format_value,
)
from journeys.engine.fmt import plural, tidy
from journeys.engine.inputs import (
    default_dr_region,
    resolve_answers,
    resolve_assumptions,
    select_dr_strategy,
)
from journeys.engine.overrides import validate_override
from journeys.engine.recovery import dr_drafts, dr_plan, rpo_shortfall, split_served_usage
from journeys.engine.residency import recovery_region
from journeys.engine.rules import RULES, evaluate
from journeys.engine.sizing import Planner
from journeys.engine.state import (
    ArchitectureState,
    Assumption,
    Component,
    Coverage,
    DrPlan,
    InvalidOverride,
    StateDiff,
)
from journeys.engine.tables import (
    ASSUMPTIONS,
    AURORA_INSTANCE_CLASSES,
    CACHE_NODE_MEMORY,
    CACHE_NODE_TYPES,
    CORE_NUMBERS,
    DB_CLASS_SPECS,
    DB_INSTANCE_CLASSES,
    DOORS,
    DR_LABELS,
    DR_MIN_STRATEGY_FOR_AVAILABILITY,
    DR_REGION_PAIRS,
    DR_STRATEGIES,
    DR_THRESHOLDS,
    FARGATE_MEMORY_GB,
    FARGATE_VCPUS,
    INSTANCE_SPECS,
    INSTANCE_TYPES,
    KINDS,
    OPTIONAL_ANSWERS,
    OVERRIDABLE_PARAMS,
    RELATIONAL_ENGINES,
    SERVERLESS_DB_ENGINES,
    STAGE_DEFAULTS,
)
from journeys.vocabulary import CORE_CHOICES, PILLARS, STAGES

# Every finding id the engine can give: what a catalogue question may declare it produces.
FINDING_IDS = frozenset(rule.id for rule in RULES) | _CHOICE_FINDING_IDS
# The (question, choice) pairs the engine has words for: only these may carry a risk.
RISKY_CHOICES = frozenset(_CHOICE_TABLE)

__all__ = [
    "ASSUMPTIONS",
    "AURORA_INSTANCE_CLASSES",
    "CACHE_NODE_MEMORY",
    "CACHE_NODE_TYPES",
    "CORE_CHOICES",
    "CORE_NUMBERS",
    "DB_CLASS_SPECS",
    "DB_INSTANCE_CLASSES",
    "DOORS",
    "DR_LABELS",
    "DR_MIN_STRATEGY_FOR_AVAILABILITY",
    "DR_REGION_PAIRS",
    "DR_STRATEGIES",
    "DR_THRESHOLDS",
    "FARGATE_MEMORY_GB",
    "FARGATE_VCPUS",
    "FINDING_IDS",
    "INSTANCE_SPECS",
    "INSTANCE_TYPES",
    "KINDS",
    "OPTIONAL_ANSWERS",
    "OVERRIDABLE_PARAMS",
    "PILLARS",
    "RELATIONAL_ENGINES",
    "RISKY_CHOICES",
    "SERVERLESS_DB_ENGINES",
    "STAGES",
    "STAGE_DEFAULTS",
    "ArchitectureState",
    "Asked",
    "Assumption",
    "Component",
    "Coverage",
    "DrPlan",
    "Finding",
    "InvalidOverride",
    "StateDiff",
    "default_dr_region",
    "diff",
    "recommend",
    "resolve_assumptions",
    "select_dr_strategy",
    "to_text",
    "validate_override",
]


def recommend(
    stage: str,
    answers: Mapping[str, Any],
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    assumptions: Mapping[str, Any] | None = None,
    *,
    region: str = "us-east-1",
    dr_region: str | None = None,
    choice_risks: Mapping[str, Mapping[str, Mapping[str, str]]] | None = None,
    asked: Mapping[str, Asked] | None = None,
) -> ArchitectureState:
    """The proposed architecture of one stage.

    `answers` maps question ids to validated values; absent ids take the stage defaults.
    `overrides` maps component ids to {param: value}: they win over the engine's choice and
    the engine re-derives what depends on them (a bigger instance type means fewer instances);
    an invalid one raises InvalidOverride; one for a component this stage does not have is
    ignored (an answer may have removed it; it comes back into force when the component does).
    `assumptions` overrides `ASSUMPTIONS` by name (ValueError for unknown or non-positive ones).
    `choice_risks` ({question: {choice: {pillar: level}}}) and `asked` ({question: Asked}) are
    the catalogue's: the risky choices to turn into findings, and the questions' wording that
    findings cite answers in (without it they cite "question_id=value").
    """
    if stage not in STAGES:
        raise ValueError(f"Unknown stage {stage!r}; use one of {', '.join(STAGES)}.")
    a = resolve_assumptions(assumptions)
    values, answered, sources = resolve_answers(stage, answers, a)
    if dr_region == region:
        raise ValueError(f"The DR region must differ from the region ({region}).")
    recovery = recovery_region(region, dr_region, bool(values["data_residency"]))
    target = recovery.region
    planner = Planner(
        stage,
        values,
        answered,
        a,
        region,
        target,
        overrides or {},
        sources,
        recovery_why=recovery.why,
    )
    drafts = planner.primaries()
    if planner.with_dr:
        drafts += dr_drafts(planner)
    planner.finish(drafts)
    split_served_usage(planner, drafts)
    components = [d.freeze() for d in drafts]
    dr = dr_plan(planner, drafts)
    # Every answered id counts for choice_risks, core or not; unknown ids stay out of `values`.
    all_answered = answered | {q for q, value in answers.items() if value is not None}
    facts = Facts(
        stage=stage,
        values=values,
        answered=frozenset(all_answered),
        raw_answers=answers,
        kinds={c.id: c.kind for c in components},
        params={c.id: c.params for c in components},
        azs={c.id: c.azs for c in components},
        overridden={c.id: c.overridden for c in components if c.overridden},
        dr_strategy=dr.strategy,
        dr_region=target,
        region=region,
        dr_region_set=bool(dr_region),
        beyond_limits=tuple(planner.beyond_limits),
        rpo_shortfall=rpo_shortfall(planner),
        sources=sources,
        asked=asked or {},
    )
    findings = evaluate(facts, choice_risks)
    state_assumptions = tuple(
        Assumption(n, tidy(a[n]), x.unit, x.description) for n, x in ASSUMPTIONS.items()
    )
    return ArchitectureState(
        stage=stage,
        region=region,
        dr_region=target,
        components=tuple(components),
        findings=findings,
        dr=dr,
        assumptions=state_assumptions,
        risk_counts=count_risks(findings),
    )


def diff(previous: ArchitectureState | None, current: ArchitectureState) -> StateDiff:
    """What `current` adds, removes and changes compared with `previous` (None: all new)."""
    if previous is None:
        return StateDiff(
            added=tuple(c.id for c in current.components),
            removed=(),
            changed={},
            findings_resolved=(),
            findings_new=tuple(f.id for f in current.findings),
        )
    before = {c.id: c for c in previous.components}
    after = {c.id: c for c in current.components}
    changed: dict[str, dict[str, tuple[Any, Any]]] = {}
    for cid, new in after.items():
        old = before.get(cid)
        if old is None:
            continue
        delta = {
            p: (old.params.get(p), new.params.get(p))
            for p in dict.fromkeys([*old.params, *new.params])
            if old.params.get(p) != new.params.get(p)
        }
        for attr in ("kind", "region", "azs"):
            if getattr(old, attr) != getattr(new, attr):
                delta[attr] = (getattr(old, attr), getattr(new, attr))
        if delta:
            changed[cid] = delta
    old_findings = {f.id for f in previous.findings}
    new_findings = {f.id for f in current.findings}
    strategy = (
        (previous.dr.strategy, current.dr.strategy)
        if previous.dr.strategy != current.dr.strategy
        else None
    )
    return StateDiff(
        added=tuple(cid for cid in after if cid not in before),
        removed=tuple(cid for cid in before if cid not in after),
        changed=changed,
        findings_resolved=tuple(f.id for f in previous.findings if f.id not in new_findings),
        findings_new=tuple(f.id for f in current.findings if f.id not in old_findings),
        dr_strategy=strategy,
    )


def to_text(state: ArchitectureState) -> str:
    """A readable rendering for a terminal: components, findings by pillar, the DR plan."""
    where = "recovery in the region" if state.recovers_in_region else f"DR: {state.dr_region}"
    lines = [
        f"{STAGE_SECTIONS[state.stage]} — {state.region} ({where})",
        f"state {state.hash[:12]}",
    ]
    if state.coverage is not None:
        lines.append(state.coverage.sentence)
    lines += ["", "Components"]
    for c in state.components:
        where = c.region if c.azs == 0 else f"{c.region}, {plural(c.azs, 'AZ')}"
        door = "  [one-way door]" if c.door == "one_way" else ""
        lines.append(f"  {c.id}: {c.label} ({c.kind}, {where}){door}")
        if c.params:
            shown = ", ".join(f"{k}={format_value(v)}" for k, v in c.params.items())
            lines.append(f"      {shown}")
        lines += [f"      - {r}" for r in c.reasons]
        if c.links:
            lines.append(f"      → {', '.join(c.links)}")
    lines += ["", "Findings"]
    if not state.findings:
        lines.append("  none")
    for pillar in PILLARS:
        found = [f for f in state.findings if f.pillar == pillar]
        if not found:
            continue
        lines.append(f"  {pillar.replace('_', ' ')}")
        for f in found:
            fix = f" (fixed by {f.fixed_by})" if f.fixed_by else ""
            lines.append(f"    [{f.risk}] {f.title}{fix}")
            if f.because:
                lines.append(f"        because {'; '.join(f.because)}")
            if f.components:
                lines.append(f"        concerns {', '.join(f.components)}")
            lines.append(f"        → {f.action}")
            if f.reason:
                lines.append(f"        why: {f.reason}")
    dr = state.dr
    lines += [
        "",
        f"Disaster recovery: {DR_LABELS[dr.strategy]} to {dr.region} "
        f"(RPO {dr.rpo_minutes:,} min, RTO {dr.rto_minutes:,} min)",
        f"  {dr.why}",
    ]
    lines += [f"  runs there: {r}" for r in dr.runs_there]
    lines += [f"  not {DR_LABELS[s]}: {reason}" for s, reason in dr.rejected]
    return "\n".join(lines) + "\n"
