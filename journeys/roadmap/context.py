"""Everything the roadmap template prints, gathered and bounded.

The roadmap reads in three parts: an executive summary a CFO or a CTO reads in two pages
(sentences made from the state, nothing invented), a page or two per stage (its diagram as
vector SVG, cost by service, risks with actions, disaster recovery), and the engineering
appendix (every line item, component, assumption and answer with its origin).

The context is plain data in a fixed order, so the same inputs give the same HTML byte for byte
(and so the same content hash). Every piece of user text is clipped and every list is capped
here, before the template sees it: a hostile journey (a 10,000-character answer in every field)
must not make a 10,000-page PDF or keep a worker busy for minutes. No internal identifier
reaches the template: kinds, parameters, strategies and answers go through `journeys.labels`.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist

from journeys import architecture, catalog, effective, engine, labels
from journeys.models import Diagram, Estimate, Journey
from journeys.regions import REGIONS
from journeys.roadmap import costs
from journeys.roadmap.sources import StageSource
from journeys.roadmap.status import (
    Approval,
    changes_since,
    day,
    latest_approval,
    person,
    stage_approved,
    status_line,
)
from journeys.vocabulary import PILLARS, next_stage, short_title

# Characters of one piece of user text: an answer, a note, a milestone's note. (Every question
# of every stage with a note this long still makes fewer than 60 pages.)
TEXT_LIMIT = 400
# The journey's description and a review decision's summary, on the cover: it stays one page.
LONG_TEXT_LIMIT = 700
# Names: journey, team, people.
NAME_LIMIT = 120
# Rows of any one table, and items of any one list.
ROW_LIMIT = 150
# The executive summary: decisions that matter, risks per stage, triggers per stage.
DECISIONS = 5
RISKS_PER_STAGE = 2
TRIGGERS = 2
# A diagram larger than this is not embedded (the drawing caps nodes, so it never should be).
IMAGE_LIMIT = 8 * 1024 * 1024
# The diagram's box on a portrait and on a landscape page, in points (A4 less the margins,
# the title and the caption): the page whose box shows the drawing larger is chosen.
PORTRAIT_BOX = (500.0, 610.0)
LANDSCAPE_BOX = (745.0, 390.0)

_SVG_SIZE = re.compile(rb'<svg\b[^>]*?\bwidth="([\d.]+)pt"[^>]*?\bheight="([\d.]+)pt"', re.S)
_HREF = re.compile(rb'\b(?:xlink:)?href="([^"]*)"')
_QUESTION_VALUE = re.compile(r"^([a-z][a-z0-9_]*)\s*=\s*(.*)$")
_COMPONENT_ID = re.compile(r"\s*\((?:dr-)?[a-z0-9]+(?:-[a-z0-9]+)*\)$")


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


def region_name(region: str) -> str:
    """ "eu-west-1, Europe (Ireland)" where the region is known."""
    name = REGIONS.get(region)
    return f"{region}, {name}" if name else region


# Diagrams ---------------------------------------------------------------------------------


def diagram(row: Diagram | None) -> dict[str, Any]:
    """The stage's stored SVG as a data: URI, and whether it reads better on a landscape page.

    The SVG is vector (its labels stay text in the PDF) and stands alone: the diagram job
    inlined its icons as data: URIs, the only kind of URL besides `#id` references that the
    roadmap's fetcher lets through. A file naming anything else is not embedded."""
    missing = {"uri": "", "landscape": False}
    if row is None or row.status != Diagram.DONE or not row.svg:
        reason = getattr(row, "reason", "") or "The diagram is not ready."
        return {**missing, "reason": clip(reason)}
    try:
        if row.svg.size > IMAGE_LIMIT:
            return {**missing, "reason": "The diagram is too large to print."}
        with row.svg.open("rb") as handle:
            svg = handle.read()
    except OSError:
        return {**missing, "reason": "The diagram's file is missing; draw it again."}
    if any(not (h.startswith(b"data:") or h.startswith(b"#")) for h in _HREF.findall(svg)):
        return {**missing, "reason": "The diagram refers to files outside itself."}
    size = _SVG_SIZE.search(svg)
    width, height = (float(size.group(1)), float(size.group(2))) if size else (1.0, 1.0)
    portrait = min(PORTRAIT_BOX[0] / width, PORTRAIT_BOX[1] / height)
    landscape = min(LANDSCAPE_BOX[0] / width, LANDSCAPE_BOX[1] / height)
    wide = landscape > portrait
    # Never drawn larger than Graphviz's own size: its labels are 14 pt already.
    scale = min(1.0, landscape if wide else portrait)
    return {
        "uri": "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii"),
        "landscape": wide,
        "width": f"{width * scale:.1f}pt",
        "height": f"{height * scale:.1f}pt",
        "reason": "",
    }


# Words for the engine's findings, components and strategies --------------------------------


_SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
_CAUSE_IN_TEXT = re.compile(r"\b([a-z][a-z0-9]*(?:_[a-z0-9]+)+)=([A-Za-z0-9.\-]+)")


def plain(stage: str, text: str) -> str:
    """Engine text with its `question_id=value` asides said in words: "(database_engine=
    postgresql)" reads "(database engine: PostgreSQL on Amazon RDS)"."""
    stage_questions = catalog.get().stage(stage).questions

    def said(match: re.Match[str]) -> str:
        qid, value = match.group(1), match.group(2)
        question = stage_questions.get(qid)
        shown = question.display(question_value(question, value)) if question else value
        return f"{labels.words(qid).lower()}: {shown}"

    return _SNAKE.sub(lambda m: labels.words(m.group(0)).lower(), _CAUSE_IN_TEXT.sub(said, text))


def because(stage: str, causes: Iterable[str]) -> str:
    """A finding's causes as answers people recognise: "How releases reach production:
    Manual" rather than `release_process=manual`."""
    stage_questions = catalog.get().stage(stage).questions
    said = []
    for cause in causes:
        match = _QUESTION_VALUE.match(cause)
        question = stage_questions.get(match.group(1)) if match else None
        if match is None:
            said.append(cause)
        elif question is None:
            said.append(f"{labels.words(match.group(1))}: {match.group(2)}")
        else:
            asked = question.label if question.label.endswith("?") else f"{question.label}:"
            said.append(f"{asked} {question.display(question_value(question, match.group(2)))}")
    return clip("; ".join(said))


def question_value(question: Any, text: str) -> Any:
    """The raw text of a finding's cause, as the question's own value type where it parses."""
    try:
        return question.clean(text)
    except Exception:
        return text


def component_name(text: str) -> str:
    """ "Aurora Global Database secondary" from the engine's "… (dr-primary-db)"."""
    return _COMPONENT_ID.sub("", text)


def _params(params: Mapping[str, Any]) -> str:
    return clip(
        "; ".join(f"{labels.param_label(k)} {labels.param_value(k, v)}" for k, v in params.items())
    )


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


def shown(param: str, value: Any) -> str:
    """A parameter's value, or a component's kind, for people."""
    if param == "kind" and isinstance(value, str):
        return labels.kind_label(value)
    return labels.param_value(param, value)


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
                "size": _params(c.params),
                "recovery": c.id.startswith("dr-"),
                "one_way": c.door == "one_way",
                "overridden": bool(c.overridden),
            }
        )
    return capped(rows)


def _findings(source: StageSource) -> Capped:
    ordered = sorted(
        source.state.findings,
        key=lambda f: ({"high": 0, "medium": 1}.get(f.risk, 2), engine_pillar(f.pillar), f.title),
    )
    return capped(
        {
            "risk": f.risk,
            "risk_label": labels.risk_label(f.risk),
            "pillar": labels.pillar_label(f.pillar),
            "title": clip(plain(source.stage, f.title)),
            "because": because(source.stage, f.because),
            "action": clip(plain(source.stage, f.action), LONG_TEXT_LIMIT),
            "reason": clip(plain(source.stage, f.reason), LONG_TEXT_LIMIT) if f.reason else "",
            "due": labels.stage_label(f.due) if f.due else "",
            "by": labels.stage_label(f.fixed_by) if f.fixed_by else "",
        }
        for f in ordered
    )


def engine_pillar(pillar: str) -> int:
    return PILLARS.index(pillar) if pillar in PILLARS else len(PILLARS)


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


def _doors(source: StageSource) -> list[dict[str, Any]]:
    """The stage's one-way doors and their sign-offs (a live stage has none)."""
    signed = (
        {s.component: s for s in source.milestone.sign_offs.select_related("architect")}
        if source.milestone is not None
        else {}
    )
    doors = []
    for c in source.state.components:
        if c.door != "one_way":
            continue
        sign_off = signed.get(c.id)
        if sign_off is not None:
            who = clip(person(sign_off.architect), NAME_LIMIT)
            state = f"Signed off by {who} on {day(sign_off.created)}"
        elif source.milestone is not None:
            state = "Not signed off yet"
        else:
            state = "Not signed off: live answers, not yet submitted for review"
        doors.append(
            {
                "label": c.label,
                "stage": short_title(source.stage),
                "kind": labels.kind_label(c.kind),
                "why": clip(plain(source.stage, c.reasons[0]) if c.reasons else "", 200),
                "signed": sign_off is not None,
                "state": state,
                "note": clip(sign_off.note) if sign_off else "",
            }
        )
    return doors


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


# The stage pages ---------------------------------------------------------------------------


def _cost(source: StageSource, estimate: Estimate | None, dr_region: str) -> dict[str, Any]:
    if not costs.priced(estimate):
        reason = estimate.reason if estimate is not None else ""
        return {"priced": False, "reason": clip(reason or "The estimate is not ready.")}
    assert estimate is not None and estimate.result  # costs.priced
    result = estimate.result
    lines = result["lines"]
    return {
        "priced": True,
        "monthly_value": Decimal(str(result["monthly_usd"])),
        "monthly": labels.money(result["monthly_usd"]),
        "yearly": labels.money(result["yearly_usd"]),
        "per_customer": labels.money_per_customers(result["per_customer_usd"]),
        "customers": estimate.customers,
        "sources": [costs.source_name(s) for s in result.get("sources", [])],
        "oldest": result.get("oldest_price_date") or "",
        "services": costs.by_service(lines, source.state, dr_region),
        "line_count": len(lines),
        "lines": capped(costs.line_items(lines)),
        "key_assumptions": [
            {
                "label": k.get("component_label", ""),
                "assumes": k.get("assumes", ""),
                "monthly": labels.money(k.get("monthly_usd")),
            }
            for k in result.get("key_assumptions", [])[:3]
        ],
        "estimated_lines": result.get("estimated_lines", 0),
        "estimated": labels.money(result.get("estimated_usd", "0")),
    }


def _stage(
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
        "cost": _cost(source, estimate, journey.dr_region or source.state.dr.region),
        "findings": _findings(source),
        "high": sum(1 for f in source.state.findings if f.risk == "high"),
        "medium": sum(1 for f in source.state.findings if f.risk == "medium"),
        "dr": _dr(source),
        "doors": _doors(source),
        "thresholds": list(catalog.get().stage(source.stage).thresholds),
        "next": short_title(after) if after else "",
        "components": _components(source.state),
        "answers": _answers(source),
    }


# The executive summary ---------------------------------------------------------------------


def _journey_rows(stages: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for stage in stages:
        triggers = stage["thresholds"]
        rows.append(
            {
                "stage": stage,
                "triggers": triggers[:TRIGGERS],
                "more_triggers": max(0, len(triggers) - TRIGGERS),
            }
        )
    return rows


def _decisions(stages: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The one-way doors of the whole journey, each once (where it first appears)."""
    seen: set[str] = set()
    doors = []
    for stage in stages:
        for door in stage["doors"]:
            if door["label"] in seen:
                continue
            seen.add(door["label"])
            doors.append(door)
    return {
        "items": doors[:DECISIONS],
        "omitted": max(0, len(doors) - DECISIONS),
        "total": len(doors),
        "signed": sum(1 for d in doors if d["signed"]),
    }


def _top_risks(stages: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "stage": stage["short"],
            "risks": [f for f in stage["findings"].items if f["risk"] != "none"][:RISKS_PER_STAGE],
            "more": max(
                0,
                sum(1 for f in stage["findings"].items if f["risk"] != "none") - RISKS_PER_STAGE,
            ),
        }
        for stage in stages
    ]


def _intro(
    journey: Journey, stages: Sequence[dict[str, Any]], decisions: dict[str, Any]
) -> list[str]:
    """The summary's opening sentences, every one made from the plan's own figures."""
    first, last = stages[0], stages[-1]
    where = region_name(journey.region)
    if journey.dr_region:
        where += f", with disaster recovery in {region_name(journey.dr_region)}"
    sentences = [
        f"The plan grows the workload in {len(stages)} stages, from {first['customers']:,} "
        f"customers at {first['short']} to {last['customers']:,} at {last['short']}, in {where}."
    ]
    priced = [s for s in stages if s["cost"]["priced"]]
    if len(priced) >= 2:
        a, b = priced[0], priced[-1]
        sentences.append(
            f"Running it costs {a['cost']['monthly']} a month at {a['short']} and "
            f"{b['cost']['monthly']} a month at {b['short']}; per customer, "
            f"{a['cost']['per_customer']} becomes {b['cost']['per_customer']}."
        )
    elif priced:
        a = priced[0]
        sentences.append(f"Running it costs {a['cost']['monthly']} a month at {a['short']}.")
    high = [(s["short"], s["high"]) for s in stages if s["high"]]
    if high:
        worst = max(high, key=lambda item: item[1])
        sentences.append(
            f"{sum(n for _, n in high)} high risks are open across the stages, the most at "
            f"{worst[0]} ({worst[1]}); each has an action below."
        )
    else:
        sentences.append("No high risk is open in any stage.")
    if decisions["total"]:
        sentences.append(
            f"{decisions['total']} decision{'s are' if decisions['total'] != 1 else ' is'} "
            f"expensive to undo (one-way doors); {decisions['signed']} "
            f"{'is' if decisions['signed'] == 1 else 'are'} signed off by an architect."
        )
    return sentences


def _bars(stages: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The cost by stage as bars: widths in per cent of the largest month, never thinner than
    a hairline, so that the figure beside a small bar is what is read."""
    priced = [s["cost"]["monthly_value"] for s in stages if s["cost"]["priced"]]
    top = max(priced) if priced else Decimal(0)
    rows = []
    for stage in stages:
        cost = stage["cost"]
        width = (cost["monthly_value"] * 100 / top) if cost["priced"] and top else Decimal(0)
        rows.append(
            {
                "short": stage["short"],
                "priced": cost["priced"],
                "width": f"{max(width, Decimal('0.6')):.1f}",
                "monthly": cost.get("monthly", ""),
                "per_customer": cost.get("per_customer", ""),
            }
        )
    return rows


def _review(journey: Journey) -> dict[str, Any] | None:
    """The latest submission and its decision, for the cover."""
    submission = journey.submissions.select_related("submitted_by").order_by("-number").first()
    if submission is None:
        return None
    try:
        decision = submission.decision
    except ObjectDoesNotExist:
        decision = None
    return {
        "number": submission.number,
        "submitted": day(submission.created),
        "submitted_by": clip(person(submission.submitted_by), NAME_LIMIT),
        "outcome": decision.get_outcome_display() if decision else "",
        "architect": clip(person(decision.architect), NAME_LIMIT) if decision else "",
        "decided": day(decision.created) if decision else "",
        "summary": clip(decision.summary, LONG_TEXT_LIMIT) if decision else "",
    }


def _assumptions(sources: Sequence[StageSource]) -> list[dict[str, Any]]:
    """One row per assumption with its value in each stage (milestones may differ)."""
    rows: dict[str, dict[str, Any]] = {}
    for source in sources:
        for a in source.state.assumptions:
            row = rows.setdefault(
                a.name,
                {"unit": a.unit, "description": plain(source.stage, a.description), "values": []},
            )
            row["values"].append(labels.number(a.value, 4))
    return list(rows.values())[:ROW_LIMIT]


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
    approval = latest_approval(journey)
    stages = [
        _stage(journey, s, diagrams.get(s.stage), estimates.get(s.stage), approval) for s in sources
    ]
    decisions = _decisions(stages)
    priced = [s["cost"] for s in stages if s["cost"]["priced"]]
    price_dates = sorted({c["oldest"] for c in priced if c["oldest"]})
    return {
        "title": f"{clip(journey.name, NAME_LIMIT)} — architecture roadmap",
        "journey": {
            "name": clip(journey.name, NAME_LIMIT),
            "description": clip(journey.description, LONG_TEXT_LIMIT),
            "team": clip(journey.team.name, NAME_LIMIT),
            "region": region_name(journey.region),
            "dr_region": region_name(journey.dr_region) if journey.dr_region else "",
        },
        "status": status_line(approval, sources),
        "review": _review(journey),
        "as_of": as_of,
        # The PDF's creation and modification dates: those of its inputs, not of the render,
        # so that exporting the same milestones again gives the same bytes.
        "as_of_w3c": as_of.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "page_size": page_size,
        "catalogue_versions": sorted({s.catalogue_version for s in sources}),
        "price_sources": sorted({src for c in priced for src in c["sources"]}),
        "price_dates": price_dates,
        "stages": stages,
        "summary": {
            "intro": _intro(journey, stages, decisions),
            "rows": _journey_rows(stages),
            "bars": _bars(stages),
            "decisions": decisions,
            "risks": _top_risks(stages),
            "since_approval": changes_since(approval, sources),
            "approval": approval.line if approval else "",
        },
        "all_priced": len(priced) == len(stages),
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
