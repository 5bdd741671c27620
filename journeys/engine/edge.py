"""The request path in front of the application: DNS, WAF, CloudFront with S3, API Gateway and
the load balancer."""

from __future__ import annotations

from typing import Any

from journeys.engine.fmt import fmt
from journeys.engine.plan import Draft, Plan
from journeys.engine.tables import (
    GLOBAL,
    KB_PER_GB,
    S3_LIFECYCLE,
    WAF_RULES,
)
from journeys.vocabulary import HOURS_PER_MONTH


def dns(plan: Plan) -> Draft:
    failover = {"pilot_light": "failover", "warm_standby": "failover"}
    routing = {**failover, "active_active": "latency"}.get(plan.strategy, "simple")
    routing = routing if plan.with_dr else "simple"
    checks = 0 if routing == "simple" else 2
    usage = {
        "hosted_zones": 1,
        "queries": plan.v["customers"] * plan.a["dns_queries_per_customer_per_month"],
        "health_checks": checks,
    }
    reasons = ["Route 53 hosted zone for the workload's domain"]
    if checks:
        reasons.append(
            f"{routing} routing with health checks can send customers to {plan.dr_region}"
        )
    params = {"routing": routing, "health_checks": checks}
    return plan.new(
        "dns",
        "dns",
        "Route 53 hosted zone",
        params,
        region=GLOBAL,
        azs=0,
        usage=usage,
        reasons=reasons,
    )


def waf(plan: Plan) -> Draft:
    target = "cdn" if plan.edge else ("api-gateway" if plan.api else "load-balancer")
    usage = {
        "web_acls": 1,
        "rules": WAF_RULES,
        "requests": plan.monthly if plan.edge else plan.app_monthly,
    }
    reasons = [
        f"l7_protection=waf{plan.src('l7_protection')}: managed rule groups and a rate-based "
        f"rule on {target}"
    ]
    params = {"attached_to": target, "rules": WAF_RULES}
    place = {"region": GLOBAL, "azs": 0} if target == "cdn" else {}
    return plan.new(
        "waf",
        "waf",
        "AWS WAF web ACL",
        params,
        links=[target],
        usage=usage,
        reasons=reasons,
        **place,
    )


def cdn(plan: Plan) -> Draft:
    params: dict[str, Any] = {
        "price_class": (
            "PriceClass_All" if plan.v["users_geography"] == "global" else "PriceClass_100"
        ),
        "caches": "static and API responses" if _edge_caches_api(plan) else "static content",
    }
    if plan.si >= 1:
        why = f"stage {plan.stage}: objects and static content move to S3 behind CloudFront"
    else:
        why = f"users_geography=global{plan.src('users_geography')}: edges near customers"
    reasons = [
        why,
        f"{fmt(plan.monthly)} requests/month × {fmt(plan.v['avg_response_kb'])} KB"
        f"{plan.src('avg_response_kb')} ⇒ {fmt(plan.egress_gb)} GB out",
    ]
    usage = {"requests": plan.monthly, "data_transfer_out_gb": plan.egress_gb}
    if plan.v["users_geography"] == "global":
        # Billed per edge geography: the stated mix, editable through the two assumptions.
        us, eu = plan.a["edge_share_north_america"], plan.a["edge_share_europe"]
        params["edge_mix"] = {
            "north_america": us,
            "europe": eu,
            "asia_pacific": round(1 - us - eu, 10),
        }
        reasons.append(
            f"customers worldwide: {fmt(us * 100)}% of the traffic at North American edges, "
            f"{fmt(eu * 100)}% European, the rest Asia Pacific"
        )
    links = ["object-storage", plan.entry()]
    return plan.new(
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


def _edge_caches_api(plan: Plan) -> bool:
    layers = plan.v["caching_layers"]
    return plan.si >= 3 if layers is None else "edge" in layers


def object_storage(plan: Plan) -> Draft:
    hit = plan.a["cdn_hit_ratio"]
    stored = plan.v["object_storage_gb"]
    usage = {
        "storage_gb": stored,
        "requests_get": plan.monthly * plan.static * (1 - hit),
        "requests_put": plan.async_events * plan.a["object_puts_per_write"],
        "data_transfer_out_gb": 0,
    }
    reasons = [
        "files and static content in S3 keep the application stateless; "
        f"{fmt(stored)} GB stored{plan.default_note('object_storage_gb')}",
        f"CloudFront answers {fmt(hit * 100)}% of static requests from its cache; S3 to "
        "CloudFront transfer is free",
    ]
    lifecycle = plan.v["data_lifecycle"] or "none"
    if lifecycle != "none":
        reasons.append(
            f"data_lifecycle={lifecycle}: lifecycle rules move objects to cheaper storage "
            f"({S3_LIFECYCLE[lifecycle]})"
        )
    params = {
        "storage_class": "STANDARD",
        "versioning": plan.with_dr,
        "lifecycle": S3_LIFECYCLE[lifecycle],
    }
    return plan.new(
        "object-storage", "object_storage", "S3 bucket", params, usage=usage, reasons=reasons
    )


def api_gateway(plan: Plan) -> Draft:
    serverless = plan.model == "serverless"
    why = (
        "Lambda is invoked through API Gateway"
        if serverless
        else f"stage {plan.stage}: a managed API service routes traffic to the application"
    )
    # Only a REST API takes a WAF web ACL directly; behind CloudFront the WAF sits there.
    rest = plan.v["l7_protection"] == "waf" and not plan.edge
    if rest:
        kind = (
            f"REST API: l7_protection=waf{plan.src('l7_protection')} with no CloudFront in "
            "front puts the WAF on the API, and only REST APIs take a web ACL"
        )
    else:
        kind = (
            "HTTP API (about 70% cheaper per request than REST): no answer needs a REST-only "
            "feature (a WAF on the API itself, usage plans and API keys, request validation)"
        )
    reasons = [why, kind, f"{fmt(plan.app_monthly)} requests/month reach the API"]
    layers = plan.v["caching_layers"]
    response_cache = layers is not None and "api" in layers
    if plan.v["api_front_door"] == "managed":
        reasons.insert(0, "api_front_door=managed: API Gateway is the API's front door")
    if response_cache:
        reasons.append("caching_layers includes api: API Gateway caches responses per route")
    links = [plan.compute_id if serverless else "load-balancer"]
    usage = {"requests": plan.app_monthly}
    api_type = "rest" if rest else "http"
    return plan.new(
        "api-gateway",
        "api_gateway",
        f"API Gateway {api_type.upper()} API",
        {"api_type": api_type, "response_cache": response_cache},
        links=links,
        usage=usage,
        reasons=reasons,
    )


def load_balancer(plan: Plan) -> Draft:
    gb_per_hour = plan.app_monthly * plan.v["avg_response_kb"] / KB_PER_GB / HOURS_PER_MONTH
    # An LCU is 25 new connections/s or 1 GB/h; one connection per request is the safe side.
    lcu = max(plan.app_avg / 25, gb_per_hour)
    azs = max(2, plan.drafts[plan.compute_id].azs)  # an ALB always spans two AZs at least
    usage = {"hours": HOURS_PER_MONTH, "lcu_hours": lcu * HOURS_PER_MONTH}
    reasons = [
        "an Application Load Balancer spreads requests over the instances and AZs",
        f"LCU ≈ max(average {fmt(plan.app_avg)} req/s ÷ 25 new connections/s, "
        f"{fmt(gb_per_hour)} GB/h processed) = {fmt(lcu)}",
    ]
    if plan.api:
        # Behind API Gateway the ALB is internal, reached through a VPC link: no public address.
        scheme = "internal"
        reasons.append(
            "internal: API Gateway reaches it through a VPC link, so it has no public IPv4 "
            "address to pay for"
        )
    else:
        # An internet-facing ALB has a node, with a public IPv4 address, in each of its AZs.
        scheme = "internet-facing"
        usage["public_ipv4_hours"] = azs * HOURS_PER_MONTH
    sticky = plan.v["stateless_app"] is False
    if sticky:
        reasons.append(
            f"sticky sessions: the application keeps state on its instances "
            f"({plan.decided('stateless_app')}), so each customer must return to the same one"
        )
    elif plan.v["api_front_door"] in ("direct", "self_managed"):
        reasons.append(
            f"api_front_door={plan.v['api_front_door']}: the load balancer stays the API's "
            "entry point, with no managed API service in front"
        )
    params = {"scheme": scheme, "sticky_sessions": sticky}
    return plan.new(
        "load-balancer",
        "load_balancer",
        "Application Load Balancer",
        params,
        azs=azs,
        links=[plan.compute_id],
        usage=usage,
        reasons=reasons,
    )
