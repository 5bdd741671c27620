"""A resolved unit price: what one price key costs, in tiers, with where the figure came from.

Prices are `Decimal`s from the moment they are read (the Price List and the snapshot both publish
them as strings), so that an estimate line is exactly quantity × unit price. `to_dict` and
`from_dict` give a plain-JSON round trip: the database cache stores prices in that form.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Context, Decimal
from typing import Any

# Enough digits that no product or sum of prices and quantities is ever rounded: a price has at
# most 10 decimals, a quantity a few more, and totals stay far below 10^20.
EXACT = Context(prec=80)

SOURCES = ("api", "snapshot")


def decimal(value: Any) -> Decimal:
    """A Decimal from a JSON string, an int or a float, without binary noise (0.1 -> 0.1)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError("a price or quantity cannot be a bool")
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def plain(value: Decimal) -> str:
    """A Decimal as a plain string: no exponent, no trailing zeros ("16.917228", "10")."""
    text = format(value.normalize(EXACT), "f")
    return "0" if text in ("-0", "") else text


@dataclass(frozen=True)
class Tier:
    """One price band: `usd` per unit for the units from `begin` up to `end` (None: no end)."""

    begin: Decimal
    end: Decimal | None
    usd: Decimal

    def to_dict(self) -> dict[str, Any]:
        return {
            "begin": plain(self.begin),
            "end": None if self.end is None else plain(self.end),
            "usd": str(self.usd),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Tier:
        end = data.get("end")
        return cls(
            decimal(data["begin"]), None if end is None else decimal(end), decimal(data["usd"])
        )


def check_tiers(tiers: Iterable[Tier]) -> tuple[Tier, ...]:
    """The tiers sorted, or ValueError unless they run from 0 without gaps to an open end."""
    ordered = tuple(sorted(tiers, key=lambda t: t.begin))
    if not ordered:
        raise ValueError("a price needs at least one tier")
    expected = Decimal(0)
    for tier in ordered:
        if tier.begin != expected:
            raise ValueError(f"tiers must be contiguous from 0: a tier starts at {tier.begin}")
        if tier.end is None:
            if tier is not ordered[-1]:
                raise ValueError("only the last tier may be open-ended")
            break
        if tier.end <= tier.begin:
            raise ValueError(f"empty tier {tier.begin}–{tier.end}")
        expected = tier.end
    if ordered[-1].end is not None:
        raise ValueError("the last tier must be open-ended")
    if any(t.usd < 0 for t in ordered):
        raise ValueError("a price cannot be negative")
    return ordered


def split_by_tiers(quantity: Decimal, tiers: Iterable[Tier]) -> list[tuple[Decimal, Tier]]:
    """How much of `quantity` falls in each tier, lowest first; tiers it does not reach are left
    out. The parts add up to `quantity` exactly."""
    parts = []
    for tier in tiers:
        if quantity <= tier.begin:
            break
        top = quantity if tier.end is None else min(quantity, tier.end)
        parts.append((EXACT.subtract(top, tier.begin), tier))
    return parts


def tiered_cost(quantity: Decimal, tiers: Iterable[Tier]) -> Decimal:
    """What `quantity` units cost, applied tier by tier."""
    total = Decimal(0)
    for part, tier in split_by_tiers(quantity, tiers):
        total = EXACT.add(total, EXACT.multiply(part, tier.usd))
    return total


@dataclass(frozen=True)
class ResolvedPrice:
    """The price of one key. `source` is "api" or "snapshot"; `note` says why a figure is
    derived, or why the API was not used for this key (the snapshot stood in). `derived` marks a
    figure that is not published for this key's region: the us-east-1 price stands in for it."""

    key_id: str
    sku: str
    unit: str
    tiers: tuple[Tier, ...]
    source: str
    effective_date: str  # ISO date the price took effect (API term) or was published (snapshot)
    fetched_at: datetime
    description: str = ""
    currency: str = "USD"
    note: str = ""
    derived: bool = False

    def __post_init__(self) -> None:
        if self.source not in SOURCES:
            raise ValueError(f"unknown price source {self.source!r}; use one of {SOURCES}")
        if self.fetched_at.tzinfo is None:
            raise ValueError("fetched_at must be timezone-aware")
        object.__setattr__(self, "tiers", check_tiers(self.tiers))

    @property
    def tiered(self) -> bool:
        return len(self.tiers) > 1

    @property
    def unit_price(self) -> Decimal:
        """The first tier's price: the whole price of an untiered key."""
        return self.tiers[0].usd

    def with_note(self, note: str) -> ResolvedPrice:
        return replace(self, note=note)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key_id": self.key_id,
            "sku": self.sku,
            "unit": self.unit,
            "currency": self.currency,
            "tiers": [t.to_dict() for t in self.tiers],
            "source": self.source,
            "effective_date": self.effective_date,
            "fetched_at": self.fetched_at.isoformat(),
            "description": self.description,
            "note": self.note,
            "derived": self.derived,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ResolvedPrice:
        return cls(
            key_id=data["key_id"],
            sku=data["sku"],
            unit=data["unit"],
            tiers=tuple(Tier.from_dict(t) for t in data["tiers"]),
            source=data["source"],
            effective_date=data["effective_date"],
            fetched_at=datetime.fromisoformat(data["fetched_at"]),
            description=data.get("description", ""),
            currency=data.get("currency", "USD"),
            note=data.get("note", ""),
            derived=bool(data.get("derived", False)),
        )
