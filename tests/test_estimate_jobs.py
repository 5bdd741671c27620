"""Estimate jobs: queued on a new state, priced once, failures keep the previous estimate."""

import csv
import io
import json
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from journeys import architecture
from journeys.jobs import estimates
from journeys.milestones import save_milestone
from journeys.models import Answer, Estimate, Journey, PriceEntry
from journeys.pricing import reports
from journeys.pricing.cache import DatabasePriceCache
from journeys.pricing.price import ResolvedPrice, Tier
from journeys.tasks import estimate_stage

HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def snapshot_prices(settings: Any) -> None:
    settings.PRICING_SOURCE = "snapshot"


def ensure(journey: Journey, stage: str = "growth") -> Estimate:
    answers = architecture.JourneyAnswers.of(journey)
    state = architecture.stage_state(journey, stage, answers)
    return estimates.ensure_estimate(
        journey, stage, state, architecture.stage_facts(stage, answers)
    )


def test_a_new_state_queues_one_estimate_on_commit(
    journey: Journey, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        row = ensure(journey)
        assert ensure(journey).pk == row.pk
    assert row.status == Estimate.QUEUED and len(callbacks) == 1


def test_the_task_prices_every_line_and_records_progress_and_sources(journey: Journey) -> None:
    row = ensure(journey)
    estimate_stage.run(row.pk)
    row.refresh_from_db()
    assert row.status == Estimate.DONE, row.reason
    assert row.progress_done == row.progress_total > 0
    assert row.sources == ["snapshot"]
    assert row.oldest_price_date == "2025-06-18"
    lines = row.result["lines"]
    assert lines and all(
        Decimal(line["quantity"]) * Decimal(line["unit_price_usd"]) == Decimal(line["monthly_usd"])
        for line in lines
    )
    total = sum(Decimal(line["monthly_usd"]) for line in lines)
    assert total == Decimal(row.result["monthly_usd"])
    assert row.monthly_usd == total.quantize(Decimal("0.0001"))  # the column for sorting
    assert Decimal(row.result["yearly_usd"]) == 12 * Decimal(row.result["monthly_usd"])
    per_customer = Decimal(row.result["monthly_usd"]) / row.customers
    assert abs(Decimal(row.result["per_customer_usd"]) - per_customer) < Decimal("1e-12")


def test_a_second_delivery_does_nothing(journey: Journey) -> None:
    row = ensure(journey)
    estimate_stage.run(row.pk)
    row.refresh_from_db()
    finished = row.finished
    estimate_stage.run(row.pk)
    row.refresh_from_db()
    assert row.finished == finished and row.attempts == 1


def test_a_failure_keeps_the_previous_estimate_visible(
    editor_client: Any, journey: Journey, settings: Any
) -> None:
    first = ensure(journey)
    estimate_stage.run(first.pk)
    Answer.objects.create(
        journey=journey, stage="growth", question="peak_rps", value=900, catalogue_version="x"
    )
    journey.region = "sa-east-1"  # not in the shipped snapshot
    journey.save()
    second = ensure(journey)
    estimate_stage.run(second.pk)
    second.refresh_from_db()
    assert second.status == Estimate.FAILED
    assert "eu-west-1" in second.reason and "us-east-1" in second.reason  # lists supported
    url = reverse("journeys:stage_estimate", args=[journey.pk, "growth"])
    html = editor_client.get(url, headers=HTMX).content.decode()
    assert "could not be made" in html
    assert "previous estimate is shown" in html
    first.refresh_from_db()
    assert f"{Decimal(first.result['monthly_usd']):,.2f}" in html


def test_the_cost_panel_sorts_lines_by_cost(editor_client: Any, journey: Journey) -> None:
    row = ensure(journey)
    estimate_stage.run(row.pk)
    url = reverse("journeys:stage_estimate", args=[journey.pk, "growth"])
    html = editor_client.get(url, {"sort": "cost"}, headers=HTMX).content.decode()
    assert "per customer a month" in html and "Line items" in html
    row.refresh_from_db()
    lines = sorted(row.result["lines"], key=lambda x: Decimal(x["monthly_usd"]), reverse=True)
    first, last = escape(lines[0]["description"]), escape(lines[-1]["description"])
    assert html.index(first) < html.index(last)


def test_the_csv_export_has_every_line(editor_client: Any, journey: Journey) -> None:
    row = ensure(journey)
    estimate_stage.run(row.pk)
    row.refresh_from_db()
    response = editor_client.get(reverse("journeys:estimate_csv", args=[journey.pk, row.pk]))
    assert response["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.content.decode())))
    assert table[0][:3] == ["Component", "AWS service code", "Description"]
    assert len([r for r in table[1:] if r and r[0] != "Total"]) == len(row.result["lines"])
    # Components by name, and the file named like every download: journey, stage, date.
    names = {line["component_label"] for line in row.result["lines"]}
    assert {r[0] for r in table[1:] if r and r[0] != "Total"} == names
    day = timezone.localtime(row.created).date().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="checkout-growth-costs-{day}.csv"'
    )


def test_a_csv_cell_cannot_become_a_spreadsheet_formula() -> None:
    assert reports._cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert reports._cell("-12.5") == "-12.5"


def test_the_journey_costs_show_the_chart_and_every_stage(
    editor_client: Any, journey: Journey
) -> None:
    url = reverse("journeys:costs", args=[journey.pk])
    pending = editor_client.get(url, headers=HTMX).content.decode()
    assert 'hx-trigger="every 2s"' in pending
    for row in Estimate.objects.all():
        estimate_stage.run(row.pk)
    html = editor_client.get(url, headers=HTMX).content.decode()
    assert "every 2s" not in html
    assert "<svg" in html and "<script" not in html
    for stage in ("Launch", "Growth", "Scale", "Beyond"):
        assert stage in html


def test_the_database_cache_round_trips_a_price(db: None) -> None:
    from datetime import UTC, datetime, timedelta

    cache = DatabasePriceCache()
    price = ResolvedPrice(
        key_id="k",
        sku="SKU1",
        unit="Hrs",
        tiers=(Tier(Decimal(0), None, Decimal("0.1")),),
        source="api",
        effective_date="2026-01-01",
        fetched_at=datetime.now(UTC),
    )
    cache.put("k", price)
    assert cache.get("k", timedelta(hours=1)) == price
    PriceEntry.objects.update(fetched_at=datetime.now(UTC) - timedelta(days=30))
    assert cache.get("k", timedelta(hours=1)) is None


def test_a_milestone_has_its_own_estimate(
    editor_client: Any, journey: Journey, editor: Any
) -> None:
    milestone, _ = save_milestone(journey, "scale", "", editor)
    url = reverse("journeys:milestone_estimate", args=[journey.pk, "scale", milestone.number])
    html = editor_client.get(url, headers=HTMX).content.decode()
    assert f'id="estimate-scale-m{milestone.number}"' in html
    assert Estimate.objects.get(stage="scale").state_hash == milestone.state_hash


def test_the_cli_prints_the_documented_json(journey: Journey) -> None:
    out = StringIO()
    call_command("estimate_journey", str(journey.pk), "--format", "json", stdout=out)
    doc = json.loads(out.getvalue())
    assert doc["journey"] == journey.pk
    assert set(doc["stages"]) == {"launch", "growth", "scale", "beyond"}
    assert doc["sources"] == ["snapshot"] and doc["oldest_price_date"] == "2025-06-18"
    line = doc["stages"]["scale"]["lines"][0]
    assert set(line) == {
        "component",
        "service_code",
        "description",
        "attributes",
        "quantity",
        "unit",
        "unit_price_usd",
        "monthly_usd",
        "source",
        "price_basis",
        "assumes",
    }
    scale_lines = doc["stages"]["scale"]["lines"]
    assert any(x["attributes"].get("regionCode") == "eu-west-1" for x in scale_lines)
    assert any("cacheEngine" in x["attributes"] for x in scale_lines)
    for stage in doc["stages"].values():
        for line in stage["lines"]:
            assert Decimal(line["quantity"]) * Decimal(line["unit_price_usd"]) == Decimal(
                line["monthly_usd"]
            )


def test_the_cli_prints_csv_for_one_stage(journey: Journey) -> None:
    out = StringIO()
    call_command(
        "estimate_journey", str(journey.pk), "--stage", "launch", "--format", "csv", stdout=out
    )
    assert out.getvalue().startswith("Component,AWS service code,Description")


def test_the_database_cache_reads_many_prices_at_once(
    db: None, django_assert_num_queries: Any
) -> None:
    from datetime import UTC, datetime, timedelta

    cache = DatabasePriceCache()
    for key in ("a", "b"):
        cache.put(
            key,
            ResolvedPrice(
                key_id=key,
                sku=key,
                unit="Hrs",
                tiers=(Tier(Decimal(0), None, Decimal("1")),),
                source="api",
                effective_date="2026-01-01",
                fetched_at=datetime.now(UTC),
            ),
        )
    assert set(cache.get_many(["a", "b", "c"], timedelta(hours=1))) == {"a", "b"}
    with django_assert_num_queries(1):  # parsed already: only which ones are fresh
        assert set(cache.get_many(["a", "b"], timedelta(hours=1))) == {"a", "b"}
