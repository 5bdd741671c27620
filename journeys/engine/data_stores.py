"""The data stores: the relational database (RDS, Aurora, Aurora Serverless v2), DynamoDB and
the cache, each sized from the reads and writes that reach it. The other purpose-built stores
(search, analytics, time series) are in `stores`."""

from __future__ import annotations

from typing import Any

from journeys.engine.findings import format_value
from journeys.engine.fmt import ceil_half, ceil_int, fmt, plural
from journeys.engine.plan import Draft, Plan
from journeys.engine.tables import (
    AURORA_INSTANCE_CLASSES,
    AURORA_MAX_STORAGE_GB,
    CACHE_NODE_MEMORY,
    CACHE_NODE_TYPES,
    DB_CLASS_SPECS,
    DB_INSTANCE_CLASSES,
    MAX_ACU,
    MAX_READ_REPLICAS,
    MIN_ACU,
    RDS_MAX_STORAGE_GB,
    READ_HEAVY_PERCENT,
    STAGE_DB_FLOOR,
)


def _engine_door(plan: Plan, engine: str, pins: dict[str, Any]) -> str:
    """Why the primary database is a one-way door, naming its engine as an answer
    (database_engine=…) so that pages and the PDF say it in words."""
    source = plan.src("database_engine") if "engine" not in pins else "; set by an override"
    return (
        f"the primary store (database_engine={engine}{source}) is a one-way door: its engine "
        "and data model are hard to change later"
    )


def relational_db(plan: Plan) -> Draft:
    pins = plan.pins("primary-db", "relational_db")
    engine = pins.get("engine", plan.v["database_engine"])
    aurora = engine.startswith("aurora")
    multi_az = pins.get("multi_az", plan.multi_az)
    wanted = plan.replicas_wanted or "read_replicas" in pins
    choice, replicas, why = _db_class(plan, engine, wanted, pins.get("instance_class"))
    reasons = [_engine_door(plan, engine, pins), why]
    if aurora and multi_az and replicas == 0:
        replicas = 1
        reasons.append("Aurora is Multi-AZ through a replica in a second AZ ⇒ 1 replica")
    data = plan.relational_gb
    if "storage_gb" in pins:
        storage, how = pins["storage_gb"], "set by override"
    elif aurora:
        storage, how = _within_limit(plan, engine, max(1, ceil_int(data)), "billed as used")
    else:
        headroom = plan.a["storage_headroom"]
        needed = max(20, ceil_int(data * headroom))
        how = f"provisioned (× {fmt(headroom)}, min 20)"
        storage, how = _within_limit(plan, engine, needed, how)
    reasons.append(f"{_data_sentence(plan)} ⇒ {storage:,} GB {how}")
    reasons.append(
        ("Multi-AZ: " if multi_az else "single-AZ: ")
        + plan.az_reason(2 if multi_az else 1, "multi_az" in pins)
    )
    params = {
        "engine": engine,
        "instance_class": choice,
        "multi_az": multi_az,
        "read_replicas": replicas,
        "storage_gb": storage,
    }
    label = "Aurora cluster" if aurora else "RDS database"
    return plan.new(
        "primary-db", "relational_db", label, params, azs=1, door="one_way", reasons=reasons
    )


def _data_sentence(plan: Plan) -> str:
    """The relational store's data: the answer, less what moved to DynamoDB."""
    total = plan.v["db_storage_gb"]
    said = f"data {fmt(total)} GB{plan.default_note('db_storage_gb')}"
    if not plan.purpose_built:
        return said
    moved = plan.nosql_share * 100
    return (
        f"{said}, of which {fmt(moved)}% moved to DynamoDB with its access patterns "
        f"(purpose_built_share): {fmt(plan.relational_gb)} GB stay"
    )


def _within_limit(plan: Plan, engine: str, needed: int, how: str) -> tuple[int, str]:
    """The storage to provision, at most the engine's limit; past it, the plan records that
    the design must change (a finding says so), and the sentence says by how much."""
    aurora = engine.startswith("aurora")
    limit = AURORA_MAX_STORAGE_GB if aurora else RDS_MAX_STORAGE_GB
    if needed <= limit:
        return needed, how
    names = {"postgresql": "PostgreSQL", "mysql": "MySQL"}
    service = "an Aurora cluster volume" if aurora else f"RDS for {names.get(engine, engine)}"
    tib = limit // 1024
    what = (
        f"{needed:,} GB needed but {service} holds at most {limit:,} GB ({tib} TiB): "
        f"{needed - limit:,} GB do not fit"
    )
    plan.beyond_limits.append(("primary-db", what))
    return limit, f"at the {tib} TiB limit: {what}; shard the data or move it to another store"


def _db_class(plan: Plan, engine: str, wanted: bool, pinned: str | None) -> tuple[str, int, str]:
    """The cheapest class that carries the writes (and the reads unless replicas take them)
    and holds the working set in memory; replicas from the reads that reach the database."""
    floor_memory, burstable = STAGE_DB_FLOOR[plan.stage]
    memory_needed = max(plan.working_set_gb, floor_memory)
    load = (
        f"peak {fmt(plan.writes_peak)} writes/s and {fmt(plan.reads_peak)} reads/s reach "
        "the database"
    )
    if plan.hit:
        load += f" after the cache (hit ratio {fmt(plan.hit)})"

    def fits(name: str) -> tuple[bool, int]:
        qps = DB_CLASS_SPECS[name][2]
        if wanted:
            replicas = max(1, ceil_int(plan.reads_peak / qps))
            return plan.writes_peak <= qps and replicas <= MAX_READ_REPLICAS, replicas
        return plan.writes_peak + plan.reads_peak <= qps, 0

    if pinned:
        ok, replicas = fits(pinned)
        short = "" if ok else ", short of that load"
        return (
            pinned,
            min(replicas, MAX_READ_REPLICAS),
            f"{load}; {pinned} set by override{short}",
        )
    allowed = AURORA_INSTANCE_CLASSES if engine.startswith("aurora") else DB_INSTANCE_CLASSES
    candidates = sorted(
        (c for c in allowed if burstable or ".t" not in c), key=lambda c: DB_CLASS_SPECS[c][3]
    )
    for name in candidates:
        ok, replicas = fits(name)
        _, memory, qps, _ = DB_CLASS_SPECS[name]
        if ok and memory >= memory_needed:
            why = f"{load}; {name} (~{qps:,} ops/s, {memory} GiB) is the cheapest fit"
            why += f" for a {fmt(memory_needed)} GB working set" if memory_needed else ""
            why += f"; reads ÷ {qps:,} ⇒ {plural(replicas, 'read replica')}" if replicas else ""
            return name, replicas, why
    # Nothing fits: take the class with the most memory and the most throughput.
    largest = max(candidates, key=lambda c: DB_CLASS_SPECS[c][1:3])
    ok, replicas = fits(largest)
    short = "the load" if not ok else f"a {fmt(memory_needed)} GB working set in memory"
    why = f"{load}; even {largest} cannot hold {short}: partition the data or move access "
    why += "patterns to a purpose-built store"
    return largest, min(replicas, MAX_READ_REPLICAS), why


def serverless_db(plan: Plan) -> Draft:
    pins = plan.pins("primary-db", "serverless_db")
    engine = pins.get("engine", plan.v["database_engine"])
    multi_az = pins.get("multi_az", plan.multi_az)
    per_acu = plan.a["db_qps_per_acu"]
    peak_load = plan.writes_peak + plan.reads_peak
    # One ACU is about 2 GiB of memory: the working set sets a floor on the maximum.
    needed = max(peak_load / per_acu, plan.working_set_gb / 2)
    high = min(MAX_ACU, max(MIN_ACU, ceil_half(needed)))
    low = min(high, max(MIN_ACU, ceil_half((plan.writes_avg + plan.reads_avg) / per_acu)))
    low, high = pins.get("min_acu", low), pins.get("max_acu", high)
    reasons = [
        _engine_door(plan, engine, pins),
        f"spiky load (traffic_pattern=spiky{plan.src('traffic_pattern')}): Aurora Serverless "
        "v2 follows the load instead of paying for the peak all day",
        f"peak {fmt(peak_load)} ops/s ÷ ~{fmt(per_acu)} ops/s per ACU ⇒ max {fmt(high)} "
        f"ACU; the average ⇒ min {fmt(low)} ACU",
        ("Multi-AZ, a reader in a second AZ: " if multi_az else "single-AZ: ")
        + plan.az_reason(2 if multi_az else 1, "multi_az" in pins),
    ]
    used = max(1, ceil_int(plan.relational_gb))
    storage, how = _within_limit(plan, engine, used, "billed as used")
    reasons.append(f"{_data_sentence(plan)} ⇒ {storage:,} GB {how}")
    params = {
        "engine": engine,
        "min_acu": low,
        "max_acu": high,
        "multi_az": multi_az,
        "read_replicas": 1 if multi_az or plan.replicas_wanted else 0,
        "storage_gb": storage,
    }
    label = "Aurora Serverless v2 cluster"
    return plan.new(
        "primary-db", "serverless_db", label, params, azs=1, door="one_way", reasons=reasons
    )


def nosql(plan: Plan, role: str) -> Draft:
    ops = plan.db_monthly_ops * plan.nosql_share
    if plan.nosql_primary:
        why = (
            f"the primary store is DynamoDB (database_engine=dynamodb"
            f"{plan.src('database_engine')}); its data model is a one-way door"
        )
    else:
        why = (
            f"a purpose-built store takes the key-value access patterns (purpose_built_stores="
            f"{format_value(plan.stores)}{plan.src('purpose_built_stores')}): "
            f"{fmt(plan.nosql_share * 100)}% of the database operations and of the data"
        )
    params = {
        "engine": "dynamodb",
        "role": role,
        "capacity_mode": "on_demand",
        "point_in_time_recovery": True,
    }
    reads = ops * plan.read
    usage = {
        "read_request_units": reads * (1 - plan.hit),
        "write_request_units": ops * (1 - plan.read),
        "storage_gb": plan.v["db_storage_gb"] * plan.nosql_share,
    }
    units = "on-demand capacity: one request unit per read (≤ 4 KB) or write (≤ 1 KB)"
    if plan.hit:
        units += (
            f"; the cache answers {fmt(plan.hit * 100)}% of the reads (cache_hit_ratio): "
            f"{fmt(reads * (1 - plan.hit))} of {fmt(reads)} reads a month reach DynamoDB"
        )
    return plan.new(
        "nosql-db",
        "nosql_db",
        "DynamoDB table",
        params,
        usage=usage,
        door="one_way",
        reasons=[why, units],
    )


def cache(plan: Plan) -> Draft:
    pins = plan.pins("app-cache", "cache")
    ws = max(plan.working_set_gb, 0.1)
    if "node_type" in pins:
        node = pins["node_type"]
    else:
        fitting = (n for n in CACHE_NODE_TYPES if CACHE_NODE_MEMORY[n] >= ws)
        node = next(fitting, CACHE_NODE_TYPES[-1])
    shards = max(1, ceil_int(ws / CACHE_NODE_MEMORY[node]))
    per_shard = 2 if plan.multi_az else 1
    if plan.v["uses_cache"] is not None:
        why = plan.decided("uses_cache")
    elif plan.stores is not None:
        why = (
            f"hot data and sessions get a purpose-built store (purpose_built_stores="
            f"{format_value(plan.stores)}{plan.src('purpose_built_stores')})"
        )
    elif plan.si >= 3:
        why = "the talk's last stage caches within the application"
    else:
        why = (
            f"read_ratio {fmt(plan.v['read_ratio'])}%{plan.src('read_ratio')} ≥ "
            f"{READ_HEAVY_PERCENT}%: reads are worth caching"
        )
    sizing = (
        f"working set {fmt(ws)} GB (data × {fmt(plan.a['working_set_share'])}) on {node} "
        f"({fmt(CACHE_NODE_MEMORY[node])} GiB) ⇒ {plural(shards, 'shard')}"
    )
    sizing += ", each with a replica in another AZ" if per_shard == 2 else ""
    params = {
        "engine": "redis",
        "node_type": node,
        "nodes": shards * per_shard,
        "multi_az": plan.multi_az,
    }
    return plan.new(
        "app-cache", "cache", "ElastiCache cluster", params, azs=1, reasons=[why, sizing]
    )
