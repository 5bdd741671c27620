"""The shipped snapshot: its format, its coverage of everything the engine can emit in every
supported region, and spot checks against the published reference prices."""

from __future__ import annotations

import csv
import importlib.util
import json
import re
import sys
from collections.abc import Iterator
from decimal import Decimal
from itertools import product
from pathlib import Path
from typing import Any

import pytest

from journeys import engine
from journeys.demo_answers import DEMO_ANSWERS
from journeys.engine.tables import DR_REGION_PAIRS, FARGATE_MEMORY_GB
from journeys.pricing import keys as K
from journeys.pricing.key_set import snapshot_keys
from journeys.pricing.keys import PriceKey, state_keys
from journeys.pricing.price import Tier, check_tiers
from journeys.pricing.snapshot import (
    SNAPSHOT_FORMAT,
    SNAPSHOT_PATH,
    SUPPORTED_REGIONS,
    Snapshot,
    UnsupportedRegion,
)
from journeys.pricing.suggestions import suggestion_keys

SHARED = Path(__file__).resolve().parents[2] / "shared" / "pricing"
REFERENCE = SHARED / "reference-prices-2025-06-18.csv"
SNAPSHOT = Snapshot.load()


def test_the_file_is_in_our_format_with_source_date_and_licence() -> None:
    document = json.loads(SNAPSHOT_PATH.read_text())
    assert document["format"] == SNAPSHOT_FORMAT == "price-snapshot/1"
    assert document["source_date"] == "2025-06-18"
    assert "aws-price-watcher" in document["source"] and "MIT" in document["licence"]
    assert document["currency"] == "USD"
    assert tuple(document["regions"]) == SUPPORTED_REGIONS == SNAPSHOT.regions
    entry = next(iter(document["prices"].values()))
    assert {"unit", "tiers", "sku_or_key", "description"} <= entry.keys()
    assert {"begin", "end", "usd"} == entry["tiers"][0].keys()


def test_every_price_has_contiguous_tiers_and_derived_ones_say_why() -> None:
    document = json.loads(SNAPSHOT_PATH.read_text())
    for key_id, entry in document["prices"].items():
        assert key_id.split("/")[1] in (*SUPPORTED_REGIONS, "global"), key_id
        check_tiers(Tier.from_dict(t) for t in entry["tiers"])  # raises on a gap
        assert all(isinstance(t["usd"], str) for t in entry["tiers"]), key_id
        if entry["derived"]:
            assert "us-east-1" in entry["note"] and "not in" in entry["note"], key_id
    derived = [k for k, e in document["prices"].items() if e["derived"]]
    services = {k.split("/")[0] for k in derived}
    assert services == {
        "AmazonCognito",  # Essentials and Plus: us-east-1 list prices outside us-east-1
        "AmazonEC2",
        "AmazonCloudWatch",
        "AWSXRay",
        "CodeBuild",
        "AWSCodePipeline",
        "AmazonECR",
        "AWSEvents",
        # The purpose-built stores are not in the source data: us-east-1 figures everywhere.
        "AmazonES",
        "AmazonRedshift",
        "AmazonAthena",
        "AmazonTimestream",
    }


def test_the_snapshot_holds_exactly_the_catalogue() -> None:
    assert sorted(k.id for k in snapshot_keys(SUPPORTED_REGIONS)) == sorted(SNAPSHOT.key_ids())


def test_unsupported_regions_are_refused_with_the_list() -> None:
    with pytest.raises(UnsupportedRegion) as caught:
        SNAPSHOT.price(K.ec2_instance("ap-northeast-1", "t3.medium"))
    assert "ap-northeast-1" in str(caught.value)
    assert ", ".join(SUPPORTED_REGIONS) in str(caught.value)


# -- coverage: every state the engine can emit, in every supported region ---------------------

VARIATIONS: list[dict[str, Any]] = [
    {},
    {"traffic_pattern": "spiky"},
    {
        "async_processing": True,
        "customer_identity": "managed",
        "l7_protection": "waf",
        "monitoring": "full",
        "release_process": "ci_cd",
        "users_geography": "global",
    },
    {"rpo_minutes": 0, "rto_minutes": 0, "availability_target": "99.99", "uses_cache": True},
    {"l7_protection": "waf", "users_geography": "one_region", "monitoring": "none"},
    {
        "purpose_built_stores": ["key_value", "caching", "search", "analytics", "time_series"],
        "monitoring": "basic",
        "rpo_minutes": 5,
        "rto_minutes": 20,
    },
    {"purpose_built_stores": ["analytics"], "db_storage_gb": 100},
]


def grid(region: str) -> Iterator[engine.ArchitectureState]:
    """Every stage × compute model × database engine × a set of answer variations, then the
    overrides that reach every instance type, database class, cache node and Fargate size."""
    dr = DR_REGION_PAIRS[region]
    for stage, answers in DEMO_ANSWERS.items():
        yield engine.recommend(stage, answers, region=region, dr_region=dr)
    choices = engine.CORE_CHOICES
    for stage, model, db, extra in product(
        engine.STAGES, choices["compute_model"], choices["database_engine"], VARIATIONS
    ):
        answers = {"compute_model": model, "database_engine": db, **extra}
        yield engine.recommend(stage, answers, region=region, dr_region=dr)
    for stage in ("launch", "scale"):
        vms = {"compute_model": "vms", "uses_cache": True, "rpo_minutes": 0, "rto_minutes": 0}
        for instance_type in engine.INSTANCE_TYPES:
            yield engine.recommend(
                stage,
                vms,
                {"web-asg": {"instance_type": instance_type}},
                region=region,
                dr_region=dr,
            )
        for node in engine.CACHE_NODE_TYPES:
            yield engine.recommend(
                stage, vms, {"app-cache": {"node_type": node}}, region=region, dr_region=dr
            )
        for db in ("postgresql", "mysql"):
            for cls in engine.DB_INSTANCE_CLASSES:
                pins = {"primary-db": {"engine": db, "instance_class": cls}}
                yield engine.recommend(stage, vms, pins, region=region, dr_region=dr)
        for db in ("aurora-postgresql", "aurora-mysql"):
            for cls in engine.AURORA_INSTANCE_CLASSES:
                pins = {"primary-db": {"engine": db, "instance_class": cls}}
                yield engine.recommend(stage, vms, pins, region=region, dr_region=dr)
        containers = {**vms, "compute_model": "containers"}
        for vcpu in engine.FARGATE_VCPUS:
            size = {"app-service": {"vcpu": vcpu, "memory_gb": FARGATE_MEMORY_GB[vcpu][0]}}
            yield engine.recommend(stage, containers, size, region=region, dr_region=dr)
    # Every other supported region as the DR region: the transfer keys between each pair.
    for other in SUPPORTED_REGIONS:
        if other != region:
            yield engine.recommend("scale", DEMO_ANSWERS["scale"], region=region, dr_region=other)


@pytest.mark.parametrize("region", SUPPORTED_REGIONS)
def test_every_key_the_engine_can_need_has_a_price(region: str) -> None:
    missing: set[str] = set()
    seen: dict[str, set[Any]] = {
        "kinds": set(),
        "instance": set(),
        "db": set(),
        "cache": set(),
        "aurora": set(),
        "vcpu": set(),
    }
    for state in grid(region):
        for key in state_keys(state) + suggestion_keys(state):
            if SNAPSHOT.price(key) is None:
                missing.add(key.id)
        for c in state.components:
            seen["kinds"].add(c.kind)
            p = c.params
            if c.kind == "compute":
                seen["instance"].add(p["instance_type"])
            elif c.kind == "relational_db":
                seen["aurora" if p["engine"].startswith("aurora") else "db"].add(
                    p["instance_class"]
                )
            elif c.kind == "cache":
                seen["cache"].add(p["node_type"])
            elif c.kind == "container_service":
                seen["vcpu"].add(p["vcpu"])
    assert not missing, f"{len(missing)} keys without a price, e.g. {sorted(missing)[:5]}"
    # The grid really reaches everything the engine can emit.
    # An SNS topic is no longer emitted (one path per event flow: EventBridge to SQS); the kind
    # stays priced and drawn for the states stored before.
    assert seen["kinds"] == set(engine.KINDS) - {"topic"}
    assert seen["instance"] == set(engine.INSTANCE_TYPES)
    assert seen["db"] == set(engine.DB_INSTANCE_CLASSES)
    assert seen["aurora"] == set(engine.AURORA_INSTANCE_CLASSES)
    assert seen["cache"] == set(engine.CACHE_NODE_TYPES)
    assert seen["vcpu"] == set(engine.FARGATE_VCPUS)


# -- spot checks against the published reference prices ---------------------------------------

ENGINES = {"MySQL": "mysql", "PostgreSQL": "postgresql"}


def reference_key(item: str, region: str) -> tuple[PriceKey, int] | None:
    """The snapshot key (and tier index) of a reference row; None for prices we do not use."""
    r = region
    patterns: list[tuple[str, Any]] = [
        (r"EC2 (\S+) Linux", lambda m: (K.ec2_instance(r, m[1]), 0)),
        (r"RDS (MySQL|PostgreSQL) (\S+) (Single|Multi)-AZ",
         lambda m: (K.rds_instance(r, ENGINES[m[1]], m[2], multi_az=m[3] == "Multi"), 0)),
        (r"Aurora (MySQL|PostgreSQL) (\S+) \(Standard\)",
         lambda m: (K.rds_instance(r, "aurora-" + ENGINES[m[1]], m[2], multi_az=False), 0)),
        (r"Aurora Serverless v2 \(Standard\) per ACU-hr",
         lambda m: (K.aurora(r, "aurora-postgresql", "acu"), 0)),
        (r"Aurora storage \(Standard\) GB-Mo",
         lambda m: (K.aurora(r, "aurora-mysql", "storage"), 0)),
        (r"Aurora I/O per request", lambda m: (K.aurora(r, "aurora-mysql", "io"), 0)),
        (r"ElastiCache (\S+) Redis", lambda m: (K.cache_node(r, m[1]), 0)),
        (r"ALB hour", lambda m: (K.alb(r, "hours"), 0)),
        (r"ALB LCU-hour", lambda m: (K.alb(r, "lcu"), 0)),
        (r"S3 Standard first 50TB", lambda m: (K.s3_storage(r), 0)),
        (r"S3 Standard PUT/COPY/POST/LIST per request", lambda m: (K.s3_requests(r, "put"), 0)),
        (r"S3 Standard GET per request", lambda m: (K.s3_requests(r, "get"), 0)),
        (r"WAF web ACL", lambda m: (K.waf(r, "web_acls"), 0)),
        (r"WAF rule", lambda m: (K.waf(r, "rules"), 0)),
        (r"WAF request", lambda m: (K.waf(r, "requests"), 0)),
        (r"API GW REST first 333M per request", lambda m: (K.api_requests(r), 0)),
        (r"Lambda request", lambda m: (K.lambda_requests(r), 0)),
        (r"Lambda x86 GB-s \(tier1\)", lambda m: (K.lambda_duration(r), 0)),
        (r"Lambda arm64 GB-s \(tier1\)", lambda m: (K.lambda_duration(r, arm=True), 0)),
        (r"DynamoDB WRU", lambda m: (K.dynamodb(r, "write"), 0)),
        (r"DynamoDB RRU", lambda m: (K.dynamodb(r, "read"), 0)),
        (r"DynamoDB storage Standard", lambda m: (K.dynamodb(r, "storage"), 0)),
        (r"SQS standard request \(tier1\)", lambda m: (K.sqs_requests(r), 0)),
        (r"SNS publish API request", lambda m: (K.sns(r, "publishes"), 0)),
        (r"Fargate Linux x86 vCPU-hr", lambda m: (K.fargate(r, "vcpu"), 0)),
        (r"Fargate Linux x86 GB-hr", lambda m: (K.fargate(r, "memory"), 0)),
        # Lite keeps the legacy band rates; its first band is the 10,000 free MAUs.
        (r"Cognito user pool MAU tier 1.*", lambda m: (K.cognito_mau(r, "lite"), 1)),
        (r"Data transfer out to internet \(0-10TB\)", lambda m: (K.internet_out(r), 0)),
        (r"NAT gateway hour", lambda m: (K.nat(r, "hours"), 0)),
        (r"NAT gateway data processed", lambda m: (K.nat(r, "bytes"), 0)),
        (r"CloudFront DTO (US|EU) first 10TB",
         lambda m: (K.cloudfront(m[1].lower(), "out"), 0)),
        (r"CloudFront HTTPS request (US|EU)",
         lambda m: (K.cloudfront(m[1].lower(), "requests"), 0)),
        (r"Route53 hosted zone \(first 25\)", lambda m: (K.route53("hosted_zones"), 0)),
        (r"Route53 hosted zone \(26\+\)", lambda m: (K.route53("hosted_zones"), 1)),
        (r"Route53 standard query first 1B", lambda m: (K.route53("queries"), 0)),
    ]  # fmt: skip
    for pattern, make in patterns:
        match = re.fullmatch(pattern, item)
        if match:
            return make(match)
    return None


@pytest.mark.skipif(not REFERENCE.exists(), reason=f"{REFERENCE} not found (needs ../shared)")
def test_snapshot_prices_match_the_reference_prices() -> None:
    checked, unused = 0, []
    with open(REFERENCE, newline="") as f:
        for row in csv.DictReader(f):
            region = row["region"] if row["region"] in SUPPORTED_REGIONS else "us-east-1"
            found = reference_key(row["item"], region)
            if found is None or found[0].id not in SNAPSHOT:
                unused.append(row["item"])
                continue
            key, tier = found
            price = SNAPSHOT.price(key)
            assert price is not None
            assert price.tiers[tier].usd == Decimal(row["usd"]), (row["item"], row["region"])
            checked += 1
    # The rest are sizes and options the engine never emits (m5, c5, Valkey, FIFO, EKS...).
    assert checked >= 70, f"only {checked} reference prices checked; unused: {unused}"


def _builder() -> Any:
    path = Path(__file__).resolve().parents[1] / "scripts" / "build_price_snapshot.py"
    spec = importlib.util.spec_from_file_location("build_price_snapshot", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not SHARED.exists(), reason=f"{SHARED} not found (needs ../shared)")
def test_the_shipped_snapshot_is_what_the_builder_makes() -> None:
    document = _builder().build(SHARED)
    shipped = json.loads(SNAPSHOT_PATH.read_text())
    assert document["prices"] == shipped["prices"]
    assert document["source_date"] == shipped["source_date"]
