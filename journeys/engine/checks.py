"""The rules' checks: whether each one fires on one stage's facts, and the hit it reports.

A check fires only when its fix is absent from this stage's architecture, and names that fix in
`fixed_by`: the component that removes the risk, or the later stage whose defaults bring it.
The table that gives each check its id, pillar and section of the talk is `rules.RULES`.
"""

from __future__ import annotations

from journeys.engine.findings import Facts, Hit
from journeys.engine.tables import (
    AVAILABILITY_MULTI_AZ,
    AVAILABILITY_NO_SINGLE_AZ,
    CACHE_WORTH_PERCENT,
    LATENCY_ONE_REGION_MS,
    READ_HEAVY_PERCENT,
    STATIC_WORTH_EDGE_PERCENT,
)


def _primary_compute(f: Facts) -> str | None:
    for cid in ("web-asg", "app-service"):
        if cid in f.kinds:
            return cid
    return None


def _count_param(f: Facts, cid: str) -> str:
    return "tasks" if f.kinds[cid] == "container_service" else "count"


def _relational(f: Facts) -> bool:
    return f.kinds.get("primary-db") in ("relational_db", "serverless_db")


def single_point_of_failure(f: Facts) -> Hit | None:
    parts: list[str] = []
    because = list(f.because("availability_target"))
    first = ""
    cid = _primary_compute(f)
    if cid and f.params[cid][_count_param(f, cid)] == 1:
        parts.append("one application instance")
        because += f.overrides_of(cid, _count_param(f, cid))
        first = cid
    if _relational(f) and not f.params["primary-db"]["multi_az"]:
        parts.append("a single-AZ database")
        because += f.overrides_of("primary-db", "multi_az", "read_replicas")
        first = first or "primary-db"
    if not parts:
        return None
    return Hit(
        risk="high",
        title="Single point of failure: " + " and ".join(parts),
        because=tuple(because),
        action="Run at least two instances behind a load balancer in an Auto Scaling group and "
        "make the database Multi-AZ, so that losing one machine is not an outage.",
        fixed_by=f.fix(first, "growth"),
        components=tuple(c for c in (cid, "primary-db") if c),
    )


def one_az_of_three(f: Facts) -> Hit | None:
    single = [
        cid
        for cid in ("web-asg", "app-service", "primary-db")
        if cid in f.kinds and f.azs[cid] == 1
    ]
    if not single:
        return None
    because = list(f.because("availability_target"))
    for cid in single:
        because += f.overrides_of(cid, "azs", "count", "tasks", "multi_az", "read_replicas")
    return Hit(
        risk="high" if f.availability >= AVAILABILITY_MULTI_AZ else "medium",
        title="Only one of three Availability Zones used",
        because=tuple(because),
        action="Spread the application and the database over at least two Availability Zones "
        "of the region; an AZ failure then costs capacity, not the service.",
        fixed_by=f.fix(single[0], "growth"),
        components=tuple(single),
    )


def no_identity_context(f: Facts) -> Hit | None:
    if f.values["customer_identity"] != "none":
        return None
    return Hit(
        risk="high",
        title="No identity context within the application",
        because=f.because("customer_identity"),
        action="Sign customers in through a managed identity service (Amazon Cognito user pool) "
        "so that every request carries who the customer is.",
        fixed_by=f.fix("identity", "growth"),
    )


def open_to_layer_7(f: Facts) -> Hit | None:
    if f.values["l7_protection"] != "none":
        return None
    return Hit(
        risk="high",
        title="Application open to layer-7 attacks",
        because=f.because("l7_protection"),
        action="Put AWS WAF with the managed core rule set and a rate-based rule in front of the "
        "public entry point (CloudFront, the load balancer or API Gateway).",
        fixed_by=f.fix("waf", "growth"),
    )


def manual_releases(f: Facts) -> Hit | None:
    process = f.values["release_process"]
    if process == "manual":
        risk = "high"
    elif process == "scripted" and f.at_least("growth"):
        risk = "medium"
    else:
        return None
    return Hit(
        risk=risk,
        title="Manual release management" if risk == "high" else "Releases not built on commit",
        because=f.because("release_process"),
        action="Build on every commit, push the image to a registry and deploy through a "
        "pipeline (CodePipeline, CodeBuild, ECR), with a rollback path.",
        fixed_by=f.fix("cicd", "growth"),
        components=("cicd",),
    )


def _reads_on_primary(f: Facts) -> bool:
    return (
        _relational(f)
        and f.values["read_ratio"] >= READ_HEAVY_PERCENT
        and f.params["primary-db"].get("read_replicas", 0) == 0
        and not f.has("app-cache")
    )


def read_queries_on_primary(f: Facts) -> Hit | None:
    if not _reads_on_primary(f):
        return None
    because = f.because("read_ratio", "database_engine")
    if "uses_cache" in f.answered:
        because += f.because("uses_cache")
    because += f.overrides_of("primary-db", "read_replicas")
    return Hit(
        risk="high" if f.at_least("scale") else "medium",
        title="Unoptimised and read-only queries on the primary database",
        because=because,
        action="Serve repeated reads from a cache (ElastiCache) and route read-only queries to a "
        "read replica; index and review the slowest queries.",
        fixed_by=f.fix("app-cache", "growth"),
        components=("primary-db", "app-cache"),
    )


def no_cache(f: Facts) -> Hit | None:
    if f.has("app-cache") or f.values["read_ratio"] < CACHE_WORTH_PERCENT or _reads_on_primary(f):
        return None
    because = f.because("read_ratio")
    if "uses_cache" in f.answered:
        because += f.because("uses_cache")
    return Hit(
        risk="medium",
        title="No cache to offload the database",
        because=because,
        action="Add an ElastiCache cluster for hot reads and sessions; every hit is a query the "
        "database does not run.",
        fixed_by="app-cache",
    )


def no_multi_region_dr(f: Facts) -> Hit | None:
    if any(cid.startswith("dr-") for cid in f.kinds) or f.dr_region == f.region:
        return None  # (recovery kept in the region by data residency has its own finding)
    return Hit(
        risk="high" if f.availability >= AVAILABILITY_NO_SINGLE_AZ else "medium",
        title="No multi-region disaster recovery",
        because=f.because("rpo_minutes", "rto_minutes", "availability_target"),
        action=f"Copy backups to {f.dr_region} at least (backup and restore) and choose the "
        "disaster-recovery strategy from the RPO and RTO the business accepts.",
        fixed_by="scale",
        components=("backup", "dns"),
    )


def recovery_never_tested(f: Facts) -> Hit | None:
    if f.values.get("dr_tested") is not False:
        return None
    return Hit(
        risk="high" if f.at_least("scale") else "medium",
        title="Recovery is never tested",
        because=f.because("dr_tested", "rpo_minutes", "rto_minutes"),
        action=f"Run a recovery game day: restore or fail over to {f.dr_region} and measure the "
        "data lost and the time taken against the RPO and RTO; repeat it regularly.",
        fixed_by="" if f.at_least("beyond") else "beyond",
        components=("backup", "dns", *[c for c in f.kinds if c.startswith("dr-")][:2]),
    )


def coupled_features(f: Facts) -> Hit | None:
    if f.values["compute_model"] != "vms":
        return None
    return Hit(
        risk="medium",
        title="Features coupled in one deployment on virtual machines",
        because=f.because("compute_model"),
        action="Split features into services run by a container orchestrator (ECS on Fargate) "
        "so that each one is deployed and scaled on its own.",
        fixed_by="app-service",
        components=("web-asg", "app-service"),
    )


def synchronous_chains(f: Facts) -> Hit | None:
    if f.has("queue"):
        return None
    return Hit(
        risk="high" if f.at_least("beyond") else "medium",
        title="Synchronous chains between features",
        because=f.because("async_processing"),
        action="Hand work between features through queues and events (SQS, SNS, EventBridge) "
        "so that a slow or failed feature does not stall the request path.",
        fixed_by=f.fix("queue", "beyond"),
        components=(_primary_compute(f) or "app-function", "queue", "event-bus"),
    )


def no_monitoring(f: Facts) -> Hit | None:
    level = f.values["monitoring"]
    if level == "none":
        risk, title = "high", "No monitoring of the application or the infrastructure"
    elif level == "basic" and f.at_least("scale"):
        risk, title = "medium", "No tracing across features and regions"
    else:
        return None
    return Hit(
        risk=risk,
        title=title,
        because=f.because("monitoring"),
        action="Collect metrics, logs and traces in CloudWatch and X-Ray, with alarms on the "
        "measures that tell you this stage is outgrown.",
        fixed_by="monitoring",
    )


def spiky_load_on_fixed_capacity(f: Facts) -> Hit | None:
    if f.values["traffic_pattern"] != "spiky":
        return None
    fixed: list[str] = []
    cid = _primary_compute(f)
    if cid and f.params[cid]["min"] == f.params[cid]["max"]:
        fixed.append(cid)
    if f.kinds.get("primary-db") == "relational_db":
        fixed.append("primary-db")
    if not fixed:
        return None
    return Hit(
        risk="medium",
        title="Spiky load on capacity sized for the peak",
        because=f.because("traffic_pattern", "compute_model", "database_engine"),
        action="Scale the application horizontally with the load and move the database to "
        "Aurora Serverless v2, so that quiet hours do not pay for the peak.",
        fixed_by=f.fix(fixed[0], "growth"),
        components=tuple(fixed),
    )


def one_database_for_everything(f: Facts) -> Hit | None:
    if f.has("nosql-db"):
        return None
    return Hit(
        risk="medium",
        title="One database for every access pattern",
        because=f.because("database_engine", "purpose_built_stores"),
        action="Move key-value and high-volume access patterns (sessions, carts, feeds) to a "
        "purpose-built store such as DynamoDB, and stop repeating joins for them.",
        fixed_by="nosql-db",
        components=("primary-db", "nosql-db"),
    )


def stateful_application(f: Facts) -> Hit | None:
    if f.values.get("stateless_app") is not False:
        return None
    cid = _primary_compute(f)
    scaled_out = cid is not None and f.params[cid]["max"] > 1
    if not (scaled_out or f.at_least("growth")):
        return None
    sticky = "load-balancer" in f.kinds
    return Hit(
        risk="high",
        title="Application keeps state on its instances"
        + (": sticky sessions and no auto scaling" if sticky and f.at_least("growth") else ""),
        because=f.because("stateless_app"),
        action="Keep sessions in ElastiCache or DynamoDB and files in S3, so that any instance "
        "can serve any request; then drop the load balancer's sticky sessions and let the fleet "
        "scale with the load (until then it is sized for the peak all day).",
        fixed_by=f.fix("object-storage", "growth"),
        components=tuple(c for c in (cid, "load-balancer", "app-cache", "object-storage") if c),
    )


def latency_for_distant_customers(f: Facts) -> Hit | None:
    geography = f.values["users_geography"]
    if geography == "one_region" or f.has("cdn"):
        return None
    return Hit(
        risk="high" if geography == "global" else "medium",
        title="High latency for distant customers",
        because=f.because("users_geography"),
        action="Serve static and cacheable content from CloudFront edge locations close to the "
        "customers.",
        fixed_by=f.fix("cdn", "growth"),
        components=("cdn", "object-storage"),
    )


def storage_beyond_service_limit(f: Facts) -> Hit | None:
    if not f.beyond_limits:
        return None
    because = f.because("db_storage_gb", "database_engine")
    if "key_value" in (f.values.get("purpose_built_stores") or ()):
        because += f.because("purpose_built_stores")
    return Hit(
        risk="high",
        title="Data beyond a service limit: " + "; ".join(what for _, what in f.beyond_limits),
        because=because,
        action="Change the design before the data gets there: shard the relational data over "
        "several databases (by customer or tenant), move to Aurora (128 TiB per cluster) or move "
        "bulky and key-value data to S3 or DynamoDB. The estimate prices the storage at the limit.",
        fixed_by="",
    )


def rpo_zero_not_met(f: Facts) -> Hit | None:
    if not f.rpo_shortfall:
        return None
    return Hit(
        risk="high",
        title="RPO 0 is not met by asynchronous replication",
        because=f.because("rpo_minutes", "database_engine"),
        action=f"{f.rpo_shortfall}. To lose nothing, keep the data that must not be lost in "
        "DynamoDB global tables with multi-Region strong consistency (Regions of one set: US, "
        "EU or Tokyo/Seoul/Osaka), or partition customers by home Region so that each "
        "customer's writes have one Region; otherwise agree an RPO of 1 minute.",
        fixed_by="",
    )


def latency_out_of_reach(f: Facts) -> Hit | None:
    target = f.values.get("latency_target_ms")
    if (
        "latency_target_ms" not in f.answered
        or target is None
        or target >= LATENCY_ONE_REGION_MS
        or f.values["users_geography"] == "one_region"
        or f.dr_strategy == "active_active"
    ):
        return None
    return Hit(
        risk="high" if f.values["users_geography"] == "global" else "medium",
        title=f"A {target:,} ms target cannot be met for distant customers from one region",
        because=f.because("latency_target_ms", "users_geography"),
        action="Serve static and cacheable responses from CloudFront, cache within the "
        "application, and serve dynamic requests from a region near each group of customers "
        "(active/active with Route 53 latency routing) — or agree a target distant customers "
        "can get.",
        fixed_by=f.fix("cdn", "growth") if not f.has("cdn") else "beyond",
        components=("cdn", "app-cache", "dns"),
    )


def static_content_on_servers(f: Facts) -> Hit | None:
    if f.has("cdn") or f.values["static_share"] < STATIC_WORTH_EDGE_PERCENT:
        return None
    compute = _primary_compute(f) or "app-function"
    return Hit(
        risk="medium",
        title=f"{f.values['static_share']:g}% of requests are static content served by the "
        "application",
        because=f.because("static_share"),
        action="Put images, scripts and downloads in S3 behind CloudFront, so that the servers "
        "only answer dynamic requests and customers get static content from a nearby edge.",
        fixed_by=f.fix("cdn", "growth"),
        components=(compute, "object-storage", "cdn"),
    )


def write_conflicts(f: Facts) -> Hit | None:
    if f.values.get("multi_region_writes") != "any_region":
        return None
    return Hit(
        risk="high",
        title="The same record can be written in two regions at once",
        because=f.because("multi_region_writes", "database_engine"),
        action="Give every customer a home region that takes their writes (Route 53 routing by "
        "customer, Aurora Global Database write forwarding to it), or keep multi-writer data in "
        "DynamoDB global tables and design each item for last-writer-wins.",
        fixed_by="",
        components=("primary-db", "dns"),
    )
