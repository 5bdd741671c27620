"""Estimate arithmetic against hand-computed totals: lines, tiers, free tier, groups, totals."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from journeys import engine
from journeys.demo_answers import DEMO_ANSWERS
from journeys.engine.state import ArchitectureState, Component, DrPlan
from journeys.pricing import keys as K
from journeys.pricing.estimate import MissingPrice, estimate
from journeys.pricing.keys import PriceKey, state_keys
from journeys.pricing.price import ResolvedPrice, Tier, split_by_tiers, tiered_cost
from journeys.pricing.snapshot import Snapshot
from journeys.vocabulary import HOURS_PER_MONTH
from tests.builders import priced_component as component

D = Decimal
SNAPSHOT = Snapshot.load()


def state_of(
    *components: Component, region: str = "us-east-1", dr_region: str = "us-west-2"
) -> ArchitectureState:
    dr = DrPlan("warm_standby", 1, 5, dr_region, (), "test", ())
    return ArchitectureState("scale", region, dr_region, components, (), dr, (), {})


def snapshot_prices(state: ArchitectureState) -> dict[str, ResolvedPrice]:
    return {k.id: SNAPSHOT.price(k) for k in state_keys(state)}  # type: ignore[misc]


def flat(
    key: PriceKey, usd: str, *, source: str = "api", date: str = "2026-03-01"
) -> ResolvedPrice:
    return ResolvedPrice(
        key.id, "SKU", key.unit, (Tier(D(0), None, D(usd)),), source, date, datetime.now(UTC)
    )


def line_values(result: Any, cid: str) -> list[tuple[Decimal, Decimal, Decimal]]:
    return [
        (x.quantity, x.unit_price_usd, x.monthly_usd) for x in result.lines if x.component_id == cid
    ]


def test_the_month_is_730_hours() -> None:
    assert HOURS_PER_MONTH == 730


def test_each_line_is_quantity_times_the_snapshot_unit_price() -> None:
    web = component(
        "web-asg", "compute", {"instance_hours": 1460, "ebs_gb": 40}, instance_type="m6g.large"
    )
    state = state_of(web)
    result = estimate(state, snapshot_prices(state), 100)
    # us-east-1: m6g.large 0.077 USD/h, gp3 0.08 USD/GB-month
    assert line_values(result, "web-asg") == [
        (D(1460), D("0.077"), D("112.42")),
        (D(40), D("0.08"), D("3.2")),
    ]
    assert result.component_total("web-asg") == D("115.62")
    assert result.monthly_usd == D("115.62")
    assert result.yearly_usd == D("1387.44") == 12 * result.monthly_usd
    assert result.per_customer_usd == D("1.1562")


def test_s3_storage_is_applied_tier_by_tier() -> None:
    # 600 TB: 50 TB at 0.023, the next 450 TB at 0.022, the last 100 TB at 0.021 (us-east-1).
    bucket = component("object-storage", "object_storage", {"storage_gb": 614_400})
    state = state_of(bucket)
    result = estimate(state, snapshot_prices(state), 1)
    assert line_values(result, "object-storage") == [
        (D(51_200), D("0.023"), D("1177.6")),
        (D(460_800), D("0.022"), D("10137.6")),
        (D(102_400), D("0.021"), D("2150.4")),
    ]
    assert result.monthly_usd == D("13465.6")
    ranges = [(x.attributes["beginRange"], x.attributes["endRange"]) for x in result.lines]
    assert ranges == [("0", "51200"), ("51200", "512000"), ("512000", "Inf")]
    assert result.lines[0].attributes["storageClass"] == "General Purpose"


def test_cloudfront_data_out_is_tiered_at_the_home_geography_rates() -> None:
    # 200 TB out at United States edges: 10 TB × 0.085, 40 TB × 0.08, 100 TB × 0.06, 50 TB × 0.04
    cdn = component(
        "cdn", "cdn", {"requests": 10_000_000, "data_transfer_out_gb": 204_800}, region="global"
    )
    state = state_of(cdn)
    result = estimate(state, snapshot_prices(state), 1)
    assert line_values(result, "cdn") == [
        (D(10_000_000), D("0.000001"), D("10")),
        (D(10_240), D("0.085"), D("870.4")),
        (D(40_960), D("0.08"), D("3276.8")),
        (D(102_400), D("0.06"), D("6144")),
        (D(51_200), D("0.04"), D("2048")),
    ]
    assert result.monthly_usd == D("12349.2")


def test_cloudfront_in_europe_uses_the_european_request_price() -> None:
    cdn = component("cdn", "cdn", {"requests": 1_000_000}, region="global")
    state = state_of(cdn, region="eu-west-1", dr_region="eu-central-1")
    result = estimate(state, snapshot_prices(state), 1)
    assert result.lines[0].unit_price_usd == D("0.0000012")
    assert result.lines[0].attributes["location"] == "Europe"


def test_free_tier_is_off_by_default_and_comes_off_first_when_asked() -> None:
    fn = component("app-function", "function", {"requests": 1_500_000, "gb_seconds": 500_000})
    state = state_of(fn)
    prices = snapshot_prices(state)
    off = estimate(state, prices, 1)
    # 1.5M × 0.0000002 + 500,000 GB-s × 0.0000166667
    assert off.monthly_usd == D("0.3") + D("8.33335")
    assert not any(x.free_tier for x in off.lines)
    on = estimate(state, prices, 1, free_tier=True)
    free = [(x.usage, x.quantity, x.monthly_usd) for x in on.lines if x.free_tier]
    assert free == [("requests", D(1_000_000), D(0)), ("gb_seconds", D(400_000), D(0))]
    assert on.monthly_usd == D("0.1") + D("1.66667")
    assert on.free_tier and on.to_dict()["free_tier"] is True


def test_a_free_tier_allowance_is_shared_by_the_whole_account() -> None:
    a = component("app-function", "function", {"requests": 800_000})
    b = component("worker-function", "function", {"requests": 800_000})
    state = state_of(a, b)
    result = estimate(state, snapshot_prices(state), 1, free_tier=True)
    billed = [(x.component_id, x.quantity) for x in result.lines if not x.free_tier]
    assert billed == [("worker-function", D(600_000))]
    assert result.monthly_usd == D("0.12")


def test_cognito_lite_gives_10000_free_maus_then_its_bands_whatever_the_free_tier_switch() -> None:
    users = component("identity", "identity", {"mau": 100_000}, plan="lite")
    state = state_of(users)
    prices = snapshot_prices(state)
    # Lite: the first 10,000 MAUs free every month, then 90,000 × 0.0055 = 495.
    assert estimate(state, prices, 1).monthly_usd == D("495")
    assert estimate(state, prices, 1, free_tier=True).monthly_usd == D("495")


def test_the_dr_region_is_its_own_group() -> None:
    backup = component("backup", "backup", {"storage_gb": 100})
    copy = component(
        "dr-backup",
        "backup",
        {"storage_gb": 100, "cross_region_transfer_gb": 10},
        region="us-west-2",
    )
    state = state_of(backup, copy)
    result = estimate(state, snapshot_prices(state), 10)
    # No relational database here: the backups protect DynamoDB. PITR 0.20/GB-month at home;
    # the copy in us-west-2 at DynamoDB backup storage 0.10/GB-month; transfer 0.02/GB.
    assert result.groups == {"primary": D("20"), "dr": D("10") + D("0.2")}
    assert result.monthly_usd == D("30.2")
    transfer = next(x for x in result.lines if x.usage == "cross_region_transfer_gb")
    assert transfer.attributes == {
        "fromRegionCode": "us-east-1",
        "toRegionCode": "us-west-2",
        "transferType": "InterRegion Outbound",
    }
    assert {c.component_id: c.group for c in result.components} == {
        "backup": "primary",
        "dr-backup": "dr",
    }


def test_a_multi_az_standby_is_a_stated_zero_line() -> None:
    db = component(
        "primary-db",
        "relational_db",
        {"instance_hours": 730, "standby_instance_hours": 730, "storage_gb": 100},
        engine="postgresql",
        instance_class="db.t3.micro",
        multi_az=True,
        read_replicas=0,
    )
    state = state_of(db)
    result = estimate(state, snapshot_prices(state), 1)
    # Multi-AZ db.t3.micro 0.036/h; Multi-AZ gp3 0.23/GB-month; the standby is in that price.
    assert line_values(result, "primary-db") == [
        (D(730), D("0.036"), D("26.28")),
        (D(730), D(0), D(0)),
        (D(100), D("0.23"), D("23")),
    ]
    standby = result.lines[1]
    assert standby.source == "no charge" and "Multi-AZ instance-hour price" in standby.description
    assert result.sources == {"snapshot"}


def test_zero_usage_makes_no_line_but_the_component_is_listed() -> None:
    idle = component(
        "dr-app-function", "function", {"requests": 0, "gb_seconds": 0}, region="us-west-2"
    )
    state = state_of(idle)
    result = estimate(state, snapshot_prices(state), 1)
    assert result.lines == ()
    assert result.component_total("dr-app-function") == 0


def test_a_price_not_given_is_an_error_not_a_zero() -> None:
    state = state_of(component("queue", "queue", {"requests": 10}))
    with pytest.raises(MissingPrice, match="AWSQueueService"):
        estimate(state, {}, 1)


def test_sources_and_the_oldest_price_date_are_reported() -> None:
    state = state_of(
        component("queue", "queue", {"requests": 10}),
        component("events-topic", "topic", {"publishes": 10}),
    )
    queue, topic = (K.sqs_requests("us-east-1"), K.sns("us-east-1", "publishes"))
    prices = {
        queue.id: flat(queue, "0.0000004", date="2026-03-01"),
        topic.id: flat(topic, "0.0000005", source="snapshot", date="2025-06-18"),
    }
    result = estimate(state, prices, 1)
    assert result.sources == {"api", "snapshot"}
    assert result.oldest_price_date == "2025-06-18"
    assert [x.source for x in result.lines] == ["api", "snapshot"]


@pytest.mark.parametrize("stage", list(DEMO_ANSWERS))
def test_the_json_of_every_demo_stage_is_exact(stage: str) -> None:
    answers = DEMO_ANSWERS[stage]
    state = engine.recommend(stage, answers, region="eu-west-1", dr_region="eu-central-1")
    result = estimate(state, snapshot_prices(state), answers["customers"])
    data = json.loads(json.dumps(result.to_dict()))
    assert {"monthly_usd", "yearly_usd", "per_customer_usd", "lines"} <= data.keys()
    for line in data["lines"]:
        assert {
            "component",
            "service_code",
            "description",
            "attributes",
            "quantity",
            "unit",
            "unit_price_usd",
            "monthly_usd",
            "source",
        } <= line.keys()
        assert D(line["monthly_usd"]) == D(line["quantity"]) * D(line["unit_price_usd"])
    assert D(data["monthly_usd"]) == sum(D(x["monthly_usd"]) for x in data["lines"])
    assert D(data["monthly_usd"]) == sum(D(c["monthly_usd"]) for c in data["components"])
    assert D(data["yearly_usd"]) == 12 * D(data["monthly_usd"])
    assert D(data["groups"]["primary"]) + D(data["groups"]["dr"]) == D(data["monthly_usd"])
    assert data["sources"] == ["snapshot"] and data["oldest_price_date"] == "2025-06-18"
    per_customer = D(data["monthly_usd"]) / answers["customers"]
    assert D(data["per_customer_usd"]) == per_customer
    has_dr = any(c.id.startswith("dr-") for c in state.components)
    assert (D(data["groups"]["dr"]) > 0) == has_dr


TIERS = (
    Tier(D(0), D(100), D("0.3")),
    Tier(D(100), D(1000), D("0.2")),
    Tier(D(1000), None, D("0.1")),
)


@given(st.decimals(min_value=0, max_value=10**9, places=4))
def test_tier_parts_add_up_to_the_quantity(quantity: Decimal) -> None:
    parts = split_by_tiers(quantity, TIERS)
    assert sum((p for p, _ in parts), D(0)) == quantity
    assert tiered_cost(quantity, TIERS) == sum((p * t.usd for p, t in parts), D(0))
    assert tiered_cost(quantity + 1, TIERS) > tiered_cost(quantity, TIERS)
