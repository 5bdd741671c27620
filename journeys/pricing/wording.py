"""What each estimate line assumes, in words a finance reader follows.

`assumes(component, usage, quantity, where)` turns an engine quantity back into the counts it
stands for ("2 × 240 GB gp3: primary and one read replica", "3 × m6g.large instances on
average, all month"): hours become machines running all month (730 hours), GB-months stay GB.
Pure: it reads the component's params and the quantity, nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from journeys.engine.state import Component
from journeys.labels import number
from journeys.vocabulary import HOURS_PER_MONTH

_MONTH = Decimal(HOURS_PER_MONTH)


def _running(q: Decimal) -> str:
    return number(q / _MONTH)


def _plural(count: Decimal | int, one: str, many: str) -> str:
    return one if Decimal(count) == 1 else many


def _rds_storage(c: Component, q: Decimal) -> str:
    p = c.params
    if p.get("engine", "").startswith("aurora"):
        return f"{number(q)} GB in Aurora's cluster volume, shared by the writer and its replicas"
    size = Decimal(str(p.get("storage_gb") or q))
    copies = int((q / size).to_integral_value()) if size else 1
    standby = "; Multi-AZ's standby copy is in the price" if p.get("multi_az") else ""
    if copies > 1:
        replicas = copies - 1
        which = "one read replica" if replicas == 1 else f"{replicas} read replicas"
        return f"{copies} × {number(size)} GB gp3: primary and {which}{standby}"
    return f"{number(q)} GB of gp3 database storage{standby}"


def _db_instance(c: Component, q: Decimal) -> str:
    p = c.params
    if p.get("engine", "").startswith("aurora"):
        return f"1 × {p['instance_class']} Aurora writer running all month"
    how = "Multi-AZ: primary and standby" if p.get("multi_az") else "single-AZ"
    return f"1 × {p['instance_class']} ({how}) running all month"


def _ipv4(c: Component, q: Decimal) -> str:
    count = _running(q)
    why = {
        "load_balancer": "one per load balancer node, a node in each AZ",
        "nat_gateway": "one Elastic IP per NAT gateway",
        "compute": "one per instance facing the internet (no load balancer in front)",
    }.get(c.kind, "addresses in use")
    return f"{count} public IPv4 {_plural(q / _MONTH, 'address', 'addresses')} all month: {why}"


def _mau(c: Component, q: Decimal) -> str:
    plan = str(c.params.get("plan", "essentials"))
    free = "no free users on Plus" if plan == "plus" else "the first 10,000 are free every month"
    return f"{number(q)} monthly active users on Cognito {plan.capitalize()}; {free}"


Words = Callable[[Component, Decimal], str]

_WORDS: dict[tuple[str, str], Words] = {
    ("compute", "instance_hours"): lambda c, q: (
        f"{_running(q)} × {c.params['instance_type']} instances on average, all month"
    ),
    ("compute", "ebs_gb"): lambda c, q: f"{number(q)} GB of gp3 disk on the instances",
    ("container_service", "vcpu_hours"): lambda c, q: (
        f"{_running(q)} vCPU on average all month ({number(c.params.get('vcpu', 0))} per task)"
    ),
    ("container_service", "memory_gb_hours"): lambda c, q: (
        f"{_running(q)} GB of task memory on average all month"
    ),
    ("function", "requests"): lambda c, q: f"{number(q)} invocations a month",
    ("function", "gb_seconds"): lambda c, q: (
        f"{number(q)} GB-seconds: invocations × average duration × "
        f"{number(c.params.get('memory_mb', 0))} MB"
    ),
    ("load_balancer", "hours"): lambda c, q: f"{_running(q)} load balancer running all month",
    ("load_balancer", "lcu_hours"): lambda c, q: (
        f"{_running(q)} load balancer capacity units on average"
    ),
    ("relational_db", "instance_hours"): _db_instance,
    ("relational_db", "replica_instance_hours"): lambda c, q: (
        f"{_running(q)} × {c.params['instance_class']} read "
        f"{_plural(q / _MONTH, 'replica', 'replicas')} running all month"
    ),
    ("relational_db", "storage_gb"): _rds_storage,
    ("relational_db", "replica_storage_gb"): lambda c, q: (
        f"{number(c.params.get('read_replicas', 1))} × {number(c.params.get('storage_gb', q))} "
        f"GB gp3: each read replica's own volume, single-AZ"
    ),
    ("relational_db", "io_requests"): lambda c, q: (
        f"{number(q)} storage I/O requests: about one per database write"
    ),
    ("serverless_db", "acu_hours"): lambda c, q: (
        f"{_running(q)} Aurora capacity units on average, all month"
    ),
    ("serverless_db", "storage_gb"): lambda c, q: f"{number(q)} GB in Aurora's cluster volume",
    ("serverless_db", "io_requests"): lambda c, q: (
        f"{number(q)} storage I/O requests: about one per database write"
    ),
    ("nosql_db", "read_request_units"): lambda c, q: f"{number(q)} DynamoDB read units",
    ("nosql_db", "write_request_units"): lambda c, q: f"{number(q)} DynamoDB write units",
    ("nosql_db", "replicated_write_request_units"): lambda c, q: (
        f"{number(q)} writes replicated to this region's table"
    ),
    ("nosql_db", "storage_gb"): lambda c, q: f"{number(q)} GB stored in DynamoDB",
    ("cache", "node_hours"): lambda c, q: (
        f"{_running(q)} × {c.params['node_type']} cache "
        f"{_plural(q / _MONTH, 'node', 'nodes')} running all month"
    ),
    ("object_storage", "storage_gb"): lambda c, q: f"{number(q)} GB of files in S3",
    ("object_storage", "requests_get"): lambda c, q: (
        f"{number(q)} reads that CloudFront's cache does not answer"
    ),
    ("object_storage", "requests_put"): lambda c, q: f"{number(q)} files written a month",
    ("cdn", "requests"): lambda c, q: f"{number(q)} HTTPS requests to CloudFront a month",
    ("cdn", "data_transfer_out_gb"): lambda c, q: f"{number(q)} GB delivered to customers",
    ("api_gateway", "requests"): lambda c, q: f"{number(q)} API requests a month",
    ("waf", "web_acls"): lambda c, q: f"{number(q)} web ACL",
    ("waf", "rules"): lambda c, q: f"{number(q)} rules in the web ACL",
    ("waf", "requests"): lambda c, q: f"{number(q)} requests inspected a month",
    ("dns", "hosted_zones"): lambda c, q: f"{number(q)} hosted zone for the domain",
    ("dns", "queries"): lambda c, q: f"{number(q)} DNS queries a month",
    ("dns", "health_checks"): lambda c, q: f"{number(q)} health checks that drive failover",
    ("identity", "mau"): _mau,
    ("queue", "requests"): lambda c, q: (
        f"{number(q)} SQS requests: send, receive and delete for each event"
    ),
    ("topic", "publishes"): lambda c, q: f"{number(q)} events published a month",
    ("topic", "deliveries"): lambda c, q: f"{number(q)} deliveries to the queue (free)",
    ("event_bus", "events"): lambda c, q: f"{number(q)} events a month",
    ("nat_gateway", "nat_hours"): lambda c, q: (
        f"{_running(q)} NAT {_plural(q / _MONTH, 'gateway', 'gateways')} running all month"
    ),
    ("nat_gateway", "data_processed_gb"): lambda c, q: (
        f"{number(q)} GB leaving private subnets through NAT"
    ),
    ("cicd", "pipelines"): lambda c, q: f"{number(q)} release pipeline",
    ("cicd", "build_minutes"): lambda c, q: f"{number(q)} build minutes a month",
    ("cicd", "registry_storage_gb"): lambda c, q: f"{number(q)} GB of container images",
    ("monitoring", "dashboards"): lambda c, q: f"{number(q)} dashboards",
    ("monitoring", "alarms"): lambda c, q: f"{number(q)} alarms",
    ("monitoring", "log_ingest_gb"): lambda c, q: f"{number(q)} GB of logs written a month",
    ("monitoring", "custom_metrics"): lambda c, q: f"{number(q)} custom metrics",
    ("monitoring", "traces"): lambda c, q: f"{number(q)} request traces a month",
    ("backup", "storage_gb"): lambda c, q: (
        f"{number(q)} GB of backups kept {number(c.params.get('retention_days', 0))} days"
        if c.params.get("retention_days")
        else f"{number(q)} GB of backups"
    ),
    ("backup", "table_backup_gb"): lambda c, q: (
        f"{number(q)} GB of DynamoDB table backups copied from the home region"
        if c.id.startswith("dr-")
        else f"{number(q)} GB of DynamoDB point-in-time recovery (the table's size)"
    ),
    ("backup", "volume_snapshot_gb"): lambda c, q: (
        f"{number(q)} GB of EBS snapshots of the files on the instances' volume"
    ),
    ("backup", "cross_region_transfer_gb"): lambda c, q: (
        f"{number(q)} GB of changed data copied to {c.region} a month"
    ),
}


def assumes(component: Component, usage: str, quantity: Decimal, where: str = "") -> str:
    """The line's assumption in plain words; `where` names the part of a split usage."""
    words = _WORDS.get((component.kind, usage))
    if usage == "public_ipv4_hours":
        text = _ipv4(component, quantity)
    elif usage == "replication_gb":
        text = f"{number(quantity)} GB of changed data replicated to {component.region} a month"
    elif usage == "data_transfer_out_gb" and words is None:
        text = f"{number(quantity)} GB of responses sent to customers over the internet"
    elif words is not None:
        text = words(component, quantity)
    else:
        text = f"{number(quantity)} {usage.replace('_', ' ')} a month"
    return f"{text} ({where})" if where else text
