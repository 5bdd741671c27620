"""The application's compute: an EC2 fleet, an ECS service on Fargate, or Lambda."""

from __future__ import annotations

from typing import Any

from journeys.engine.fmt import ceil_int, fmt
from journeys.engine.plan import Draft, Plan
from journeys.engine.tables import (
    FARGATE_LADDER,
    FARGATE_MEMORY_GB,
    INSTANCE_LADDER,
    INSTANCE_SPECS,
    LAMBDA_DEFAULT_CONCURRENCY_QUOTA,
    LATENCY_HEADROOM_MS,
    MAX_FLEET_BEFORE_UPSIZE,
    MAX_TASKS_BEFORE_UPSIZE,
    STAGE_FARGATE_START,
    STAGE_INSTANCE_START,
    TIGHT_LATENCY_UTILISATION,
)


def app_compute(plan: Plan) -> Draft:
    if plan.model == "serverless":
        return lambda_function(plan)
    vms = plan.model == "vms"
    cid, kind = ("web-asg", "compute") if vms else ("app-service", "container_service")
    pins = plan.pins(cid, kind)
    azs = pins.get("azs", plan.az_count)
    # Instances that keep sessions or files cannot come and go: a stateful fleet stays fixed.
    stateful = plan.v["stateless_app"] is False
    auto = plan.si >= 1 and not stateful
    reasons: list[str] = []
    ladder: tuple[str, ...] | tuple[float, ...]
    if vms:
        ladder, start = INSTANCE_LADDER, STAGE_INSTANCE_START[plan.stage]
        limit, per = MAX_FLEET_BEFORE_UPSIZE, plan.a["rps_per_instance"]
    else:
        ladder, start = FARGATE_LADDER, STAGE_FARGATE_START[plan.stage]
        limit, per = MAX_TASKS_BEFORE_UPSIZE, plan.a["rps_per_task"]

    latency = plan.v["latency_target_ms"]
    if latency is not None and latency < LATENCY_HEADROOM_MS:
        per *= TIGHT_LATENCY_UTILISATION
        reasons.append(
            f"latency_target_ms={latency} < {LATENCY_HEADROOM_MS}: each "
            f"{'instance' if vms else 'task'} runs at {fmt(TIGHT_LATENCY_UTILISATION * 100)}% of "
            "its rated load, since queueing delay grows steeply near saturation"
        )

    def capacity(size: Any) -> float:
        return per * (INSTANCE_SPECS[size][2] if vms else size)

    def name(size: Any) -> str:
        return size if vms else f"{fmt(size)}-vCPU task"

    size_key = "instance_type" if vms else "vcpu"
    if size_key in pins:
        size = pins[size_key]
    else:
        # Climb the ladder until the fleet is small enough to run comfortably.
        fitting = (s for s in ladder[start:] if ceil_int(plan.app_peak / capacity(s)) <= limit)
        size = next(fitting, ladder[-1])
        if size != ladder[start]:
            what = "instances" if vms else "tasks"
            reasons.append(f"{name(size)} chosen: smaller sizes need more than {limit} {what}")
    cap = capacity(size)
    n = max(1, ceil_int(plan.app_peak / cap))
    count = max(n + 1, azs) if azs > 1 else n
    sizing = f"peak {fmt(plan.app_peak)} req/s at ~{fmt(cap)} req/s per {name(size)} ⇒ {n}"
    unit = "instance" if vms else "task"
    sizing += f", {count} with N+1 over {azs} AZs" if azs > 1 else f" {unit}" + "s" * (n > 1)
    reasons.insert(0, sizing)
    if auto:
        base = max(1, ceil_int(plan.app_avg / cap))
        base = max(base + 1, azs) if azs > 1 else base
        lo, hi = min(base, count), max(count + 1, ceil_int(count * 1.5))
        reasons.append(
            f"baseline {fmt(plan.app_avg)} req/s (peak ÷ peak factor {fmt(plan.peak_factor)})"
            f" ⇒ min {lo}; max {hi} leaves room above the estimated peak"
        )
    elif plan.si >= 1:
        lo = hi = count
        reasons.append(
            f"sized for the peak with no automatic scaling: the application keeps state on its "
            f"instances ({plan.decided('stateless_app')}), so they cannot come and go"
        )
    else:
        lo = hi = count
        reasons.append("sized by hand for the peak: no automatic scaling at this stage")
    reasons += [plan.az_reason(azs, "azs" in pins), *plan.load_reasons()]
    model = f"compute_model={plan.model}{plan.src('compute_model')}"
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
    return plan.new(cid, kind, label, params, azs=azs, reasons=reasons)


def lambda_function(plan: Plan) -> Draft:
    pins = plan.pins("app-function", "function")
    memory = pins.get("memory_mb", int(plan.a["lambda_memory_mb"]))
    ms = plan.a["lambda_avg_ms"]
    concurrency = max(1, ceil_int(plan.app_peak * ms / 1000))
    reasons = [
        f"the application runs on AWS Lambda (compute_model=serverless"
        f"{plan.src('compute_model')}): it scales per request and costs nothing idle",
        f"peak {fmt(plan.app_peak)} req/s × {fmt(ms)} ms ⇒ {concurrency} concurrent executions",
    ]
    if concurrency > LAMBDA_DEFAULT_CONCURRENCY_QUOTA:
        reasons.append(
            f"above the default {LAMBDA_DEFAULT_CONCURRENCY_QUOTA:,} concurrent executions "
            "of an account: request a quota increase"
        )
    if plan.lambda_in_vpc:
        inside = " and ".join(
            what
            for what, there in (("the database", not plan.nosql_primary), ("the cache", plan.cache))
            if there
        )
        reasons.append(
            f"runs inside the VPC to reach {inside} privately, which needs no NAT gateway; S3 "
            "and DynamoDB take free gateway VPC endpoints"
        )
    else:
        reasons.append(
            "runs outside any VPC: DynamoDB and S3 are reached over their AWS endpoints, so "
            "no NAT gateway"
        )
    reasons += plan.load_reasons()
    params = {"memory_mb": memory, "avg_ms": ms, "concurrency": concurrency}
    return plan.new("app-function", "function", "Lambda function", params, reasons=reasons)
