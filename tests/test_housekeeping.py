"""What Celery beat sends besides the reaper: pruning old share links and exports, and
refreshing prices near the end of their cache TTL."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from journeys.jobs import housekeeping
from journeys.models import Export, Journey, PriceEntry, ShareLink
from journeys.pricing import keys as K
from journeys.pricing.api import PriceListClient
from journeys.pricing.book import PriceBook
from journeys.pricing.cache import DatabasePriceCache
from tests.conftest import share_link
from tests.test_pricing_book import SNAPSHOT, FakePriceList


def aged(link: ShareLink, **expired_ago: Any) -> ShareLink:
    ShareLink.objects.filter(pk=link.pk).update(expires=timezone.now() - timedelta(**expired_ago))
    return link


def test_the_schedule_sends_the_reaper_the_pruning_and_the_price_refresh(settings: Any) -> None:
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert tasks == {
        "journeys.tasks.reap_jobs",
        "journeys.tasks.prune",
        "journeys.tasks.refresh_prices",
    }


def test_share_links_long_expired_or_revoked_are_deleted_and_recent_ones_kept(
    journey: Journey, editor: User, settings: Any
) -> None:
    settings.SHARE_LINK_KEEP_DAYS = 30
    old = aged(share_link(journey, editor, "old"), days=31)
    recent = aged(share_link(journey, editor, "recent"), days=2)
    live = share_link(journey, editor, "live")
    revoked = share_link(journey, editor, "revoked long ago")
    ShareLink.objects.filter(pk=revoked.pk).update(revoked=timezone.now() - timedelta(days=40))
    done = housekeeping.prune()
    assert done.share_links == 2
    assert set(ShareLink.objects.values_list("pk", flat=True)) == {recent.pk, live.pk}
    assert not ShareLink.objects.filter(pk=old.pk).exists()


def export_with(journey: Journey, name: str, days_old: int, status: str = Export.DONE) -> Export:
    export = Export.objects.create(journey=journey, page_size="A4", status=status)
    if status == Export.DONE:
        stored = default_storage.save(f"roadmaps/{name}", ContentFile(b"%PDF-1.7"))
        export.file.name = stored
    export.created = timezone.now() - timedelta(days=days_old)
    export.save()
    return export


def test_exports_past_the_retention_go_with_their_files_unless_a_newer_one_shares_the_file(
    journey: Journey, settings: Any
) -> None:
    settings.EXPORT_RETENTION_DAYS = 90
    old = export_with(journey, "old.pdf", 91)
    shared_old = export_with(journey, "shared.pdf", 100)
    newer_twin = Export.objects.create(
        journey=journey, page_size="A4", status=Export.DONE, file=shared_old.file.name
    )
    running = export_with(journey, "", 120, status=Export.RUNNING)
    recent = export_with(journey, "recent.pdf", 5)

    done = housekeeping.prune()
    assert (done.exports, done.files) == (2, 1)
    assert set(Export.objects.values_list("pk", flat=True)) == {
        newer_twin.pk,
        running.pk,
        recent.pk,
    }
    assert not default_storage.exists(str(old.file.name))
    assert default_storage.exists(str(shared_old.file.name))
    assert default_storage.exists(str(recent.file.name))


def test_price_keys_read_back_from_their_cache_ids() -> None:
    for key in (
        K.ec2_instance("eu-west-1", "m6g.large"),
        K.inter_region("us-east-1", "ca-central-1"),
    ):
        assert housekeeping.key_of(key.id) == key
    assert housekeeping.key_of("not-a-key") is None


def test_prices_near_the_end_of_their_ttl_are_fetched_again_and_fresh_ones_left(
    db: Any, settings: Any
) -> None:
    settings.PRICE_REFRESH_AHEAD_HOURS = 12
    fake = FakePriceList()
    book = PriceBook(
        DatabasePriceCache(),
        PriceListClient(fake.client),
        SNAPSHOT,
        "api",
        max_age=timedelta(hours=168),
    )
    due, fresh = K.ec2_instance("us-east-1", "t3.medium"), K.ec2_instance("eu-west-1", "m6g.large")
    for key, hours_old in ((due, 160), (fresh, 10)):
        assert book.api is not None
        price = book.api.get_price(key)
        PriceEntry.objects.create(
            key_id=key.id,
            price=price.to_dict(),
            fetched_at=timezone.now() - timedelta(hours=hours_old),
        )
    fake.listings.clear()

    assert housekeeping.refresh_prices(book) == 1
    assert len(fake.listings) == 1
    refreshed = PriceEntry.objects.get(key_id=due.id).fetched_at
    assert timezone.now() - refreshed < timedelta(minutes=1)


def test_without_the_price_list_api_nothing_is_refreshed(db: Any, settings: Any) -> None:
    settings.PRICING_SOURCE = "snapshot"
    assert housekeeping.refresh_prices() == 0
