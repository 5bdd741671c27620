"""The price-key set: every price key the engine can need in a set of regions, which is what
the shipped snapshot holds.

Built from the engine's own tables (every instance type, database class, cache node, engine and
deployment), through the same `keys.charges` that prices an estimate, for each home region and
each DR region among them, plus the keys the suggestions price. The snapshot builder and the
`refresh_price_snapshot` command both fetch exactly this set.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from journeys.engine.state import Component
from journeys.engine.stores import INFLUX_CLASSES, SEARCH_NODE_TYPES
from journeys.engine.tables import (
    AURORA_INSTANCE_CLASSES,
    CACHE_NODE_TYPES,
    DB_INSTANCE_CLASSES,
    GLOBAL,
    INSTANCE_TYPES,
    SERVERLESS_DB_ENGINES,
)
from journeys.pricing.keys import (
    COGNITO_PLANS,
    DATABASE_ENGINES,
    EDGE_MIX_NAMES,
    Charge,
    PriceKey,
    Protected,
    charges,
    distinct_keys,
)
from journeys.pricing.suggestions import alternative_keys


def _component(cid: str, kind: str, region: str, **params: Any) -> Component:
    return Component(id=cid, kind=kind, label=cid, params=params, region=region, azs=1)


def _database(region: str, engine: str, instance_class: str, multi_az: bool) -> Component:
    return _component(
        "primary-db",
        "relational_db",
        region,
        engine=engine,
        instance_class=instance_class,
        multi_az=multi_az,
    )


def _variants(region: str) -> Iterator[Component]:
    """One component per distinct priced configuration of every kind, in `region`."""
    for instance_type in INSTANCE_TYPES:
        yield _component("web-asg", "compute", region, instance_type=instance_type)
    for kind in (
        "container_service",
        "function",
        "load_balancer",
        "nosql_db",
        "object_storage",
        "queue",
        "topic",
        "event_bus",
        "nat_gateway",
        "cicd",
        "monitoring",
        "backup",
    ):
        yield _component(kind, kind, region)
    yield _component("waf", "waf", region)
    for api_type in ("rest", "http"):
        yield _component("api-gateway", "api_gateway", region, api_type=api_type)
    for engine in ("postgresql", "mysql"):
        for cls in DB_INSTANCE_CLASSES:
            for multi_az in (False, True):
                yield _database(region, engine, cls, multi_az)
    for engine in SERVERLESS_DB_ENGINES:
        for cls in AURORA_INSTANCE_CLASSES:
            yield _database(region, engine, cls, multi_az=True)
        yield _component("primary-db", "serverless_db", region, engine=engine)
    for node in CACHE_NODE_TYPES:
        yield _component("app-cache", "cache", region, node_type=node)
    for plan in COGNITO_PLANS:
        yield _component("identity", "identity", region, plan=plan)
    for node_type in SEARCH_NODE_TYPES:
        yield _component("search", "search", region, instance_type=node_type)
    for engine in ("athena", "redshift_serverless"):
        yield _component("analytics", "analytics", region, engine=engine)
    for cls in INFLUX_CLASSES:
        yield _component("time-series", "time_series", region, instance_class=cls)


def _global_variants() -> Iterator[Component]:
    for routing in ("simple", "failover", "latency"):
        yield _component("dns", "dns", GLOBAL, routing=routing)
    yield _component("cdn", "cdn", GLOBAL)
    # A worldwide audience: every edge geography the engine may name in its mix.
    mix = dict.fromkeys(EDGE_MIX_NAMES, 1 / len(EDGE_MIX_NAMES))
    yield _component("cdn", "cdn", GLOBAL, edge_mix=mix)
    yield _component("waf", "waf", GLOBAL)


def _as_dr(c: Component, region: str) -> Component:
    return Component(
        id="dr-" + c.id, kind=c.kind, label=c.label, params=c.params, region=region, azs=c.azs
    )


# Every store a backup plan may protect: its storage is billed by the store.
_PROTECTED = [Protected("dynamodb")] + [
    Protected("aurora" if e.startswith("aurora") else "rds", e, 0.0) for e in DATABASE_ENGINES
]


def snapshot_keys(regions: Iterable[str]) -> list[PriceKey]:
    """Every distinct key for journeys whose region and DR region are among `regions`."""
    regions = list(dict.fromkeys(regions))
    found: list[PriceKey] = []

    def add(component: Component, home: str) -> None:
        mapped: list[Charge] = list(charges(component, home_region=home).values())
        if component.kind == "backup":
            for what in _PROTECTED:
                mapped += charges(component, home_region=home, backs_up=what).values()
        found.extend(distinct_keys(mapped))
        found.extend(alternative_keys(component, home))

    for home in regions:
        for c in [*_variants(home), *_global_variants()]:
            add(c, home)
        for dr in regions:
            if dr != home:
                for c in _variants(dr):
                    add(_as_dr(c, dr), home)
    return distinct_keys(found)
