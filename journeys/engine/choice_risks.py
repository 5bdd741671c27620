"""The catalogue's risky choices as specific findings: for every answered choice that the
catalogue marks as a risk, the finding that says which components it concerns, what to do, why
the talk says so and by which stage.

The catalogue decides *whether* a choice is a risk and how high (its per-pillar `risks`); this
table decides what the finding says. A choice that a rule also judges (`echoes`) does not repeat
that rule: when the rule fires, the answer joins its reasons; when it does not, a choice with
words of its own still gives its finding (the team saw the problem), one without gives none.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from journeys.engine.findings import STAGE_SECTIONS, Facts, Finding
from journeys.vocabulary import PILLARS, RISK_LEVELS

_LAUNCH, _GROWTH, _SCALE, _BEYOND = (STAGE_SECTIONS[s] for s in STAGE_SECTIONS)
_TAKEAWAYS = "Summary: Takeaways"
_MULTI_REGION = f"{_SCALE}: Multi-region architecture — Design principles"
# "app" in a finding's components stands for the stage's application compute.
APP = "app"


@dataclass(frozen=True)
class ChoiceFinding:
    id: str
    title: str
    components: tuple[str, ...]
    action: str
    reason: str
    section: str
    due: str = ""  # the stage by which to act; "" for the stage that has the risk
    echoes: str = ""  # a rule that says the same: its finding takes the answer instead


def _f(
    fid: str,
    title: str,
    components: tuple[str, ...],
    action: str,
    reason: str,
    section: str,
    due: str = "",
    echoes: str = "",
) -> ChoiceFinding:
    return ChoiceFinding(fid, title, components, action, reason, section, due, echoes)


_SHARED_ADMIN = _f(
    "shared-admin-access",
    "Administrators share the root user or one sign-in",
    (),
    "Lock the root user away with MFA, give each person their own sign-in through IAM Identity "
    "Center with least-privilege roles, and turn on CloudTrail in every region.",
    "Without one identity per person, nobody can tell who changed what, and one leaked password "
    "opens the whole account.",
    f"{_LAUNCH}: Learn — Security",
)
_NO_COST_VISIBILITY = _f(
    "no-cost-visibility",
    "Nobody sees what the workload costs",
    (),
    "Tag every resource by feature and environment, activate the tags as cost allocation tags, "
    "and set an AWS Budgets alert at the monthly estimate of this stage.",
    'The talk\'s cost step, "explore cost optimization options", starts from knowing the bill.',
    f"{_LAUNCH}: Learn — Cost",
)
_IDLE = _f(
    "idle-off-hours",
    "Capacity sized for the peak runs all day",
    (APP, "primary-db"),
    "Scale the fleet in outside the peak (target tracking, or a schedule), stop non-production "
    "environments at night (Instance Scheduler on AWS) and let Aurora Serverless v2 follow the "
    "load.",
    "Auto scale horizontally: pay for the load of the hour, not the peak of the day.",
    f"{_GROWTH}: Build — Performance improvements",
    due="growth",
)
_PRICING = _f(
    "pricing-unexplored",
    "Everything bought on demand",
    (APP, "primary-db", "app-cache"),
    "Cover the steady baseline with a Compute Savings Plan and the database and cache with "
    "Reserved Instances (one year, no upfront) once usage has been stable for a month; keep "
    "the peak on demand.",
    "The talk's cost improvements: explore cost optimization; commitments cut the baseline's "
    "price by roughly a third.",
    f"{_GROWTH}: Build — Cost improvements",
    due="growth",
)
_SLOW_DEV = _f(
    "slow-development",
    "Application development is taking too long",
    ("cicd",),
    "Give developers an AI coding assistant (Amazon Q Developer), shared project templates and "
    "a pipeline that builds and tests every commit, so that nobody waits on a release.",
    "Growth's scaling development: accelerate coding with an AI coding companion.",
    f"{_GROWTH}: Build — Scaling development",
    due="growth",
)
_HEAVY_LIFTING = _f(
    "undifferentiated-heavy-lifting",
    "The team spends its time running infrastructure",
    (APP, "primary-db", "app-cache"),
    "Hand patching, backups, failover and scaling to managed services: RDS or Aurora for the "
    "database, ECS on Fargate or Lambda for the application, ElastiCache for the cache.",
    "The talk's approach to scaling: avoid undifferentiated heavy lifting; use managed services "
    "and focus on application features.",
    f"{_GROWTH}: Learn — Operational issues",
    due="growth",
)
_NO_DR_PLAN = _f(
    "no-dr-plan",
    "No disaster-recovery plan",
    ("backup", "dns"),
    "Choose the strategy from the RPO and RTO (backup and restore, pilot light, warm standby, "
    "active/active), copy backups to the DR region, write down who declares a disaster and "
    "the recovery steps.",
    "Growth's operational issues include multi-region disaster recovery; the scale stage makes "
    "it a design decision.",
    f"{_GROWTH}: Learn — Operational issues",
    due="scale",
)
_SHARED_TABLES = _f(
    "shared-tables",
    "Services share the same tables",
    ("primary-db",),
    "Give each service its own tables (or its own database) and share data through its API or "
    "through events, so that one service's schema change does not break another.",
    "Loose coupling: independently scale every layer; SOA or independent application features.",
    f"{_TAKEAWAYS} — Scaling design",
    due="beyond",
)
_NO_BACKUPS = _f(
    "no-backups",
    "No backups",
    ("backup", "primary-db"),
    "Create an AWS Backup plan: daily snapshots kept 7 days or more, point-in-time recovery on "
    "the database, and versioning on the S3 bucket.",
    "A lost database with no backup ends the business; the cheapest DR strategy is backup and "
    "restore.",
    f"{_SCALE}: Strategies for disaster recovery",
)

TABLE: dict[tuple[str, str], ChoiceFinding] = {
    # -- core questions whose risky choices a rule does not judge (or judges itself)
    ("customer_identity", "none"): _f("", "", (), "", "", "", echoes="no-identity-context"),
    ("customer_identity", "in_app"): _f(
        "identity-in-app",
        "Customer sign-in built into the application",
        ("identity",),
        "Move customer sign-in to an Amazon Cognito user pool (MFA, password policies, "
        "federation) and have the application verify its tokens.",
        "The talk's growth security improvement: customer identity management as a managed "
        "service, not code to maintain.",
        f"{_GROWTH}: Build — Security improvements",
        due="growth",
    ),
    ("l7_protection", "none"): _f("", "", (), "", "", "", echoes="open-to-layer-7-attacks"),
    ("release_process", "manual"): _f("", "", (), "", "", "", echoes="manual-releases"),
    ("release_process", "scripted"): _f("", "", (), "", "", "", echoes="manual-releases"),
    ("monitoring", "none"): _f("", "", (), "", "", "", echoes="no-monitoring"),
    ("monitoring", "basic"): _f("", "", (), "", "", "", echoes="no-monitoring"),
    # -- Build
    ("app_structure", "tangled"): _f(
        "tangled-codebase",
        "Components call each other's internals",
        (APP,),
        "Draw module boundaries now: web front end, API, background jobs and data access each "
        "behind an interface, so that they can run as separate services when the stage needs it.",
        "Launch's Build: loosely coupled components, so that every layer can later scale on its "
        "own.",
        f"{_LAUNCH}: Build — Development",
        due="growth",
    ),
    ("coding_acceleration", "nothing_special"): _SLOW_DEV,
    ("app_state", "on_server"): _f("", "", (), "", "", "", echoes="stateful-application"),
    ("app_state", "mixed"): _f("", "", (), "", "", "", echoes="stateful-application"),
    ("api_front_door", "direct"): _f(
        "no-api-front-door",
        "The API is exposed without a managed front door",
        ("load-balancer", "api-gateway", "waf"),
        "Route API traffic through Amazon API Gateway: authentication, throttling, usage plans "
        "and the WAF in one managed place, in front of the load balancer.",
        "Scale's design: a managed API service; the takeaway: use Amazon API Gateway to route "
        "traffic to the application.",
        f"{_SCALE}: Build — Design",
        due="scale",
    ),
    ("api_front_door", "self_managed"): _f(
        "self-managed-api-proxy",
        "A self-managed API proxy to patch and scale",
        ("load-balancer", "api-gateway"),
        "Replace the proxy fleet by Amazon API Gateway (HTTP API), which scales, throttles and "
        "authorises requests without servers to run.",
        "Use managed services and let AWS do the heavy lifting; route traffic with API Gateway.",
        f"{_TAKEAWAYS} — Scaling implementation",
        due="scale",
    ),
    ("feature_independence", "together"): _f(
        "features-deployed-together",
        "Features are deployed and scaled together",
        (APP, "cicd"),
        "Split the busiest features into their own services (an ECS service or Lambda function "
        "each) with their own pipeline and scaling policy.",
        "Scale's operational step: manage and scale features independently.",
        f"{_SCALE}: Build — Operational",
        due="scale",
        echoes="coupled-features",
    ),
    ("integration_style", "sync_chains"): _f("", "", (), "", "", "", echoes="synchronous-chains"),
    ("integration_style", "mostly_sync"): _f(
        "mostly-synchronous",
        "Most work still waits on synchronous calls",
        ("queue", "event-bus", APP),
        "Move every call whose answer the customer does not wait for (emails, reports, "
        "notifications, updates to other features) onto EventBridge and SQS.",
        "The takeaway: event-driven architecture, asynchronous processing.",
        f"{_TAKEAWAYS} — Scaling design",
        due="beyond",
    ),
    ("service_boundaries", "one_application"): _f(
        "one-application",
        "Every feature lives in one application",
        (APP, "primary-db"),
        "Carve the features with their own load or release pace out as services, each owning "
        "its data and talking through APIs or events.",
        "The takeaway: SOA or independent application features.",
        f"{_TAKEAWAYS} — Scaling design",
        due="beyond",
    ),
    ("service_boundaries", "shared_database"): _SHARED_TABLES,
    # -- Learn: what the team saw
    ("learn_performance", "latency"): _f(
        "observed-latency",
        "Customers see slow responses at peaks",
        (APP, "primary-db", "app-cache", "cdn"),
        "Measure the 95th-percentile latency per endpoint, serve cacheable content from "
        "CloudFront and repeated reads from ElastiCache, and scale out before CPU passes 70 %.",
        "Launch's Learn — Performance: latency.",
        f"{_LAUNCH}: Learn — Performance",
        due="growth",
    ),
    ("learn_performance", "spiky_load"): _f(
        "observed-spiky-load",
        "Spiky load on capacity sized by hand",
        (APP, "primary-db"),
        "Put the application in an Auto Scaling group (or ECS service auto scaling) with target "
        "tracking, and move the database to Aurora Serverless v2.",
        "Launch's Learn — Performance: spiky workloads.",
        f"{_LAUNCH}: Learn — Performance",
        due="growth",
        echoes="spiky-load-on-fixed-capacity",
    ),
    ("learn_performance", "slow_queries"): _f(
        "observed-slow-queries",
        "Unoptimised queries slow the database",
        ("primary-db", "app-cache"),
        "Turn on Performance Insights, index the slowest queries and cache their results in "
        "ElastiCache.",
        "Launch's Learn — Performance: unoptimized and read-only queries.",
        f"{_LAUNCH}: Learn — Performance",
    ),
    ("learn_performance", "reads_on_primary"): _f(
        "observed-reads-on-primary",
        "Read-only queries load the primary database",
        ("primary-db", "app-cache"),
        "Send read-only queries to a read replica (or the Aurora reader endpoint) and cache hot "
        "reads.",
        "Launch's Learn — Performance: read-only queries; Growth adds a database read replica.",
        f"{_LAUNCH}: Learn — Performance",
        due="growth",
        echoes="read-queries-on-primary",
    ),
    ("learn_availability", "single_points_of_failure"): _f(
        "observed-single-points-of-failure",
        "Single points of failure seen",
        (APP, "primary-db", "load-balancer"),
        "Run two or more instances behind a load balancer and make the database Multi-AZ.",
        "Launch's Learn — Availability: single point of failures.",
        f"{_LAUNCH}: Learn — Availability",
        due="growth",
        echoes="single-point-of-failure",
    ),
    ("learn_availability", "one_az"): _f(
        "observed-one-az",
        "Everything runs in one Availability Zone",
        (APP, "primary-db"),
        "Spread the application and the database over at least two Availability Zones.",
        "Launch's Learn — Availability: only one of three availability zones used.",
        f"{_LAUNCH}: Learn — Availability",
        due="growth",
        echoes="one-az-of-three",
    ),
    ("learn_availability", "untested_backups"): _f(
        "untested-backups",
        "Backups have never been restored",
        ("backup", "primary-db"),
        "Restore the latest backup into a scratch instance every month, time it against the "
        "RTO, and alarm when a backup job fails.",
        "A backup never restored is not a recovery plan; the talk's design principle: test "
        "regularly.",
        _MULTI_REGION,
    ),
    ("learn_availability", "downtime_for_releases"): _f(
        "downtime-for-releases",
        "Releases need downtime",
        ("cicd", "load-balancer", APP),
        "Deploy behind the load balancer with rolling or blue/green deployments (CodeDeploy, or "
        "ECS rolling updates) so that a release needs no maintenance window.",
        "Growth's scaling development: automate release management.",
        f"{_GROWTH}: Build — Scaling development",
        due="growth",
    ),
    ("learn_cost", "oversized"): _f(
        "oversized-resources",
        "Resources bigger than the load needs",
        (APP, "primary-db"),
        "Right-size with AWS Compute Optimizer: move to the instance and database classes the "
        "measured CPU and memory call for.",
        "Launch's Learn — Cost: explore cost optimization options.",
        f"{_LAUNCH}: Learn — Cost",
    ),
    ("learn_cost", "idle_off_hours"): _IDLE,
    ("learn_cost", "no_cost_visibility"): _NO_COST_VISIBILITY,
    ("learn_cost", "pricing_unexplored"): _PRICING,
    ("learn_security", "no_identity_context"): _f(
        "observed-no-identity-context",
        "The application does not know who the customer is",
        ("identity",),
        "Sign customers in through an Amazon Cognito user pool so that every request carries "
        "the customer's identity.",
        "Launch's Learn — Security: no identity context within the application.",
        f"{_LAUNCH}: Learn — Security",
        due="growth",
        echoes="no-identity-context",
    ),
    ("learn_security", "open_to_l7"): _f(
        "observed-open-to-layer-7",
        "Layer-7 attacks reach the application",
        ("waf",),
        "Put AWS WAF with the managed core rule set and a rate-based rule in front of the "
        "public entry point.",
        "Launch's Learn — Security: application open to Layer 7 attacks.",
        f"{_LAUNCH}: Learn — Security",
        due="growth",
        echoes="open-to-layer-7-attacks",
    ),
    ("learn_security", "shared_admin_access"): _SHARED_ADMIN,
    ("learn_security", "reachable_database"): _f(
        "reachable-database",
        "The database is reachable from the internet",
        ("primary-db",),
        "Move the database into private subnets, allow inbound traffic only from the "
        "application's security group, and administer it through Session Manager.",
        "Launch's Learn — Security: protect data from layer-7 and direct attacks.",
        f"{_LAUNCH}: Learn — Security",
    ),
    ("learn_development", "development_slow"): _SLOW_DEV,
    ("learn_development", "manual_releases"): _f(
        "observed-manual-releases",
        "Releases are made by hand",
        ("cicd",),
        "Build on every commit, push the image to ECR and deploy through CodePipeline, with a "
        "rollback path.",
        "Launch's Learn — Development: manual release management.",
        f"{_LAUNCH}: Learn — Development",
        due="growth",
        echoes="manual-releases",
    ),
    ("learn_development", "few_tests"): _f(
        "few-automated-tests",
        "Few automated tests",
        ("cicd",),
        "Run unit and integration tests in the pipeline on every commit and stop the deploy "
        "when they fail.",
        "Growth's CI/CD pipeline: automated build on code commit is only as safe as its tests.",
        f"{_GROWTH}: Build — Scaling development",
        due="growth",
    ),
    ("learn_development", "heavy_lifting"): _HEAVY_LIFTING,
    ("learn_access_patterns", "beyond_web"): _f(
        "access-beyond-web",
        "Clients beyond the web interface",
        ("api-gateway",),
        "Publish a versioned API through Amazon API Gateway with authentication, throttling and "
        "usage plans for partners and mobile clients.",
        "Growth's Learn — Access patterns: interact beyond web interface; Scale: managed API "
        "service.",
        f"{_GROWTH}: Learn — Access patterns",
        due="scale",
    ),
    ("learn_access_patterns", "repeated_joins"): _f(
        "repeated-joins",
        "The same joins run again and again",
        ("primary-db", "app-cache", "nosql-db"),
        "Precompute the joined views the hot paths read, cache them, and move key-value access "
        "patterns to a purpose-built store (DynamoDB).",
        "Growth's Learn — Access patterns: repeated joins; Scale: purpose-built database.",
        f"{_GROWTH}: Learn — Access patterns",
        due="scale",
        echoes="one-database-for-every-access-pattern",
    ),
    ("learn_access_patterns", "mixed_access_patterns"): _f(
        "mixed-access-patterns",
        "One database serves very different access patterns",
        ("primary-db", "nosql-db"),
        "Give each access pattern the store that fits it: key-value to DynamoDB, full-text "
        "search to OpenSearch, reporting to an analytics store.",
        "The takeaway: look for the best-fit technology; use purpose-built databases.",
        f"{_GROWTH}: Learn — Access patterns",
        due="scale",
    ),
    ("learn_access_patterns", "hot_rows"): _f(
        "hot-rows",
        "Writes queue up on a few hot rows",
        ("primary-db", "queue"),
        "Spread writes over more keys (sharded counters, write sharding) and buffer bursts of "
        "updates through SQS instead of locking one row.",
        "Growth's Learn — Access patterns: repeated database access patterns.",
        f"{_GROWTH}: Learn — Access patterns",
        due="scale",
    ),
    ("learn_operations", "heavy_lifting"): _HEAVY_LIFTING,
    ("learn_operations", "release_concerns"): _f(
        "release-concerns",
        "Releases worry the team",
        ("cicd",),
        "Release progressively (canary or blue/green through CodeDeploy) with automatic "
        "rollback on alarms, and ship unfinished work behind feature flags (AWS AppConfig).",
        "Growth's Learn — Operational issues: release management related concerns.",
        f"{_GROWTH}: Learn — Operational issues",
    ),
    ("learn_operations", "no_dr_plan"): _NO_DR_PLAN,
    ("learn_operations", "alert_noise"): _f(
        "alert-noise",
        "Alarms nobody acts on",
        ("monitoring",),
        "Page only on customer-facing symptoms (error rate, p95 latency, queue age) through "
        "composite alarms; send the rest to dashboards.",
        "Multi-region design principle: monitoring and observability that people can act on.",
        _MULTI_REGION,
    ),
    ("learn_coupling", "sync_chains"): _f(
        "observed-synchronous-chains",
        "A slow feature stalls the others",
        ("queue", "event-bus"),
        "Hand work between features through SQS and EventBridge so that a slow or failed "
        "feature does not stall the request path.",
        "The takeaway: event-driven architecture, asynchronous processing.",
        f"{_TAKEAWAYS} — Scaling design",
        echoes="synchronous-chains",
    ),
    ("learn_coupling", "shared_tables"): _SHARED_TABLES,
    ("learn_coupling", "lockstep_releases"): _f(
        "lockstep-releases",
        "Services must be released together",
        ("cicd", APP),
        "Version the interfaces between services and give each its own pipeline, so that one "
        "ships without the others.",
        "The takeaway: loose coupling, independently scale every layer.",
        f"{_TAKEAWAYS} — Scaling design",
    ),
    ("learn_coupling", "retry_storms"): _f(
        "retry-storms",
        "Retries pile up when a service slows down",
        ("queue", APP),
        "Retry with exponential backoff and jitter, put timeouts and circuit breakers on every "
        "call, and buffer bursts in SQS.",
        "Distributed system design best practices (multi-region design principles).",
        _MULTI_REGION,
    ),
    ("learn_resilience", "never_tested"): _f(
        "observed-recovery-never-tested",
        "Recovery has never been tried",
        ("backup", "dns"),
        "Run a recovery game day: fail over to the DR region and measure data lost and time "
        "taken against the RPO and RTO.",
        "Multi-region design principle: test regularly.",
        _MULTI_REGION,
        echoes="recovery-never-tested",
    ),
    ("learn_resilience", "cross_region_dependency"): _f(
        "cross-region-dependency",
        "A region depends on the other one",
        ("dns", APP),
        "Make each region independent: its own configuration, secrets and identity copies, and "
        "no synchronous call to the other region on the request path.",
        "Multi-region design principles: regional independence; understand dependencies.",
        _MULTI_REGION,
    ),
    ("learn_resilience", "manual_recovery"): _f(
        "manual-recovery",
        "Recovery is a manual procedure",
        ("dns", "backup"),
        "Script the failover (Route 53 Application Recovery Controller, or a Systems Manager "
        "Automation runbook) and rehearse it.",
        "Multi-region design principles: simplify recovery steps; Infrastructure as Code.",
        _MULTI_REGION,
    ),
    ("learn_resilience", "replication_lag"): _f(
        "replication-lag",
        "Replication lags behind",
        ("primary-db",),
        "Alarm on replication lag (Aurora Global Database lag, DynamoDB replication latency) "
        "against the RPO, and replicate only the data recovery needs.",
        "Multi-region design principles: minimize data replication; monitoring and observability.",
        _MULTI_REGION,
    ),
    # -- Best-practices check
    ("infrastructure_as_code", "console"): _f(
        "console-built-infrastructure",
        "Infrastructure built by hand in the console",
        (),
        "Describe the infrastructure in AWS CloudFormation, the CDK or Terraform, review "
        "changes like code, and rebuild a test environment from it.",
        "Launch's deployment: repeatability in deployment; multi-region: Infrastructure as Code.",
        f"{_LAUNCH}: Build — Deployment",
        due="growth",
    ),
    ("admin_access", "root_or_shared"): _SHARED_ADMIN,
    ("admin_access", "iam_users"): _f(
        "long-lived-iam-users",
        "Administrators use IAM users with long-lived keys",
        (),
        "Replace IAM users and their access keys by federated sign-in through IAM Identity "
        "Center and roles with temporary credentials.",
        "Security pillar: temporary credentials; a leaked key stays valid until someone notices.",
        f"{_LAUNCH}: Best practices check",
        due="growth",
    ),
    ("backups", "none"): _NO_BACKUPS,
    ("backups", "manual"): _f(
        "manual-backups",
        "Backups depend on someone remembering",
        ("backup", "primary-db"),
        "Replace manual backups by an AWS Backup plan with a schedule, a retention period and "
        "an alarm on failed jobs.",
        "Repeatability in deployment applies to backups too; automation does not forget.",
        f"{_LAUNCH}: Build — Deployment",
    ),
    ("instance_sizing", "guess"): _f(
        "sizes-guessed",
        "Instance sizes are guesses",
        (APP, "primary-db"),
        "Load-test at this stage's expected peak (Distributed Load Testing on AWS) and size "
        "from the measured CPU and memory; revisit with Compute Optimizer.",
        "Launch's Build: infrastructure sizing, then Measure.",
        f"{_LAUNCH}: Build — Deployment",
    ),
    ("cost_awareness", "none"): _NO_COST_VISIBILITY,
    ("resource_efficiency", "peak_all_day"): _IDLE,
    ("data_protection", "unprotected"): _f(
        "data-unprotected",
        "Customer data is not encrypted",
        ("primary-db", "object-storage", "backup"),
        "Encrypt at rest with KMS keys on the database, S3 and backups, enforce TLS in "
        "transit, and block public access on every bucket.",
        "Security pillar: protect data at rest and in transit.",
        f"{_GROWTH}: Best practices check",
    ),
    ("data_protection", "partial"): _f(
        "data-partly-protected",
        "Some customer data is not encrypted",
        ("primary-db", "object-storage", "backup"),
        "Find the unencrypted stores with AWS Config rules (rds-storage-encrypted, "
        "s3-bucket-server-side-encryption-enabled) and encrypt them.",
        "Security pillar: protect data at rest and in transit.",
        f"{_GROWTH}: Best practices check",
    ),
    ("load_testing", "never"): _f(
        "never-load-tested",
        "The system has never been load-tested",
        (APP, "primary-db", "load-balancer"),
        "Load-test at the next stage's expected peak before customers bring it, and keep the "
        "scaling thresholds from what breaks first.",
        "Build, Measure, Learn: measure the load before it measures you.",
        f"{_GROWTH}: Measure",
        due="growth",
    ),
    ("load_testing", "once"): _f(
        "load-tested-once",
        "Load-tested once, not since",
        (APP, "primary-db"),
        "Run the load test in the pipeline before major releases, so that a slower query shows "
        "up before the peak does.",
        "Build, Measure, Learn is a loop, not a step.",
        f"{_GROWTH}: Measure",
    ),
    ("pricing_models", "on_demand_only"): _PRICING,
    ("deployment_safety", "all_at_once"): _f(
        "all-at-once-deployments",
        "Every release goes to all instances at once",
        ("cicd", APP),
        "Deploy progressively (canary or linear through CodeDeploy or ECS) with alarms that "
        "roll back automatically.",
        "Automate CI/CD: a bad release should reach a few customers, not all.",
        f"{_TAKEAWAYS} — Scaling implementation",
    ),
    ("deployment_safety", "rolling"): _f(
        "rolling-deployments",
        "Rolling deployments without automatic rollback",
        ("cicd", APP),
        "Move to canary deployments with CloudWatch alarms that stop and roll back a release.",
        "Automate CI/CD, including the way back.",
        f"{_TAKEAWAYS} — Scaling implementation",
    ),
    ("threat_detection", "none"): _f(
        "no-threat-detection",
        "Nothing watches for threats",
        ("monitoring",),
        "Turn on Amazon GuardDuty, AWS Security Hub and CloudTrail in every region you use, "
        "with findings routed to the on-call channel.",
        "Security pillar: detect, not only prevent; at a million customers you are a target.",
        f"{_SCALE}: Best practices check",
    ),
    ("threat_detection", "logs_only"): _f(
        "threat-logs-only",
        "Security logs are kept but nobody reads them",
        ("monitoring",),
        "Let GuardDuty and Security Hub analyse the logs and raise findings, and alarm on the "
        "high ones.",
        "Security pillar: detection is automated or it does not happen.",
        f"{_SCALE}: Best practices check",
    ),
    ("dr_readiness", "none"): _NO_DR_PLAN,
    ("dr_readiness", "documented"): _f("", "", (), "", "", "", echoes="recovery-never-tested"),
    ("data_fit", "one_for_all"): _f(
        "data-model-one-for-all",
        "One data model for every access pattern",
        ("primary-db", "nosql-db"),
        "Move the heaviest key-value access pattern to DynamoDB first, then the others that "
        "fight the relational model.",
        "Scale's design: purpose-built database.",
        f"{_SCALE}: Build — Design",
        due="scale",
        echoes="one-database-for-every-access-pattern",
    ),
    ("unit_costs", "total_only"): _f(
        "no-unit-costs",
        "Only the total bill is known",
        (),
        "Allocate the bill per feature and per customer (cost allocation tags, the Cost and "
        "Usage Report queried with Athena) and track cost per customer as a stage metric.",
        "Cost optimisation at a million customers is about unit cost, not the total.",
        f"{_SCALE}: Best practices check",
    ),
    ("data_lifecycle", "none"): _f(
        "no-data-lifecycle",
        "Data is kept forever in the most expensive storage",
        ("object-storage", "backup"),
        "Add S3 Lifecycle rules (Intelligent-Tiering, or Standard-IA after 30 days and Glacier "
        "for archives), expire old versions and set backup retention.",
        "Cost and sustainability pillars: store only what is needed, in the cheapest class "
        "that serves it.",
        f"{_SCALE}: Best practices check",
    ),
    ("everything_as_code", "core_only"): _f(
        "infrastructure-partly-as-code",
        "Only the core infrastructure is code",
        (),
        "Bring networking, IAM, monitoring and the DR region into the same code base, and "
        "deploy every change through the pipeline.",
        "Multi-region design principle: Infrastructure as Code; a DR region built by hand drifts.",
        _MULTI_REGION,
    ),
    ("everything_as_code", "most"): _f(
        "some-infrastructure-by-hand",
        "Some infrastructure is still changed by hand",
        (),
        "Detect drift with CloudFormation drift detection or AWS Config and move the last "
        "hand-made resources into code.",
        "Multi-region design principle: Infrastructure as Code.",
        _MULTI_REGION,
    ),
    ("security_guardrails", "manual"): _f(
        "manual-security-guardrails",
        "Security rules depend on reviews by hand",
        (),
        "Enforce guardrails: service control policies in AWS Organizations, AWS Config rules "
        "with automatic remediation, and checks in the pipeline.",
        "Security pillar: at this scale, guardrails must hold without a person checking.",
        f"{_BEYOND}: Best practices check",
    ),
    ("security_guardrails", "detective"): _f(
        "detective-guardrails-only",
        "Guardrails detect but do not prevent",
        (),
        "Turn the most important detective rules into preventive ones (service control "
        "policies, permission boundaries).",
        "Security pillar: prevent what you already know is wrong.",
        f"{_BEYOND}: Best practices check",
    ),
    ("recovery_testing", "never"): _f("", "", (), "", "", "", echoes="recovery-never-tested"),
    ("recovery_testing", "yearly"): _f(
        "recovery-tested-yearly",
        "Recovery is tested once a year",
        ("backup", "dns"),
        "Rehearse the failover every quarter, and after every change to the DR region or the "
        "data stores, measuring data lost and time taken against the RPO and RTO.",
        "Multi-region design principle: test regularly; a year is long enough for a recovery "
        "path to break unnoticed.",
        _MULTI_REGION,
    ),
    ("global_latency", "one_region"): _f(
        "served-from-one-region",
        "Customers worldwide are served from one region",
        ("cdn", "dns"),
        "Serve dynamic requests from the region nearest each customer (active/active with "
        "Route 53 latency routing) and static content from CloudFront.",
        "Beyond a million: cache at the edge, and multi-region active/active where the "
        "business needs it.",
        f"{_TAKEAWAYS} — Scaling implementation",
        due="beyond",
        echoes="latency-for-distant-customers",
    ),
    ("global_latency", "cdn_only"): _f(
        "dynamic-requests-cross-oceans",
        "Dynamic requests still cross oceans",
        ("cdn", "dns"),
        "Cache API responses at the edge where they allow it, and serve the rest from a second "
        "region near the largest group of distant customers.",
        "The takeaway: cache at edge, and within the application.",
        f"{_TAKEAWAYS} — Scaling implementation",
    ),
    ("footprint", "not_considered"): _f(
        "footprint-not-considered",
        "The workload's footprint is not considered",
        (APP, "primary-db"),
        "Move to Graviton instances, scale to zero where idle, expire data nobody reads, and "
        "follow the AWS Customer Carbon Footprint Tool.",
        "Sustainability pillar: the same work with less hardware.",
        f"{_BEYOND}: Best practices check",
    ),
}

# The later stages' own observations.
TABLE |= {
    ("learn_performance", "db_overload"): _f(
        "database-runs-hot",
        "The primary database still runs hot at peaks",
        ("primary-db", "app-cache"),
        "Move read-only queries to replicas (or Aurora readers), cache the hottest reads, and "
        "scale the writer up or to Aurora Serverless v2 before CPU passes 70 % at the peak.",
        "Growth's performance improvements: use cache to offload database; database read replica.",
        f"{_GROWTH}: Build — Performance improvements",
    ),
    ("learn_performance", "low_cache_hits"): _f(
        "low-cache-hits",
        "Most reads miss the cache",
        ("app-cache", "primary-db"),
        "Cache what is read often and changes rarely, with a TTL that fits it; warm the cache "
        "after deploys and watch the hit rate in CloudWatch.",
        "Use cache to offload database: a cache that misses only adds a hop.",
        f"{_GROWTH}: Build — Performance improvements",
    ),
    ("learn_performance", "slow_scaling"): _f(
        "slow-scaling",
        "Auto Scaling reacts too slowly to spikes",
        (APP,),
        "Scale on requests per target rather than CPU, keep a warm pool or a higher minimum for "
        "the known peaks, and add scheduled scaling ahead of them.",
        "Auto scale horizontally, fast enough for spiky workloads.",
        f"{_GROWTH}: Build — Performance improvements",
    ),
    ("learn_performance", "static_from_servers"): _f(
        "static-from-servers",
        "Static content still comes from the servers",
        ("cdn", "object-storage", APP),
        "Move images, scripts and downloads to S3 and serve them through CloudFront; the "
        "application then serves only dynamic requests.",
        "Growth's performance improvements: object storage and CDN.",
        f"{_GROWTH}: Build — Performance improvements",
    ),
    ("infrastructure_as_code", "scripts"): _f(
        "infrastructure-by-scripts",
        "Infrastructure built by scripts and written steps",
        (),
        "Turn the scripts into CloudFormation or CDK stacks, so that the same definition "
        "builds every environment and every change is reviewed.",
        "Repeatability in deployment; Infrastructure as Code.",
        f"{_LAUNCH}: Build — Deployment",
    ),
    ("learn_performance", "repeated_joins"): _f(
        "repeated-joins",
        "The same joins run again and again",
        ("primary-db", "app-cache", "nosql-db"),
        "Precompute the joined views the hot paths read, cache them, and move key-value access "
        "patterns to a purpose-built store (DynamoDB).",
        "Growth's Learn — Access patterns: repeated joins; Scale: purpose-built database.",
        f"{_GROWTH}: Learn — Access patterns",
        echoes="one-database-for-every-access-pattern",
    ),
    ("learn_performance", "hot_partitions"): _f(
        "hot-partitions",
        "Hot keys throttle a data store",
        ("nosql-db", "primary-db"),
        "Spread the hot keys (write sharding, a random suffix), cache hot reads (DAX or "
        "ElastiCache), and keep DynamoDB in on-demand mode for bursts.",
        "Use purpose-built databases, designed for their access pattern.",
        f"{_SCALE}: Build — Design",
    ),
    ("learn_performance", "chatty_services"): _f(
        "chatty-services",
        "Calls between services add up to slow responses",
        (APP, "queue"),
        "Collapse fine-grained calls into coarser APIs, call independent services in parallel, "
        "and move what the customer does not wait for onto queues.",
        "The takeaway: loose coupling, asynchronous processing.",
        f"{_TAKEAWAYS} — Scaling design",
    ),
    ("learn_performance", "slow_scale_out"): _f(
        "slow-scale-out",
        "Cold starts or slow scale-out hurt during spikes",
        (APP,),
        "Keep provisioned concurrency (Lambda) or a higher minimum task count for the peaks, "
        "use smaller images that start fast, and scale on requests, not CPU.",
        "Container orchestration and managed scaling, tuned for spikes.",
        f"{_SCALE}: Build — Operational",
    ),
    ("learn_availability", "one_region"): _f(
        "everything-in-one-region",
        "Everything runs in one region",
        ("backup", "dns"),
        "Set up the DR region the RPO and RTO call for: backups copied there at least, the "
        "data replicated and a pilot light or warm standby for tighter targets.",
        "Scale's design: multi-region disaster recovery strategy.",
        f"{_SCALE}: Build — Design",
        echoes="no-multi-region-dr",
    ),
    ("learn_availability", "dr_not_exercised"): _f(
        "dr-not-exercised",
        "The disaster-recovery plan has never been exercised",
        ("backup", "dns"),
        "Run a recovery game day: fail over to the DR region, measure data lost and time "
        "taken against the RPO and RTO, and fix what was slow.",
        "Multi-region design principle: test regularly.",
        _MULTI_REGION,
        echoes="recovery-never-tested",
    ),
    ("learn_availability", "shared_dependency"): _f(
        "shared-dependency",
        "One dependency's failure stops every feature",
        (APP, "primary-db"),
        "Isolate the dependency per feature (its own pool, timeouts, a circuit breaker) and "
        "degrade gracefully when it is down.",
        "Multi-region design principles: understand dependencies; regional independence.",
        _MULTI_REGION,
    ),
    ("learn_availability", "manual_failover"): _f(
        "manual-failover",
        "Failing over takes many manual steps",
        ("dns", "backup"),
        "Script the failover (Route 53 Application Recovery Controller, or a Systems Manager "
        "Automation runbook) and rehearse it.",
        "Multi-region design principles: simplify recovery steps.",
        _MULTI_REGION,
    ),
    ("learn_operations", "coordinated_releases"): _f(
        "coordinated-releases",
        "Teams wait on each other to release",
        ("cicd", APP),
        "Give each service its own pipeline and versioned interface, so that one team ships "
        "without the others.",
        "Scale's operational step: manage and scale features independently.",
        f"{_SCALE}: Build — Operational",
    ),
    ("learn_operations", "rigid_architecture"): _f(
        "rigid-architecture",
        "Day-one decisions make change hard",
        (APP, "primary-db"),
        "List the one-way doors that block you, and put an interface in front of each so that "
        "the part behind it can be replaced step by step.",
        "Try not to be rigid about your architecture on day one; one-way and two-way doors.",
        f"{_SCALE}: Learn — Design",
    ),
    ("learn_operations", "cannot_trace_requests"): _f(
        "cannot-trace-requests",
        "A request cannot be followed across services",
        ("monitoring",),
        "Trace every request with AWS X-Ray (or OpenTelemetry), pass a correlation id through "
        "queues and events, and log it.",
        "Multi-region design principle: monitoring and observability.",
        _MULTI_REGION,
    ),
    ("learn_operations", "unit_cost_rising"): _f(
        "unit-cost-rising",
        "Cost per customer is not falling",
        (APP, "primary-db"),
        "Track cost per customer per feature, right-size and commit (Savings Plans) on the "
        "baseline, and move the costliest feature to the cheapest model that fits it.",
        "Scaling should bring economies of scale; measure them.",
        f"{_SCALE}: Best practices check",
    ),
    ("learn_operations", "observability_gaps"): _f(
        "observability-gaps",
        "No end-to-end view across services and regions",
        ("monitoring",),
        "Build one dashboard per customer journey across regions (CloudWatch cross-account and "
        "cross-region observability) with traces and the SLOs.",
        "Multi-region design principle: monitoring and observability.",
        _MULTI_REGION,
    ),
    ("learn_operations", "config_drift"): _f(
        "config-drift",
        "Regions and environments drift apart",
        (),
        "Deploy every region from the same code (CloudFormation StackSets or CDK pipelines) "
        "and detect drift with AWS Config.",
        "Multi-region design principle: Infrastructure as Code.",
        _MULTI_REGION,
    ),
    ("learn_operations", "on_call_load"): _f(
        "on-call-load",
        "The on-call load grows with every service",
        ("monitoring",),
        "Alarm on customer-facing symptoms only, automate the common fixes with runbooks, and "
        "make each service team on call for its own service.",
        "Use managed services and let AWS do the heavy lifting.",
        f"{_TAKEAWAYS} — Scaling implementation",
    ),
    ("learn_operations", "duplicate_regions"): _f(
        "duplicate-regions",
        "Full copies in several regions double the bill",
        ("primary-db", APP),
        "Check the RPO and RTO each feature really needs: run a pilot light or warm standby "
        "where active/active is not required, and scale the standby down.",
        "Strategies for disaster recovery: pay for the recovery the business needs.",
        f"{_SCALE}: Strategies for disaster recovery",
    ),
    ("learn_operations", "transfer_costs"): _f(
        "transfer-costs",
        "Data transfer is a large share of the bill",
        ("cdn", "nat-gateway", "primary-db"),
        "Keep traffic within an AZ where you can, use VPC endpoints instead of NAT for AWS "
        "services, and replicate only the data recovery needs.",
        "Multi-region design principle: minimize data replication.",
        _MULTI_REGION,
    ),
}

FINDING_IDS = frozenset(c.id for c in TABLE.values() if c.id)


def _choices_of(value: object) -> tuple[str, ...]:
    """The choice values an answer holds: a single choice, a multiple choice or a yes/no."""
    if isinstance(value, bool):
        return ("yes" if value else "no",)
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list | tuple):
        return tuple(v for v in value if isinstance(v, str))
    return ()


def _worst(pillars: Mapping[str, str], where: str) -> tuple[str, str] | None:
    """The pillar and level of a choice's highest risk, pillars in their order; None: none."""
    worst: tuple[str, str] | None = None
    for pillar, risk in pillars.items():
        if pillar not in PILLARS:
            raise ValueError(f"{where}: unknown pillar {pillar!r}; use one of {', '.join(PILLARS)}")
        if risk == "none":
            continue
        if risk not in RISK_LEVELS:
            raise ValueError(f"{where}[{pillar!r}]: risk {risk!r} is not 'medium' or 'high'")
        if (
            worst is None
            or (risk == "high" and worst[1] != "high")
            or (risk == worst[1] and PILLARS.index(pillar) < PILLARS.index(worst[0]))
        ):
            worst = (pillar, risk)
    return worst


def choice_findings(
    f: Facts,
    choice_risks: Mapping[str, Mapping[str, Mapping[str, str]]],
    fired: dict[str, Finding],
) -> list[Finding]:
    """The findings of the stage's risky answered choices, in question order. A choice whose
    rule fired adds its answer to that rule's finding in `fired` (replaced in place)."""
    found: dict[str, Finding] = {}
    compute = next((c for c in ("web-asg", "app-service", "app-function") if c in f.kinds), "")
    for qid in sorted(choice_risks):
        if qid not in f.answered:
            continue
        # Core answers come normalised (e.g. 99.9 -> "99.9"); others exactly as given.
        value = f.values[qid] if qid in f.values else f.raw_answers.get(qid)
        for choice in _choices_of(value):
            where = f"choice_risks[{qid!r}][{choice!r}]"
            worst = _worst(choice_risks[qid].get(choice) or {}, where)
            if worst is None:
                continue
            said = TABLE.get((qid, choice))
            if said is None:
                raise ValueError(f"{where}: a risky choice with no finding to say what to do")
            cited = f.because(qid)
            if said.echoes in fired:
                rule = fired[said.echoes]
                extra = tuple(c for c in cited if c not in rule.because)
                fired[said.echoes] = _with_because(rule, rule.because + extra)
                continue
            if not said.id:
                continue  # the rule judged this choice and found the architecture answers it
            pillar, risk = worst
            if said.id in found:  # two answers that say the same: one finding, both cited
                old = found[said.id]
                risk = "high" if "high" in (risk, old.risk) else old.risk
                extra = tuple(c for c in cited if c not in old.because)
                found[said.id] = _with_because(old, old.because + extra, risk)
                continue
            found[said.id] = Finding(
                id=said.id,
                pillar=pillar,
                risk=risk,
                title=said.title,
                because=cited,
                action=said.action,
                fixed_by=said.due if said.due and not f.at_least(said.due) else "",
                section=said.section,
                components=tuple(compute if c == APP else c for c in said.components if c),
                reason=said.reason,
                due=said.due if said.due and not f.at_least(said.due) else f.stage,
            )
    return list(found.values())


def _with_because(finding: Finding, because: tuple[str, ...], risk: str = "") -> Finding:
    data = finding.to_dict()
    data["because"] = list(because)
    data["risk"] = risk or finding.risk
    return Finding.from_dict(data)
