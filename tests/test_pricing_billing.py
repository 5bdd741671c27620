"""What AWS bills, priced as it bills it (issue 13: defects 3, 4, 6, 9, the Route 53 alias
queries of 14, and 15), and each line's assumption in plain words. Expected dollars are worked
out by hand from the published prices in the comments."""

from __future__ import annotations

from decimal import Decimal

import pytest

from journeys import engine
from journeys.engine.inputs import resolve_assumptions
from journeys.engine.overrides import clean_field
from journeys.engine.state import ArchitectureState, Component, DrPlan, InvalidOverride
from journeys.engine.tables import COGNITO_PLANS
from journeys.pricing import keys as K
from journeys.pricing.estimate import ESTIMATED_WORDS, Estimate, estimate
from journeys.pricing.keys import NoCharge, Split, state_keys
from journeys.pricing.snapshot import Snapshot
from journeys.pricing.wording import assumes
from tests.builders import priced_component as component

D = Decimal
SNAPSHOT = Snapshot.load()


def state_of(*components: Component, region: str = "us-east-1") -> ArchitectureState:
    dr = DrPlan("warm_standby", 1, 5, "us-west-2", (), "test", ())
    return ArchitectureState("scale", region, "us-west-2", components, (), dr, (), {})


def priced(state: ArchitectureState, *, free_tier: bool = False) -> Estimate:
    prices = {k.id: SNAPSHOT.price(k) for k in state_keys(state)}
    return estimate(state, prices, 1, free_tier=free_tier)  # type: ignore[arg-type]


def cost_of(result: Estimate, cid: str, usage: str) -> Decimal:
    return sum(
        (x.monthly_usd for x in result.lines if x.component_id == cid and x.usage == usage), D(0)
    )


# -- 3. Cognito: the plan the journey uses, free MAUs always applied ---------------------------


def test_cognito_is_priced_on_essentials_by_default_with_10000_free_maus_every_month() -> None:
    state = engine.recommend("growth", {"customers": 100_000}, region="us-east-1")
    identity = next(c for c in state.components if c.kind == "identity")
    assert identity.params["plan"] == "essentials"
    result = priced(state)
    # (100,000 − 10,000 free) × $0.015 = $1,350 (the legacy bands gave 50,000 × 0.0055 +
    # 50,000 × 0.0046 = $505 with nobody free).
    assert cost_of(result, "identity", "mau") == D("1350")
    # The free tier switch does not add a second 10,000.
    assert cost_of(priced(state, free_tier=True), "identity", "mau") == D("1350")


def test_cognito_under_10000_users_costs_nothing_and_plus_has_no_free_users() -> None:
    few = component("identity", "identity", {"mau": 8_000}, plan="essentials")
    assert priced(state_of(few)).monthly_usd == 0
    plus = component("identity", "identity", {"mau": 20_000}, plan="plus")
    assert priced(state_of(plus)).monthly_usd == D("400")  # 20,000 × $0.02


def test_the_cognito_plan_is_a_component_override_checked_against_the_plans() -> None:
    assert set(COGNITO_PLANS) == set(K.COGNITO_PLANS)
    assert clean_field("identity", "identity", "plan", " lite ") == "lite"
    with pytest.raises(InvalidOverride, match="choose one of lite, essentials, plus"):
        clean_field("identity", "identity", "plan", "gold")
    state = engine.recommend(
        "growth", {"customers": 100_000}, {"identity": {"plan": "lite"}}, region="us-east-1"
    )
    # Lite: 90,000 × $0.0055 = $495.
    assert cost_of(priced(state), "identity", "mau") == D("495")


# -- 4. CloudFront for customers worldwide: each edge geography at its own rate ----------------


def test_worldwide_customers_are_billed_at_each_edge_geographys_rates() -> None:
    mix = {"north_america": 0.45, "europe": 0.3, "asia_pacific": 0.25}
    cdn = component(
        "cdn",
        "cdn",
        {"requests": 1_000_000_000, "data_transfer_out_gb": 100_000},
        region="global",
        edge_mix=mix,
    )
    result = priced(state_of(cdn, region="ap-south-1"))
    # Data out, tiers per geography:
    #   US 45,000 GB: 10,240 × 0.085 + 34,760 × 0.080 = 870.40 + 2,780.80 = 3,651.20
    #   EU 30,000 GB: 10,240 × 0.085 + 19,760 × 0.080 = 870.40 + 1,580.80 = 2,451.20
    #   AP 25,000 GB: 10,240 × 0.120 + 14,760 × 0.100 = 1,228.80 + 1,476.00 = 2,704.80
    assert cost_of(result, "cdn", "data_transfer_out_gb") == D("8807.20")
    # Requests: 450M × $0.0100/10k + 300M × $0.0120/10k + 250M × $0.0120/10k = 450 + 360 + 300.
    # At the home region's (India) rates alone it was 8,599.36 + 1,200.
    assert cost_of(result, "cdn", "requests") == D("1110")
    assert {x.attributes["location"] for x in result.lines} == {
        "United States",
        "Europe",
        "Asia Pacific",
    }


def test_the_engine_states_an_editable_edge_mix_for_a_worldwide_audience() -> None:
    answers = {"users_geography": "global"}
    cdn = next(c for c in engine.recommend("growth", answers).components if c.kind == "cdn")
    assert cdn.params["edge_mix"] == {"north_america": 0.45, "europe": 0.3, "asia_pacific": 0.25}
    edited = engine.recommend(
        "growth", answers, assumptions={"edge_share_north_america": 0.6, "edge_share_europe": 0.2}
    )
    mix = next(c for c in edited.components if c.kind == "cdn").params["edge_mix"]
    assert mix == {"north_america": 0.6, "europe": 0.2, "asia_pacific": 0.2}
    with pytest.raises(ValueError, match="at most 1"):
        resolve_assumptions({"edge_share_north_america": 0.8, "edge_share_europe": 0.3})
    one_region = next(c for c in engine.recommend("growth", {}).components if c.kind == "cdn")
    assert "edge_mix" not in one_region.params


# -- 6. Backups by what they protect -----------------------------------------------------------


def _db(engine_name: str, storage_gb: float) -> Component:
    return component(
        "primary-db",
        "relational_db",
        {"instance_hours": 0},
        engine=engine_name,
        instance_class="db.r6g.large",
        multi_az=False,
        storage_gb=storage_gb,
    )


def test_rds_backups_up_to_the_provisioned_storage_are_free() -> None:
    backup = component("backup", "backup", {"storage_gb": 200})
    result = priced(state_of(_db("postgresql", 240), backup))
    # 200 GB of backups ≤ 240 GB provisioned: $0 (it was 200 × $0.095 = $19).
    assert cost_of(result, "backup", "storage_gb") == 0
    free = next(x for x in result.lines if x.component_id == "backup")
    assert "free" in free.description and free.quantity == 200


def test_aurora_backups_beyond_the_volume_pay_the_aurora_snapshot_rate() -> None:
    backup = component("backup", "backup", {"storage_gb": 150})
    copy = component("dr-backup", "backup", {"storage_gb": 150}, region="us-west-2")
    result = priced(state_of(_db("aurora-postgresql", 100), backup, copy))
    # Home: 100 GB free, 50 GB × $0.021 = $1.05. The copy in us-west-2: 150 × $0.021 = $3.15.
    assert cost_of(result, "backup", "storage_gb") == D("1.05")
    assert cost_of(result, "dr-backup", "storage_gb") == D("3.15")


def test_a_purpose_built_tables_recovery_and_instance_file_snapshots_bill_their_own_rates() -> None:
    backup = component(
        "backup", "backup", {"storage_gb": 70, "table_backup_gb": 30, "volume_snapshot_gb": 10}
    )
    copy = component(
        "dr-backup", "backup", {"storage_gb": 70, "table_backup_gb": 30}, region="us-west-2"
    )
    result = priced(state_of(_db("postgresql", 84), backup, copy))
    assert cost_of(result, "backup", "storage_gb") == 0  # 70 GB ≤ 84 GB provisioned
    assert cost_of(result, "backup", "table_backup_gb") == D("6")  # 30 GB × $0.20 PITR
    assert cost_of(result, "backup", "volume_snapshot_gb") == D("0.5")  # 10 GB × $0.05 EBS
    assert cost_of(result, "dr-backup", "storage_gb") == D("6.65")  # 70 × $0.095 (no allowance)
    assert cost_of(result, "dr-backup", "table_backup_gb") == D("3")  # 30 × $0.10 backups
    words = {x.usage: x.assumes for x in result.lines if x.component_id == "backup"}
    assert words["table_backup_gb"] == "30 GB of DynamoDB point-in-time recovery (the table's size)"
    assert words["volume_snapshot_gb"] == (
        "10 GB of EBS snapshots of the files on the instances' volume"
    )


def test_dynamodb_backups_are_point_in_time_recovery_at_its_own_rate() -> None:
    table = component("nosql-db", "nosql_db", {"storage_gb": 100})
    backup = component("backup", "backup", {"storage_gb": 100})
    result = priced(state_of(table, backup))
    assert cost_of(result, "backup", "storage_gb") == D("20")  # 100 GB × $0.20 PITR


# -- 9. Public IPv4 addresses ------------------------------------------------------------------


def test_public_ipv4_addresses_are_billed_on_load_balancer_nodes_and_nat_gateways() -> None:
    state = engine.recommend("growth", {}, region="us-east-1")
    by_id = {c.id: c for c in state.components}
    lb = by_id["load-balancer"]
    assert lb.usage["public_ipv4_hours"] == lb.azs * 730
    result = priced(state)
    # Two ALB nodes: 2 × 730 h × $0.005 = $7.30; one NAT gateway's Elastic IP: $3.65.
    assert cost_of(result, "load-balancer", "public_ipv4_hours") == D("7.30")
    if "nat-gateway" in by_id:
        assert cost_of(result, "nat-gateway", "public_ipv4_hours") == D("3.65")


def test_a_load_balancer_behind_api_gateway_is_internal_with_no_public_address() -> None:
    # At scale API Gateway reaches the ALB through a VPC link: the ALB is internal, so its
    # nodes hold no public IPv4 (it was 3 nodes × 730 h × $0.005 = $10.95 a month).
    state = engine.recommend("scale", {}, region="us-east-1")
    lb = next(c for c in state.components if c.id == "load-balancer")
    assert lb.params["scheme"] == "internal"
    assert "public_ipv4_hours" not in lb.usage
    assert cost_of(priced(state), "load-balancer", "public_ipv4_hours") == 0


def test_an_instance_facing_the_internet_pays_for_its_public_address() -> None:
    state = engine.recommend("launch", {}, region="us-east-1")
    assert not any(c.kind == "load_balancer" for c in state.components)
    # One t3 instance, no load balancer: 730 h × $0.005 = $3.65.
    assert cost_of(priced(state), "web-asg", "public_ipv4_hours") == D("3.65")


# -- 14. Route 53 alias queries are free -------------------------------------------------------


def test_route_53_alias_queries_to_cloudfront_are_not_billed() -> None:
    dns = Component(
        "dns", "dns", "dns", {"routing": "simple"}, "global", 0, ("cdn",), {"queries": 1e9}
    )
    ((_, charge),) = K.price_keys(dns, home_region="us-east-1")
    assert isinstance(charge, NoCharge) and "alias" in charge.reason
    assert priced(state_of(dns)).monthly_usd == 0  # was 1e9 × $0.40/M = $400
    to_instance = Component(
        "dns", "dns", "dns", {}, "global", 0, ("web-asg",), {"queries": 1_000_000}
    )
    assert priced(state_of(to_instance)).monthly_usd == D("0.40")


# -- 15. Prices that stand in for unpublished regional ones say so -----------------------------


def test_lines_priced_from_the_us_east_1_figure_say_so_and_are_counted() -> None:
    nat = component("nat-gateway", "nat_gateway", {"nat_hours": 730}, region="eu-central-1")
    ec2 = component(
        "web-asg",
        "compute",
        {"instance_hours": 730},
        region="eu-central-1",
        instance_type="t3.small",
    )
    result = priced(state_of(nat, ec2, region="eu-central-1"))
    (line,) = [x for x in result.lines if x.component_id == "nat-gateway"]
    assert line.price_basis == ESTIMATED_WORDS == "estimated from the us-east-1 price"
    assert line.to_dict()["price_basis"] == ESTIMATED_WORDS
    # One line, 730 h × $0.045 = $32.85, rests on the us-east-1 figure; EC2 is published.
    assert result.estimated_usd == D("32.85") and len(result.estimated_lines) == 1
    assert result.to_dict()["estimated_lines"] == 1
    home = priced(state_of(component("nat-gateway", "nat_gateway", {"nat_hours": 730})))
    assert home.estimated_lines == ()


# -- Each line's assumption, and what moves the total most ------------------------------------


def test_a_replicated_database_says_how_many_copies_of_its_storage_it_pays_for() -> None:
    db = component(
        "primary-db", "relational_db", {}, engine="postgresql", storage_gb=240, read_replicas=1
    )
    assert assumes(db, "storage_gb", D(480)) == "2 × 240 GB gp3: primary and one read replica"
    assert assumes(db, "storage_gb", D(240)) == "240 GB of gp3 database storage"


def test_every_line_says_what_it_assumes_and_the_estimate_names_the_costliest() -> None:
    state = engine.recommend("growth", {"customers": 20_000}, region="eu-central-1")
    result = priced(state)
    assert all(line.assumes for line in result.lines)
    fleet = next(
        x for x in result.lines if x.usage == "instance_hours" and x.component_id == "web-asg"
    )
    assert "m6g.large instances on average, all month" in fleet.assumes
    top = result.key_assumptions
    assert 3 <= len(top) <= 5
    assert [k.monthly_usd for k in top] == sorted((k.monthly_usd for k in top), reverse=True)
    costliest = max(result.lines, key=lambda x: x.monthly_usd)
    assert top[0].component_id == costliest.component_id
    assert sum(k.share for k in top) <= 1
    assert result.to_dict()["key_assumptions"][0]["assumes"] == top[0].assumes


def test_split_parts_add_up_to_the_whole_exactly() -> None:
    free = NoCharge("AmazonRDS", "GB-Mo", "free")
    key = K.backup_storage("us-east-1")
    split = Split((K.Part(free, "free", up_to=D(100)), K.Part(key, "beyond")))
    assert [q for q, _ in split.divide(D(150))] == [D(100), D(50)]
    assert [q for q, _ in split.divide(D(60))] == [D(60), D(0)]
