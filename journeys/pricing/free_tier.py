"""The AWS Free Tier allowances an estimate can take off, when asked (off by default).

Only offers that do not expire with a new account's first year are listed, at their published
monthly size; a team past its first year still gets them. They are per account and shared
across regions, so an estimate consumes each pool once, component by component. Left out on
purpose: the 12-month offers (EC2, RDS, ElastiCache, S3 5 GB...), ECR's 500 MB (12 months for
private repositories), Route 53 and EventBridge custom events (no free tier), and Cognito: its
10,000 free MAUs (Lite, Essentials) are the first band of its price, applied in every estimate.

Allowances are keyed by (service code, usage name) so that the same service priced for two
usages (CloudFront data out and requests) draws on two pools.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from journeys.pricing.keys import PriceKey


@dataclass(frozen=True)
class Allowance:
    pool: str
    quantity: Decimal
    description: str


def _allowance(pool: str, quantity: int, description: str) -> Allowance:
    return Allowance(pool, Decimal(quantity), description)


FREE_TIER: dict[tuple[str, str], Allowance] = {
    ("AWSLambda", "requests"): _allowance(
        "lambda-requests", 1_000_000, "1,000,000 Lambda requests a month"
    ),
    ("AWSLambda", "gb_seconds"): _allowance(
        "lambda-duration", 400_000, "400,000 GB-seconds of Lambda compute a month"
    ),
    ("AWSQueueService", "requests"): _allowance(
        "sqs-requests", 1_000_000, "1,000,000 SQS requests a month"
    ),
    ("AmazonSNS", "publishes"): _allowance(
        "sns-publishes", 1_000_000, "1,000,000 SNS publishes a month"
    ),
    ("AmazonDynamoDB", "storage_gb"): _allowance(
        "dynamodb-storage", 25, "25 GB of DynamoDB storage"
    ),
    ("AmazonCloudFront", "data_transfer_out_gb"): _allowance(
        "cloudfront-out", 1024, "1 TB of CloudFront data out a month"
    ),
    ("AmazonCloudFront", "requests"): _allowance(
        "cloudfront-requests", 10_000_000, "10,000,000 CloudFront requests a month"
    ),
    ("AWSDataTransfer", "data_transfer_out_gb"): _allowance(
        "internet-out", 100, "100 GB of data out to the internet a month, all regions together"
    ),
    ("AmazonCloudWatch", "dashboards"): _allowance(
        "cloudwatch-dashboards", 3, "3 CloudWatch dashboards of up to 50 metrics"
    ),
    ("AmazonCloudWatch", "alarms"): _allowance(
        "cloudwatch-alarms", 10, "10 standard-resolution CloudWatch alarm metrics"
    ),
    ("AmazonCloudWatch", "custom_metrics"): _allowance(
        "cloudwatch-metrics", 10, "10 CloudWatch custom metrics"
    ),
    ("AmazonCloudWatch", "log_ingest_gb"): _allowance(
        "cloudwatch-logs", 5, "5 GB of CloudWatch Logs a month"
    ),
    ("AWSXRay", "traces"): _allowance("xray-traces", 100_000, "100,000 X-Ray traces a month"),
    ("CodeBuild", "build_minutes"): _allowance(
        "codebuild-minutes", 100, "100 CodeBuild build minutes (general1.small) a month"
    ),
    ("AWSCodePipeline", "pipelines"): _allowance(
        "codepipeline-pipelines", 1, "1 active CodePipeline (V1) pipeline a month"
    ),
}


def allowance(key: PriceKey, usage: str) -> Allowance | None:
    return FREE_TIER.get((key.service_code, usage))
