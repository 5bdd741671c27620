"""A stage's estimate as the roadmap prints it: a handful of rows by service in the body, every
line with its unit price and source in the appendix.

Money is printed to the cent everywhere but in the unit-price column, whose prices (a
fraction of a cent per request) say their unit: "$0.0000004 per request".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from journeys import engine, labels
from journeys.models import Estimate
from journeys.roadmap.limits import capped, clip
from journeys.roadmap.sources import StageSource

# Rows of the cost-by-service table before the rest is summed up as one "everything else".
SERVICE_ROWS = 6
# The Price List's units, as "per …" reads them.
UNIT_NAMES = {
    "Hrs": "hour",
    "hours": "hour",
    "Mo": "month",
    "GB-Mo": "GB-month",
    "GB": "GB",
    "LCU-Hrs": "LCU-hour",
    "ACU-Hr": "ACU-hour",
    "Requests": "request",
    "Queries": "query",
    "Minutes": "minute",
    "Dashboards": "dashboard",
    "Alarms": "alarm",
    "Lambda-GB-Second": "GB-second",
    "IOs": "I/O request",
    "Traces": "trace",
    "Events": "event",
    "Objects": "object",
    "MAU": "monthly active user",
    "Metrics": "metric",
    "ReadRequestUnits": "read request unit",
    "WriteRequestUnits": "write request unit",
    "ReplicatedWriteRequestUnits": "replicated write request unit",
}
# Where a price came from (an estimate line's `source`), in words.
SOURCE_NAMES = {
    "api": "AWS Price List API",
    "snapshot": "price snapshot",
    "cache": "AWS Price List API (cached)",
    "no charge": "no charge",
}


def unit_name(unit: str) -> str:
    return UNIT_NAMES.get(unit) or unit.lower()


def source_name(source: str) -> str:
    return SOURCE_NAMES.get(source) or labels.words(source).lower()


def quantity_unit(line: Mapping[str, Any]) -> str:
    """What a line's quantity counts: the usage's own unit ("hours"), else the price's."""
    return labels.usage_unit(str(line.get("usage", ""))) or unit_name(str(line["unit"]))


def unit_price(value: Any, unit: str) -> str:
    """A unit price with every digit it has and its unit: "$0.0116 per hour"."""
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        return ""
    text = f"{amount:,.10f}".rstrip("0")
    whole, _, fraction = text.partition(".")
    return f"${whole}.{fraction.ljust(2, '0')} per {unit_name(unit)}"


def by_service(
    lines: Sequence[Mapping[str, Any]], state: engine.ArchitectureState, dr_region: str
) -> list[dict[str, Any]]:
    """The month's cost by service, largest first: the top SERVICE_ROWS services of the main
    region, everything else as one row, and the recovery region as one row."""
    kinds = {c.id: c.kind for c in state.components}
    totals: dict[str, Decimal] = {}
    counts: dict[str, int] = {}
    recovery = Decimal(0)
    for line in lines:
        amount = Decimal(str(line["monthly_usd"]))
        if line.get("group") == "dr":
            recovery += amount
            continue
        service = labels.kind_label(kinds.get(str(line["component"]), "other"))
        totals[service] = totals.get(service, Decimal(0)) + amount
        counts[service] = counts.get(service, 0) + 1
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    rows = [
        {"service": service, "monthly": labels.money(amount), "lines": counts[service]}
        for service, amount in ranked[:SERVICE_ROWS]
    ]
    rest = ranked[SERVICE_ROWS:]
    if rest:
        rows.append(
            {
                "service": f"Everything else ({len(rest)} services)",
                "monthly": labels.money(sum((amount for _, amount in rest), Decimal(0))),
                "lines": sum(counts[service] for service, _ in rest),
            }
        )
    if recovery:
        rows.append(
            {
                "service": f"Recovery region ({dr_region})",
                "monthly": labels.money(recovery),
                "lines": sum(1 for line in lines if line.get("group") == "dr"),
                "recovery": True,
            }
        )
    return rows


_BARE_PRICE = re.compile(r"(\$\d[\d,]*\.\d{3,})(?! per)")


def priced_text(text: str, unit: str) -> str:
    """A line's description, its fractions of a cent saying what they are per: "free, then
    $0.015 per monthly active user"."""
    return _BARE_PRICE.sub(lambda m: f"{m.group(1)} per {unit_name(unit)}", text)


def line_items(lines: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Every priced line, largest first, in words: what, how much, at what unit price, from
    where."""
    ordered = sorted(
        lines, key=lambda line: (-Decimal(str(line["monthly_usd"])), line["component"])
    )
    return [
        {
            "component": line.get("component_label") or labels.words(str(line["component"])),
            "description": priced_text(str(line.get("description", "")), str(line["unit"])),
            "assumes": line.get("assumes", ""),
            "price_basis": line.get("price_basis", ""),
            "quantity": f"{labels.number(line['quantity'], 4)} {quantity_unit(line)}",
            "unit_price": unit_price(line["unit_price_usd"], str(line["unit"])),
            "monthly": labels.money(line["monthly_usd"]),
            "source": source_name(str(line.get("source", ""))),
            "recovery": line.get("group") == "dr",
        }
        for line in ordered
    ]


def priced(estimate: Estimate | None) -> bool:
    return estimate is not None and estimate.status == Estimate.DONE and bool(estimate.result)


def stage_cost(source: StageSource, estimate: Estimate | None, dr_region: str) -> dict[str, Any]:
    """A stage's cost section: totals, cost by service, every line, the key assumptions."""
    if not priced(estimate):
        reason = estimate.reason if estimate is not None else ""
        return {"priced": False, "reason": clip(reason or "The estimate is not ready.")}
    assert estimate is not None and estimate.result  # priced
    result = estimate.result
    lines = result["lines"]
    return {
        "priced": True,
        "monthly_value": Decimal(str(result["monthly_usd"])),
        "monthly": labels.money(result["monthly_usd"]),
        "yearly": labels.money(result["yearly_usd"]),
        "per_customer": labels.money_per_customers(result["per_customer_usd"]),
        "customers": estimate.customers,
        "sources": [source_name(s) for s in result.get("sources", [])],
        "oldest": result.get("oldest_price_date") or "",
        "services": by_service(lines, source.state, dr_region),
        "line_count": len(lines),
        "lines": capped(line_items(lines)),
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
