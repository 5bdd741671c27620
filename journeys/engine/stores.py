"""The purpose-built stores beyond DynamoDB and the cache: search (Amazon OpenSearch Service),
analytics (Amazon Redshift Serverless, or Athena over S3 while the data is small) and time series
(Amazon Timestream for InfluxDB), each proposed only when `purpose_built_stores` ticks it.

Every figure a size rests on is a constant here, named in the reason sentence it produces, so
that the panel shows the assumption beside the number. Timestream for LiveAnalytics, the
serverless engine, has been closed to new customers since 20 June 2025: a new journey gets
Timestream for InfluxDB, which AWS names as its successor.

The search index and the warehouse hold data derived from the primary stores: after a regional
failure they are rebuilt from those stores in the recovery region, so no DR copy is made.
"""

from __future__ import annotations

from journeys.engine.findings import format_value
from journeys.engine.fmt import ceil_int, fmt, plural
from journeys.engine.plan import Draft, Plan
from journeys.vocabulary import HOURS_PER_MONTH

# -- search: Amazon OpenSearch Service ---------------------------------------------------------
# Share of the database's data that is indexed for full-text search (descriptions, documents,
# messages); share of the application's requests that run a search.
SEARCH_DATA_SHARE = 0.25
SEARCH_REQUEST_SHARE = 0.1
# AWS's sizing rule for OpenSearch Service: storage = source data × (1 + replicas) × 1.45 (index
# overhead, the OS reserve, the service's reserve and a 10 % free-space margin).
SEARCH_REPLICAS = 1
SEARCH_STORAGE_FACTOR = 1.45
# type -> (memory GiB, comfortable searches/s per node, most EBS GiB per node). The engine climbs
# this ladder; beyond SEARCH_MAX_NODES data nodes it takes the next size.
SEARCH_NODE_TYPES: dict[str, tuple[int, int, int]] = {
    "m6g.large.search": (8, 50, 512),
    "r6g.large.search": (16, 80, 1024),
    "r6g.xlarge.search": (32, 160, 1536),
    "r6g.2xlarge.search": (64, 320, 3072),
    "r6g.4xlarge.search": (128, 640, 6144),
}
SEARCH_MAX_NODES = 6
# Production stages leave the general-purpose type for memory-optimised nodes.
SEARCH_STAGE_START = {"launch": 0, "growth": 0, "scale": 1, "beyond": 1}

# -- analytics: Redshift Serverless, or Athena over S3 ----------------------------------------
# The warehouse keeps history: the database's data and this many times its size in past versions
# and events.
ANALYTICS_HISTORY_FACTOR = 2
# Below this much data, Athena over S3 (paid per TB scanned, nothing while idle) costs less than
# Redshift Serverless's smallest base capacity running for the business day.
ATHENA_MAX_GB = 1024
ANALYTICS_QUERIES_PER_DAY = 100
# Share of the data one report scans: partitioned, columnar files (Parquet) read a small part.
ATHENA_SCAN_SHARE = 0.02
# Redshift Serverless: the smallest base capacity is 8 RPU; one more 8-RPU step per this many GB,
# billed only while queries run (the business day).
REDSHIFT_MIN_RPU = 8
REDSHIFT_GB_PER_RPU_STEP = 16 * 1024
REDSHIFT_MAX_RPU = 512
ANALYTICS_ACTIVE_HOURS_PER_DAY = 8
DAYS_PER_MONTH = HOURS_PER_MONTH / 24

# -- time series: Timestream for InfluxDB -------------------------------------------------------
# Points written per application request (metrics, readings, events), and how long they stay.
TIME_SERIES_POINTS_PER_REQUEST = 2
TIME_SERIES_RETENTION_DAYS = 90
TIME_SERIES_BYTES_PER_POINT = 100
TIME_SERIES_MIN_STORAGE_GB = 20
# class -> (vCPU, memory GiB). AWS's guidance: a db.influx.2xlarge (8 vCPU) takes about 150,000
# writes/s, so about 18,750 writes/s per vCPU; the engine keeps half of that as headroom.
INFLUX_CLASSES: dict[str, tuple[int, int]] = {
    "db.influx.medium": (1, 8),
    "db.influx.large": (2, 16),
    "db.influx.xlarge": (4, 32),
    "db.influx.2xlarge": (8, 64),
    "db.influx.4xlarge": (16, 128),
    "db.influx.8xlarge": (32, 256),
}
INFLUX_WRITES_PER_VCPU = 18_750 / 2
INFLUX_STAGE_START = {"launch": 0, "growth": 0, "scale": 1, "beyond": 2}


def purpose_built(plan: Plan) -> list[Draft]:
    """The search, analytics and time-series stores this stage's answer ticks, in that order."""
    ticked = plan.stores or []
    builders = {"search": search, "analytics": analytics, "time_series": time_series}
    return [build(plan) for kind, build in builders.items() if kind in ticked]


def _ticked(plan: Plan, what: str) -> str:
    return (
        f"{what} gets a purpose-built store (purpose_built_stores="
        f"{format_value(plan.stores)}{plan.src('purpose_built_stores')})"
    )


def search(plan: Plan) -> Draft:
    data = plan.v["db_storage_gb"] * SEARCH_DATA_SHARE
    storage = max(10, ceil_int(data * (1 + SEARCH_REPLICAS) * SEARCH_STORAGE_FACTOR))
    qps = plan.app_peak * SEARCH_REQUEST_SHARE
    # Nodes: one per AZ at least (each shard's replica in another AZ), enough for the storage
    # and the searches, a multiple of the AZs so that each AZ holds the same share.
    azs = plan.az_count if plan.multi_az else 1
    node_type, nodes = _search_nodes(plan.stage, storage, qps, azs)
    memory, per_node_qps, per_node_gb = SEARCH_NODE_TYPES[node_type]
    reasons = [
        _ticked(plan, "full-text search"),
        f"index: {fmt(SEARCH_DATA_SHARE * 100)}% of the {fmt(plan.v['db_storage_gb'])} GB of "
        f"data is searchable = {fmt(data)} GB × (1 + {SEARCH_REPLICAS} replica) × "
        f"{SEARCH_STORAGE_FACTOR} (AWS sizing rule) ⇒ {storage:,} GB of gp3 storage",
        f"searches: {fmt(SEARCH_REQUEST_SHARE * 100)}% of {fmt(plan.app_peak)} req/s at peak = "
        f"{fmt(qps)} searches/s; a {node_type} ({memory} GiB) takes about {per_node_qps}/s "
        f"and {per_node_gb:,} GB ⇒ {plural(nodes, 'data node')}"
        + (f" over {azs} AZs" if azs > 1 else ""),
        "derived data: after a regional failure the index is rebuilt from the primary store",
    ]
    params = {
        "engine": "opensearch",
        "instance_type": node_type,
        "nodes": nodes,
        "replicas": SEARCH_REPLICAS,
        "storage_gb": storage,
        "multi_az": azs > 1,
    }
    usage = {"instance_hours": nodes * HOURS_PER_MONTH, "storage_gb": storage}
    return plan.new(
        "search",
        "search",
        "OpenSearch Service domain",
        params,
        azs=azs,
        usage=usage,
        reasons=reasons,
    )


def _search_nodes(stage: str, storage: int, qps: float, azs: int) -> tuple[str, int]:
    """The smallest node type from the stage's start that needs at most SEARCH_MAX_NODES, and
    how many: enough for the storage and the searches, at least two (a replica of each shard)
    when spread, a multiple of the AZs so that each AZ holds the same share."""
    floor = max(azs, 1 + SEARCH_REPLICAS) if azs > 1 else 1
    candidates = list(SEARCH_NODE_TYPES)[SEARCH_STAGE_START[stage] :]
    sized = []
    for node_type in candidates:
        _, per_node_qps, per_node_gb = SEARCH_NODE_TYPES[node_type]
        needed = max(floor, ceil_int(storage / per_node_gb), ceil_int(qps / per_node_qps))
        sized.append((node_type, ceil_int(needed / azs) * azs))
    return next((s for s in sized if s[1] <= SEARCH_MAX_NODES), sized[-1])


def analytics(plan: Plan) -> Draft:
    data = plan.v["db_storage_gb"] * (1 + ANALYTICS_HISTORY_FACTOR)
    history = (
        f"warehouse data: the {fmt(plan.v['db_storage_gb'])} GB database and "
        f"{ANALYTICS_HISTORY_FACTOR} × its size of history = {fmt(data)} GB"
    )
    reasons = [_ticked(plan, "reporting and analytics"), history]
    queries = ANALYTICS_QUERIES_PER_DAY * DAYS_PER_MONTH
    if data < ATHENA_MAX_GB:
        scanned_tb = queries * data * ATHENA_SCAN_SHARE / 1024
        reasons += [
            f"{fmt(data)} GB < {ATHENA_MAX_GB:,} GB: Athena queries the data in S3 and costs "
            "nothing while idle, less than a warehouse's smallest base capacity",
            f"{ANALYTICS_QUERIES_PER_DAY} reports a day × {fmt(DAYS_PER_MONTH)} days, each "
            f"scanning {fmt(ATHENA_SCAN_SHARE * 100)}% of the data (partitioned Parquet) ⇒ "
            f"{fmt(scanned_tb)} TB scanned a month",
        ]
        params = {"engine": "athena", "storage_gb": ceil_int(data)}
        usage = {"scanned_tb": scanned_tb, "storage_gb": data}
        label = "Athena over S3"
    else:
        steps = ceil_int(data / REDSHIFT_GB_PER_RPU_STEP)
        rpu = min(REDSHIFT_MAX_RPU, max(REDSHIFT_MIN_RPU, steps * REDSHIFT_MIN_RPU))
        hours = ANALYTICS_ACTIVE_HOURS_PER_DAY * DAYS_PER_MONTH
        reasons += [
            f"{fmt(data)} GB ≥ {ATHENA_MAX_GB:,} GB: Redshift Serverless answers reports "
            "over this much data faster and more steadily than scanning files",
            f"base capacity {REDSHIFT_MIN_RPU} RPU per {REDSHIFT_GB_PER_RPU_STEP // 1024} TB "
            f"⇒ {rpu} RPU, billed while queries run: {ANALYTICS_ACTIVE_HOURS_PER_DAY} hours a "
            f"day ⇒ {fmt(rpu * hours)} RPU-hours a month",
        ]
        params = {"engine": "redshift_serverless", "base_rpu": rpu, "storage_gb": ceil_int(data)}
        usage = {"rpu_hours": rpu * hours, "storage_gb": data}
        label = "Redshift Serverless workgroup"
    reasons.append("derived data: after a regional failure it is reloaded from the primary store")
    return plan.new("analytics", "analytics", label, params, usage=usage, reasons=reasons)


def time_series(plan: Plan) -> Draft:
    writes_peak = plan.app_peak * TIME_SERIES_POINTS_PER_REQUEST
    points = plan.app_monthly * TIME_SERIES_POINTS_PER_REQUEST
    kept_gb = points / HOURS_PER_MONTH * 24 * TIME_SERIES_RETENTION_DAYS
    kept_gb = kept_gb * TIME_SERIES_BYTES_PER_POINT / 1024**3
    storage = max(TIME_SERIES_MIN_STORAGE_GB, ceil_int(kept_gb))
    classes = list(INFLUX_CLASSES)
    start = INFLUX_STAGE_START[plan.stage]
    fitting = (
        c for c in classes[start:] if INFLUX_CLASSES[c][0] * INFLUX_WRITES_PER_VCPU >= writes_peak
    )
    choice = next(fitting, classes[-1])
    vcpu, memory = INFLUX_CLASSES[choice]
    multi_az = plan.multi_az
    reasons = [
        _ticked(plan, "time series and events"),
        f"{TIME_SERIES_POINTS_PER_REQUEST} points per request × {fmt(plan.app_peak)} req/s at "
        f"peak = {fmt(writes_peak)} writes/s; about {fmt(INFLUX_WRITES_PER_VCPU)} writes/s per "
        f"vCPU with headroom ⇒ {choice} ({vcpu} vCPU, {memory} GiB)",
        f"{fmt(points)} points a month kept {TIME_SERIES_RETENTION_DAYS} days at "
        f"~{TIME_SERIES_BYTES_PER_POINT} bytes ⇒ {storage:,} GB (min "
        f"{TIME_SERIES_MIN_STORAGE_GB})",
        ("Multi-AZ: a standby in a second AZ: " if multi_az else "single-AZ: ")
        + plan.az_reason(2 if multi_az else 1, False),
        "Timestream for InfluxDB: the serverless Timestream for LiveAnalytics takes no new "
        "customers since 20 June 2025",
    ]
    params = {"engine": "influxdb", "instance_class": choice, "multi_az": multi_az}
    params["storage_gb"] = storage
    usage = {
        "instance_hours": HOURS_PER_MONTH,
        "standby_instance_hours": HOURS_PER_MONTH if multi_az else 0,
        "storage_gb": storage,
    }
    return plan.new(
        "time-series",
        "time_series",
        "Timestream for InfluxDB instance",
        params,
        azs=2 if multi_az else 1,
        usage=usage,
        reasons=reasons,
    )
