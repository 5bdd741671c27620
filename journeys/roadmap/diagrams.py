"""A stage's diagram as the roadmap embeds it: vector SVG, on a portrait or a landscape page."""

from __future__ import annotations

import base64
import re
from typing import Any

from journeys.models import Diagram
from journeys.roadmap.limits import clip

# A diagram larger than this is not embedded (the drawing caps nodes, so it never should be).
IMAGE_LIMIT = 8 * 1024 * 1024
# The diagram's box on a portrait and on a landscape page, in points (A4 less the margins,
# the title and the caption): the page whose box shows the drawing larger is chosen.
PORTRAIT_BOX = (500.0, 610.0)
LANDSCAPE_BOX = (745.0, 390.0)

_SVG_SIZE = re.compile(rb'<svg\b[^>]*?\bwidth="([\d.]+)pt"[^>]*?\bheight="([\d.]+)pt"', re.S)
_HREF = re.compile(rb'\b(?:xlink:)?href="([^"]*)"')


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
