"""The services around the application: sign-in, events and queues, NAT, CI/CD, monitoring and
backup."""

from __future__ import annotations

from journeys.engine.fmt import ceil_int, fmt
from journeys.engine.plan import Draft, Plan
from journeys.engine.tables import (
    AVAILABILITY_NO_SINGLE_AZ,
    COPIES_START,
    DEFAULT_COGNITO_PLAN,
    KB_PER_GB,
    REGISTRY_STORAGE_GB,
)


def identity(plan: Plan) -> Draft:
    customers = plan.v["customers"]
    reasons = [
        f"customer_identity=managed{plan.src('customer_identity')}: customers sign in "
        "through a Cognito user pool; the identity provider is a one-way door",
        f"{customers:,} monthly active users (customers{plan.src('customers')})",
    ]
    params = {"service": "cognito", "plan": DEFAULT_COGNITO_PLAN}
    return plan.new(
        "identity",
        "identity",
        "Cognito user pool",
        params,
        usage={"mau": customers},
        door="one_way",
        reasons=reasons,
    )


def async_services(plan: Plan) -> list[Draft]:
    events = plan.async_events
    why = f"{plan.decided('async_processing')}: features hand work over through events"
    sizing = f"{fmt(events)} write requests/month become events"
    path = (
        "one path per event: EventBridge routes each event to the SQS queue (an SNS topic "
        "beside it would deliver, and bill, every event twice)"
    )
    ms, memory = plan.a["lambda_avg_ms"], int(plan.a["lambda_memory_mb"])
    per_s = plan.app_peak * (1 - plan.read)
    concurrency = max(1, ceil_int(per_s * ms / 1000))
    worker = {"memory_mb": memory, "avg_ms": ms, "concurrency": concurrency}
    store = "primary-db" if "primary-db" in plan.drafts else "nosql-db"
    return [
        plan.new(
            "event-bus",
            "event_bus",
            "EventBridge event bus",
            {},
            links=["queue"],
            usage={"events": events},
            reasons=[why, sizing, path],
        ),
        plan.new(
            "queue",
            "queue",
            "SQS queue",
            {"type": "standard"},
            links=["worker-function"],
            usage={"requests": events * 3},
            reasons=[why, f"{sizing}; send, receive and delete ⇒ 3 requests each"],
        ),
        plan.new(
            "worker-function",
            "function",
            "Lambda worker",
            worker,
            links=[store],
            reasons=[why, f"peak {fmt(per_s)} events/s × {fmt(ms)} ms ⇒ {concurrency} at once"],
        ),
    ]


def nat(plan: Plan) -> Draft:
    pins = plan.pins("nat-gateway", "nat_gateway")
    serverless = plan.model == "serverless"
    fleet_azs = plan.az_count if serverless else plan.drafts[plan.compute_id].azs
    per_az = plan.si >= 2 or plan.availability >= AVAILABILITY_NO_SINGLE_AZ
    count = pins.get("count", fleet_azs if per_az else 1)
    endpoints = ["s3"] + (["dynamodb"] if "nosql-db" in plan.drafts else [])
    shown = " and ".join({"s3": "S3", "dynamodb": "DynamoDB"}[e] for e in endpoints)
    reasons = [
        "Lambda runs inside the VPC to reach the database or cache, and publishes events to "
        "EventBridge's public endpoint through NAT"
        if serverless
        else "instances in private subnets reach the internet (updates, images, third-party "
        "APIs) through NAT",
        f"gateway VPC endpoints for {shown} (free) keep that traffic off the NAT gateway",
        "one per AZ, so that an AZ failure does not cut the others off"
        if per_az
        else "one NAT gateway: cheaper, at the price of one AZ's dependency",
    ]
    return plan.new(
        "nat-gateway",
        "nat_gateway",
        "NAT gateway",
        {"count": count, "gateway_endpoints": ", ".join(endpoints)},
        azs=count,
        reasons=reasons,
    )


def cicd(plan: Plan) -> Draft:
    builds, minutes = plan.a["builds_per_month"], plan.a["build_minutes_per_build"]
    usage = {
        "pipelines": 1,
        "build_minutes": builds * minutes,
        "registry_storage_gb": REGISTRY_STORAGE_GB,
    }
    reasons = [
        f"release_process=ci_cd{plan.src('release_process')}: build on commit, image to "
        "ECR, artifacts in S3, deploy",
        f"{fmt(builds)} builds × {fmt(minutes)} min ⇒ {fmt(builds * minutes)} build minutes",
    ]
    params = {"pipeline": "CodePipeline", "build": "CodeBuild", "registry": "ECR"}
    return plan.new(
        "cicd",
        "cicd",
        "CI/CD pipeline",
        params,
        links=[plan.compute_id],
        usage=usage,
        reasons=reasons,
    )


def monitoring(plan: Plan) -> Draft:
    level = plan.v["monitoring"]
    per_request = plan.a["log_kb_per_request"]
    logs = plan.app_monthly * per_request / KB_PER_GB
    usage: dict[str, float] = {"dashboards": 1, "alarms": 10, "log_ingest_gb": logs}
    reasons = [
        f"monitoring={level}{plan.src('monitoring')}: CloudWatch metrics, logs and alarms",
        f"{fmt(plan.app_monthly)} requests × {fmt(per_request)} KB ⇒ {fmt(logs)} GB of logs",
    ]
    if level == "full":
        traces = plan.app_monthly * plan.a["trace_sample_rate"]
        usage.update({"dashboards": 3, "alarms": 30, "custom_metrics": 50, "traces": traces})
        reasons.append(f"X-Ray traces {fmt(plan.a['trace_sample_rate'] * 100)}% of requests")
    return plan.new(
        "monitoring", "monitoring", "CloudWatch", {"level": level}, usage=usage, reasons=reasons
    )


def backup(plan: Plan) -> Draft:
    """Backups of what each store holds, billed the way each store bills them: the primary
    store's backups (RDS or Aurora snapshots, or DynamoDB point-in-time recovery when the table
    is the primary store), the purpose-built table's point-in-time recovery, and EBS snapshots
    of the files that live on the instances' volume (EC2 without S3). Nothing else holds files:
    Lambda and Fargate keep none, so a serverless or container journey backs up its data only."""
    data = plan.v["db_storage_gb"]
    table = data * plan.nosql_share
    usage = {"storage_gb": table if plan.nosql_primary else plan.relational_gb}
    what = [
        f"{fmt(usage['storage_gb'])} GB in "
        + ("the DynamoDB table (point-in-time recovery)" if plan.nosql_primary else "the database")
    ]
    if plan.purpose_built:
        usage["table_backup_gb"] = table
        what.append(f"{fmt(table)} GB in the DynamoDB table (point-in-time recovery)")
    if plan.model == "vms" and not plan.edge:
        files = plan.v["object_storage_gb"]
        usage["volume_snapshot_gb"] = files
        what.append(f"{fmt(files)} GB of files on the instances' volume (EBS snapshots)")
    retention = 7 if plan.si == 0 else 35
    reasons = [
        f"automated backups kept {retention} days: point-in-time restore within the region",
        f"data to protect: {', '.join(what)}",
    ]
    if plan.in_region:
        reasons.append(f"backups stay in {plan.region}: data residency allows no other region")
    elif not plan.with_dr:
        reasons.append(f"copies to {plan.dr_region} {COPIES_START}")
    params = {"retention_days": retention, "copies_to": plan.dr_region if plan.with_dr else ""}
    return plan.new(
        "backup",
        "backup",
        "AWS Backup plan",
        params,
        usage=usage,
        reasons=reasons,
    )
