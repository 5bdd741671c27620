"""Priced suggestions against hand-computed savings, and only when they apply."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from journeys import engine
from journeys.demo_answers import DEMO_ANSWERS
from journeys.engine.state import ArchitectureState, Assumption, Component, DrPlan
from journeys.pricing.estimate import estimate
from journeys.pricing.keys import state_keys
from journeys.pricing.price import ResolvedPrice
from journeys.pricing.snapshot import Snapshot
from journeys.pricing.suggestions import suggest, suggestion_keys
from tests.builders import priced_component as component

D = Decimal
SNAPSHOT = Snapshot.load()


def state_of(*components: Component, **assumed: float) -> ArchitectureState:
    values = {name: a.value for name, a in engine.ASSUMPTIONS.items()} | assumed
    assumptions = tuple(Assumption(n, v, "", "") for n, v in values.items())
    dr = DrPlan("backup_restore", 60, 240, "us-west-2", (), "test", ())
    return ArchitectureState(
        "growth", "us-east-1", "us-west-2", components, (), dr, assumptions, {}
    )


def prices_for(state: ArchitectureState) -> dict[str, ResolvedPrice]:
    keys = state_keys(state) + suggestion_keys(state)
    return {k.id: p for k in keys if (p := SNAPSHOT.price(k)) is not None}


def suggestions(state: ArchitectureState, customers: int = 1, **kwargs: Any) -> dict[str, Any]:
    prices = prices_for(state)
    result = estimate(state, prices, customers, free_tier=kwargs.pop("free_tier", False))
    return {s.title: s for s in suggest(state, result, prices, **kwargs)}


def test_graviton_saving_is_the_price_difference_at_the_same_usage() -> None:
    # us-east-1: t3.medium 0.0416/h, t4g.medium 0.0336/h; 730 hours.
    web = component(
        "web-asg", "compute", {"instance_hours": 730}, instance_type="t3.medium", min=1, count=1
    )
    found = suggestions(state_of(web))["Graviton for web-asg"]
    assert found.monthly_saving_usd == D(730) * (D("0.0416") - D("0.0336")) == D("5.84")
    assert "t3.medium → t4g.medium" in found.detail and "Arm" in found.assumption


def test_no_graviton_suggestion_for_what_already_runs_on_graviton() -> None:
    web = component(
        "web-asg", "compute", {"instance_hours": 730}, instance_type="m6g.large", min=1, count=1
    )
    assert not any(t.startswith("Graviton") for t in suggestions(state_of(web)))


def test_a_savings_plan_covers_the_baseline_fleet_at_the_stated_discount() -> None:
    # Two m6g.large always on (min 2): 1,460 h × 0.077 = 112.42, at an assumed 20% off.
    web = component(
        "web-asg", "compute", {"instance_hours": 1460}, instance_type="m6g.large", min=2, count=2
    )
    found = suggestions(state_of(web))[
        "1-year Compute Savings Plan on the baseline fleet (estimate)"
    ]
    assert found.monthly_saving_usd == D("112.42") * D("0.20")
    assert "assumed 20% discount" in found.assumption


def test_only_the_always_on_part_of_a_scaling_fleet_is_committed() -> None:
    # min 2 of an average of 4 instances (2,920 h): half of 224.84 is committed.
    web = component(
        "web-asg", "compute", {"instance_hours": 2920}, instance_type="m6g.large", min=2, count=6
    )
    found = suggestions(state_of(web))[
        "1-year Compute Savings Plan on the baseline fleet (estimate)"
    ]
    assert found.monthly_saving_usd == D("224.84") / 2 * D("0.20")


def test_databases_and_caches_get_a_reservation_estimate() -> None:
    # Aurora db.r6g.large: writer + 1 replica, 1,460 h × 0.26 = 379.6, at an assumed 30% off.
    db = component(
        "primary-db",
        "relational_db",
        {"instance_hours": 730, "replica_instance_hours": 730},
        engine="aurora-postgresql",
        instance_class="db.r6g.large",
        multi_az=True,
        read_replicas=1,
    )
    found = suggestions(state_of(db))[
        "1-year reserved instances for databases and caches (estimate)"
    ]
    assert found.monthly_saving_usd == D("379.6") * D("0.30")


def test_serverless_v2_is_suggested_for_spiky_load_when_it_costs_less() -> None:
    db = component(
        "primary-db",
        "relational_db",
        {"instance_hours": 730, "replica_instance_hours": 730},
        engine="aurora-postgresql",
        instance_class="db.r6g.large",
        multi_az=True,
        read_replicas=1,
    )
    state = state_of(db, peak_hours_per_day=2, peak_factor_spiky=10)
    title = "Aurora Serverless v2 for spiky load (primary-db)"
    found = suggestions(state, traffic_pattern="spiky")[title]
    # 16 GiB ⇒ 8 ACU at peak; busy = 2/24 + 22/24 × 1/10 = 0.175; 8 × 0.175 × 2 × 730 =
    # 2,044 ACU-hours × 0.12 = 245.28 against 379.6 for the two instances.
    assert found.monthly_saving_usd.quantize(D("0.01")) == D("134.32")
    assert title not in suggestions(state, traffic_pattern="steady")
    # With a six-hour peak the instances are cheaper: no suggestion.
    assert title not in suggestions(state_of(db), traffic_pattern="spiky")


def test_intelligent_tiering_saving_counts_the_monitoring_fee() -> None:
    bucket = component("object-storage", "object_storage", {"storage_gb": 10_000})
    found = suggestions(state_of(bucket))["S3 Intelligent-Tiering for object-storage"]
    # 230.00 now; 5,000 GB frequent × 0.023 + 5,000 GB infrequent × 0.0125 + 10,240,000
    # objects × 0.0000025 = 115 + 62.5 + 25.6 = 203.1.
    assert found.monthly_saving_usd == D("26.9")


def test_cloudfront_offload_prices_the_edge_against_regional_data_out() -> None:
    lb = component("load-balancer", "load_balancer", {"data_transfer_out_gb": 20_000})
    found = suggestions(state_of(lb), customers=1000)["CloudFront in front of the application"]
    # Now: 10,240 × 0.09 + 9,760 × 0.085 = 1,751.2. CloudFront: 10,240 × 0.085 + 9,760 × 0.08
    # + 3,000,000 requests (1,000 customers × 3,000) × 0.000001 = 1,654.2.
    assert found.monthly_saving_usd == D("97")
    assert found.components == ("load-balancer",)


def test_with_a_cdn_there_is_no_offload_suggestion() -> None:
    lb = component("load-balancer", "load_balancer", {"data_transfer_out_gb": 20_000})
    cdn = component("cdn", "cdn", {"requests": 1}, region="global")
    assert "CloudFront in front of the application" not in suggestions(state_of(lb, cdn))


def test_nothing_is_suggested_when_nothing_applies() -> None:
    dns = component("dns", "dns", {"hosted_zones": 1}, region="global", routing="simple")
    assert suggestions(state_of(dns)) == {}


def test_demo_suggestions_are_priced_positive_and_largest_first() -> None:
    for stage, answers in DEMO_ANSWERS.items():
        state = engine.recommend(stage, answers, region="eu-west-1", dr_region="eu-central-1")
        prices = prices_for(state)
        result = estimate(state, prices, answers["customers"])
        found = suggest(state, result, prices, traffic_pattern=answers["traffic_pattern"])
        assert found, stage
        savings = [s.monthly_saving_usd for s in found]
        assert all(s > 0 for s in savings) and savings == sorted(savings, reverse=True)
        assert all(s.assumption and s.to_dict()["monthly_saving_usd"] for s in found)


def test_a_fargate_baseline_counts_tasks_not_vcpus() -> None:
    # 2 tasks of 2 vCPU / 4 GB always on (min 2): all of the fleet is baseline.
    service = component(
        "app-service",
        "container_service",
        {"vcpu_hours": 2920, "memory_gb_hours": 5840},
        vcpu=2,
        memory_gb=4,
        tasks=2,
        min=2,
    )
    found = suggestions(state_of(service))[
        "1-year Compute Savings Plan on the baseline fleet (estimate)"
    ]
    # us-east-1 Fargate: 2,920 vCPU-h × 0.04048 + 5,840 GB-h × 0.004445, at 20% off.
    assert found.monthly_saving_usd == (D(2920) * D("0.04048") + D(5840) * D("0.004445")) * D("0.2")


def test_every_suggestion_reads_as_sentences_with_no_identifier() -> None:
    """ "Ways to save" shows detail and assumption one after the other: each is a sentence of
    its own, and no snake_case name of an assumption or a component id appears."""
    web = component("web-asg", "compute", {"instance_hours": 2 * 730}, instance_type="t3.medium")
    web = Component(
        "web-asg", "compute", "Web servers", web.params, "us-east-1", 1, usage=web.usage
    )
    lb = Component(
        "load-balancer", "load_balancer", "Load balancer", {}, "us-east-1", 1,
        usage={"data_transfer_out_gb": 20_000},
    )  # fmt: skip
    db = Component(
        "primary-db", "relational_db", "Database",
        {"engine": "aurora-postgresql", "instance_class": "db.r6g.large", "multi_az": True,
         "read_replicas": 1},
        "us-east-1", 1, usage={"instance_hours": 730, "replica_instance_hours": 730},
    )  # fmt: skip
    state = state_of(web, lb, db, peak_hours_per_day=2, peak_factor_spiky=10)
    found = list(suggestions(state, customers=1000, traffic_pattern="spiky").values())
    assert len(found) >= 4
    for s in found:
        for text in (s.detail, s.assumption):
            assert text[0].isupper() or text[0].isdigit(), text
            assert text.endswith("."), text
            assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), text
            assert "web-asg" not in text and "primary-db" not in text, text
