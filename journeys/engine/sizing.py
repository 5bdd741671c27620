"""The planner: sizes one stage's components from the resolved answers and assumptions.

Components are mutable drafts while the planner links them, applies the overrides and derives
their usage; they become frozen `Component`s at the very end. Every choice leaves a reason
sentence naming the answer or assumption behind it ("(launch default)" when nobody answered).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from journeys.engine.fmt import ceil_half, ceil_int, fmt, plural, tidy
from journeys.engine.inputs import select_dr_strategy
from journeys.engine.overrides import check_combination, clean_field, merge_range
from journeys.engine.rules import (
    AVAILABILITY_MULTI_AZ,
    AVAILABILITY_NO_SINGLE_AZ,
    READ_HEAVY_PERCENT,
    STAGES,
    format_value,
)
from journeys.engine.state import Component, InvalidOverride
from journeys.engine.tables import (
    AURORA_INSTANCE_CLASSES,
    AVAILABILITY_THREE_AZS,
    CACHE_NODE_MEMORY,
    CACHE_NODE_TYPES,
    DB_CLASS_SPECS,
    DB_INSTANCE_CLASSES,
    EBS_GB_PER_INSTANCE,
    FARGATE_LADDER,
    FARGATE_MEMORY_GB,
    GLOBAL,
    HOURS_PER_MONTH,
    INSTANCE_LADDER,
    INSTANCE_SPECS,
    KB_PER_GB,
    LAMBDA_DEFAULT_CONCURRENCY_QUOTA,
    MAX_ACU,
    MAX_FLEET_BEFORE_UPSIZE,
    MAX_READ_REPLICAS,
    MAX_TASKS_BEFORE_UPSIZE,
    MIN_ACU,
    RDS_MAX_STORAGE_GB,
    REGIONAL_AZS,
    REGISTRY_STORAGE_GB,
    SECONDS_PER_MONTH,
    STAGE_DB_FLOOR,
    STAGE_FARGATE_START,
    STAGE_INSTANCE_START,
    WAF_RULES,
)

# The components an application fleet talks to, in the order its links list them.
_APP_DEPENDENCIES = (
    "app-cache", "primary-db", "nosql-db", "object-storage", "event-bus", "events-topic",
    "nat-gateway",
)  # fmt: skip
_FLEETS = ("compute", "container_service")


@dataclass
class Draft:
    id: str
    kind: str
    label: str
    params: dict[str, Any]
    region: str
    azs: int
    links: list[str] = field(default_factory=list)
    usage: dict[str, float] = field(default_factory=dict)
    door: str = "two_way"
    reasons: list[str] = field(default_factory=list)
    overridden: tuple[str, ...] = ()

    def freeze(self) -> Component:
        return Component(
            id=self.id,
            kind=self.kind,
            label=self.label,
            params={k: tidy(v) if isinstance(v, float) else v for k, v in self.params.items()},
            region=self.region,
            azs=self.azs,
            links=tuple(dict.fromkeys(self.links)),
            usage={k: tidy(v) for k, v in self.usage.items()},
            door=self.door,
            reasons=tuple(self.reasons),
            overridden=self.overridden,
        )


class Planner:
    """One stage's sizing. Attributes hold the load figures so that each component's method
    reads as the sentence it explains."""

    def __init__(
        self,
        stage: str,
        values: dict[str, Any],
        answered: frozenset[str],
        a: Mapping[str, float],
        region: str,
        dr_region: str,
        overrides: Mapping[str, Mapping[str, Any]],
    ) -> None:
        v = values
        self.stage, self.si, self.v, self.answered, self.a = (
            stage, STAGES.index(stage), values, answered, a,
        )  # fmt: skip
        self.region, self.dr_region = region, dr_region
        self.ov = overrides
        self.drafts: dict[str, Draft] = {}

        # Placement: the talk's growth stage brings multiple AZs; the availability target can
        # demand them earlier, and three once a regional failure is in scope.
        self.availability = float(v["availability_target"])
        self.multi_az = self.availability >= AVAILABILITY_MULTI_AZ or self.si >= 1
        three = self.si >= 2 or self.availability >= AVAILABILITY_THREE_AZS
        self.az_count = (3 if three else 2) if self.multi_az else 1

        # Which moves of the talk this stage makes.
        self.model = v["compute_model"]
        self.compute_id = {"vms": "web-asg", "containers": "app-service"}.get(
            self.model, "app-function"
        )
        engine = v["database_engine"]
        self.nosql_primary = engine == "dynamodb"
        self.purpose_built = not self.nosql_primary and bool(v["purpose_built_db"])
        self.serverless_db = engine.startswith("aurora") and v["traffic_pattern"] == "spiky"
        self.edge = self.si >= 1 or v["users_geography"] == "global"
        self.api = self.model == "serverless" or self.si >= 2
        read_heavy = v["read_ratio"] >= READ_HEAVY_PERCENT
        uses_cache = v["uses_cache"]
        auto_cache = self.si >= 3 or (self.si >= 1 and read_heavy)
        self.cache = auto_cache if uses_cache is None else uses_cache
        self.replicas_wanted = self.si >= 1 and read_heavy
        self.strategy, self.rejected = select_dr_strategy(
            v["rpo_minutes"], v["rto_minutes"], v["availability_target"]
        )
        self.with_dr = self.si >= 2 or self.strategy != "backup_restore"

        # Load, per second at peak or on average, or per month.
        self.peak_factor = a[f"peak_factor_{v['traffic_pattern']}"]
        self.peak = v["peak_rps"]
        self.avg = self.peak / self.peak_factor
        self.monthly = self.avg * SECONDS_PER_MONTH
        self.static = v["static_share"] / 100 if self.edge else 0.0
        self.app_peak = self.peak * (1 - self.static)
        self.app_avg = self.avg * (1 - self.static)
        self.app_monthly = self.monthly * (1 - self.static)
        self.egress_gb = self.monthly * v["avg_response_kb"] / KB_PER_GB
        self.read = v["read_ratio"] / 100
        self.peak_share = min(1.0, a["peak_hours_per_day"] / 24)
        self.async_events = self.app_monthly * (1 - self.read)
        q = a["db_queries_per_request"]
        self.nosql_share = 1.0 if self.nosql_primary else 0.0
        if self.purpose_built:
            self.nosql_share = a["purpose_built_share"]
        self.db_monthly_ops = self.app_monthly * q
        relational = 1 - self.nosql_share
        hit = a["cache_hit_ratio"] if self.cache else 0.0
        self.reads_peak = self.app_peak * q * relational * self.read * (1 - hit)
        self.writes_peak = self.app_peak * q * relational * (1 - self.read)
        self.reads_avg = self.app_avg * q * relational * self.read * (1 - hit)
        self.writes_avg = self.app_avg * q * relational * (1 - self.read)
        self.working_set_gb = v["db_storage_gb"] * a["working_set_share"]

    # -- helpers ------------------------------------------------------------------------------

    def src(self, qid: str) -> str:
        return "" if qid in self.answered else f" ({self.stage} default)"

    def new(self, cid: str, kind: str, label: str, params: dict[str, Any], **kw: Any) -> Draft:
        """A draft in the primary region, spread over its AZs unless told otherwise."""
        kw.setdefault("region", self.region)
        kw.setdefault("azs", REGIONAL_AZS)
        draft = Draft(cid, kind, label, params, **kw)
        self.drafts[cid] = draft
        return draft

    def pins(self, cid: str, kind: str) -> dict[str, Any]:
        """The overrides of one component, each cleaned (InvalidOverride on the first bad one)."""
        given = self.ov.get(cid, {})
        return {p: clean_field(cid, kind, p, given[p]) for p in sorted(given)}

    def entry(self) -> str:
        """The regional component that the edge (CloudFront or Route 53) sends requests to."""
        if self.api:
            return "api-gateway"
        return "load-balancer" if self.lb else self.compute_id

    # -- the stage ----------------------------------------------------------------------------

    def primaries(self) -> list[Draft]:
        """The primary region's drafts (and the global ones) in their stable order, linked."""
        v = self.v
        compute = self._compute()
        # The fleet's overrides decide whether it needs a load balancer and NAT in each AZ.
        self._apply_overrides(compute)
        fleet = compute.params.get("max", 1)
        waf_needs_lb = v["l7_protection"] == "waf" and not self.edge and not self.api
        self.lb = self.model != "serverless" and (
            self.si >= 1 or self.model == "containers" or fleet > 1 or waf_needs_lb
        )
        # Instances in private subnets, or Lambda inside the VPC to reach the database, need NAT.
        self.nat = self.lb if self.model != "serverless" else not self.nosql_primary
        if self.nosql_primary:
            data = [self._nosql("primary")]
        else:
            data = [self._serverless_db() if self.serverless_db else self._relational_db()]
        if self.purpose_built:
            data.append(self._nosql("purpose-built"))

        # The request path from the edge inwards, then data, then operations.
        order = [self._dns()]
        order += [self._waf()] if v["l7_protection"] == "waf" else []
        order += [self._cdn(), self._object_storage()] if self.edge else []
        order += [self._api_gateway()] if self.api else []
        order += [self._load_balancer()] if self.lb else []
        order += [compute]
        order += [self._cache()] if self.cache else []
        order += data
        order += [self._identity()] if v["customer_identity"] == "managed" else []
        order += self._async() if v["async_processing"] else []
        order += [self._nat()] if self.nat else []
        order += [self._cicd()] if v["release_process"] == "ci_cd" else []
        order += [self._monitoring()] if v["monitoring"] != "none" else []
        order += [self._backup()]
        self.drafts = {d.id: d for d in order}
        self._link()
        return order

    def finish(self, order: list[Draft]) -> None:
        """Apply the overrides and derive the usage of every draft, DR ones included."""
        for draft in order:
            if not draft.overridden:
                self._apply_overrides(draft)
            self._update_usage(draft)
        if not self.edge:  # data out is billed where it leaves: the edge, or the entry point
            self.drafts[self.entry()].usage["data_transfer_out_gb"] = self.egress_gb

    # -- compute ------------------------------------------------------------------------------

    def _compute(self) -> Draft:
        if self.model == "serverless":
            return self._function()
        vms = self.model == "vms"
        cid, kind = ("web-asg", "compute") if vms else ("app-service", "container_service")
        pins = self.pins(cid, kind)
        azs = pins.get("azs", self.az_count)
        auto = self.si >= 1
        reasons: list[str] = []
        if vms:
            ladder, start = INSTANCE_LADDER, STAGE_INSTANCE_START[self.stage]
            limit, per = MAX_FLEET_BEFORE_UPSIZE, self.a["rps_per_instance"]
        else:
            ladder, start = FARGATE_LADDER, STAGE_FARGATE_START[self.stage]
            limit, per = MAX_TASKS_BEFORE_UPSIZE, self.a["rps_per_task"]

        def capacity(size: Any) -> float:
            return per * (INSTANCE_SPECS[size][2] if vms else size)

        def name(size: Any) -> str:
            return size if vms else f"{fmt(size)}-vCPU task"

        size_key = "instance_type" if vms else "vcpu"
        if size_key in pins:
            size = pins[size_key]
        else:
            # Climb the ladder until the fleet is small enough to run comfortably.
            fitting = (s for s in ladder[start:] if ceil_int(self.app_peak / capacity(s)) <= limit)
            size = next(fitting, ladder[-1])
            if size != ladder[start]:
                what = "instances" if vms else "tasks"
                reasons.append(f"{name(size)} chosen: smaller sizes need more than {limit} {what}")
        cap = capacity(size)
        n = max(1, ceil_int(self.app_peak / cap))
        count = max(n + 1, azs) if azs > 1 else n
        sizing = f"peak {fmt(self.app_peak)} req/s at ~{fmt(cap)} req/s per {name(size)} ⇒ {n}"
        unit = "instance" if vms else "task"
        sizing += f", {count} with N+1 over {azs} AZs" if azs > 1 else f" {unit}" + "s" * (n > 1)
        reasons.insert(0, sizing)
        if auto:
            base = max(1, ceil_int(self.app_avg / cap))
            base = max(base + 1, azs) if azs > 1 else base
            lo, hi = min(base, count), max(count + 1, ceil_int(count * 1.5))
            reasons.append(
                f"baseline {fmt(self.app_avg)} req/s (peak ÷ peak factor {fmt(self.peak_factor)})"
                f" ⇒ min {lo}; max {hi} leaves room above the estimated peak"
            )
        else:
            lo = hi = count
            reasons.append("sized by hand for the peak: no automatic scaling at this stage")
        reasons += [self._az_reason(azs, "azs" in pins), *self._load_reasons()]
        model = f"compute_model={self.model}{self.src('compute_model')}"
        if vms:
            label = "EC2 Auto Scaling group" if auto else "EC2 instance" + "s" * (count > 1)
            params: dict[str, Any] = {"instance_type": size, "count": count, "min": lo, "max": hi}
            reasons.insert(0, f"the application runs on EC2 ({model})")
        else:
            label = "ECS service on Fargate"
            memory = pins.get("memory_gb", FARGATE_MEMORY_GB[size][0])
            params = {"vcpu": size, "memory_gb": memory, "tasks": count, "min": lo, "max": hi}
            reasons.insert(0, f"features run as containers on ECS with Fargate ({model})")
        params["auto_scaling"] = auto
        return self.new(cid, kind, label, params, azs=azs, reasons=reasons)

    def _az_reason(self, azs: int, pinned: bool) -> str:
        if pinned:
            return f"{plural(azs, 'AZ')} set by override"
        target = f"availability_target {self.v['availability_target']}"
        where = "one AZ" if azs == 1 else f"{azs} AZs"
        return f"{target}{self.src('availability_target')} at stage {self.stage} ⇒ {where}"

    def _load_reasons(self) -> list[str]:
        v, reasons = self.v, []
        if "peak_rps" not in self.answered:
            reasons.append(
                f"peak_rps {fmt(self.peak)} is derived: {v['customers']:,} customers × "
                f"{fmt(self.a['requests_per_customer_per_month'])} requests/month ÷ "
                f"{SECONDS_PER_MONTH:,} s × peak factor {fmt(self.peak_factor)} "
                f"({v['traffic_pattern']})"
            )
        if self.static:
            reasons.append(
                f"{fmt(v['static_share'])}% static share{self.src('static_share')} served by "
                f"CloudFront and S3: of {fmt(self.peak)} req/s, {fmt(self.app_peak)} reach "
                "the application"
            )
        return reasons

    def _function(self) -> Draft:
        pins = self.pins("app-function", "function")
        memory = pins.get("memory_mb", int(self.a["lambda_memory_mb"]))
        ms = self.a["lambda_avg_ms"]
        concurrency = max(1, ceil_int(self.app_peak * ms / 1000))
        reasons = [
            f"the application runs on AWS Lambda (compute_model=serverless"
            f"{self.src('compute_model')}): it scales per request and costs nothing idle",
            f"peak {fmt(self.app_peak)} req/s × {fmt(ms)} ms ⇒ {concurrency} concurrent executions",
        ]
        if concurrency > LAMBDA_DEFAULT_CONCURRENCY_QUOTA:
            reasons.append(
                f"above the default {LAMBDA_DEFAULT_CONCURRENCY_QUOTA:,} concurrent executions "
                "of an account: request a quota increase"
            )
        reasons += self._load_reasons()
        params = {"memory_mb": memory, "avg_ms": ms, "concurrency": concurrency}
        return self.new("app-function", "function", "Lambda function", params, reasons=reasons)

    # -- data ---------------------------------------------------------------------------------

    def _default_note(self, qid: str) -> str:
        if qid in self.answered:
            return ""
        per = "db_gb_per_customer" if qid == "db_storage_gb" else "object_gb_per_customer"
        return f" (derived: {self.v['customers']:,} customers × {fmt(self.a[per])} GB)"

    def _relational_db(self) -> Draft:
        pins = self.pins("primary-db", "relational_db")
        engine = pins.get("engine", self.v["database_engine"])
        aurora = engine.startswith("aurora")
        multi_az = pins.get("multi_az", self.multi_az)
        wanted = self.replicas_wanted or "read_replicas" in pins
        choice, replicas, why = self._db_class(engine, wanted, pins.get("instance_class"))
        reasons = [
            f"the primary store is {engine} (database_engine={self.v['database_engine']}"
            f"{self.src('database_engine')}); engine and data model are a one-way door",
            why,
        ]
        if aurora and multi_az and replicas == 0:
            replicas = 1
            reasons.append("Aurora is Multi-AZ through a replica in a second AZ ⇒ 1 replica")
        data = self.v["db_storage_gb"]
        if "storage_gb" in pins:
            storage, how = pins["storage_gb"], "set by override"
        elif aurora:
            storage, how = max(1, ceil_int(data)), "billed as used"
        else:
            headroom = self.a["storage_headroom"]
            storage = min(RDS_MAX_STORAGE_GB, max(20, ceil_int(data * headroom)))
            how = f"provisioned (× {fmt(headroom)}, min 20)"
        reasons.append(
            f"data {fmt(data)} GB{self._default_note('db_storage_gb')} ⇒ {storage:,} GB {how}"
        )
        reasons.append(
            ("Multi-AZ: " if multi_az else "single-AZ: ")
            + self._az_reason(2 if multi_az else 1, "multi_az" in pins)
        )
        params = {
            "engine": engine,
            "instance_class": choice,
            "multi_az": multi_az,
            "read_replicas": replicas,
            "storage_gb": storage,
        }
        label = "Aurora cluster" if aurora else "RDS database"
        return self.new(
            "primary-db", "relational_db", label, params, azs=1, door="one_way", reasons=reasons
        )

    def _db_class(self, engine: str, wanted: bool, pinned: str | None) -> tuple[str, int, str]:
        """The cheapest class that carries the writes (and the reads unless replicas take them)
        and holds the working set in memory; replicas from the reads that reach the database."""
        floor_memory, burstable = STAGE_DB_FLOOR[self.stage]
        memory_needed = max(self.working_set_gb, floor_memory)
        load = (
            f"peak {fmt(self.writes_peak)} writes/s and {fmt(self.reads_peak)} reads/s reach "
            "the database"
        )
        if self.cache:
            load += f" after the cache (hit ratio {fmt(self.a['cache_hit_ratio'])})"

        def fits(name: str) -> tuple[bool, int]:
            qps = DB_CLASS_SPECS[name][2]
            if wanted:
                replicas = max(1, ceil_int(self.reads_peak / qps))
                return self.writes_peak <= qps and replicas <= MAX_READ_REPLICAS, replicas
            return self.writes_peak + self.reads_peak <= qps, 0

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

    def _serverless_db(self) -> Draft:
        pins = self.pins("primary-db", "serverless_db")
        engine = pins.get("engine", self.v["database_engine"])
        multi_az = pins.get("multi_az", self.multi_az)
        per_acu = self.a["db_qps_per_acu"]
        peak_load = self.writes_peak + self.reads_peak
        # One ACU is about 2 GiB of memory: the working set sets a floor on the maximum.
        needed = max(peak_load / per_acu, self.working_set_gb / 2)
        high = min(MAX_ACU, max(MIN_ACU, ceil_half(needed)))
        low = min(high, max(MIN_ACU, ceil_half((self.writes_avg + self.reads_avg) / per_acu)))
        low, high = pins.get("min_acu", low), pins.get("max_acu", high)
        reasons = [
            f"spiky load (traffic_pattern=spiky{self.src('traffic_pattern')}) on {engine}: "
            "Aurora Serverless v2 follows the load instead of paying for the peak all day",
            f"peak {fmt(peak_load)} ops/s ÷ ~{fmt(per_acu)} ops/s per ACU ⇒ max {fmt(high)} "
            f"ACU; the average ⇒ min {fmt(low)} ACU",
            ("Multi-AZ, a reader in a second AZ: " if multi_az else "single-AZ: ")
            + self._az_reason(2 if multi_az else 1, "multi_az" in pins),
        ]
        params = {
            "engine": engine,
            "min_acu": low,
            "max_acu": high,
            "multi_az": multi_az,
            "read_replicas": 1 if multi_az or self.replicas_wanted else 0,
            "storage_gb": max(1, ceil_int(self.v["db_storage_gb"])),
        }
        label = "Aurora Serverless v2 cluster"
        return self.new(
            "primary-db", "serverless_db", label, params, azs=1, door="one_way", reasons=reasons
        )

    def _nosql(self, role: str) -> Draft:
        ops = self.db_monthly_ops * self.nosql_share
        if self.nosql_primary:
            why = (
                f"the primary store is DynamoDB (database_engine=dynamodb"
                f"{self.src('database_engine')}); its data model is a one-way door"
            )
        else:
            why = (
                f"a purpose-built store takes the key-value access patterns (purpose_built_db="
                f"{format_value(self.v['purpose_built_db'])}{self.src('purpose_built_db')}): "
                f"{fmt(self.nosql_share * 100)}% of the database operations"
            )
        params = {
            "engine": "dynamodb",
            "role": role,
            "capacity_mode": "on_demand",
            "point_in_time_recovery": True,
        }
        usage = {
            "read_request_units": ops * self.read,
            "write_request_units": ops * (1 - self.read),
            "storage_gb": self.v["db_storage_gb"] * self.nosql_share,
        }
        units = "on-demand capacity: one request unit per read (≤ 4 KB) or write (≤ 1 KB)"
        return self.new(
            "nosql-db",
            "nosql_db",
            "DynamoDB table",
            params,
            usage=usage,
            door="one_way",
            reasons=[why, units],
        )

    def _cache(self) -> Draft:
        pins = self.pins("app-cache", "cache")
        ws = max(self.working_set_gb, 0.1)
        if "node_type" in pins:
            node = pins["node_type"]
        else:
            fitting = (n for n in CACHE_NODE_TYPES if CACHE_NODE_MEMORY[n] >= ws)
            node = next(fitting, CACHE_NODE_TYPES[-1])
        shards = max(1, ceil_int(ws / CACHE_NODE_MEMORY[node]))
        per_shard = 2 if self.multi_az else 1
        if self.v["uses_cache"] is not None:
            why = f"uses_cache={format_value(self.v['uses_cache'])}"
        elif self.si >= 3:
            why = "the talk's last stage caches within the application"
        else:
            why = (
                f"read_ratio {fmt(self.v['read_ratio'])}%{self.src('read_ratio')} ≥ "
                f"{READ_HEAVY_PERCENT}%: reads are worth caching"
            )
        sizing = (
            f"working set {fmt(ws)} GB (data × {fmt(self.a['working_set_share'])}) on {node} "
            f"({fmt(CACHE_NODE_MEMORY[node])} GiB) ⇒ {plural(shards, 'shard')}"
        )
        sizing += ", each with a replica in another AZ" if per_shard == 2 else ""
        params = {
            "engine": "redis",
            "node_type": node,
            "nodes": shards * per_shard,
            "multi_az": self.multi_az,
        }
        return self.new(
            "app-cache", "cache", "ElastiCache cluster", params, azs=1, reasons=[why, sizing]
        )

    # -- the edge -----------------------------------------------------------------------------

    def _dns(self) -> Draft:
        failover = {"pilot_light": "failover", "warm_standby": "failover"}
        routing = {**failover, "active_active": "latency"}.get(self.strategy, "simple")
        routing = routing if self.with_dr else "simple"
        checks = 0 if routing == "simple" else 2
        usage = {
            "hosted_zones": 1,
            "queries": self.v["customers"] * self.a["dns_queries_per_customer_per_month"],
            "health_checks": checks,
        }
        reasons = ["Route 53 hosted zone for the workload's domain"]
        if checks:
            reasons.append(
                f"{routing} routing with health checks can send customers to {self.dr_region}"
            )
        params = {"routing": routing, "health_checks": checks}
        return self.new(
            "dns",
            "dns",
            "Route 53 hosted zone",
            params,
            region=GLOBAL,
            azs=0,
            usage=usage,
            reasons=reasons,
        )

    def _waf(self) -> Draft:
        target = "cdn" if self.edge else ("api-gateway" if self.api else "load-balancer")
        usage = {
            "web_acls": 1,
            "rules": WAF_RULES,
            "requests": self.monthly if self.edge else self.app_monthly,
        }
        reasons = [
            f"l7_protection=waf{self.src('l7_protection')}: managed rule groups and a rate-based "
            f"rule on {target}"
        ]
        params = {"attached_to": target, "rules": WAF_RULES}
        place = {"region": GLOBAL, "azs": 0} if target == "cdn" else {}
        return self.new(
            "waf",
            "waf",
            "AWS WAF web ACL",
            params,
            links=[target],
            usage=usage,
            reasons=reasons,
            **place,
        )

    def _cdn(self) -> Draft:
        params = {
            "price_class": (
                "PriceClass_All" if self.v["users_geography"] == "global" else "PriceClass_100"
            ),
            "caches": "static and API responses" if self.si >= 3 else "static content",
        }
        if self.si >= 1:
            why = f"stage {self.stage}: objects and static content move to S3 behind CloudFront"
        else:
            why = f"users_geography=global{self.src('users_geography')}: edges near customers"
        reasons = [
            why,
            f"{fmt(self.monthly)} requests/month × {fmt(self.v['avg_response_kb'])} KB"
            f"{self.src('avg_response_kb')} ⇒ {fmt(self.egress_gb)} GB out",
        ]
        usage = {"requests": self.monthly, "data_transfer_out_gb": self.egress_gb}
        links = ["object-storage", self.entry()]
        return self.new(
            "cdn",
            "cdn",
            "CloudFront distribution",
            params,
            region=GLOBAL,
            azs=0,
            links=links,
            usage=usage,
            reasons=reasons,
        )

    def _object_storage(self) -> Draft:
        hit = self.a["cdn_hit_ratio"]
        stored = self.v["object_storage_gb"]
        usage = {
            "storage_gb": stored,
            "requests_get": self.monthly * self.static * (1 - hit),
            "requests_put": self.async_events * self.a["object_puts_per_write"],
            "data_transfer_out_gb": 0,
        }
        reasons = [
            "files and static content in S3 keep the application stateless; "
            f"{fmt(stored)} GB stored{self._default_note('object_storage_gb')}",
            f"CloudFront answers {fmt(hit * 100)}% of static requests from its cache; S3 to "
            "CloudFront transfer is free",
        ]
        params = {"storage_class": "STANDARD", "versioning": self.with_dr}
        return self.new(
            "object-storage", "object_storage", "S3 bucket", params, usage=usage, reasons=reasons
        )

    def _api_gateway(self) -> Draft:
        serverless = self.model == "serverless"
        why = (
            "Lambda is invoked through API Gateway"
            if serverless
            else f"stage {self.stage}: a managed API service routes traffic to the application"
        )
        reasons = [why, f"{fmt(self.app_monthly)} requests/month reach the API"]
        links = [self.compute_id if serverless else "load-balancer"]
        usage = {"requests": self.app_monthly}
        return self.new(
            "api-gateway",
            "api_gateway",
            "API Gateway REST API",
            {"api_type": "rest"},
            links=links,
            usage=usage,
            reasons=reasons,
        )

    def _load_balancer(self) -> Draft:
        gb_per_hour = self.app_monthly * self.v["avg_response_kb"] / KB_PER_GB / HOURS_PER_MONTH
        # An LCU is 25 new connections/s or 1 GB/h; one connection per request is the safe side.
        lcu = max(self.app_avg / 25, gb_per_hour)
        usage = {"hours": HOURS_PER_MONTH, "lcu_hours": lcu * HOURS_PER_MONTH}
        reasons = [
            "an Application Load Balancer spreads requests over the instances and AZs",
            f"LCU ≈ max(average {fmt(self.app_avg)} req/s ÷ 25 new connections/s, "
            f"{fmt(gb_per_hour)} GB/h processed) = {fmt(lcu)}",
        ]
        azs = max(2, self.drafts[self.compute_id].azs)  # an ALB always spans two AZs at least
        params = {"scheme": "internet-facing"}
        return self.new(
            "load-balancer",
            "load_balancer",
            "Application Load Balancer",
            params,
            azs=azs,
            links=[self.compute_id],
            usage=usage,
            reasons=reasons,
        )

    # -- around the application ---------------------------------------------------------------

    def _identity(self) -> Draft:
        customers = self.v["customers"]
        reasons = [
            f"customer_identity=managed{self.src('customer_identity')}: customers sign in "
            "through a Cognito user pool; the identity provider is a one-way door",
            f"{customers:,} monthly active users (customers{self.src('customers')})",
        ]
        params = {"service": "cognito"}
        return self.new(
            "identity",
            "identity",
            "Cognito user pool",
            params,
            usage={"mau": customers},
            door="one_way",
            reasons=reasons,
        )

    def _async(self) -> list[Draft]:
        events = self.async_events
        why = (
            f"async_processing=yes{self.src('async_processing')}: features hand work over "
            "through events"
        )
        sizing = f"{fmt(events)} write requests/month become events"
        ms, memory = self.a["lambda_avg_ms"], int(self.a["lambda_memory_mb"])
        per_s = self.app_peak * (1 - self.read)
        concurrency = max(1, ceil_int(per_s * ms / 1000))
        worker = {"memory_mb": memory, "avg_ms": ms, "concurrency": concurrency}
        store = "primary-db" if "primary-db" in self.drafts else "nosql-db"
        return [
            self.new(
                "event-bus",
                "event_bus",
                "EventBridge event bus",
                {},
                links=["queue"],
                usage={"events": events},
                reasons=[why, sizing],
            ),
            self.new(
                "events-topic",
                "topic",
                "SNS topic",
                {},
                links=["queue"],
                usage={"publishes": events, "deliveries": events},
                reasons=[why, sizing],
            ),
            self.new(
                "queue",
                "queue",
                "SQS queue",
                {"type": "standard"},
                links=["worker-function"],
                usage={"requests": events * 3},
                reasons=[why, f"{sizing}; send, receive and delete ⇒ 3 requests each"],
            ),
            self.new(
                "worker-function",
                "function",
                "Lambda worker",
                worker,
                links=[store],
                reasons=[why, f"peak {fmt(per_s)} events/s × {fmt(ms)} ms ⇒ {concurrency} at once"],
            ),
        ]

    def _nat(self) -> Draft:
        pins = self.pins("nat-gateway", "nat_gateway")
        fleet_azs = (
            self.drafts[self.compute_id].azs if self.model != "serverless" else self.az_count
        )
        per_az = self.si >= 2 or self.availability >= AVAILABILITY_NO_SINGLE_AZ
        count = pins.get("count", fleet_azs if per_az else 1)
        reasons = [
            "instances in private subnets reach the internet through NAT",
            "one per AZ, so that an AZ failure does not cut the others off"
            if per_az
            else "one NAT gateway: cheaper, at the price of one AZ's dependency",
        ]
        return self.new(
            "nat-gateway",
            "nat_gateway",
            "NAT gateway",
            {"count": count},
            azs=count,
            reasons=reasons,
        )

    def _cicd(self) -> Draft:
        builds, minutes = self.a["builds_per_month"], self.a["build_minutes_per_build"]
        usage = {
            "pipelines": 1,
            "build_minutes": builds * minutes,
            "registry_storage_gb": REGISTRY_STORAGE_GB,
        }
        reasons = [
            f"release_process=ci_cd{self.src('release_process')}: build on commit, image to "
            "ECR, artifacts in S3, deploy",
            f"{fmt(builds)} builds × {fmt(minutes)} min ⇒ {fmt(builds * minutes)} build minutes",
        ]
        params = {"pipeline": "CodePipeline", "build": "CodeBuild", "registry": "ECR"}
        return self.new(
            "cicd",
            "cicd",
            "CI/CD pipeline",
            params,
            links=[self.compute_id],
            usage=usage,
            reasons=reasons,
        )

    def _monitoring(self) -> Draft:
        level = self.v["monitoring"]
        per_request = self.a["log_kb_per_request"]
        logs = self.app_monthly * per_request / KB_PER_GB
        usage: dict[str, float] = {"dashboards": 1, "alarms": 10, "log_ingest_gb": logs}
        reasons = [
            f"monitoring={level}{self.src('monitoring')}: CloudWatch metrics, logs and alarms",
            f"{fmt(self.app_monthly)} requests × {fmt(per_request)} KB ⇒ {fmt(logs)} GB of logs",
        ]
        if level == "full":
            traces = self.app_monthly * self.a["trace_sample_rate"]
            usage.update({"dashboards": 3, "alarms": 30, "custom_metrics": 50, "traces": traces})
            reasons.append(f"X-Ray traces {fmt(self.a['trace_sample_rate'] * 100)}% of requests")
        return self.new(
            "monitoring", "monitoring", "CloudWatch", {"level": level}, usage=usage, reasons=reasons
        )

    def _backup(self) -> Draft:
        storage = self.v["db_storage_gb"]
        if not self.edge:
            storage += self.v["object_storage_gb"]  # files still live on the instance's volume
        retention = 7 if self.si == 0 else 35
        reasons = [
            f"automated backups kept {retention} days: point-in-time restore within the region",
            f"{fmt(storage)} GB of data to protect",
        ]
        if not self.with_dr:
            reasons.append(f"copies to {self.dr_region} start at stage scale")
        params = {"retention_days": retention, "copies_to": self.dr_region if self.with_dr else ""}
        return self.new(
            "backup",
            "backup",
            "AWS Backup plan",
            params,
            usage={"storage_gb": storage},
            reasons=reasons,
        )

    # -- links, overrides, usage --------------------------------------------------------------

    def _link(self) -> None:
        d = self.drafts
        d["dns"].links = ["cdn" if self.edge else self.entry()]
        compute = d[self.compute_id]
        if "identity" in d:
            # API Gateway checks tokens itself; otherwise the application does.
            (d["api-gateway"] if self.api else compute).links.append("identity")
        compute.links += [cid for cid in _APP_DEPENDENCIES if cid in d]
        for cid in ("primary-db", "nosql-db"):
            if cid in d:
                d[cid].links.append("backup")

    def _apply_overrides(self, d: Draft) -> None:
        """Overrides win; what the engine chose moves to make room, or InvalidOverride."""
        if not self.ov.get(d.id):
            return
        pins = self.pins(d.id, d.kind)
        p = d.params
        count_key = "tasks" if d.kind == "container_service" else "count"
        if d.kind in _FLEETS:
            merge_range(p, pins, count_key)
            if not p["auto_scaling"] and not {"min", "max"} & pins.keys():
                p["min"] = p["max"] = p[count_key]  # a fleet sized by hand stays fixed
            # AZs are the component's placement, not a param; min/count/max are merged above.
            p.update({k: v for k, v in pins.items() if k not in ("min", "max", count_key, "azs")})
            d.azs = pins.get("azs", d.azs)
            if d.azs > p[count_key]:
                check_combination(d.id, d.kind, {**p, "azs": d.azs}, pins)
                d.azs = max(1, p[count_key])  # fewer instances than AZs: fewer AZs
        else:
            p.update(pins)
        if d.kind == "cache":
            p["multi_az"] = bool(p["multi_az"] and p["nodes"] >= 2)
        elif d.kind == "relational_db" and p["engine"].startswith("aurora"):
            if p["multi_az"] and p["read_replicas"] == 0:
                if "multi_az" in pins and "read_replicas" in pins:
                    message = "Aurora is Multi-AZ only with at least one replica"
                    raise InvalidOverride(d.id, "read_replicas", message)
                if "read_replicas" in pins:
                    p["multi_az"] = False
                else:
                    p["read_replicas"] = 1
        elif d.kind == "serverless_db":
            if "min_acu" not in pins:
                p["min_acu"] = min(p["min_acu"], p["max_acu"])
            if "max_acu" not in pins:
                p["max_acu"] = max(p["min_acu"], p["max_acu"])
            if p["multi_az"]:
                p["read_replicas"] = max(1, p["read_replicas"])
        elif d.kind == "nat_gateway":
            d.azs = p["count"]
        check_combination(d.id, d.kind, p, pins)
        d.overridden = tuple(sorted(pins))
        shown = ", ".join(f"{k}={format_value(v)}" for k, v in sorted(pins.items()))
        d.reasons.append(f"overridden: {shown}")

    def _update_usage(self, d: Draft) -> None:
        """The usage that follows from the final params, after overrides."""
        p, dr = d.params, d.id.startswith("dr-")
        if d.kind in _FLEETS:
            count = p["count"] if d.kind == "compute" else p["tasks"]
            # Baseline all day, the peak size for the peak hours.
            avg = p["min"] + (count - p["min"]) * self.peak_share
            if d.kind == "compute":
                ebs = avg * EBS_GB_PER_INSTANCE
                ebs += self.v["object_storage_gb"] if not self.edge and not dr else 0
                d.usage.update({"instance_hours": avg * HOURS_PER_MONTH, "ebs_gb": ebs})
            else:
                hours = avg * HOURS_PER_MONTH
                d.usage.update(
                    {"vcpu_hours": hours * p["vcpu"], "memory_gb_hours": hours * p["memory_gb"]}
                )
        elif d.kind == "function" and "requests" not in d.usage:
            worker = d.id.endswith("worker-function")
            requests = self.async_events if worker else self.app_monthly
            seconds = requests * p["avg_ms"] / 1000
            d.usage.update({"requests": requests, "gb_seconds": seconds * p["memory_mb"] / 1024})
        elif d.kind == "relational_db":
            aurora = p["engine"].startswith("aurora")
            spread = min(self.az_count, 1 + p["read_replicas"]) if aurora else 2
            d.azs = max(2, spread) if p["multi_az"] else 1
            standby = HOURS_PER_MONTH if p["multi_az"] and not aurora else 0
            d.usage.update(
                {
                    "instance_hours": HOURS_PER_MONTH,
                    "standby_instance_hours": standby,
                    "replica_instance_hours": p["read_replicas"] * HOURS_PER_MONTH,
                    "storage_gb": p["storage_gb"],
                }
            )
            if aurora:
                d.usage.setdefault("io_requests", self._write_ios())
        elif d.kind == "serverless_db":
            d.azs = 2 if p["multi_az"] else 1
            avg_acu = p["min_acu"] + (p["max_acu"] - p["min_acu"]) * self.peak_share
            acu_hours = avg_acu * (1 + p["read_replicas"]) * HOURS_PER_MONTH
            d.usage.update({"acu_hours": acu_hours, "storage_gb": p["storage_gb"]})
            d.usage.setdefault("io_requests", self._write_ios())
        elif d.kind == "cache":
            d.azs = min(self.az_count, p["nodes"]) if p["multi_az"] else 1
            d.usage["node_hours"] = p["nodes"] * HOURS_PER_MONTH
        elif d.kind == "nat_gateway":
            processed = 0 if dr else self.egress_gb * self.a["nat_traffic_share"]
            d.usage.update(
                {"nat_hours": p["count"] * HOURS_PER_MONTH, "data_processed_gb": processed}
            )

    def _write_ios(self) -> float:
        # Aurora reads come from the buffer pool; each write costs about one I/O.
        return self.db_monthly_ops * (1 - self.read) * (1 - self.nosql_share)
