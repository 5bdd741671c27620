"""A state -> the plan of its diagram: clusters, nodes and edges, every label already escaped.

The renderer builds `diagrams` objects from the plan and the script generator prints the same
plan as Python, so the downloadable script draws exactly the picture the page shows.

Where things go: dns, cdn and waf (and anything without a region) in "Global / edge"; identity,
CI/CD and monitoring of the primary region in "Shared services" beside it, so that the region
shows the request path; everything else in its region's cluster, the DR region named with its
strategy. An Auto Scaling group (or ECS service) and a database spread over Availability Zones
become a cluster holding one cluster per zone.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import SupportsInt

from diagrams import Node
from diagrams.aws.analytics import AmazonOpensearchService, Athena, Redshift
from diagrams.aws.compute import EC2, Fargate, Lambda
from diagrams.aws.database import RDS, Aurora, Dynamodb, ElastiCache, Timestream
from diagrams.aws.devtools import Codepipeline
from diagrams.aws.general import General
from diagrams.aws.integration import SNS, SQS, Eventbridge
from diagrams.aws.management import Cloudwatch
from diagrams.aws.network import ALB, APIGateway, CloudFront, NATGateway, Route53
from diagrams.aws.security import WAF, Cognito
from diagrams.aws.storage import S3, Backup
from graphviz import nohtml

from journeys import engine
from journeys.drawing.labels import lines, literal_label, tooltip, wrapped
from journeys.engine import ArchitectureState, Component
from journeys.engine.fmt import plural
from journeys.regions import REGIONS

ICONS: dict[str, type[Node]] = {
    "dns": Route53,
    "cdn": CloudFront,
    "object_storage": S3,
    "waf": WAF,
    "load_balancer": ALB,
    "compute": EC2,
    "container_service": Fargate,
    "function": Lambda,
    "api_gateway": APIGateway,
    "relational_db": RDS,
    "serverless_db": Aurora,
    "nosql_db": Dynamodb,
    "cache": ElastiCache,
    "queue": SQS,
    "topic": SNS,
    "event_bus": Eventbridge,
    "identity": Cognito,
    "nat_gateway": NATGateway,
    "cicd": Codepipeline,
    "monitoring": Cloudwatch,
    "backup": Backup,
    "search": AmazonOpensearchService,
    "analytics": Redshift,
    "time_series": Timestream,
}
# Icons that depend on a component's engine rather than its kind alone.
ENGINE_ICONS: dict[tuple[str, str], type[Node]] = {
    ("analytics", "athena"): Athena,
    ("relational_db", "aurora-postgresql"): Aurora,
    ("relational_db", "aurora-mysql"): Aurora,
}
FALLBACK_ICON: type[Node] = General  # a kind the engine gains later is still drawn

EDGE_KINDS = frozenset({"dns", "cdn", "waf"})
SHARED_KINDS = frozenset({"identity", "cicd", "monitoring"})
SPREAD_KINDS = frozenset({"compute", "container_service", "relational_db", "serverless_db"})
MAX_AZS = 6  # the most any AWS region has: a bigger number in a stored state is clamped

HIGHLIGHT = "#E8590C"
# A box around icon and label; `imagepos` keeps the icon at its top (Graphviz >= 2.40).
NEW_NODE = {
    "shape": "box",
    "style": "rounded,bold",
    "color": HIGHLIGHT,
    "penwidth": "2.5",
    "imagepos": "tc",
    "fontcolor": HIGHLIGHT,
}
NEW_EDGE = {"color": HIGHLIGHT, "penwidth": "2"}
# A copy to another region does not decide where its target sits: without `constraint` the
# DR region was pushed below the whole primary region, one rank per replication arrow.
CROSS_REGION_EDGE = {"style": "dashed", "constraint": "false"}
# Top to bottom with tighter spacing than the library's (left to right, 0.6 / 0.75 in): the
# zones of a fleet sit side by side and the DR region beside the primary, where left to right
# stacked them into a ~2800 × 3900 px column at the scale stage.
GRAPH_ATTR = {
    "pad": "0.4",
    "labelloc": "t",
    "fontsize": "20",
    "rankdir": "TB",
    "nodesep": "0.3",
    "ranksep": "0.5",
}
# Graphviz's edge routers, tried in this order: "ortho" aborts on some graphs (`maze.c:311:
# chkSgraph: Assertion 'np->cells[0]' failed` at the scale stage of a serverless DynamoDB
# journey); "polyline" and "spline" do not use its maze.
ROUTERS = ("ortho", "polyline", "spline")


def graph_attr(router: str) -> dict[str, str]:
    return {**GRAPH_ATTR, "splines": router}


# The DR region is told apart by its colour and a dashed border, not only by its label.
DR_CLUSTER = {
    "style": "rounded,dashed",
    "bgcolor": "#FDF3DC",
    "pencolor": "#6B5B2E",
    "penwidth": "2",
}
# Wider and smaller than the library's 1.4 in at 13 pt, so that a line of labels.WRAP fits.
NODE_ATTR = {"width": "1.6", "fontsize": "12"}
# Names the generated script defines itself: no node variable may shadow one.
SCRIPT_NAMES = frozenset({"sys", "output", "filename", "outformat", "nohtml"})


@dataclass
class PlanNode:
    var: str  # its variable in the generated script
    nodeid: str
    icon: type[Node]
    label: str
    new: bool = False
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def attrs(self) -> dict[str, str]:
        return {**(NEW_NODE if self.new else {}), **self.extra}


@dataclass
class PlanCluster:
    label: str
    attrs: dict[str, str] = field(default_factory=dict)
    items: list[PlanNode | PlanCluster] = field(default_factory=list)


@dataclass
class PlanEdge:
    src: str  # variables
    dst: str
    cross_region: bool = False
    new: bool = False

    @property
    def attrs(self) -> dict[str, str]:
        return {
            **(CROSS_REGION_EDGE if self.cross_region else {}),
            **(NEW_EDGE if self.new else {}),
        }


@dataclass
class Plan:
    title: str
    name: str  # the file stem of downloads
    state_hash: str
    items: list[PlanNode | PlanCluster]
    edges: list[PlanEdge]

    def walk(self) -> Iterator[PlanNode | PlanCluster]:
        """Every node and cluster, depth first in drawing order."""
        stack: list[PlanNode | PlanCluster] = list(reversed(self.items))
        while stack:
            item = stack.pop()
            yield item
            if isinstance(item, PlanCluster):
                stack.extend(reversed(item.items))

    def nodes(self) -> list[PlanNode]:
        return [item for item in self.walk() if isinstance(item, PlanNode)]

    def clusters(self) -> list[PlanCluster]:
        return [item for item in self.walk() if isinstance(item, PlanCluster)]


def plan(
    state: ArchitectureState, previous: ArchitectureState | None, title: str, name: str
) -> Plan:
    return Layout(state, previous).plan(title, name)


def region_label(region: str) -> str:
    name = REGIONS.get(region)
    return f"{region} — {name}" if name else region


def availability_zones(region: str, count: int) -> list[str]:
    return [f"{region}{letter}" for letter in "abcdef"[: max(1, min(count, MAX_AZS))]]


def as_int(value: object, default: int = 0) -> int:
    if not isinstance(value, str | SupportsInt):
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def split(total: int, parts: int) -> list[int]:
    """`total` spread over `parts` as evenly as possible, the first parts taking the rest."""
    base, rest = divmod(total, parts)
    return [base + (1 if i < rest else 0) for i in range(parts)]


def detail(c: Component) -> str:
    """The second part of a node label: the size that matters for the kind."""
    p = c.params
    if c.kind == "compute":
        return f"{p.get('count', 1)} × {p.get('instance_type', '')}"
    if c.kind == "container_service":
        tasks = plural(as_int(p.get("tasks")), "task")
        return f"{tasks} · {p.get('vcpu', '')} vCPU / {p.get('memory_gb', '')} GB"
    if c.kind == "relational_db":
        return str(p.get("instance_class", ""))
    if c.kind == "serverless_db":
        return f"{p.get('min_acu', '')}–{p.get('max_acu', '')} ACU"
    if c.kind == "cache":
        return f"{p.get('nodes', '')} × {p.get('node_type', '')}"
    if c.kind == "search":
        return f"{p.get('nodes', '')} × {p.get('instance_type', '')}"
    if c.kind == "analytics" and "base_rpu" in p:
        return f"{p['base_rpu']} RPU base"
    if c.kind == "time_series":
        return str(p.get("instance_class", ""))
    if c.kind == "nat_gateway" and as_int(p.get("count"), 1) != 1:
        return plural(as_int(p.get("count")), "gateway")
    if c.kind == "function" and "memory_mb" in p:
        return f"{p['memory_mb']} MB"
    return ""


def fleet_zones(c: Component, zones: int) -> tuple[str, str, list[str]]:
    """An Auto Scaling group's (or ECS service's) cluster label, zone role and per-zone text."""
    p = c.params
    bounds = f"(min {p.get('min', '?')}, max {p.get('max', '?')})"
    if c.kind == "compute":
        total = as_int(p.get("count"), 1)
        size = str(p.get("instance_type", ""))
        head = f"{total} × {size} {bounds}"
        head = f"Auto Scaling group: {head}" if p.get("auto_scaling") else f"{c.label}: {head}"
        return head, "instances", [f"{n} × {size}" if n else "" for n in split(total, zones)]
    total = as_int(p.get("tasks"), 1)
    size = f"{p.get('vcpu', '')} vCPU / {p.get('memory_gb', '')} GB"
    texts = [f"{plural(n, 'task')} · {size}" if n else "" for n in split(total, zones)]
    return f"{c.label}: {plural(total, 'task')} {bounds}", "tasks", texts


def database_zones(c: Component, zones: int) -> tuple[str, str, list[str]]:
    """A database's cluster label, zone role and per-zone text: the primary in the first zone,
    the standby in the second, read replicas spread from the zone after."""
    p = c.params
    roles: list[list[str]] = [[] for _ in range(zones)]
    roles[0].append("primary")
    multi_az = bool(p.get("multi_az")) and zones > 1
    if multi_az:
        roles[1].append("standby")
    start = 2 if multi_az and zones > 2 else 1
    for i in range(min(as_int(p.get("read_replicas")), 15)):  # RDS allows 15 replicas
        roles[(start + i) % zones].append("read replica")
    texts = [
        ", ".join(f"{r.count(x)} × {x}" if r.count(x) > 1 else x for x in dict.fromkeys(r))
        for r in roles
    ]
    size = detail(c)
    return (f"{c.label}: {size}" if size else c.label), "database", texts


class Layout:
    """Builds the plan of one state. Cluster labels are made unique here: `diagrams` names a
    cluster "cluster_" + label, and Graphviz merges the clusters of one name into one."""

    def __init__(self, state: ArchitectureState, previous: ArchitectureState | None) -> None:
        self.state = state
        self.previous = previous
        # With no previous stage everything would be new: highlighting it all says nothing.
        self.new = set(engine.diff(previous, state).added) if previous else set()
        self.old_links = (
            {(c.id, t) for c in previous.components for t in c.links} if previous else set()
        )
        self.cluster_labels: set[str] = set()
        self.node_ids: set[str] = set()
        self.variables: set[str] = set()
        # component id -> its node variables: one, or one per zone; links start and end at
        # the first (the primary database, the first zone of a fleet)
        self.zones: dict[str, list[str]] = {}

    def plan(self, title: str, name: str) -> Plan:
        state = self.state
        edge = self.cluster("Global / edge")
        regions: dict[str, PlanCluster] = {}
        shared: list[Component] = []
        for c in state.components:
            if c.kind in EDGE_KINDS or c.region in ("", "global"):
                edge.items.append(self.component(c))
            elif c.kind in SHARED_KINDS and c.region == state.region:
                shared.append(c)
            else:
                if c.region not in regions:
                    regions[c.region] = self.region_cluster(c.region)
                regions[c.region].items.append(self.component(c))
        shared_cluster = self.cluster(f"Shared services — {state.region}")
        shared_cluster.items += [self.component(c) for c in shared]
        # The primary region first, then the DR region, then any other in order of appearance.
        order = sorted(regions, key=lambda r: (r != state.region, r != state.dr_region))
        clusters = [edge, *(regions[r] for r in order), shared_cluster]
        edges = self.edges()
        clusters.append(self.legend(edges))
        items: list[PlanNode | PlanCluster] = [c for c in clusters if c.items]
        return Plan(title, name, state.hash, items, edges)

    # -- clusters and nodes

    def cluster(self, label: str, **attrs: str) -> PlanCluster:
        text = wrapped(label)
        unique, n = text, 1
        while unique in self.cluster_labels:
            n += 1
            unique = f"{text} ({n})"
        self.cluster_labels.add(unique)
        return PlanCluster(nohtml(unique), {**attrs, "tooltip": tooltip(label)})

    def region_cluster(self, region: str) -> PlanCluster:
        if region == self.state.dr_region and not self.state.recovers_in_region:
            strategy = engine.DR_LABELS.get(self.state.dr.strategy, self.state.dr.strategy)
            return self.cluster(
                f"Disaster recovery — {region_label(region)} — {strategy}", **DR_CLUSTER
            )
        return self.cluster(region_label(region))

    def node(self, key: str, icon: type[Node], label: str, new: bool) -> PlanNode:
        # Graphviz reads "a:b" in an edge as node a, port b: ids keep a safe alphabet.
        nodeid = re.sub(r"[^A-Za-z0-9_.-]", "_", key) or "node"
        unique, n = nodeid, 1
        while unique in self.node_ids:
            n += 1
            unique = f"{nodeid}-{n}"
        self.node_ids.add(unique)
        var = re.sub(r"\W", "_", unique.lower(), flags=re.ASCII)
        if not var.isidentifier() or keyword.iskeyword(var) or var in SCRIPT_NAMES:
            var = f"n_{var}"
        while var in self.variables:
            var += "_"
        self.variables.add(var)
        return PlanNode(var, unique, icon, label, new)

    def component(self, c: Component) -> PlanNode | PlanCluster:
        icon = ENGINE_ICONS.get(
            (c.kind, str(c.params.get("engine"))), ICONS.get(c.kind, FALLBACK_ICON)
        )
        new = c.id in self.new
        if c.kind in SPREAD_KINDS and self.spreads(c):
            return self.group(c, icon, new)
        node = self.node(c.id, icon, lines(c.label, detail(c)), new)
        node.extra["tooltip"] = tooltip(c.label, detail(c))
        self.zones[c.id] = [node.var]
        return node

    @staticmethod
    def spreads(c: Component) -> bool:
        p = c.params
        if c.kind in ("compute", "container_service"):
            return c.azs > 1 or bool(p.get("auto_scaling"))
        return c.azs > 1 or bool(p.get("multi_az")) or as_int(p.get("read_replicas")) > 0

    def group(self, c: Component, icon: type[Node], new: bool) -> PlanCluster:
        """A cluster for the component, holding one cluster per Availability Zone it uses."""
        zones = availability_zones(c.region, c.azs)
        if c.kind in ("compute", "container_service"):
            head, role, texts = fleet_zones(c, len(zones))
        else:
            head, role, texts = database_zones(c, len(zones))
        group = self.cluster(head, style="rounded,dashed")
        variables: list[str] = []
        for i, (zone, text) in enumerate(zip(zones, texts, strict=True)):
            if not text:
                continue  # nothing runs in that zone at this size
            zone_cluster = self.cluster(f"{zone} — {role}")
            node = self.node(f"{c.id}.az{i + 1}", icon, lines(text), new)
            node.extra["tooltip"] = tooltip(c.label, zone, text)
            zone_cluster.items.append(node)
            group.items.append(zone_cluster)
            variables.append(node.var)
        if not variables:  # a group of zero instances: still one node for its links
            node = self.node(c.id, icon, lines(c.label), new)
            node.extra["tooltip"] = tooltip(c.label)
            group.items.append(node)
            variables.append(node.var)
        self.zones[c.id] = variables
        return group

    # -- edges and legend

    def edges(self) -> list[PlanEdge]:
        components = {c.id: c for c in self.state.components}
        result: list[PlanEdge] = []
        for c in self.state.components:
            for target in dict.fromkeys(c.links):
                if target not in self.zones or c.id not in self.zones:
                    continue  # a link to a component this state does not have
                cross = len({c.region, components[target].region} - {"", "global"}) > 1
                new = self.previous is not None and (c.id, target) not in self.old_links
                # A load balancer sends requests to every zone; anything else talks to the
                # group as a whole, drawn as its first node.
                targets = (
                    self.zones[target] if c.kind == "load_balancer" else self.zones[target][:1]
                )
                result += [PlanEdge(self.zones[c.id][0], dst, cross, new) for dst in targets]
        return result

    def legend(self, edges: list[PlanEdge]) -> PlanCluster:
        """Keys for what this diagram uses: new components, cross-region arrows."""
        legend = self.cluster("Legend")
        size = {"fixedsize": "false", "width": "2.4", "height": "0.5"}
        if self.new:
            key = self.node("legend-new", Node, literal_label("New in this stage"), new=True)
            key.extra = dict(size)
            legend.items.append(key)
        if any(e.cross_region for e in edges):
            text = literal_label("Dashed arrow: cross-region copy")
            key = self.node("legend-cross-region", Node, text, new=False)
            key.extra = {"shape": "plaintext", **size}
            legend.items.append(key)
        return legend
