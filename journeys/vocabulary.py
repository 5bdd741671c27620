"""The words every part of the planner shares: stages, pillars, risk levels, the core question
ids and their choices, the reasons a question may not apply, and the length of a month. Pure
Python, imported by the catalogue, the engine, pricing and the views alike, so that each of
these is written down once.
"""

from __future__ import annotations

# DESIGN 3: the growth stages, in order.
STAGES = ("launch", "growth", "scale", "beyond")
STAGE_SHORT_TITLES = {
    "launch": "Launch",
    "growth": "Growth",
    "scale": "Scale",
    "beyond": "Beyond",
}

# The six Well-Architected pillars and their display labels.
PILLARS = (
    "operational_excellence",
    "security",
    "reliability",
    "performance_efficiency",
    "cost_optimization",
    "sustainability",
)
PILLAR_LABELS = {
    "operational_excellence": "Operational excellence",
    "security": "Security",
    "reliability": "Reliability",
    "performance_efficiency": "Performance efficiency",
    "cost_optimization": "Cost optimisation",
    "sustainability": "Sustainability",
}

# Like the Well-Architected Tool: a choice is a medium or a high risk for a pillar, or none.
RISK_LEVELS = ("medium", "high")

# DESIGN 3.1: the stable core questions. The engine, the exchange format, imports and outside
# tools rely on these ids; their types and units are checked by the catalogue reader.
CORE_QUESTION_IDS = (
    "customers",
    "peak_rps",
    "avg_response_kb",
    "static_share",
    "traffic_pattern",
    "read_ratio",
    "db_storage_gb",
    "object_storage_gb",
    "users_geography",
    "availability_target",
    "rpo_minutes",
    "rto_minutes",
    "compute_model",
    "database_engine",
    "customer_identity",
    "l7_protection",
    "release_process",
    "monitoring",
)

# The values of the core choice questions. The engine branches on each of them, so a catalogue
# must offer exactly these (the catalogue reader checks) and the engine refuses any other.
CORE_CHOICES: dict[str, tuple[str, ...]] = {
    "traffic_pattern": ("steady", "daily_peaks", "spiky"),
    "users_geography": ("one_region", "continent", "global"),
    "availability_target": ("99.0", "99.5", "99.9", "99.95", "99.99"),
    "compute_model": ("vms", "containers", "serverless"),
    "database_engine": ("postgresql", "mysql", "aurora-postgresql", "aurora-mysql", "dynamodb"),
    "customer_identity": ("none", "in_app", "managed"),
    "l7_protection": ("none", "waf"),
    "release_process": ("manual", "scripted", "ci_cd"),
    "monitoring": ("none", "basic", "full"),
}

# Why a team marks a question as not applying to it: the wizard offers these, the answer row
# stores the first of each pair and the exchange format accepts only those.
NA_REASONS = (
    ("out_of_scope", "Out of scope"),
    ("business_priorities", "Business priorities"),
    ("architecture_constraints", "Architecture constraints"),
    ("other", "Other"),
)

# AWS prices a month as 730 hours; the engine sizes usage with the same month.
HOURS_PER_MONTH = 730


def is_stage(slug: str) -> bool:
    return slug in STAGES


def short_title(slug: str) -> str:
    """ "Growth" rather than the catalogue's "Growth: 10,000+ customers", for messages."""
    return STAGE_SHORT_TITLES[slug]


def previous_stage(slug: str) -> str | None:
    """The stage before `slug`, or None for the first."""
    index = STAGES.index(slug)
    return STAGES[index - 1] if index else None


def next_stage(slug: str) -> str | None:
    """The stage after `slug`, or None for the last."""
    index = STAGES.index(slug) + 1
    return STAGES[index] if index < len(STAGES) else None
