"""An architecture state -> its diagram: SVG for the browser, PNG for the PDF, and the
diagram-as-code Python script that draws it again with the `diagrams` library.

Pure of Django: the Celery task calls `draw` and stores the bytes; tests and the benchmark call
it directly. (A package rather than `drawing.py` for its size; never name a module here
`diagrams` or `resources`: they would shadow the library and its icons.)

    draw(state, *, previous=None, title="", formats=("svg", "png"), workdir=None) -> Drawing
    render_dot(dot_source, fmt) -> bytes        # raw `dot -T<fmt>`, the benchmark's baseline
    DrawingError > TooManyNodes, GraphvizMissing, DrawingFailed > GraphvizCrashed

How: `layout` turns the state into a plan (clusters, nodes, edges; labels escaped); `render`
builds it with `diagrams` to get the DOT, runs `dot` once for all formats in a per-call
temporary directory and makes the SVG standalone (icons inlined, no paths); `script` prints
the plan as the Python that draws it. When `dot` crashes with one edge router it draws again
with the next (layout.ROUTERS: ortho, polyline, spline) and the Drawing says which drew it.
Equal states give byte-identical files: node ids come from component ids, the order from the
state, and nothing random or dated reaches the DOT.
"""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from journeys.drawing import layout
from journeys.drawing.errors import (
    DrawingError,
    DrawingFailed,
    GraphvizCrashed,
    GraphvizMissing,
    TooManyNodes,
)
from journeys.drawing.labels import label_text
from journeys.drawing.layout import ROUTERS
from journeys.drawing.render import build_dot, render_dot, render_files, standalone_svg
from journeys.drawing.script import python_source
from journeys.engine import ArchitectureState

__all__ = [
    "FORMATS",
    "MAX_COMPONENTS",
    "ROUTERS",
    "Drawing",
    "DrawingError",
    "DrawingFailed",
    "GraphvizCrashed",
    "GraphvizMissing",
    "TooManyNodes",
    "draw",
    "render_dot",
]

# Graphviz's layout time grows faster than the graph, and more boxes than this no longer read
# on a page of the PDF.
MAX_COMPONENTS = 60
MAX_TITLE = 80
FORMATS = ("svg", "png")

_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Drawing:
    svg: bytes  # standalone; b"" when "svg" was not asked for
    png: bytes  # b"" when "png" was not asked for
    python_source: str
    dot_source: str
    node_count: int  # nodes drawn: one per component (one per zone for a spread one), legend
    render_seconds: float  # the whole draw() call
    name: str  # the file stem for downloads: name.svg, name.png, name.py
    router: str  # the edge router that drew it: the first of ROUTERS that `dot` did not crash on


def draw(
    state: ArchitectureState,
    *,
    previous: ArchitectureState | None = None,
    title: str = "",
    formats: Sequence[str] = FORMATS,
    workdir: Path | None = None,
) -> Drawing:
    """The diagram of `state`; components new since `previous` (the stage before) are
    highlighted, none when it is None.

    `workdir` is where the per-call temporary directory goes (the system's by default).
    Raises TooManyNodes, GraphvizMissing or DrawingFailed, all DrawingError; DrawingFailed
    only once `dot` has crashed with every router.
    """
    started = time.perf_counter()
    if not formats or any(f not in FORMATS for f in formats):
        raise ValueError(f"formats must be some of {FORMATS}, not {tuple(formats)!r}")
    formats = tuple(dict.fromkeys(formats))
    if len(state.components) > MAX_COMPONENTS:
        raise TooManyNodes(len(state.components), MAX_COMPONENTS)
    name = file_stem(title, state.stage)
    plan = layout.plan(state, previous, label_text(title, MAX_TITLE), name)
    crashes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="drawing-", dir=workdir) as tmp:
        folder = Path(tmp)
        for router in ROUTERS:
            dot_source = build_dot(plan, folder / name, formats, router)
            try:
                files = render_files(dot_source, folder, name, formats)
                break
            except GraphvizCrashed as crash:
                crashes.append(f"{router}: {crash.reason}")
        else:
            raise DrawingFailed(
                "Graphviz failed with every edge router (" + "; ".join(crashes) + ")."
            )
    return Drawing(
        svg=standalone_svg(files["svg"]) if "svg" in files else b"",
        png=files.get("png", b""),
        python_source=python_source(plan, router),
        dot_source=dot_source,
        node_count=len(plan.nodes()),
        render_seconds=time.perf_counter() - started,
        name=name,
        router=router,
    )


def file_stem(title: str, stage: str) -> str:
    """A file name from the title ("Snapshot — scale" -> "snapshot-scale"), else the stage."""
    slug = _SLUG.sub("-", title.lower()).strip("-")[:60].strip("-")
    return slug or _SLUG.sub("-", f"architecture-{stage}".lower()).strip("-")
