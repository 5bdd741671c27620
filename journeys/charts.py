"""Pictures of numbers, drawn on the server as SVG so that the page and the PDF share them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from functools import cache
from typing import Any

import pygal
from pygal.style import Style

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1f2937",
    foreground_strong="#111827",
    foreground_subtle="#6b7280",
    colors=("#1d4ed8", "#b45309"),
    font_family="DejaVu Sans, sans-serif",
    title_font_size=16,
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=12,
    value_font_size=11,
)


def _usd(value: float) -> str:
    return f"${value:,.0f}" if value >= 100 else f"${value:,.2f}"


def cost_by_stage(rows: Sequence[dict[str, Any]], *, inline_style: bool = True) -> str:
    """Monthly cost per stage as bars, each with its figure (costs grow by orders of
    magnitude, so the small ones are read from the figure), and the cost per customer under
    each stage's name.

    `rows`: dicts with `label`, `monthly_usd` and `per_customer_usd` (Decimal or None).
    `inline_style=False` leaves out the chart's <style> element, for a web page: its
    Content-Security-Policy refuses inline styles, so the page links `stylesheet()` instead.
    Returns a standalone SVG document without scripts (the PDF renderer runs none, and the
    page must not load pygal's scripts from the internet).
    """
    values = [_number(row["monthly_usd"]) for row in rows]
    chart = pygal.Bar(
        style=STYLE,
        width=900,
        height=400,
        js=(),
        disable_xml_declaration=True,
        show_legend=False,
        print_values=True,
        y_labels_major_count=5,
        show_minor_y_labels=False,
        min_scale=4,
        max_scale=6,
        value_formatter=_usd,
        title="Monthly cost by stage (cost per customer below each stage)",
        y_title="USD per month",
        truncate_label=-1,
    )
    chart.x_labels = [f"{row['label']} · {_per_customer(row['per_customer_usd'])}" for row in rows]
    chart.add("Monthly cost (USD)", values)
    svg = _stable(chart.render(is_unicode=True))
    return svg if inline_style else _STYLE_ELEMENT.sub("", svg)


_STYLE_ELEMENT = re.compile(r"<style\b[^>]*>(.*?)</style>", flags=re.DOTALL)


@cache
def stylesheet() -> str:
    """The CSS of the charts as web pages show them. pygal writes the same CSS into every chart
    (it depends on the chart's style and id, not on its numbers), so one rendering gives it."""
    svg = cost_by_stage([{"label": "", "monthly_usd": Decimal(0), "per_customer_usd": None}])
    return "\n".join(_STYLE_ELEMENT.findall(svg))


def _per_customer(value: Decimal | None) -> str:
    if value is None:
        return "not priced yet"
    if value < 1:
        return f"${value:.4f}/customer"
    return f"${value:,.2f}/customer"


def _stable(svg: str) -> str:
    """The same chart for the same numbers: pygal adds a random id, a dated comment, an
    inline configuration script and a hidden tooltip for it (with a style attribute, which a
    page's Content-Security-Policy refuses), none of which the picture needs."""
    chart_id = re.search(r'id="(chart-[0-9a-f-]+)"', svg)
    if chart_id:
        svg = svg.replace(chart_id.group(1), "cost-by-stage")
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.DOTALL)
    svg = svg.replace(' style="opacity: 0"', "")
    return re.sub(r"<script\b.*?</script>", "", svg, flags=re.DOTALL)


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None
