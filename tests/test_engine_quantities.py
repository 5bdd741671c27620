"""The quantities the engine bills, modelled the way AWS bills them (issue 13, engine side).

Each test pins one defect the pricing audit found, with the expected quantities worked out by
hand in the comments; the properties at the end hold across the engine's whole answer space.
A month is 730 h = 2,628,000 s.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journeys.engine import ArchitectureState, recommend
from journeys.engine.tables import (
    AURORA_MAX_STORAGE_GB,
    GLOBAL,
    LIST_ANSWERS,
    RDS_MAX_STORAGE_GB,
)
from journeys.pricing.estimate import estimate
from journeys.pricing.keys import NoCharge, Split, state_charges, state_keys
from journeys.pricing.snapshot import Snapshot
from journeys.vocabulary import CORE_CHOICES, STAGES
from tests.builders import component, finding_ids

STORE_CHOICES = LIST_ANSWERS["purpose_built_stores"]

SNAPSHOT = Snapshot.load()


def both_regions(state: ArchitectureState, cid: str, usage: str) -> tuple[float, float]:
    return component(state, cid).usage[usage], component(state, "dr-" + cid).usage[usage]


# --- 1. active/active splits request-driven usage, copies capacity ------------------------

ACTIVE_GLOBAL = {
    "peak_rps": 40_000, "static_share": 0, "traffic_pattern": "daily_peaks",
    "rpo_minutes": 0, "rto_minutes": 1, "database_engine": "dynamodb",
    "async_processing": True, "uses_cache": False,
}  # fmt: skip


def test_active_active_splits_requests_between_the_regions_instead_of_billing_them_twice() -> None:
    state = recommend("beyond", ACTIVE_GLOBAL)
    assert state.dr.strategy == "active_active"

    # 40,000 req/s at peak ÷ peak factor 4 = 10,000 req/s × 2,628,000 s = 26.28e9 requests a
    # month in total; active/active 50/50 → 13.14e9 in each region, not 26.28e9 in each.
    assert both_regions(state, "api-gateway", "requests") == pytest.approx((13.14e9, 13.14e9))
    # LCUs: max(10,000 ÷ 25, 26.28e9 × 40 KB ÷ 1,048,576 ÷ 730 = 1,373.29 GB/h) = 1,373.29 LCU
    # × 730 h = 1,002,502.44 LCU-hours in total → 501,251.22 per region.
    assert both_regions(state, "load-balancer", "lcu_hours") == pytest.approx(
        (501_251.22, 501_251.22)
    )
    # Logs: 26.28e9 requests × 1 KB ÷ 1,048,576 = 25,062.56 GB → 12,531.28 GB per region.
    assert both_regions(state, "monitoring", "log_ingest_gb") == pytest.approx(
        (12_531.28, 12_531.28)
    )
    # Events: 26.28e9 × 20 % writes = 5.256e9 events → 2.628e9 per region.
    assert both_regions(state, "event-bus", "events") == pytest.approx((2.628e9, 2.628e9))
    # DynamoDB: 26.28e9 × 2 operations = 52.56e9; reads 80 % = 42.048e9 → 21.024e9 per region;
    # writes 10.512e9 → 5.256e9 written locally in each region, and each region's writes
    # replicated into the other: 5.256e9 replicated write units on each side.
    assert both_regions(state, "nosql-db", "read_request_units") == pytest.approx(
        (21.024e9, 21.024e9)
    )
    assert both_regions(state, "nosql-db", "write_request_units") == pytest.approx(
        (5.256e9, 5.256e9)
    )
    assert both_regions(state, "nosql-db", "replicated_write_request_units") == pytest.approx(
        (5.256e9, 5.256e9)
    )
    # Capacity is copied: a full fleet and a full table's storage on each side.
    assert both_regions(state, "app-service", "vcpu_hours")[0] == pytest.approx(
        both_regions(state, "app-service", "vcpu_hours")[1]
    )
    assert both_regions(state, "nosql-db", "storage_gb") == (50_000, 50_000)
    # The split is a named assumption.
    assert "active_active_dr_share" in {a.name for a in state.assumptions}


def test_the_active_active_split_follows_its_assumption() -> None:
    state = recommend("beyond", ACTIVE_GLOBAL, assumptions={"active_active_dr_share": 0.25})

    # 26.28e9 requests: 75 % = 19.71e9 at home, 25 % = 6.57e9 in the DR region.
    assert both_regions(state, "api-gateway", "requests") == pytest.approx((19.71e9, 6.57e9))


def test_a_passive_dr_copy_serves_no_requests() -> None:
    state = recommend("scale", {"rpo_minutes": 5, "rto_minutes": 5, "peak_rps": 4000})
    assert state.dr.strategy == "warm_standby"

    primary, copy = both_regions(state, "load-balancer", "hours")
    assert primary == copy == 730
    assert "lcu_hours" not in component(state, "dr-load-balancer").usage
    assert "requests" not in component(state, "dr-api-gateway").usage


# --- 2. RDS read replicas each bill their own storage --------------------------------------


def test_each_rds_read_replica_bills_its_own_storage() -> None:
    state = recommend(
        "growth",
        {"read_ratio": 90, "db_storage_gb": 200, "peak_rps": 1500, "database_engine": "postgresql"},
    )

    db = component(state, "primary-db")
    # 200 GB × 1.2 headroom = 240 GB provisioned; one read replica has its own 240 GB volume:
    # 2 × 240 GB = 480 GB billed.
    assert db.params["read_replicas"] == 1
    assert db.usage["storage_gb"] == 240
    assert db.usage["replica_storage_gb"] == 240
    assert any("replica" in r and "240 GB" in r for r in db.reasons)


def test_aurora_replicas_share_the_cluster_volume() -> None:
    db = component(recommend("scale", {"db_storage_gb": 1000}), "primary-db")

    assert db.params["read_replicas"] >= 1
    assert "replica_storage_gb" not in db.usage


# --- 5. data moved to DynamoDB leaves the relational store --------------------------------


def test_data_moved_to_dynamodb_is_not_also_stored_in_the_relational_database() -> None:
    state = recommend("scale", {"db_storage_gb": 1000, "purpose_built_stores": ["key_value"]})

    # purpose_built_share 0.3: 30 % of the operations and of the 1,000 GB move to DynamoDB,
    # 700 GB stay in Aurora (billed as used) → 1,000 GB in total, not 1,300 GB.
    assert component(state, "nosql-db").usage["storage_gb"] == 300
    assert component(state, "primary-db").usage["storage_gb"] == 700


def test_rds_provisions_headroom_over_the_data_left_after_the_move() -> None:
    answers = {
        "db_storage_gb": 1000,
        "purpose_built_stores": ["key_value"],
        "database_engine": "postgresql",
    }

    # 700 GB stay in PostgreSQL × 1.2 headroom = 840 GB provisioned.
    assert component(recommend("scale", answers), "primary-db").params["storage_gb"] == 840


# --- 7. NAT only for what must reach the internet or a public AWS endpoint ----------------


def test_lambda_reaching_rds_inside_the_vpc_needs_no_nat_gateway() -> None:
    state = recommend("launch", {"customers": 200, "compute_model": "serverless"})

    assert "nat-gateway" not in {c.id for c in state.components}
    assert any("VPC" in r for r in component(state, "app-function").reasons)


def test_lambda_with_elasticache_and_dynamodb_needs_no_nat_gateway() -> None:
    answers = {"compute_model": "serverless", "database_engine": "dynamodb", "uses_cache": True}

    assert "nat-gateway" not in {c.id for c in recommend("growth", answers).components}


def test_lambda_in_the_vpc_publishing_events_goes_through_nat() -> None:
    answers = {"compute_model": "serverless", "async_processing": True}

    nat = component(recommend("growth", answers), "nat-gateway")

    assert any("EventBridge" in r for r in nat.reasons)


def test_a_fleet_in_private_subnets_keeps_nat_with_free_gateway_endpoints() -> None:
    nat = component(recommend("scale", {"purpose_built_stores": ["key_value"]}), "nat-gateway")

    assert nat.params["gateway_endpoints"] == "s3, dynamodb"
    assert any("gateway VPC endpoints" in r for r in nat.reasons)


# --- 8. RPO 0 is not met by asynchronous replication ---------------------------------------


def test_aurora_global_database_is_not_sold_as_multi_writer_meeting_rpo_0() -> None:
    state = recommend("beyond", {"rpo_minutes": 0, "rto_minutes": 1})
    assert state.dr.strategy == "active_active"

    replica = component(state, "dr-primary-db")
    assert not any("multi-writer" in r for r in replica.reasons)
    assert any("one writer" in r for r in replica.reasons)
    assert "RPO 0 is not met" in state.dr.why
    assert "about 1 second" in state.dr.why
    found = next(f for f in state.findings if f.id == "rpo-zero-not-met")
    assert found.risk == "high"
    assert "DynamoDB global tables" in found.action


def test_dynamodb_global_tables_with_strong_consistency_meet_rpo_0() -> None:
    state = recommend("beyond", ACTIVE_GLOBAL)

    assert "rpo-zero-not-met" not in finding_ids(state)
    assert component(state, "dr-nosql-db").params["consistency"] == "strong"
    assert "RPO 0 is not met" not in state.dr.why


# --- 10. a cache in front of DynamoDB takes reads off DynamoDB -----------------------------


def test_reads_served_by_the_cache_leave_dynamodbs_read_count() -> None:
    answers = {
        "database_engine": "dynamodb", "uses_cache": True, "peak_rps": 100, "static_share": 0,
    }  # fmt: skip
    table = component(recommend("growth", answers), "nosql-db")

    # 100 req/s peak ÷ 4 = 25 req/s × 2,628,000 s = 65.7e6 requests × 2 operations = 131.4e6;
    # 80 % reads = 105.12e6; the cache answers 80 % → 21.024e6 reads reach DynamoDB.
    assert table.usage["read_request_units"] == pytest.approx(21.024e6)
    assert table.usage["write_request_units"] == pytest.approx(26.28e6)
    assert any("cache" in r for r in table.reasons)


# --- 11. one path per event flow ------------------------------------------------------------


def test_each_event_enters_the_queue_through_one_path() -> None:
    state = recommend("beyond", {"async_processing": True, "peak_rps": 4000, "static_share": 0})

    ids = {c.id for c in state.components}
    assert "events-topic" not in ids
    bus, queue = component(state, "event-bus"), component(state, "queue")
    assert bus.links == ("queue",)
    # 4,000 ÷ 4 = 1,000 req/s × 2,628,000 s = 2.628e9 requests × 20 % writes = 525.6e6 events
    # → each sent, received and deleted once: 1,576.8e6 SQS requests.
    assert bus.usage["events"] == pytest.approx(525.6e6)
    assert queue.usage["requests"] == pytest.approx(3 * 525.6e6)


# --- 12. service limits are not exceeded silently ------------------------------------------


def test_rds_storage_beyond_64_tib_is_a_high_finding_not_a_silent_cap() -> None:
    state = recommend("launch", {"db_storage_gb": 100_000, "database_engine": "postgresql"})

    db = component(state, "primary-db")
    # 100,000 GB × 1.2 = 120,000 GB needed; RDS stops at 65,536 GB.
    assert db.params["storage_gb"] == RDS_MAX_STORAGE_GB
    assert any("120,000 GB" in r and "65,536 GB" in r for r in db.reasons)
    found = next(f for f in state.findings if f.id == "storage-beyond-service-limit")
    assert found.risk == "high"
    assert "db_storage_gb=100000" in found.because


def test_aurora_storage_beyond_128_tib_is_a_high_finding() -> None:
    answers = {"db_storage_gb": 200_000, "database_engine": "aurora-postgresql"}
    state = recommend("growth", answers)

    assert component(state, "primary-db").params["storage_gb"] == AURORA_MAX_STORAGE_GB
    assert "storage-beyond-service-limit" in finding_ids(state)


def test_storage_within_the_limits_raises_no_finding() -> None:
    assert "storage-beyond-service-limit" not in finding_ids(recommend("scale", {}))


# --- 13. backup and restore says what a regional outage costs -------------------------------


def test_backups_kept_in_region_state_that_a_regional_outage_is_not_covered() -> None:
    state = recommend("growth", {"availability_target": "99.5"})
    assert state.dr.strategy == "backup_restore"

    assert "not met for a regional outage" in state.dr.why
    assert "us-west-2" in state.dr.why


def test_growth_at_99_9_copies_its_backups_to_the_dr_region_priced() -> None:
    # 200 GB of RDS backups: the copy in us-west-2 has no free allowance, 200 × $0.095 = $19;
    # 10 % of it changes a month: 20 GB × $0.02 = $0.40 of transfer from us-east-1.
    state = recommend("growth", {"db_storage_gb": 200})
    prices = {k.id: SNAPSHOT.price(k) for k in state_keys(state)}
    result = estimate(state, prices, 10_000)  # type: ignore[arg-type]

    lines = {x.usage: x.monthly_usd for x in result.lines if x.component_id == "dr-backup"}
    assert lines == {"storage_gb": Decimal("19"), "cross_region_transfer_gb": Decimal("0.4")}
    assert "not met" not in state.dr.why


def test_backup_and_restore_at_scale_copies_backups_to_the_dr_region_priced() -> None:
    state = recommend("scale", {"rpo_minutes": 240, "rto_minutes": 600})

    copy = component(state, "dr-backup")
    assert copy.region == "us-west-2"
    assert copy.usage["storage_gb"] > 0 and copy.usage["cross_region_transfer_gb"] > 0
    assert "not met" not in state.dr.why


# --- 6. backups of what each store holds, once --------------------------------------------


def test_a_serverless_journey_backs_up_its_table_not_files_it_does_not_keep() -> None:
    # 5,000 customers: 25 GB in DynamoDB (× 0.005 GB) and 250 GB of files (× 0.05 GB) that no
    # Lambda keeps. Point-in-time recovery bills the table's 25 GB, not 25 + 250 = 275 GB.
    answers = {"customers": 5_000, "compute_model": "serverless", "database_engine": "dynamodb"}
    backup = component(recommend("launch", answers), "backup")

    assert backup.usage == {"storage_gb": 25}


def test_files_on_the_instances_volume_are_ebs_snapshots_beside_the_database_backups() -> None:
    # Launch on EC2 without S3: 200 × 0.005 = 1 GB of data, 200 × 0.05 = 10 GB of files.
    backup = component(recommend("launch", {"customers": 200}), "backup")

    assert backup.usage == {"storage_gb": 1, "volume_snapshot_gb": 10}


def test_a_purpose_built_table_pays_its_own_recovery_beside_the_database_backups() -> None:
    # 10,000 GB of data, 30 % moved to DynamoDB: 7,000 GB of Aurora backups, 3,000 GB of PITR
    # (it was 10,000 GB, all priced as Aurora backups beyond the 7,000 GB volume).
    state = recommend("scale", {"db_storage_gb": 10_000})

    assert component(state, "backup").usage == {"storage_gb": 7_000, "table_backup_gb": 3_000}
    copy = component(state, "dr-backup").usage
    assert copy["storage_gb"] == 7_000 and copy["table_backup_gb"] == 3_000
    assert copy["cross_region_transfer_gb"] == pytest.approx(1_000)  # 10 % of 10,000 GB


# --- 14. the smallest instance, the cheaper API ---------------------------------------------


def test_a_tiny_launch_starts_on_a_t3_small() -> None:
    # 100 customers × 3,000 requests ÷ 2,628,000 s × 2 = 0.23 req/s; ~1 req/s also fits.
    assert component(recommend("launch", {}), "web-asg").params["instance_type"] == "t3.small"
    one = recommend("launch", {"peak_rps": 1})
    assert component(one, "web-asg").params["instance_type"] == "t3.small"


def test_api_gateway_is_an_http_api_unless_an_answer_needs_rest() -> None:
    http = component(recommend("growth", {"compute_model": "serverless"}), "api-gateway")
    rest = component(
        recommend("launch", {"compute_model": "serverless", "l7_protection": "waf"}),
        "api-gateway",
    )

    assert http.params["api_type"] == "http"
    assert http.label == "API Gateway HTTP API"
    assert rest.params["api_type"] == "rest"
    assert any("l7_protection=waf" in r for r in rest.reasons)


# --- properties -----------------------------------------------------------------------------

_ANSWERS = {
    "customers": st.integers(1, 50_000_000),
    "peak_rps": st.floats(0, 100_000, allow_nan=False),
    "avg_response_kb": st.floats(0, 2000, allow_nan=False),
    "static_share": st.integers(0, 100),
    "read_ratio": st.integers(0, 100),
    "db_storage_gb": st.floats(0, 200_000, allow_nan=False),
    "object_storage_gb": st.floats(0, 2_000_000, allow_nan=False),
    "uses_cache": st.booleans(),
    "async_processing": st.booleans(),
    "purpose_built_stores": st.lists(st.sampled_from(STORE_CHOICES), unique=True),
    "data_residency": st.booleans(),
    **{
        qid: st.sampled_from(choices)
        for qid, choices in CORE_CHOICES.items()
        if qid != "availability_target"
    },
}
answers_strategy = st.fixed_dictionaries({}, optional=_ANSWERS)
stages = st.sampled_from(STAGES)
FAST = settings(max_examples=60, deadline=None)

# (RPO, RTO) that select each strategy at an availability target that does not force one.
STRATEGY_TARGETS = {
    "backup_restore": (1440, 1440),
    "pilot_light": (15, 60),
    "warm_standby": (5, 5),
    "active_active": (0, 0),
}
# Usage that follows the requests served; replication into a copy is not demand.
REQUEST_DRIVEN = frozenset(
    {
        "requests", "gb_seconds", "lcu_hours", "log_ingest_gb", "traces",
        "read_request_units", "write_request_units", "events", "publishes", "deliveries",
        "data_processed_gb", "data_transfer_out_gb", "requests_get", "queries", "mau",
    }
)  # fmt: skip


def _served(state: ArchitectureState) -> dict[tuple[str, str], float]:
    """Request-driven usage summed over the regions, per primary component id."""
    total: dict[tuple[str, str], float] = {}
    for c in state.components:
        base = c.id.removeprefix("dr-")
        for usage, quantity in c.usage.items():
            if usage in REQUEST_DRIVEN:
                total[(base, usage)] = total.get((base, usage), 0.0) + quantity
    return total


@FAST
@given(stages, answers_strategy)
def test_request_driven_usage_over_the_regions_is_the_demand_whatever_the_strategy(
    stage: str, answers: dict[str, Any]
) -> None:
    states = {
        strategy: recommend(
            stage,
            {**answers, "availability_target": "99.9", "rpo_minutes": rpo, "rto_minutes": rto},
        )
        for strategy, (rpo, rto) in STRATEGY_TARGETS.items()
    }
    demand = _served(states["backup_restore"])

    for strategy, state in states.items():
        assert state.dr.strategy == strategy
        served = _served(state)
        for key, quantity in demand.items():
            assert served.get(key, 0.0) == pytest.approx(quantity, rel=1e-6, abs=1e-3), (
                strategy,
                key,
            )


@FAST
@given(stages, answers_strategy, st.floats(0, 200_000, allow_nan=False))
def test_storage_is_billed_once_per_copy_that_aws_bills(
    stage: str, answers: dict[str, Any], data_gb: float
) -> None:
    state = recommend(stage, {**answers, "db_storage_gb": data_gb})

    db, table = state.component("primary-db"), state.component("nosql-db")
    share = (0.3 if db is not None else 1.0) if table is not None else 0.0
    if table is not None:
        assert table.usage["storage_gb"] == pytest.approx(data_gb * share, abs=1e-3)
        replica = state.component("dr-nosql-db")
        if replica is not None:  # a global table replica stores the whole table again
            assert replica.usage["storage_gb"] == table.usage["storage_gb"]
    if db is not None:
        left = data_gb * (1 - share)
        if db.kind == "serverless_db" or db.params["engine"].startswith("aurora"):
            expected = min(AURORA_MAX_STORAGE_GB, max(1, math.ceil(left - 1e-9)))
            assert "replica_storage_gb" not in db.usage  # replicas share the cluster volume
        else:
            expected = min(RDS_MAX_STORAGE_GB, max(20, math.ceil(left * 1.2 - 1e-9)))
            replicas = db.params["read_replicas"]
            assert db.usage.get("replica_storage_gb", 0) == replicas * expected
        assert abs(db.usage["storage_gb"] - expected) <= 1


@FAST
@given(stages, answers_strategy)
def test_no_component_is_priced_in_a_region_other_than_its_own(
    stage: str, answers: dict[str, Any]
) -> None:
    state = recommend(stage, answers)

    for c, usage, whole in state_charges(state):
        # A usage billed in parts (CloudFront by edge geography) is checked part by part.
        parts = [p.charge for p in whole.parts] if isinstance(whole, Split) else [whole]
        for charge in parts:
            if not isinstance(charge, NoCharge):
                _assert_priced_in_its_region(state, c, usage, charge)


def _assert_priced_in_its_region(state: Any, c: Any, usage: str, charge: Any) -> None:
    to = charge.attributes.get("toRegionCode")
    if to:  # a transfer into this component is billed where the data leaves
        assert (charge.region, to) == (state.region, c.region), (c.id, usage)
    elif c.region == GLOBAL:
        assert charge.region in (GLOBAL, "us-east-1"), (c.id, usage)
    else:
        assert charge.region == c.region, (c.id, usage)


def _total(stage: str, answers: dict[str, Any], customers: int) -> Decimal:
    state = recommend(stage, {**answers, "customers": customers})
    prices = {k.id: SNAPSHOT.price(k) for k in state_keys(state)}
    return estimate(state, prices, customers).monthly_usd  # type: ignore[arg-type]


@settings(max_examples=40, deadline=None)
@given(
    stages,
    st.fixed_dictionaries(
        {},
        optional={
            qid: st.sampled_from(choices)
            for qid, choices in CORE_CHOICES.items()
            if qid not in ("availability_target",)
        },
    ),
    st.integers(1, 20_000_000),
    st.integers(1, 20_000_000),
)
def test_more_customers_never_cost_less(
    stage: str, answers: dict[str, Any], one: int, other: int
) -> None:
    low, high = sorted((one, other))

    assert _total(stage, answers, high) >= _total(stage, answers, low)
