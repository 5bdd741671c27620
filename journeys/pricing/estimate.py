"""Estimate arithmetic: an architecture state and its prices -> line items and totals.

Pure and exact: quantities and prices are `Decimal`s, every line is exactly quantity × unit
price, totals are exact sums, and nothing is rounded until display (`journeys.pricing.price.plain`
writes the numbers out as plain decimal strings). The one inexact figure is the cost per
customer, a division, carried to 28 significant digits.

A month is `vocabulary.HOURS_PER_MONTH` = 730 hours, as AWS prices it and as the engine sizes
usage.

A tiered price is applied tier by tier, one line per tier used, each line still quantity × its
tier's price. With `free_tier=True` the allowances of `free_tier.FREE_TIER` come off first, as a
$0 line; the billable rest then starts at the first tier (the Price List counts tier ranges in
billable units). Usages AWS does not bill show as $0 lines with the reason; usages of zero
quantity make no line (the component total still shows).

Components in the DR region (ids prefixed "dr-") form the "dr" group; the rest, global edge
services included, form the "primary" group.

Every line says what it assumes in plain words (`wording.assumes`), and a line whose price is
not published for its region (the us-east-1 price stands in, "derived" in the snapshot) says
"estimated from the us-east-1 price"; the estimate counts those lines and their dollars, and
lists the assumptions that move the total most (the costliest usages, with their share).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, getcontext
from typing import Any

from journeys.engine.state import ArchitectureState, Component
from journeys.pricing.free_tier import allowance
from journeys.pricing.keys import NoCharge, PriceKey, Split, state_charges
from journeys.pricing.price import EXACT, ResolvedPrice, Tier, decimal, plain, split_by_tiers
from journeys.pricing.wording import assumes
from journeys.vocabulary import HOURS_PER_MONTH

MONTHS_PER_YEAR = 12
GROUPS = ("primary", "dr")
NO_CHARGE_SOURCE = "no charge"
ESTIMATED_FROM = "us-east-1"
ESTIMATED_WORDS = "estimated from the us-east-1 price"
KEY_ASSUMPTIONS = 5  # how many of the costliest usages the estimate names


class MissingPrice(KeyError):
    """An estimate asked for a price the caller did not resolve."""

    def __init__(self, key: PriceKey, component_id: str) -> None:
        super().__init__(f"no price for {key.id} (needed by {component_id})")
        self.key, self.component_id = key, component_id


@dataclass(frozen=True)
class Line:
    component_id: str
    component_label: str
    region: str
    group: str
    usage: str
    service_code: str
    description: str
    attributes: Mapping[str, str]
    quantity: Decimal
    unit: str
    unit_price_usd: Decimal
    source: str
    price_key: str = ""
    sku: str = ""
    note: str = ""
    free_tier: bool = False
    assumes: str = ""
    estimated_from: str = ""  # the region whose price stands in for an unpublished one

    @property
    def monthly_usd(self) -> Decimal:
        return EXACT.multiply(self.quantity, self.unit_price_usd)

    @property
    def price_basis(self) -> str:
        return ESTIMATED_WORDS if self.estimated_from else ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "component": self.component_id,
            "component_label": self.component_label,
            "group": self.group,
            "region": self.region,
            "usage": self.usage,
            "service_code": self.service_code,
            "description": self.description,
            "attributes": dict(self.attributes),
            "quantity": plain(self.quantity),
            "unit": self.unit,
            "unit_price_usd": plain(self.unit_price_usd),
            "monthly_usd": plain(self.monthly_usd),
            "source": self.source,
            "price_key": self.price_key,
            "sku": self.sku,
            "note": self.note,
            "free_tier": self.free_tier,
            "assumes": self.assumes,
            "estimated_from": self.estimated_from,
            "price_basis": self.price_basis,
        }


@dataclass(frozen=True)
class KeyAssumption:
    """One of the usages that move the total most: what it assumes and what it costs."""

    component_id: str
    component_label: str
    usage: str
    assumes: str
    monthly_usd: Decimal
    share: Decimal  # of the monthly total, 0..1

    def to_dict(self) -> dict[str, Any]:
        return {
            "component": self.component_id,
            "component_label": self.component_label,
            "usage": self.usage,
            "assumes": self.assumes,
            "monthly_usd": plain(self.monthly_usd),
            "share": plain(self.share.quantize(Decimal("0.0001"))),
        }


@dataclass(frozen=True)
class ComponentCost:
    component_id: str
    label: str
    kind: str
    region: str
    group: str
    monthly_usd: Decimal

    def to_dict(self) -> dict[str, Any]:
        return {
            "component": self.component_id,
            "label": self.label,
            "kind": self.kind,
            "region": self.region,
            "group": self.group,
            "monthly_usd": plain(self.monthly_usd),
        }


@dataclass(frozen=True)
class Estimate:
    stage: str
    region: str
    dr_region: str
    customers: int
    free_tier: bool
    lines: tuple[Line, ...]
    components: tuple[ComponentCost, ...]
    sources: frozenset[str]
    oldest_price_date: str | None
    notes: tuple[str, ...] = field(default=())
    key_assumptions: tuple[KeyAssumption, ...] = field(default=())

    @property
    def estimated_lines(self) -> tuple[Line, ...]:
        """The billed lines whose price is estimated from the us-east-1 price."""
        return tuple(x for x in self.lines if x.estimated_from and x.monthly_usd > 0)

    @property
    def estimated_usd(self) -> Decimal:
        return _sum(x.monthly_usd for x in self.estimated_lines)

    @property
    def monthly_usd(self) -> Decimal:
        return _sum(c.monthly_usd for c in self.components)

    @property
    def yearly_usd(self) -> Decimal:
        return EXACT.multiply(self.monthly_usd, Decimal(MONTHS_PER_YEAR))

    @property
    def per_customer_usd(self) -> Decimal:
        return getcontext().divide(self.monthly_usd, Decimal(self.customers))

    @property
    def groups(self) -> dict[str, Decimal]:
        return {g: _sum(c.monthly_usd for c in self.components if c.group == g) for g in GROUPS}

    def component_total(self, component_id: str) -> Decimal:
        return next(c.monthly_usd for c in self.components if c.component_id == component_id)

    def to_dict(self) -> dict[str, Any]:
        """The stage's estimate as JSON: every number a plain decimal string."""
        return {
            "stage": self.stage,
            "region": self.region,
            "dr_region": self.dr_region,
            "currency": "USD",
            "hours_per_month": HOURS_PER_MONTH,
            "customers": self.customers,
            "free_tier": self.free_tier,
            "monthly_usd": plain(self.monthly_usd),
            "yearly_usd": plain(self.yearly_usd),
            "per_customer_usd": plain(self.per_customer_usd),
            "groups": {g: plain(v) for g, v in self.groups.items()},
            "components": [c.to_dict() for c in self.components],
            "sources": sorted(self.sources),
            "oldest_price_date": self.oldest_price_date,
            "notes": list(self.notes),
            "estimated_lines": len(self.estimated_lines),
            "estimated_usd": plain(self.estimated_usd),
            "key_assumptions": [k.to_dict() for k in self.key_assumptions],
            "lines": [line.to_dict() for line in self.lines],
        }


def _sum(values: Any) -> Decimal:
    total = Decimal(0)
    for v in values:
        total = EXACT.add(total, v)
    return total


def group_of(component: Component, state: ArchitectureState) -> str:
    # When recovery stays in the region (data residency), the DR region is the region itself.
    in_dr_region = component.region == state.dr_region and not state.recovers_in_region
    return "dr" if component.id.startswith("dr-") or in_dr_region else "primary"


def _tier_range(tier: Tier, unit: str) -> str:
    if tier.begin == 0:
        return f"first {tier.end:,} {unit}" if tier.end is not None else ""
    if tier.end is None:
        return f"over {tier.begin:,} {unit}"
    return f"{tier.begin:,}–{tier.end:,} {unit}"


def _tier_attributes(tier: Tier) -> dict[str, str]:
    return {
        "beginRange": plain(tier.begin),
        "endRange": "Inf" if tier.end is None else plain(tier.end),
    }


def estimate(
    state: ArchitectureState,
    prices: Mapping[str, ResolvedPrice],
    customers: int,
    *,
    free_tier: bool = False,
) -> Estimate:
    """The estimate of one stage. `prices` maps price key ids (see `keys.state_keys`) to their
    resolved prices; a missing one raises MissingPrice. `customers` divides the monthly cost."""
    if customers < 1:
        raise ValueError("customers must be at least 1")
    remaining: dict[str, Decimal] = {}  # free-tier pools left, shared by the whole estimate
    lines: list[Line] = []
    used: list[ResolvedPrice] = []
    usages: dict[tuple[str, str], tuple[Component, Decimal]] = {}
    for component, usage, charge in state_charges(state):
        quantity = decimal(component.usage[usage])
        if quantity == 0:
            continue
        usages[(component.id, usage)] = (component, quantity)
        base = {
            "component_id": component.id,
            "component_label": component.label,
            "region": component.region,
            "group": group_of(component, state),
            "usage": usage,
        }
        pieces: list[tuple[Decimal, PriceKey | NoCharge, str]] = (
            [(amount, part.charge, part.where) for amount, part in charge.divide(quantity)]
            if isinstance(charge, Split)
            else [(quantity, charge, "")]
        )
        for amount, one, where in pieces:
            if amount > 0:
                lines += _lines(
                    base, component, usage, one, amount, where, prices, used, remaining, free_tier
                )
    components = tuple(
        ComponentCost(
            component_id=c.id,
            label=c.label,
            kind=c.kind,
            region=c.region,
            group=group_of(c, state),
            monthly_usd=_sum(line.monthly_usd for line in lines if line.component_id == c.id),
        )
        for c in state.components
    )
    notes = tuple(dict.fromkeys(f"{p.key_id}: {p.note}" for p in used if p.note))
    return Estimate(
        stage=state.stage,
        region=state.region,
        dr_region=state.dr_region,
        customers=customers,
        free_tier=free_tier,
        lines=tuple(lines),
        components=components,
        sources=frozenset(p.source for p in used),
        oldest_price_date=min((p.effective_date for p in used), default=None),
        notes=notes,
        key_assumptions=_key_assumptions(lines, usages),
    )


def _lines(
    base: dict[str, Any],
    component: Component,
    usage: str,
    charge: PriceKey | NoCharge,
    quantity: Decimal,
    where: str,
    prices: Mapping[str, ResolvedPrice],
    used: list[ResolvedPrice],
    remaining: dict[str, Decimal],
    free_tier: bool,
) -> list[Line]:
    """The lines of one priced quantity: free-tier part, then tier by tier."""
    words = assumes(component, usage, quantity, where)
    if isinstance(charge, NoCharge):
        return [
            Line(
                **base,
                service_code=charge.service_code,
                description=charge.reason,
                attributes={},
                quantity=quantity,
                unit=charge.unit,
                unit_price_usd=Decimal(0),
                source=NO_CHARGE_SOURCE,
                assumes=words,
            )
        ]
    price = prices.get(charge.id)
    if price is None:
        raise MissingPrice(charge, component.id)
    used.append(price)
    common = {
        **base,
        "service_code": charge.service_code,
        "unit": price.unit,
        "source": price.source,
        "price_key": charge.id,
        "sku": price.sku,
        "note": price.note,
        "assumes": words,
        "estimated_from": ESTIMATED_FROM if price.derived and charge.region != "us-east-1" else "",
    }
    title = price.description or f"{charge.service_code} {usage}"
    if where:
        title = f"{title} — {where}"
    out: list[Line] = []
    billable = quantity
    offer = allowance(charge, usage) if free_tier else None
    if offer is not None:
        left = remaining.setdefault(offer.pool, offer.quantity)
        free = min(left, quantity)
        if free > 0:
            remaining[offer.pool] = EXACT.subtract(left, free)
            billable = EXACT.subtract(quantity, free)
            out.append(
                Line(
                    **common,
                    description=f"{title} — free tier ({offer.description})",
                    attributes=dict(charge.filters),
                    quantity=free,
                    unit_price_usd=Decimal(0),
                    free_tier=True,
                )
            )
    for part, tier in split_by_tiers(billable, price.tiers):
        attributes = dict(charge.filters)
        description = title
        if price.tiered:
            attributes |= _tier_attributes(tier)
            description = f"{title} — {_tier_range(tier, price.unit)}"
        out.append(
            Line(
                **common,
                description=description,
                attributes=attributes,
                quantity=part,
                unit_price_usd=tier.usd,
            )
        )
    return out


def _key_assumptions(
    lines: list[Line], usages: Mapping[tuple[str, str], tuple[Component, Decimal]]
) -> tuple[KeyAssumption, ...]:
    """The costliest usages (all their lines together), with what each assumes."""
    cost: dict[tuple[str, str], Decimal] = {}
    for line in lines:
        key = (line.component_id, line.usage)
        cost[key] = EXACT.add(cost.get(key, Decimal(0)), line.monthly_usd)
    total = _sum(cost.values())
    if total == 0:
        return ()
    top = sorted((k for k in cost if cost[k] > 0), key=lambda k: (-cost[k], k))[:KEY_ASSUMPTIONS]
    out = []
    for cid, usage in top:
        component, quantity = usages[(cid, usage)]
        out.append(
            KeyAssumption(
                component_id=cid,
                component_label=component.label,
                usage=usage,
                assumes=assumes(component, usage, quantity),
                monthly_usd=cost[(cid, usage)],
                share=getcontext().divide(cost[(cid, usage)], total),
            )
        )
    return tuple(out)
