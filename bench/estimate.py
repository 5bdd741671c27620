"""estimate.api_calls and estimate.journey."""

from __future__ import annotations

import json
from typing import Any

import boto3
from botocore.stub import Stubber

from bench.harness import Result, compare, ratio_result
from journeys import architecture, demo, vocabulary
from journeys.models import PriceEntry
from journeys.pricing.api import PriceListClient, make_pricing_client
from journeys.pricing.book import PriceBook
from journeys.pricing.cache import DatabasePriceCache
from journeys.pricing.estimate import estimate
from journeys.pricing.keys import state_keys
from journeys.pricing.snapshot import Snapshot
from journeys.pricing.suggestions import suggest, suggestion_keys


def price_list_item(key: Any, snapshot: Snapshot) -> str:
    """The Price List API's answer for a key, made from the snapshot's price of it."""
    price = snapshot.price(key)
    assert price is not None, key.id
    term = f"{price.sku[:20] or 'SKU'}.JRTCKXETXF"
    dimensions = {
        f"{term}.{i}": {
            "unit": price.unit,
            "beginRange": str(tier.begin),
            "endRange": "Inf" if tier.end is None else str(tier.end),
            "description": price.description,
            "pricePerUnit": {"USD": str(tier.usd)},
            "appliesTo": [],
            "rateCode": f"{term}.{i}",
        }
        for i, tier in enumerate(price.tiers)
    }
    item = {
        "product": {"attributes": dict(key.attributes), "sku": price.sku[:20] or "SKU"},
        "serviceCode": key.service_code,
        "terms": {
            "OnDemand": {
                term: {
                    "priceDimensions": dimensions,
                    "sku": price.sku[:20] or "SKU",
                    "effectiveDate": "2026-03-01T00:00:00Z",
                    "offerTermCode": "JRTCKXETXF",
                    "termAttributes": {},
                }
            }
        },
    }
    return json.dumps(item)


def run() -> list[Result]:
    journey, _ = demo.seed()
    answers = architecture.JourneyAnswers.of(journey)
    states = {s: architecture.stage_state(journey, s, answers) for s in vocabulary.STAGES}
    facts = {s: architecture.stage_facts(s, answers) for s in vocabulary.STAGES}
    keys = {k.id: k for st in states.values() for k in state_keys(st) + suggestion_keys(st)}
    snapshot = Snapshot.load()

    client = make_pricing_client(3, boto3.session.Session(region_name="us-east-1"))
    calls = {"n": 0}
    client.meta.events.register(
        "before-parameter-build.pricing.GetProducts",
        lambda **_: calls.__setitem__("n", calls["n"] + 1),
    )
    book = PriceBook(
        DatabasePriceCache(),
        PriceListClient(client),
        snapshot,
        "api",
        credentials=lambda: True,
    )
    PriceEntry.objects.all().delete()
    with Stubber(client) as stubber:
        for key in keys.values():
            stubber.add_response(
                "get_products",
                {"FormatVersion": "aws_v1", "PriceList": [price_list_item(key, snapshot)]},
            )
        cold = book.resolve_many(keys.values())
        cold_calls = calls["n"]
        calls["n"] = 0
        book.resolve_many(keys.values())
        warm_calls = calls["n"]
    assert all(p.source == "api" for p in cold.values())
    print(f"estimate.api_calls: cold {cold_calls} for {len(keys)} keys; warm {warm_calls}")

    def journey_from_warm_cache() -> None:
        prices = book.resolve_many(keys.values())
        for stage, state in states.items():
            result = estimate(state, prices, facts[stage].customers)
            suggest(state, result, prices, traffic_pattern=facts[stage].traffic_pattern)

    def arithmetic_alone() -> None:
        for stage, state in states.items():
            result = estimate(state, cold, facts[stage].customers)
            suggest(state, result, cold, traffic_pattern=facts[stage].traffic_pattern)

    return [
        ratio_result(
            "estimate.api_calls",
            cold_calls,
            "calls",
            f"distinct price keys of the demo journey ({len(keys)}); "
            f"warm cache: {warm_calls} calls",
            len(keys),
            1.0,
        ),
        compare(
            "estimate.journey",
            journey_from_warm_cache,
            "the estimate arithmetic alone on the same resolved prices",
            arithmetic_alone,
            target=2.0,
            repeat=20,
            warmup=2,
        ),
    ]
