"""One stage's pages of the roadmap: its diagram, what changes, cost, risks, recovery, doors,
and for the appendix its components and answers."""

from __future__ import annotations

from typing import Any

from journeys import architecture, catalog, effective, engine, labels
from journeys.models import Diagram, Estimate, Journey
from journeys.roadmap.costs import stage_cost
from journeys.roadmap.diagrams import diagram
from journeys.roadmap.doors import one_way_doors
from journeys.roadmap.findings import finding_rows
from journeys.roadmap.limits import NAME_LIMIT, TEXT_LIMIT, Capped, capped, clip
from journeys.roadmap.sources import StageSource
from journeys.roadmap.status import Approval, day, person, stage_approved
from journeys.roadmap.words import (
    component_name,
    params_line,
    plain,
    region_name,
    shown,
    stage_title,
)
from journeys.vocabulary import next_stage, short_title


def _changes(source: StageSource) -> dict[str, Any]:
    """What this stage changes from the previous one, in words rather than ids."""
    diff = engine.diff(source.previous, source.state)
    now = {c.id: c.label for c in source.state.components}
    before = {c.id: c.label for c in source.previous.components} if source.previous else {}
    resolved = (
        {f.id: plain(source.stage, f.title) for f in source.previous.findings}
        if source.previous
        else {}
    )
    raised = {f.id: plain(source.stage, f.title) for f in source.state.findings}
    changed = [
        {
            "label": now.get(cid, labels.words(cid)),
            "changes": clip(
                "; ".join(
                    f"{labels.param_label(p)} {shown(p, old)} → {shown(p, new)}"
                    for p, (old, new) in params.items()
                )
            ),
        }
        for cid, params in diff.changed.items()
    ]
    return {
        "first": source.previous is None,
        "added": capped((now[cid] for cid in diff.added), 12),
        "removed": capped((before[cid] for cid in diff.removed), 12),
        "changed": capped(changed, 5),
        "resolved": capped((resolved[fid] for fid in diff.findings_resolved), 8),
        "new_risks": capped((raised[fid] for fid in diff.findings_new), 8),
        "dr": (
            [labels.dr_strategy_label(s) for s in diff.dr_strategy]
            if diff.dr_strategy and source.previous
            else None
        ),
        "nothing": not (
            diff.added
            or diff.removed
            or diff.changed
            or diff.findings_resolved
            or diff.findings_new
            or diff.dr_strategy
        ),
    }


def _components(state: engine.ArchitectureState) -> Capped:
    rows = []
    for c in state.components:
        where = (
            region_name(c.region)
            if not c.azs
            else f"{c.region}, {c.azs} AZ{'s' if c.azs != 1 else ''}"
        )
        rows.append(
            {
                "label": c.label,
                "kind": labels.kind_label(c.kind),
                "where": where,
                "size": params_line(c.params),
                "recovery": c.id.startswith("dr-"),
                "one_way": c.door == "one_way",
                "overridden": bool(c.overridden),
            }
        )
    return capped(rows)


def _dr(source: StageSource) -> dict[str, Any]:
    dr = source.state.dr
    return {
        "strategy": labels.dr_strategy_label(dr.strategy),
        "rpo": labels.duration(dr.rpo_minutes),
        "rto": labels.duration(dr.rto_minutes),
        "region": region_name(dr.region) if dr.region else "",
        "why": clip(plain(source.stage, dr.why), TEXT_LIMIT),
        "runs_there": [component_name(text) for text in dr.runs_there][:20],
        "rejected": [
            {
                "strategy": labels.dr_strategy_label(strategy),
                "reason": clip(plain(source.stage, reason)),
            }
            for strategy, reason in dr.rejected
        ],
    }


def _answers(source: StageSource) -> Capped:
    """Every question of the stage with the value the plan used and where it came from: the
    stage's own answer, carried forward from an earlier stage, or the stage default."""
    rows = []
    snapshot = source.answers
    for row in architecture.readable_answers(source.stage, snapshot):
        entry = snapshot.get(row["question"].id, {})
        if entry.get("from"):
            origin = f"Carried forward (from {labels.stage_label(entry['from'])})"
        elif entry.get("derived"):
            origin = clip(f"Default: {plain(source.stage, entry['derived'])}", 200)
        else:
            origin = "Answered"
        rows.append(
            {
                "question": row["question"].label,
                "value": clip(row["value"]),
                "reason": row["reason"],
                "note": clip(row["note"]),
                "origin": origin,
            }
        )
    for q in catalog.get().stage(source.stage).questions.values():
        if q.id in snapshot:
            continue
        default = effective.stage_default(source.stage, q)
        rows.append(
            {
                "question": q.label,
                "value": "—" if default is None else clip(q.display(default)),
                "reason": "",
                "note": "",
                "origin": "Default" if default is not None else "Not answered",
            }
        )
    return capped(rows)


def _availability(source: StageSource) -> str:
    entry = source.answers.get("availability_target") or {}
    value = entry.get("value") if not entry.get("not_applicable") else None
    target = value or engine.STAGE_DEFAULTS[source.stage].get("availability_target")
    return f"{target} %" if target else ""


def stage_page(
    journey: Journey,
    source: StageSource,
    diagram_row: Diagram | None,
    estimate: Estimate | None,
    approval: Approval | None,
) -> dict[str, Any]:
    approved = stage_approved(approval, source)
    milestone = source.milestone
    if milestone is not None:
        author = clip(person(milestone.author), NAME_LIMIT)
        shown = f"Milestone {milestone.number}, saved by {author} on {day(milestone.created)}"
    else:
        shown = f"Live answers as of {day(source.as_of)}"
    coverage = source.state.coverage
    after = next_stage(source.stage)
    return {
        "slug": source.stage,
        "title": stage_title(source.stage),
        "short": short_title(source.stage),
        "shown": shown,
        "milestone_note": clip(milestone.note) if milestone else "",
        "status": approval.line if approved and approval else "Draft — not reviewed",
        "coverage": coverage,
        "coverage_line": (
            f"{coverage.sentence}{' — mostly defaults' if coverage.mostly_defaulted else ''}"
            if coverage
            else "Coverage not recorded"
        ),
        "customers": source.facts.customers,
        "region": region_name(source.state.region),
        "availability": _availability(source),
        "diagram": diagram(diagram_row),
        "changes": _changes(source),
        "cost": stage_cost(source, estimate, journey.dr_region or source.state.dr.region),
        "findings": finding_rows(source),
        "high": sum(1 for f in source.state.findings if f.risk == "high"),
        "medium": sum(1 for f in source.state.findings if f.risk == "medium"),
        "dr": _dr(source),
        "doors": one_way_doors(source),
        "thresholds": list(catalog.get().stage(source.stage).thresholds),
        "next": short_title(after) if after else "",
        "components": _components(source.state),
        "answers": _answers(source),
    }
