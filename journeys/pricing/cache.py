"""The price book of the web app and its workers: its cache is the database (`PriceEntry`),
shared by every worker, so a warm cache makes no API call within its TTL."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import ClassVar

from django.conf import settings
from django.utils import timezone

from journeys.models import PriceEntry
from journeys.pricing.api import PriceListClient
from journeys.pricing.book import PriceBook
from journeys.pricing.price import ResolvedPrice
from journeys.pricing.snapshot import Snapshot


class DatabasePriceCache:
    """The price book's cache, in the database (`PriceEntry`), shared by every worker.

    Parsed prices are also kept in this process, by key and fetch time: a warm read then asks
    the database only which prices are fresh, not for their JSON again.
    """

    parsed: ClassVar[dict[str, tuple[datetime, ResolvedPrice]]] = {}
    MAX_PARSED = 10_000

    def get(self, key_id: str, max_age: timedelta) -> ResolvedPrice | None:
        entry = PriceEntry.objects.filter(
            key_id=key_id, fetched_at__gte=timezone.now() - max_age
        ).first()
        return ResolvedPrice.from_dict(entry.price) if entry else None

    def get_many(self, key_ids: list[str], max_age: timedelta) -> dict[str, ResolvedPrice]:
        """The fresh prices among `key_ids`, in one query."""
        fresh = PriceEntry.objects.filter(
            key_id__in=key_ids, fetched_at__gte=timezone.now() - max_age
        )
        found: dict[str, ResolvedPrice] = {}
        missing = []
        for key_id, fetched_at in fresh.values_list("key_id", "fetched_at"):
            known = self.parsed.get(key_id)
            if known is not None and known[0] == fetched_at:
                found[key_id] = known[1]
            else:
                missing.append(key_id)
        if missing:
            rows = fresh.filter(key_id__in=missing).values_list("key_id", "fetched_at", "price")
            if len(self.parsed) > self.MAX_PARSED:
                self.parsed.clear()
            for key_id, fetched_at, data in rows:
                found[key_id] = ResolvedPrice.from_dict(data)
                self.parsed[key_id] = (fetched_at, found[key_id])
        return found

    def put(self, key_id: str, price: ResolvedPrice) -> None:
        PriceEntry.objects.update_or_create(
            key_id=key_id, defaults={"price": price.to_dict(), "fetched_at": price.fetched_at}
        )


def price_book() -> PriceBook:
    """The price book as the settings ask for it: database cache, API, snapshot."""
    mode = settings.PRICING_SOURCE
    client = PriceListClient() if mode in ("auto", "api") else None
    return PriceBook(
        DatabasePriceCache(),
        client,
        Snapshot.load(),
        mode,
        max_age=timedelta(hours=settings.PRICE_CACHE_TTL_HOURS),
    )
