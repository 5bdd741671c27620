"""Disaster recovery: what runs in the second region for the chosen strategy, and the plan.

The talk's four strategies, cheapest first: backup and restore copies backups there; pilot light
keeps the data live and the services idle; warm standby keeps a smaller copy running; active/
active runs a full copy that takes traffic. DR components live in the DR region, and their ids
are the primary ids prefixed with "dr-", so a diagram can pair them and a diff can follow them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from journeys.engine.fmt import ceil_int, fmt
from journeys.engine.plan import Draft, Plan
from journeys.engine.state import DrPlan
from journeys.engine.tables import (
    COPIES_START,
    DR_LABELS,
    DR_MIN_STRATEGY_FOR_AVAILABILITY,
    DR_PROMISE,
    DR_STRATEGIES,
    GLOBAL,
    MIN_ACU,
    STRONG_CONSISTENCY_REGION_SETS,
)

# Regional front doors and helpers a warm standby keeps ready (a WAF on CloudFront is global).
_WARM_COPIES = ("load-balancer", "api-gateway", "nat-gateway", "waf", "monitoring")
# Only a full copy also runs the cache and the event-driven parts.
_ACTIVE_COPIES = ("app-cache", "event-bus", "events-topic", "queue", "worker-function")
# What an idle copy of a front door or helper still pays for.
_STANDING_USAGE = ("hours", "public_ipv4_hours", "web_acls", "rules", "dashboards", "alarms")
# Usage that follows the requests a region serves. In active/active it is divided between the
# regions (tiers then apply per region); capacity and stored data are paid in full by each copy.
REQUEST_DRIVEN = frozenset(
    {
        "requests", "gb_seconds", "lcu_hours", "log_ingest_gb", "traces", "read_request_units",
        "write_request_units", "events", "publishes", "deliveries", "data_processed_gb",
        "data_transfer_out_gb",
    }
)  # fmt: skip
# The backup plan's stored usages, one per way AWS bills a backup (see supporting.backup).
BACKUP_USAGE = ("storage_gb", "table_backup_gb", "volume_snapshot_gb")
# Copies that receive replicated data rather than serve requests of their own.
_REPLICA_TARGETS = ("dr-backup", "dr-primary-db", "dr-object-storage")


def dr_drafts(plan: Plan) -> list[Draft]:
    """The DR-region drafts of `plan.strategy`; also links the primaries to their copies."""
    s, d = plan.strategy, plan.drafts
    warm = DR_STRATEGIES.index(s) >= DR_STRATEGIES.index("warm_standby")
    active = s == "active_active"
    change = plan.a["monthly_change_share"]
    out: list[Draft] = []

    def copy(src: Draft, label: str, params: dict[str, Any], usage: dict[str, float], why: str,
             door: str = "two_way") -> Draft:  # fmt: skip
        reasons = [f"{DR_LABELS[s]} in {plan.dr_region}: {why}"]
        draft = Draft(
            "dr-" + src.id, src.kind, label, params, plan.dr_region, src.azs,
            usage=usage, door=door, reasons=reasons,
        )  # fmt: skip
        out.append(draft)
        if src.kind in _REPLICATED:
            src.links.append(draft.id)
        return draft

    backup = d["backup"]
    # Every backup is copied as it is (database snapshots, table backups, volume snapshots);
    # after the first full copy only the changed data crosses between the regions.
    copies = {k: v for k, v in backup.usage.items() if k in BACKUP_USAGE}
    stored = sum(copies.values())
    copy(
        backup,
        "Backup vault (cross-region copies)",
        {"retention_days": backup.params["retention_days"]},
        {**copies, "cross_region_transfer_gb": stored * change},
        f"backups copied from {plan.region}; {fmt(change * 100)}% of the data changes a month",
    )
    if s == "backup_restore":
        return out

    if "primary-db" in d:
        db = d["primary-db"]
        params = dict(db.params)
        aurora = params["engine"].startswith("aurora")
        if not active:
            params.update({"multi_az": False, "read_replicas": 0})
        if db.kind == "serverless_db" and s == "pilot_light":
            params["min_acu"] = MIN_ACU
        label = "Aurora Global Database secondary" if aurora else "Cross-region read replica"
        why = "data replicated live"
        if active:
            why += (
                f"; one writer in {plan.region}: writes made in {plan.dr_region} are forwarded "
                "to it (write forwarding) and replicated back asynchronously, typically about "
                "1 second behind"
                if aurora
                else f"; RDS has one writer: writes stay in {plan.region} until promotion, the "
                "replica follows asynchronously, seconds behind or more"
            )
        replication = {"replication_gb": plan.v["db_storage_gb"] * change}
        door = "one_way" if active else "two_way"  # writes from two regions are hard to undo
        copy(db, label, params, replication, why, door=door)
    if "nosql-db" in d:
        table = d["nosql-db"]
        usage = {
            "replicated_write_request_units": table.usage["write_request_units"],
            "storage_gb": table.usage["storage_gb"],
        }
        params = dict(table.params)
        why = "every write replicated, writable in both regions"
        if plan.v["rpo_minutes"] == 0:
            region_set = strong_consistency_set(plan.region, plan.dr_region)
            params["consistency"] = "strong" if region_set else "eventual"
            why += (
                f"; multi-Region strong consistency for RPO 0: a write returns only once "
                f"another Region has it (two replicas and a witness in a third {region_set} "
                "Region)"
                if region_set
                else f"; eventual consistency: {plan.region} and {plan.dr_region} are not in one "
                "Region set that offers multi-Region strong consistency"
            )
        copy(table, "DynamoDB global table replica", params, usage, why)
    if "object-storage" in d:
        bucket = d["object-storage"]
        usage = {
            "storage_gb": bucket.usage["storage_gb"],
            "replication_gb": bucket.usage["storage_gb"] * change,
            "requests_put": bucket.usage["requests_put"],
        }
        why = "objects replicated (S3 Cross-Region Replication)"
        copy(bucket, "S3 replica bucket", dict(bucket.params), usage, why)

    _copy_compute(plan, copy, warm=warm, active=active)
    if warm:
        for cid in _WARM_COPIES:
            if cid not in d or d[cid].region == GLOBAL:
                continue
            src = d[cid]
            params = dict(src.params)
            if active:
                usage, why = dict(src.usage), "serves its share of the traffic"
            else:
                usage = {k: v for k, v in src.usage.items() if k in _STANDING_USAGE}
                why = "ready to take traffic"
            if cid == "nat-gateway" and not active:
                params["count"] = 1
            draft = copy(src, src.label, params, usage, why)
            if cid == "nat-gateway":
                draft.azs = params["count"]
    if active:
        for cid in _ACTIVE_COPIES:
            if cid in d:
                src = d[cid]
                why = "full copy, serves its share"
                copy(src, src.label, dict(src.params), dict(src.usage), why)

    # Inside the DR region the links mirror the primary ones; the edge learns the DR entry.
    ids = {x.id for x in out}
    for x in out:
        x.links = ["dr-" + link for link in d[x.id[3:]].links if "dr-" + link in ids]
    if active and "dr-primary-db" in ids:
        next(x for x in out if x.id == "dr-primary-db").links.append("primary-db")
    entry = "dr-" + plan.entry()
    if entry in ids:
        d["cdn" if plan.edge else "dns"].links.append(entry)
    return out


def split_served_usage(plan: Plan, drafts: list[Draft]) -> None:
    """Active/active: divide every request-driven usage between a primary and its DR copy by
    `active_active_dr_share`. The primary's figures are the whole demand (its builders size for
    all of it); capacity stays copied. A global table's writes are made where they are served
    and replicated into the other region, so each side also pays the other's writes."""
    if plan.strategy != "active_active":
        return
    share = plan.a["active_active_dr_share"]
    split = (
        f"active/active: {plan.dr_region} serves {fmt(share * 100)}% of the requests and "
        f"{plan.region} {fmt((1 - share) * 100)}% (active_active_dr_share); requests, events, "
        "logs and transfer are divided between them, never counted twice"
    )
    for copy in drafts:
        if not copy.id.startswith("dr-") or copy.id in _REPLICA_TARGETS:
            continue
        src = plan.drafts[copy.id[3:]]
        moved = False
        for usage in sorted(REQUEST_DRIVEN & src.usage.keys()):
            demand = src.usage[usage]
            src.usage[usage], copy.usage[usage] = demand * (1 - share), demand * share
            moved = moved or bool(demand)
        if copy.kind == "nosql_db":
            writes = src.usage["write_request_units"] + copy.usage["write_request_units"]
            src.usage["replicated_write_request_units"] = writes * share
            copy.usage["replicated_write_request_units"] = writes * (1 - share)
        if moved:
            src.reasons.append(split)
            copy.reasons.append(split)


def strong_consistency_set(region: str, dr_region: str) -> str:
    """The Region set in which both regions can hold a strongly consistent global table."""
    for name, regions in STRONG_CONSISTENCY_REGION_SETS.items():
        if region in regions and dr_region in regions:
            return name
    return ""


def rpo_shortfall(plan: Plan) -> str:
    """Why RPO 0 is not met by this plan's data stores, or "" when it is (or is not asked)."""
    if plan.v["rpo_minutes"] != 0 or not plan.with_dr:
        return ""
    db = plan.drafts.get("primary-db")
    if db is not None:
        aurora = db.params["engine"].startswith("aurora")
        how = (
            "Aurora Global Database has one writer and replicates asynchronously, typically "
            "about 1 second behind"
            if aurora
            else "a cross-region RDS read replica follows asynchronously, seconds behind or more"
        )
        lost = "about the last second" if aurora else "the last seconds"
        return f"RPO 0 is not met: {how}, so a regional failure can lose {lost} of committed writes"
    if "nosql-db" in plan.drafts and not strong_consistency_set(plan.region, plan.dr_region):
        return (
            "RPO 0 is not met: DynamoDB global tables between these regions replicate "
            "asynchronously, typically within a second, so a regional failure can lose about "
            "the last second of writes"
        )
    return ""


# Data flows from these primaries to their DR copies (backups, replication).
_REPLICATED = frozenset({"backup", "relational_db", "serverless_db", "nosql_db", "object_storage"})


def _copy_compute(plan: Plan, copy: Callable[..., Draft], *, warm: bool, active: bool) -> None:
    compute = plan.drafts[plan.compute_id]
    params = dict(compute.params)
    if compute.kind == "function":
        # Deployed in both regions; Lambda costs nothing until it serves.
        usage = dict(compute.usage) if active else {"requests": 0, "gb_seconds": 0}
        why = "serves traffic" if active else "deployed, costs nothing until it serves"
        copy(compute, "Lambda function (deployed)", params, usage, why)
        return
    key = "tasks" if compute.kind == "container_service" else "count"
    azs = compute.azs
    if active:
        label, why = compute.label, "full copy, sized to take all traffic if a region fails"
    elif warm:
        share = plan.a["warm_standby_share"]
        n = max(1, ceil_int(params[key] * share))
        params.update({key: n, "min": n})
        azs = min(azs, n)
        label = f"{compute.label} (smaller: {n} of {compute.params[key]})"
        why = f"always running at {fmt(share * 100)}% of the primary, scaled up after the event"
    else:
        # Pilot light: the fleet exists across the same AZs, at zero until the event.
        params.update({key: 0, "min": 0})
        label, why = f"{compute.label} (idle at 0)", "ready at zero, scaled up after the event"
    draft = copy(compute, label, params, {}, why)
    draft.azs = azs


def dr_plan(plan: Plan, drafts: list[Draft]) -> DrPlan:
    """The plan: strategy, RPO/RTO, the DR region, what runs there, why, and what was ruled out."""
    v, s = plan.v, plan.strategy
    rpo = f"RPO {v['rpo_minutes']:,} min{plan.src('rpo_minutes')}"
    rto = f"RTO {v['rto_minutes']:,} min{plan.src('rto_minutes')}"
    demands = f"{rpo} and {rto}"
    if v["availability_target"] in DR_MIN_STRATEGY_FOR_AVAILABILITY:
        demands += f" at {v['availability_target']}% availability"
    why = f"{demands}: {DR_LABELS[s]} is the cheapest strategy that meets them ({DR_PROMISE[s]})"
    if plan.recovery_why:
        why = f"{plan.recovery_why}; {why}"
    if plan.in_region:
        spread = f"across {plan.az_count} AZs" if plan.multi_az else "in one AZ"
        why += (
            f"; recovery stays in {plan.region}: the application and the data run {spread} and "
            f"the backups are kept in {plan.region}, so an AZ failure is survived but an outage "
            "of the whole region stops the service until the region returns"
        )
    elif not plan.with_dr:
        why += (
            f"; not met for a regional outage: at stage {plan.stage} backups stay in "
            f"{plan.region}, so if the region fails nothing can be restored in "
            f"{plan.dr_region} until it returns (copies to {plan.dr_region} {COPIES_START})"
        )
    shortfall = rpo_shortfall(plan)
    if shortfall:
        why += f"; {shortfall}"
    runs = tuple(f"{x.label} ({x.id})" for x in drafts if x.id.startswith("dr-"))
    return DrPlan(s, v["rpo_minutes"], v["rto_minutes"], plan.dr_region, runs, why, plan.rejected)
