"""Pictures of numbers, drawn on the server as SVG so that the page and the PDF share them."""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from html import escape
from typing import Any

from journeys import labels

# The chart's look, in one stylesheet: written into the SVG for the PDF, linked by the pages
# (whose Content-Security-Policy refuses an inline <style>).
CSS = """
#cost-by-stage { font-family: "DejaVu Sans", sans-serif; }
#cost-by-stage .title { font-size: 17px; font-weight: bold; fill: #111827; }
#cost-by-stage .subtitle { font-size: 12px; fill: #5b6470; }
#cost-by-stage .stage { font-size: 15px; font-weight: bold; fill: #111827; }
#cost-by-stage .per-customer { font-size: 12px; fill: #5b6470; }
#cost-by-stage .bar { fill: #1d4ed8; }
#cost-by-stage .value { font-size: 14px; font-weight: bold; fill: #111827; }
#cost-by-stage .unpriced { font-size: 13px; fill: #5b6470; font-style: italic; }
#cost-by-stage .grid { stroke: #d5dbe3; stroke-width: 1; }
#cost-by-stage .tick { font-size: 11px; fill: #5b6470; }
"""

WIDTH = 900
LEFT = 230  # the stage's name and its cost per customer
RIGHT = 110  # room for the largest figure after its bar
TOP = 78
ROW = 54
BAR = 26


def cost_by_stage(rows: Sequence[dict[str, Any]], *, inline_style: bool = True) -> str:
    """Monthly cost per stage: one bar per stage with its own figure at its end, and the cost
    per customer under the stage's name. Costs grow by orders of magnitude from Launch to
    Beyond, so the bars are drawn on a logarithmic scale (a labelled gridline per power of
    ten): on a linear one the first stages' bars were invisible beside the last.

    `rows`: dicts with `label`, `monthly_usd` and `per_customer_usd` (Decimal or None).
    `inline_style=False` leaves out the chart's <style> element, for a web page: its
    Content-Security-Policy refuses inline styles, so the page links `stylesheet()` instead.
    Returns a standalone SVG document without scripts.
    """
    values = [_number(row["monthly_usd"]) for row in rows]
    priced = [v for v in values if v]
    decades = _decades(priced) if priced else [1.0, 10.0]
    low, high = math.log10(decades[0]), math.log10(decades[-1])
    span = WIDTH - LEFT - RIGHT
    height = TOP + ROW * len(rows) + 16

    def x_of(value: float) -> float:
        return LEFT + (math.log10(value) - low) / (high - low) * span

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="cost-by-stage" class="cost-chart" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" '
        'aria-labelledby="cost-by-stage-title">',
        '<title id="cost-by-stage-title">Monthly cost by stage</title>',
    ]
    if inline_style:
        parts.append(f"<style>{CSS}</style>")
    parts += [
        '<text class="title" x="0" y="22">Monthly cost by stage</text>',
        '<text class="subtitle" x="0" y="42">Each gridline is ten times the one before it, '
        "so small and large stages both show; the figure is the cost a month.</text>",
    ]
    bottom = TOP + ROW * len(rows) - 8
    for decade in decades:
        x = x_of(decade)
        parts.append(
            f'<line class="grid" x1="{x:.1f}" y1="{TOP - 10}" x2="{x:.1f}" y2="{bottom}"/>'
        )
        parts.append(
            f'<text class="tick" x="{x:.1f}" y="{TOP - 16}" text-anchor="middle">'
            f"{_axis_usd(decade)}</text>"
        )
    for index, (row, value) in enumerate(zip(rows, values, strict=True)):
        y = TOP + ROW * index
        label = escape(str(row["label"]), quote=False)
        parts.append(f'<text class="stage" x="0" y="{y + 12}">{label}</text>')
        parts.append(
            f'<text class="per-customer" x="0" y="{y + 30}">'
            f"{escape(_per_customer(row['per_customer_usd']), quote=False)}</text>"
        )
        if not value:
            parts.append(
                f'<text class="unpriced" x="{LEFT}" y="{y + 18}">'
                f"{'not priced yet' if value is None else '$0.00'}</text>"
            )
            continue
        end = max(x_of(value), LEFT + 2)
        parts.append(
            f'<rect class="bar" x="{LEFT}" y="{y}" width="{end - LEFT:.1f}" height="{BAR}" rx="3"/>'
        )
        parts.append(f'<text class="value" x="{end + 8:.1f}" y="{y + 18}">{_usd(value)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _usd(value: float) -> str:
    return f"${value:,.0f}" if value >= 100 else f"${value:,.2f}"


def _axis_usd(value: float) -> str:
    """A gridline's label: "$1", "$100", "$10k", "$1M"."""
    for limit, suffix in ((1e6, "M"), (1e3, "k")):
        if value >= limit:
            return f"${value / limit:,.0f}{suffix}"
    return f"${value:,.2f}".rstrip("0").rstrip(".") if value < 1 else f"${value:,.0f}"


def _decades(values: Sequence[float]) -> list[float]:
    """Every power of ten from the one below the smallest value to the one above the largest."""
    low = math.floor(math.log10(min(values)))
    high = math.ceil(math.log10(max(values)))
    if high == low:
        high += 1
    return [float(10**exponent) for exponent in range(low, high + 1)]


def stylesheet() -> str:
    """The CSS of the charts as web pages show them (the pages link it)."""
    return CSS


def _per_customer(value: Decimal | None) -> str:
    if value is None:
        return "not priced yet"
    return f"{labels.money_per_customer(value)} per customer"


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None
