"""The display vocabulary: what people read for every internal identifier (DESIGN section 11).

Pages, CSV headers, the roadmap PDF and emails all show the engine's kinds, parameters, usage
quantities, risk levels, doors and DR strategies through these functions, so that one word is
used for one thing everywhere and nobody reads `auto_scaling False` or `storage_gb 240`.

Pure Python (no Django): the template filters in `templatetags/planner.py` and the roadmap call
these functions. An identifier missing from a table reads as words ("read_replicas" becomes
"Read replicas") rather than as itself, and a test keeps the tables complete.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from journeys import catalog
from journeys.engine.tables import ASSUMPTIONS, DR_LABELS
from journeys.vocabulary import PILLAR_LABELS, STAGE_SHORT_TITLES, STAGES

# What each component kind is, in the words of AWS's own product names.
KIND_LABELS: dict[str, str] = {
    "dns": "DNS (Amazon Route 53)",
    "cdn": "Content delivery (Amazon CloudFront)",
    "object_storage": "Object storage (Amazon S3)",
    "waf": "Web application firewall (AWS WAF)",
    "load_balancer": "Load balancer (Elastic Load Balancing)",
    "compute": "Servers (Amazon EC2 Auto Scaling)",
    "container_service": "Containers (Amazon ECS on AWS Fargate)",
    "function": "Functions (AWS Lambda)",
    "api_gateway": "API front door (Amazon API Gateway)",
    "relational_db": "Relational database (Amazon RDS or Aurora)",
    "serverless_db": "Serverless database (Aurora Serverless v2)",
    "nosql_db": "Key-value database (Amazon DynamoDB)",
    "cache": "Cache (Amazon ElastiCache)",
    "queue": "Queue (Amazon SQS)",
    "topic": "Notifications (Amazon SNS)",
    "event_bus": "Event bus (Amazon EventBridge)",
    "identity": "Customer sign-in (Amazon Cognito)",
    "nat_gateway": "NAT gateway (Amazon VPC)",
    "cicd": "Release pipeline (AWS CodePipeline and CodeBuild)",
    "monitoring": "Monitoring (Amazon CloudWatch and AWS X-Ray)",
    "backup": "Backups (AWS Backup)",
    "search": "Search (Amazon OpenSearch Service)",
    "analytics": "Analytics (Amazon Redshift Serverless or Athena)",
    "time_series": "Time series (Amazon Timestream)",
}

# Each parameter: its label and, for numbers, the unit it is counted in.
PARAM_LABELS: dict[str, tuple[str, str]] = {
    "api_type": ("API type", ""),
    "attached_to": ("Protects", ""),
    "auto_scaling": ("Auto scaling", ""),
    "avg_ms": ("Average run time", "ms"),
    "base_rpu": ("Base capacity", "RPUs"),
    "azs": ("Availability Zones", ""),
    "build": ("Build", ""),
    "caches": ("Caches", ""),
    "capacity_mode": ("Capacity mode", ""),
    "concurrency": ("Concurrent runs at peak", ""),
    "consistency": ("Consistency", ""),
    "copies_to": ("Copies to", ""),
    "count": ("Instances", ""),
    "kind": ("Service", ""),
    "region": ("Region", ""),
    "edge_mix": ("Edge locations", ""),
    "engine": ("Engine", ""),
    "gateway_endpoints": ("Gateway endpoints", ""),
    "health_checks": ("Health checks", ""),
    "holds": ("Holds", ""),
    "instance_class": ("Instance class", ""),
    "instance_type": ("Instance type", ""),
    "level": ("Level", ""),
    "lifecycle": ("Lifecycle", ""),
    "max": ("Most instances", ""),
    "max_acu": ("Most capacity", "ACUs"),
    "memory_gb": ("Memory", "GB"),
    "memory_mb": ("Memory", "MB"),
    "min": ("Fewest instances", ""),
    "min_acu": ("Least capacity", "ACUs"),
    "multi_az": ("Standby in a second AZ", ""),
    "node_type": ("Node type", ""),
    "nodes": ("Nodes", ""),
    "pipeline": ("Pipeline", ""),
    "plan": ("Plan", ""),
    "point_in_time_recovery": ("Point-in-time recovery", ""),
    "price_class": ("Price class", ""),
    "read_replicas": ("Read replicas", ""),
    "registry": ("Image registry", ""),
    "replicas": ("Replicas of each shard", ""),
    "response_cache": ("Response cache", ""),
    "retention_days": ("Kept for", "days"),
    "role": ("Role", ""),
    "routing": ("Routing", ""),
    "rules": ("Rules", ""),
    "scheme": ("Scheme", ""),
    "service": ("Service", ""),
    "storage_class": ("Storage class", ""),
    "sticky_sessions": ("Sticky sessions", ""),
    "storage_gb": ("Storage", "GB"),
    "tasks": ("Tasks", ""),
    "type": ("Type", ""),
    "vcpu": ("vCPUs per task", ""),
    "versioning": ("Versioning", ""),
}

# Usage quantities, as an estimate line counts them.
USAGE_LABELS: dict[str, tuple[str, str]] = {
    "alarms": ("Alarms", "alarms"),
    "build_minutes": ("Build time", "minutes"),
    "cross_region_transfer_gb": ("Copied to the recovery region", "GB"),
    "custom_metrics": ("Custom metrics", "metrics"),
    "dashboards": ("Dashboards", "dashboards"),
    "data_processed_gb": ("Data processed", "GB"),
    "data_transfer_out_gb": ("Data sent to customers", "GB"),
    "ebs_gb": ("Disk", "GB"),
    "events": ("Events", "events"),
    "gb_seconds": ("Compute time", "GB-seconds"),
    "health_checks": ("Health checks", "checks"),
    "hosted_zones": ("Hosted zones", "zones"),
    "hours": ("Running time", "hours"),
    "instance_hours": ("Instance time", "hours"),
    "io_requests": ("Storage I/O", "requests"),
    "lcu_hours": ("Load balancer capacity", "LCU-hours"),
    "log_ingest_gb": ("Logs collected", "GB"),
    "mau": ("Monthly active users", "users"),
    "memory_gb_hours": ("Memory time", "GB-hours"),
    "nat_hours": ("NAT gateway time", "hours"),
    "node_hours": ("Node time", "hours"),
    "pipelines": ("Pipelines", "pipelines"),
    "public_ipv4_hours": ("Public IPv4 addresses", "address-hours"),
    "queries": ("DNS queries", "queries"),
    "read_request_units": ("Reads", "read request units"),
    "registry_storage_gb": ("Stored images", "GB"),
    "replica_instance_hours": ("Read replica time", "hours"),
    "replica_storage_gb": ("Read replica storage", "GB"),
    "replicated_write_request_units": ("Replicated writes", "write request units"),
    "replication_gb": ("Replicated data", "GB"),
    "requests": ("Requests", "requests"),
    "requests_get": ("Read requests", "requests"),
    "requests_put": ("Write requests", "requests"),
    "rpu_hours": ("Warehouse capacity", "RPU-hours"),
    "rules": ("Rules", "rules"),
    "scanned_tb": ("Data scanned", "TB"),
    "standby_instance_hours": ("Standby time", "hours"),
    "storage_gb": ("Storage", "GB-months"),
    "table_backup_gb": ("Table recovery storage", "GB-months"),
    "traces": ("Traces", "traces"),
    "vcpu_hours": ("vCPU time", "hours"),
    "volume_snapshot_gb": ("Disk snapshots", "GB-months"),
    "web_acls": ("Web ACLs", "ACLs"),
    "write_request_units": ("Writes", "write request units"),
}

# Values of text parameters that are identifiers themselves.
VALUE_LABELS: dict[str, str] = {
    "postgresql": "PostgreSQL",
    "mysql": "MySQL",
    "aurora-postgresql": "Aurora PostgreSQL",
    "aurora-mysql": "Aurora MySQL",
    "dynamodb": "DynamoDB",
    "s3": "Amazon S3",
    "cognito": "Amazon Cognito",
    "opensearch": "OpenSearch",
    "redshift_serverless": "Redshift Serverless",
    "athena": "Athena",
    "influxdb": "InfluxDB",
    "on_demand": "on demand",
    "provisioned": "provisioned",
    "http": "HTTP API",
    "rest": "REST API",
    "strong": "strong",
    "eventual": "eventual",
    "essentials": "Essentials",
    "lite": "Lite",
    "plus": "Plus",
    "internet-facing": "internet-facing",
    "internal": "internal",
    "simple": "simple",
    "latency": "by latency",
    "failover": "failover",
    "weighted": "weighted",
    "basic": "basic",
    "full": "full",
    "redis": "Redis",
    "valkey": "Valkey",
    "memcached": "Memcached",
    "PriceClass_100": "North America and Europe",
    "PriceClass_200": "most regions (not South America or Australia)",
    "PriceClass_All": "every edge location",
    "STANDARD": "S3 Standard",
    "INTELLIGENT_TIERING": "S3 Intelligent-Tiering",
    "STANDARD_IA": "S3 Standard-Infrequent Access",
}

RISK_LABELS = {"high": "High risk", "medium": "Medium risk", "none": "No risk"}
DOOR_LABELS = {
    "one_way": "One-way door (an architect signs it off)",
    "two_way": "Two-way door (easy to change later)",
}
# The engine's names of the DR strategies, as a heading or a table cell writes them.
DR_STRATEGY_LABELS = {slug: name[:1].upper() + name[1:] for slug, name in DR_LABELS.items()}


def words(identifier: str) -> str:
    """An identifier read as words: "read_replicas" -> "Read replicas" (the last resort)."""
    text = identifier.replace("_", " ").replace("-", " ").strip()
    return text[:1].upper() + text[1:]


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind) or words(kind)


def param_label(param: str) -> str:
    return PARAM_LABELS[param][0] if param in PARAM_LABELS else words(param)


def usage_label(usage: str) -> str:
    return USAGE_LABELS[usage][0] if usage in USAGE_LABELS else words(usage)


def usage_unit(usage: str) -> str:
    return USAGE_LABELS[usage][1] if usage in USAGE_LABELS else ""


def pillar_label(pillar: str) -> str:
    return PILLAR_LABELS.get(pillar) or words(pillar)


def risk_label(risk: str) -> str:
    return RISK_LABELS.get(risk) or words(risk)


def door_label(door: str) -> str:
    return DOOR_LABELS.get(door) or words(door)


def dr_strategy_label(strategy: str) -> str:
    return DR_STRATEGY_LABELS.get(strategy) or words(strategy)


def stage_label(stage: str) -> str:
    return STAGE_SHORT_TITLES.get(stage) or words(stage)


def param_value(param: str, value: Any) -> str:
    """A parameter's value for people: booleans as words, numbers grouped with their unit,
    identifiers as names, lists joined, an edge mix as shares."""
    unit = PARAM_LABELS[param][1] if param in PARAM_LABELS else ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if value is None or value == "":
        return "—"
    if isinstance(value, Mapping):
        return ", ".join(f"{words(str(k))} {percent(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(param_value(param, item) for item in value) or "—"
    if isinstance(value, int | float | Decimal):
        text = number(value)
        return f"{text} {unit}" if unit else text
    text = str(value)
    if param == "kind":
        return kind_label(text)
    if param == "attached_to":  # a component id, named by its kind ("load-balancer")
        return kind_label(text.replace("-", "_"))
    if "," in text and param in ("gateway_endpoints", "caches", "copies_to"):
        return ", ".join(value_label(part.strip()) for part in text.split(","))
    return value_label(text)


_IDENTIFIER = re.compile(r"[a-z][a-z0-9]*(?:[_-][a-z0-9]+)+")


def value_label(text: str) -> str:
    """A text value: its name when it has one, an identifier read as words, else itself."""
    if text in VALUE_LABELS:
        return VALUE_LABELS[text]
    if "_" in text and _IDENTIFIER.fullmatch(text):
        return words(text).lower()
    return text


def question_label(stage: str, qid: str) -> str:
    """A question's own label ("How available must the service be?"), else its id as words."""
    try:
        return catalog.get().question(stage, qid).label
    except KeyError:
        for other in STAGES:
            try:
                return catalog.get().question(other, qid).label
            except KeyError:
                continue
    return words(qid)


def answer_label(stage: str, qid: str, value: str) -> str:
    """An answer written as a finding's reason writes it ("yes", "99.9", "a,b") for people."""
    try:
        q = catalog.get().question(stage, qid)
    except KeyError:
        return value_label(value)
    if q.type == "yes_no":
        return {"yes": "Yes", "no": "No"}.get(value, value)
    if q.type == "multiple":
        parts = [p for p in value.split(",") if p]
        return ", ".join(_choice_label(q, p) for p in parts) or "None of these"
    if q.type == "single":
        return _choice_label(q, value)
    try:
        return q.display(Decimal(value))
    except (InvalidOperation, ValueError):
        return value_label(value)


def _choice_label(q: catalog.Question, value: str) -> str:
    chosen = q.choice(value)
    return chosen.label if chosen is not None else value_label(value)


def reason(stage: str, item: str, components: Mapping[str, str]) -> str:
    """One of a finding's reasons ("availability_target=99.9", or an override
    "primary-db.multi_az=no") as a sentence part: “How available …?” 99.9 %."""
    key, _, value = item.partition("=")
    if "." in key:
        cid, _, param = key.partition(".")
        name = components.get(cid) or words(cid)
        return f"{name}: {param_label(param)} set to {param_value(param, value)}"
    return f"“{question_label(stage, key)}” {answer_label(stage, key, value)}"


def finding_title(stage: str, finding: Any) -> str:
    """A finding's title. The risks that come straight from a chosen answer are named after
    the question and the choice ("Customer identity: in_app" reads "… : In the app")."""
    because = tuple(getattr(finding, "because", ()))
    if str(getattr(finding, "id", "")).startswith("choice-") and len(because) == 1:
        key, _, value = because[0].partition("=")
        return f"{question_label(stage, key)} {answer_label(stage, key, value)}"
    return str(getattr(finding, "title", ""))


def fix_label(fixed_by: str, components: Mapping[str, str]) -> str:
    """What removes a finding: a component ("Load balancer") or the stage that brings it."""
    if fixed_by in STAGES:
        return f"the {stage_label(fixed_by)} stage"
    return components.get(fixed_by) or words(fixed_by)


def number(value: Any, places: int = 2) -> str:
    """A number for reading: thousands grouped, at most `places` decimals, no trailing zeros."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    text = f"{amount:,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def percent(share: Any) -> str:
    """A share (0.45) as "45 %"."""
    try:
        return f"{number(Decimal(str(share)) * 100, 1)} %"
    except (InvalidOperation, ValueError):
        return str(share)


def money(value: Any) -> str:
    """Dollars to the cent: "$1,234.50"."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"


def money_per_customer(value: Any) -> str:
    """A small amount per customer with the precision it needs: "$1.74", "$0.17", "$0.029",
    "$0.0004" (two significant digits under a dime, cents above)."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return ""
    if amount == 0 or abs(amount) >= Decimal("0.1"):
        return money(amount)
    places = -abs(amount).adjusted() + 1
    text = f"{abs(amount):.{places}f}".rstrip("0")
    return f"{'-' if amount < 0 else ''}${text}"


def duration(minutes: Any) -> str:
    """Minutes as people say them: "0 minutes", "45 minutes", "1.5 hours", "1 day"."""
    try:
        total = Decimal(str(minutes))
    except (InvalidOperation, ValueError):
        return str(minutes)
    if total < 60:
        return _count(total, "minute")
    if total < 1440:
        return _count(total / 60, "hour")
    return _count(total / 1440, "day")


def _count(amount: Decimal, unit: str) -> str:
    text = number(amount, 1)
    return f"{text} {unit}{'' if text == '1' else 's'}"


def money_per_customers(value: Any) -> str:
    """A cost per customer to the cent, counted per as many customers as it takes to reach a
    dime: "$0.64 per customer", "$1.20 per 1,000 customers" (print shows no fractions of a
    cent; DESIGN 11)."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return ""
    for count, who in ((1, "customer"), (1000, "1,000 customers"), (10**6, "million customers")):
        if abs(amount) * count >= Decimal("0.1") or count == 10**6:
            return f"{money(amount * count)} per {who}"
    return ""  # unreachable: the last count always answers


_ANSWER = re.compile(r"\b([a-z][a-z0-9]*(?:_[a-z0-9]+)+)=([A-Za-z0-9_.,:-]+)")
_SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def plain(text: str, stage: str = "") -> str:
    """Text the engine or the price list wrote, with every identifier in it read as words:
    "(compute_model=containers)" becomes "(“How does the application run?” Containers)", an
    assumption's name its description, any other snake_case name words. The engine keeps its
    own compact notation (it is also read in the terminal); people read this."""

    def answered(match: re.Match[str]) -> str:
        key, value = match[1], match[2]
        if key in ASSUMPTIONS:
            return f"{ASSUMPTIONS[key].description} {value_label(value)}"
        if _is_question(stage, key):
            return f"“{question_label(stage, key)}” {answer_label(stage, key, value)}"
        return f"{words(key).lower()} {value_label(value)}"

    def named(match: re.Match[str]) -> str:
        key = match[0]
        if key in ASSUMPTIONS:
            return ASSUMPTIONS[key].description
        if _is_question(stage, key):
            return f"“{question_label(stage, key)}”"
        if key in PARAM_LABELS:
            return param_label(key).lower()
        if key in USAGE_LABELS:
            return usage_label(key).lower()
        if key in KIND_LABELS:
            return kind_label(key)
        return words(key).lower()

    return _SNAKE.sub(named, _ANSWER.sub(answered, str(text)))


def _is_question(stage: str, qid: str) -> bool:
    return question_label(stage, qid) != words(qid)
