"""Finished estimates as people read them: the per-stage summary, CSV, JSON and text.

Rows are `journeys.models.Estimate`s whose `result` holds the estimate as JSON (see
`pricing.estimate`); nothing here prices anything.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Protocol

from journeys.models import Estimate, Journey
from journeys.vocabulary import STAGES, short_title


class Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def stage_summary(rows: Mapping[str, Estimate | None]) -> list[dict[str, Any]]:
    """Monthly cost and cost per customer per stage, for the chart (`label`, the stage's short
    title, names its bar) and the summary table."""
    summary = []
    for stage in STAGES:
        row = rows.get(stage)
        data = row.result if row is not None and row.result else None
        summary.append(
            {
                "stage": stage,
                "label": short_title(stage),
                "customers": row.customers if row is not None else None,
                "monthly_usd": Decimal(str(data["monthly_usd"])) if data else None,
                "yearly_usd": Decimal(str(data["yearly_usd"])) if data else None,
                "per_customer_usd": Decimal(str(data["per_customer_usd"])) if data else None,
            }
        )
    return summary


# A line item's fields, in the order of the CSV's columns and of the JSON document's keys, each
# with the header a spreadsheet shows, in words.
LINE_COLUMNS = {
    "component": "Component",
    "service_code": "AWS service code",
    "description": "Description",
    "quantity": "Quantity",
    "unit": "Unit",
    "unit_price_usd": "Unit price (USD)",
    "monthly_usd": "Monthly cost (USD)",
    "source": "Price source",
    "price_basis": "Price basis",
    "assumes": "Assumes",
    "attributes": "Price list attributes",
}


def write_csv(row: Estimate, out: Writable) -> None:
    """The line items as CSV, in the spirit of the AWS Pricing Calculator's export: headers in
    words, each component by its name."""
    result = row.figures
    writer = csv.writer(out)
    writer.writerow(LINE_COLUMNS.values())
    for line in result["lines"]:
        attributes = ";".join(f"{k}={v}" for k, v in sorted(line["attributes"].items()))
        named = {**line, "component": line.get("component_label") or line.get("component", "")}
        cells = [_cell(named.get(c, "")) for c in LINE_COLUMNS if c != "attributes"]
        writer.writerow([*cells, _cell(attributes)])
    writer.writerow([])

    def total(what: str, usd: object) -> list[object]:
        """A total: what it totals in the description's column, the sum in the monthly cost's."""
        return ["Total", "", what, "", "", "", usd] + [""] * (len(LINE_COLUMNS) - 7)

    writer.writerow(total("A month", result["monthly_usd"]))
    writer.writerow(total("A year", result["yearly_usd"]))
    writer.writerow(total("Per customer a month", result["per_customer_usd"]))
    if estimated := result.get("estimated_lines", 0):
        what = f"{estimated} lines estimated from the us-east-1 price"
        writer.writerow(total(what, result["estimated_usd"]))


def _cell(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


def as_json(journey: Journey, rows: Mapping[str, Estimate]) -> dict[str, Any]:
    """The documented estimate document of `manage.py estimate_journey`."""
    stages = {}
    for stage, row in rows.items():
        r = row.figures
        stages[stage] = {
            "monthly_usd": r["monthly_usd"],
            "yearly_usd": r["yearly_usd"],
            "per_customer_usd": r["per_customer_usd"],
            "lines": [{k: line.get(k, "") for k in LINE_COLUMNS} for line in r["lines"]],
        }
    dates = [row.oldest_price_date for row in rows.values() if row.oldest_price_date]
    return {
        "journey": journey.pk,
        "stages": stages,
        "sources": sorted({s for row in rows.values() for s in row.sources}),
        "oldest_price_date": min(dates) if dates else None,
    }


def as_text(journey: Journey, rows: Mapping[str, Estimate]) -> str:
    out = [f"{journey.name} — monthly cost estimate"]
    for stage, row in rows.items():
        r = row.figures
        out.append("")
        out.append(
            f"{stage}: {Decimal(r['monthly_usd']):,.2f} USD a month, "
            f"{Decimal(r['yearly_usd']):,.2f} a year, "
            f"{Decimal(r['per_customer_usd']):,.4f} per customer ({row.customers:,} customers)"
        )
        for line in sorted(r["lines"], key=lambda x: Decimal(x["monthly_usd"]), reverse=True):
            out.append(
                f"  {Decimal(line['monthly_usd']):>12,.2f}  {line['component']:<18} "
                f"{line['description']} ({line['quantity']} {line['unit']} × "
                f"{line['unit_price_usd']}, {line['source']})"
                + (f" — {line['price_basis']}" if line.get("price_basis") else "")
            )
    return "\n".join(out) + "\n"
