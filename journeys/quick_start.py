"""The quick start: about ten answers that give a whole journey.

A new team answers what the product is, its customers now and in one and three years, the
region, data residency, the availability target, how much loss and downtime it tolerates, and
its compute, database and identity preferences. Each answer is stored where the stages will
use it: the customers in Launch, Growth and Scale (Beyond grows from Scale by the carry-forward
rule of `effective`), everything else in the first stage that asks the question, from which it
carries forward to every later stage. The rest stays with the stage defaults, and the journey
page says so through its coverage.

`plan` is pure (cleaned form data in, answers by stage out); `apply` stores them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from journeys import catalog
from journeys.effective import STAGE_GROWTH
from journeys.engine import STAGE_DEFAULTS
from journeys.models import Answer, Journey, record
from journeys.vocabulary import STAGES, short_title


@dataclass(frozen=True)
class Product:
    """A kind of product and the load shape it usually has (answers of the Measure section)."""

    label: str
    traffic_pattern: str
    read_ratio: int
    static_share: int


PRODUCTS: dict[str, Product] = {
    "b2b_saas": Product("Business software (B2B SaaS)", "daily_peaks", 80, 30),
    "consumer": Product("Consumer app or website", "daily_peaks", 85, 50),
    "shop": Product("Online shop or marketplace", "spiky", 90, 60),
    "api": Product("API or data platform", "steady", 60, 5),
}

# How much data loss and downtime the business tolerates: (label, RPO minutes, RTO minutes),
# one per disaster-recovery strategy of the talk, cheapest first.
RECOVERY: dict[str, tuple[str, int, int]] = {
    "day": ("Up to a day of data and of downtime (backup and restore)", 1440, 1440),
    "hour": ("15 minutes of data, an hour of downtime (pilot light)", 15, 60),
    "minutes": ("A minute of data, five minutes of downtime (warm standby)", 1, 5),
    "zero": ("No data loss and no downtime (multi-site active/active)", 0, 0),
}

# Where each number of customers goes.
CUSTOMER_STAGES = {"customers_now": "launch", "customers_1y": "growth", "customers_3y": "scale"}
# Preferences stored as the answer of the first stage that asks them, then carried forward.
CARRIED = ("availability_target", "compute_model", "database_engine", "customer_identity")
RESIDENCY = "data_residency"


def first_stage_asking(question_id: str) -> str | None:
    """The first stage whose questionnaire asks this question, or None."""
    cat = catalog.get()
    for slug in STAGES:
        if question_id in cat.stage(slug).questions:
            return slug
    return None


def plan(cleaned: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """{stage: {question id: value}}: the answers the quick start stores, each cleaned by its
    question (the form has checked them; this keeps the catalogue the one rule)."""
    product = PRODUCTS[cleaned["product"]]
    _, rpo, rto = RECOVERY[cleaned["recovery"]]
    answers: dict[str, dict[str, Any]] = {slug: {} for slug in STAGES}
    for field, stage in CUSTOMER_STAGES.items():
        answers[stage]["customers"] = cleaned[field]
    first: dict[str, Any] = {
        "traffic_pattern": product.traffic_pattern,
        "read_ratio": product.read_ratio,
        "static_share": product.static_share,
        "rpo_minutes": rpo,
        "rto_minutes": rto,
        **{qid: cleaned[qid] for qid in CARRIED},
    }
    if cleaned.get(RESIDENCY) is not None:
        first[RESIDENCY] = cleaned[RESIDENCY]
    cat = catalog.get()
    for qid, value in first.items():
        asking = first_stage_asking(qid)
        if asking is not None:
            answers[asking][qid] = value
    return {
        stage: {qid: cat.question(stage, qid).clean(v) for qid, v in given.items()}
        for stage, given in answers.items()
        if given
    }


def assumptions(cleaned: Mapping[str, Any] | None = None) -> list[str]:
    """What the quick start assumes beyond the answers, in words, for its page."""
    lines = [
        "The kind of product sets the load shape: traffic pattern, share of reads and of "
        "static content.",
        f"Beyond plans for {STAGE_GROWTH} times Scale's customers (or its default of "
        f"{STAGE_DEFAULTS['beyond']['customers']:,} when that is more); peak load and storage "
        "of each stage follow from its customers.",
        "Your preferences apply to every stage until you change them in a stage.",
        "Everything else takes each stage's default, for example manual releases at Launch "
        "and CI/CD from Growth: the journey page shows how much of each stage rests on "
        "defaults.",
    ]
    if cleaned is not None:
        product = PRODUCTS[cleaned["product"]]
        lines[0] = (
            f"{product.label}: traffic {product.traffic_pattern.replace('_', ' ')}, "
            f"{product.read_ratio} % reads, {product.static_share} % static content."
        )
    return lines


@transaction.atomic
def apply(journey: Journey, cleaned: Mapping[str, Any], user: User) -> int:
    """Store the quick start's answers (replacing the same questions' answers) and the
    region; the number of answers stored."""
    answers = plan(cleaned)
    version = catalog.get().version
    now = timezone.now()
    stored = 0
    for stage, values in answers.items():
        for qid, value in values.items():
            Answer.objects.update_or_create(
                journey=journey,
                stage=stage,
                question=qid,
                defaults={
                    "value": value,
                    "not_applicable": "",
                    "catalogue_version": version,
                    "updated": now,
                    "updated_by": user,
                },
            )
            stored += 1
    journey.region = cleaned["region"]
    journey.updated = now
    journey.save(update_fields=["region", "updated"])
    journey.reopen_after_edit(user)
    stages = ", ".join(short_title(s) for s in answers)
    record(journey, user, "quick_start", f"Quick start: {stored} answers in {stages}")
    return stored
