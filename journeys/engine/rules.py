"""The findings: the talk's Learn sections as rules over one stage's proposed architecture.

Pure Python, no Django, no I/O. `journeys.engine` sizes the architecture, describes it as `Facts`
and calls `evaluate`; the table of rules lives here so that each one reads as a row naming its
pillar, its section of the talk and its check. The checks (`checks`) judge the answers: a rule
fires only when its fix is absent from this stage's architecture, and names that fix in
`fixed_by`: the component that removes the risk, or the later stage whose defaults bring it.
Why the talk says so is in `reasons`.

The vocabulary of findings is in `findings`; the catalogue's per-choice risks in `choice_risks`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from journeys.engine import checks
from journeys.engine.choice_risks import choice_findings
from journeys.engine.findings import STAGE_SECTIONS, Facts, Finding, Rule
from journeys.engine.reasons import REASONS
from journeys.engine.residency import RESIDENCY_RULES
from journeys.vocabulary import STAGES

_LAUNCH, _GROWTH, _SCALE = (STAGE_SECTIONS[s] for s in ("launch", "growth", "scale"))

_LATER = ("scale", "beyond")

RULES: tuple[Rule, ...] = (
    Rule(
        "single-point-of-failure",
        "reliability",
        f"{_LAUNCH}: Learn — Availability",
        checks.single_point_of_failure,
    ),
    Rule(
        "one-az-of-three",
        "reliability",
        f"{_LAUNCH}: Learn — Availability",
        checks.one_az_of_three,
    ),
    Rule(
        "no-identity-context",
        "security",
        f"{_LAUNCH}: Learn — Security",
        checks.no_identity_context,
    ),
    Rule(
        "open-to-layer-7-attacks",
        "security",
        f"{_LAUNCH}: Learn — Security",
        checks.open_to_layer_7,
    ),
    Rule(
        "manual-releases",
        "operational_excellence",
        f"{_LAUNCH}: Learn — Development",
        checks.manual_releases,
    ),
    Rule(
        "read-queries-on-primary",
        "performance_efficiency",
        f"{_LAUNCH}: Learn — Performance",
        checks.read_queries_on_primary,
    ),
    Rule(
        "no-cache",
        "performance_efficiency",
        f"{_GROWTH}: Build — Performance improvements",
        checks.no_cache,
        stages=("growth", "scale", "beyond"),
    ),
    Rule(
        "spiky-load-on-fixed-capacity",
        "cost_optimization",
        f"{_LAUNCH}: Learn — Performance",
        checks.spiky_load_on_fixed_capacity,
    ),
    Rule(
        "latency-for-distant-customers",
        "performance_efficiency",
        f"{_LAUNCH}: Learn — Performance",
        checks.latency_for_distant_customers,
    ),
    Rule(
        "stateful-application",
        "reliability",
        f"{_GROWTH}: Build — Scaling development",
        checks.stateful_application,
    ),
    Rule(
        "no-monitoring",
        "operational_excellence",
        f"{_LAUNCH}: Build — Deployment",
        checks.no_monitoring,
    ),
    Rule(
        "no-multi-region-dr",
        "reliability",
        f"{_GROWTH}: Learn — Operational issues",
        checks.no_multi_region_dr,
        stages=("growth",),
    ),
    Rule(
        "one-database-for-every-access-pattern",
        "performance_efficiency",
        f"{_GROWTH}: Learn — Access patterns",
        checks.one_database_for_everything,
        stages=_LATER,
    ),
    Rule(
        "coupled-features",
        "operational_excellence",
        f"{_SCALE}: Build — Operational",
        checks.coupled_features,
        stages=_LATER,
    ),
    Rule(
        "synchronous-chains",
        "reliability",
        "Summary: Takeaways — Scaling design",
        checks.synchronous_chains,
        stages=_LATER,
    ),
    Rule(
        "storage-beyond-service-limit",
        "reliability",
        f"{_GROWTH}: Learn — Access patterns",
        checks.storage_beyond_service_limit,
    ),
    Rule(
        "rpo-zero-not-met",
        "reliability",
        f"{_SCALE}: Multi-region architecture — Design principles",
        checks.rpo_zero_not_met,
    ),
    Rule(
        "recovery-never-tested",
        "reliability",
        f"{_SCALE}: Multi-region architecture — Design principles",
        checks.recovery_never_tested,
    ),
    Rule(
        "latency-target-out-of-reach",
        "performance_efficiency",
        f"{_LAUNCH}: Learn — Performance",
        checks.latency_out_of_reach,
    ),
    Rule(
        "static-content-on-servers",
        "performance_efficiency",
        f"{_GROWTH}: Build — Performance improvements",
        checks.static_content_on_servers,
    ),
    Rule(
        "multi-region-write-conflicts",
        "reliability",
        "Multi-region active/active — Multi-writer, multi-region",
        checks.write_conflicts,
    ),
    *RESIDENCY_RULES,
)

RULES = tuple(replace(rule, reason=REASONS[rule.id]) for rule in RULES)


def evaluate(
    facts: Facts,
    choice_risks: Mapping[str, Mapping[str, Mapping[str, str]]] | None = None,
) -> tuple[Finding, ...]:
    """Every finding of this stage: the rules in their fixed order, then the catalogue's risky
    choices (`choice_risks`) that no rule already says; an answer a rule echoes joins it."""
    fired: dict[str, Finding] = {}
    for rule in RULES:
        if facts.stage not in rule.stages:
            continue
        hit = rule.check(facts)
        if hit is None:
            continue
        fix = hit.fixed_by
        components = hit.components or ((fix,) if fix and fix not in STAGES else ())
        fired[rule.id] = Finding(
            id=rule.id,
            pillar=rule.pillar,
            risk=hit.risk,
            title=hit.title,
            because=hit.because,
            action=hit.action,
            fixed_by=fix,
            section=rule.section,
            components=tuple(c for c in dict.fromkeys(components) if c),
            reason=rule.reason,
            due=fix if fix in STAGES else facts.stage,
        )
    extra = choice_findings(facts, choice_risks, fired) if choice_risks else []
    return (*fired.values(), *extra)
