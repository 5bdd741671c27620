"""The shipped price snapshot: real published on-demand prices, with their source and date, so
that estimates work with no AWS credentials and no network.

The file (`data/snapshot.json`) is in our own format, "price-snapshot/1":

    {"format": "price-snapshot/1", "source": "...", "source_date": "2025-06-18",
     "licence": "...", "currency": "USD", "regions": [...], "built_at": "...", "notes": [...],
     "prices": {"<price key id>": {"unit": "Hrs", "tiers": [{"begin": 0, "end": null,
                "usd": "0.0104"}], "sku_or_key": "...", "description": "...",
                "derived": false, "note": ""}}}

`scripts/build_price_snapshot.py` writes it from published price data and
`manage.py refresh_price_snapshot` from the Price List API; nothing reads outside the repository
at run time. A "derived" price is not a published figure for that key (the note says what
stands in for it and why).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from journeys.engine.tables import GLOBAL
from journeys.pricing.keys import PriceKey
from journeys.pricing.price import ResolvedPrice, Tier, check_tiers, plain

SNAPSHOT_FORMAT = "price-snapshot/1"
SNAPSHOT_PATH = Path(__file__).resolve().parent / "data" / "snapshot.json"

# The regions the shipped snapshot prices. Others need the Price List API (credentials).
SUPPORTED_REGIONS: tuple[str, ...] = (
    "us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-west-2", "eu-central-1",
    "ap-south-1", "ap-southeast-1",
)  # fmt: skip


class UnsupportedRegion(ValueError):
    """A region the snapshot has no prices for, with the ones it has."""

    def __init__(self, region: str, supported: Sequence[str] = SUPPORTED_REGIONS) -> None:
        self.region = region
        self.supported = tuple(supported)
        super().__init__(
            f"No shipped prices for region {region}: the price snapshot covers "
            f"{', '.join(self.supported)}. Choose one of those regions, or configure AWS "
            "credentials so that prices come from the AWS Price List API."
        )


class SnapshotError(ValueError):
    """The snapshot file is not in the format this code reads."""


def check_region(region: str, supported: Sequence[str] = SUPPORTED_REGIONS) -> None:
    if region != GLOBAL and region not in supported:
        raise UnsupportedRegion(region, supported)


class Snapshot:
    """A loaded snapshot. `price(key)` gives the key's price with source "snapshot", None for a
    key it does not hold, and raises UnsupportedRegion for a key in a region it does not cover."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        if document.get("format") != SNAPSHOT_FORMAT:
            raise SnapshotError(f"not a {SNAPSHOT_FORMAT} document: {document.get('format')!r}")
        if document.get("currency") != "USD":
            raise SnapshotError("prices must be in USD")
        self.source: str = document["source"]
        self.source_date: str = document["source_date"]
        self.licence: str = document["licence"]
        self.regions: tuple[str, ...] = tuple(document["regions"])
        self.notes: tuple[str, ...] = tuple(document.get("notes", ()))
        built = document.get("built_at") or f"{self.source_date}T00:00:00+00:00"
        self.built_at = datetime.fromisoformat(built)
        self._entries: Mapping[str, Mapping[str, Any]] = document["prices"]

    @classmethod
    def load(cls, path: Path | str | None = None) -> Snapshot:
        """The snapshot at `path` (default: the shipped one), read once per process."""
        return _load(str(Path(path).resolve() if path else SNAPSHOT_PATH))

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key_id: object) -> bool:
        return key_id in self._entries

    def key_ids(self) -> list[str]:
        return list(self._entries)

    def price(self, key: PriceKey) -> ResolvedPrice | None:
        for region in key.regions:
            check_region(region, self.regions)
        entry = self._entries.get(key.id)
        if entry is None:
            return None
        return ResolvedPrice(
            key_id=key.id,
            sku=entry["sku_or_key"],
            unit=entry["unit"],
            tiers=tuple(Tier.from_dict(t) for t in entry["tiers"]),
            source="snapshot",
            effective_date=self.source_date,
            fetched_at=self.built_at,
            description=entry.get("description", ""),
            note=entry.get("note", ""),
            derived=bool(entry.get("derived", False)),
        )


@lru_cache(maxsize=4)
def _load(path: str) -> Snapshot:
    with open(path, encoding="utf-8") as f:
        return Snapshot(json.load(f))


def _number(value: Decimal | None) -> int | str | None:
    # Tier bounds are whole units in practice: written as JSON numbers, like the format shows.
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else plain(value)


def snapshot_entry(
    price: ResolvedPrice, *, derived: bool = False, note: str | None = None
) -> dict[str, Any]:
    """One price in the snapshot's format."""
    return {
        "unit": price.unit,
        "tiers": [
            {"begin": _number(t.begin), "end": _number(t.end), "usd": plain(t.usd)}
            for t in check_tiers(price.tiers)
        ],
        "sku_or_key": price.sku,
        "description": price.description,
        "derived": derived,
        "note": price.note if note is None else note,
    }


def snapshot_document(
    entries: Mapping[str, Mapping[str, Any]],
    *,
    source: str,
    source_date: str,
    licence: str,
    regions: Iterable[str],
    notes: Iterable[str] = (),
    built_at: datetime | None = None,
) -> dict[str, Any]:
    """A complete snapshot document from entries made by `snapshot_entry`."""
    return {
        "format": SNAPSHOT_FORMAT,
        "source": source,
        "source_date": source_date,
        "licence": licence,
        "currency": "USD",
        "regions": list(regions),
        "built_at": (built_at or datetime.now(UTC)).isoformat(timespec="seconds"),
        "notes": list(notes),
        "prices": {k: dict(entries[k]) for k in sorted(entries)},
    }


def write_snapshot(document: Mapping[str, Any], path: Path | str) -> None:
    """Write a document (checked by loading it) as stable, diff-friendly JSON."""
    Snapshot(document)
    text = json.dumps(document, indent=1, ensure_ascii=False) + "\n"
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(target.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(target)
    _load.cache_clear()
