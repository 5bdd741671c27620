"""What the engine knows: the answers it reads, the stage defaults, the assumptions, the sizes
it can emit and the disaster-recovery strategies. Constants only, in one place, so that the
catalogue author, the pricing snapshot and the override form can all read the same lists."""

from __future__ import annotations

from typing import Any

from journeys.engine.state import Assumption
from journeys.vocabulary import CORE_CHOICES, CORE_QUESTION_IDS, HOURS_PER_MONTH

# Availability targets from which one AZ, then two, are not enough (the sizing places components
# by them and the rules judge by them), and from which a regional failure is in scope.
AVAILABILITY_MULTI_AZ = 99.9
AVAILABILITY_NO_SINGLE_AZ = 99.95
AVAILABILITY_THREE_AZS = 99.99
# A read share from which reads deserve their own path (cache or replica), and from which a
# missing cache is worth a finding even when replicas carry the reads.
READ_HEAVY_PERCENT = 70
CACHE_WORTH_PERCENT = 50

SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600
KB_PER_GB = 1024 * 1024
GLOBAL = "global"  # the region of Route 53, CloudFront and a WAF attached to CloudFront
REGIONAL_AZS = 3  # managed regional services (S3, Lambda, DynamoDB...) span the region's AZs

# "topic" (SNS) is no longer emitted, since EventBridge alone carries each event flow; it stays a
# kind so that states stored before still validate, price and draw.
KINDS = (
    "dns", "cdn", "object_storage", "waf", "load_balancer", "compute", "container_service",
    "function", "api_gateway", "relational_db", "serverless_db", "nosql_db", "cache", "queue",
    "topic", "event_bus", "identity", "nat_gateway", "cicd", "monitoring", "backup",
    "search", "analytics", "time_series",
)  # fmt: skip
DOORS = ("one_way", "two_way")

# ---------------------------------------------------------------------------------------------
# Answers: the core questions of DESIGN 3.1, the optional ones, and the stage defaults.

# The core choice questions and their values are the vocabulary's CORE_CHOICES; every other core
# id is a number: id -> (lowest, highest or None, whole number?).
_NUMBER_BOUNDS: dict[str, tuple[float, float | None, bool]] = {
    "customers": (1, None, True),
    "peak_rps": (0, None, False),
    "avg_response_kb": (0, None, False),
    "static_share": (0, 100, False),
    "read_ratio": (0, 100, False),
    "db_storage_gb": (0, None, False),
    "object_storage_gb": (0, None, False),
    "rpo_minutes": (0, None, True),
    "rto_minutes": (0, None, True),
}
# In the vocabulary's order; a core id that is neither a choice nor bounded here fails at import.
CORE_NUMBERS: dict[str, tuple[float, float | None, bool]] = {
    qid: _NUMBER_BOUNDS[qid] for qid in CORE_QUESTION_IDS if qid not in CORE_CHOICES
}
# Optional yes/no questions a catalogue may ask (bool, or "yes"/"no"); absent -> stage default.
OPTIONAL_ANSWERS: dict[str, str] = {
    "stateless_app": "the application keeps no session or file on its instances",
    "uses_cache": "a cache offloads the database (absent: the engine decides from read_ratio)",
    "async_processing": "features hand work to each other through queues and events",
    "dr_tested": "recovery (restore or failover) has been tested",
    "data_residency": "customer data must stay within one country or jurisdiction",
}
# Multiple-choice questions the engine reads: id -> the choices, in the order the engine lists
# them. An answer is a list of choices (empty: none ticked); absent -> stage default, where None
# means "not decided at this stage" (the engine then keeps its own rules, e.g. for the cache).
LIST_ANSWERS: dict[str, tuple[str, ...]] = {
    "purpose_built_stores": ("key_value", "caching", "search", "analytics", "time_series"),
}
# Catalogue questions the engine reads besides the core ones, with the values each may take (a
# multiple-choice answer is a list of them). Absent: the stage's behaviour described in `plan`.
OPTIONAL_CHOICES: dict[str, tuple[str, ...]] = {
    "app_state": ("on_server", "mixed", "shared"),
    "stale_reads": ("most", "some", "none"),
    "api_front_door": ("direct", "self_managed", "managed"),
    "data_lifecycle": ("none", "some", "all"),
    "integration_style": ("sync_chains", "mostly_sync", "event_driven"),
    "caching_layers": ("edge", "api", "application", "database"),
    "multi_region_writes": ("no", "home_region", "any_region"),
    "global_latency": ("one_region", "cdn_only", "nearest_region"),
    "backups": ("none", "manual", "automated", "tested"),
    "dr_readiness": ("none", "documented", "rehearsed"),
    "recovery_testing": ("never", "yearly", "regularly"),
}
OPTIONAL_NUMBERS: dict[str, tuple[float, float | None, bool]] = {
    "latency_target_ms": (1, 60_000, True),
}
# The engine's yes/no inputs that a catalogue question decides: input -> ((question, {choice:
# value}), ...), the first answered question wins; a choice absent from its map has no say.
# (`uses_cache` comes from `caching_layers`, a multiple choice: see `inputs.derive_inputs`.)
DERIVED_INPUTS: dict[str, tuple[tuple[str, dict[str, bool]], ...]] = {
    "stateless_app": (("app_state", {"on_server": False, "mixed": False, "shared": True}),),
    "async_processing": (
        ("integration_style", {"sync_chains": False, "mostly_sync": True, "event_driven": True}),
    ),
    "dr_tested": (
        ("recovery_testing", {"never": False, "yearly": True, "regularly": True}),
        ("dr_readiness", {"none": False, "documented": False, "rehearsed": True}),
        ("backups", {"tested": True}),
    ),
}
# Caching layers that put a cache between the application and the database.
CACHE_LAYERS_IN_APP = frozenset({"application", "database"})

# Latency targets (ms, 95th percentile) below which a stage needs what it would otherwise add
# later: a cache in front of the database (a query costs ~5-20 ms, a cache hit under 1 ms) and
# CloudFront near the customers (a round trip across a continent costs ~50-100 ms).
LATENCY_CACHE_MS = 200
LATENCY_EDGE_MS = 100
# Below this, customers on another continent cannot be served from one region at all: a
# cross-ocean round trip alone takes ~100-200 ms before the application does anything.
LATENCY_ONE_REGION_MS = 150
# Below this, the fleet is sized to run at `TIGHT_LATENCY_UTILISATION` of each instance's (or
# task's) rated requests per second: queueing delay grows steeply as a server nears saturation.
LATENCY_HEADROOM_MS = 100
TIGHT_LATENCY_UTILISATION = 0.6
# From this share of static requests on, serving them from the application servers is waste.
STATIC_WORTH_EDGE_PERCENT = 50
# S3 lifecycle per `data_lifecycle`.
S3_LIFECYCLE = {
    "none": "none",
    "some": "Standard-IA after 30 days",
    "all": "Intelligent-Tiering, old versions expire after 90 days",
}

# peak_rps, db_storage_gb and object_storage_gb are absent on purpose: derived from customers.
STAGE_DEFAULTS: dict[str, dict[str, Any]] = {
    "launch": {
        "customers": 100, "avg_response_kb": 40, "static_share": 30,
        "traffic_pattern": "steady", "read_ratio": 80, "users_geography": "one_region",
        "availability_target": "99.5", "rpo_minutes": 1440, "rto_minutes": 1440,
        "compute_model": "vms", "database_engine": "postgresql", "customer_identity": "none",
        "l7_protection": "none", "release_process": "manual", "monitoring": "basic",
        "stateless_app": False, "uses_cache": None, "async_processing": False,
        "purpose_built_stores": None, "dr_tested": None,
        "data_residency": False,
    },
    "growth": {
        "customers": 10_000, "avg_response_kb": 40, "static_share": 30,
        "traffic_pattern": "daily_peaks", "read_ratio": 80, "users_geography": "one_region",
        "availability_target": "99.9", "rpo_minutes": 60, "rto_minutes": 240,
        "compute_model": "vms", "database_engine": "postgresql", "customer_identity": "managed",
        "l7_protection": "waf", "release_process": "ci_cd", "monitoring": "full",
        "stateless_app": True, "uses_cache": None, "async_processing": False,
        "purpose_built_stores": None, "dr_tested": None,
        "data_residency": False,
    },
    "scale": {
        "customers": 1_000_000, "avg_response_kb": 40, "static_share": 30,
        "traffic_pattern": "daily_peaks", "read_ratio": 80, "users_geography": "continent",
        "availability_target": "99.95", "rpo_minutes": 15, "rto_minutes": 60,
        "compute_model": "containers", "database_engine": "aurora-postgresql",
        "customer_identity": "managed", "l7_protection": "waf", "release_process": "ci_cd",
        "monitoring": "full", "stateless_app": True, "uses_cache": None,
        "async_processing": False, "purpose_built_stores": ["key_value", "caching"],
        "dr_tested": False, "data_residency": False,
    },
    "beyond": {
        "customers": 10_000_000, "avg_response_kb": 40, "static_share": 30,
        "traffic_pattern": "daily_peaks", "read_ratio": 80, "users_geography": "global",
        "availability_target": "99.99", "rpo_minutes": 1, "rto_minutes": 5,
        "compute_model": "containers", "database_engine": "aurora-postgresql",
        "customer_identity": "managed", "l7_protection": "waf", "release_process": "ci_cd",
        "monitoring": "full", "stateless_app": True, "uses_cache": None,
        "async_processing": True, "purpose_built_stores": ["key_value", "caching"],
        "dr_tested": True, "data_residency": False,
    },
}  # fmt: skip

# ---------------------------------------------------------------------------------------------
# Assumptions: every number the sizing rests on, stated and overridable per journey by name.


# name, default, unit, what it means. Shown to the user beside every figure it produces.
_ASSUMPTION_ROWS: tuple[tuple[str, float, str, str], ...] = (
    (
        "requests_per_customer_per_month",
        3000,
        "requests",
        "HTTP requests one customer makes in a month",
    ),
    ("peak_factor_steady", 2, "× average", "peak over average load for a steady pattern"),
    ("peak_factor_daily_peaks", 4, "× average", "peak over average load with daily peaks"),
    ("peak_factor_spiky", 10, "× average", "peak over average load for a spiky pattern"),
    ("peak_hours_per_day", 6, "hours", "hours a day the fleet runs at its peak size"),
    (
        "rps_per_instance",
        150,
        "req/s",
        "requests per second one m6g.large serves; other types scale by size",
    ),
    ("rps_per_task", 100, "req/s", "requests per second one 1-vCPU Fargate task serves"),
    ("lambda_avg_ms", 120, "ms", "average Lambda duration per request"),
    ("lambda_memory_mb", 512, "MB", "memory of each Lambda function"),
    (
        "cdn_hit_ratio",
        0.85,
        "ratio",
        "share of static requests CloudFront serves from its edge cache",
    ),
    ("cache_hit_ratio", 0.8, "ratio", "share of database reads the cache answers"),
    ("db_queries_per_request", 2, "queries", "database operations per application request"),
    (
        "db_gb_per_customer",
        0.005,
        "GB",
        "database data per customer, when db_storage_gb is not answered",
    ),
    (
        "object_gb_per_customer",
        0.05,
        "GB",
        "stored files per customer, when object_storage_gb is not answered",
    ),
    (
        "working_set_share",
        0.02,
        "ratio",
        "share of the database that is hot: sizes cache and database memory",
    ),
    ("storage_headroom", 1.2, "× data", "provisioned RDS storage over the data size"),
    (
        "purpose_built_share",
        0.3,
        "ratio",
        "share of database operations that move to DynamoDB when a purpose-built store is added",
    ),
    (
        "monthly_change_share",
        0.1,
        "ratio",
        "share of the data that changes in a month (backup copies, replication)",
    ),
    (
        "active_active_dr_share",
        0.5,
        "ratio",
        "share of the requests the DR region serves in active/active (the home region serves "
        "the rest): request-driven usage is divided between the regions, never counted twice",
    ),
    (
        "warm_standby_share",
        0.25,
        "ratio",
        "size of a warm-standby fleet relative to the primary one",
    ),
    (
        "db_qps_per_acu",
        250,
        "queries/s",
        "database operations per second one Aurora capacity unit serves",
    ),
    ("object_puts_per_write", 0.1, "PUTs", "objects written per write request"),
    (
        "nat_traffic_share",
        0.05,
        "ratio",
        "internet-bound traffic through NAT (updates, images, third-party APIs) relative to the "
        "responses served; S3 and DynamoDB traffic takes free gateway VPC endpoints instead",
    ),
    ("log_kb_per_request", 1, "KB", "log data written per request"),
    ("trace_sample_rate", 0.05, "ratio", "share of requests traced when monitoring is full"),
    (
        "dns_queries_per_customer_per_month",
        100,
        "queries",
        "DNS queries one customer causes in a month",
    ),
    (
        "edge_share_north_america",
        0.45,
        "ratio",
        "share of a worldwide audience's CloudFront traffic served at North American edges",
    ),
    (
        "edge_share_europe",
        0.3,
        "ratio",
        "share served at European edges; the rest is served at Asia Pacific edges",
    ),
    ("builds_per_month", 60, "builds", "pipeline runs in a month"),
    ("build_minutes_per_build", 8, "minutes", "CodeBuild minutes per pipeline run"),
)
ASSUMPTIONS: dict[str, Assumption] = {row[0]: Assumption(*row) for row in _ASSUMPTION_ROWS}
# Ratios above 1 mean nothing; the web layer shows the ValueError as is.
RATIO_ASSUMPTIONS = frozenset(n for n, a in ASSUMPTIONS.items() if a.unit == "ratio")

# ---------------------------------------------------------------------------------------------
# What the engine can emit. The pricing snapshot prices every one of these, and the override UI
# offers them, so they are fixed, ordered and exported.

# name -> (vCPU, memory GiB, capacity relative to m6g.large = rps_per_instance)
INSTANCE_SPECS: dict[str, tuple[int, int, float]] = {
    "t3.small": (2, 2, 0.33), "t3.medium": (2, 4, 0.5), "t3.large": (2, 8, 0.67),
    "m6g.large": (2, 8, 1.0), "m6g.xlarge": (4, 16, 2.0), "m6g.2xlarge": (8, 32, 4.0),
    "c6g.large": (2, 4, 1.2), "c6g.xlarge": (4, 8, 2.4), "c6g.2xlarge": (8, 16, 4.8),
    "m6i.large": (2, 8, 1.0), "m6i.xlarge": (4, 16, 2.0), "m6i.2xlarge": (8, 32, 4.0),
    "r6g.large": (2, 16, 1.0), "r6g.xlarge": (4, 32, 2.0),
}  # fmt: skip
INSTANCE_TYPES = tuple(INSTANCE_SPECS)
# The engine's own choices climb this ladder; each step is at least as big as the one before, so
# more load never buys less capacity.
INSTANCE_LADDER = (
    "t3.small", "t3.medium", "t3.large", "m6g.large", "m6g.xlarge", "m6g.2xlarge",
)  # fmt: skip
# Launch starts at the smallest type that carries its load; production stages leave t-types.
STAGE_INSTANCE_START = {"launch": 0, "growth": 3, "scale": 3, "beyond": 4}
MAX_FLEET_BEFORE_UPSIZE = 12  # beyond this many instances, a bigger type is easier to run

# name -> (vCPU, memory GiB, comfortable database operations/s, relative hourly price). The price
# only ranks classes to pick the cheapest that fits; estimates use the price book.
DB_CLASS_SPECS: dict[str, tuple[int, int, int, float]] = {
    "db.t3.micro": (2, 1, 200, 0.018), "db.t3.small": (2, 2, 400, 0.036),
    "db.t3.medium": (2, 4, 800, 0.072), "db.t4g.medium": (2, 4, 800, 0.065),
    "db.m6g.large": (2, 8, 2000, 0.152), "db.m6g.xlarge": (4, 16, 4000, 0.304),
    "db.m6g.2xlarge": (8, 32, 8000, 0.608), "db.r6g.large": (2, 16, 2000, 0.225),
    "db.r6g.xlarge": (4, 32, 4000, 0.45), "db.r6g.2xlarge": (8, 64, 8000, 0.9),
    "db.r6g.4xlarge": (16, 128, 16000, 1.8),
}  # fmt: skip
DB_INSTANCE_CLASSES = tuple(DB_CLASS_SPECS)
# Aurora runs on neither db.t3.micro/small nor the m6g family.
AURORA_INSTANCE_CLASSES = tuple(
    c for c in DB_INSTANCE_CLASSES if c in ("db.t3.medium", "db.t4g.medium") or ".r6g." in c
)
RELATIONAL_ENGINES = ("postgresql", "mysql", "aurora-postgresql", "aurora-mysql")
SERVERLESS_DB_ENGINES = ("aurora-postgresql", "aurora-mysql")
# stage -> (least memory GiB, burstable classes allowed): production stages leave t-classes.
STAGE_DB_FLOOR = {
    "launch": (0, True), "growth": (4, True), "scale": (16, False), "beyond": (32, False),
}  # fmt: skip
MAX_READ_REPLICAS = 15
# Service limits: RDS for PostgreSQL and MySQL stop at 64 TiB of storage, an Aurora cluster
# volume at 128 TiB. Past them the design must change (shard, or move data out).
RDS_MAX_STORAGE_GB = 65_536
AURORA_MAX_STORAGE_GB = 131_072
MIN_ACU, MAX_ACU = 0.5, 256.0

# name -> memory GiB
CACHE_NODE_MEMORY: dict[str, float] = {
    "cache.t3.micro": 0.5, "cache.t3.small": 1.37, "cache.t3.medium": 3.09,
    "cache.m6g.large": 6.38, "cache.r6g.large": 13.07, "cache.r6g.xlarge": 26.32,
}  # fmt: skip
CACHE_NODE_TYPES = tuple(CACHE_NODE_MEMORY)

# Fargate vCPU -> allowed memory GiB range.
FARGATE_MEMORY_GB: dict[float, tuple[float, float]] = {
    0.25: (0.5, 2), 0.5: (1, 4), 1: (2, 8), 2: (4, 16), 4: (8, 30), 8: (16, 60), 16: (32, 120),
}  # fmt: skip
FARGATE_VCPUS = tuple(FARGATE_MEMORY_GB)
FARGATE_LADDER = (0.5, 1, 2, 4)
STAGE_FARGATE_START = {"launch": 0, "growth": 1, "scale": 1, "beyond": 2}
MAX_TASKS_BEFORE_UPSIZE = 20
LAMBDA_DEFAULT_CONCURRENCY_QUOTA = 1000
EBS_GB_PER_INSTANCE = 20
REGISTRY_STORAGE_GB = 5
WAF_RULES = 5  # core rule set, known bad inputs, IP reputation, SQL injection, rate-based

# Parameters an override may set, per kind; anything else is refused with the list.
OVERRIDABLE_PARAMS: dict[str, tuple[str, ...]] = {
    "compute": ("instance_type", "count", "min", "max", "azs"),
    "container_service": ("vcpu", "memory_gb", "tasks", "min", "max", "azs"),
    "function": ("memory_mb",),
    "relational_db": ("engine", "instance_class", "multi_az", "read_replicas", "storage_gb"),
    "serverless_db": ("engine", "min_acu", "max_acu", "multi_az"),
    "cache": ("node_type", "nodes"),
    "nat_gateway": ("count",),
    "identity": ("plan",),
}
# Cognito user pool feature plans; new pools default to Essentials (since November 2024).
COGNITO_PLANS = ("lite", "essentials", "plus")
DEFAULT_COGNITO_PLAN = "essentials"
# param -> (lowest, highest); DR components may sit at zero (pilot light: idle until failover).
INT_RANGES: dict[str, tuple[int, int]] = {
    "count": (1, 100), "min": (1, 100), "max": (1, 100), "tasks": (1, 100), "nodes": (1, 100),
    "azs": (1, 3), "read_replicas": (0, MAX_READ_REPLICAS), "memory_mb": (128, 10_240),
    "storage_gb": (1, AURORA_MAX_STORAGE_GB),
}  # fmt: skip
NAT_MAX = 6

# ---------------------------------------------------------------------------------------------
# Disaster recovery (the talk's four strategies, cheapest first).

DR_STRATEGIES = ("backup_restore", "pilot_light", "warm_standby", "active_active")
# strategy -> (least RPO minutes, least RTO minutes) it can promise: hours, tens of minutes,
# minutes, real time. A stage asking for less than both thresholds needs a costlier strategy.
DR_THRESHOLDS: dict[str, tuple[int, int]] = {
    "backup_restore": (60, 240),
    "pilot_light": (10, 30),
    "warm_standby": (1, 5),
    "active_active": (0, 0),
}
# 99.99 % leaves 4 minutes of downtime a month: only a running second region restores that fast.
DR_MIN_STRATEGY_FOR_AVAILABILITY = {"99.99": "warm_standby"}
# When backups kept by backup and restore are also copied to the DR region (see Plan.with_dr).
COPIES_START = (
    "start at stage growth once availability reaches 99.9% or an RPO or RTO is answered, at "
    "stage scale in any case, and with any tighter strategy"
)
DR_LABELS = {
    "backup_restore": "backup and restore",
    "pilot_light": "pilot light",
    "warm_standby": "warm standby",
    "active_active": "multi-site active/active",
}
DR_PROMISE = {
    "backup_restore": "recovers in hours: resources provisioned, backups restored after the event",
    "pilot_light": "recovers in tens of minutes: data live, services idle until the event",
    "warm_standby": "recovers in minutes: a smaller copy always runs, scaled up after the event",
    "active_active": "recovers in real time: a full copy serves traffic, near-zero data loss",
}
DR_REGION_PAIRS = {
    "us-east-1": "us-west-2", "us-west-2": "us-east-1", "us-east-2": "us-west-2",
    "eu-west-1": "eu-central-1", "eu-central-1": "eu-west-1", "eu-west-2": "eu-west-1",
    "ap-south-1": "ap-southeast-1", "ap-southeast-1": "ap-south-1",
}  # fmt: skip
DR_FALLBACK_REGION = "us-west-2"
# DynamoDB multi-Region strong consistency (RPO 0) runs within one of these Region sets only:
# two replicas and a witness, or three replicas, all in the same set.
STRONG_CONSISTENCY_REGION_SETS: dict[str, tuple[str, ...]] = {
    "US": ("us-east-1", "us-east-2", "us-west-2"),
    "EU": ("eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1"),
    "AP": ("ap-northeast-1", "ap-northeast-2", "ap-northeast-3"),
}
