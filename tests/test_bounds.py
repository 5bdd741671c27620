"""Bounds on every number: the largest journey the catalogue allows is sized, priced, stored
and read back, on SQLite here and on PostgreSQL in the services pass (SERVICES=1).

The sweep prices every stage with each compute model, database engine and traffic pattern,
every number at its catalogue maximum; the costliest of them goes through the real job path
into the `Estimate` row and back out through the estimate and cost pages.
"""

import itertools
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from journeys import architecture, catalog, engine
from journeys.jobs import estimates
from journeys.models import Estimate, Journey
from journeys.pricing.book import MemoryPriceCache, PriceBook
from journeys.pricing.estimate import estimate
from journeys.pricing.keys import state_keys
from journeys.pricing.snapshot import Snapshot
from journeys.pricing.suggestions import suggestion_keys
from journeys.vocabulary import CORE_CHOICES, STAGES

# What keeps the monthly figure largest: every option that adds a component or a region.
HEAVY_CHOICES = {
    "users_geography": "one_region",
    "availability_target": "99.99",
    "l7_protection": "waf",
    "monitoring": "full",
    "customer_identity": "managed",
    "release_process": "ci_cd",
}


def maxima(stage: str) -> dict[str, Any]:
    """Every number question of the stage at its maximum (percentages at 0: all dynamic)."""
    return {
        q.id: 0 if q.type == "percentage" else int(q.max)
        for q in catalog.get().stage(stage).questions.values()
        if q.type in catalog.NUMBER_TYPES and q.max is not None
    }


def costliest() -> tuple[Decimal, str, dict[str, Any]]:
    book = PriceBook(MemoryPriceCache(), None, Snapshot.load(), "snapshot")
    worst: tuple[Decimal, str, dict[str, Any]] = (Decimal(0), "", {})
    for stage, model, db, pattern in itertools.product(
        STAGES,
        CORE_CHOICES["compute_model"],
        CORE_CHOICES["database_engine"],
        CORE_CHOICES["traffic_pattern"],
    ):
        answers: dict[str, Any] = {
            **maxima(stage),
            **HEAVY_CHOICES,
            "compute_model": model,
            "database_engine": db,
            "traffic_pattern": pattern,
        }
        state = engine.recommend(stage, answers)
        prices = book.resolve_many(state_keys(state) + suggestion_keys(state))
        total = estimate(state, prices, answers["customers"]).monthly_usd
        if total > worst[0]:
            worst = (total, stage, answers)
    return worst


def test_every_number_question_has_a_maximum_within_what_an_answer_holds() -> None:
    for stage in catalog.get().stages:
        for q in stage.questions.values():
            if q.type in catalog.NUMBER_TYPES:
                assert q.max is not None and q.max <= catalog.MAX_MAGNITUDE, (stage.slug, q.id)


def test_the_costliest_journey_fits_the_estimate_column_with_room_to_spare() -> None:
    total, _, _ = costliest()
    field = Estimate._meta.get_field("monthly_usd")
    whole_digits = field.max_digits - field.decimal_places
    # Prices may rise a thousandfold before the column is too narrow.
    assert total * 1000 < Decimal(10) ** whole_digits, total


@pytest.mark.django_db
def test_the_costliest_journey_is_estimated_stored_and_read_back(
    journey: Journey, editor_client: Any, settings: Any
) -> None:
    settings.PRICING_SOURCE = "snapshot"
    total, stage, answers = costliest()
    for qid, value in answers.items():
        journey.answers.create(stage=stage, question=qid, value=value)
    grouped = architecture.JourneyAnswers.of(journey)
    state = architecture.stage_state(journey, stage, grouped)
    row = estimates.ensure_estimate(journey, stage, state, architecture.stage_facts(stage, grouped))
    estimates.run(row.pk)

    stored = Estimate.objects.get(pk=row.pk)
    assert stored.status == Estimate.DONE, stored.reason
    assert stored.monthly_usd == Decimal(stored.result["monthly_usd"]).quantize(Decimal("0.0001"))
    # The journey's region prices a little differently from the sweep's; the size is the same.
    assert stored.monthly_usd > total / 2
    assert stored.customers == 1_000_000_000
    page = reverse("journeys:stage_estimate", args=[journey.pk, stage])
    assert editor_client.get(page).status_code == 200
    assert editor_client.get(reverse("journeys:costs", args=[journey.pk])).status_code == 200
    csv_url = reverse("journeys:estimate_csv", args=[journey.pk, row.pk])
    assert editor_client.get(csv_url).status_code == 200


@pytest.mark.django_db
def test_an_answer_stored_above_its_bound_before_bounds_existed_is_set_aside(
    journey: Journey, settings: Any
) -> None:
    settings.PRICING_SOURCE = "snapshot"
    # Written straight to the database, as an answer saved before the catalogue had a `max`.
    journey.answers.create(stage="growth", question="peak_rps", value=999_999_999_999_999)
    journey.answers.create(stage="growth", question="customers", value=10**15)
    answers = architecture.JourneyAnswers.of(journey)
    assert answers.stage("growth")["peak_rps"].kind != "answered"
    assert answers.coverage("growth").answered == 0
    state = architecture.stage_state(journey, "growth", answers)
    row = estimates.ensure_estimate(
        journey, "growth", state, architecture.stage_facts("growth", answers)
    )
    estimates.run(row.pk)
    stored = Estimate.objects.get(pk=row.pk)
    assert stored.status == Estimate.DONE, stored.reason
    assert stored.customers <= 1_000_000_000
