"""The architecture engine: answers -> components, findings, DR plan. Pure Python, no database."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journeys.engine import (
    ASSUMPTIONS,
    AURORA_INSTANCE_CLASSES,
    CACHE_NODE_TYPES,
    CORE_NUMBERS,
    DB_INSTANCE_CLASSES,
    DR_STRATEGIES,
    DR_THRESHOLDS,
    INSTANCE_SPECS,
    INSTANCE_TYPES,
    KINDS,
    ArchitectureState,
    Component,
    InvalidOverride,
    default_dr_region,
    diff,
    recommend,
    resolve_assumptions,
    select_dr_strategy,
    to_text,
    validate_override,
)
from journeys.engine.stores import INFLUX_CLASSES, SEARCH_NODE_TYPES
from journeys.engine.tables import LIST_ANSWERS
from journeys.vocabulary import CORE_CHOICES, CORE_QUESTION_IDS, PILLARS, STAGES
from tests.builders import component, finding_ids

STORE_CHOICES = LIST_ANSWERS["purpose_built_stores"]

# --- helpers -------------------------------------------------------------------------------


def kinds(state: ArchitectureState) -> set[str]:
    return {c.kind for c in state.components}


def finding(state: ArchitectureState, finding_id: str) -> Any:
    return next(f for f in state.findings if f.id == finding_id)


def primary(state: ArchitectureState) -> list[Component]:
    return [c for c in state.components if not c.id.startswith("dr-")]


def capacity(state: ArchitectureState) -> float:
    """Requests per second the application tier can serve at its peak size."""
    a = {x.name: x.value for x in state.assumptions}
    for c in state.components:
        if c.id == "web-asg":
            return (
                c.params["count"]
                * a["rps_per_instance"]
                * INSTANCE_SPECS[c.params["instance_type"]][2]
            )
        if c.id == "app-service":
            return c.params["tasks"] * c.params["vcpu"] * a["rps_per_task"]
        if c.id == "app-function":
            return c.params["concurrency"]
    raise AssertionError("no application tier")


# --- realistic stages, table-driven --------------------------------------------------------

# fmt: off
LAUNCH_100 = {
    "customers": 100, "peak_rps": 5, "avg_response_kb": 60, "static_share": 70,
    "traffic_pattern": "daily_peaks", "read_ratio": 85, "db_storage_gb": 5,
    "object_storage_gb": 20, "users_geography": "one_region", "availability_target": "99.0",
    "rpo_minutes": 1440, "rto_minutes": 1440, "compute_model": "vms",
    "database_engine": "postgresql", "customer_identity": "in_app", "l7_protection": "none",
    "release_process": "manual", "monitoring": "basic",
}
GROWTH_10K_SPIKY = {
    "customers": 10_000, "peak_rps": 400, "avg_response_kb": 80, "static_share": 75,
    "traffic_pattern": "spiky", "read_ratio": 90, "db_storage_gb": 80,
    "object_storage_gb": 2000, "users_geography": "continent", "availability_target": "99.9",
    "rpo_minutes": 60, "rto_minutes": 240, "compute_model": "vms",
    "database_engine": "aurora-postgresql", "customer_identity": "managed",
    "l7_protection": "waf", "release_process": "ci_cd", "monitoring": "full",
}
SCALE_1M_RPO_5 = {
    "customers": 1_000_000, "peak_rps": 2500, "avg_response_kb": 90, "static_share": 80,
    "traffic_pattern": "daily_peaks", "read_ratio": 92, "db_storage_gb": 1500,
    "object_storage_gb": 150_000, "users_geography": "continent",
    "availability_target": "99.95", "rpo_minutes": 5, "rto_minutes": 30,
    "compute_model": "containers", "database_engine": "aurora-postgresql",
    "customer_identity": "managed", "l7_protection": "waf", "release_process": "ci_cd",
    "monitoring": "full",
}
BEYOND_GLOBAL = {
    "customers": 10_000_000, "peak_rps": 20_000, "avg_response_kb": 90, "static_share": 85,
    "traffic_pattern": "spiky", "read_ratio": 95, "db_storage_gb": 12_000,
    "object_storage_gb": 1_500_000, "users_geography": "global",
    "availability_target": "99.99", "rpo_minutes": 0, "rto_minutes": 1,
    "compute_model": "containers", "database_engine": "dynamodb",
    "customer_identity": "managed", "l7_protection": "waf", "release_process": "ci_cd",
    "monitoring": "full", "async_processing": True, "dr_tested": True,
}
# fmt: on


def test_a_100_customer_launch_is_one_instance_one_database_and_dns() -> None:
    state = recommend("launch", LAUNCH_100)

    assert [c.kind for c in state.components] == [
        "dns",
        "compute",
        "relational_db",
        "monitoring",
        "backup",
    ]
    web = component(state, "web-asg")
    assert web.params["count"] == 1
    assert web.params["auto_scaling"] is False
    assert web.azs == 1
    assert web.params["instance_type"] in INSTANCE_TYPES
    db = component(state, "primary-db")
    assert db.params["engine"] == "postgresql"
    assert db.params["multi_az"] is False
    assert db.params["storage_gb"] == 20  # RDS minimum
    assert db.door == "one_way"
    assert state.dr.strategy == "backup_restore"
    assert not [c for c in state.components if c.id.startswith("dr-")]
    assert {
        "single-point-of-failure",
        "one-az-of-three",
        "open-to-layer-7-attacks",
        "manual-releases",
        "read-queries-on-primary",
    } <= finding_ids(state)


def test_a_10k_spiky_growth_scales_out_behind_a_load_balancer_on_aurora_serverless() -> None:
    state = recommend("growth", GROWTH_10K_SPIKY)

    assert {
        "dns",
        "waf",
        "cdn",
        "object_storage",
        "load_balancer",
        "compute",
        "cache",
        "serverless_db",
        "identity",
        "nat_gateway",
        "cicd",
        "monitoring",
        "backup",
    } == kinds(state)
    web = component(state, "web-asg")
    assert web.params["auto_scaling"] is True
    assert web.azs == 2
    assert web.params["min"] <= web.params["count"] < web.params["max"]
    db = component(state, "primary-db")
    assert db.kind == "serverless_db"
    assert 0.5 <= db.params["min_acu"] < db.params["max_acu"]
    assert db.azs == 2
    assert component(state, "identity").usage["mau"] == 10_000
    assert component(state, "waf").params["attached_to"] == "cdn"
    assert "spiky-load-on-fixed-capacity" not in finding_ids(state)


def test_a_1m_scale_with_rpo_5_minutes_runs_a_warm_standby_in_the_paired_region() -> None:
    state = recommend("scale", SCALE_1M_RPO_5)

    assert {"api_gateway", "container_service", "nosql_db", "relational_db"} <= kinds(state)
    service = component(state, "app-service")
    assert service.azs == 3
    assert service.params["tasks"] >= service.params["min"] >= 3
    db = component(state, "primary-db")
    assert db.params["engine"] == "aurora-postgresql"
    assert db.params["instance_class"] in AURORA_INSTANCE_CLASSES
    assert db.params["multi_az"] is True
    assert state.dr.strategy == "warm_standby"
    assert state.dr.region == "us-west-2"
    assert [s for s, _ in state.dr.rejected] == ["backup_restore", "pilot_light"]
    standby = component(state, "dr-app-service")
    assert standby.region == "us-west-2"
    assert 0 < standby.params["tasks"] < service.params["tasks"]
    assert component(state, "dr-primary-db").region == "us-west-2"
    assert component(state, "dr-load-balancer").region == "us-west-2"
    assert component(state, "dns").params["routing"] == "failover"


def test_a_global_beyond_runs_active_active_with_events_and_edge_caching() -> None:
    state = recommend("beyond", BEYOND_GLOBAL)

    assert {"queue", "event_bus", "cache", "nosql_db"} <= kinds(state)
    assert "topic" not in kinds(state)  # one path per event flow: EventBridge to SQS
    assert state.dr.strategy == "active_active"
    assert component(state, "dns").params["routing"] == "latency"
    assert component(state, "cdn").params["price_class"] == "PriceClass_All"
    assert (
        component(state, "dr-app-service").params["tasks"]
        == component(state, "app-service").params["tasks"]
    )
    assert component(state, "dr-nosql-db").label == "DynamoDB global table replica"
    assert "dr-queue" in {c.id for c in state.components}
    assert state.findings == ()


@pytest.mark.parametrize("stage", STAGES)
def test_every_stage_has_a_plan_with_defaults_alone(stage: str) -> None:
    state = recommend(stage, {})

    assert state.stage == stage
    assert state.dr.strategy in DR_STRATEGIES
    assert state.dr.region == "us-west-2"
    assert "dns" in {c.id for c in state.components}


def test_stage_defaults_are_stated_in_the_reasons() -> None:
    web = component(recommend("launch", {}), "web-asg")

    text = " ".join(web.reasons)
    assert "(launch default)" in text
    assert "peak_rps 0.23 is derived: 100 customers × 3,000 requests/month" in text


def test_the_sizing_sentence_says_capacity_per_instance_and_n_plus_1() -> None:
    answers = {"peak_rps": 400, "static_share": 0, "availability_target": "99.9"}

    web = component(recommend("growth", answers), "web-asg")

    assert "peak 400 req/s at ~150 req/s per m6g.large ⇒ 3, 4 with N+1 over 2 AZs" in web.reasons
    assert web.params["count"] == 4


def test_the_default_customers_grow_by_stage() -> None:
    mau = [component(recommend(s, {}), "identity").usage["mau"] for s in STAGES[1:]]

    assert mau == [10_000, 1_000_000, 10_000_000]


def test_a_launch_needing_99_9_runs_two_instances_behind_a_load_balancer() -> None:
    state = recommend("launch", {"availability_target": "99.9"})

    assert component(state, "web-asg").params["count"] == 2
    assert component(state, "web-asg").azs == 2
    assert component(state, "primary-db").params["multi_az"] is True
    assert "load-balancer" in {c.id for c in state.components}


def test_serverless_runs_lambda_behind_api_gateway_without_a_load_balancer() -> None:
    state = recommend("growth", {"compute_model": "serverless", "peak_rps": 100})

    assert {"function", "api_gateway"} <= kinds(state)
    assert "load_balancer" not in kinds(state)
    function = component(state, "app-function")
    assert function.params["concurrency"] == 9  # 70 req/s reach it × 120 ms
    assert function.usage["requests"] > 0


def test_heavy_reads_get_a_cache_and_read_replicas_from_growth_on() -> None:
    state = recommend("growth", {"read_ratio": 90})

    assert component(state, "app-cache").params["node_type"] in CACHE_NODE_TYPES
    assert component(state, "primary-db").params["read_replicas"] >= 1


def test_a_dynamodb_primary_has_no_relational_database() -> None:
    state = recommend("scale", {"database_engine": "dynamodb"})

    assert "relational_db" not in kinds(state)
    assert component(state, "nosql-db").params["role"] == "primary"


def test_data_transfer_out_is_billed_at_the_edge_or_the_entry_point() -> None:
    launch = recommend("launch", {"peak_rps": 10, "avg_response_kb": 100})
    growth = recommend("growth", {"peak_rps": 10, "avg_response_kb": 100})

    assert component(launch, "web-asg").usage["data_transfer_out_gb"] > 0
    assert component(growth, "cdn").usage["data_transfer_out_gb"] > 0
    assert "data_transfer_out_gb" not in component(growth, "load-balancer").usage


def test_usage_quantities_are_monthly_numbers_for_pricing() -> None:
    state = recommend("growth", {"peak_rps": 200})

    web = component(state, "web-asg")
    assert web.usage["instance_hours"] >= 730 * web.params["min"]
    assert component(state, "object-storage").usage["requests_get"] > 0
    assert component(state, "load-balancer").usage["lcu_hours"] > 0
    for c in state.components:
        assert all(isinstance(v, int | float) and v >= 0 for v in c.usage.values()), c.id


def test_unknown_answer_ids_are_ignored() -> None:
    assert recommend("growth", {"favourite_colour": "blue"}).hash == recommend("growth", {}).hash


def test_an_invalid_core_answer_is_rejected_with_its_id() -> None:
    with pytest.raises(ValueError, match="traffic_pattern='wavy' is not one of"):
        recommend("growth", {"traffic_pattern": "wavy"})
    with pytest.raises(ValueError, match="read_ratio=150 must be from 0 to 100"):
        recommend("growth", {"read_ratio": 150})


def test_the_engine_reads_every_core_question_of_the_vocabulary_and_no_other() -> None:
    assert sorted([*CORE_CHOICES, *CORE_NUMBERS]) == sorted(CORE_QUESTION_IDS)


def test_an_unknown_stage_is_rejected() -> None:
    with pytest.raises(ValueError, match="Unknown stage 'someday'"):
        recommend("someday", {})


def test_availability_may_arrive_as_a_number() -> None:
    assert (
        recommend("launch", {"availability_target": 99.9}).hash
        == recommend("launch", {"availability_target": "99.9"}).hash
    )


# --- properties ----------------------------------------------------------------------------

_CORE = {
    "customers": st.integers(1, 50_000_000),
    "peak_rps": st.floats(0, 100_000, allow_nan=False),
    "avg_response_kb": st.floats(0, 2000, allow_nan=False),
    "static_share": st.integers(0, 100),
    "read_ratio": st.integers(0, 100),
    "db_storage_gb": st.floats(0, 60_000, allow_nan=False),
    "object_storage_gb": st.floats(0, 2_000_000, allow_nan=False),
    "rpo_minutes": st.integers(0, 3000),
    "rto_minutes": st.integers(0, 3000),
    "stateless_app": st.booleans(),
    "uses_cache": st.booleans(),
    "async_processing": st.booleans(),
    "purpose_built_stores": st.lists(st.sampled_from(STORE_CHOICES), unique=True),
    "data_residency": st.booleans(),
    "dr_tested": st.booleans(),
    **{qid: st.sampled_from(choices) for qid, choices in CORE_CHOICES.items()},
}
answers_strategy = st.fixed_dictionaries({}, optional=_CORE)
stages = st.sampled_from(STAGES)
FAST = settings(max_examples=150, deadline=None)


@FAST
@given(stages, answers_strategy, st.floats(0, 50_000), st.floats(0, 50_000))
def test_more_peak_rps_never_gives_less_capacity(
    stage: str, answers: dict[str, Any], one: float, other: float
) -> None:
    low, high = sorted((one, other))

    smaller = recommend(stage, {**answers, "peak_rps": low})
    bigger = recommend(stage, {**answers, "peak_rps": high})

    assert capacity(bigger) >= capacity(smaller)


@FAST
@given(
    stages,
    answers_strategy,
    st.sampled_from(["vms", "containers", "serverless"]),
    st.floats(0, 50_000),
    st.integers(0, 100),
)
def test_the_application_tier_at_its_peak_size_carries_the_peak(
    stage: str, answers: dict[str, Any], model: str, peak: float, static: int
) -> None:
    answers = {**answers, "compute_model": model, "peak_rps": peak, "static_share": static}
    state = recommend(stage, answers)

    offloaded = state.component("cdn") is not None
    reaching_the_app = peak * (1 - static / 100 if offloaded else 1)
    if model == "serverless":
        lambda_seconds = {a.name: a.value for a in state.assumptions}["lambda_avg_ms"] / 1000
        reaching_the_app *= lambda_seconds  # concurrency = requests in flight
    assert capacity(state) >= reaching_the_app * (1 - 1e-9)


@FAST
@given(stages, answers_strategy, st.sampled_from(["99.95", "99.99"]))
def test_99_95_percent_never_leaves_compute_or_the_database_in_one_az(
    stage: str, answers: dict[str, Any], availability: str
) -> None:
    state = recommend(stage, {**answers, "availability_target": availability})

    for c in primary(state):
        if c.kind in ("compute", "container_service", "relational_db", "serverless_db"):
            assert c.azs >= 2, c.id


@FAST
@given(stages, answers_strategy)
def test_the_same_input_gives_the_same_hash(stage: str, answers: dict[str, Any]) -> None:
    reordered = dict(reversed(list(answers.items())))

    assert recommend(stage, answers).hash == recommend(stage, reordered).hash


@FAST
@given(stages, answers_strategy)
def test_to_dict_and_from_dict_round_trip_keeps_the_hash(
    stage: str, answers: dict[str, Any]
) -> None:
    state = recommend(stage, answers)

    through_json = json.loads(json.dumps(state.to_dict()))
    again = ArchitectureState.from_dict(through_json)

    assert again.hash == state.hash == through_json["hash"]
    assert again == state


@FAST
@given(stages, answers_strategy)
def test_every_state_is_well_formed(stage: str, answers: dict[str, Any]) -> None:
    state = recommend(stage, answers)

    ids = [c.id for c in state.components]
    assert len(ids) == len(set(ids))
    for c in state.components:
        assert c.kind in KINDS
        assert set(c.links) <= set(ids), c.id
        assert c.door in ("one_way", "two_way")
        assert c.reasons, c.id
        assert c.region == (
            "global"
            if c.azs == 0
            else (state.dr_region if c.id.startswith("dr-") else state.region)
        )
        # Each kind emits only the sizes the pricing snapshot prices for it.
        instance_types = SEARCH_NODE_TYPES if c.kind == "search" else INSTANCE_TYPES
        instance_classes = INFLUX_CLASSES if c.kind == "time_series" else DB_INSTANCE_CLASSES
        if "instance_type" in c.params:
            assert c.params["instance_type"] in instance_types
        if "instance_class" in c.params:
            assert c.params["instance_class"] in instance_classes
        if "node_type" in c.params:
            assert c.params["node_type"] in CACHE_NODE_TYPES
    assert set(state.risk_counts) == set(PILLARS)
    assert sum(n for c in state.risk_counts.values() for n in c.values()) == len(state.findings)


# --- findings ------------------------------------------------------------------------------

FIRES = [
    ("single-point-of-failure", "launch", {}),
    ("one-az-of-three", "launch", {}),
    ("no-identity-context", "launch", {"customer_identity": "none"}),
    ("open-to-layer-7-attacks", "growth", {"l7_protection": "none"}),
    ("manual-releases", "launch", {"release_process": "manual"}),
    ("manual-releases", "growth", {"release_process": "scripted"}),
    ("read-queries-on-primary", "launch", {"read_ratio": 80}),
    ("no-cache", "growth", {"read_ratio": 60}),
    ("no-cache", "growth", {"read_ratio": 90, "uses_cache": False}),
    ("spiky-load-on-fixed-capacity", "launch", {"traffic_pattern": "spiky"}),
    ("spiky-load-on-fixed-capacity", "growth", {"traffic_pattern": "spiky"}),
    ("latency-for-distant-customers", "launch", {"users_geography": "continent"}),
    ("stateful-application", "growth", {"stateless_app": False}),
    ("no-monitoring", "growth", {"monitoring": "none"}),
    ("no-monitoring", "scale", {"monitoring": "basic"}),
    ("no-multi-region-dr", "growth", {"availability_target": "99.5"}),
    ("one-database-for-every-access-pattern", "scale", {"purpose_built_stores": []}),
    ("coupled-features", "scale", {"compute_model": "vms"}),
    ("synchronous-chains", "scale", {"async_processing": False}),
    ("recovery-never-tested", "scale", {}),
    ("recovery-never-tested", "growth", {"dr_tested": False}),
    ("recovery-never-tested", "beyond", {"recovery_testing": "never"}),
    ("recovery-never-tested", "scale", {"dr_readiness": "documented"}),
    ("stateful-application", "growth", {"app_state": "on_server"}),
    ("synchronous-chains", "beyond", {"integration_style": "sync_chains"}),
    ("no-cache", "beyond", {"caching_layers": ["edge"]}),
    (
        "latency-target-out-of-reach",
        "growth",
        {"latency_target_ms": 80, "users_geography": "global"},
    ),
    ("multi-region-write-conflicts", "beyond", {"multi_region_writes": "any_region"}),
    ("static-content-on-servers", "launch", {"static_share": 70}),
]
STAYS_QUIET = [
    ("single-point-of-failure", "launch", {"availability_target": "99.9"}),
    (
        "single-point-of-failure",
        "launch",
        {"compute_model": "serverless", "database_engine": "dynamodb"},
    ),
    ("one-az-of-three", "growth", {}),
    ("no-identity-context", "launch", {"customer_identity": "in_app"}),
    ("open-to-layer-7-attacks", "launch", {"l7_protection": "waf"}),
    ("manual-releases", "launch", {"release_process": "scripted"}),
    ("manual-releases", "growth", {"release_process": "ci_cd"}),
    ("read-queries-on-primary", "launch", {"read_ratio": 50}),
    ("read-queries-on-primary", "growth", {"read_ratio": 80}),
    ("read-queries-on-primary", "launch", {"read_ratio": 90, "database_engine": "dynamodb"}),
    ("no-cache", "growth", {"read_ratio": 80}),
    ("no-cache", "growth", {"read_ratio": 30}),
    (
        "spiky-load-on-fixed-capacity",
        "growth",
        {"traffic_pattern": "spiky", "database_engine": "aurora-mysql"},
    ),
    ("spiky-load-on-fixed-capacity", "launch", {"traffic_pattern": "daily_peaks"}),
    ("latency-for-distant-customers", "growth", {"users_geography": "global"}),
    ("latency-for-distant-customers", "launch", {"users_geography": "global"}),
    ("stateful-application", "growth", {"stateless_app": True}),
    ("stateful-application", "launch", {"stateless_app": False}),
    ("no-monitoring", "growth", {"monitoring": "basic"}),
    ("no-monitoring", "scale", {"monitoring": "full"}),
    ("no-multi-region-dr", "growth", {"rpo_minutes": 15, "rto_minutes": 60}),
    ("no-multi-region-dr", "launch", {}),
    ("no-multi-region-dr", "growth", {}),
    ("one-database-for-every-access-pattern", "scale", {}),
    (
        "one-database-for-every-access-pattern",
        "scale",
        {"database_engine": "dynamodb", "purpose_built_stores": []},
    ),
    ("coupled-features", "scale", {"compute_model": "containers"}),
    ("coupled-features", "growth", {"compute_model": "vms"}),
    ("synchronous-chains", "beyond", {}),
    ("synchronous-chains", "scale", {"async_processing": True}),
    ("recovery-never-tested", "beyond", {}),
    ("recovery-never-tested", "growth", {}),
    ("recovery-never-tested", "beyond", {"recovery_testing": "yearly"}),
    ("recovery-never-tested", "scale", {"dr_readiness": "rehearsed"}),
    ("stateful-application", "growth", {"app_state": "shared"}),
    ("synchronous-chains", "beyond", {"integration_style": "event_driven"}),
    ("latency-target-out-of-reach", "growth", {"latency_target_ms": 300}),
    (
        "latency-target-out-of-reach",
        "beyond",
        {"latency_target_ms": 80, "global_latency": "nearest_region"},
    ),
    ("multi-region-write-conflicts", "beyond", {"multi_region_writes": "home_region"}),
    ("static-content-on-servers", "launch", {"static_share": 20}),
    ("static-content-on-servers", "growth", {"static_share": 90}),  # CloudFront serves it
]


@pytest.mark.parametrize(("rule", "stage", "answers"), FIRES)
def test_the_finding_fires_when_its_answers_call_for_it(
    rule: str, stage: str, answers: dict[str, Any]
) -> None:
    state = recommend(stage, answers)

    found = finding(state, rule)
    assert found.pillar in PILLARS
    assert found.risk in ("high", "medium")
    # It cites only what was answered (here without the catalogue's words: "id=value").
    assert all(b.split("=")[0] in answers for b in found.because)
    assert found.action and found.section and found.reason and found.due in STAGES


@pytest.mark.parametrize(("rule", "stage", "answers"), STAYS_QUIET)
def test_the_finding_stays_quiet_when_its_fix_is_present_or_it_does_not_apply(
    rule: str, stage: str, answers: dict[str, Any]
) -> None:
    assert rule not in finding_ids(recommend(stage, answers))


def test_launch_findings_are_fixed_by_the_growth_stage() -> None:
    state = recommend("launch", {"customer_identity": "none"})

    assert finding(state, "single-point-of-failure").fixed_by == "growth"
    assert finding(state, "no-identity-context").fixed_by == "growth"
    assert (
        finding(state, "no-identity-context").section
        == "Scaling to 100+ customers: Learn — Security"
    )


def test_a_finding_in_a_stage_that_can_fix_it_names_the_component() -> None:
    state = recommend("growth", {"customer_identity": "none", "l7_protection": "none"})

    assert finding(state, "no-identity-context").fixed_by == "identity"
    assert finding(state, "open-to-layer-7-attacks").fixed_by == "waf"
    assert finding(recommend("scale", {}), "synchronous-chains").fixed_by == "beyond"
    assert (
        finding(recommend("scale", {"compute_model": "vms"}), "coupled-features").fixed_by
        == "app-service"
    )


def test_a_finding_says_which_answers_caused_it() -> None:
    state = recommend("launch", {"availability_target": "99.5", "read_ratio": 85})

    assert finding(state, "single-point-of-failure").because == ("availability_target=99.5",)
    assert "read_ratio=85" in finding(state, "read-queries-on-primary").because


def test_one_az_is_a_high_risk_when_the_target_needs_two() -> None:
    state = recommend("growth", {}, {"web-asg": {"azs": 1}})

    assert finding(state, "one-az-of-three").risk == "high"
    assert "web-asg.azs=1" in finding(state, "one-az-of-three").because


def test_risk_counts_add_up_per_pillar() -> None:
    state = recommend("launch", {"customer_identity": "none", "l7_protection": "none"})

    assert state.risk_counts["security"] == {"high": 2, "medium": 0}
    assert set(state.risk_counts) == set(PILLARS)


CHOICE_RISKS = {
    "customer_identity": {"in_app": {"security": "medium"}, "none": {"security": "high"}},
    "release_process": {"scripted": {"operational_excellence": "medium", "reliability": "medium"}},
    "backups": {"none": {"reliability": "high"}},
    "admin_access": {"root_or_shared": {"security": "high"}},
    "learn_security": {"shared_admin_access": {"security": "high"}},
}


def test_catalogue_choice_risks_become_specific_findings_for_answered_choices() -> None:
    state = recommend(
        "launch", {"customer_identity": "in_app", "backups": "none"}, choice_risks=CHOICE_RISKS
    )

    identity = finding(state, "identity-in-app")
    assert (identity.pillar, identity.risk) == ("security", "medium")
    assert identity.because == ("customer_identity=in_app",)
    assert identity.components == ("identity",)
    assert "Cognito" in identity.action and identity.reason
    assert identity.due == "growth"
    backups = finding(state, "no-backups")
    assert (backups.pillar, backups.risk, backups.due) == ("reliability", "high", "launch")
    assert "AWS Backup" in backups.action and "backup" in backups.components
    assert not [f for f in state.findings if "Review this answer" in f.action]


def test_choice_risks_of_unanswered_questions_are_not_findings() -> None:
    state = recommend("launch", {}, choice_risks=CHOICE_RISKS)

    assert "identity-in-app" not in finding_ids(state)
    assert "no-backups" not in finding_ids(state)


def test_an_answer_a_rule_already_judges_joins_that_rules_finding() -> None:
    state = recommend(
        "growth",
        {"customer_identity": "none", "release_process": "scripted"},
        choice_risks=CHOICE_RISKS,
    )

    ids = [f.id for f in state.findings]
    assert ids.count("no-identity-context") == 1
    assert ids.count("manual-releases") == 1
    assert finding(state, "manual-releases").because == ("release_process=scripted",)


def test_two_answers_that_say_the_same_give_one_finding_citing_both() -> None:
    state = recommend(
        "launch",
        {"admin_access": "root_or_shared", "learn_security": ["shared_admin_access"]},
        choice_risks=CHOICE_RISKS,
    )

    shared = [f for f in state.findings if f.id == "shared-admin-access"]
    assert len(shared) == 1
    assert shared[0].because == (
        "admin_access=root_or_shared",
        "learn_security=shared_admin_access",
    )


def test_a_risky_choice_with_no_words_is_refused_rather_than_made_generic() -> None:
    with pytest.raises(ValueError, match="no finding to say what to do"):
        recommend(
            "launch",
            {"languages": ["cobol"]},
            choice_risks={"languages": {"cobol": {"sustainability": "high"}}},
        )


def test_a_choice_risk_with_an_unknown_pillar_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown pillar 'speed'"):
        recommend(
            "launch",
            {"customer_identity": "in_app"},
            choice_risks={"customer_identity": {"in_app": {"speed": "high"}}},
        )


# --- disaster recovery ---------------------------------------------------------------------

BOUNDARIES = [
    # (rpo, rto, expected): just at and just below each strategy's thresholds
    (60, 240, "backup_restore"),
    (59, 240, "pilot_light"),
    (60, 239, "pilot_light"),
    (10, 30, "pilot_light"),
    (9, 30, "warm_standby"),
    (10, 29, "warm_standby"),
    (1, 5, "warm_standby"),
    (0, 5, "active_active"),
    (1, 4, "active_active"),
    (0, 0, "active_active"),
    (10_000, 10_000, "backup_restore"),
]


@pytest.mark.parametrize(("rpo", "rto", "expected"), BOUNDARIES)
def test_the_cheapest_dr_strategy_that_meets_rpo_and_rto_is_chosen(
    rpo: int, rto: int, expected: str
) -> None:
    strategy, rejected = select_dr_strategy(rpo, rto, "99.9")

    assert strategy == expected
    assert [s for s, _ in rejected] == list(DR_STRATEGIES[: DR_STRATEGIES.index(expected)])


def test_the_thresholds_are_the_documented_ones() -> None:
    assert DR_THRESHOLDS == {
        "backup_restore": (60, 240),
        "pilot_light": (10, 30),
        "warm_standby": (1, 5),
        "active_active": (0, 0),
    }


def test_a_rejected_strategy_says_which_demand_it_fails() -> None:
    _, rejected = select_dr_strategy(5, 300, "99.9")

    reasons = dict(rejected)
    assert "RPO 5 min is below its 60 min" in reasons["backup_restore"]
    assert "RTO" not in reasons["backup_restore"]
    assert "RPO 5 min is below its 10 min" in reasons["pilot_light"]


def test_99_99_percent_needs_at_least_a_warm_standby() -> None:
    strategy, rejected = select_dr_strategy(1440, 1440, "99.99")

    assert strategy == "warm_standby"
    assert all("99.99% needs at least warm standby" in reason for _, reason in rejected)
    assert select_dr_strategy(1440, 1440, "99.95")[0] == "backup_restore"


def test_launch_and_a_relaxed_growth_keep_backups_in_region_unless_rpo_demands_more() -> None:
    launch = recommend("launch", {})
    relaxed = recommend("growth", {"availability_target": "99.5"})
    demanding = recommend("growth", {"rpo_minutes": 15, "rto_minutes": 60})

    for state in (launch, relaxed):
        assert not [c for c in state.components if c.id.startswith("dr-")]
        assert state.dr.runs_there == ()
        assert "copies to us-west-2 start at stage growth once availability reaches 99.9%" in (
            state.dr.why
        )
    assert demanding.dr.strategy == "pilot_light"
    assert component(demanding, "dr-primary-db").region == "us-west-2"
    assert component(demanding, "dr-web-asg").params["count"] == 0
    assert "dr-primary-db" in " ".join(demanding.dr.runs_there)


def test_growth_copies_backups_when_availability_or_an_answered_rpo_counts_on_them() -> None:
    # 99.9% (the growth default), or an RPO/RTO the team answered that backup and restore
    # claims to meet: a backup left in the failed region could meet neither.
    for answers in ({}, {"availability_target": "99.5", "rpo_minutes": 240}):
        state = recommend("growth", answers)

        assert state.dr.strategy == "backup_restore"
        assert [c.id for c in state.components if c.id.startswith("dr-")] == ["dr-backup"]
        assert component(state, "backup").params["copies_to"] == "us-west-2"
        assert "not met for a regional outage" not in state.dr.why


def test_scale_copies_backups_to_the_dr_region_even_for_backup_and_restore() -> None:
    state = recommend("scale", {"rpo_minutes": 240, "rto_minutes": 600})

    assert state.dr.strategy == "backup_restore"
    assert [c.id for c in state.components if c.id.startswith("dr-")] == ["dr-backup"]
    assert "dr-backup" in component(state, "backup").links


@pytest.mark.parametrize(
    ("region", "paired"),
    [
        ("us-east-1", "us-west-2"),
        ("us-west-2", "us-east-1"),
        ("us-east-2", "us-west-2"),
        ("eu-west-1", "eu-central-1"),
        ("eu-central-1", "eu-west-1"),
        ("eu-west-2", "eu-west-1"),
        ("ap-south-1", "ap-southeast-1"),
        ("ap-southeast-1", "ap-south-1"),
        ("sa-east-1", "us-west-2"),
    ],
)
def test_the_dr_region_defaults_to_the_paired_region(region: str, paired: str) -> None:
    assert default_dr_region(region) == paired
    assert recommend("scale", {}, region=region).dr.region == paired


def test_an_explicit_dr_region_wins_and_dr_components_live_there() -> None:
    state = recommend("scale", {}, region="eu-west-1", dr_region="eu-north-1")

    assert state.dr_region == state.dr.region == "eu-north-1"
    assert {c.region for c in state.components if c.id.startswith("dr-")} == {"eu-north-1"}


def test_a_dr_region_equal_to_the_region_is_rejected() -> None:
    with pytest.raises(ValueError, match="must differ"):
        recommend("scale", {}, region="us-east-1", dr_region="us-east-1")


# --- overrides -----------------------------------------------------------------------------


def test_an_override_wins_and_the_engine_resizes_around_it() -> None:
    answers = {"peak_rps": 1000, "static_share": 0}
    engine = component(recommend("growth", answers), "web-asg")

    web = component(
        recommend("growth", answers, {"web-asg": {"instance_type": "m6g.2xlarge"}}), "web-asg"
    )

    assert web.params["instance_type"] == "m6g.2xlarge"
    assert web.params["count"] < engine.params["count"]
    assert web.overridden == ("instance_type",)
    assert "overridden: instance_type=m6g.2xlarge" in web.reasons


def test_count_overrides_move_the_engine_bounds_to_make_room() -> None:
    web = component(recommend("growth", {}, {"web-asg": {"count": "40"}}), "web-asg")

    assert (web.params["min"], web.params["count"], web.params["max"]) == (2, 40, 40)
    assert web.overridden == ("count",)


def test_a_database_override_is_applied_and_reported() -> None:
    overrides = {"primary-db": {"instance_class": "db.r6g.xlarge", "multi_az": False}}

    state = recommend("growth", {}, overrides)

    db = component(state, "primary-db")
    assert db.params["instance_class"] == "db.r6g.xlarge"
    assert db.params["multi_az"] is False
    assert db.azs == 1
    assert db.overridden == ("instance_class", "multi_az")
    assert "primary-db.multi_az=no" in finding(state, "single-point-of-failure").because


def test_an_aurora_without_replicas_is_no_longer_multi_az() -> None:
    state = recommend("scale", {}, {"primary-db": {"read_replicas": 0}})

    assert component(state, "primary-db").params["multi_az"] is False
    assert "primary-db.read_replicas=0" in finding(state, "single-point-of-failure").because


def test_a_launch_fleet_overridden_to_three_instances_gets_a_load_balancer() -> None:
    state = recommend("launch", {}, {"web-asg": {"count": 3}})

    web = component(state, "web-asg")
    assert (web.params["min"], web.params["count"], web.params["max"]) == (3, 3, 3)
    assert "load-balancer" in {c.id for c in state.components}
    assert "single-point-of-failure" in finding_ids(state)  # the database is still single-AZ


def test_an_az_override_moves_the_fleet_without_becoming_a_param() -> None:
    web = component(
        recommend("scale", {"compute_model": "vms"}, {"web-asg": {"azs": 2}}), "web-asg"
    )

    assert web.azs == 2
    assert "azs" not in web.params
    assert web.overridden == ("azs",)


def test_more_azs_than_instances_is_rejected_when_both_are_overridden() -> None:
    with pytest.raises(InvalidOverride, match="3 AZs need at least 3 instances"):
        recommend("growth", {}, {"web-asg": {"azs": 3, "count": 2}})


def test_overrides_of_a_component_the_stage_lacks_are_ignored() -> None:
    state = recommend("launch", {}, {"app-cache": {"nodes": 3}})

    assert state.hash == recommend("launch", {}).hash


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"web-asg": {"instance_type": "m5.huge"}},
            "'m5.huge' is not offered; choose one of t3.small",
        ),
        ({"web-asg": {"count": 0}}, "must be a whole number from 1 to 100"),
        ({"web-asg": {"count": 101}}, "must be a whole number from 1 to 100"),
        ({"web-asg": {"count": "many"}}, "must be a whole number"),
        ({"web-asg": {"min": 5, "max": 3}}, "min 5 is above max 3"),
        ({"web-asg": {"count": 9, "max": 4}}, "count 9 is above max 4"),
        ({"web-asg": {"colour": "red"}}, "cannot be overridden; choose one of instance_type"),
        ({"primary-db": {"instance_class": "db.x9.huge"}}, "is not offered"),
        ({"primary-db": {"multi_az": "perhaps"}}, "must be true or false"),
        ({"primary-db": {"engine": "oracle"}}, "'oracle' is not offered"),
        (
            {"primary-db": {"engine": "aurora-mysql", "instance_class": "db.m6g.large"}},
            "Aurora does not run on db.m6g.large",
        ),
        ({"dns": {"routing": "weighted"}}, "a dns component has no overridable parameter"),
    ],
)
def test_an_invalid_override_is_rejected_with_a_clear_message(
    overrides: dict[str, dict[str, Any]], message: str
) -> None:
    with pytest.raises(InvalidOverride, match=message) as raised:
        recommend("growth", {}, overrides)

    assert raised.value.component_id == next(iter(overrides))
    assert isinstance(raised.value, ValueError)


def test_aurora_refuses_classes_it_does_not_run_on() -> None:
    state = recommend("scale", {})

    with pytest.raises(InvalidOverride, match=r"Aurora does not run on db\.t3\.micro"):
        validate_override(state, "primary-db", "instance_class", "db.t3.micro")


def test_fargate_memory_must_suit_the_vcpu() -> None:
    with pytest.raises(InvalidOverride, match="2-vCPU Fargate task takes 4 to 16 GB"):
        recommend("scale", {}, {"app-service": {"vcpu": 2, "memory_gb": 64}})


def test_validate_override_cleans_one_field_for_the_web_form() -> None:
    state = recommend("growth", {})

    assert validate_override(state, "web-asg", "count", "6") == 6
    assert validate_override(state.components, "primary-db", "multi_az", "false") is False
    assert (
        validate_override(state, "app-cache", "node_type", "cache.r6g.large") == "cache.r6g.large"
    )


def test_validate_override_refuses_an_unknown_component() -> None:
    with pytest.raises(InvalidOverride, match="no such component"):
        validate_override(recommend("launch", {}), "app-cache", "nodes", 2)


def test_a_pilot_light_fleet_may_be_overridden_to_zero() -> None:
    state = recommend("scale", {"compute_model": "vms"})

    assert validate_override(state, "dr-web-asg", "count", 0) == 0
    with pytest.raises(InvalidOverride):
        validate_override(state, "web-asg", "count", 0)


@FAST
@given(
    st.sampled_from(["growth", "scale", "beyond"]),
    st.sampled_from(INSTANCE_TYPES),
    st.integers(1, 100),
    st.sampled_from(DB_INSTANCE_CLASSES),
    st.booleans(),
)
def test_any_valid_override_is_applied_and_reported(
    stage: str, instance_type: str, count: int, instance_class: str, multi_az: bool
) -> None:
    answers = {"compute_model": "vms", "database_engine": "postgresql", "traffic_pattern": "steady"}
    overrides = {
        "web-asg": {"instance_type": instance_type, "count": count},
        "primary-db": {"instance_class": instance_class, "multi_az": multi_az},
    }

    state = recommend(stage, answers, overrides)

    web, db = component(state, "web-asg"), component(state, "primary-db")
    assert (web.params["instance_type"], web.params["count"]) == (instance_type, count)
    assert web.params["min"] <= count <= web.params["max"]
    assert 1 <= web.azs <= count
    assert (db.params["instance_class"], db.params["multi_az"]) == (instance_class, multi_az)
    assert web.overridden == ("count", "instance_type")
    assert db.overridden == ("instance_class", "multi_az")


def test_overrides_change_the_hash() -> None:
    assert recommend("growth", {}, {"web-asg": {"count": 6}}).hash != recommend("growth", {}).hash


# --- diff ----------------------------------------------------------------------------------


def test_diff_from_nothing_adds_everything() -> None:
    state = recommend("launch", {})

    change = diff(None, state)

    assert change.added == tuple(c.id for c in state.components)
    assert change.findings_new == tuple(f.id for f in state.findings)
    assert change.removed == change.findings_resolved == ()


def test_diff_between_stages_says_what_changes() -> None:
    launch, growth = recommend("launch", {}), recommend("growth", {})

    change = diff(launch, growth)

    assert {"load-balancer", "cdn", "object-storage", "waf", "identity", "cicd"} <= set(
        change.added
    )
    assert change.removed == ()
    assert change.changed["web-asg"]["count"] == (1, 2)
    assert change.changed["web-asg"]["azs"] == (1, 2)
    assert change.changed["primary-db"]["multi_az"] == (False, True)
    assert "single-point-of-failure" in change.findings_resolved
    assert "dr-backup" in change.added  # 99.9% at growth: backups leave the region
    assert "no-multi-region-dr" not in change.findings_new


def test_diff_reports_removed_components_and_dr_strategy_changes() -> None:
    growth, scale = recommend("growth", {}), recommend("scale", {})

    change = diff(growth, scale)

    assert "web-asg" in change.removed
    assert "app-service" in change.added
    assert change.dr_strategy == ("backup_restore", "pilot_light")
    assert json.loads(json.dumps(change.to_dict()))["changed"]["dns"]["routing"] == [
        "simple",
        "failover",
    ]


def test_diff_of_a_state_with_itself_is_empty() -> None:
    state = recommend("scale", {})

    change = diff(state, state)

    assert (change.added, change.removed, change.changed) == ((), (), {})
    assert change.dr_strategy is None


# --- assumptions ---------------------------------------------------------------------------


def test_every_assumption_is_stated_in_the_state() -> None:
    state = recommend("growth", {})

    assert [a.name for a in state.assumptions] == list(ASSUMPTIONS)
    assert {a.name: a.value for a in state.assumptions}["requests_per_customer_per_month"] == 3000
    assert all(a.unit and a.description for a in state.assumptions)


def test_an_assumption_override_changes_the_sizing_and_is_shown() -> None:
    default = recommend("growth", {"peak_rps": 1000})
    slower = recommend("growth", {"peak_rps": 1000}, assumptions={"rps_per_instance": 50})

    assert (
        component(slower, "web-asg").params["count"] > component(default, "web-asg").params["count"]
    )
    assert {a.name: a.value for a in slower.assumptions}["rps_per_instance"] == 50
    assert slower.hash != default.hash


def test_the_peak_factor_follows_the_traffic_pattern() -> None:
    steady = recommend("growth", {"customers": 100_000, "traffic_pattern": "steady"})
    spiky = recommend("growth", {"customers": 100_000, "traffic_pattern": "spiky"})

    assert capacity(spiky) > capacity(steady)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"requests_per_user": 5}, "Unknown assumption 'requests_per_user'"),
        ({"rps_per_instance": 0}, "must be a positive number"),
        ({"rps_per_instance": -3}, "must be a positive number"),
        ({"rps_per_instance": "lots"}, "must be a number"),
        ({"rps_per_instance": True}, "must be a number"),
        ({"cache_hit_ratio": 1.5}, "is a ratio: use a number from 0 to 1"),
    ],
)
def test_a_bad_assumption_is_rejected_with_a_clear_message(
    overrides: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        resolve_assumptions(overrides)
    with pytest.raises(ValueError, match=message):
        recommend("growth", {}, assumptions=overrides)


# --- rendering and speed -------------------------------------------------------------------


def test_to_text_shows_components_findings_and_the_dr_plan() -> None:
    text = to_text(recommend("launch", {}))

    assert "web-asg: EC2 instance (compute, us-east-1, 1 AZ)" in text
    assert "[high] Single point of failure" in text
    assert "Disaster recovery: backup and restore to us-west-2" in text


def test_a_recommendation_takes_well_under_a_few_milliseconds() -> None:
    recommend("beyond", BEYOND_GLOBAL)  # warm up
    started = time.perf_counter()
    for stage, answers in zip(
        STAGES, (LAUNCH_100, GROWTH_10K_SPIKY, SCALE_1M_RPO_5, BEYOND_GLOBAL), strict=True
    ):
        for _ in range(25):
            recommend(stage, answers).hash  # noqa: B018 - the hash is part of the work
    per_call = (time.perf_counter() - started) / 100

    assert per_call < 0.005
