"""The AWS Price List Query API client: one price key -> its on-demand price.

`get_products` with TERM_MATCH filters, `FormatVersion="aws_v1"`, through the paginator. Each
PriceList entry is a JSON string. Of the products that match, the traps are dropped: $0
capacity-block and capacity-reservation rows, extended-support SKUs, $0 free-tier SKUs. What is
left must be one price (identical duplicates merge); its OnDemand price dimensions become tiers.

Throttling is retried twice over: botocore's "standard" retry mode retries ThrottlingException
inside each call (up to `total_max_attempts`), and an outer loop retries the whole listing with
exponential backoff when botocore gives up (the bucket refills at 5 requests a second). A
pagination token that expired or went bad restarts the listing, a bounded number of times.
Whatever still fails is a `PriceUnavailable(key, reason)`, which the price book answers from the
snapshot.

The service exists in us-east-1, eu-central-1 and ap-south-1 only; the client is pinned to
us-east-1, whatever region is being priced.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

import boto3
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    NoCredentialsError,
    PartialCredentialsError,
)
from botocore.exceptions import (
    ConnectionError as BotoConnectionError,
)

from journeys.pricing.keys import PriceKey
from journeys.pricing.price import ResolvedPrice, Tier

if TYPE_CHECKING:
    # A development-only stub package (requirements-dev.txt): the client's calls are typed.
    from types_boto3_pricing import PricingClient

PRICING_ENDPOINT_REGION = "us-east-1"
FORMAT_VERSION = "aws_v1"
PAGE_SIZE = 100  # the API's maximum
RETRYABLE = frozenset({"ThrottlingException", "InternalErrorException", "ServiceUnavailable"})
RESTART = frozenset({"ExpiredNextTokenException", "InvalidNextTokenException"})
# Rows that share a product's filters but are not its on-demand price.
EXCLUDED_CAPACITY = frozenset(
    {"UnusedCapacityReservation", "AllocatedCapacityReservation", "AllocatedHost"}
)
EXCLUDED_WORDS = ("ExtendedSupport", "Extended Support", "CapacityBlock", "Capacity Block")


class PriceUnavailable(Exception):
    """The API gave no usable price for `key`; `reason` says why."""

    def __init__(self, key: PriceKey, reason: str) -> None:
        super().__init__(f"{key.id}: {reason}")
        self.key, self.reason = key, reason


def has_credentials(session: boto3.session.Session | None = None) -> bool:
    """Whether the local credential chain finds credentials. Makes no call to AWS; on a host
    without AWS_EC2_METADATA_DISABLED the chain may ask the instance metadata endpoint."""
    try:
        return (session or boto3.session.Session()).get_credentials() is not None
    except (BotoCoreError, ValueError):
        return False


def make_pricing_client(
    max_attempts: int = 5, session: boto3.session.Session | None = None
) -> PricingClient:
    """A `pricing` client in us-east-1 with botocore's standard retries. No network call."""
    config = Config(
        retries={"mode": "standard", "total_max_attempts": max_attempts},
        connect_timeout=5,
        read_timeout=30,
    )
    return (session or boto3.session.Session()).client(
        "pricing", region_name=PRICING_ENDPOINT_REGION, config=config
    )


def _excluded(attributes: Mapping[str, str], dimensions: list[Mapping[str, Any]]) -> str:
    """Why a product is not the on-demand price we want ("" when it is)."""
    if attributes.get("capacitystatus") in EXCLUDED_CAPACITY:
        return f"capacity status {attributes['capacitystatus']}"
    if attributes.get("marketoption") == "CapacityBlock":
        return "capacity block"
    texts = [*attributes.values(), *(d.get("description", "") for d in dimensions)]
    for word in EXCLUDED_WORDS:
        if any(word in text for text in texts):
            return word
    usage = attributes.get("usagetype", "")
    if "UnusedBox" in usage or "Reservation" in usage:
        return f"reservation usage type {usage}"
    all_free = all(Decimal(d["pricePerUnit"].get("USD", "0")) == 0 for d in dimensions)
    if all_free and ("Free" in usage or any("free tier" in t.lower() for t in texts)):
        return "free-tier SKU"
    return ""


def _dimension_tier(dimension: Mapping[str, Any]) -> Tier:
    end = dimension.get("endRange", "Inf")
    return Tier(
        begin=Decimal(dimension.get("beginRange", "0")),
        end=None if end in ("Inf", "", None) else Decimal(end),
        usd=Decimal(dimension["pricePerUnit"]["USD"]),
    )


def choose_price(
    key: PriceKey, items: Sequence[Mapping[str, Any]], fetched_at: datetime
) -> ResolvedPrice:
    """The one on-demand price among decoded PriceList items, or PriceUnavailable."""
    candidates: dict[tuple[Any, ...], ResolvedPrice] = {}
    skipped: list[str] = []
    for item in items:
        product = item.get("product", {})
        attributes: Mapping[str, str] = product.get("attributes", {})
        sku = product.get("sku", "?")
        for term in item.get("terms", {}).get("OnDemand", {}).values():
            dimensions = list(term.get("priceDimensions", {}).values())
            if not dimensions:
                continue
            why = _excluded(attributes, dimensions)
            if why:
                skipped.append(f"{sku} ({why})")
                continue
            # Several units under one product (hours and GB of a NAT gateway share filters):
            # keep the dimensions in the key's unit, if any are.
            same_unit = [d for d in dimensions if d.get("unit", "").lower() == key.unit.lower()]
            dimensions = same_unit or dimensions
            try:
                dimensions.sort(key=lambda d: Decimal(d.get("beginRange", "0")))
                price = ResolvedPrice(
                    key_id=key.id,
                    sku=sku,
                    unit=dimensions[0].get("unit", key.unit),
                    tiers=tuple(_dimension_tier(d) for d in dimensions),
                    source="api",
                    effective_date=term.get("effectiveDate", "")[:10],
                    fetched_at=fetched_at,
                    description=dimensions[0].get("description", ""),
                )
            except (KeyError, ValueError, InvalidOperation) as e:
                skipped.append(f"{sku} (unreadable price: {e})")
                continue
            signature = (price.unit, tuple((t.begin, t.end, t.usd) for t in price.tiers))
            candidates.setdefault(signature, price)
    prices = list(candidates.values())
    if len(prices) > 1:
        # A $0 row beside a priced one is a trap the attributes did not reveal.
        priced = [p for p in prices if any(t.usd > 0 for t in p.tiers)]
        prices = priced or prices
    if not prices:
        detail = f"; skipped {', '.join(skipped)}" if skipped else ""
        raise PriceUnavailable(key, f"no on-demand price among {len(items)} products{detail}")
    if len(prices) > 1:
        skus = ", ".join(sorted(p.sku for p in prices))
        raise PriceUnavailable(key, f"{len(prices)} different prices match ({skus})")
    return prices[0]


class PriceListClient:
    """Prices keys through a boto3 `pricing` client (made lazily unless given).

    `attempts` bounds the outer retries of a listing that botocore gave up on; the delays are
    `base_delay` × 2^attempt, capped at `max_delay`, slept through the injectable `sleep`.
    `restarts` bounds how many times an expired or invalid pagination token restarts a listing.
    """

    def __init__(
        self,
        client: PricingClient | None = None,
        *,
        attempts: int = 4,
        base_delay: float = 1.0,
        max_delay: float = 20.0,
        restarts: int = 2,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._client = client
        self.attempts, self.base_delay, self.max_delay = attempts, base_delay, max_delay
        self.restarts, self._sleep, self._clock = restarts, sleep, clock

    @property
    def client(self) -> PricingClient:
        if self._client is None:
            self._client = make_pricing_client()
        return self._client

    def get_price(self, key: PriceKey) -> ResolvedPrice:
        items = self.list_products(key)
        return choose_price(key, items, self._clock())

    def list_products(self, key: PriceKey) -> list[dict[str, Any]]:
        """Every product matching the key's filters, decoded, across all pages."""
        attempt = restarts = 0
        while True:
            try:
                return self._list_once(key)
            except ClientError as e:
                error = e.response.get("Error", {})
                code, message = error.get("Code", "?"), error.get("Message", "")
                if code in RESTART and restarts < self.restarts:
                    restarts += 1
                    continue
                if code in RETRYABLE and attempt + 1 < self.attempts:
                    self._backoff(attempt)
                    attempt += 1
                    continue
                tries = f" after {attempt + 1} listings" if code in RETRYABLE else ""
                raise PriceUnavailable(key, f"{code}{tries}: {message}") from e
            except (NoCredentialsError, PartialCredentialsError) as e:
                raise PriceUnavailable(key, f"no AWS credentials: {e}") from e
            except BotoConnectionError as e:
                if attempt + 1 < self.attempts:
                    self._backoff(attempt)
                    attempt += 1
                    continue
                raise PriceUnavailable(key, f"cannot reach the Price List API: {e}") from e
            except BotoCoreError as e:
                raise PriceUnavailable(key, f"{type(e).__name__}: {e}") from e
            except (json.JSONDecodeError, TypeError) as e:
                raise PriceUnavailable(key, f"unreadable PriceList entry: {e}") from e

    def _list_once(self, key: PriceKey) -> list[dict[str, Any]]:
        paginator = self.client.get_paginator("get_products")
        pages = paginator.paginate(
            ServiceCode=key.service_code,
            Filters=key.api_filters(),
            FormatVersion=FORMAT_VERSION,
            PaginationConfig={"PageSize": PAGE_SIZE},
        )
        return [json.loads(entry) for page in pages for entry in page.get("PriceList", [])]

    def _backoff(self, attempt: int) -> None:
        self._sleep(min(self.max_delay, self.base_delay * 2**attempt))
