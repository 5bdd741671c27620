"""Why the talk says so: one sentence per rule, by the rule's id."""

REASONS = {
    "single-point-of-failure": "Launch's Learn — Availability: single point of failures; "
    "Growth scales horizontally over several AZs.",
    "one-az-of-three": "Launch's Learn — Availability: only one of three availability zones "
    "used; Growth uses multiple availability zones.",
    "no-identity-context": "Launch's Learn — Security: no identity context within the "
    "application; Growth adds customer identity management.",
    "open-to-layer-7-attacks": "Launch's Learn — Security: application open to Layer 7 "
    "attacks; Growth adds a Web Application Firewall.",
    "manual-releases": "Launch's Learn — Development: manual release management; Growth "
    "automates release management.",
    "read-queries-on-primary": "Launch's Learn — Performance: unoptimized and read only "
    "queries; Growth adds a cache and a database read replica.",
    "no-cache": "Growth's performance improvements: use cache to offload database.",
    "spiky-load-on-fixed-capacity": "Launch's Learn — Performance: spiky workloads; Growth "
    "auto scales horizontally (and Aurora Serverless v2 follows the load).",
    "latency-for-distant-customers": "Launch's Learn — Performance: latency; Growth puts "
    "object storage and a CDN near the customers.",
    "stateful-application": "Growth's scaling development: a stateless application, so that "
    "the fleet can scale horizontally.",
    "no-monitoring": "Launch's deployment: infrastructure monitoring; multi-region: "
    "monitoring and observability.",
    "no-multi-region-dr": "Growth's Learn — Operational issues: multi-region disaster recovery.",
    "one-database-for-every-access-pattern": "Growth's Learn — Access patterns: repeated "
    "joins; Scale uses a purpose-built database.",
    "coupled-features": "Scale's operational step: container orchestration, manage and scale "
    "features independently.",
    "synchronous-chains": "The takeaway: loose coupling, event-driven architecture and "
    "asynchronous processing.",
    "storage-beyond-service-limit": "Look for the best-fit technology: a store past its limit "
    "is a rewrite under pressure.",
    "rpo-zero-not-met": "RPO/RTO real time means near-zero data loss: only synchronous "
    "writes give it.",
    "recovery-never-tested": "Multi-region design principle: test regularly.",
    "latency-target-out-of-reach": "The takeaway: cache at edge and within the application; "
    "beyond a million, multi-region active/active where the business needs it.",
    "static-content-on-servers": "Growth's performance improvements: object storage and CDN.",
    "multi-region-write-conflicts": "Multi-region active/active is multi-writer: every region "
    "takes writes, so conflicting writes must be designed out.",
    "dr-region-breaks-residency": "Multi-region disaster recovery copies the data to the second "
    "region: that region must be one where the customers' data may live.",
    "recovery-kept-in-region": "Multi-region design principle: regional independence; with no "
    "second region allowed, a regional outage is not covered.",
}
