"""The executive summary: sentences made from the plan's figures, the stages at a glance, the
cost bars, the decisions that matter and the top risks of each stage."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from journeys.models import Journey
from journeys.roadmap.words import region_name

# Decisions that matter, risks per stage, triggers per stage.
DECISIONS = 5
RISKS_PER_STAGE = 2
TRIGGERS = 2


def journey_rows(stages: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
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


def decisions(stages: Sequence[dict[str, Any]]) -> dict[str, Any]:
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


def top_risks(stages: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
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


def intro(
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


def bars(stages: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
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
