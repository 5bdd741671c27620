"""Everything the roadmap template prints, gathered and bounded.

The roadmap reads in three parts: an executive summary a CFO or a CTO reads in two pages
(sentences made from the state, nothing invented), a page or two per stage (its diagram as
vector SVG, cost by service, risks with actions, disaster recovery), and the engineering
appendix (every line item, component, assumption and answer with its origin).

The context is plain data in a fixed order, so the same inputs give the same HTML byte for byte
(and so the same content hash). Every piece of user text is clipped and every list is capped
(`limits`) before the template sees it: a hostile journey (a 10,000-character answer in every
field) must not make a 10,000-page PDF or keep a worker busy for minutes. No internal identifier
reaches the template: kinds, parameters, strategies and answers go through `journeys.labels`
and `words`.

Here the whole; the parts are `summary` (the executive summary), `stage` (a stage's pages,
with `diagrams`, `costs`, `findings` and `doors`) and `status` (the review on the cover).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC
from typing import Any

from journeys import engine, labels
from journeys.models import Diagram, Estimate, Journey
from journeys.roadmap import summary
from journeys.roadmap.limits import LONG_TEXT_LIMIT, NAME_LIMIT, ROW_LIMIT, clip
from journeys.roadmap.sources import StageSource
from journeys.roadmap.stage import stage_page
from journeys.roadmap.status import changes_since, latest_approval, review, status_line
from journeys.roadmap.words import plain, region_name
from journeys.vocabulary import short_title


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
        stage_page(journey, s, diagrams.get(s.stage), estimates.get(s.stage), approval)
        for s in sources
    ]
    decisions = summary.decisions(stages)
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
        "review": review(journey),
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
            "intro": summary.intro(journey, stages, decisions),
            "rows": summary.journey_rows(stages),
            "bars": summary.bars(stages),
            "decisions": decisions,
            "risks": summary.top_risks(stages),
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
