"""The price book: cache, API and snapshot in order; one listing per distinct key; modes."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.compat import HTTPHeaders

from journeys import engine
from journeys.demo_answers import DEMO_ANSWERS
from journeys.pricing import keys as K
from journeys.pricing.api import PriceListClient, make_pricing_client
from journeys.pricing.book import MemoryPriceCache, PriceBook, PriceCache
from journeys.pricing.keys import state_keys
from journeys.pricing.price import ResolvedPrice, Tier
from journeys.pricing.snapshot import SUPPORTED_REGIONS, Snapshot, UnsupportedRegion

SNAPSHOT = Snapshot.load()


class Raw:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **kwargs: Any) -> Any:
        yield self.body


class FakePriceList:
    """A real boto3 pricing client whose GetProducts calls are answered locally: each request
    gets one product at 0.5 USD, and every listing is counted by its filters."""

    def __init__(self) -> None:
        session = boto3.session.Session(aws_access_key_id="a", aws_secret_access_key="b")
        self.client = make_pricing_client(2, session)
        self.listings: list[str] = []
        # botocore uses a before-send handler's return value as the response; the stubs type
        # handlers as returning None.
        self.client.meta.events.register(
            "before-send.pricing.GetProducts",
            self._answer,  # type: ignore[arg-type]
        )

    def _answer(self, request: Any, **kwargs: Any) -> AWSResponse:
        body = json.loads(request.body)
        self.listings.append(json.dumps([body["ServiceCode"], body["Filters"]]))
        item = {
            "product": {"sku": f"SKU{len(self.listings)}", "attributes": {}},
            "terms": {
                "OnDemand": {
                    "T": {
                        "effectiveDate": "2026-03-01T00:00:00Z",
                        "priceDimensions": {
                            "D": {
                                "unit": "Hrs",
                                "beginRange": "0",
                                "endRange": "Inf",
                                "pricePerUnit": {"USD": "0.5"},
                            }
                        },
                    }
                }
            },
        }
        payload = {"FormatVersion": "aws_v1", "PriceList": [json.dumps(item)]}
        headers = HTTPHeaders.from_dict({"content-type": "application/x-amz-json-1.1"})
        return AWSResponse(request.url, 200, headers, Raw(json.dumps(payload).encode()))


def demo_state(stage: str = "scale", region: str = "eu-west-1") -> engine.ArchitectureState:
    dr = engine.default_dr_region(region)
    return engine.recommend(stage, DEMO_ANSWERS[stage], region=region, dr_region=dr)


def test_a_cold_cache_lists_each_distinct_key_once_and_a_warm_one_not_at_all() -> None:
    fake = FakePriceList()
    book = PriceBook(MemoryPriceCache(), PriceListClient(fake.client), SNAPSHOT, "api")
    keys = state_keys(demo_state())
    repeated = keys + keys[:5]  # an estimate may ask for the same key twice
    seen: list[tuple[int, int]] = []
    prices = book.resolve_many(repeated, progress=lambda n, m: seen.append((n, m)))
    assert len(fake.listings) == len(keys) == len(set(fake.listings)) == len(prices)
    assert seen == [(n, len(keys)) for n in range(1, len(keys) + 1)]
    assert {p.source for p in prices.values()} == {"api"}

    book.resolve_many(repeated)
    assert len(fake.listings) == len(keys)  # warm: zero calls


def test_a_stale_cached_price_is_fetched_again() -> None:
    now = [datetime(2026, 3, 1, tzinfo=UTC)]
    fake = FakePriceList()
    api = PriceListClient(fake.client, clock=lambda: now[0])
    book = PriceBook(
        MemoryPriceCache(clock=lambda: now[0]), api, SNAPSHOT, "api", max_age=timedelta(days=7)
    )
    key = K.ec2_instance("eu-west-1", "m6g.large")
    book.resolve(key)
    now[0] += timedelta(days=6)
    book.resolve(key)
    assert len(fake.listings) == 1
    now[0] += timedelta(days=2)
    book.resolve(key)
    assert len(fake.listings) == 2


def test_auto_uses_the_api_when_credentials_are_found(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    fake = FakePriceList()
    book = PriceBook(MemoryPriceCache(), PriceListClient(fake.client), SNAPSHOT, "auto")
    assert book.uses_api
    assert book.resolve(K.ec2_instance("us-east-1", "t3.medium")).source == "api"


def test_auto_uses_the_snapshot_without_credentials() -> None:
    fake = FakePriceList()
    book = PriceBook(MemoryPriceCache(), PriceListClient(fake.client), SNAPSHOT, "auto")
    assert not book.uses_api
    price = book.resolve(K.ec2_instance("us-east-1", "t3.medium"))
    assert price.source == "snapshot" and price.unit_price == Decimal("0.0416")
    assert price.effective_date == "2025-06-18" and price.note == ""
    assert fake.listings == []


def test_snapshot_mode_reads_neither_the_api_nor_the_cache() -> None:
    key = K.ec2_instance("us-east-1", "t3.medium")
    cache = MemoryPriceCache()
    cached = ResolvedPrice(
        key.id,
        "S",
        "Hrs",
        (Tier(Decimal(0), None, Decimal(9)),),
        "api",
        "2026-01-01",
        datetime.now(UTC),
    )
    cache.put(key.id, cached)
    fake = FakePriceList()
    book = PriceBook(
        cache, PriceListClient(fake.client), SNAPSHOT, "snapshot", credentials=lambda: True
    )
    assert book.resolve(key).source == "snapshot"
    assert fake.listings == []


def test_modes_are_checked() -> None:
    with pytest.raises(ValueError, match="unknown pricing source"):
        PriceBook(MemoryPriceCache(), None, SNAPSHOT, "cheapest")
    with pytest.raises(ValueError, match="needs a Price List API client"):
        PriceBook(MemoryPriceCache(), None, SNAPSHOT, "api")
    assert not PriceBook(
        MemoryPriceCache(), None, SNAPSHOT, "auto", credentials=lambda: True
    ).uses_api


def test_an_unsupported_region_names_the_supported_ones() -> None:
    book = PriceBook(MemoryPriceCache(), None, SNAPSHOT, "snapshot")
    state = engine.recommend(
        "growth", DEMO_ANSWERS["growth"], region="sa-east-1", dr_region="us-east-1"
    )
    with pytest.raises(UnsupportedRegion) as caught:
        book.resolve_many(state_keys(state))
    assert caught.value.region == "sa-east-1"
    message = str(caught.value)
    assert all(region in message for region in SUPPORTED_REGIONS)


def test_an_unsupported_dr_region_is_refused_too() -> None:
    book = PriceBook(MemoryPriceCache(), None, SNAPSHOT, "snapshot")
    with pytest.raises(UnsupportedRegion, match="ca-central-1"):
        book.resolve(K.inter_region("us-east-1", "ca-central-1"))


def test_the_api_can_price_a_region_the_snapshot_does_not_cover(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake = FakePriceList()
    book = PriceBook(MemoryPriceCache(), PriceListClient(fake.client), SNAPSHOT, "api")
    assert book.resolve(K.ec2_instance("sa-east-1", "t3.medium")).source == "api"


def test_the_memory_cache_meets_the_protocol_and_prices_round_trip_through_json() -> None:
    cache: PriceCache = MemoryPriceCache()
    price = SNAPSHOT.price(K.s3_storage("eu-west-1"))
    assert price is not None and price.tiered
    again = ResolvedPrice.from_dict(json.loads(json.dumps(price.to_dict())))
    assert again == price
    cache.put(price.key_id, again)
    assert cache.get(price.key_id, timedelta(days=100_000)) == price
