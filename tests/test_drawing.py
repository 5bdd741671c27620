"""The diagram: state -> standalone SVG, PNG and a diagram-as-code script. No database."""

from __future__ import annotations

import ast
import html
import re
import runpy
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import diagrams
import pytest

from journeys import drawing
from journeys.demo import DEMO_ANSWERS
from journeys.drawing import (
    MAX_COMPONENTS,
    Drawing,
    DrawingError,
    DrawingFailed,
    GraphvizMissing,
    TooManyNodes,
    draw,
    render,
    render_dot,
)
from journeys.drawing.errors import GraphvizCrashed
from journeys.drawing.layout import FALLBACK_ICON, HIGHLIGHT, ICONS, ROUTERS
from journeys.engine import KINDS, ArchitectureState, recommend
from journeys.vocabulary import STAGES

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

# --- helpers -------------------------------------------------------------------------------


def demo(stage: str) -> ArchitectureState:
    return recommend(stage, DEMO_ANSWERS[stage], region="eu-west-1", dr_region="eu-central-1")


def comp(cid: str, kind: str, label: str = "", **fields: Any) -> dict[str, Any]:
    return {
        "id": cid,
        "kind": kind,
        "label": label or cid,
        "params": fields.pop("params", {}),
        "region": fields.pop("region", "eu-west-1"),
        "azs": fields.pop("azs", 1),
        "links": fields.pop("links", []),
        "usage": {},
        "door": "two_way",
        "reasons": [],
        "overridden": [],
    }


def state_of(components: list[dict[str, Any]], strategy: str = "backup_restore") -> Any:
    return ArchitectureState.from_dict(
        {
            "stage": "growth",
            "region": "eu-west-1",
            "dr_region": "eu-central-1",
            "components": components,
            "findings": [],
            "dr": {
                "strategy": strategy,
                "rpo_minutes": 60,
                "rto_minutes": 240,
                "region": "eu-central-1",
                "runs_there": [],
                "why": "",
                "rejected": [],
            },
            "assumptions": [],
            "risk_counts": {},
        }
    )


def node_attrs(dot: str, nodeid: str) -> str:
    """The attribute list of one node statement of a DOT source."""
    # A multi-line label spans lines of the DOT: up to the first "]" that ends a line.
    match = re.search(rf'^\t+"?{re.escape(nodeid)}"? \[(.*?)\]$', dot, re.MULTILINE | re.DOTALL)
    assert match, f"no node {nodeid} in the DOT"
    return match.group(1)


def cluster_names(dot: str) -> list[str]:
    """Cluster names, a wrapped label's lines joined by spaces."""
    names = re.findall(r'^\s*subgraph "?(cluster_[^"]*?)"? \{$', dot, re.MULTILINE)
    return [name.replace("\n", " ") for name in names]


def svg_texts(svg: bytes) -> list[str]:
    """The text elements of an SVG as a viewer shows them (entities decoded)."""
    return [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg.decode())]


HOSTILE = {
    "html": "<b>x</b>",
    "quotes": "say \"hi\" 'there'",
    "backslash": "back\\slash\\",
    "escapes": "\\N \\G \\l",
    "newline": "one\ntwo\r\nthree",
    "huge": "A" * 10_000,
}


def hostile_state() -> Any:
    components = [comp(f"hostile-{name}", "queue", label) for name, label in HOSTILE.items()]
    # User text reaches cluster labels too: an overridden instance type names the group.
    components.append(
        comp(
            "web-asg",
            "compute",
            "web",
            azs=2,
            params={"instance_type": "<i>m6g</i>\\G", "count": 2, "min": 2, "max": 4},
        )
    )
    # Ids are not shown, but they name nodes and script variables: "a:b" is a port in DOT.
    components.append(comp('evil" id:port\\; import os', "queue", "evil id"))
    components[0]["links"] = ["hostile-quotes", "web-asg", 'evil" id:port\\; import os']
    return state_of(components)


@pytest.fixture(scope="module")
def stages() -> dict[str, ArchitectureState]:
    return {stage: demo(stage) for stage in STAGES}


@pytest.fixture(scope="module")
def scale_drawing(stages: dict[str, ArchitectureState]) -> Drawing:
    return draw(stages["scale"], previous=stages["growth"], title="Snapshot — scale")


@pytest.fixture(scope="module")
def hostile_drawing() -> Drawing:
    return draw(hostile_state(), title='<b>title</b> \\G "q"')


# --- every kind, the fallback ---------------------------------------------------------------


def test_every_engine_kind_has_its_own_icon() -> None:
    assert set(KINDS) <= set(ICONS)
    assert all(icon is not FALLBACK_ICON for icon in ICONS.values())


def test_every_component_kind_becomes_a_node_and_an_unknown_kind_gets_the_fallback_icon() -> None:
    components = [comp(f"c-{kind}", kind) for kind in KINDS]
    components.append(comp("c-quantum", "quantum_annealer", "Braket device"))
    d = draw(state_of(components), formats=("svg",))

    for kind in KINDS:
        icon = ICONS[kind]._icon
        assert f"/{icon}" in node_attrs(d.dot_source, f"c-{kind}"), kind
    assert f"/{FALLBACK_ICON._icon}" in node_attrs(d.dot_source, "c-quantum")
    assert "Braket device" in svg_texts(d.svg)
    assert d.node_count == len(KINDS) + 1
    assert d.svg.count(b'class="node"') == d.node_count


# --- hostile labels -------------------------------------------------------------------------


def test_html_in_a_label_stays_text(hostile_drawing: Drawing) -> None:
    svg = hostile_drawing.svg.decode()
    assert "&lt;b&gt;x&lt;/b&gt;" in svg
    assert "&lt;b&gt;title&lt;/b&gt;" in svg
    assert "&lt;i&gt;m6g&lt;/i&gt;" in svg  # in the Auto Scaling group's cluster label
    assert "<b>" not in svg and "<i>" not in svg


def test_graphviz_escapes_in_a_label_print_as_typed(hostile_drawing: Drawing) -> None:
    texts = svg_texts(hostile_drawing.svg)
    assert "\\N \\G \\l" in texts  # not the node name, the graph name, a line break
    assert "back\\slash\\" in texts
    assert "web: 2 × <i>m6g</i>\\G (min 2, max 4)" in texts  # a cluster label
    assert '<b>title</b> \\G "q"' in texts


def test_quotes_and_newlines_in_a_label_are_literal(hostile_drawing: Drawing) -> None:
    texts = svg_texts(hostile_drawing.svg)
    assert HOSTILE["quotes"] in texts
    assert "one two three" in texts


def test_a_10000_character_label_is_shortened_and_its_tooltip_capped(
    hostile_drawing: Drawing,
) -> None:
    texts = svg_texts(hostile_drawing.svg)
    long_lines = [t for t in texts if t.startswith("AAAA")]
    assert "".join(long_lines) == "A" * 39 + "…"
    assert 'xlink:title="' + "A" * 299 + '…"' in hostile_drawing.svg.decode()
    assert "A" * 300 not in hostile_drawing.dot_source
    assert len(hostile_drawing.svg) < 200_000


def test_hostile_labels_keep_the_dot_and_the_script_valid(hostile_drawing: Drawing) -> None:
    ast.parse(hostile_drawing.python_source)
    render_dot(hostile_drawing.dot_source, "svg")  # raises DrawingFailed on a syntax error


# --- standalone SVG -------------------------------------------------------------------------


@pytest.mark.parametrize("stage", STAGES)
def test_the_svg_names_no_file_path(stage: str, stages: dict[str, ArchitectureState]) -> None:
    previous = stages[STAGES[STAGES.index(stage) - 1]] if stage != STAGES[0] else None
    svg = draw(stages[stage], previous=previous, formats=("svg",)).svg.decode()
    for leak in ("/work", "site-packages", "/tmp", tempfile.gettempdir(), "resources/", "file:"):
        assert leak not in svg, leak
    assert "<!--" not in svg
    assert 'xlink:href="data:image/png;base64,' in svg
    hrefs = re.findall(r'xlink:href="([^"]*)"', svg)
    assert all(h.startswith(("data:image/png;base64,", "#icon-")) for h in hrefs)


def test_each_icon_is_inlined_once_and_reused(scale_drawing: Drawing) -> None:
    defs, body = scale_drawing.svg.decode().split("</defs>", 1)
    assert "<image " not in body
    assert body.count("<use ") == scale_drawing.node_count - 2  # the legend keys have no icon
    assert defs.count("<image ") < body.count("<use ")


# --- determinism, the script ----------------------------------------------------------------


def test_an_equal_state_gives_identical_bytes(stages: dict[str, ArchitectureState]) -> None:
    state = stages["scale"]
    copy = ArchitectureState.from_dict(state.to_dict())
    first = draw(state, previous=stages["growth"], title="Scale")
    second = draw(copy, previous=stages["growth"], title="Scale")
    assert first.svg == second.svg
    assert first.png == second.png and first.png.startswith(PNG_MAGIC)
    assert first.dot_source == second.dot_source
    assert first.python_source == second.python_source


def test_the_generated_script_runs_and_writes_a_png(scale_drawing: Drawing, tmp_path: Path) -> None:
    script = tmp_path / f"{scale_drawing.name}.py"
    script.write_text(scale_drawing.python_source, encoding="utf-8")
    (tmp_path / "cwd").mkdir()
    subprocess.run(
        [sys.executable, str(script), str(tmp_path / "out")],
        cwd=tmp_path / "cwd",
        check=True,
        capture_output=True,
        timeout=60,
    )
    png = tmp_path / "out" / "snapshot-scale.png"
    assert png.read_bytes().startswith(PNG_MAGIC)
    assert list((tmp_path / "out").iterdir()) == [png]
    assert list((tmp_path / "cwd").iterdir()) == []


def test_the_generated_script_imports_nothing_but_diagrams(hostile_drawing: Drawing) -> None:
    tree = ast.parse(hostile_drawing.python_source)
    modules = {
        (node.module or "").split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
    } | {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    # graphviz (python-graphviz) is a dependency of diagrams.
    assert modules == {"sys", "pathlib", "diagrams", "graphviz"}


@pytest.mark.parametrize("which", ["scale", "hostile"])
def test_the_generated_script_draws_the_same_graph(
    which: str,
    scale_drawing: Drawing,
    hostile_drawing: Drawing,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    d = scale_drawing if which == "scale" else hostile_drawing
    script = tmp_path / "script.py"
    script.write_text(d.python_source, encoding="utf-8")
    sources: list[str] = []

    def capture(self: diagrams.Diagram) -> None:
        sources.append(self.dot.source)
        self.dot.save()  # what render() leaves behind for __exit__ to remove

    monkeypatch.setattr(diagrams.Diagram, "render", capture)
    monkeypatch.setattr(sys, "argv", [str(script), str(tmp_path / "out")])
    runpy.run_path(str(script), run_name="__main__")
    assert sources == [d.dot_source]


# --- errors ---------------------------------------------------------------------------------


def test_graphviz_missing_when_dot_is_not_on_the_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(GraphvizMissing, match="Graphviz is not installed: the `dot` program"):
        draw(demo("launch"))
    with pytest.raises(DrawingError):
        render_dot("digraph { a }", "svg")


def test_more_components_than_the_cap_raise_too_many_nodes() -> None:
    state = state_of([comp(f"q{i}", "queue") for i in range(75)])
    with pytest.raises(TooManyNodes) as caught:
        draw(state)
    assert str(caught.value).startswith(
        "This architecture has 75 components; diagrams are drawn up to 60."
    )
    assert (caught.value.count, caught.value.cap) == (75, MAX_COMPONENTS)
    assert isinstance(caught.value, DrawingError)


def test_a_state_at_the_cap_still_draws() -> None:
    state = state_of([comp(f"q{i}", "queue") for i in range(MAX_COMPONENTS)])
    assert draw(state, formats=("svg",)).node_count == MAX_COMPONENTS


def test_a_dot_syntax_error_raises_drawing_failed() -> None:
    with pytest.raises(DrawingFailed) as caught:
        render_dot("digraph {", "svg")
    assert "syntax error" in caught.value.reason
    assert isinstance(caught.value, DrawingError)


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="formats"):
        draw(demo("launch"), formats=("gif",))


# --- layout ---------------------------------------------------------------------------------


def test_the_regions_are_clusters_and_the_dr_one_is_named_with_its_strategy(
    scale_drawing: Drawing,
) -> None:
    names = cluster_names(scale_drawing.dot_source)
    assert "cluster_eu-west-1 — Europe (Ireland)" in names
    assert "cluster_Disaster recovery — eu-central-1 — Europe (Frankfurt) — warm standby" in names
    assert "cluster_Global / edge" in names
    texts = svg_texts(scale_drawing.svg)
    assert "Disaster recovery — eu-central-1 — Europe" in texts
    assert "(Frankfurt) — warm standby" in texts


def test_an_auto_scaling_group_is_a_cluster_with_its_instance_count_and_zones(
    stages: dict[str, ArchitectureState],
) -> None:
    d = draw(stages["growth"], formats=("svg",))
    names = cluster_names(d.dot_source)
    assert "cluster_Auto Scaling group: 2 × m6g.large (min 2, max 3)" in names
    assert {"cluster_eu-west-1a — instances", "cluster_eu-west-1b — instances"} <= set(names)
    assert {"cluster_eu-west-1a — database", "cluster_eu-west-1b — database"} <= set(names)
    assert "primary" in svg_texts(d.svg)


def test_a_load_balancer_sends_to_every_zone_of_its_group(scale_drawing: Drawing) -> None:
    for zone in ("app-service.az1", "app-service.az2", "app-service.az3"):
        assert f'"load-balancer" -> "{zone}"' in scale_drawing.dot_source


@pytest.mark.parametrize("stage", STAGES)
def test_cluster_labels_are_unique_so_graphviz_merges_none(
    stage: str, stages: dict[str, ArchitectureState]
) -> None:
    d = draw(stages[stage], formats=("svg",))
    names = cluster_names(d.dot_source)
    assert len(names) == len(set(names))
    assert d.svg.count(b'class="cluster"') == len(names)


def test_clashing_cluster_labels_are_numbered() -> None:
    params = {"instance_type": "m6g.large", "count": 2, "min": 2, "max": 4, "auto_scaling": True}
    state = state_of(
        [comp("web", "compute", azs=2, params=params), comp("api", "compute", azs=2, params=params)]
    )
    names = cluster_names(draw(state, formats=("svg",)).dot_source)
    assert len(names) == len(set(names))
    assert "cluster_Auto Scaling group: 2 × m6g.large (min 2, max 4) (2)" in names


def test_components_new_since_the_previous_stage_are_highlighted(
    scale_drawing: Drawing,
) -> None:
    dot = scale_drawing.dot_source
    assert f'color="{HIGHLIGHT}"' in node_attrs(dot, "nosql-db")  # new in scale
    assert f'color="{HIGHLIGHT}"' in node_attrs(dot, "dr-primary-db")
    assert "color=" not in node_attrs(dot, "object-storage")  # there since growth
    assert "cluster_Legend" in cluster_names(dot)
    assert "New in this stage" in svg_texts(scale_drawing.svg)


def test_without_a_previous_stage_nothing_is_highlighted(
    stages: dict[str, ArchitectureState],
) -> None:
    d = draw(stages["launch"], formats=("svg",))
    assert HIGHLIGHT not in d.dot_source
    assert "New in this stage" not in d.dot_source


# --- the render itself ----------------------------------------------------------------------


def test_drawing_uses_its_own_temporary_folder_and_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work, cwd = tmp_path / "work", tmp_path / "cwd"
    work.mkdir()
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    d = draw(demo("launch"), workdir=work)
    assert d.svg and d.png.startswith(PNG_MAGIC)
    assert list(work.iterdir()) == [] and list(cwd.iterdir()) == []


def test_asking_for_svg_only_gives_no_png(stages: dict[str, ArchitectureState]) -> None:
    d = draw(stages["launch"], formats=("svg",))
    assert d.svg.startswith(b"<?xml") and d.png == b""


def test_four_threads_drawing_at_once_each_get_their_own_diagram(
    stages: dict[str, ArchitectureState],
) -> None:
    alone = {s: draw(stages[s], formats=("svg",)).dot_source for s in STAGES}
    barrier = threading.Barrier(len(STAGES))

    def render(stage: str) -> str:
        barrier.wait()
        return draw(stages[stage], formats=("svg",)).dot_source

    with ThreadPoolExecutor(max_workers=len(STAGES)) as pool:
        together = dict(zip(STAGES, pool.map(render, STAGES), strict=True))
    assert together == alone


def test_drawing_inside_a_diagram_context_leaves_it_untouched(tmp_path: Path) -> None:
    with diagrams.Diagram("outer", filename=str(tmp_path / "outer"), show=False) as d:
        draw(demo("launch"), formats=("svg",))
        assert diagrams.getdiagram() is d
        assert "Route 53" not in d.dot.source


def test_the_node_count_is_what_the_svg_shows(scale_drawing: Drawing) -> None:
    assert scale_drawing.svg.count(b'class="node"') == scale_drawing.node_count == 30
    assert scale_drawing.render_seconds > 0


def test_render_dot_gives_the_raw_format(scale_drawing: Drawing) -> None:
    assert render_dot(scale_drawing.dot_source, "png").startswith(PNG_MAGIC)
    raw_svg = render_dot(scale_drawing.dot_source, "svg")
    assert b"site-packages" in raw_svg  # the baseline is untouched: draw() is what inlines
    assert drawing.FORMATS == ("svg", "png")


# --- edge routers: the fallback -------------------------------------------------------------

MAZE_ABORT = "dot: maze.c:311: chkSgraph: Assertion `np->cells[0]' failed."


def crash_with(routers: set[str], monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """`dot` aborts, as it does in its orthogonal router's maze, for the given routers; the
    routers it was run with are returned in order."""
    tried: list[str] = []
    real = render.run_dot

    def run_dot(args: list[str], **kwargs: Any) -> bytes:
        router = re.search(r"splines=(\w+)", Path(args[-1]).read_text())
        assert router
        tried.append(router.group(1))
        if router.group(1) in routers:
            raise GraphvizCrashed(MAZE_ABORT)
        return real(args, **kwargs)

    monkeypatch.setattr(render, "run_dot", run_dot)
    return tried


def test_when_the_orthogonal_router_crashes_the_diagram_is_drawn_with_polylines(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tried = crash_with({"ortho"}, monkeypatch)
    d = draw(demo("growth"))
    assert tried == ["ortho", "polyline"]
    assert d.router == "polyline"
    assert "splines=polyline" in d.dot_source
    assert d.svg.rstrip().endswith(b"</svg>") and d.png.startswith(PNG_MAGIC)
    # The script draws what the page shows, with the router that worked.
    assert "'splines': 'polyline'" in d.python_source


def test_when_polylines_crash_too_the_diagram_is_drawn_with_splines(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tried = crash_with({"ortho", "polyline"}, monkeypatch)
    assert draw(demo("growth"), formats=("svg",)).router == "spline"
    assert tried == list(ROUTERS)


def test_when_every_router_crashes_the_reason_names_each(monkeypatch: pytest.MonkeyPatch) -> None:
    crash_with(set(ROUTERS), monkeypatch)
    with pytest.raises(DrawingFailed) as caught:
        draw(demo("growth"), formats=("svg",))
    message = str(caught.value)
    assert message.startswith("The diagram could not be drawn: Graphviz failed with every edge")
    assert all(f"{router}: {MAZE_ABORT}" in message for router in ROUTERS)


def test_a_diagram_drawn_first_time_keeps_the_orthogonal_router(scale_drawing: Drawing) -> None:
    assert scale_drawing.router == "ortho"
    assert "splines=ortho" in scale_drawing.dot_source


# --- readable large diagrams ----------------------------------------------------------------


def svg_pixels(svg: bytes) -> tuple[int, int]:
    match = re.search(rb'<svg width="(\d+)pt" height="(\d+)pt"', svg)
    assert match
    return int(match.group(1)) * 4 // 3, int(match.group(2)) * 4 // 3


@pytest.mark.parametrize(
    ("stage", "before"),
    # Left to right, as the library draws, these were 2806 × 3872 and 3528 × 3049 px.
    [("scale", (2806, 3872)), ("beyond", (3528, 3049))],
)
def test_scale_and_beyond_diagrams_are_a_third_smaller_than_left_to_right(
    stage: str, before: tuple[int, int], stages: dict[str, ArchitectureState]
) -> None:
    previous = stages[STAGES[STAGES.index(stage) - 1]]
    width, height = svg_pixels(draw(stages[stage], previous=previous, formats=("svg",)).svg)
    assert width * height < before[0] * before[1] * 0.66, (width, height)
    assert max(width, height) < 3100, (width, height)


def test_the_dr_region_is_its_own_cluster_set_apart_by_colour_and_border(
    stages: dict[str, ArchitectureState],
) -> None:
    d = draw(stages["scale"], formats=("svg",))
    dr = re.search(
        r'subgraph "cluster_Disaster recovery[^{]*\{\n\t*graph \[([^\]]*)\]', d.dot_source
    )
    assert dr, "no DR cluster"
    assert 'bgcolor="#FDF3DC"' in dr.group(1) and 'style="rounded,dashed"' in dr.group(1)
    texts = " ".join(svg_texts(d.svg))
    assert "Disaster recovery — eu-central-1 — Europe" in texts
    assert "warm standby" in texts


def test_a_long_cluster_label_wraps_instead_of_being_cut(
    stages: dict[str, ArchitectureState],
) -> None:
    d = draw(stages["beyond"], previous=stages["scale"], formats=("svg",))
    texts = svg_texts(d.svg)
    assert not any(t.endswith("…") for t in texts), [t for t in texts if t.endswith("…")]
    # The DR fleet's label ran past 64 characters and lost its maximum.
    dr_fleet = next(
        i for i, t in enumerate(texts) if t.startswith("ECS service on Fargate (smaller")
    )
    assert "max" in texts[dr_fleet] + texts[dr_fleet + 1]
    assert (texts[dr_fleet] + " " + texts[dr_fleet + 1]).endswith(")")


def test_every_node_carries_its_full_label_as_a_tooltip() -> None:
    name = "Payments ledger worker for the European subsidiaries"  # 52 characters
    d = draw(state_of([comp("ledger", "queue", name)]), formats=("svg",))
    assert name not in " ".join(svg_texts(d.svg))  # the label is cut at 40
    assert f'xlink:title="{name}"' in d.svg.decode()


def test_a_zone_node_tooltip_names_its_component_and_zone(
    stages: dict[str, ArchitectureState],
) -> None:
    svg = html.unescape(draw(stages["scale"], formats=("svg",)).svg.decode())
    assert re.search(r'xlink:title="ECS service on Fargate — eu-west-1a — 2 tasks', svg)
