#!/usr/bin/env python
"""Build journeys/pricing/data/snapshot.json from published AWS prices.

    .venv/bin/python scripts/build_price_snapshot.py [--source ../shared/pricing] [--output PATH]

Reads the aws-price-watcher price maps (QuinnyPig/aws-price-watcher, data of 2025-06-18, MIT)
under `--source` at build time only; the JSON it writes is committed, and nothing reads the
source at run time. The key set is `journeys.pricing.key_set.snapshot_keys`, the same one
`manage.py refresh_price_snapshot` fetches from the Price List API. Every key must get a price:
the build fails, naming the key, rather than ship a gap.

A few prices the source does not have (NAT gateway, EBS gp3 and snapshots, CloudWatch, X-Ray,
CodeBuild, CodePipeline, ECR, EventBridge) are AWS's published us-east-1 list prices, written into
every region and marked "derived" with the reason; `refresh_price_snapshot` replaces them with
the regional figures.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from journeys.pricing.key_set import snapshot_keys  # noqa: E402
from journeys.pricing.keys import EDGE_GEOGRAPHIES, PriceKey  # noqa: E402
from journeys.pricing.price import ResolvedPrice, Tier  # noqa: E402
from journeys.pricing.snapshot import (  # noqa: E402
    SNAPSHOT_PATH,
    SUPPORTED_REGIONS,
    snapshot_document,
    snapshot_entry,
    write_snapshot,
)

DEFAULT_SOURCE = ROOT.parent / "shared" / "pricing"
SOURCE_DATE = "2025-06-18"
SOURCE = (
    "QuinnyPig/aws-price-watcher commit a6645eb (AWS public on-demand prices, data of "
    "2025-06-18); figures marked derived are AWS's published us-east-1 list prices"
)
LICENCE = (
    "Prices are AWS's published list prices (facts); compiled by aws-price-watcher, MIT licence, "
    "copyright its authors. This file is the Journey Planner's own format."
)

# aws-price-watcher names regions by the Price List `location` attribute, old style ("EU (...)").
LOCATIONS = {
    "us-east-1": "US East (N. Virginia)",
    "us-east-2": "US East (Ohio)",
    "us-west-2": "US West (Oregon)",
    "eu-west-1": "EU (Ireland)",
    "eu-west-2": "EU (London)",
    "eu-central-1": "EU (Frankfurt)",
    "ap-south-1": "Asia Pacific (Mumbai)",
    "ap-southeast-1": "Asia Pacific (Singapore)",
}
# CloudFront geographies as aws-price-watcher names them.
EDGE_NAMES = {
    "us": "United States",
    "eu": "EU",
    "in": "India",
    "ap": "Asia Pacific",
    "jp": "Japan",
    "au": "Australia",
    "sa": "South America",
}

NOT_IN_SOURCE = "not in the aws-price-watcher data"
NAT_NOTE = (
    "NAT gateway prices are not in aws-price-watcher (vpc.json has no NAT rows): the us-east-1 "
    "figure (0.045 USD per hour and per GB processed, per shared/pricing/README) is used in every "
    "region. Most non-US regions publish more (e.g. ap-southeast-1 0.059): run "
    "refresh_price_snapshot for the regional figure."
)
# usage type suffix -> (usd per unit, what it is). AWS public pricing pages, us-east-1.
LIST_PRICES: dict[tuple[str, str], tuple[str, str]] = {
    ("AmazonEC2", "Storage"): ("0.08", "EBS gp3 volume storage, per GB-month"),
    ("AmazonEC2", "EBS:SnapshotUsage"): ("0.05", "EBS snapshot storage (standard), per GB-month"),
    ("AWSEvents", "Event-64K-Chunks"): ("0.000001", "EventBridge custom events, $1.00 per million"),
    ("AWSCodePipeline", "activePipeline"): ("1.00", "CodePipeline V1 active pipeline, per month"),
    ("CodeBuild", "Build-Min:Linux:g1.small"): (
        "0.005",
        "CodeBuild general1.small Linux, per build minute",
    ),
    ("AmazonECR", "TimedStorage-ByteHrs"): ("0.10", "ECR private repository storage, per GB-month"),
    ("AmazonCloudWatch", "DashboardsUsageHour-Basic"): ("3.00", "CloudWatch dashboard, per month"),
    ("AmazonCloudWatch", "CW:AlarmMonitorUsage"): (
        "0.10",
        "CloudWatch standard-resolution alarm metric, per month",
    ),
    ("AmazonCloudWatch", "DataProcessing-Bytes"): (
        "0.50",
        "CloudWatch Logs standard ingestion, per GB",
    ),
    ("AWSXRay", "XRay-TracesStored"): ("0.000005", "X-Ray traces recorded, $5.00 per million"),
}
# CloudWatch custom metrics are tiered: first 10,000 / next 240,000 / next 750,000 / over 1M.
CUSTOM_METRIC_TIERS = ((10_000, "0.30"), (250_000, "0.10"), (1_000_000, "0.05"), (None, "0.02"))

# Cognito user pool feature plans (AWS Cognito pricing page, plans of November 2024). The free
# MAUs are a $0 first band, so that they are always applied: they do not expire after the
# first year. Essentials and Plus are not in aws-price-watcher (its cognito.json holds the
# legacy bands, which Lite keeps at the same rates).
COGNITO_FREE_MAU = 10_000
COGNITO_PAGE = "AWS Cognito pricing page (feature plans of 2024-11-22)"
COGNITO_LIST_PRICES = {
    "CognitoEssentialsMAU": (
        ((COGNITO_FREE_MAU, "0"), (None, "0.015")),
        "Cognito Essentials MAU: first 10,000 a month free, then $0.015",
    ),
    "CognitoPlusMAU": (((None, "0.02"),), "Cognito Plus MAU: $0.02 each, no free tier"),
}
# Lite: the first 10,000 free, then the legacy bands' rates on MAUs counted from the first:
# 10,001-100,000, 100,001-1,000,000, 1,000,001-10,000,000, over 10,000,000.
COGNITO_LITE_BANDS = [
    (COGNITO_FREE_MAU, None),
    (100_000, "User Pool MAU 0 upto 50000 per Requests"),
    (1_000_000, "User Pool MAU 50000 upto 950000 per Requests"),
    (10_000_000, "User Pool MAU 950000 upto 9950000 per Requests"),
    (None, "User Pool MAU 9950000 upto Inf per Requests"),
]


# The purpose-built stores: aws-price-watcher has no file for OpenSearch Service, Redshift,
# Athena or Timestream. Each figure is AWS's us-east-1 on-demand price, written into every region
# and marked derived; those without a source we could cite are marked "estimated from ...".
# (usd, what, where the figure comes from, estimated?)
ATHENA_PAGE = (
    "AWS Athena pricing, $5.00 per TB scanned (quoted by athena.guide, 2020-10-15, and "
    "rcpedia.stanford.edu/services/athena, both read 2026-11)"
)
OPENSEARCH_ESTIMATE = (
    "estimated: the OpenSearch Service on-demand rate for us-east-1 as last known to the author "
    "(no citable page found in 2026-11); run refresh_price_snapshot"
)
STORE_PRICES: dict[tuple[str, str], tuple[str, str, str, bool]] = {
    ("AmazonES", "m6g.large.search"): (
        "0.128",
        "OpenSearch m6g.large.search data node, per hour",
        OPENSEARCH_ESTIMATE,
        True,
    ),
    ("AmazonES", "r6g.large.search"): (
        "0.167",
        "OpenSearch r6g.large.search data node, per hour",
        OPENSEARCH_ESTIMATE,
        True,
    ),
    ("AmazonES", "r6g.xlarge.search"): (
        "0.335",
        "OpenSearch r6g.xlarge.search data node, per hour",
        OPENSEARCH_ESTIMATE,
        True,
    ),
    ("AmazonES", "r6g.2xlarge.search"): (
        "0.669",
        "OpenSearch r6g.2xlarge.search data node, per hour",
        OPENSEARCH_ESTIMATE,
        True,
    ),
    ("AmazonES", "r6g.4xlarge.search"): (
        "1.339",
        "OpenSearch r6g.4xlarge.search data node, per hour",
        OPENSEARCH_ESTIMATE,
        True,
    ),
    ("AmazonES", "GP3"): (
        "0.122",
        "OpenSearch gp3 storage, per GB-month",
        "estimated from the gp2 rate of $0.135 per GB-month less the 9.6 % that AWS's Big Data "
        "Blog ('Lower your Amazon OpenSearch Service storage cost with gp3', 2022) gives for gp3",
        True,
    ),
    ("AmazonRedshift", "ServerlessUsage"): (
        "0.375",
        "Redshift Serverless compute, per RPU-hour",
        "estimated from AWS's Redshift pricing page figure for us-east-1; the page we could "
        "retrieve (awsnegotiations.com, May 2026) gives $0.36-0.50 by region",
        True,
    ),
    ("AmazonRedshift", "RMS:ServerlessStorage"): (
        "0.024",
        "Redshift managed storage, per GB-month",
        "estimated from the S3-backed managed-storage rate of $0.024 per GB-month that "
        "cloudburn.io quotes for OpenSearch managed storage (March 2026, us-east-1)",
        True,
    ),
    ("AmazonAthena", "DataScannedInTB"): (
        "5.00",
        "Athena data scanned, per TB",
        ATHENA_PAGE,
        False,
    ),
    ("AmazonTimestream", "Influx IO Included 3K"): (
        "0.115",
        "Timestream for InfluxDB storage, per GB-month",
        "estimated from RDS gp3 storage in us-east-1 (rds-storage.json, 2025-06-18): no "
        "citable InfluxDB storage price found in 2026-11",
        True,
    ),
}
# Timestream for InfluxDB: AWS's agent toolkit (aws/agent-toolkit-for-aws, timestream.md)
# gives about $95 a month for db.influx.medium on demand, i.e. about $0.13 an hour; AWS's
# prescriptive guidance says the hourly cost doubles with each size.
INFLUX_MEDIUM_HOURLY = Decimal("0.13")
INFLUX_SIZES = ("medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge")
INFLUX_SOURCE = (
    "estimated from about $95 a month for db.influx.medium (aws/agent-toolkit-for-aws, "
    "timestream.md, read 2026-11), doubling with each size (AWS Prescriptive Guidance, "
    "Timestream for InfluxDB cost optimization)"
)


class MissingPrice(LookupError):
    pass


@dataclass(frozen=True)
class Found:
    tiers: tuple[Tier, ...]
    unit: str
    source_key: str
    description: str
    derived: bool = False
    note: str = ""
    # An estimate stays marked in us-east-1 too: it is not AWS's published figure for the key.
    estimated: bool = False


def tiers(bands: Sequence[tuple[int | Decimal | None, str | Decimal]]) -> tuple[Tier, ...]:
    """[(end, usd), ...] lowest first -> contiguous tiers from 0."""
    out, begin = [], Decimal(0)
    for end, usd in bands:
        stop = None if end is None else Decimal(end)
        out.append(Tier(begin, stop, Decimal(usd)))
        if stop is not None:
            begin = stop
    return tuple(out)


class Watcher:
    """The aws-price-watcher maps: {metric: {location: "usd"}} per file, read on first use."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._files: dict[str, dict[str, dict[str, str]]] = {}

    def file(self, name: str) -> dict[str, dict[str, str]]:
        if name not in self._files:
            with open(self.folder / name, encoding="utf-8") as f:
                self._files[name] = json.load(f)
        return self._files[name]

    def at(self, name: str, metric: str, location: str) -> Decimal:
        try:
            return Decimal(self.file(name)[metric][location])
        except KeyError:
            raise MissingPrice(f"{name} :: {metric} @ {location!r}") from None

    def one(
        self, name: str, metric: Callable[[str], bool], location: Callable[[str], bool]
    ) -> Decimal:
        """The single price of every (metric, location) matching: all must agree."""
        found = {
            Decimal(usd)
            for m, by_location in self.file(name).items()
            if metric(m)
            for loc, usd in by_location.items()
            if location(loc)
        }
        if len(found) != 1:
            raise MissingPrice(f"{name}: {len(found)} different prices match ({sorted(found)})")
        return found.pop()

    def ranged(
        self, name: str, metric: str, prefix: str
    ) -> tuple[Decimal, Decimal | None, Decimal]:
        """A price whose location carries "(StartingRange: a, EndingRange: b)"."""
        for loc, usd in self.file(name)[metric].items():
            match = re.fullmatch(
                re.escape(prefix) + r" \(StartingRange: ([\d.]+), EndingRange: ([\d.]+|Inf)\)", loc
            )
            if match:
                end = None if match[2] == "Inf" else Decimal(match[2])
                return Decimal(match[1]), end, Decimal(usd)
        raise MissingPrice(f"{name} :: {metric} @ {prefix!r}")


def _usage(key: PriceKey) -> str:
    """The usage type without its region prefix."""
    value = key.attributes.get("usagetype", "")
    return value.split("-", 1)[1] if re.match(r"^(USE|USW|EU|EUW|EUC|APS)\d*-", value) else value


def _flat(usd: Decimal, unit: str, source_key: str, description: str) -> Found:
    return Found((Tier(Decimal(0), None, usd),), unit, source_key, description)


def _bands(
    w: Watcher, name: str, metrics: list[tuple[int | None, str]], loc: str, unit: str, what: str
) -> Found:
    bands = [(end, w.at(name, metric, loc)) for end, metric in metrics]
    keys = "; ".join(metric for _, metric in metrics)
    return Found(tiers(bands), unit, f"{name} :: {keys} @ {loc}", f"{what}, {loc}")


def _instance_location(loc: str, instance: str) -> Callable[[str], bool]:
    return lambda text: (
        text.startswith(f"{loc} (Instance Type: {instance},")
        or text == (f"{loc} (Instance Type: {instance})")
    )


def find(key: PriceKey, w: Watcher) -> Found:
    found = _find(key, w)
    if found.derived and key.region == "us-east-1" and not found.estimated:
        # The list price is us-east-1's own: published for this key, not estimated.
        return Found(found.tiers, found.unit, found.source_key, found.description)
    return found


def _find(key: PriceKey, w: Watcher) -> Found:
    a, region, unit = key.attributes, key.region, key.unit
    loc = LOCATIONS.get(region, "")
    service, usage = key.service_code, _usage(key)

    if (service, usage) in LIST_PRICES or (service, a.get("productFamily")) in LIST_PRICES:
        cost, what = LIST_PRICES.get((service, usage)) or LIST_PRICES[(service, a["productFamily"])]
        note = f"{what}: us-east-1 list price used for {region}, {NOT_IN_SOURCE}"
        return Found(
            (Tier(Decimal(0), None, Decimal(cost)),),
            unit,
            f"AWS pricing page ({what})",
            f"{what} (us-east-1 list price)",
            derived=True,
            note=note,
        )
    if service in ("AmazonES", "AmazonRedshift", "AmazonAthena", "AmazonTimestream"):
        return _store(key, usage)
    if service == "AmazonCloudWatch" and usage == "CW:MetricMonitorUsage":
        note = (
            f"CloudWatch custom metrics: us-east-1 list prices used for {region}, {NOT_IN_SOURCE}"
        )
        return Found(
            tiers(list(CUSTOM_METRIC_TIERS)),
            unit,
            "AWS pricing page (CloudWatch custom metrics)",
            "CloudWatch custom metric, per month (us-east-1 list price)",
            derived=True,
            note=note,
        )
    if service == "AmazonEC2" and a.get("productFamily") == "NAT Gateway":
        what = "hour" if unit == "Hrs" else "GB processed"
        return Found(
            (Tier(Decimal(0), None, Decimal("0.045")),),
            unit,
            "shared/pricing/README (us-east-1)",
            f"NAT gateway, per {what} (us-east-1 figure)",
            derived=True,
            note=NAT_NOTE,
        )
    if service == "AmazonEC2":
        t = a["instanceType"]
        metric = f"OnDemand Linux-instancetype-{t}"
        return _flat(
            w.at("ec2.json", metric, loc),
            unit,
            f"ec2.json :: {metric} @ {loc}",
            f"EC2 {t} Linux on-demand instance-hour, {loc}",
        )

    if service == "AWSDataTransfer" and "toRegionCode" in a:
        to = a["toRegionCode"]
        dest = re.sub(r"[().]", "", LOCATIONS[to])
        metric = f"DataTransfer InterRegion Outbound to {dest}"
        where = f"{loc} (To Location: {LOCATIONS[to]})"
        return _flat(
            w.at("datatransfer.json", metric, where),
            unit,
            f"datatransfer.json :: {metric} @ {where}",
            f"Data transfer {region} → {to}, per GB",
        )
    if service == "AWSDataTransfer":
        outbound = [
            "DataTransfer External Outbound Next 10 TB",
            "DataTransfer External Outbound Next 40 TB",
            "DataTransfer External Outbound Next 100 TB",
            "DataTransfer External Outbound Greater than 150 TB",
        ]
        ranges = sorted(w.ranged("datatransfer.json", m, loc) for m in outbound)
        return Found(
            tuple(Tier(b, e, usd) for b, e, usd in ranges),
            unit,
            f"datatransfer.json :: {'; '.join(outbound)} @ {loc}",
            f"Data transfer out to the internet, per GB, {loc}",
        )

    if service == "AmazonECS":
        arm = "ARM " if "ARM" in usage else ""
        metric = f"{arm}perCPU per hour" if "vCPU" in usage else f"{arm}perGB per hour"
        what = "vCPU-hour" if "vCPU" in usage else "GB-hour"
        return _flat(
            w.at("ecs.json", metric, loc),
            unit,
            f"ecs.json :: {metric} @ {loc}",
            f"Fargate Linux {'Arm' if arm else 'x86'} per {what}, {loc}",
        )

    if service == "AWSLambda" and a["group"] == "AWS-Lambda-Requests":
        return _flat(
            w.at("lambda.json", "Lambda Requests", loc),
            unit,
            f"lambda.json :: Lambda Requests @ {loc}",
            f"Lambda requests, {loc}",
        )
    if service == "AWSLambda":
        on_arm = a["group"].endswith("-ARM")
        base = "Lambda Duration-ARM" if on_arm else "Lambda Duration"
        ends = (7_500_000_000, 18_750_000_000) if on_arm else (6_000_000_000, 15_000_000_000)
        metrics = [(ends[0], base), (ends[1], f"{base} Tier2"), (None, f"{base} Tier3")]
        what = f"Lambda duration ({'Arm' if on_arm else 'x86'}), per GB-second"
        return _bands(w, "lambda.json", metrics, loc, unit, what)

    if service == "AWSELB":
        metric = "Application Load Balancer " + (
            "Hours" if usage == "LoadBalancerUsage" else "LCU Hours"
        )
        return _flat(
            w.at("elb.json", metric, loc), unit, f"elb.json :: {metric} @ {loc}", f"{metric}, {loc}"
        )

    if service == "AmazonRDS":
        return _rds(key, w, loc, usage)

    if service == "AmazonDynamoDB":
        metric = {
            "ReadRequestUnits": "PayPerRequest Read Request Units",
            "WriteRequestUnits": "PayPerRequest Write Request Units",
            "ReplWriteRequestUnits": "PayPerRequest Replicated Write Request Units",
            "TimedStorage-ByteHrs": "Data Storage Indexed GB-Mo",
            "TimedPITRStorage-ByteHrs": "PITR Backup Storage GB-Mo",
            "TimedBackupStorage-ByteHrs": "On-Demand Backup Storage GB-Month",
        }[usage]
        return _flat(
            w.at("dynamodb.json", metric, loc),
            unit,
            f"dynamodb.json :: {metric} @ {loc}",
            f"DynamoDB {metric}, {loc}",
        )

    if service == "AmazonElastiCache":
        node = a["instanceType"]
        short = node.removeprefix("cache.")
        usd = w.one(
            "elasticache.json",
            lambda m: (
                m.startswith("[OnDemand Cache Instance")
                and m.endswith(f" cache {short} Redis Current Generation")
            ),
            _instance_location(loc, node),
        )
        return _flat(
            usd,
            unit,
            f"elasticache.json :: OnDemand {node} Redis @ {loc}",
            f"ElastiCache {node} Redis on-demand node-hour, {loc}",
        )

    if service == "AmazonS3":
        return _s3(key, w, loc, usage)

    if service == "AmazonCloudFront":
        return _cloudfront(key, w)

    if service == "AmazonApiGateway" and usage == "ApiGatewayHttpRequest":
        metrics = [
            (300_000_000, "ApiGatewayHttpApi First 300 million"),
            (None, "ApiGatewayHttpApi more than 300 million"),
        ]
        return _bands(w, "apigateway.json", metrics, loc, unit, "API Gateway HTTP API requests")

    if service == "AmazonApiGateway":
        metrics = [
            (333_000_000, "API Calls Number of up to 333 million"),
            (1_000_000_000, "API Calls Number of Request Next 667 million"),
            (20_000_000_000, "API Calls Number of Request Next 19 billion"),
            (None, "API Calls Number of Request Over 20 billion"),
        ]
        return _bands(w, "apigateway.json", metrics, loc, unit, "API Gateway REST API requests")

    if service == "awswaf":
        metric = {
            "WebACL": "Web ACL Activated per Month",
            "Rule": "Rules added per WebACL per month",
            "Request": "Web Requests received per Request",
        }[usage]
        return _flat(
            w.at("waf.json", metric, loc),
            unit,
            f"waf.json :: {metric} @ {loc}",
            f"WAF {metric}, {loc}",
        )

    if service == "AmazonRoute53":
        return _route53(key, w, usage)

    if service == "AmazonVPC":
        metric = "Hourly charge for In use Public IPv4 Addresses per Hrs"
        return _flat(
            w.at("vpc.json", metric, loc),
            unit,
            f"vpc.json :: {metric} @ {loc}",
            f"Public IPv4 address in use, per hour, {loc}",
        )

    if service == "AmazonCognito" and usage == "CognitoLiteMAU":
        bands = [
            (end, Decimal(0) if metric is None else w.at("cognito.json", metric, loc))
            for end, metric in COGNITO_LITE_BANDS
        ]
        names = "; ".join(m for _, m in COGNITO_LITE_BANDS if m)
        return Found(
            tiers(bands),
            unit,
            f"cognito.json :: {names} @ {loc}",
            f"Cognito Lite MAU (first 10,000 a month free), {loc}",
            note="Lite keeps the legacy bands' rates, on MAUs counted from the first",
        )
    if service == "AmazonCognito":
        bands_usd, what = COGNITO_LIST_PRICES[usage]
        return Found(
            tiers(list(bands_usd)),
            unit,
            COGNITO_PAGE,
            f"{what} (us-east-1 list price)",
            derived=True,
            note=f"{what}: us-east-1 list price used for {region}, {NOT_IN_SOURCE}",
        )

    if service == "AWSQueueService":
        metrics = [
            (100_000_000_000, "Standard per Requests"),
            (200_000_000_000, "Standard per Requests Tier2"),
            (None, "Standard per Requests Tier3"),
        ]
        return _bands(w, "queueservice.json", metrics, loc, unit, "SQS standard queue requests")

    if service == "AmazonSNS":
        metric = (
            "Amazon SNS API Requests" if usage == "Requests-Tier1" else "Amazon SQS Notifications"
        )
        return _flat(
            w.at("sns.json", metric, loc),
            unit,
            f"sns.json :: {metric} @ {loc}",
            f"SNS {metric}, {loc}",
        )

    raise MissingPrice(f"no recipe for {key.id}")


def _store(key: PriceKey, usage: str) -> Found:
    """A purpose-built store's price: us-east-1's figure in every region, marked derived, and
    "estimated from ..." where no citable source gave it (see STORE_PRICES)."""
    a, region = key.attributes, key.region
    if key.service_code == "AmazonTimestream" and a.get("productFamily") == "Database Instance":
        size = a["instanceType"].removeprefix("db.influx.")
        usd = INFLUX_MEDIUM_HOURLY * 2 ** INFLUX_SIZES.index(size)
        cost, what = str(usd), f"Timestream for InfluxDB {a['instanceType']}, per hour"
        source, estimated = INFLUX_SOURCE, True
    else:
        name = a.get("instanceType") or a.get("storageMedia") or a.get("volumeType") or usage
        cost, what, source, estimated = STORE_PRICES[(key.service_code, name)]
    kind = "estimate" if estimated else "list price"
    note = f"{what}: us-east-1 {kind} used for {region}, {NOT_IN_SOURCE}; {source}"
    return Found(
        (Tier(Decimal(0), None, Decimal(cost)),),
        key.unit,
        f"{'estimate' if estimated else 'AWS pricing page'} ({what})",
        f"{what} (us-east-1 {kind})",
        derived=True,
        note=note,
        estimated=estimated,
    )


def _rds(key: PriceKey, w: Watcher, loc: str, usage: str) -> Found:
    a, unit = key.attributes, key.unit
    engine = a.get("databaseEngine", "")
    family = a.get("productFamily")
    if family == "Database Instance":
        cls, deployment = a["instanceType"], a["deploymentOption"]
        if engine.startswith("Aurora"):
            name = "rds-aurora-ondemand.json"
            prefix = f"[Database Instance {engine} No license required "
            usd = w.one(
                name,
                lambda m: m.startswith(prefix) and "IO Optimization" not in m,
                _instance_location(loc, cls),
            )
        else:
            name = f"rds-{engine.lower()}-ondemand.json"
            pattern = re.compile(
                rf"Database Instance {engine} No license required db {re.escape(cls[3:])} "
                rf".* {deployment} Current Generation"
            )
            usd = w.one(name, lambda m: bool(pattern.fullmatch(m)), _instance_location(loc, cls))
        return _flat(
            usd,
            unit,
            f"{name} :: {engine} {cls} {deployment} @ {loc}",
            f"RDS {engine} {cls} {deployment} on-demand instance-hour, {loc}",
        )
    storage, aurora = "rds-storage.json", "rds-aurora-storage.json"
    global_db = (
        "Aurora PostgreSQL Aurora Global Database"
        if "PostgreSQL" in engine
        else ("Aurora MySQL Global Database")
    )
    metric, name = {
        "RDS:GP3-Storage": ("Database Storage Single AZ General Purpose-GP3", storage),
        "RDS:Multi-AZ-GP3-Storage": ("Database Storage Multi AZ General Purpose-GP3", storage),
        "Aurora:StorageUsage": ("Database Storage Single AZ General Purpose-Aurora", storage),
        "Aurora:StorageIOUsage": ("System Operation Aurora I O Operation", aurora),
        "Aurora:ReplicatedWriteIO": (global_db, aurora),
        "Aurora:ServerlessV2Usage": (f"{engine} ServerlessV2", aurora),
        "ChargedBackupUsage": ("Storage Snapshot", storage),
        "Aurora:BackupUsage": (f"Storage Snapshot {engine}", aurora),
    }[usage]
    what = {
        "ChargedBackupUsage": "RDS backup storage beyond the free allowance, per GB-month",
        "Aurora:BackupUsage": f"{engine} backup storage beyond the free allowance, per GB-month",
        "Aurora:ReplicatedWriteIO": f"{engine} Global Database replicated write I/O",
    }.get(usage, f"RDS {metric}")
    return _flat(w.at(name, metric, loc), unit, f"{name} :: {metric} @ {loc}", f"{what}, {loc}")


def _s3(key: PriceKey, w: Watcher, loc: str, usage: str) -> Found:
    a, unit = key.attributes, key.unit
    if a.get("productFamily") == "Storage":
        volume = a["volumeType"]
        if volume == "Intelligent-Tiering Infrequent Access":
            metric = "Intelligent Tiering Infrequent Access per GB Mo"
            return _flat(
                w.at("s3.json", metric, loc),
                unit,
                f"s3.json :: {metric} @ {loc}",
                f"S3 {metric}, {loc}",
            )
        head = "Standard Storage" if volume == "Standard" else "Intelligent Tiering Frequent Access"
        metrics = [
            (51_200, f"{head} First 50 TB per GB Mo"),
            (512_000, f"{head} Next 450 TB per GB Mo"),
            (None, f"{head} Over 500 TB per GB Mo"),
        ]
        return _bands(w, "s3.json", metrics, loc, unit, f"S3 {head}, per GB-month")
    if usage == "Monitoring-Automation-INT":
        metric = (
            "Per object per month monitoring and automation fee for objects in Intelligent Tiering"
        )
    else:
        metric = {
            "S3-API-Tier1": "PUT COPY/POST or LIST requests per Requests",
            "S3-API-Tier2": "GET and all other requests per Requests",
        }[a["group"]]
    return _flat(
        w.at("s3.json", metric, loc), unit, f"s3.json :: {metric} @ {loc}", f"S3 {metric}, {loc}"
    )


def _cloudfront(key: PriceKey, w: Watcher) -> Found:
    a, unit = key.attributes, key.unit
    geography = next(
        g for g, (location, _) in EDGE_GEOGRAPHIES.items() if location == a["location"]
    )
    name = EDGE_NAMES[geography]
    if a["productFamily"] == "Request":
        usd = w.at("cloudfront.json", "Request HTTPS Methods", name)
        return _flat(
            usd,
            unit,
            f"cloudfront.json :: Request HTTPS Methods @ {name}",
            f"CloudFront HTTPS requests, {a['location']} edges",
        )
    bands = []
    for metric, by_location in w.file("cloudfront.json").items():
        if (
            metric.startswith("[Regional DT to Internet")
            and f"Regional DT from {name} to Internet" in metric
        ):
            ((where, listed),) = by_location.items()
            end = re.fullmatch(r" \(Per Month: (\d+|Inf)\)", where)
            if end is None:
                raise MissingPrice(f"cloudfront.json :: {metric}: no range in {where!r}")
            bands.append((None if end[1] == "Inf" else int(end[1]), Decimal(listed)))
    bands.sort(key=lambda band: (band[0] is None, band[0] or 0))
    return Found(
        tiers(bands),
        unit,
        f"cloudfront.json :: Regional DT from {name} to Internet",
        f"CloudFront data out to the internet, {a['location']} edges, per GB",
    )


def _route53(key: PriceKey, w: Watcher, usage: str) -> Found:
    unit = key.unit
    if usage == "HostedZone":
        bands = [
            (25, w.at("route53.json", "DNS Zone first 25", "Any")),
            (None, w.at("route53.json", "DNS Zone", "Any")),
        ]
        return Found(
            tiers(bands),
            unit,
            "route53.json :: DNS Zone first 25; DNS Zone @ Any",
            "Route 53 hosted zone, per month",
        )
    if usage == "Health-Check-AWS":
        metric = "Basic Health checks AWS per Mo"
        return _flat(
            w.at("route53.json", metric, ""),
            unit,
            f"route53.json :: {metric}",
            "Route 53 health check (AWS endpoint), per month",
        )
    head = (
        "Query Latency Based Routing External"
        if usage == "LBR-Queries"
        else "Query Standard External"
    )
    bands = [
        (1_000_000_000, w.at("route53.json", f"{head} first 1B", "")),
        (None, w.at("route53.json", f"{head} over 1B", "")),
    ]
    what = "latency-based" if usage == "LBR-Queries" else "standard"
    return Found(
        tiers(bands), unit, f"route53.json :: {head} first 1B; over 1B", f"Route 53 {what} queries"
    )


NOTES = [
    "Prices are on-demand list prices in USD, as published on 2025-06-18 (aws-price-watcher).",
    NAT_NOTE,
    "EBS gp3 and EBS snapshots, CloudWatch, X-Ray, CodeBuild, CodePipeline, ECR and EventBridge "
    "are not in the source data: their us-east-1 list prices are used in every region (marked "
    "derived).",
    "WAF on CloudFront is billed in us-east-1 and is priced there.",
    "CloudFront is priced at the edge rates of the journey region's geography; for customers "
    "worldwide, at each edge geography's rates for its stated share of the traffic.",
    "RDS and Aurora backup storage is free up to the database's provisioned storage; beyond it "
    "the engine's snapshot rate applies. DynamoDB point-in-time recovery and on-demand backups "
    "have their own rates.",
    "Cognito is priced on the user pool's feature plan (Essentials by default): the free MAUs "
    "are the first band of the price. Essentials and Plus are the us-east-1 list prices (AWS "
    "Cognito pricing page), marked derived outside us-east-1.",
    "Public IPv4 addresses in use: 0.005 USD per hour each (vpc.json).",
    "OpenSearch Service, Redshift Serverless, Athena and Timestream for InfluxDB are not in the "
    "source data: us-east-1 figures are used in every region (marked derived). Athena's $5.00 "
    "per TB scanned is AWS's published price; the others are marked 'estimated from ...' with "
    "what they rest on, also in us-east-1: run refresh_price_snapshot for the published figures.",
]


def build(source: Path, regions: tuple[str, ...] = SUPPORTED_REGIONS) -> dict[str, Any]:
    w = Watcher(source / "aws-price-watcher")
    built_at = datetime(2025, 6, 18, tzinfo=UTC)
    entries, missing = {}, []
    for key in snapshot_keys(regions):
        try:
            found = find(key, w)
        except (MissingPrice, KeyError) as e:
            missing.append(f"{key.id}: {e}")
            continue
        price = ResolvedPrice(
            key_id=key.id,
            sku=found.source_key,
            unit=found.unit,
            tiers=found.tiers,
            source="snapshot",
            effective_date=SOURCE_DATE,
            fetched_at=built_at,
            description=found.description,
            note=found.note,
        )
        entries[key.id] = snapshot_entry(price, derived=found.derived)
    if missing:
        raise SystemExit("No price for:\n  " + "\n  ".join(missing))
    return snapshot_document(
        entries,
        source=SOURCE,
        source_date=SOURCE_DATE,
        licence=LICENCE,
        regions=regions,
        notes=NOTES,
        built_at=built_at,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--output", type=Path, default=SNAPSHOT_PATH)
    args = parser.parse_args(argv)
    document = build(args.source)
    write_snapshot(document, args.output)
    size = args.output.stat().st_size
    print(
        f"{len(document['prices'])} prices, {len(document['regions'])} regions -> "
        f"{args.output} ({size:,} bytes)"
    )


if __name__ == "__main__":
    main()
