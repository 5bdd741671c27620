"""The price book: where each price comes from.

Per key, in order: the cache (an API price fetched within `max_age`), the Price List API (if the
mode allows it), the shipped snapshot. API prices are put in the cache. A key the API cannot
price (throttling that outlasted the retries, an ambiguous match...) is answered from the
snapshot, with source "snapshot" and the API's reason kept in the price's note, so an estimate
says line by line where its prices came from and never mixes sources silently.

Modes (`PRICING_SOURCE`): "api" uses the API; "snapshot" uses only the shipped snapshot (the
cache holds API prices, so it is not read either); "auto" uses the API when AWS credentials are
found, else the snapshot.

The cache is anything with the `PriceCache` protocol; `MemoryPriceCache` is the in-process one
(tests, the CLI); the web app's lives in the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Protocol

from journeys.pricing.api import PriceListClient, PriceUnavailable, has_credentials
from journeys.pricing.keys import PriceKey
from journeys.pricing.price import ResolvedPrice
from journeys.pricing.snapshot import Snapshot, check_region

PRICING_SOURCES = ("auto", "api", "snapshot")
# AWS changes list prices rarely and announces it; a week keeps a cold start cheap.
DEFAULT_MAX_AGE = timedelta(days=7)

Progress = Callable[[int, int], None]


class PriceCache(Protocol):
    def get(self, key_id: str, max_age: timedelta) -> ResolvedPrice | None:
        """The cached price of `key_id` if it was fetched at most `max_age` ago."""
        ...

    def put(self, key_id: str, price: ResolvedPrice) -> None: ...

    # Optional: `get_many(key_ids, max_age) -> {key_id: price}` for the fresh ones, in one read.


class MemoryPriceCache:
    """A PriceCache in a dict; freshness is judged by each price's `fetched_at`."""

    def __init__(self, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._prices: dict[str, ResolvedPrice] = {}
        self._clock = clock

    def get(self, key_id: str, max_age: timedelta) -> ResolvedPrice | None:
        price = self._prices.get(key_id)
        if price is None or self._clock() - price.fetched_at > max_age:
            return None
        return price

    def put(self, key_id: str, price: ResolvedPrice) -> None:
        self._prices[key_id] = price

    def __len__(self) -> int:
        return len(self._prices)


class PriceBook:
    def __init__(
        self,
        cache: PriceCache,
        api_client: PriceListClient | None,
        snapshot: Snapshot,
        mode: str = "auto",
        *,
        max_age: timedelta = DEFAULT_MAX_AGE,
        credentials: Callable[[], bool] = has_credentials,
    ) -> None:
        if mode not in PRICING_SOURCES:
            raise ValueError(f"unknown pricing source {mode!r}; use one of {PRICING_SOURCES}")
        if mode == "api" and api_client is None:
            raise ValueError('pricing source "api" needs a Price List API client')
        self.cache, self.api, self.snapshot = cache, api_client, snapshot
        self.mode, self.max_age = mode, max_age
        self.uses_api = api_client is not None and (
            mode == "api" or (mode == "auto" and credentials())
        )

    def resolve(self, key: PriceKey) -> ResolvedPrice:
        """The price of one key; UnsupportedRegion if only the snapshot could price it and the
        snapshot does not cover its region; PriceUnavailable if no source has it."""
        reason = ""
        if self.uses_api:
            cached = self.cache.get(key.id, self.max_age)
            if cached is not None:
                return cached
            assert self.api is not None
            try:
                price = self.api.get_price(key)
            except PriceUnavailable as e:
                reason = f"Price List API: {e.reason}"
            else:
                self.cache.put(key.id, price)
                return price
        fallback = self.snapshot.price(key)
        if fallback is None:
            raise PriceUnavailable(key, "; ".join(filter(None, [reason, "not in the snapshot"])))
        if reason:
            note = f"{reason} — snapshot price used" + (
                f"; {fallback.note}" if fallback.note else ""
            )
            return fallback.with_note(note)
        return fallback

    def resolve_many(
        self, keys: Iterable[PriceKey], progress: Progress | None = None
    ) -> dict[str, ResolvedPrice]:
        """Each distinct key resolved once: {key id: price}. `progress(n, m)` is called after
        each of the m keys."""
        distinct = list({k.id: k for k in keys}.values())
        if not self.uses_api:
            # Fail fast, and with the regions named, rather than on whichever key comes first
            # (a global CloudFront key for an uncovered geography would only say "not found").
            for key in distinct:
                for region in key.regions:
                    check_region(region, self.snapshot.regions)
        # One read of the cache for all keys when it can (a database cache would otherwise
        # be one query per key); `resolve` then only sees the keys it did not hold.
        cached: dict[str, ResolvedPrice] = {}
        get_many = getattr(self.cache, "get_many", None)
        if self.uses_api and get_many is not None:
            cached = get_many([key.id for key in distinct], self.max_age)
        prices: dict[str, ResolvedPrice] = {}
        for n, key in enumerate(distinct, start=1):
            prices[key.id] = cached.get(key.id) or self.resolve(key)
            if progress is not None:
                progress(n, len(distinct))
        return prices
