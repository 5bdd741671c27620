"""Periodic housekeeping, sent by Celery beat (settings.CELERY_BEAT_SCHEDULE).

- Share links that expired (or were revoked) more than SHARE_LINK_KEEP_DAYS ago are deleted:
  their page said "expired" long enough; the journey's history keeps who shared what.
- Roadmap exports finished more than EXPORT_RETENTION_DAYS ago are deleted, and their PDF
  with them unless a newer export of the same content shares the file.
- Prices from the Price List API that expire (PRICE_CACHE_TTL_HOURS) within
  PRICE_REFRESH_AHEAD_HOURS are fetched again, so no estimate waits on a cold cache.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Q
from django.utils import timezone

from journeys.models import Export, Job, PriceEntry, ShareLink
from journeys.pricing.api import PriceUnavailable
from journeys.pricing.book import PriceBook
from journeys.pricing.cache import price_book
from journeys.pricing.keys import PriceKey

logger = logging.getLogger(__name__)


@dataclass
class Pruned:
    share_links: int = 0
    exports: int = 0
    files: int = 0


def prune(now: datetime | None = None) -> Pruned:
    now = now or timezone.now()
    done = Pruned()
    link_cutoff = now - timedelta(days=settings.SHARE_LINK_KEEP_DAYS)
    _, deleted = ShareLink.objects.filter(
        Q(expires__lt=link_cutoff) | Q(revoked__lt=link_cutoff)
    ).delete()
    done.share_links = deleted.get(ShareLink._meta.label, 0)
    # Only finished rows: a running export is its worker's.
    old = Export.objects.filter(
        status__in=(Job.DONE, Job.FAILED),
        created__lt=now - timedelta(days=settings.EXPORT_RETENTION_DAYS),
    )
    names = set(old.exclude(file="").values_list("file", flat=True))
    _, deleted = old.delete()
    done.exports = deleted.get(Export._meta.label, 0)
    # Equal content shares one file (exports are content-addressed): keep a file still named.
    still_used = set(Export.objects.filter(file__in=names).values_list("file", flat=True))
    for name in names - still_used:
        default_storage.delete(name)
        done.files += 1
    if done.share_links or done.exports:
        logger.info("Housekeeping: %s", done)
    return done


def key_of(key_id: str) -> PriceKey | None:
    """The price key a cache entry was stored under (`PriceKey.id`), or None for an id this
    version cannot read back exactly (it is then left to expire)."""
    head, _, rest = key_id.partition("?")
    pairs, _, tier = rest.partition("#")
    parts = head.split("/")
    if len(parts) != 3:
        return None
    service, region, unit = parts
    filters = tuple(
        (field, value)
        for field, _, value in (pair.partition("=") for pair in pairs.split("&") if pair)
    )
    try:
        key = PriceKey(service, region, filters, unit, tier)
    except ValueError:
        return None
    return key if key.id == key_id else None


def refresh_prices(book: PriceBook | None = None, now: datetime | None = None) -> int:
    """Fetch again the API prices that expire soon; the number refreshed. Nothing without
    the Price List API (the snapshot does not expire)."""
    book = book or price_book()
    if not book.uses_api or book.api is None:
        return 0
    now = now or timezone.now()
    due = now - book.max_age + timedelta(hours=settings.PRICE_REFRESH_AHEAD_HOURS)
    refreshed = 0
    entries = PriceEntry.objects.filter(fetched_at__lt=due).order_by("fetched_at")
    for key_id in entries.values_list("key_id", flat=True)[: settings.PRICE_REFRESH_BATCH]:
        key = key_of(key_id)
        if key is None:
            continue
        try:
            price = book.api.get_price(key)
        except PriceUnavailable as error:
            # The cached price serves until its TTL; the estimate then says what happened.
            logger.warning("Price refresh of %s failed: %s", key_id, error.reason)
            continue
        book.cache.put(key_id, price)
        refreshed += 1
    if refreshed:
        logger.info("Housekeeping: %d prices refreshed", refreshed)
    return refreshed
