"""Reconciliation: five journeys priced by hand, line by line, from AWS's published on-demand
prices (aws-price-watcher, data of 2025-06-18; where that source has no figure, the AWS pricing
page's us-east-1 list price, as the snapshot says and marks). Each hand line shows its
arithmetic, and each quantity is worked out the way AWS bills it, not read off the engine; the
estimate must land within 2 % of the hand total and every usage's quantity within 5 % of the hand
quantity.

Quantities follow from the answers and the engine's stated assumptions: 3,000 requests per
customer a month, 40 KB per response (KB = 1,024 bytes, GB = 1,048,576 KB), 30 % of requests
static (served by CloudFront and S3 once there is an edge), 80 % reads, 2 database operations
per application request, 100 DNS queries per customer, 1 KB of logs per request, 5 % of requests
traced, 20 GB of disk per instance, 0.005 GB of data and 0.05 GB of files per customer, 10 % of
the data changing a month, 730 hours a month. Prices are list prices: the always-free tier is
off, as in every estimate unless asked for.

Prices the source data lacks stand in from us-east-1 and are marked "us-east-1 stand-in" below
(the estimate counts them too): NAT gateway, EBS gp3 and snapshots, CloudWatch, X-Ray, CodeBuild,
CodePipeline, ECR and EventBridge outside us-east-1, and Cognito Essentials outside us-east-1.

Not billed by the engine and left out here on purpose (each under 0.1 % of its journey): data
between AZs (cache and database traffic across AZs, $0.01/GB each way), CloudWatch Logs
storage after ingestion, and the inter-region transfer of DynamoDB global table replication.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from journeys import engine
from journeys.pricing.estimate import estimate
from journeys.pricing.keys import state_keys
from journeys.pricing.snapshot import Snapshot

D = Decimal
SNAPSHOT = Snapshot.load()

# (component id, usage, hand quantity, hand monthly USD)
Hand = list[tuple[str, str, float, str]]

# 1. A launch bookshop in us-east-1: 200 customers, stage defaults. 200 × 3,000 = 600,000
# requests a month; peak 600,000 ÷ 2,628,000 s × 2 (steady) = 0.46 req/s: one t3.small, no load
# balancer, files on the instance's disk, PostgreSQL db.t3.micro in one AZ, basic monitoring.
BOOKSHOP: Hand = [
    ("dns", "hosted_zones", 1, "0.50"),  # 1 zone × $0.50
    # An A record to the instance, not an alias: 200 × 100 = 20,000 queries × $0.40/M
    ("dns", "queries", 20_000, "0.008"),
    ("web-asg", "instance_hours", 730, "15.184"),  # 730 h × $0.0208 (t3.small)
    ("web-asg", "ebs_gb", 30, "2.40"),  # (20 GB root + 200 × 0.05 GB files) × $0.08 gp3
    ("web-asg", "public_ipv4_hours", 730, "3.65"),  # one public IPv4, 730 h × $0.005
    # 600,000 × 40 KB = 24,000,000 KB = 22.8882 GB × $0.09 (first 10 TB)
    ("web-asg", "data_transfer_out_gb", 22.8882, "2.05994"),
    ("primary-db", "instance_hours", 730, "13.14"),  # 730 h × $0.018 (db.t3.micro Single-AZ)
    # 200 × 0.005 = 1 GB × 1.2 headroom, raised to gp3's 20 GB minimum × $0.115
    ("primary-db", "storage_gb", 20, "2.30"),
    ("monitoring", "dashboards", 1, "3.00"),  # 1 × $3
    ("monitoring", "alarms", 10, "1.00"),  # 10 × $0.10
    ("monitoring", "log_ingest_gb", 0.5722, "0.2861"),  # 600,000 requests × 1 KB × $0.50/GB
    # RDS backups of the 1 GB of data: free up to the 20 GB provisioned
    ("backup", "storage_gb", 1, "0"),
    # The 10 GB of files live on the instance's volume: EBS snapshots, 10 GB × $0.05
    ("backup", "volume_snapshot_gb", 10, "0.50"),
]
# 0.508 + 15.184 + 2.40 + 3.65 + 2.05994 + 13.14 + 2.30 + 4.2861 + 0.50
BOOKSHOP_TOTAL = "44.03"

# 2. An EU fintech at growth in eu-central-1: 20,000 customers, 200 GB of data, stage defaults:
# 60M requests a month, 42M reaching the application (70 % dynamic), peak 60M ÷ 2,628,000 × 4
# (daily peaks) × 0.7 = 63.9 req/s. CloudFront and S3, WAF, ALB over two m6g.large in two AZs,
# ElastiCache, Multi-AZ PostgreSQL with one replica, Cognito, NAT, CI/CD, full monitoring, and
# at 99.9 % availability its backups copied to eu-west-1.
FINTECH: Hand = [
    ("dns", "hosted_zones", 1, "0.50"),
    ("dns", "queries", 2_000_000, "0"),  # 20,000 × 100, alias to CloudFront: free
    ("waf", "web_acls", 1, "5"),  # web ACL on CloudFront, billed in us-east-1: $5
    ("waf", "rules", 5, "5"),  # 5 rules × $1
    ("waf", "requests", 60_000_000, "36"),  # 20,000 × 3,000 = 60M × $0.60/M
    ("cdn", "requests", 60_000_000, "72"),  # 60M × $0.0120/10k (Europe edges)
    # 60M × 40 KB = 2,288.8184 GB × $0.085 (Europe, first 10 TB)
    ("cdn", "data_transfer_out_gb", 2288.8184, "194.5496"),
    ("object-storage", "storage_gb", 1000, "24.50"),  # 20,000 × 0.05 GB × $0.0245 (Frankfurt)
    # 60M × 30 % static × 15 % cache misses = 2.7M GETs × $0.00043/1,000
    ("object-storage", "requests_get", 2_700_000, "1.161"),
    # 42M × 20 % writes × 0.1 objects per write = 840,000 PUTs × $0.0054/1,000
    ("object-storage", "requests_put", 840_000, "4.536"),
    ("load-balancer", "hours", 730, "19.71"),  # 730 h × $0.027 (Frankfurt)
    # LCU = max(42M ÷ 2,628,000 s = 15.98 new connections/s ÷ 25 = 0.64,
    #           42M × 40 KB ÷ 1,048,576 ÷ 730 h = 2.19 GB/h) = 2.19 × 730 h × $0.008
    ("load-balancer", "lcu_hours", 1602.17, "12.8174"),
    ("load-balancer", "public_ipv4_hours", 1460, "7.30"),  # 2 nodes × 730 h × $0.005
    # 63.9 req/s ÷ 150 per m6g.large = 1, N+1 over 2 AZs = 2 all day: 2 × 730 h × $0.092
    ("web-asg", "instance_hours", 1460, "134.32"),
    ("web-asg", "ebs_gb", 40, "3.20"),  # 2 × 20 GB × $0.08 (us-east-1 stand-in)
    # working set 200 GB × 2 % = 4 GB: cache.m6g.large (6.38 GiB) and its replica in the
    # second AZ, 2 × 730 h × $0.177
    ("app-cache", "node_hours", 1460, "258.42"),
    ("primary-db", "instance_hours", 730, "108.77"),  # db.t4g.medium Multi-AZ 730 h × $0.149
    ("primary-db", "replica_instance_hours", 730, "54.02"),  # one replica 730 h × $0.074
    # 200 GB × 1.2 headroom = 240 GB × $0.274 (Multi-AZ gp3, Frankfurt)
    ("primary-db", "storage_gb", 240, "65.76"),
    # the read replica's own 240 GB volume × $0.137 (Single-AZ gp3)
    ("primary-db", "replica_storage_gb", 240, "32.88"),
    # Essentials: 20,000 MAU − 10,000 free = 10,000 × $0.015 (us-east-1 stand-in)
    ("identity", "mau", 20_000, "150"),
    # the fleet in private subnets reaches the internet through one NAT (99.9 % < 99.95 %)
    ("nat-gateway", "nat_hours", 730, "32.85"),  # 730 h × $0.045 (us-east-1 stand-in)
    ("nat-gateway", "data_processed_gb", 114.4409, "5.1498"),  # 5 % of 2,288.8 GB × $0.045
    ("nat-gateway", "public_ipv4_hours", 730, "3.65"),  # its Elastic IP, 730 h × $0.005
    ("cicd", "pipelines", 1, "1"),  # $1 per pipeline (us-east-1 stand-in, as the two below)
    ("cicd", "build_minutes", 480, "2.40"),  # 60 builds × 8 min × $0.005
    ("cicd", "registry_storage_gb", 5, "0.50"),  # 5 GB × $0.10
    ("monitoring", "dashboards", 3, "9"),  # 3 × $3 (us-east-1 stand-in, as the four below)
    ("monitoring", "alarms", 30, "3"),  # 30 × $0.10
    ("monitoring", "log_ingest_gb", 40.0543, "20.0272"),  # 42M requests × 1 KB × $0.50/GB
    ("monitoring", "custom_metrics", 50, "15"),  # 50 × $0.30
    ("monitoring", "traces", 2_100_000, "10.50"),  # 5 % of 42M × $5/M
    ("backup", "storage_gb", 200, "0"),  # 200 GB of backups under the 240 GB provisioned: free
    # The copy in eu-west-1 has no database there to make it free: 200 GB × $0.095
    ("dr-backup", "storage_gb", 200, "19"),
    # 10 % of 200 GB changes a month: 20 GB eu-central-1 → eu-west-1 × $0.02
    ("dr-backup", "cross_region_transfer_gb", 20, "0.40"),
]
FINTECH_TOTAL = "1312.92"

# 3. A serverless media app at growth in us-east-1: 5,000 customers on API Gateway, Lambda and
# DynamoDB, with CloudFront and S3 in front: 15M requests a month, 10.5M dynamic. Lambda runs in
# the VPC to reach the cache; DynamoDB and S3 through free gateway endpoints, so no NAT.
MEDIA: Hand = [
    ("dns", "hosted_zones", 1, "0.50"),
    ("dns", "queries", 500_000, "0"),  # alias to CloudFront: free
    ("waf", "web_acls", 1, "5"),
    ("waf", "rules", 5, "5"),
    ("waf", "requests", 15_000_000, "9"),  # 5,000 × 3,000 = 15M × $0.60/M
    ("cdn", "requests", 15_000_000, "15"),  # 15M × $0.0100/10k (United States edges)
    ("cdn", "data_transfer_out_gb", 572.2046, "48.6374"),  # 15M × 40 KB × $0.085
    ("object-storage", "storage_gb", 250, "5.75"),  # 5,000 × 0.05 GB × $0.023
    ("object-storage", "requests_get", 675_000, "0.27"),  # 15M × 30 % × 15 % × $0.0004/1,000
    ("object-storage", "requests_put", 210_000, "1.05"),  # 10.5M × 20 % × 0.1 × $0.005/1,000
    # an HTTP API (no answer needs REST): 10.5M × $1.00/M
    ("api-gateway", "requests", 10_500_000, "10.50"),
    ("app-function", "requests", 10_500_000, "2.10"),  # 10.5M × $0.20/M
    # 10.5M × 120 ms × 0.5 GB = 630,000 GB-s × $0.0000166667
    ("app-function", "gb_seconds", 630_000, "10.50"),
    # working set 25 GB × 2 % = 0.5 GB: cache.t3.micro and its replica, 2 × 730 h × $0.017
    ("app-cache", "node_hours", 1460, "24.82"),
    # 10.5M × 2 operations × 80 % reads = 16.8M reads; the cache answers 80 %: 3.36M reach
    # DynamoDB, one read unit each (≤ 4 KB) × $0.125/M
    ("nosql-db", "read_request_units", 3_360_000, "0.42"),
    ("nosql-db", "write_request_units", 4_200_000, "2.625"),  # 21M × 20 % × $0.625/M
    ("nosql-db", "storage_gb", 25, "6.25"),  # 5,000 × 0.005 GB × $0.25
    ("identity", "mau", 5_000, "0"),  # under Essentials' 10,000 free MAUs
    ("cicd", "pipelines", 1, "1"),
    ("cicd", "build_minutes", 480, "2.40"),
    ("cicd", "registry_storage_gb", 5, "0.50"),
    ("monitoring", "dashboards", 3, "9"),
    ("monitoring", "alarms", 30, "3"),
    ("monitoring", "log_ingest_gb", 10.0136, "5.0068"),  # 10.5M × 1 KB × $0.50/GB
    ("monitoring", "custom_metrics", 50, "15"),
    ("monitoring", "traces", 525_000, "2.625"),  # 5 % of 10.5M × $5/M
    # DynamoDB point-in-time recovery on the table's 25 GB × $0.20 (no files: Lambda keeps none)
    ("backup", "storage_gb", 25, "5"),
    ("dr-backup", "storage_gb", 25, "2.50"),  # its copy in us-west-2: 25 GB × $0.10 backups
    ("dr-backup", "cross_region_transfer_gb", 2.5, "0.05"),  # 10 % of 25 GB × $0.02
]
MEDIA_TOTAL = "193.50"

# 4. A SaaS in ap-south-1 at growth with customers worldwide: 50,000 customers, 150M requests a
# month, 105M dynamic, peak 150M ÷ 2,628,000 × 4 × 0.7 = 159.8 req/s; CloudFront traffic split
# 45 % North America, 30 % Europe, 25 % Asia Pacific; backups copied to ap-southeast-1.
SAAS: Hand = [
    ("dns", "hosted_zones", 1, "0.50"),
    ("dns", "queries", 5_000_000, "0"),
    ("waf", "web_acls", 1, "5"),
    ("waf", "rules", 5, "5"),
    ("waf", "requests", 150_000_000, "90"),  # 150M × $0.60/M
    # 67.5M × $0.0100/10k + 45M × $0.0120/10k + 37.5M × $0.0120/10k = 67.50 + 54 + 45
    ("cdn", "requests", 150_000_000, "166.50"),
    # 5,722.0459 GB: 2,574.92 × $0.085 (US) + 1,716.61 × $0.085 (EU) + 1,430.51 × $0.120 (AP)
    ("cdn", "data_transfer_out_gb", 5722.0459, "536.4418"),
    ("object-storage", "storage_gb", 2500, "62.50"),  # 2,500 GB × $0.025 (Mumbai)
    ("object-storage", "requests_get", 6_750_000, "2.70"),  # 150M × 30 % × 15 % × $0.0004/1,000
    ("object-storage", "requests_put", 2_100_000, "10.50"),  # 105M × 20 % × 0.1 × $0.005/1,000
    ("load-balancer", "hours", 730, "17.447"),  # 730 h × $0.0239 (Mumbai)
    # max(39.95 new connections/s ÷ 25 = 1.60, 105M × 40 KB ÷ 1,048,576 ÷ 730 = 5.49 GB/h)
    ("load-balancer", "lcu_hours", 4005.43, "32.0435"),  # 5.49 LCU × 730 h × $0.008
    ("load-balancer", "public_ipv4_hours", 1460, "7.30"),
    # 159.8 ÷ 150 = 2, N+1 = 3 at the 6 peak hours, 2 the rest of the day:
    # (2 + 1 × 6/24) = 2.25 × 730 h × $0.0506 (m6g.large, Mumbai)
    ("web-asg", "instance_hours", 1642.5, "83.1105"),
    ("web-asg", "ebs_gb", 45, "3.60"),  # 2.25 × 20 GB × $0.08 (us-east-1 stand-in)
    ("app-cache", "node_hours", 1460, "226.30"),  # 5 GB working set: 2 × m6g.large × $0.155
    # 5 GB working set > a db.t4g.medium's 4 GiB: db.m6g.large Multi-AZ × $0.452
    ("primary-db", "instance_hours", 730, "329.96"),
    ("primary-db", "replica_instance_hours", 730, "164.98"),  # one replica × $0.226
    ("primary-db", "storage_gb", 300, "78.60"),  # 250 GB × 1.2 = 300 GB × $0.262 (Multi-AZ)
    ("primary-db", "replica_storage_gb", 300, "39.30"),  # the replica's 300 GB × $0.131
    ("identity", "mau", 50_000, "600"),  # (50,000 − 10,000) × $0.015
    ("nat-gateway", "nat_hours", 730, "32.85"),
    ("nat-gateway", "data_processed_gb", 286.1023, "12.8746"),  # 5 % of 5,722 GB × $0.045
    ("nat-gateway", "public_ipv4_hours", 730, "3.65"),
    ("cicd", "pipelines", 1, "1"),
    ("cicd", "build_minutes", 480, "2.40"),
    ("cicd", "registry_storage_gb", 5, "0.50"),
    ("monitoring", "dashboards", 3, "9"),
    ("monitoring", "alarms", 30, "3"),
    ("monitoring", "log_ingest_gb", 100.1358, "50.0679"),  # 105M × 1 KB × $0.50/GB
    ("monitoring", "custom_metrics", 50, "15"),
    ("monitoring", "traces", 5_250_000, "26.25"),
    ("backup", "storage_gb", 250, "0"),  # under the 300 GB provisioned: free
    ("dr-backup", "storage_gb", 250, "23.75"),  # the copy in Singapore: 250 GB × $0.095
    # 10 % of 250 GB a month, ap-south-1 → ap-southeast-1 × $0.086
    ("dr-backup", "cross_region_transfer_gb", 25, "2.15"),
]
SAAS_TOTAL = "2644.28"

# 5. A global app beyond a million: 2,000,000 customers worldwide, stage beyond with RPO 0, so
# multi-site active/active between us-east-1 and us-west-2, each region serving half of the
# requests. 6 billion requests a month, 4.2 billion dynamic (2.1 billion per region); 240 billion
# KB = 228,881.8359 GB out through CloudFront. Capacity (tasks, nodes, instances) is paid in full
# in both regions: each is sized to carry all the traffic if the other fails. Per region below,
# "2 ×" where both regions pay the same.
GLOBAL_APP: Hand = [
    ("dns", "hosted_zones", 1, "0.50"),
    ("dns", "queries", 200_000_000, "0"),  # 2M × 100, alias to CloudFront: free
    ("dns", "health_checks", 2, "1"),  # latency routing, 2 AWS-endpoint checks × $0.50
    ("waf", "web_acls", 1, "5"),
    ("waf", "rules", 5, "5"),
    ("waf", "requests", 6_000_000_000, "3600"),  # 6,000M × $0.60/M
    # 2,700M × $0.0100/10k (US) + 1,800M × $0.0120/10k (EU) + 1,500M × $0.0120/10k (AP)
    # = 2,700 + 2,160 + 1,800
    ("cdn", "requests", 6_000_000_000, "6660"),
    # per edge geography, each with its own volume tiers (10 TB, next 40 TB, next 100 TB):
    # US 102,996.8262 GB: 10,240 × 0.085 + 40,960 × 0.080 + 51,796.8262 × 0.060 = 7,255.0096
    # EU  68,664.5508 GB: 10,240 × 0.085 + 40,960 × 0.080 + 17,464.5508 × 0.060 = 5,195.0730
    # AP  57,220.4590 GB: 10,240 × 0.120 + 40,960 × 0.100 +  6,020.4590 × 0.095 = 5,896.7436
    ("cdn", "data_transfer_out_gb", 228_881.8359, "18346.8262"),
    # 2M × 0.05 GB = 100,000 GB: 51,200 × $0.023 + 48,800 × $0.022 (over 50 TB)
    ("object-storage", "storage_gb", 100_000, "2251.20"),
    ("object-storage", "requests_get", 270_000_000, "108"),  # 6,000M × 30 % × 15 % × $0.0004/k
    ("object-storage", "requests_put", 84_000_000, "420"),  # 4,200M × 20 % × 0.1 × $0.005/k
    # 2,100M per region: 300M × $1.00/M + 1,800M × $0.90/M = 1,920
    ("api-gateway", "requests", 2_100_000_000, "1920"),
    ("load-balancer", "hours", 730, "16.425"),  # 730 h × $0.0225
    # internal ALB behind the API's VPC link: no public IPv4. LCU per region =
    # max(799 new connections/s ÷ 25 = 32, 2,100M × 40 KB ÷ 1,048,576 ÷ 730 = 109.74 GB/h)
    ("load-balancer", "lcu_hours", 80_108.6426, "640.8691"),  # × $0.008
    # 6,393 req/s at the peak ÷ 400 per 4-vCPU task = 16, N+1 = 17 for 6 h; 1,598 ÷ 400 = 4,
    # N+1 = 5 the rest: 5 + 12 × 6/24 = 8 tasks × 4 vCPU × 730 h × $0.04048
    ("app-service", "vcpu_hours", 23_360, "945.6128"),
    ("app-service", "memory_gb_hours", 46_720, "207.6704"),  # 8 × 8 GB × 730 h × $0.004445
    # working set 10,000 GB × 2 % = 200 GB ÷ 26.32 GiB per cache.r6g.xlarge = 8 shards, each
    # with a replica: 16 × 730 h × $0.411
    ("app-cache", "node_hours", 11_680, "4800.48"),
    ("primary-db", "instance_hours", 730, "1515.48"),  # Aurora writer db.r6g.4xlarge × $2.076
    ("primary-db", "replica_instance_hours", 730, "1515.48"),  # its replica in a second AZ
    ("primary-db", "storage_gb", 7000, "700"),  # 10,000 GB less 30 % in DynamoDB × $0.10
    # one writer: 4,200M × 2 operations × 20 % writes × 70 % relational = 1,176M I/O × $0.20/M
    ("primary-db", "io_requests", 1_176_000_000, "235.20"),
    # 8,400M × 30 % × 80 % reads = 2,016M; 80 % from the cache: 403.2M ÷ 2 regions × $0.125/M
    ("nosql-db", "read_request_units", 201_600_000, "25.20"),
    ("nosql-db", "write_request_units", 252_000_000, "157.50"),  # 504M ÷ 2 × $0.625/M
    ("nosql-db", "storage_gb", 3000, "750"),  # 30 % of 10,000 GB × $0.25
    # the other region's 252M writes arrive replicated × $0.625/M
    ("nosql-db", "replicated_write_request_units", 252_000_000, "157.50"),
    ("identity", "mau", 2_000_000, "29850"),  # (2,000,000 − 10,000) × $0.015
    ("event-bus", "events", 420_000_000, "420"),  # 4,200M × 20 % = 840M ÷ 2 × $1/M
    ("queue", "requests", 1_260_000_000, "504"),  # 3 per event × 420M × $0.40/M
    ("worker-function", "requests", 420_000_000, "84"),  # 420M × $0.20/M
    # 420M × 0.12 s × 0.5 GB = 25.2M GB-s × $0.0000166667
    ("worker-function", "gb_seconds", 25_200_000, "420.0008"),
    ("nat-gateway", "nat_hours", 2190, "98.55"),  # one per AZ, 3 × 730 h × $0.045
    # 5 % of 228,881.8 GB ÷ 2 regions = 5,722.0459 GB × $0.045
    ("nat-gateway", "data_processed_gb", 5722.0459, "257.4921"),
    ("nat-gateway", "public_ipv4_hours", 2190, "10.95"),  # 3 Elastic IPs × 730 h × $0.005
    ("cicd", "pipelines", 1, "1"),
    ("cicd", "build_minutes", 480, "2.40"),
    ("cicd", "registry_storage_gb", 5, "0.50"),
    ("monitoring", "dashboards", 3, "9"),
    ("monitoring", "alarms", 30, "3"),
    ("monitoring", "log_ingest_gb", 2002.7161, "1001.3581"),  # 2,100M × 1 KB × $0.50/GB
    ("monitoring", "custom_metrics", 50, "15"),
    ("monitoring", "traces", 105_000_000, "525"),  # 5 % of 2,100M × $5/M
    ("backup", "storage_gb", 7000, "0"),  # Aurora backups up to the 7,000 GB volume: free
    ("backup", "table_backup_gb", 3000, "600"),  # DynamoDB point-in-time recovery × $0.20
    # --- us-west-2
    ("dr-backup", "storage_gb", 7000, "147"),  # Aurora snapshot copies × $0.021
    ("dr-backup", "table_backup_gb", 3000, "300"),  # DynamoDB backup copies × $0.10
    # 10 % of 10,000 GB a month us-east-1 → us-west-2 × $0.02
    ("dr-backup", "cross_region_transfer_gb", 1000, "20"),
    ("dr-primary-db", "replication_gb", 1000, "20"),  # 10 % of 10,000 GB × $0.02
    ("dr-primary-db", "instance_hours", 730, "1515.48"),  # Global Database secondary
    ("dr-primary-db", "replica_instance_hours", 730, "1515.48"),
    ("dr-primary-db", "storage_gb", 7000, "700"),  # its own cluster volume
    ("dr-primary-db", "io_requests", 1_176_000_000, "235.20"),  # replicated write I/O × $0.20/M
    ("dr-nosql-db", "replicated_write_request_units", 252_000_000, "157.50"),
    ("dr-nosql-db", "storage_gb", 3000, "750"),
    ("dr-nosql-db", "read_request_units", 201_600_000, "25.20"),
    ("dr-nosql-db", "write_request_units", 252_000_000, "157.50"),
    ("dr-object-storage", "storage_gb", 100_000, "2251.20"),  # the replica bucket
    ("dr-object-storage", "replication_gb", 10_000, "200"),  # 10 % of 100,000 GB × $0.02
    ("dr-object-storage", "requests_put", 84_000_000, "420"),  # replicated PUTs × $0.005/k
    ("dr-app-service", "vcpu_hours", 23_360, "945.6128"),
    ("dr-app-service", "memory_gb_hours", 46_720, "207.6704"),
    ("dr-load-balancer", "hours", 730, "16.425"),
    ("dr-load-balancer", "lcu_hours", 80_108.6426, "640.8691"),
    ("dr-api-gateway", "requests", 2_100_000_000, "1920"),
    ("dr-nat-gateway", "nat_hours", 2190, "98.55"),
    ("dr-nat-gateway", "data_processed_gb", 5722.0459, "257.4921"),
    ("dr-nat-gateway", "public_ipv4_hours", 2190, "10.95"),
    ("dr-monitoring", "dashboards", 3, "9"),
    ("dr-monitoring", "alarms", 30, "3"),
    ("dr-monitoring", "log_ingest_gb", 2002.7161, "1001.3581"),
    ("dr-monitoring", "custom_metrics", 50, "15"),
    ("dr-monitoring", "traces", 105_000_000, "525"),
    ("dr-app-cache", "node_hours", 11_680, "4800.48"),
    ("dr-event-bus", "events", 420_000_000, "420"),
    ("dr-queue", "requests", 1_260_000_000, "504"),
    ("dr-worker-function", "requests", 420_000_000, "84"),
    ("dr-worker-function", "gb_seconds", 25_200_000, "420.0008"),
]
GLOBAL_APP_TOTAL = "99081.16"

JOURNEYS: dict[str, tuple[str, dict[str, Any], str, Hand, str]] = {
    "bookshop": ("launch", {"customers": 200}, "us-east-1", BOOKSHOP, BOOKSHOP_TOTAL),
    "fintech": (
        "growth",
        {"customers": 20_000, "db_storage_gb": 200},
        "eu-central-1",
        FINTECH,
        FINTECH_TOTAL,
    ),
    "media": (
        "growth",
        {"customers": 5_000, "compute_model": "serverless", "database_engine": "dynamodb"},
        "us-east-1",
        MEDIA,
        MEDIA_TOTAL,
    ),
    "saas": (
        "growth",
        {"customers": 50_000, "users_geography": "global"},
        "ap-south-1",
        SAAS,
        SAAS_TOTAL,
    ),
    "global": (
        "beyond",
        {"customers": 2_000_000, "rpo_minutes": 0},
        "us-east-1",
        GLOBAL_APP,
        GLOBAL_APP_TOTAL,
    ),
}


def priced(name: str) -> Any:
    stage, answers, region, _, _ = JOURNEYS[name]
    state = engine.recommend(stage, answers, region=region)
    prices = {k.id: SNAPSHOT.price(k) for k in state_keys(state)}
    return estimate(state, prices, answers["customers"])  # type: ignore[arg-type]


@pytest.mark.parametrize("name", list(JOURNEYS))
def test_the_hand_lines_add_up_to_the_hand_total(name: str) -> None:
    hand, total = JOURNEYS[name][3], D(JOURNEYS[name][4])
    assert abs(sum(D(usd) for *_, usd in hand) - total) < D("0.01")


@pytest.mark.parametrize("name", list(JOURNEYS))
def test_the_estimate_lands_within_2_percent_of_the_hand_total(name: str) -> None:
    result = priced(name)
    hand_total = D(JOURNEYS[name][4])
    assert abs(result.monthly_usd - hand_total) <= hand_total * D("0.02"), result.monthly_usd


@pytest.mark.parametrize("name", list(JOURNEYS))
def test_every_usage_quantity_is_within_5_percent_of_the_hand_one(name: str) -> None:
    result = priced(name)
    quantities: dict[tuple[str, str], Decimal] = {}
    costs: dict[tuple[str, str], Decimal] = {}
    for line in result.lines:
        key = (line.component_id, line.usage)
        quantities[key] = quantities.get(key, D(0)) + line.quantity
        costs[key] = costs.get(key, D(0)) + line.monthly_usd
    hand = {(cid, usage): (D(str(q)), D(usd)) for cid, usage, q, usd in JOURNEYS[name][3]}
    # Every billed usage is priced by hand, and no hand line is missing from the estimate.
    billed = {k for k, v in costs.items() if v > 0}
    assert billed <= set(hand), billed - set(hand)
    for key, (quantity, usd) in hand.items():
        assert key in quantities, key
        assert abs(quantities[key] - quantity) <= quantity * D("0.05"), (key, quantities[key])
        assert abs(costs[key] - D(usd)) <= max(D(usd) * D("0.05"), D("0.01")), (key, costs[key])


def test_the_us_east_1_stand_ins_marked_by_hand_are_the_ones_the_estimate_counts() -> None:
    result = priced("fintech")
    # ebs_gb 3.20 + identity 150 + NAT 32.85 + 5.1498 + CI/CD 1 + 2.40 + 0.50 + monitoring
    # 9 + 3 + 20.0272 + 15 + 10.50 = 252.6270 over 12 lines.
    assert len(result.estimated_lines) == 12
    assert abs(result.estimated_usd - D("252.627")) < D("0.001")
    replica = next(x for x in result.lines if x.usage == "replica_storage_gb")
    assert replica.assumes == "1 × 240 GB gp3: each read replica's own volume, single-AZ"
