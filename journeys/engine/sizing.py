"""The planner: sizes one stage's components from the resolved answers and assumptions.

`Planner.primaries` calls the builders of `compute`, `edge`, `data_stores` and `supporting` in
the request path's order and links the drafts; `finish` applies the overrides and derives the
usage of every draft, the disaster-recovery ones of `recovery` included.
"""

from __future__ import annotations

from journeys.engine.compute import app_compute
from journeys.engine.data_stores import cache, nosql, relational_db, serverless_db
from journeys.engine.edge import api_gateway, cdn, dns, load_balancer, object_storage, waf
from journeys.engine.findings import format_value
from journeys.engine.overrides import check_combination, merge_range
from journeys.engine.plan import Draft, Plan
from journeys.engine.state import InvalidOverride
from journeys.engine.stores import purpose_built
from journeys.engine.supporting import async_services, backup, cicd, identity, monitoring, nat
from journeys.engine.tables import EBS_GB_PER_INSTANCE
from journeys.vocabulary import HOURS_PER_MONTH

# The components an application fleet talks to, in the order its links list them.
_APP_DEPENDENCIES = (
    "app-cache", "primary-db", "nosql-db", "search", "time-series", "object-storage",
    "event-bus", "events-topic", "nat-gateway",
)  # fmt: skip
_FLEETS = ("compute", "container_service")


class Planner(Plan):
    """Drives the builders in a fixed order, then links, overrides and derives usage."""

    def primaries(self) -> list[Draft]:
        """The primary region's drafts (and the global ones) in their stable order, linked."""
        v = self.v
        compute = app_compute(self)
        # The fleet's overrides decide whether it needs a load balancer and NAT in each AZ.
        self._apply_overrides(compute)
        fleet = compute.params.get("max", 1)
        waf_needs_lb = v["l7_protection"] == "waf" and not self.edge and not self.api
        self.lb = self.model != "serverless" and (
            self.si >= 1 or self.model == "containers" or fleet > 1 or waf_needs_lb
        )
        # NAT only where something in private subnets must reach the internet or a public AWS
        # endpoint that no gateway endpoint serves: a fleet behind a load balancer (updates,
        # images, third-party APIs); Lambda inside the VPC only when it publishes events to
        # EventBridge. S3 and DynamoDB take free gateway endpoints; Lambda reaches RDS and
        # ElastiCache inside the VPC, and Lambda outside a VPC reaches everything directly.
        serverless = self.model == "serverless"
        self.nat = self.lambda_in_vpc and v["async_processing"] if serverless else self.lb
        if self.nosql_primary:
            data = [nosql(self, "primary")]
        else:
            data = [serverless_db(self) if self.serverless_db else relational_db(self)]
        if self.purpose_built:
            data.append(nosql(self, "purpose-built"))
        data += purpose_built(self)

        # The request path from the edge inwards, then data, then operations.
        order = [dns(self)]
        order += [waf(self)] if v["l7_protection"] == "waf" else []
        order += [cdn(self), object_storage(self)] if self.edge else []
        order += [api_gateway(self)] if self.api else []
        order += [load_balancer(self)] if self.lb else []
        order += [compute]
        order += [self._cache()] if self.cache else []
        order += data
        order += [identity(self)] if v["customer_identity"] == "managed" else []
        order += async_services(self) if v["async_processing"] else []
        order += [nat(self)] if self.nat else []
        order += [cicd(self)] if v["release_process"] == "ci_cd" else []
        order += [monitoring(self)] if v["monitoring"] != "none" else []
        order += [backup(self)]
        self.drafts = {d.id: d for d in order}
        self._link()
        return order

    def _cache(self) -> Draft:
        """The cache, holding what `caching_layers` and `stale_reads` let it hold."""
        draft = cache(self)
        layers = self.v["caching_layers"]
        holds = ["sessions"]
        if layers is None or "application" in layers:
            holds.append("computed objects")
        if self.stale_ok and (layers is None or "database" in layers):
            holds.append("query results")
        else:
            why = (
                "stale_reads=none: every read must see the latest write"
                if not self.stale_ok
                else "caching_layers leaves out the database layer"
            )
            draft.reasons.append(f"{why}, so database reads are not cached")
        draft.params["holds"] = ", ".join(holds)
        return draft

    def finish(self, order: list[Draft]) -> None:
        """Apply the overrides and derive the usage of every draft, DR ones included."""
        for draft in order:
            if not draft.overridden:
                self._apply_overrides(draft)
            self._update_usage(draft)
        if not self.edge:  # data out is billed where it leaves: the edge, or the entry point
            self.drafts[self.entry()].usage["data_transfer_out_gb"] = self.egress_gb

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
        if "analytics" in d:  # the warehouse is loaded from the primary store
            d["primary-db" if "primary-db" in d else "nosql-db"].links.insert(0, "analytics")

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
                # Without a load balancer the instances face the internet: one public IPv4 each.
                d.usage["public_ipv4_hours"] = 0 if self.lb else avg * HOURS_PER_MONTH
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
            if not aurora and p["read_replicas"]:
                # Each RDS read replica is its own instance with its own volume.
                n, gb = p["read_replicas"], p["storage_gb"]
                d.usage["replica_storage_gb"] = n * gb
                d.reasons.append(
                    f"{n} read replica{'s' * (n > 1)}, each with its own {gb:,} GB volume: "
                    f"{n + 1} × {gb:,} GB billed (the primary and {n} replica{'s' * (n > 1)})"
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
                {
                    "nat_hours": p["count"] * HOURS_PER_MONTH,
                    "data_processed_gb": processed,
                    "public_ipv4_hours": p["count"] * HOURS_PER_MONTH,  # one Elastic IP each
                }
            )

    def _write_ios(self) -> float:
        # Aurora reads come from the buffer pool; each write costs about one I/O.
        return self.db_monthly_ops * (1 - self.read) * (1 - self.nosql_share)
