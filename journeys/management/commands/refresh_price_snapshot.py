"""Rebuild the shipped price snapshot from the AWS Price List Query API.

    manage.py refresh_price_snapshot [--regions us-east-1 eu-west-1 ...] [--output PATH]

Fetches every key of `key_set.snapshot_keys(regions)` (the set the engine can need, as the offline
builder uses) and writes a "price-snapshot/1" file. Without AWS credentials it stops before any
call. If a key cannot be priced the file is not written, unless --carry-over takes that key's
price from the current snapshot (marked in its note).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from journeys.pricing.api import (
    PriceListClient,
    PriceUnavailable,
    has_credentials,
    make_pricing_client,
)
from journeys.pricing.key_set import snapshot_keys
from journeys.pricing.snapshot import (
    SNAPSHOT_PATH,
    SUPPORTED_REGIONS,
    Snapshot,
    snapshot_document,
    snapshot_entry,
    write_snapshot,
)

SOURCE = "AWS Price List Query API (GetProducts, FormatVersion aws_v1, OnDemand terms)"
LICENCE = "AWS published list prices (facts), fetched from the AWS Price List Query API"


class Command(BaseCommand):
    help = "Rebuild the price snapshot from the AWS Price List API (needs AWS credentials)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--regions", nargs="+", default=list(SUPPORTED_REGIONS))
        parser.add_argument("--output", type=Path, default=SNAPSHOT_PATH)
        parser.add_argument("--max-attempts", type=int, default=5)
        parser.add_argument(
            "--carry-over",
            action="store_true",
            help="take the current snapshot's price for keys the API cannot price",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not has_credentials():
            raise CommandError(
                "No AWS credentials found (environment, shared config or instance role): the "
                "Price List API needs them. The snapshot was not changed."
            )
        regions: list[str] = options["regions"]
        client = PriceListClient(make_pricing_client(options["max_attempts"]))
        current = Snapshot.load() if options["carry_over"] else None
        keys = snapshot_keys(regions)
        entries, failures = {}, []
        for n, key in enumerate(keys, start=1):
            try:
                entries[key.id] = snapshot_entry(client.get_price(key))
            except PriceUnavailable as e:
                old = current.price(key) if current is not None and key.id in current else None
                if current is None or old is None:
                    failures.append(str(e))
                    continue
                entries[key.id] = snapshot_entry(
                    old, note=f"carried over from {current.source} ({e.reason})"
                )
            if n % 50 == 0 or n == len(keys):
                self.stdout.write(f"{n}/{len(keys)} prices")
        if failures:
            shown = "\n  ".join(failures[:20])
            more = f"\n  … and {len(failures) - 20} more" if len(failures) > 20 else ""
            raise CommandError(
                f"{len(failures)} of {len(keys)} keys have no API price; snapshot not written "
                f"(--carry-over keeps the current prices for them):\n  {shown}{more}"
            )
        now = datetime.now(UTC)
        document = snapshot_document(
            entries,
            source=SOURCE,
            source_date=now.date().isoformat(),
            licence=LICENCE,
            regions=regions,
            notes=[f"Fetched from the Price List API on {now.date().isoformat()}."],
            built_at=now,
        )
        write_snapshot(document, options["output"])
        self.stdout.write(self.style.SUCCESS(f"{len(entries)} prices -> {options['output']}"))
