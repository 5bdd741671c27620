"""Everything the roadmap template prints, gathered and bounded.

The context is plain data in a fixed order, so the same inputs give the same HTML byte for byte
(and so the same content hash). Every piece of user text is clipped and every list is capped
here, before the template sees it: a hostile journey (a 10,000-character answer in every field)
must not make a 10,000-page PDF or keep a worker busy for minutes.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ObjectDoesNotExist

from journeys import architecture, catalog, charts, engine
from journeys.models import Diagram, Estimate, Journey
from journeys.pricing.reports import stage_summary
from journeys.roadmap.sources import StageSource
from journeys.vocabulary import STAGES, next_stage, short_title

# Characters of one piece of user text: an answer, a note, a milestone's note. (Every question
# of every stage with a note this long still makes fewer than 60 pages.)
TEXT_LIMIT = 400
# The journey's description and a review decision's summary, on the cover: it stays one page.
LONG_TEXT_LIMIT = 700
# Names: journey, team, people.
NAME_LIMIT = 120
# Rows of any one table, and items of any one list.
ROW_LIMIT = 150
# Components named in the summary's "key moves" cell.
KEY_MOVES = 5
# A diagram larger than this is not embedded (the drawing caps nodes, so it never should be).
IMAGE_LIMIT = 8 * 1024 * 1024


def clip(text: Any, limit: int = TEXT_LIMIT) -> str:
    """The text cut to `limit` characters, with an ellipsis when it was longer. Control
    characters go: they have no place in print and some confuse the PDF text layer."""
    value = "" if text is None else str(text)
    if len(value) > limit * 4:
        value = value[: limit * 4]  # before the character filter, which walks the string
    value = "".join(ch for ch in value if ch >= " " or ch in "\n\t")
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Capped:
    """A list cut to its limit, and how many items were left out (said in the PDF)."""

    items: list[Any]
    omitted: int


def capped(items: Iterable[Any], limit: int = ROW_LIMIT) -> Capped:
    rows = list(items)
    return Capped(rows[:limit], max(0, len(rows) - limit))


def stage_title(slug: str) -> str:
    return catalog.get().stage(slug).title


def _png_uri(diagram: Diagram | None) -> str:
    if diagram is None or diagram.status != Diagram.DONE or not diagram.png:
        return ""
    try:
        if diagram.png.size > IMAGE_LIMIT:
            return ""
        with diagram.png.open("rb") as handle:
            data = handle.read()
    except OSError:
        return ""  # a file lost from storage: the page says the diagram is missing instead
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def _svg_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def _value(value: Any) -> str:
    return "—" if value is None else engine.format_value(value)


def _params(params: Mapping[str, Any]) -> str:
    return clip(", ".join(f"{k} {_value(v)}" for k, v in params.items()))


def _labels(state: engine.ArchitectureState | None) -> dict[str, str]:
    return {c.id: c.label for c in state.components} if state else {}


def _finding_titles(state: engine.ArchitectureState | None) -> dict[str, str]:
    return {f.id: f.title for f in state.findings} if state else {}


def _changes(source: StageSource) -> dict[str, Any]:
    """What this stage changes from the previous one, in words rather than ids."""
    diff = engine.diff(source.previous, source.state)
    now, before = _labels(source.state), _labels(source.previous)
    resolved = _finding_titles(source.previous)
    raised = _finding_titles(source.state)
    changed = [
        {
            "label": now.get(cid, cid),
            "changes": clip(
                "; ".join(
                    f"{param} {_value(old)} → {_value(new)}" for param, (old, new) in params.items()
                )
            ),
        }
        for cid, params in diff.changed.items()
    ]
    return {
        "first": source.previous is None,
        "key_moves": [now[cid] for cid in diff.added if not cid.startswith("dr-")],
        "added": capped(now[cid] for cid in diff.added),
        "removed": capped(before[cid] for cid in diff.removed),
        "changed": capped(changed),
        "resolved": capped(resolved[fid] for fid in diff.findings_resolved),
        "new_risks": capped(raised[fid] for fid in diff.findings_new),
        "dr": (
            [engine.DR_LABELS[s] for s in diff.dr_strategy]
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
        where = c.region if not c.azs else f"{c.region}, {c.azs} AZ{'s' if c.azs != 1 else ''}"
        rows.append(
            {
                "label": c.label,
                "kind": c.kind.replace("_", " "),
                "where": where,
                "size": _params(c.params),
                "recovery": c.id.startswith("dr-"),
                "one_way": c.door == "one_way",
                "overridden": bool(c.overridden),
            }
        )
    return capped(rows)


def _cost(estimate: Estimate | None) -> dict[str, Any]:
    if estimate is None or estimate.status != Estimate.DONE or not estimate.result:
        reason = estimate.reason if estimate is not None else ""
        return {"priced": False, "reason": clip(reason or "The estimate is not ready.")}
    result = estimate.result
    lines = sorted(
        result["lines"], key=lambda line: (-Decimal(line["monthly_usd"]), line["component"])
    )
    return {
        "priced": True,
        "monthly": result["monthly_usd"],
        "yearly": result["yearly_usd"],
        "per_customer": result["per_customer_usd"],
        "customers": estimate.customers,
        "sources": list(result.get("sources", [])),
        "oldest": result.get("oldest_price_date") or "",
        "dr": result.get("groups", {}).get("dr"),
        "lines": capped(lines),
        "suggestions": capped(result.get("suggestions", []), 10),
        "key_assumptions": result.get("key_assumptions", []),
        "estimated_lines": result.get("estimated_lines", 0),
        "estimated_usd": result.get("estimated_usd", "0"),
    }


def _findings(source: StageSource) -> list[dict[str, Any]]:
    panel = architecture.panel(source.state, source.previous)
    pillars = []
    for pillar, label, findings in panel["findings_by_pillar"]:
        if findings:
            pillars.append({"pillar": pillar, "label": label, "findings": capped(findings)})
    return pillars


def _sign_offs(source: StageSource) -> dict[str, Any]:
    """The milestone's one-way-door sign-offs (a live stage has none)."""
    milestone = source.milestone
    if milestone is None:
        return {}
    return {s.component: s for s in milestone.sign_offs.select_related("architect")}


def _doors(source: StageSource) -> list[dict[str, Any]]:
    signed = _sign_offs(source)
    doors = []
    for c in source.state.components:
        if c.door != "one_way":
            continue
        sign_off = signed.get(c.id)
        doors.append(
            {
                "label": c.label,
                "why": clip("; ".join(c.reasons)),
                "signed": sign_off is not None,
                "by": clip(_person(sign_off.architect), NAME_LIMIT) if sign_off else "",
                "on": sign_off.created if sign_off else None,
                "note": clip(sign_off.note) if sign_off else "",
            }
        )
    return doors


def _person(user: User | None) -> str:
    if user is None:
        return "a former user"
    return user.get_full_name() or user.get_username()


def _answers(source: StageSource) -> Capped:
    rows = architecture.readable_answers(source.stage, source.answers)
    return capped(
        {
            "question": row["question"].label,
            "value": clip(row["value"]),
            "note": clip(row["note"]),
            "reason": row["reason"],
            "origin": row["origin"],
        }
        for row in rows
    )


def _review(journey: Journey, sources: Sequence[StageSource]) -> dict[str, Any] | None:
    """The latest submission and its decision."""
    submission = journey.submissions.select_related("submitted_by").order_by("-number").first()
    if submission is None:
        return None
    try:
        decision = submission.decision
    except ObjectDoesNotExist:
        decision = None
    entries = submission.entries.select_related("milestone")
    reviewed = {e.stage: e.milestone.number for e in entries}
    shown = {s.stage: s.milestone.number for s in sources if s.milestone is not None}
    return {
        "number": submission.number,
        "submitted": submission.created,
        "submitted_by": clip(_person(submission.submitted_by), NAME_LIMIT),
        "outcome": decision.get_outcome_display() if decision else "",
        "architect": clip(_person(decision.architect), NAME_LIMIT) if decision else "",
        "decided": decision.created if decision else None,
        "summary": clip(decision.summary, LONG_TEXT_LIMIT) if decision else "",
        "reviewed": [
            (short_title(stage), n)
            for stage, n in sorted(reviewed.items(), key=lambda item: STAGES.index(item[0]))
        ],
        "same": bool(reviewed) and reviewed == shown,
    }


def _assumptions(sources: Sequence[StageSource]) -> list[dict[str, Any]]:
    """One row per assumption with its value in each stage (milestones may differ)."""
    rows: dict[str, dict[str, Any]] = {}
    for source in sources:
        for a in source.state.assumptions:
            row = rows.setdefault(
                a.name,
                {"name": a.name, "unit": a.unit, "description": a.description, "values": []},
            )
            row["values"].append(engine.format_value(a.value))
    return list(rows.values())[:ROW_LIMIT]


def _high(state: engine.ArchitectureState) -> int:
    return sum(1 for f in state.findings if f.risk == "high")


def build(
    journey: Journey,
    sources: Sequence[StageSource],
    diagrams: Mapping[str, Diagram | None],
    estimates: Mapping[str, Estimate | None],
    *,
    page_size: str,
) -> dict[str, Any]:
    """The template context of the roadmap."""
    as_of = max(s.as_of for s in sources)
    stages = []
    summary_rows = []
    for source in sources:
        cost = _cost(estimates.get(source.stage))
        changes = _changes(source)
        moves = changes["key_moves"]
        stage: dict[str, Any] = {
            "slug": source.stage,
            "title": stage_title(source.stage),
            "short": short_title(source.stage),
            "source": source,
            "milestone_note": clip(source.milestone.note) if source.milestone else "",
            "milestone_author": (
                clip(_person(source.milestone.author), NAME_LIMIT) if source.milestone else ""
            ),
            "customers": source.facts.customers,
            "diagram": _png_uri(diagrams.get(source.stage)),
            "diagram_reason": clip(
                getattr(diagrams.get(source.stage), "reason", "") or "The diagram is not ready."
            ),
            "changes": changes,
            "components": _components(source.state),
            "cost": cost,
            "findings": _findings(source),
            "high": _high(source.state),
            "medium": sum(1 for f in source.state.findings if f.risk == "medium"),
            "dr": source.state.dr,
            "dr_label": engine.DR_LABELS[source.state.dr.strategy],
            "doors": _doors(source),
            "thresholds": catalog.get().stage(source.stage).thresholds,
            "next": short_title(after) if (after := next_stage(source.stage)) else "",
            "answers": _answers(source),
            "coverage": source.state.coverage,
        }
        stages.append(stage)
        summary_rows.append(
            {
                "stage": stage,
                "key_moves": moves[:KEY_MOVES],
                "more_moves": max(0, len(moves) - KEY_MOVES),
            }
        )
    shown = {slug: row for slug, row in estimates.items() if row is not None and row.result}
    chart_rows = [
        {**row, "label": short_title(row["stage"])}
        for row in stage_summary(
            {slug: (row if row.status == Estimate.DONE else None) for slug, row in shown.items()}
        )
    ]
    priced = [s["cost"] for s in stages if s["cost"]["priced"]]
    dates = [c["oldest"] for c in priced if c["oldest"]]
    return {
        "title": f"{clip(journey.name, NAME_LIMIT)} — architecture roadmap",
        "journey": {
            "name": clip(journey.name, NAME_LIMIT),
            "description": clip(journey.description, LONG_TEXT_LIMIT),
            "team": clip(journey.team.name, NAME_LIMIT),
            "region": journey.region,
            "dr_region": journey.dr_region,
            "status": journey.get_status_display(),
        },
        "as_of": as_of,
        # The PDF's creation and modification dates: those of its inputs, not of the render,
        # so that exporting the same milestones again gives the same bytes.
        "as_of_w3c": as_of.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "page_size": page_size,
        "catalogue_versions": sorted({s.catalogue_version for s in sources}),
        "price_sources": sorted({src for c in priced for src in c["sources"]}),
        "oldest_price_date": min(dates) if dates else "",
        "review": _review(journey, sources),
        "stages": stages,
        "summary": summary_rows,
        "all_priced": len(priced) == len(stages),
        "chart": _svg_uri(charts.cost_by_stage(chart_rows)) if priced else "",
        "assumptions": _assumptions(sources),
        "stage_shorts": [s["short"] for s in stages],
        **_coverage(sources),
    }


def _coverage(sources: Sequence[StageSource]) -> dict[str, Any]:
    """Where the roadmap's inputs came from, for its cover: the counts over every stage that
    recorded them (milestones saved before answers carried forward did not), and the stages
    that rest mostly on defaults."""
    known = [s.state.coverage for s in sources if s.state.coverage is not None]
    total = sum(known, engine.Coverage(0, 0, 0)) if known else None
    return {
        "coverage": total,
        "coverage_unknown": [short_title(s.stage) for s in sources if s.state.coverage is None],
        "defaulted_stages": [
            short_title(s.stage)
            for s in sources
            if s.state.coverage is not None and s.state.coverage.mostly_defaulted
        ],
        "nothing_answered": total is not None
        and total.answered == 0
        and len(known) == len(sources),
    }
