"""Estimate jobs: find or queue the cost estimate of a stage's state, and price it (in a
worker) through the price book: database cache, then the Price List API, then the snapshot."""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from journeys import catalog, engine
from journeys.architecture import StageFacts, facts_from_values
from journeys.milestones import milestone_state
from journeys.models import Estimate, Journey, Milestone, PriceEntry
from journeys.pricing.api import PriceListClient, PriceUnavailable
from journeys.pricing.book import PriceBook
from journeys.pricing.estimate import MissingPrice, estimate
from journeys.pricing.keys import state_keys
from journeys.pricing.price import ResolvedPrice
from journeys.pricing.snapshot import Snapshot, UnsupportedRegion
from journeys.pricing.suggestions import suggest, suggestion_keys


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
    mode = settings.PRICING_SOURCE
    client = PriceListClient() if mode in ("auto", "api") else None
    return PriceBook(
        DatabasePriceCache(),
        client,
        Snapshot.load(),
        mode,
        max_age=timedelta(hours=settings.PRICE_CACHE_TTL_HOURS),
    )


def estimate_key(
    state: engine.ArchitectureState, customers: int, traffic_pattern: str, free_tier: bool
) -> str:
    parts = [state.hash, customers, traffic_pattern, free_tier, settings.PRICING_SOURCE]
    text = json.dumps(parts, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def ensure_estimate(
    journey: Journey, stage: str, state: engine.ArchitectureState, facts: StageFacts
) -> Estimate:
    """The estimate row of this state: found, or queued for the pricing worker."""
    free_tier = settings.PRICING_FREE_TIER
    row, created = Estimate.objects.get_or_create(
        journey=journey,
        stage=stage,
        estimate_key=estimate_key(state, facts.customers, facts.traffic_pattern, free_tier),
        defaults={
            "state_hash": state.hash,
            "state": state.to_dict(),
            "customers": facts.customers,
            "traffic_pattern": facts.traffic_pattern,
            "free_tier": free_tier,
        },
    )
    if created:
        row.supersede_queued()
        enqueue(row)
    return row


def milestone_estimate_for(journey: Journey, milestone: Milestone) -> Estimate:
    """A milestone's estimate, from its frozen state and the answers frozen with it."""
    values = {
        qid: entry.get("value")
        for qid, entry in milestone.answers.items()
        if not entry.get("not_applicable")
    }
    facts = facts_from_values(milestone.stage, values)
    return ensure_estimate(journey, milestone.stage, milestone_state(milestone), facts)


def enqueue(row: Estimate) -> None:
    from journeys.tasks import estimate_stage

    transaction.on_commit(lambda: estimate_stage.delay(row.pk))


def retry(row: Estimate) -> None:
    if row.requeue():
        enqueue(row)


def latest_done(journey: Journey, stage: str) -> Estimate | None:
    """The newest finished estimate of a stage: shown while a newer one is pending or failed."""
    return (
        Estimate.objects.filter(journey=journey, stage=stage, status=Estimate.DONE)
        .order_by("-finished", "-id")
        .first()
    )


def run(estimate_id: int, book: PriceBook | None = None) -> Estimate | None:
    """Price a claimed estimate; the plain function behind the task."""
    row = Estimate.objects.filter(pk=estimate_id).first()
    if row is None:
        return None
    state = engine.ArchitectureState.from_dict(row.state)
    book = book or price_book()
    keys = state_keys(state) + suggestion_keys(state)

    def progress(done: int, total: int) -> None:
        # Every few prices, not every one: the row is read by the polling page.
        if done == total or done % 5 == 0:
            Estimate.objects.filter(pk=row.pk).update(progress_done=done, progress_total=total)

    try:
        prices = book.resolve_many(keys, progress=progress)
        result = estimate(state, prices, row.customers, free_tier=row.free_tier)
    except UnsupportedRegion as error:
        row.fail(str(error))
        return row
    except (PriceUnavailable, MissingPrice) as error:
        row.fail(f"A price could not be found: {error}")
        return row
    data = result.to_dict()
    tips = suggest(state, result, prices, traffic_pattern=row.traffic_pattern or None)
    data["suggestions"] = [tip.to_dict() for tip in tips]
    row.finish(
        result=data,
        monthly_usd=Decimal(str(data["monthly_usd"])),
        sources=sorted(data["sources"]),
        oldest_price_date=data.get("oldest_price_date") or "",
        reason="",
    )
    return row


def stage_summary(rows: Mapping[str, Estimate | None]) -> list[dict[str, Any]]:
    """Monthly cost and cost per customer per stage, for the chart and the summary table."""
    summary = []
    for stage in catalog.STAGE_SLUGS:
        row = rows.get(stage)
        data = row.result if row is not None and row.result else None
        summary.append(
            {
                "stage": stage,
                "customers": row.customers if row is not None else None,
                "monthly_usd": Decimal(str(data["monthly_usd"])) if data else None,
                "yearly_usd": Decimal(str(data["yearly_usd"])) if data else None,
                "per_customer_usd": Decimal(str(data["per_customer_usd"])) if data else None,
            }
        )
    return summary


CSV_COLUMNS = (
    "component",
    "service_code",
    "description",
    "quantity",
    "unit",
    "unit_price_usd",
    "monthly_usd",
    "source",
    "attributes",
)


def write_csv(row: Estimate, out: Any) -> None:
    """The line items as CSV, in the spirit of the AWS Pricing Calculator's export."""
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for line in row.result["lines"]:
        attributes = ";".join(f"{k}={v}" for k, v in sorted(line["attributes"].items()))
        writer.writerow([_cell(line[c]) for c in CSV_COLUMNS[:-1]] + [_cell(attributes)])
    writer.writerow([])
    writer.writerow(["total", "", "monthly", "", "", "", row.result["monthly_usd"], "", ""])
    writer.writerow(["total", "", "yearly", "", "", "", row.result["yearly_usd"], "", ""])
    writer.writerow(
        ["total", "", "per customer per month", "", "", "", row.result["per_customer_usd"], "", ""]
    )


def _cell(value: Any) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


LINE_KEYS = (
    "component",
    "service_code",
    "description",
    "attributes",
    "quantity",
    "unit",
    "unit_price_usd",
    "monthly_usd",
    "source",
)


def as_json(journey: Journey, rows: Mapping[str, Estimate]) -> dict[str, Any]:
    """The documented estimate document of `manage.py estimate_journey`."""
    stages = {}
    for stage, row in rows.items():
        r = row.result
        stages[stage] = {
            "monthly_usd": r["monthly_usd"],
            "yearly_usd": r["yearly_usd"],
            "per_customer_usd": r["per_customer_usd"],
            "lines": [{k: line[k] for k in LINE_KEYS} for line in r["lines"]],
        }
    dates = [row.oldest_price_date for row in rows.values() if row.oldest_price_date]
    return {
        "journey": journey.pk,
        "stages": stages,
        "sources": sorted({s for row in rows.values() for s in row.sources}),
        "oldest_price_date": min(dates) if dates else None,
    }


def as_text(journey: Journey, rows: Mapping[str, Estimate]) -> str:
    out = [f"{journey.name} — monthly cost estimate"]
    for stage, row in rows.items():
        r = row.result
        out.append("")
        out.append(
            f"{stage}: {Decimal(r['monthly_usd']):,.2f} USD a month, "
            f"{Decimal(r['yearly_usd']):,.2f} a year, "
            f"{Decimal(r['per_customer_usd']):,.4f} per customer ({row.customers:,} customers)"
        )
        for line in sorted(r["lines"], key=lambda x: Decimal(x["monthly_usd"]), reverse=True):
            out.append(
                f"  {Decimal(line['monthly_usd']):>12,.2f}  {line['component']:<18} "
                f"{line['description']} ({line['quantity']} {line['unit']} × "
                f"{line['unit_price_usd']}, {line['source']})"
            )
    return "\n".join(out) + "\n"
