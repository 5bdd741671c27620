"""The state every component builder shares: the stage's load figures, and drafts.

Components are mutable drafts while the planner links them, applies the overrides and derives
their usage; they become frozen `Component`s at the very end. Every choice leaves a reason
sentence naming the answer or assumption behind it ("(launch default)" when nobody answered).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from journeys.engine.fmt import fmt, plural, tidy
from journeys.engine.inputs import select_dr_strategy
from journeys.engine.overrides import clean_field
from journeys.engine.state import Component
from journeys.engine.tables import (
    AVAILABILITY_MULTI_AZ,
    AVAILABILITY_THREE_AZS,
    DR_STRATEGIES,
    KB_PER_GB,
    LATENCY_CACHE_MS,
    LATENCY_EDGE_MS,
    READ_HEAVY_PERCENT,
    REGIONAL_AZS,
    SECONDS_PER_MONTH,
)
from journeys.vocabulary import STAGES


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


class Plan:
    """One stage's sizing: the load figures, from which each component's builder reads as the
    sentence it explains. `Planner` drives the builders; they share this state."""

    # Set by the planner once the compute is sized: both depend on the fleet's overrides.
    lb: bool
    nat: bool

    def __init__(
        self,
        stage: str,
        values: dict[str, Any],
        answered: frozenset[str],
        a: Mapping[str, float],
        region: str,
        dr_region: str,
        overrides: Mapping[str, Mapping[str, Any]],
        sources: Mapping[str, str] | None = None,
        *,
        recovery_why: str = "",
    ) -> None:
        v = values
        self.stage, self.si, self.v, self.answered, self.a = (
            stage, STAGES.index(stage), values, answered, a,
        )  # fmt: skip
        self.region, self.dr_region = region, dr_region
        self.recovery_why = recovery_why  # how data residency chose the DR region, or ""
        self.ov = overrides
        # The catalogue question behind each yes/no input it decided (`inputs.derive_inputs`).
        self.sources = dict(sources or {})
        self.drafts: dict[str, Draft] = {}
        # Service limits a component's demand goes past: (component id, what and by how much).
        self.beyond_limits: list[tuple[str, str]] = []

        # Placement: the talk's growth stage brings multiple AZs; the availability target can
        # demand them earlier, and three once a regional failure is in scope.
        self.availability = float(v["availability_target"])
        self.multi_az = self.availability >= AVAILABILITY_MULTI_AZ or self.si >= 1
        three = self.si >= 2 or self.availability >= AVAILABILITY_THREE_AZS
        self.az_count = (3 if three else 2) if self.multi_az else 1
        self.strategy, self.rejected = select_dr_strategy(
            v["rpo_minutes"], v["rto_minutes"], v["availability_target"]
        )
        # Writes in several regions, or customers served from the nearest one, need every
        # region live: active/active whatever RPO and RTO would allow.
        self.multi_region = v["multi_region_writes"] in ("home_region", "any_region") or (
            v["global_latency"] == "nearest_region"
        )
        if self.multi_region and self.strategy != "active_active":
            why = (
                f"writes in more than one region ({v['multi_region_writes']})"
                if v["multi_region_writes"] in ("home_region", "any_region")
                else "customers served from their nearest region"
            )
            self.rejected = (
                *self.rejected,
                *((s, f"{why} need every region live") for s in DR_STRATEGIES[:-1]
                  if s not in {r for r, _ in self.rejected}),
            )  # fmt: skip
            self.strategy = "active_active"
        # Backups leave the region for any strategy beyond backup and restore, from stage scale
        # in any case, and at growth once a regional outage matters to the team: availability of
        # 99.9% or more, or an RPO or RTO it answered, which backup and restore claims to meet
        # and could not meet with its backups in the failed region (COPIES_START).
        outage_matters = self.availability >= AVAILABILITY_MULTI_AZ or bool(
            {"rpo_minutes", "rto_minutes"} & answered
        )
        second_region_due = (
            self.si >= 2 or self.strategy != "backup_restore" or (self.si == 1 and outage_matters)
        )
        # Data residency with no second region in the country or jurisdiction: recovery stays in
        # the region, so where a second region was due, three AZs stand in for it.
        self.in_region = dr_region == region
        self.with_dr = not self.in_region and second_region_due
        self.recovery_across_azs = self.in_region and second_region_due
        if self.recovery_across_azs:
            self.multi_az, self.az_count = True, 3

        # Which moves of the talk this stage makes.
        self.model = v["compute_model"]
        self.compute_id = {"vms": "web-asg", "containers": "app-service"}.get(
            self.model, "app-function"
        )
        engine = v["database_engine"]
        self.nosql_primary = engine == "dynamodb"
        # The purpose-built stores ticked; None where the stage does not decide them.
        self.stores: list[str] | None = v["purpose_built_stores"]
        ticked = self.stores or []
        self.purpose_built = not self.nosql_primary and "key_value" in ticked
        self.serverless_db = engine.startswith("aurora") and v["traffic_pattern"] == "spiky"
        latency = v["latency_target_ms"]
        layers = v["caching_layers"] or ()
        # Database reads are cached unless the team's caching layers leave the database out.
        cache_db = v["caching_layers"] is None or "database" in layers
        self.edge = (
            self.si >= 1
            or v["users_geography"] == "global"
            or (latency is not None and latency < LATENCY_EDGE_MS)
            or v["global_latency"] in ("cdn_only", "nearest_region")
            or "edge" in layers
        )
        # A managed API front door from the scale stage on, unless the team keeps another one;
        # Lambda is always invoked through API Gateway.
        front_door = v["api_front_door"]
        self.api = self.model == "serverless" or (
            self.si >= 2 if front_door is None else front_door == "managed"
        )
        read_heavy = v["read_ratio"] >= READ_HEAVY_PERCENT
        uses_cache = v["uses_cache"]
        tight = latency is not None and latency < LATENCY_CACHE_MS
        auto_cache = self.si >= 3 or (self.si >= 1 and read_heavy) or tight
        if uses_cache is not None:
            self.cache = uses_cache
        elif self.stores is not None:
            self.cache = "caching" in self.stores
        else:
            self.cache = auto_cache
        # Reads that must see the latest write cannot go to an asynchronous replica or a cache.
        self.stale_ok = v["stale_reads"] != "none"
        self.replicas_wanted = self.si >= 1 and read_heavy and self.stale_ok

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
        self.read: float = v["read_ratio"] / 100
        self.peak_share = min(1.0, a["peak_hours_per_day"] / 24)
        self.async_events = self.app_monthly * (1 - self.read)
        q = a["db_queries_per_request"]
        self.nosql_share = 1.0 if self.nosql_primary else 0.0
        if self.purpose_built:
            self.nosql_share = a["purpose_built_share"]
        self.db_monthly_ops: float = self.app_monthly * q
        relational = 1 - self.nosql_share
        hit = a["cache_hit_ratio"] if self.cache and self.stale_ok and cache_db else 0.0
        self.reads_peak = self.app_peak * q * relational * self.read * (1 - hit)
        self.writes_peak = self.app_peak * q * relational * (1 - self.read)
        self.reads_avg = self.app_avg * q * relational * self.read * (1 - hit)
        self.writes_avg = self.app_avg * q * relational * (1 - self.read)
        self.working_set_gb = v["db_storage_gb"] * a["working_set_share"]
        # The data moved to DynamoDB leaves the relational store, in the operations' proportion.
        self.relational_gb = v["db_storage_gb"] * relational
        self.hit = hit

    @property
    def lambda_in_vpc(self) -> bool:
        """Lambda joins the VPC only to reach a database or a cache that lives inside it."""
        return self.model == "serverless" and (not self.nosql_primary or self.cache)

    def decided(self, name: str) -> str:
        """The answer behind a yes/no input, as reasons spell answers: "app_state=shared"."""
        source = self.sources.get(name)
        if source is None:
            return f"{name}={'yes' if self.v[name] else 'no'}{self.src(name)}"
        value = self.v[source]
        shown = ",".join(value) if isinstance(value, list) else str(value)
        return f"{source}={shown or 'none'}"

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

    def az_reason(self, azs: int, pinned: bool) -> str:
        if pinned:
            return f"{plural(azs, 'AZ')} set by override"
        target = f"availability_target {self.v['availability_target']}"
        where = "one AZ" if azs == 1 else f"{azs} AZs"
        return f"{target}{self.src('availability_target')} at stage {self.stage} ⇒ {where}"

    def load_reasons(self) -> list[str]:
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

    def default_note(self, qid: str) -> str:
        if qid in self.answered:
            return ""
        per = "db_gb_per_customer" if qid == "db_storage_gb" else "object_gb_per_customer"
        return f" (derived: {self.v['customers']:,} customers × {fmt(self.a[per])} GB)"
