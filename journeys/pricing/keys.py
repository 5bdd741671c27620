"""Price keys: which AWS Price List product prices each usage quantity the engine emits.

A `PriceKey` names a product the way the Price List Query API finds it: a service code and
TERM_MATCH filters on real Price List attributes (`regionCode`, `instanceType`, `usagetype`...),
plus the unit the price is expected in. Its `id` is the stable string under which the snapshot
and the price cache store the price.

`price_keys(component, home_region=...)` maps every usage quantity of a component to the key that
prices it, or to an explicit `NoCharge` with the reason (S3 to CloudFront transfer, a Multi-AZ
standby already in the Multi-AZ price...). A usage it does not know raises `UnpricedUsage`: a new
usage in the engine must be priced on purpose, never dropped.

Where a key needs more than the component: cross-region transfer (DR replication, backup copies)
is billed in the region the data leaves, the home region; CloudFront is billed at the edge rates
of the geographies its customers are in: the home region's, or for customers all over the world
the stated mix the engine writes into the distribution (`edge_mix`), each share at its own edge
rates and volume tiers. A usage that AWS bills in parts (CloudFront traffic by edge geography,
backup storage free up to the database's size and billed beyond it) maps to a `Split`.

Backups are billed by what they protect, which `charges` reads from the state (`Protected`):
RDS and Aurora backup storage is free up to the database's provisioned storage in the region,
then billed at the engine's snapshot rate (Aurora $0.021, RDS $0.095 per GB-month in
us-east-1); DynamoDB point-in-time recovery has its own rate; copies in another region are billed
there, at that region's snapshot (or DynamoDB backup) rate. A DynamoDB table beside the database
pays its own point-in-time recovery, and files kept on the instances' volume are EBS snapshots.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from journeys.engine.state import ArchitectureState, Component
from journeys.engine.tables import GLOBAL
from journeys.pricing.price import EXACT

if TYPE_CHECKING:
    from types_boto3_pricing.type_defs import FilterTypeDef

# Price List usage types carry a region prefix. Some services leave it off in us-east-1
# ("BoxUsage:t3.micro"), newer ones keep it ("USE1-Fargate-vCPU-Hours:perCPU").
USAGE_PREFIXES: dict[str, str] = {
    "us-east-1": "USE1", "us-east-2": "USE2", "us-west-1": "USW1", "us-west-2": "USW2",
    "ca-central-1": "CAN1", "sa-east-1": "SAE1", "eu-west-1": "EU", "eu-west-2": "EUW2",
    "eu-west-3": "EUW3", "eu-central-1": "EUC1", "eu-central-2": "EUC2", "eu-north-1": "EUN1",
    "eu-south-1": "EUS1", "eu-south-2": "EUS2", "ap-south-1": "APS3", "ap-south-2": "APS5",
    "ap-southeast-1": "APS1", "ap-southeast-2": "APS2", "ap-southeast-3": "APS4",
    "ap-northeast-1": "APN1", "ap-northeast-2": "APN2", "ap-northeast-3": "APN3",
    "ap-east-1": "APE1", "me-south-1": "MES1", "me-central-1": "MEC1", "af-south-1": "AFS1",
    "il-central-1": "ILC1",
}  # fmt: skip

# CloudFront edge geographies: (Price List `location`, usage-type prefix).
EDGE_GEOGRAPHIES: dict[str, tuple[str, str]] = {
    "us": ("United States", "US"),
    "eu": ("Europe", "EU"),
    "in": ("India", "IN"),
    "ap": ("Asia Pacific", "AP"),
    "jp": ("Japan", "JP"),
    "au": ("Australia", "AU"),
    "ca": ("Canada", "CA"),
    "sa": ("South America", "SA"),
    "me": ("Middle East", "ME"),
    "za": ("South Africa", "ZA"),
}

DATABASE_ENGINES = {
    "postgresql": "PostgreSQL",
    "mysql": "MySQL",
    "aurora-postgresql": "Aurora PostgreSQL",
    "aurora-mysql": "Aurora MySQL",
}


class UnpricedUsage(KeyError):
    """A usage quantity with no price mapping: a bug to fix in this module, not a zero."""

    def __init__(self, component: Component, usage: str) -> None:
        super().__init__(f"{component.id} ({component.kind}): no price for usage {usage!r}")
        self.component_id, self.kind, self.usage = component.id, component.kind, usage


@dataclass(frozen=True)
class PriceKey:
    """One Price List product. `filters` are (attribute, value) pairs, kept sorted so that equal
    keys have equal ids; `region` is the region code whose prices apply, or "global" (Route 53,
    CloudFront). `tier` marks a key that stands for one band of a product whose bands the
    Price List publishes as separate products; empty for a whole product."""

    service_code: str
    region: str
    filters: tuple[tuple[str, str], ...]
    unit: str
    tier: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "filters", tuple(sorted(set(self.filters))))
        fields = [f for f, _ in self.filters]
        if len(fields) != len(set(fields)):
            raise ValueError(f"{self.service_code}: one value per attribute ({fields})")

    @property
    def id(self) -> str:
        pairs = "&".join(f"{field}={value}" for field, value in self.filters)
        tier = f"#{self.tier}" if self.tier else ""
        return f"{self.service_code}/{self.region}/{self.unit}?{pairs}{tier}"

    @property
    def attributes(self) -> dict[str, str]:
        return dict(self.filters)

    @property
    def regions(self) -> tuple[str, ...]:
        """Every region the price depends on: its own, and the destination of a transfer."""
        to = self.attributes.get("toRegionCode")
        return (self.region, to) if to else (self.region,)

    def api_filters(self) -> list[FilterTypeDef]:
        return [{"Type": "TERM_MATCH", "Field": f, "Value": v} for f, v in self.filters]


@dataclass(frozen=True)
class NoCharge:
    """A usage AWS does not bill, and why. It still shows as a $0 line on the estimate."""

    service_code: str
    unit: str
    reason: str


@dataclass(frozen=True)
class Part:
    """One part of a usage billed in parts: a `share` of the whole quantity, or `up_to` a fixed
    amount (what is left when neither is set). `where` says which part it is, in words."""

    charge: PriceKey | NoCharge
    where: str
    share: Decimal | None = None
    up_to: Decimal | None = None


@dataclass(frozen=True)
class Split:
    """A usage AWS bills in parts, in order: shares first taken of the whole, caps in turn."""

    parts: tuple[Part, ...] = ()

    def divide(self, quantity: Decimal) -> list[tuple[Decimal, Part]]:
        """(quantity, part) for each part, adding up to `quantity` exactly."""
        out: list[tuple[Decimal, Part]] = []
        left = quantity
        for i, part in enumerate(self.parts):
            if i == len(self.parts) - 1:
                amount = left
            elif part.share is not None:
                amount = min(left, EXACT.multiply(quantity, part.share))
            elif part.up_to is not None:
                amount = min(left, part.up_to)
            else:
                amount = left
            out.append((amount, part))
            left = EXACT.subtract(left, amount)
        return out


Charge = PriceKey | NoCharge | Split


@dataclass(frozen=True)
class Protected:
    """What the backup plan protects, as billing needs it: the store ("rds", "aurora" or
    "dynamodb"), its engine, and the provisioned storage up to which RDS and Aurora keep
    backups for free."""

    store: str
    engine: str = ""
    provisioned_gb: float = 0.0


def protected(state: ArchitectureState) -> Protected:
    """The store the state's backup plan protects: the relational database if there is one,
    else the DynamoDB table."""
    by_id = {c.id: c for c in state.components}
    db = by_id.get("primary-db")
    if db is not None and db.kind == "relational_db":
        engine = db.params["engine"]
        store = "aurora" if engine.startswith("aurora") else "rds"
        size = db.params.get("storage_gb", db.usage.get("storage_gb", 0))
        return Protected(store, engine, float(size))
    if db is not None and db.kind == "serverless_db":
        return Protected("aurora", db.params["engine"], float(db.usage.get("storage_gb", 0)))
    return Protected("dynamodb")


# The engine names the edge geographies of a global audience in words; pricing by its codes.
EDGE_MIX_NAMES: dict[str, str] = {
    "north_america": "us",
    "europe": "eu",
    "asia_pacific": "ap",
    "india": "in",
    "japan": "jp",
    "australia": "au",
    "south_america": "sa",
}
# Route 53 answers alias records to these for free (the record points at an AWS resource).
ALIAS_TARGETS = frozenset({"cdn", "load-balancer", "api-gateway"})


def _key(service: str, region: str, unit: str, **filters: str) -> PriceKey:
    return PriceKey(service, region, tuple(filters.items()), unit)


def usage_type(region: str, name: str, *, bare_in_us_east_1: bool = True) -> str:
    if bare_in_us_east_1 and region == "us-east-1":
        return name
    try:
        return f"{USAGE_PREFIXES[region]}-{name}"
    except KeyError:
        raise ValueError(f"no Price List usage-type prefix known for region {region!r}") from None


def edge_geography(home_region: str) -> str:
    """The CloudFront geography (a key of EDGE_GEOGRAPHIES) of a home region's customers."""
    if home_region in ("ap-south-1", "ap-south-2"):
        return "in"
    if home_region in ("ap-northeast-1", "ap-northeast-3"):
        return "jp"
    if home_region in ("ap-southeast-2", "ap-southeast-4"):
        return "au"
    prefix = home_region.split("-", 1)[0]
    by_prefix = {"us": "us", "eu": "eu", "ap": "ap", "ca": "ca", "sa": "sa", "me": "me"}
    by_prefix |= {"il": "me", "af": "za", "mx": "us"}
    try:
        return by_prefix[prefix]
    except KeyError:
        raise ValueError(f"no CloudFront geography known for region {home_region!r}") from None


# -- one constructor per product -------------------------------------------------------------


def ec2_instance(region: str, instance_type: str) -> PriceKey:
    # Pinned so that capacity-reservation, Windows, dedicated and licensed rows cannot match.
    return _key(
        "AmazonEC2",
        region,
        "Hrs",
        regionCode=region,
        instanceType=instance_type,
        operatingSystem="Linux",
        tenancy="Shared",
        preInstalledSw="NA",
        capacitystatus="Used",
        licenseModel="No License required",
        marketoption="OnDemand",
        productFamily="Compute Instance",
    )


def ebs_gp3(region: str) -> PriceKey:
    return _key(
        "AmazonEC2",
        region,
        "GB-Mo",
        regionCode=region,
        productFamily="Storage",
        volumeApiName="gp3",
    )


def ebs_snapshot(region: str) -> PriceKey:
    """EBS snapshot storage (standard tier), per GB-month: only the blocks stored are billed."""
    return _key(
        "AmazonEC2",
        region,
        "GB-Mo",
        regionCode=region,
        productFamily="Storage Snapshot",
        usagetype=usage_type(region, "EBS:SnapshotUsage"),
    )


def internet_out(region: str) -> PriceKey:
    return _key(
        "AWSDataTransfer",
        region,
        "GB",
        fromRegionCode=region,
        toLocation="External",
        transferType="AWS Outbound",
    )


def inter_region(source: str, destination: str) -> PriceKey:
    if source == destination:
        raise ValueError(f"a cross-region transfer needs two regions, not {source} twice")
    return _key(
        "AWSDataTransfer",
        source,
        "GB",
        fromRegionCode=source,
        toRegionCode=destination,
        transferType="InterRegion Outbound",
    )


def fargate(region: str, resource: str, *, arm: bool = False) -> PriceKey:
    arch = "ARM-" if arm else ""
    name, unit = {
        "vcpu": (f"Fargate-{arch}vCPU-Hours:perCPU", "hours"),
        "memory": (f"Fargate-{arch}GB-Hours", "hours"),
    }[resource]
    return _key(
        "AmazonECS",
        region,
        unit,
        regionCode=region,
        usagetype=usage_type(region, name, bare_in_us_east_1=False),
    )


def lambda_requests(region: str) -> PriceKey:
    return _key("AWSLambda", region, "Requests", regionCode=region, group="AWS-Lambda-Requests")


def lambda_duration(region: str, *, arm: bool = False) -> PriceKey:
    group = "AWS-Lambda-Duration-ARM" if arm else "AWS-Lambda-Duration"
    return _key("AWSLambda", region, "Lambda-GB-Second", regionCode=region, group=group)


def alb(region: str, what: str) -> PriceKey:
    name, unit = {"hours": ("LoadBalancerUsage", "Hrs"), "lcu": ("LCUUsage", "LCU-Hrs")}[what]
    return _key(
        "AWSELB",
        region,
        unit,
        regionCode=region,
        productFamily="Load Balancer-Application",
        usagetype=usage_type(region, name),
    )


def rds_instance(region: str, engine: str, instance_class: str, *, multi_az: bool) -> PriceKey:
    """An RDS or Aurora instance-hour. The usage type keeps out the I/O-Optimized and
    extended-support rows that share the instance type."""
    aurora = engine.startswith("aurora")
    if multi_az and aurora:
        raise ValueError("Aurora instances are priced one by one; Multi-AZ comes from replicas")
    usage = f"{'Multi-AZUsage' if multi_az else 'InstanceUsage'}:{instance_class}"
    return _key(
        "AmazonRDS",
        region,
        "Hrs",
        regionCode=region,
        instanceType=instance_class,
        databaseEngine=DATABASE_ENGINES[engine],
        deploymentOption="Multi-AZ" if multi_az else "Single-AZ",
        productFamily="Database Instance",
        usagetype=usage_type(region, usage),
    )


def rds_storage(region: str, *, multi_az: bool) -> PriceKey:
    name = "RDS:Multi-AZ-GP3-Storage" if multi_az else "RDS:GP3-Storage"
    return _key(
        "AmazonRDS",
        region,
        "GB-Mo",
        regionCode=region,
        productFamily="Database Storage",
        volumeType="General Purpose-GP3",
        deploymentOption="Multi-AZ" if multi_az else "Single-AZ",
        usagetype=usage_type(region, name),
    )


def aurora(region: str, engine: str, what: str) -> PriceKey:
    """Aurora storage, I/O, Global Database replicated write I/O, or Serverless v2 capacity."""
    family, name, unit = {
        "storage": ("Database Storage", "Aurora:StorageUsage", "GB-Mo"),
        "io": ("System Operation", "Aurora:StorageIOUsage", "IOs"),
        "replicated_io": ("System Operation", "Aurora:ReplicatedWriteIO", "IOs"),
        "acu": ("ServerlessV2", "Aurora:ServerlessV2Usage", "ACU-Hr"),
    }[what]
    return _key(
        "AmazonRDS",
        region,
        unit,
        regionCode=region,
        productFamily=family,
        databaseEngine=DATABASE_ENGINES[engine],
        usagetype=usage_type(region, name),
    )


def backup_storage(region: str, engine: str = "postgresql") -> PriceKey:
    """RDS or Aurora backup (snapshot) storage beyond what is free, per GB-month."""
    if engine.startswith("aurora"):
        return _key(
            "AmazonRDS",
            region,
            "GB-Mo",
            regionCode=region,
            productFamily="Storage Snapshot",
            databaseEngine=DATABASE_ENGINES[engine],
            usagetype=usage_type(region, "Aurora:BackupUsage"),
        )
    return _key(
        "AmazonRDS",
        region,
        "GB-Mo",
        regionCode=region,
        productFamily="Storage Snapshot",
        usagetype=usage_type(region, "ChargedBackupUsage"),
    )


def dynamodb(region: str, what: str) -> PriceKey:
    name, unit = {
        "read": ("ReadRequestUnits", "ReadRequestUnits"),
        "write": ("WriteRequestUnits", "WriteRequestUnits"),
        "replicated_write": ("ReplWriteRequestUnits", "ReplicatedWriteRequestUnits"),
        "storage": ("TimedStorage-ByteHrs", "GB-Mo"),
        "pitr": ("TimedPITRStorage-ByteHrs", "GB-Mo"),
        "backup": ("TimedBackupStorage-ByteHrs", "GB-Mo"),
    }[what]
    return _key(
        "AmazonDynamoDB", region, unit, regionCode=region, usagetype=usage_type(region, name)
    )


def cache_node(region: str, node_type: str) -> PriceKey:
    return _key(
        "AmazonElastiCache",
        region,
        "Hrs",
        regionCode=region,
        instanceType=node_type,
        cacheEngine="Redis",
        productFamily="Cache Instance",
    )


def opensearch(region: str, what: str, instance_type: str = "") -> PriceKey:
    """An OpenSearch Service data node's hour, or its gp3 storage per GB-month."""
    if what == "instance":
        return _key(
            "AmazonES",
            region,
            "Hrs",
            regionCode=region,
            instanceType=instance_type,
            productFamily="Amazon OpenSearch Service Instance",
        )
    return _key(
        "AmazonES",
        region,
        "GB-Mo",
        regionCode=region,
        productFamily="Amazon OpenSearch Service Volume",
        storageMedia="GP3",
    )


def redshift_serverless(region: str, what: str) -> PriceKey:
    """Redshift Serverless compute (RPU-hours) or its managed storage (GB-month)."""
    name, unit = {
        "rpu": ("ServerlessUsage", "RPU-Hr"),
        "storage": ("RMS:ServerlessStorage", "GB-Mo"),
    }[what]
    return _key(
        "AmazonRedshift",
        region,
        unit,
        regionCode=region,
        usagetype=usage_type(region, name, bare_in_us_east_1=False),
    )


def athena_scanned(region: str) -> PriceKey:
    return _key(
        "AmazonAthena",
        region,
        "Terabytes",
        regionCode=region,
        usagetype=usage_type(region, "DataScannedInTB", bare_in_us_east_1=False),
    )


def influxdb(region: str, what: str, instance_class: str = "") -> PriceKey:
    """A Timestream for InfluxDB instance's hour, or its storage per GB-month."""
    if what == "instance":
        return _key(
            "AmazonTimestream",
            region,
            "Hrs",
            regionCode=region,
            instanceType=instance_class,
            productFamily="Database Instance",
        )
    return _key(
        "AmazonTimestream",
        region,
        "GB-Mo",
        regionCode=region,
        productFamily="Database Storage",
        volumeType="Influx IO Included 3K",
    )


S3_STORAGE = {
    "STANDARD": ("General Purpose", "Standard"),
    "INTELLIGENT_TIERING_FA": ("Intelligent-Tiering", "Intelligent-Tiering Frequent Access"),
    "INTELLIGENT_TIERING_IA": ("Intelligent-Tiering", "Intelligent-Tiering Infrequent Access"),
}


def s3_storage(region: str, storage_class: str = "STANDARD") -> PriceKey:
    klass, volume = S3_STORAGE[storage_class]
    return _key(
        "AmazonS3",
        region,
        "GB-Mo",
        regionCode=region,
        productFamily="Storage",
        storageClass=klass,
        volumeType=volume,
    )


def s3_requests(region: str, method: str) -> PriceKey:
    group = {"get": "S3-API-Tier2", "put": "S3-API-Tier1"}[method]
    return _key("AmazonS3", region, "Requests", regionCode=region, group=group)


def s3_monitoring(region: str) -> PriceKey:
    """Intelligent-Tiering's monitoring and automation fee, per object a month."""
    return _key(
        "AmazonS3",
        region,
        "Objects",
        regionCode=region,
        usagetype=usage_type(region, "Monitoring-Automation-INT"),
    )


def cloudfront(geography: str, what: str) -> PriceKey:
    location, code = EDGE_GEOGRAPHIES[geography]
    family, name, unit = {
        "out": ("Data Transfer", f"{code}-DataTransfer-Out-Bytes", "GB"),
        "requests": ("Request", f"{code}-Requests-Tier2-HTTPS", "Requests"),
    }[what]
    return _key(
        "AmazonCloudFront", GLOBAL, unit, location=location, productFamily=family, usagetype=name
    )


def api_requests(region: str, api_type: str = "rest") -> PriceKey:
    name = {"rest": "ApiGatewayRequest", "http": "ApiGatewayHttpRequest"}[api_type]
    return _key(
        "AmazonApiGateway",
        region,
        "Requests",
        regionCode=region,
        productFamily="API Calls",
        usagetype=usage_type(region, name, bare_in_us_east_1=False),
    )


def waf(region: str, what: str) -> PriceKey:
    name, unit = {
        "web_acls": ("WebACL", "Mo"),
        "rules": ("Rule", "Mo"),
        "requests": ("Request", "Requests"),
    }[what]
    return _key(
        "awswaf",
        region,
        unit,
        regionCode=region,
        usagetype=usage_type(region, name, bare_in_us_east_1=False),
    )


def route53(what: str, routing: str = "simple") -> PriceKey:
    family, name, unit = {
        "hosted_zones": ("DNS Zone", "HostedZone", "Mo"),
        "queries": (
            "DNS Query",
            "LBR-Queries" if routing == "latency" else "DNS-Queries",
            "Queries",
        ),
        "health_checks": ("DNS Health Check", "Health-Check-AWS", "Mo"),
    }[what]
    return _key("AmazonRoute53", GLOBAL, unit, productFamily=family, usagetype=name)


# Cognito user pool feature plans (Nov 2024): Essentials is the default for new pools.
COGNITO_PLANS: dict[str, str] = {
    "lite": "CognitoLiteMAU",
    "essentials": "CognitoEssentialsMAU",
    "plus": "CognitoPlusMAU",
}
DEFAULT_COGNITO_PLAN = "essentials"


def cognito_mau(region: str, plan: str = DEFAULT_COGNITO_PLAN) -> PriceKey:
    """Monthly active users on a feature plan. The price's tiers include the plan's free MAUs
    (10,000 a month for Lite and Essentials, for every account and not only the first year)
    as a $0 first band, so they are always applied."""
    try:
        name = COGNITO_PLANS[plan]
    except KeyError:
        plans = ", ".join(COGNITO_PLANS)
        raise ValueError(f"unknown Cognito plan {plan!r}; use one of {plans}") from None
    return _key(
        "AmazonCognito",
        region,
        "MAU",
        regionCode=region,
        usagetype=usage_type(region, name, bare_in_us_east_1=False),
    )


def public_ipv4(region: str) -> PriceKey:
    """An in-use public IPv4 address, per hour (billed since February 2024)."""
    return _key(
        "AmazonVPC",
        region,
        "Hrs",
        regionCode=region,
        usagetype=usage_type(region, "PublicIPv4:InUseAddress", bare_in_us_east_1=False),
    )


def sqs_requests(region: str) -> PriceKey:
    return _key(
        "AWSQueueService",
        region,
        "Requests",
        regionCode=region,
        queueType="Standard",
        usagetype=usage_type(region, "Requests-RBP"),
    )


def sns(region: str, what: str) -> PriceKey:
    name = {"publishes": "Requests-Tier1", "sqs_deliveries": "DeliveryAttempts-SQS"}[what]
    return _key(
        "AmazonSNS", region, "Requests", regionCode=region, usagetype=usage_type(region, name)
    )


def eventbridge_events(region: str) -> PriceKey:
    return _key(
        "AWSEvents",
        region,
        "Events",
        regionCode=region,
        eventType="Custom Event",
        usagetype=usage_type(region, "Event-64K-Chunks", bare_in_us_east_1=False),
    )


def nat(region: str, what: str) -> PriceKey:
    name, unit = {"hours": ("NatGateway-Hours", "Hrs"), "bytes": ("NatGateway-Bytes", "GB")}[what]
    return _key(
        "AmazonEC2",
        region,
        unit,
        regionCode=region,
        productFamily="NAT Gateway",
        usagetype=usage_type(region, name),
    )


def cicd(region: str, what: str) -> PriceKey:
    service, name, unit = {
        "pipelines": ("AWSCodePipeline", "activePipeline", "Mo"),
        "build_minutes": ("CodeBuild", "Build-Min:Linux:g1.small", "Minutes"),
        "registry_storage": ("AmazonECR", "TimedStorage-ByteHrs", "GB-Mo"),
    }[what]
    return _key(
        service,
        region,
        unit,
        regionCode=region,
        usagetype=usage_type(region, name, bare_in_us_east_1=False),
    )


def cloudwatch(region: str, what: str) -> PriceKey:
    service, name, unit = {
        "dashboards": ("AmazonCloudWatch", "DashboardsUsageHour-Basic", "Dashboards"),
        "alarms": ("AmazonCloudWatch", "CW:AlarmMonitorUsage", "Alarms"),
        "log_ingest": ("AmazonCloudWatch", "DataProcessing-Bytes", "GB"),
        "custom_metrics": ("AmazonCloudWatch", "CW:MetricMonitorUsage", "Metrics"),
        "traces": ("AWSXRay", "XRay-TracesStored", "Traces"),
    }[what]
    return _key(
        service,
        region,
        unit,
        regionCode=region,
        usagetype=usage_type(region, name, bare_in_us_east_1=False),
    )


# -- usage -> key, per kind -------------------------------------------------------------------

Mapper = Callable[[Component, str, str], dict[str, Charge]]
PUBLIC_IPV4 = "public_ipv4_hours"

S3_TO_CLOUDFRONT = NoCharge(
    "AmazonS3", "GB", "S3 to CloudFront transfer is free: CloudFront bills the data out"
)


def _compute(c: Component, r: str, home: str) -> dict[str, Charge]:
    return {
        "instance_hours": ec2_instance(r, c.params["instance_type"]),
        "ebs_gb": ebs_gp3(r),
        PUBLIC_IPV4: public_ipv4(r),
    }


def _containers(c: Component, r: str, home: str) -> dict[str, Charge]:
    return {"vcpu_hours": fargate(r, "vcpu"), "memory_gb_hours": fargate(r, "memory")}


def _function(c: Component, r: str, home: str) -> dict[str, Charge]:
    return {"requests": lambda_requests(r), "gb_seconds": lambda_duration(r)}


def _load_balancer(c: Component, r: str, home: str) -> dict[str, Charge]:
    return {"hours": alb(r, "hours"), "lcu_hours": alb(r, "lcu"), PUBLIC_IPV4: public_ipv4(r)}


def _aurora_io(c: Component, r: str, engine: str) -> PriceKey:
    # In a Global Database secondary the writes arrive replicated, billed as replicated I/O.
    what = "replicated_io" if c.id.startswith("dr-") else "io"
    return aurora(r, engine, what)


def _replication(c: Component, r: str, home: str) -> Charge:
    if r == home:
        return NoCharge("AWSDataTransfer", "GB", "no cross-region transfer: same region")
    return inter_region(home, r)


def _relational_db(c: Component, r: str, home: str) -> dict[str, Charge]:
    p = c.params
    engine, cls = p["engine"], p["instance_class"]
    if engine.startswith("aurora"):
        return {
            "instance_hours": rds_instance(r, engine, cls, multi_az=False),
            "standby_instance_hours": NoCharge(
                "AmazonRDS", "Hrs", "Aurora has no standby instance: Multi-AZ comes from replicas"
            ),
            "replica_instance_hours": rds_instance(r, engine, cls, multi_az=False),
            "storage_gb": aurora(r, engine, "storage"),
            "io_requests": _aurora_io(c, r, engine),
            "replication_gb": _replication(c, r, home),
        }
    multi_az = bool(p["multi_az"])
    standby = (
        "the standby is included in the Multi-AZ instance-hour price"
        if multi_az
        else "single-AZ: no standby instance"
    )
    return {
        "instance_hours": rds_instance(r, engine, cls, multi_az=multi_az),
        "standby_instance_hours": NoCharge("AmazonRDS", "Hrs", standby),
        "replica_instance_hours": rds_instance(r, engine, cls, multi_az=False),
        "storage_gb": rds_storage(r, multi_az=multi_az),
        # Each read replica is a single-AZ instance with its own gp3 volume.
        "replica_storage_gb": rds_storage(r, multi_az=False),
        "replication_gb": _replication(c, r, home),
    }


def _serverless_db(c: Component, r: str, home: str) -> dict[str, Charge]:
    engine = c.params["engine"]
    return {
        "acu_hours": aurora(r, engine, "acu"),
        "storage_gb": aurora(r, engine, "storage"),
        "io_requests": _aurora_io(c, r, engine),
        "replication_gb": _replication(c, r, home),
    }


def _nosql_db(c: Component, r: str, home: str) -> dict[str, Charge]:
    return {
        "read_request_units": dynamodb(r, "read"),
        "write_request_units": dynamodb(r, "write"),
        "replicated_write_request_units": dynamodb(r, "replicated_write"),
        "storage_gb": dynamodb(r, "storage"),
    }


def _cache(c: Component, r: str, home: str) -> dict[str, Charge]:
    return {"node_hours": cache_node(r, c.params["node_type"])}


def _search(c: Component, r: str, home: str) -> dict[str, Charge]:
    return {
        "instance_hours": opensearch(r, "instance", c.params["instance_type"]),
        "storage_gb": opensearch(r, "storage"),
    }


def _analytics(c: Component, r: str, home: str) -> dict[str, Charge]:
    if c.params["engine"] == "athena":
        # The data lake is plain S3 Standard; Athena bills the data each query reads.
        return {"scanned_tb": athena_scanned(r), "storage_gb": s3_storage(r)}
    return {
        "rpu_hours": redshift_serverless(r, "rpu"),
        "storage_gb": redshift_serverless(r, "storage"),
    }


def _time_series(c: Component, r: str, home: str) -> dict[str, Charge]:
    instance = influxdb(r, "instance", c.params["instance_class"])
    # A Multi-AZ deployment bills its standby's hours at the instance's rate.
    return {
        "instance_hours": instance,
        "standby_instance_hours": instance,
        "storage_gb": influxdb(r, "storage"),
    }


def _object_storage(c: Component, r: str, home: str) -> dict[str, Charge]:
    return {
        "storage_gb": s3_storage(r),
        "requests_get": s3_requests(r, "get"),
        "requests_put": s3_requests(r, "put"),
        "replication_gb": _replication(c, r, home),
        "data_transfer_out_gb": S3_TO_CLOUDFRONT,
    }


def edge_mix(component: Component, home_region: str) -> list[tuple[str, Decimal]]:
    """(edge geography, share) of a distribution's traffic: the stated mix the engine wrote for a
    global audience, else all of it at the home region's edges."""
    mix: Mapping[str, Any] = component.params.get("edge_mix") or {}
    if not mix:
        return [(edge_geography(home_region), Decimal(1))]
    out = []
    for name, share in mix.items():
        try:
            geography = EDGE_MIX_NAMES[name]
        except KeyError:
            raise ValueError(f"{component.id}: no CloudFront geography named {name!r}") from None
        out.append((geography, Decimal(str(share))))
    # Shares are written as floats; the last part takes the exact rest (`Split.divide`).
    if abs(sum((share for _, share in out), Decimal(0)) - 1) > Decimal("0.000001"):
        raise ValueError(f"{component.id}: the edge mix {dict(mix)} does not add up to 1")
    return out


def _by_edge(mix: list[tuple[str, Decimal]], what: str) -> Charge:
    if len(mix) == 1:
        return cloudfront(mix[0][0], what)
    return Split(
        tuple(
            Part(cloudfront(g, what), f"{EDGE_GEOGRAPHIES[g][0]} edges, {share:.0%}", share=share)
            for g, share in mix
        )
    )


def _cdn(c: Component, r: str, home: str) -> dict[str, Charge]:
    mix = edge_mix(c, home)
    return {"requests": _by_edge(mix, "requests"), "data_transfer_out_gb": _by_edge(mix, "out")}


def _api_gateway(c: Component, r: str, home: str) -> dict[str, Charge]:
    return {"requests": api_requests(r, c.params.get("api_type", "rest"))}


def _waf(c: Component, r: str, home: str) -> dict[str, Charge]:
    # A web ACL on CloudFront is created and billed in us-east-1, at the regional prices.
    region = "us-east-1" if c.region == GLOBAL else r
    return {what: waf(region, what) for what in ("web_acls", "rules", "requests")}


def _dns(c: Component, r: str, home: str) -> dict[str, Charge]:
    routing = c.params.get("routing", "simple")
    aliases = bool(c.links) and all(link.removeprefix("dr-") in ALIAS_TARGETS for link in c.links)
    queries: Charge = (
        NoCharge(
            "AmazonRoute53",
            "Queries",
            "alias records to CloudFront, a load balancer or API Gateway: Route 53 answers "
            "their queries for free",
        )
        if aliases
        else route53("queries", routing)
    )
    return {
        "hosted_zones": route53("hosted_zones"),
        "queries": queries,
        "health_checks": route53("health_checks"),
    }


def _identity(c: Component, r: str, home: str) -> dict[str, Charge]:
    return {"mau": cognito_mau(r, c.params.get("plan", DEFAULT_COGNITO_PLAN))}


def _queue(c: Component, r: str, home: str) -> dict[str, Charge]:
    return {"requests": sqs_requests(r)}


def _topic(c: Component, r: str, home: str) -> dict[str, Charge]:
    # The engine's topic fans out to its SQS queue: SNS to SQS deliveries are priced at $0.
    return {"publishes": sns(r, "publishes"), "deliveries": sns(r, "sqs_deliveries")}


def _event_bus(c: Component, r: str, home: str) -> dict[str, Charge]:
    return {"events": eventbridge_events(r)}


def _nat_gateway(c: Component, r: str, home: str) -> dict[str, Charge]:
    return {
        "nat_hours": nat(r, "hours"),
        "data_processed_gb": nat(r, "bytes"),
        PUBLIC_IPV4: public_ipv4(r),
    }


def _cicd(c: Component, r: str, home: str) -> dict[str, Charge]:
    return {
        "pipelines": cicd(r, "pipelines"),
        "build_minutes": cicd(r, "build_minutes"),
        "registry_storage_gb": cicd(r, "registry_storage"),
    }


def _monitoring(c: Component, r: str, home: str) -> dict[str, Charge]:
    return {
        "dashboards": cloudwatch(r, "dashboards"),
        "alarms": cloudwatch(r, "alarms"),
        "log_ingest_gb": cloudwatch(r, "log_ingest"),
        "custom_metrics": cloudwatch(r, "custom_metrics"),
        "traces": cloudwatch(r, "traces"),
    }


def backup_charge(what: Protected, region: str, *, copy: bool) -> Charge:
    """How backup storage of `what` is billed in `region`: a copy in another region pays the
    snapshot (or DynamoDB backup) rate there on all of it."""
    if what.store == "dynamodb":
        return dynamodb(region, "backup" if copy else "pitr")
    paid = backup_storage(region, what.engine)
    if copy:
        return paid
    store = "Aurora" if what.store == "aurora" else "RDS"
    free = NoCharge(
        "AmazonRDS",
        "GB-Mo",
        f"{store} backup storage up to the database's provisioned storage "
        f"({what.provisioned_gb:,.0f} GB) is free",
    )
    return Split(
        (
            Part(free, "free up to the database's size", up_to=Decimal(str(what.provisioned_gb))),
            Part(paid, "beyond the database's size"),
        )
    )


def _backup(c: Component, r: str, home: str, what: Protected | None = None) -> dict[str, Charge]:
    what = what or Protected("rds", "postgresql", 0.0)
    copy = c.id.startswith("dr-")
    return {
        "storage_gb": backup_charge(what, r, copy=copy),
        # A purpose-built table beside the database: point-in-time recovery at home, its
        # copies stored as DynamoDB backups in the other region.
        "table_backup_gb": dynamodb(r, "backup" if copy else "pitr"),
        # Files on the instances' volume: EBS snapshots, in either region.
        "volume_snapshot_gb": ebs_snapshot(r),
        "cross_region_transfer_gb": _replication(c, r, home),
    }


KIND_MAPPERS: dict[str, Mapper] = {
    "compute": _compute,
    "container_service": _containers,
    "function": _function,
    "load_balancer": _load_balancer,
    "relational_db": _relational_db,
    "serverless_db": _serverless_db,
    "nosql_db": _nosql_db,
    "cache": _cache,
    "search": _search,
    "analytics": _analytics,
    "time_series": _time_series,
    "object_storage": _object_storage,
    "cdn": _cdn,
    "api_gateway": _api_gateway,
    "waf": _waf,
    "dns": _dns,
    "identity": _identity,
    "queue": _queue,
    "topic": _topic,
    "event_bus": _event_bus,
    "nat_gateway": _nat_gateway,
    "cicd": _cicd,
    "monitoring": _monitoring,
    "backup": _backup,
}
# Without a CDN the data out leaves through the entry point (load balancer, API, instance).
_EGRESS = "data_transfer_out_gb"


def charges(
    component: Component, *, home_region: str | None = None, backs_up: Protected | None = None
) -> dict[str, Charge]:
    """Every usage this component's kind may carry -> its price key, NoCharge or Split.
    `backs_up` is what a backup component protects (see `protected`)."""
    home = home_region or component.region
    if home == GLOBAL:
        raise ValueError(f"{component.id} is global: pass the journey's home_region")
    region = home if component.region == GLOBAL else component.region
    try:
        mapper = KIND_MAPPERS[component.kind]
    except KeyError:
        raise UnpricedUsage(component, "*") from None
    if component.kind == "backup":
        mapped = _backup(component, region, home, backs_up)
    else:
        mapped = mapper(component, region, home)
    if component.region != GLOBAL:
        mapped.setdefault(_EGRESS, internet_out(region))
    return mapped


def price_keys(
    component: Component, *, home_region: str | None = None, backs_up: Protected | None = None
) -> list[tuple[str, Charge]]:
    """(usage name, PriceKey, NoCharge or Split) for each usage quantity of `component`, in its
    order. `home_region` is the journey's region: needed for global components and DR copies."""
    mapped = charges(component, home_region=home_region, backs_up=backs_up)
    out = []
    for usage in component.usage:
        if usage not in mapped:
            raise UnpricedUsage(component, usage)
        out.append((usage, mapped[usage]))
    return out


def state_charges(state: ArchitectureState) -> list[tuple[Component, str, Charge]]:
    what = protected(state)
    return [
        (c, usage, charge)
        for c in state.components
        for usage, charge in price_keys(c, home_region=state.region, backs_up=what)
    ]


def distinct_keys(keys: Iterable[Charge]) -> list[PriceKey]:
    """The PriceKeys among `keys` (and inside their splits), each once, in first-seen order."""
    seen: dict[str, PriceKey] = {}
    for key in keys:
        inner = [part.charge for part in key.parts] if isinstance(key, Split) else [key]
        for k in inner:
            if isinstance(k, PriceKey):
                seen.setdefault(k.id, k)
    return list(seen.values())


def state_keys(state: ArchitectureState) -> list[PriceKey]:
    """The distinct keys an estimate of `state` needs."""
    return distinct_keys(charge for _, _, charge in state_charges(state))
