"""The type, unit, lower bound and choices that each core question must have in any catalogue.

DESIGN 3.1: the engine, the exchange format and outside tools rely on these ids, types and units,
so a catalogue that changes one of them is refused rather than half-working. The ids and the
choice values are the shared vocabulary's; only what a catalogue file must spell is added here.
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
    choices: tuple[str, ...] = ()


_NUMBERS: dict[str, CoreSpec] = {
    "customers": CoreSpec("integer", "customers", Decimal(1)),
    "peak_rps": CoreSpec("decimal", "requests per second", Decimal(0)),
    "avg_response_kb": CoreSpec("decimal", "KB", Decimal(0)),
    "static_share": CoreSpec("percentage", "%"),
    "read_ratio": CoreSpec("percentage", "%"),
    "db_storage_gb": CoreSpec("decimal", "GB", Decimal(0)),
    "object_storage_gb": CoreSpec("decimal", "GB", Decimal(0)),
    "rpo_minutes": CoreSpec("integer", "minutes", Decimal(0)),
    "rto_minutes": CoreSpec("integer", "minutes", Decimal(0)),
}

# In the vocabulary's order; a core id with neither a number spec nor choices fails at import.
CORE_QUESTIONS: dict[str, CoreSpec] = {
    qid: _NUMBERS[qid] if qid in _NUMBERS else CoreSpec("single", choices=CORE_CHOICES[qid])
    for qid in CORE_QUESTION_IDS
}
