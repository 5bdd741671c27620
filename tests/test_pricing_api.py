"""The Price List API client against botocore's Stubber and a `before-send` handler: no network.

The Stubber checks each request against the service model and the exact parameters we send; it
answers before botocore's retry layer, so the retry tests answer from a `before-send` handler
instead, with botocore's sleep patched out.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.compat import HTTPHeaders
from botocore.stub import Stubber

from journeys.pricing import keys as K
from journeys.pricing.api import (
    PriceListClient,
    PriceUnavailable,
    choose_price,
    has_credentials,
    make_pricing_client,
)
from journeys.pricing.book import MemoryPriceCache, PriceBook
from journeys.pricing.snapshot import Snapshot

EXAMPLES = Path(__file__).resolve().parents[2] / "shared" / "pricing" / "price-list-api-examples"
NOW = datetime(2026, 3, 22, tzinfo=UTC)
T3_MICRO = K.ec2_instance("us-east-1", "t3.micro")


@pytest.fixture(autouse=True)
def fake_credentials(no_aws: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Credentials that botocore accepts and AWS would not: nothing here reaches AWS."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")


@pytest.fixture
def slept(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """botocore's own retry sleeps, recorded instead of slept."""
    delays: list[float] = []
    monkeypatch.setattr("botocore.endpoint.time.sleep", delays.append)
    return delays


def product(
    sku: str,
    attributes: dict[str, str],
    dimensions: list[tuple[str, str, str, str]],
    *,
    effective: str = "2026-03-01T00:00:00Z",
) -> dict[str, Any]:
    """A PriceList item in the shape the API returns; dimensions are (begin, end, usd, unit)."""
    term = f"{sku}.JRTCKXETXF"
    return {
        "product": {
            "productFamily": attributes.get("productFamily", ""),
            "attributes": attributes,
            "sku": sku,
        },
        "serviceCode": "AmazonEC2",
        "terms": {
            "OnDemand": {
                term: {
                    "priceDimensions": {
                        f"{term}.{i}": {
                            "unit": unit,
                            "beginRange": begin,
                            "endRange": end,
                            "description": f"${usd} per {unit}",
                            "appliesTo": [],
                            "rateCode": f"{term}.{i}",
                            "pricePerUnit": {"USD": usd},
                        }
                        for i, (begin, end, usd, unit) in enumerate(dimensions)
                    },
                    "sku": sku,
                    "effectiveDate": effective,
                    "offerTermCode": "JRTCKXETXF",
                    "termAttributes": {},
                }
            }
        },
        "version": "20260320042925",
        "publicationDate": "2026-03-20T04:29:25Z",
    }


EC2_USED = {
    "instanceType": "t3.micro",
    "regionCode": "us-east-1",
    "operatingSystem": "Linux",
    "tenancy": "Shared",
    "capacitystatus": "Used",
    "preInstalledSw": "NA",
    "usagetype": "BoxUsage:t3.micro",
}
T3_ITEM = product("CRAJUW7BTXFMT2UJ", EC2_USED, [("0", "Inf", "0.0104000000", "Hrs")])


def page(*items: dict[str, Any], token: str | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {
        "FormatVersion": "aws_v1",
        "PriceList": [json.dumps(item) for item in items],
    }
    if token:
        response["NextToken"] = token
    return response


def request(key: K.PriceKey, token: str | None = None) -> dict[str, Any]:
    params: dict[str, Any] = {
        "ServiceCode": key.service_code,
        "Filters": key.api_filters(),
        "FormatVersion": "aws_v1",
        "MaxResults": 100,
    }
    if token:
        params["NextToken"] = token
    return params


def pricing_client(max_attempts: int = 3) -> Any:
    return make_pricing_client(max_attempts, boto3.session.Session(region_name="eu-west-1"))


@pytest.fixture
def stubbed() -> Iterator[tuple[Any, Stubber]]:
    client = pricing_client()
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


# -- requests and parsing --------------------------------------------------------------------


def test_the_client_is_pinned_to_us_east_1_with_standard_retries() -> None:
    client = pricing_client(max_attempts=7)
    assert client.meta.region_name == "us-east-1"
    retries = client.meta.config.retries
    assert retries["mode"] == "standard" and retries["total_max_attempts"] == 7


def test_it_sends_term_match_filters_on_price_list_attributes(
    stubbed: tuple[Any, Stubber],
) -> None:
    client, stubber = stubbed
    stubber.add_response("get_products", page(T3_ITEM), request(T3_MICRO))
    price = PriceListClient(client, clock=lambda: NOW).get_price(T3_MICRO)
    assert {f["Type"] for f in T3_MICRO.api_filters()} == {"TERM_MATCH"}
    fields = {f["Field"]: f["Value"] for f in T3_MICRO.api_filters()}
    assert fields == {
        "regionCode": "us-east-1",
        "instanceType": "t3.micro",
        "operatingSystem": "Linux",
        "tenancy": "Shared",
        "preInstalledSw": "NA",
        "capacitystatus": "Used",
        "licenseModel": "No License required",
        "marketoption": "OnDemand",
        "productFamily": "Compute Instance",
    }
    assert price.unit_price == Decimal("0.0104")
    assert (price.sku, price.unit, price.source) == ("CRAJUW7BTXFMT2UJ", "Hrs", "api")
    assert price.effective_date == "2026-03-01" and price.fetched_at == NOW


def test_it_follows_the_next_token_across_pages(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    other = product(
        "X",
        {**EC2_USED, "capacitystatus": "UnusedCapacityReservation"},
        [("0", "Inf", "0.0000000000", "Hrs")],
    )
    stubber.add_response("get_products", page(other, token="page-2"), request(T3_MICRO))
    stubber.add_response("get_products", page(T3_ITEM), request(T3_MICRO, "page-2"))
    items = PriceListClient(client).list_products(T3_MICRO)
    assert [i["product"]["sku"] for i in items] == ["X", "CRAJUW7BTXFMT2UJ"]


def test_capacity_reservation_and_capacity_block_rows_at_zero_are_skipped() -> None:
    unused = product(
        "UNUSED",
        {
            **EC2_USED,
            "capacitystatus": "UnusedCapacityReservation",
            "usagetype": "Reservation:t3.micro",
        },
        [("0", "Inf", "0.0000000000", "Hrs")],
    )
    block = product(
        "BLOCK",
        {**EC2_USED, "marketoption": "CapacityBlock"},
        [("0", "Inf", "0.0000000000", "Hrs")],
    )
    price = choose_price(T3_MICRO, [unused, block, T3_ITEM], NOW)
    assert price.sku == "CRAJUW7BTXFMT2UJ" and price.unit_price == Decimal("0.0104")


def test_an_extended_support_sku_is_skipped() -> None:
    key = K.rds_instance("us-east-1", "postgresql", "db.t3.micro", multi_az=False)
    attributes = {
        "instanceType": "db.t3.micro",
        "regionCode": "us-east-1",
        "databaseEngine": "PostgreSQL",
        "deploymentOption": "Single-AZ",
        "usagetype": "InstanceUsage:db.t3.micro",
    }
    normal = product("TGN7QDJF2AGFU9XA", attributes, [("0", "Inf", "0.0180000000", "Hrs")])
    extended = product(
        "EXT",
        {**attributes, "usagetype": "ExtendedSupport:Yr1-Yr2:PostgreSQL11"},
        [("0", "Inf", "0.1000000000", "Hrs")],
    )
    price = choose_price(key, [extended, normal], NOW)
    assert price.sku == "TGN7QDJF2AGFU9XA" and price.unit_price == Decimal("0.018")


def test_tiered_dimensions_become_tiers_in_order() -> None:
    key = K.s3_storage("us-east-1")
    item = product(
        "WP9ANXZGBYYSGJEA",
        {"regionCode": "us-east-1"},
        [
            ("51200", "512000", "0.0220000000", "GB-Mo"),
            ("512000", "Inf", "0.0210000000", "GB-Mo"),
            ("0", "51200", "0.0230000000", "GB-Mo"),
        ],
    )
    price = choose_price(key, [item], NOW)
    assert [(t.begin, t.end, t.usd) for t in price.tiers] == [
        (0, 51200, Decimal("0.023")),
        (51200, 512000, Decimal("0.022")),
        (512000, None, Decimal("0.021")),
    ]


def test_only_the_keys_unit_is_kept_when_a_product_has_several() -> None:
    key = K.nat("us-east-1", "hours")
    item = product(
        "NAT",
        {"productFamily": "NAT Gateway"},
        [("0", "Inf", "0.045", "Hrs"), ("0", "Inf", "0.045", "GB")],
    )
    assert choose_price(key, [item], NOW).unit == "Hrs"


def test_two_different_prices_are_refused_not_guessed() -> None:
    other = product("OTHER", EC2_USED, [("0", "Inf", "0.0200000000", "Hrs")])
    with pytest.raises(PriceUnavailable, match="2 different prices"):
        choose_price(T3_MICRO, [T3_ITEM, other], NOW)


def test_no_matching_product_is_unavailable(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    stubber.add_response("get_products", page(), request(T3_MICRO))
    with pytest.raises(PriceUnavailable, match="no on-demand price among 0 products"):
        PriceListClient(client).get_price(T3_MICRO)


@pytest.mark.skipif(not EXAMPLES.exists(), reason="shared/pricing is not beside the repository")
def test_the_captured_price_list_items_parse() -> None:
    captured = json.loads((EXAMPLES / "captured-2026-03-22-us-east-1.json").read_text())["items"]
    cases = {
        "ec2_t3.micro_linux": (T3_MICRO, [Decimal("0.0104")]),
        "rds_db.t3.micro_postgresql_single_az": (
            K.rds_instance("us-east-1", "postgresql", "db.t3.micro", multi_az=False),
            [Decimal("0.018")],
        ),
        "aurora_postgresql_db.r6g.large": (
            K.rds_instance("us-east-1", "aurora-postgresql", "db.r6g.large", multi_az=False),
            [Decimal("0.26")],
        ),
        "s3_standard_storage_tiered": (
            K.s3_storage("us-east-1"),
            [Decimal("0.023"), Decimal("0.022"), Decimal("0.021")],
        ),
    }
    for name, (key, usd) in cases.items():
        # Through the API's own encoding: each item a JSON string.
        price = choose_price(key, [json.loads(json.dumps(captured[name]))], NOW)
        assert [t.usd for t in price.tiers] == usd, name
        assert price.effective_date.startswith("2026-0")
    documented = json.loads((EXAMPLES / "botocore-example-ebs-io1-ca-central-1.json").read_text())
    io1 = K.PriceKey("AmazonEC2", "ca-central-1", (("volumeType", "Provisioned IOPS"),), "GB-Mo")
    assert choose_price(io1, [documented["item"]], NOW).unit_price == Decimal("0.138")


# -- retries ---------------------------------------------------------------------------------


class Raw:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **kwargs: Any) -> Iterator[bytes]:
        yield self.body


def answer(status: int, body: dict[str, Any]) -> Callable[[Any], AWSResponse]:
    def respond(http_request: Any) -> AWSResponse:
        headers = HTTPHeaders.from_dict(
            {"x-amzn-requestid": "test", "content-type": "application/x-amz-json-1.1"}
        )
        return AWSResponse(http_request.url, status, headers, Raw(json.dumps(body).encode()))

    return respond


THROTTLED = answer(400, {"__type": "ThrottlingException", "message": "Rate exceeded"})
EXPIRED = answer(400, {"__type": "ExpiredNextTokenException", "message": "expired"})


def script(client: Any, responses: list[Callable[[Any], AWSResponse]]) -> list[dict[str, Any]]:
    """Answer the client's GetProducts calls in turn; returns the request bodies seen."""
    seen: list[dict[str, Any]] = []

    def before_send(request: Any, **kwargs: Any) -> AWSResponse:
        seen.append(json.loads(request.body))
        return responses[min(len(seen), len(responses)) - 1](request)

    client.meta.events.register("before-send.pricing.GetProducts", before_send)
    return seen


def test_throttling_is_retried_by_botocore_then_succeeds(slept: list[float]) -> None:
    client = pricing_client(max_attempts=3)
    seen = script(client, [THROTTLED, THROTTLED, answer(200, page(T3_ITEM))])
    outer: list[float] = []
    price = PriceListClient(client, sleep=outer.append).get_price(T3_MICRO)
    assert price.unit_price == Decimal("0.0104")
    assert len(seen) == 3 and len(slept) == 2 and outer == []
    assert seen[0]["Filters"] == T3_MICRO.api_filters()
    assert seen[0]["FormatVersion"] == "aws_v1"


def test_the_outer_retry_backs_off_when_botocore_gives_up(slept: list[float]) -> None:
    client = pricing_client(max_attempts=2)
    seen = script(client, [THROTTLED, THROTTLED, THROTTLED, answer(200, page(T3_ITEM))])
    outer: list[float] = []
    api = PriceListClient(client, sleep=outer.append, base_delay=0.5)
    assert api.get_price(T3_MICRO).unit_price == Decimal("0.0104")
    assert len(seen) == 4 and outer == [0.5]


def test_throttling_exhausted_is_unavailable_after_exponential_backoff(slept: list[float]) -> None:
    client = pricing_client(max_attempts=2)
    seen = script(client, [THROTTLED])
    outer: list[float] = []
    api = PriceListClient(client, attempts=3, base_delay=1, sleep=outer.append)
    with pytest.raises(PriceUnavailable, match="ThrottlingException after 3 listings"):
        api.get_price(T3_MICRO)
    assert len(seen) == 6 and outer == [1, 2]


def test_exhausted_throttling_falls_back_to_the_snapshot_and_says_so(slept: list[float]) -> None:
    client = pricing_client(max_attempts=2)
    script(client, [THROTTLED])
    api = PriceListClient(client, attempts=2, sleep=lambda s: None)
    cache = MemoryPriceCache()
    book = PriceBook(cache, api, Snapshot.load(), "api")
    price = book.resolve(K.ec2_instance("us-east-1", "t3.medium"))
    assert price.source == "snapshot" and price.unit_price == Decimal("0.0416")
    assert "ThrottlingException" in price.note and "snapshot price used" in price.note
    assert len(cache) == 0  # a fallback is not cached: the next estimate asks the API again


def test_an_expired_pagination_token_restarts_the_listing(slept: list[float]) -> None:
    client = pricing_client(max_attempts=1)
    other = product(
        "OTHER-REGION",
        {**EC2_USED, "capacitystatus": "UnusedCapacityReservation"},
        [("0", "Inf", "0", "Hrs")],
    )
    first, second = answer(200, page(other, token="page-2")), answer(200, page(T3_ITEM))
    seen = script(client, [first, EXPIRED, first, second])
    items = PriceListClient(client, sleep=lambda s: None).list_products(T3_MICRO)
    assert [i["product"]["sku"] for i in items] == ["OTHER-REGION", "CRAJUW7BTXFMT2UJ"]
    assert ["NextToken" in body for body in seen] == [False, True, False, True]


def test_pagination_token_restarts_are_bounded(slept: list[float]) -> None:
    client = pricing_client(max_attempts=1)
    first = answer(200, page(T3_ITEM, token="page-2"))
    script(client, [first, EXPIRED, first, EXPIRED, first, EXPIRED])
    with pytest.raises(PriceUnavailable, match="ExpiredNextTokenException"):
        PriceListClient(client, restarts=2).get_price(T3_MICRO)


def test_an_invalid_request_is_not_retried(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    stubber.add_client_error("get_products", "InvalidParameterException", "bad filter")
    outer: list[float] = []
    with pytest.raises(PriceUnavailable, match="InvalidParameterException"):
        PriceListClient(client, sleep=outer.append).get_price(T3_MICRO)
    assert outer == []


# -- credentials -----------------------------------------------------------------------------


def test_credentials_are_found_in_the_environment() -> None:
    assert has_credentials()


def test_no_credentials_are_found_without_any(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    assert not has_credentials()


def test_without_credentials_a_call_is_unavailable_not_a_crash(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    api = PriceListClient(pricing_client(), sleep=lambda s: None)
    with pytest.raises(PriceUnavailable, match="no AWS credentials"):
        api.get_price(T3_MICRO)
