"""Estimate jobs: find or queue the cost estimate of a stage's state, and price it (in a
worker) through the price book: database cache, then the Price List API, then the snapshot."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal

from django.conf import settings

from journeys import engine
from journeys.architecture import StageFacts, facts_from_snapshot
from journeys.jobs import base
from journeys.milestones import milestone_state
from journeys.models import Estimate, Journey, Milestone
from journeys.pricing.api import PriceUnavailable
from journeys.pricing.book import PriceBook
from journeys.pricing.cache import price_book
from journeys.pricing.estimate import MissingPrice, estimate
from journeys.pricing.keys import state_keys
from journeys.pricing.snapshot import UnsupportedRegion
from journeys.pricing.suggestions import suggest, suggestion_keys


def estimate_key(
    state: engine.ArchitectureState, customers: int, traffic_pattern: str, free_tier: bool
) -> str:
    """Everything the figures depend on, including the price source asked for."""
    parts = [state.hash, customers, traffic_pattern, free_tier, settings.PRICING_SOURCE]
    text = json.dumps(parts, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def ensure_estimate(
    journey: Journey, stage: str, state: engine.ArchitectureState, facts: StageFacts
) -> Estimate:
    """The estimate row of this state: found, or queued for the pricing worker."""
    free_tier = settings.PRICING_FREE_TIER
    defaults = {
        "state_hash": state.hash,
        "state": state.to_dict(),
        "customers": facts.customers,
        "traffic_pattern": facts.traffic_pattern,
        "free_tier": free_tier,
    }
    key = _key(state, facts, free_tier)
    return base.find_or_queue(Estimate, defaults, journey=journey, stage=stage, estimate_key=key)


def _key(state: engine.ArchitectureState, facts: StageFacts, free_tier: bool) -> str:
    return estimate_key(state, facts.customers, facts.traffic_pattern, free_tier)


def milestone_estimate_for(journey: Journey, milestone: Milestone) -> Estimate:
    """A milestone's estimate, from its frozen state and the answers frozen with it."""
    facts = facts_from_snapshot(milestone.stage, milestone.answers)
    return ensure_estimate(journey, milestone.stage, milestone_state(milestone), facts)


def milestone_estimate_key(journey: Journey, milestone: Milestone) -> str:
    """The key of a milestone's estimate, without finding or queueing it."""
    facts = facts_from_snapshot(milestone.stage, milestone.answers)
    return _key(milestone_state(milestone), facts, settings.PRICING_FREE_TIER)


def latest_done(journey: Journey, stage: str) -> Estimate | None:
    """The newest finished estimate of a stage: shown while a newer one is pending or failed."""
    return (
        Estimate.objects.filter(journey=journey, stage=stage, status=Estimate.DONE)
        .order_by("-finished", "-id")
        .first()
    )


def run(estimate_id: int, book: PriceBook | None = None) -> Estimate | None:
    """Price a claimed estimate; the plain function behind the task."""
    row = Estimate.objects.filter(pk=estimate_id).first()
    if row is None:
        return None
    state = engine.ArchitectureState.from_dict(row.state)
    book = book or price_book()
    keys = state_keys(state) + suggestion_keys(state)

    def progress(done: int, total: int) -> None:
        # Every few prices, not every one: the row is read by the polling page.
        if done == total or done % 5 == 0:
            Estimate.objects.filter(pk=row.pk).update(progress_done=done, progress_total=total)

    try:
        prices = book.resolve_many(keys, progress=progress)
        result = estimate(state, prices, row.customers, free_tier=row.free_tier)
    except UnsupportedRegion as error:
        row.fail(str(error))
        return row
    except (PriceUnavailable, MissingPrice) as error:
        row.fail(f"A price could not be found: {error}")
        return row
    data = result.to_dict()
    tips = suggest(state, result, prices, traffic_pattern=row.traffic_pattern or None)
    data["suggestions"] = [tip.to_dict() for tip in tips]
    row.finish(
        result=data,
        monthly_usd=Decimal(str(data["monthly_usd"])),
        sources=sorted(data["sources"]),
        oldest_price_date=data.get("oldest_price_date") or "",
        reason="",
    )
    return row
