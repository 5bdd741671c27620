"""The type, unit, bounds and choices that each core question must have in any catalogue.

DESIGN 3.1: the engine, the exchange format and outside tools rely on these ids, types and units,
so a catalogue that changes one of them is refused rather than half-working. The ids and the
choice values are the shared vocabulary's; only what a catalogue file must spell is added here.

`max` is the highest upper bound a catalogue may give a core number: the engine sizes and the
estimate prices a journey whose every number sits at these ceilings, and the estimate's columns
are wide enough for it (tests/test_bounds.py). A catalogue may ask for less, never for more.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from journeys.vocabulary import CORE_CHOICES, CORE_QUESTION_IDS


@dataclass(frozen=True)
class CoreSpec:
    type: str
    unit: str | None = None
    min: Decimal | None = None
    max: Decimal | None = None
    choices: tuple[str, ...] = ()


# The ceilings are business maxima: a billion customers, ten million requests a second at peak,
# 100 MB average responses, a petabyte of database, 100 PB of objects, a year of RPO or RTO.
_NUMBERS: dict[str, CoreSpec] = {
    "customers": CoreSpec("integer", "customers", Decimal(1), Decimal(1_000_000_000)),
    "peak_rps": CoreSpec("decimal", "requests per second", Decimal(0), Decimal(10_000_000)),
    "avg_response_kb": CoreSpec("decimal", "KB", Decimal(0), Decimal(100_000)),
    "static_share": CoreSpec("percentage", "%", max=Decimal(100)),
    "read_ratio": CoreSpec("percentage", "%", max=Decimal(100)),
    "db_storage_gb": CoreSpec("decimal", "GB", Decimal(0), Decimal(1_000_000)),
    "object_storage_gb": CoreSpec("decimal", "GB", Decimal(0), Decimal(100_000_000)),
    "rpo_minutes": CoreSpec("integer", "minutes", Decimal(0), Decimal(525_600)),
    "rto_minutes": CoreSpec("integer", "minutes", Decimal(0), Decimal(525_600)),
}

# In the vocabulary's order; a core id with neither a number spec nor choices fails at import.
CORE_QUESTIONS: dict[str, CoreSpec] = {
    qid: _NUMBERS[qid] if qid in _NUMBERS else CoreSpec("single", choices=CORE_CHOICES[qid])
    for qid in CORE_QUESTION_IDS
}
