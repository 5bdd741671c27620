"""A plan -> DOT (through `diagrams`) -> SVG and PNG (through one `dot` run) -> a standalone SVG.

`diagrams` renders on `with Diagram` exit, one `dot` run per format, each laying the graph out
again. Here the library only builds the graph; `dot` then runs once with one `-T` per format,
in a per-call temporary directory: never the process's cwd, no lock, nothing shared.
"""

from __future__ import annotations

import base64
import contextvars
import functools
import html
import re
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import diagrams
from diagrams import Cluster, Diagram, Edge, Node

from journeys.drawing.errors import DrawingFailed, GraphvizCrashed, GraphvizMissing
from journeys.drawing.layout import NODE_ATTR, ROUTERS, Plan, PlanCluster, PlanNode, graph_attr

# `dot` has no time limit of its own. The node cap keeps a layout short; this stops a
# pathological one before the worker's own time limit does.
DOT_TIMEOUT_SECONDS = 60

ICON_ROOT = (Path(diagrams.__file__).resolve().parent.parent / "resources").resolve()
_IMAGE = re.compile(rb"<image\b([^>]*?)/?>(?:</image>)?")
_ATTRIBUTE = re.compile(rb'([\w:-]+)="([^"]*)"')
_SVG_OPEN = re.compile(rb"<svg\b[^>]*>")
_COMMENT = re.compile(rb"<!--.*?-->\n?", re.DOTALL)


def build_dot(plan: Plan, filename: Path, formats: Sequence[str], router: str = ROUTERS[0]) -> str:
    """The DOT source of the plan, made by the `diagrams` calls the generated script makes,
    its edges drawn by `router` (one of ROUTERS).

    Runs in a copy of the current context: `diagrams` keeps its current diagram and cluster in
    context variables, so the caller's stay untouched, and without a `with Diagram` block
    nothing renders on exit (not even when building fails half-way).
    """

    def build() -> str:
        d = Diagram(
            plan.title,
            filename=str(filename),
            outformat=list(formats),
            show=False,
            graph_attr=graph_attr(router),
            node_attr=NODE_ATTR,
        )
        diagrams.setdiagram(d)
        nodes: dict[str, Node] = {}

        def add(items: list[PlanNode | PlanCluster]) -> None:
            for item in items:
                if isinstance(item, PlanNode):
                    nodes[item.var] = item.icon(item.label, nodeid=item.nodeid, **item.attrs)
                else:
                    with Cluster(item.label, graph_attr=item.attrs):
                        add(item.items)

        add(plan.items)
        for e in plan.edges:
            nodes[e.src] >> Edge(**e.attrs) >> nodes[e.dst]
        source: str = d.dot.source  # `diagrams` and graphviz-py ship no types
        return source

    return contextvars.copy_context().run(build)


def dot_program() -> str:
    found = shutil.which("dot")
    if found is None:
        raise GraphvizMissing()
    return found


def run_dot(args: list[str], *, stdin: bytes | None = None, cwd: Path | None = None) -> bytes:
    """Runs `dot` and gives its stdout; its warnings (a label wider than its node...) are
    dropped, its errors raised as GraphvizCrashed (a DrawingFailed)."""
    try:
        done = subprocess.run(
            [dot_program(), *args],
            input=stdin,
            capture_output=True,
            cwd=cwd,
            timeout=DOT_TIMEOUT_SECONDS,
            check=False,
        )
    except FileNotFoundError as exc:  # removed between `which` and the run
        raise GraphvizMissing() from exc
    except subprocess.TimeoutExpired as exc:
        raise DrawingFailed(f"Graphviz took longer than {DOT_TIMEOUT_SECONDS} s.") from exc
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()
        reason = message[-1] if message else f"dot exited with status {done.returncode}"
        if cwd is not None:
            reason = reason.replace(str(cwd), "…")  # the temporary folder means nothing to a user
        raise GraphvizCrashed(reason)
    return done.stdout


def render_dot(dot_source: str, fmt: str) -> bytes:
    """One format of a DOT source as `dot -T<fmt>` gives it, piped, without post-processing:
    the baseline that the benchmark compares `draw` with."""
    return run_dot([f"-T{fmt}"], stdin=dot_source.encode())


def render_files(
    dot_source: str, folder: Path, stem: str, formats: Sequence[str]
) -> dict[str, bytes]:
    """Every format from one `dot` run: one layout, then one writer per `-T`."""
    source = folder / f"{stem}.gv"
    source.write_text(dot_source, encoding="utf-8")
    args: list[str] = []
    for f in formats:
        args += [f"-T{f}", "-o", str(folder / f"{stem}.{f}")]
    run_dot([*args, str(source)], cwd=folder)
    return {f: (folder / f"{stem}.{f}").read_bytes() for f in formats}


@functools.lru_cache(maxsize=512)
def icon_uri(path: str) -> bytes | None:
    """A `data:` URI of one of the library's icons, encoded once per process; None for any
    other file (the plan never names one: an SVG must not become a way to read files)."""
    file = Path(path).resolve()
    if not file.is_relative_to(ICON_ROOT) or file.suffix != ".png" or not file.is_file():
        return None
    return b"data:image/png;base64," + base64.b64encode(file.read_bytes())


def standalone_svg(svg: bytes) -> bytes:
    """The SVG with its icons inlined and Graphviz's comments (its version, the title) gone.

    Graphviz writes an `<image>` with the icon's absolute path for each node: a browser shows
    nothing and the server's paths leak. Each icon goes once into `<defs>` as a `data:` URI
    and the nodes `<use>` it: the demo's scale stage shows 15 icons on 28 nodes, and one URI
    per node would double the file.
    """
    defs: dict[bytes, bytes] = {}  # the <image> attributes of an icon -> its id

    def reuse(match: re.Match[bytes]) -> bytes:
        attrs: dict[bytes, bytes] = dict(_ATTRIBUTE.findall(match.group(1)))
        href = attrs.pop(b"xlink:href", None) or attrs.pop(b"href", b"")
        uri = icon_uri(html.unescape(href.decode(errors="replace")))
        if uri is None:
            return b""
        x, y = attrs.pop(b"x", b"0"), attrs.pop(b"y", b"0")
        rest = b"".join(b" " + k + b'="' + v + b'"' for k, v in attrs.items())
        icon = defs.setdefault(b'xlink:href="' + uri + b'"' + rest, b"icon-%d" % (len(defs) + 1))
        return b'<use xlink:href="#' + icon + b'" x="' + x + b'" y="' + y + b'"/>'

    body = _IMAGE.sub(reuse, _COMMENT.sub(b"", svg))
    if not defs:
        return body
    opening = _SVG_OPEN.search(body)
    if opening is None:
        raise DrawingFailed("Graphviz wrote an SVG without an <svg> element.")
    images = b"".join(b'<image id="' + i + b'" ' + image + b"/>\n" for image, i in defs.items())
    at = opening.end()
    return body[:at] + b"\n<defs>\n" + images + b"</defs>" + body[at:]
