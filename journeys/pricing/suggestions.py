"""Suggestions with a priced monthly saving: only those that apply to a state, each with the
assumption its saving rests on.

Pure: a state, its estimate and the prices in. The alternatives' prices (Graviton sizes,
Serverless v2 capacity, S3 Intelligent-Tiering, CloudFront) must be resolved along with the
state's own: `suggestion_keys(state)` lists them. A suggestion whose alternative price is
missing, or that would not save anything under its assumption, is left out.

The discounts of Savings Plans and reservations are assumptions, not prices: the Price List has
the real term rates, but they depend on term, payment option and family; the percentages below
are deliberately at the low end of AWS's published 1-year, no-upfront rates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from journeys.engine.state import ArchitectureState, Component
from journeys.engine.tables import DB_CLASS_SPECS, GLOBAL
from journeys.pricing import keys
from journeys.pricing.estimate import Estimate, Line
from journeys.pricing.keys import PriceKey
from journeys.pricing.price import EXACT, ResolvedPrice, decimal, plain, tiered_cost
from journeys.vocabulary import HOURS_PER_MONTH

# 1-year, no-upfront Compute Savings Plans price current general-purpose instances and Fargate
# about 20-30% below on-demand; we take the low end because the plan also covers other families.
SAVINGS_PLAN_DISCOUNT = Decimal("0.20")
# 1-year, no-upfront RDS and ElastiCache reservations run about 30-40% below on-demand.
RESERVATION_DISCOUNT = Decimal("0.30")
# Intelligent-Tiering: share of the stored data left unread for 30 days (photos and files are
# mostly written once and read while new), and the average object size it monitors.
INFREQUENT_SHARE = Decimal("0.5")
AVERAGE_OBJECT_MB = Decimal(1)
# Serverless v2: one ACU is about 2 GiB of memory with matching CPU.
GIB_PER_ACU = Decimal(2)

GRAVITON: dict[str, str] = {
    "t3.small": "t4g.small", "t3.medium": "t4g.medium", "t3.large": "t4g.large",
    "m6i.large": "m6g.large", "m6i.xlarge": "m6g.xlarge", "m6i.2xlarge": "m6g.2xlarge",
    "db.t3.micro": "db.t4g.micro", "db.t3.small": "db.t4g.small", "db.t3.medium": "db.t4g.medium",
    "cache.t3.micro": "cache.t4g.micro", "cache.t3.small": "cache.t4g.small",
    "cache.t3.medium": "cache.t4g.medium",
}  # fmt: skip


@dataclass(frozen=True)
class Suggestion:
    title: str
    detail: str
    monthly_saving_usd: Decimal
    assumption: str
    components: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "detail": self.detail,
            "monthly_saving_usd": plain(self.monthly_saving_usd),
            "assumption": self.assumption,
            "components": list(self.components),
        }


# -- the alternatives' keys ------------------------------------------------------------------


def _region(c: Component, home: str) -> str:
    return home if c.region == GLOBAL else c.region


def _graviton_keys(c: Component, r: str) -> dict[str, PriceKey]:
    """usage -> the key that prices it on Graviton, for this component; empty if none."""
    p = c.params
    if c.kind == "compute" and p["instance_type"] in GRAVITON:
        return {"instance_hours": keys.ec2_instance(r, GRAVITON[p["instance_type"]])}
    if c.kind == "container_service":
        return {
            "vcpu_hours": keys.fargate(r, "vcpu", arm=True),
            "memory_gb_hours": keys.fargate(r, "memory", arm=True),
        }
    if c.kind == "function":
        return {"gb_seconds": keys.lambda_duration(r, arm=True)}
    if c.kind == "relational_db" and p["instance_class"] in GRAVITON:
        engine, arm = p["engine"], GRAVITON[p["instance_class"]]
        multi_az = bool(p["multi_az"]) and not engine.startswith("aurora")
        return {
            "instance_hours": keys.rds_instance(r, engine, arm, multi_az=multi_az),
            "replica_instance_hours": keys.rds_instance(r, engine, arm, multi_az=False),
        }
    if c.kind == "cache" and p["node_type"] in GRAVITON:
        return {"node_hours": keys.cache_node(r, GRAVITON[p["node_type"]])}
    return {}


def alternative_keys(component: Component, home_region: str) -> list[PriceKey]:
    """The keys the suggestions for this component may price."""
    c, r = component, _region(component, home_region)
    found = list(_graviton_keys(c, r).values())
    if c.kind == "relational_db" and c.params["engine"].startswith("aurora"):
        found.append(keys.aurora(r, c.params["engine"], "acu"))
    if c.kind == "object_storage":
        found += [
            keys.s3_storage(r, "INTELLIGENT_TIERING_FA"),
            keys.s3_storage(r, "INTELLIGENT_TIERING_IA"),
            keys.s3_monitoring(r),
        ]
    if c.kind in ("compute", "load_balancer", "api_gateway") and c.region != GLOBAL:
        geography = keys.edge_geography(home_region)
        found += [keys.cloudfront(geography, "out"), keys.cloudfront(geography, "requests")]
    return found


def suggestion_keys(state: ArchitectureState) -> list[PriceKey]:
    return keys.distinct_keys(
        k for c in state.components for k in alternative_keys(c, state.region)
    )


# -- the suggestions -------------------------------------------------------------------------


def _lines(estimate: Estimate, cid: str, usages: Iterable[str]) -> list[Line]:
    wanted = set(usages)
    return [x for x in estimate.lines if x.component_id == cid and x.usage in wanted]


def _billable(lines: Iterable[Line]) -> Decimal:
    return _sum(x.quantity for x in lines if not x.free_tier)


def _cost(lines: Iterable[Line]) -> Decimal:
    return _sum(x.monthly_usd for x in lines)


def _sum(values: Iterable[Decimal]) -> Decimal:
    total = Decimal(0)
    for v in values:
        total = EXACT.add(total, v)
    return total


def _names(state: ArchitectureState, ids: Iterable[str]) -> str:
    """Components as people read them: their labels, joined."""
    labels = {c.id: c.label for c in state.components}
    return ", ".join(labels.get(i, i) for i in ids)


def _money(value: Decimal) -> str:
    return f"${value:,.2f}"


def _graviton(
    state: ArchitectureState, estimate: Estimate, prices: Mapping[str, ResolvedPrice]
) -> list[Suggestion]:
    out = []
    for c in state.components:
        alternatives = _graviton_keys(c, _region(c, state.region))
        if not alternatives or any(k.id not in prices for k in alternatives.values()):
            continue
        current = alternative = Decimal(0)
        for usage, key in alternatives.items():
            lines = _lines(estimate, c.id, [usage])
            current = EXACT.add(current, _cost(lines))
            alternative = EXACT.add(
                alternative, tiered_cost(_billable(lines), prices[key.id].tiers)
            )
        saving = EXACT.subtract(current, alternative)
        if saving <= 0:
            continue
        size = {
            "compute": c.params.get("instance_type"),
            "relational_db": c.params.get("instance_class"),
            "cache": c.params.get("node_type"),
        }.get(c.kind)
        what = f"{size} → {GRAVITON[size]}" if size else "x86 → Arm (Graviton)"
        out.append(
            Suggestion(
                title=f"Graviton for {c.label}",
                detail=(
                    f"Run {c.label} on Graviton ({what}): {_money(current)} → "
                    f"{_money(alternative)} a month at the same usage."
                ),
                monthly_saving_usd=saving,
                assumption=(
                    "The software runs on Arm (most managed engines and interpreted languages do;"
                    " native dependencies need an Arm build) and one Graviton size does the work "
                    "of the x86 size it replaces."
                ),
                components=(c.id,),
            )
        )
    return out


def _commitments(
    state: ArchitectureState, estimate: Estimate, prices: Mapping[str, ResolvedPrice]
) -> list[Suggestion]:
    """A Compute Savings Plan on the always-on part of the fleets; reservations on databases
    and caches, which run all month."""
    plan_base, plan_ids = Decimal(0), []
    reserved_base, reserved_ids = Decimal(0), []
    for c in state.components:
        p = c.params
        if c.kind in ("compute", "container_service") and p.get("min", 0) > 0:
            usages = (
                ["instance_hours"] if c.kind == "compute" else ["vcpu_hours", "memory_gb_hours"]
            )
            lines = _lines(estimate, c.id, usages)
            hours = _billable(x for x in lines if x.usage == usages[0])
            if hours == 0:
                continue
            # The baseline (min) runs every hour; only that part is worth committing to.
            per_unit = Decimal(HOURS_PER_MONTH) * (1 if c.kind == "compute" else decimal(p["vcpu"]))
            average = EXACT.divide(hours, per_unit)  # instances or tasks running on average
            share = min(Decimal(1), EXACT.divide(Decimal(p["min"]), average))
            plan_base = EXACT.add(plan_base, EXACT.multiply(_cost(lines), share))
            plan_ids.append(c.id)
        elif c.kind in ("relational_db", "cache"):
            usages = ["instance_hours", "replica_instance_hours", "node_hours"]
            lines = _lines(estimate, c.id, usages)
            if lines:
                reserved_base = EXACT.add(reserved_base, _cost(lines))
                reserved_ids.append(c.id)
    out = []
    if plan_base > 0:
        saving = EXACT.multiply(plan_base, SAVINGS_PLAN_DISCOUNT)
        out.append(
            Suggestion(
                title="1-year Compute Savings Plan on the baseline fleet (estimate)",
                detail=(
                    f"Commit to the always-on part of {_names(state, plan_ids)}: "
                    f"{_money(plan_base)} a month on demand."
                ),
                monthly_saving_usd=saving,
                assumption=(
                    f"An assumed {SAVINGS_PLAN_DISCOUNT:.0%} discount (1-year, no upfront; AWS "
                    "publishes 20-30% for current general-purpose instances and Fargate, up to "
                    "66% for 3 years all upfront); only the minimum fleet is committed."
                ),
                components=tuple(plan_ids),
            )
        )
    if reserved_base > 0:
        saving = EXACT.multiply(reserved_base, RESERVATION_DISCOUNT)
        out.append(
            Suggestion(
                title="1-year reserved instances for databases and caches (estimate)",
                detail=(
                    f"Reserve the instances of {_names(state, reserved_ids)}: "
                    f"{_money(reserved_base)} a month on demand."
                ),
                monthly_saving_usd=saving,
                assumption=(
                    f"An assumed {RESERVATION_DISCOUNT:.0%} discount (1-year, no upfront; AWS "
                    "publishes about 30-40% for current RDS, Aurora and ElastiCache classes); "
                    "the instance class stays the same for the year."
                ),
                components=tuple(reserved_ids),
            )
        )
    return out


def _assumption(state: ArchitectureState, name: str) -> Decimal:
    return Decimal(repr(next(a.value for a in state.assumptions if a.name == name)))


def _serverless(
    state: ArchitectureState,
    estimate: Estimate,
    prices: Mapping[str, ResolvedPrice],
    traffic_pattern: str | None,
) -> list[Suggestion]:
    if traffic_pattern not in (None, "spiky"):
        return []
    # At its peak for peak_hours_per_day, and the rest of the day at the average load of a
    # spiky pattern: the peak divided by the engine's spiky peak factor.
    peak_share = min(Decimal(1), _assumption(state, "peak_hours_per_day") / 24)
    off_peak = 1 / _assumption(state, "peak_factor_spiky")
    busy = EXACT.add(peak_share, EXACT.multiply(1 - peak_share, off_peak))
    out = []
    for c in state.components:
        p = c.params
        if (
            c.kind != "relational_db"
            or not p["engine"].startswith("aurora")
            or c.id.startswith("dr-")
        ):
            continue
        acu_key = keys.aurora(_region(c, state.region), p["engine"], "acu")
        if acu_key.id not in prices:
            continue
        lines = _lines(estimate, c.id, ["instance_hours", "replica_instance_hours"])
        current = _cost(lines)
        peak_acu = Decimal(DB_CLASS_SPECS[p["instance_class"]][1]) / GIB_PER_ACU
        instances = 1 + int(p["read_replicas"])
        acu_hours = EXACT.multiply(
            EXACT.multiply(peak_acu, busy), Decimal(instances * HOURS_PER_MONTH)
        )
        alternative = EXACT.multiply(acu_hours, prices[acu_key.id].unit_price)
        saving = EXACT.subtract(current, alternative)
        if saving <= 0:
            continue
        out.append(
            Suggestion(
                title=f"Aurora Serverless v2 for spiky load ({c.label})",
                detail=(
                    f"{instances} × {p['instance_class']} ({_money(current)} a month) → "
                    f"Serverless v2 scaling between peaks: about {acu_hours:,.0f} ACU-hours, "
                    f"{_money(alternative)} a month."
                ),
                monthly_saving_usd=saving,
                assumption=(
                    f"One ACU is about {GIB_PER_ACU} GiB of the class's memory at peak; the peak "
                    f"lasts {peak_share * 24:.3g} hours a day and the rest of the day needs "
                    f"{off_peak:.0%} of it. True of spiky load only."
                ),
                components=(c.id,),
            )
        )
    return out


def _intelligent_tiering(
    state: ArchitectureState, estimate: Estimate, prices: Mapping[str, ResolvedPrice]
) -> list[Suggestion]:
    out = []
    for c in state.components:
        if c.kind != "object_storage":
            continue
        r = _region(c, state.region)
        fa, ia, fee = (
            keys.s3_storage(r, "INTELLIGENT_TIERING_FA"),
            keys.s3_storage(r, "INTELLIGENT_TIERING_IA"),
            keys.s3_monitoring(r),
        )
        if any(k.id not in prices for k in (fa, ia, fee)):
            continue
        lines = _lines(estimate, c.id, ["storage_gb"])
        stored = _billable(lines)
        if stored == 0:
            continue
        cold = EXACT.multiply(stored, INFREQUENT_SHARE)
        objects = EXACT.divide(EXACT.multiply(stored, Decimal(1024)), AVERAGE_OBJECT_MB)
        alternative = _sum(
            [
                tiered_cost(EXACT.subtract(stored, cold), prices[fa.id].tiers),
                tiered_cost(cold, prices[ia.id].tiers),
                tiered_cost(objects, prices[fee.id].tiers),
            ]
        )
        current = _cost(lines)
        saving = EXACT.subtract(current, alternative)
        if saving <= 0:
            continue
        out.append(
            Suggestion(
                title=f"S3 Intelligent-Tiering for {c.label}",
                detail=(
                    f"{stored:,} GB in S3 Standard ({_money(current)} a month) → "
                    f"Intelligent-Tiering, monitoring fee included: {_money(alternative)}."
                ),
                monthly_saving_usd=saving,
                assumption=(
                    f"Half the data ({INFREQUENT_SHARE:.0%}) goes unread for 30 days and moves to "
                    f"the Infrequent Access tier; objects average {AVERAGE_OBJECT_MB} MB (each is "
                    "charged the monitoring fee)."
                ),
                components=(c.id,),
            )
        )
    return out


def _cloudfront_offload(
    state: ArchitectureState, estimate: Estimate, prices: Mapping[str, ResolvedPrice]
) -> list[Suggestion]:
    if any(c.kind == "cdn" for c in state.components):
        return []
    geography = keys.edge_geography(state.region)
    out_key, req_key = keys.cloudfront(geography, "out"), keys.cloudfront(geography, "requests")
    if out_key.id not in prices or req_key.id not in prices:
        return []
    egress = [
        x
        for x in estimate.lines
        if x.usage == "data_transfer_out_gb"
        and x.group == "primary"
        and x.service_code == "AWSDataTransfer"
    ]
    gigabytes = _sum(x.quantity for x in egress)
    if gigabytes == 0:
        return []
    requests = EXACT.multiply(
        Decimal(estimate.customers), _assumption(state, "requests_per_customer_per_month")
    )
    billable_gb, billable_requests = gigabytes, requests
    if estimate.free_tier:
        billable_gb = max(Decimal(0), EXACT.subtract(gigabytes, Decimal(1024)))
        billable_requests = max(Decimal(0), EXACT.subtract(requests, Decimal(10_000_000)))
    alternative = EXACT.add(
        tiered_cost(billable_gb, prices[out_key.id].tiers),
        tiered_cost(billable_requests, prices[req_key.id].tiers),
    )
    current = _cost(egress)
    saving = EXACT.subtract(current, alternative)
    if saving <= 0:
        return []
    ids = tuple(dict.fromkeys(x.component_id for x in egress))
    return [
        Suggestion(
            title="CloudFront in front of the application",
            detail=(
                f"{gigabytes:,} GB a month leave {_names(state, ids)} for the internet "
                f"({_money(current)}); through CloudFront, origin to edge transfer is free and "
                f"the edge bills {_money(alternative)} with its requests."
            ),
            monthly_saving_usd=saving,
            assumption=(
                "Every response goes through CloudFront at the edge rates of the home region's "
                "geography, with as many requests as customers times the requests each makes "
                "a month; cached responses would also offload the servers (not counted)."
            ),
            components=ids,
        )
    ]


def suggest(
    state: ArchitectureState,
    estimate: Estimate,
    prices: Mapping[str, ResolvedPrice],
    *,
    traffic_pattern: str | None = None,
) -> list[Suggestion]:
    """The suggestions that apply to `state`, largest saving first. `traffic_pattern` (the
    stage's answer) rules Serverless v2 out for steady load; None leaves it to the arithmetic."""
    found = [
        *_graviton(state, estimate, prices),
        *_commitments(state, estimate, prices),
        *_serverless(state, estimate, prices, traffic_pattern),
        *_intelligent_tiering(state, estimate, prices),
        *_cloudfront_offload(state, estimate, prices),
    ]
    return sorted(found, key=lambda s: s.monthly_saving_usd, reverse=True)
