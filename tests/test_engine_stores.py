"""Purpose-built stores: the answer decides the stores, each sized, priced, drawn and diffed."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

import pytest

from journeys.drawing import draw
from journeys.engine import ArchitectureState, diff, recommend
from journeys.engine.tables import LIST_ANSWERS
from journeys.pricing.estimate import estimate
from journeys.pricing.keys import state_keys
from journeys.pricing.snapshot import Snapshot

STORES = LIST_ANSWERS["purpose_built_stores"]
KIND_OF = {
    "key_value": "nosql_db",
    "caching": "cache",
    "search": "search",
    "analytics": "analytics",
    "time_series": "time_series",
}
COMBINATIONS = [
    list(ticked) for n in range(len(STORES) + 1) for ticked in itertools.combinations(STORES, n)
]
# A relational primary store, so that DynamoDB can only come from the key-value tick.
BASE = {"database_engine": "aurora-postgresql", "db_storage_gb": 1000, "peak_rps": 1000}
SNAPSHOT = Snapshot.load()


def kinds(state: ArchitectureState) -> set[str]:
    return {c.kind for c in state.components if not c.id.startswith("dr-")}


def component(state: ArchitectureState, cid: str) -> Any:
    found = state.component(cid)
    assert found is not None, f"{cid} missing: {[c.id for c in state.components]}"
    return found


def monthly(state: ArchitectureState, cid: str) -> Decimal:
    prices = {k.id: SNAPSHOT.price(k) for k in state_keys(state)}
    cost = estimate(state, prices, 1000)  # type: ignore[arg-type]
    usd = next(c.monthly_usd for c in cost.components if c.component_id == cid)
    return usd.quantize(Decimal("0.01"))


@pytest.mark.parametrize("ticked", COMBINATIONS, ids=lambda t: "+".join(t) or "none")
def test_every_combination_of_ticks_gives_exactly_its_stores(ticked: list[str]) -> None:
    state = recommend("scale", {**BASE, "purpose_built_stores": ticked})

    present = kinds(state) & set(KIND_OF.values())
    assert present == {KIND_OF[t] for t in ticked}


def test_every_combination_moves_the_state_hash() -> None:
    hashes = {
        recommend("scale", {**BASE, "purpose_built_stores": ticked}).hash for ticked in COMBINATIONS
    }

    assert len(hashes) == len(COMBINATIONS) == 32


def test_nothing_ticked_proposes_no_purpose_built_store_and_no_dynamodb_door() -> None:
    state = recommend("scale", {**BASE, "purpose_built_stores": []})

    assert not kinds(state) & set(KIND_OF.values())
    assert [c.id for c in state.components if c.door == "one_way"] == ["primary-db", "identity"]
    assert "one-database-for-every-access-pattern" in {f.id for f in state.findings}


def test_the_dynamodb_one_way_door_comes_only_with_the_key_value_tick() -> None:
    state = recommend("scale", {**BASE, "purpose_built_stores": ["key_value"]})

    table = component(state, "nosql-db")
    assert table.door == "one_way"
    assert "purpose_built_stores=key_value" in table.reasons[0]
    assert "(scale default)" not in table.reasons[0]


def test_an_unanswered_scale_question_takes_the_default_dynamodb_and_cache() -> None:
    state = recommend("scale", BASE)

    assert kinds(state) & set(KIND_OF.values()) == {"nosql_db", "cache"}
    assert "(scale default)" in component(state, "nosql-db").reasons[0]


def test_a_list_with_an_unknown_store_is_refused_with_the_choices() -> None:
    with pytest.raises(ValueError, match="'graph' is not one of key_value, caching"):
        recommend("scale", {"purpose_built_stores": ["graph"]})


def test_search_is_sized_by_data_and_searches_with_the_assumptions_stated() -> None:
    state = recommend("scale", {**BASE, "purpose_built_stores": ["search"]})
    domain = component(state, "search")

    # 25 % of 1,000 GB is searchable = 250 GB × (1 + 1 replica) × 1.45 = 725 GB of gp3.
    # 1,000 req/s at peak, 30 % static ⇒ 700 reach the app; 10 % search = 70 searches/s.
    # r6g.large.search: 80 searches/s and 1,024 GB per node ⇒ 1 node; 3 AZs at scale ⇒ 3.
    assert domain.params["instance_type"] == "r6g.large.search"
    assert domain.params["nodes"] == 3
    assert domain.params["storage_gb"] == 725
    assert domain.azs == 3
    assert any("AWS sizing rule" in r and "725 GB" in r for r in domain.reasons)
    assert any("70 searches/s" in r for r in domain.reasons)


def test_more_searches_take_more_nodes_then_a_bigger_type() -> None:
    busy = recommend("scale", {**BASE, "peak_rps": 10_000, "purpose_built_stores": ["search"]})
    domain = component(busy, "search")

    # 7,000 req/s reach the app ⇒ 700 searches/s: r6g.large.search needs ceil(700/80) = 9
    # nodes, 9 > 6 ⇒ r6g.xlarge.search: ceil(700/160) = 5 ⇒ 6 (a multiple of 3 AZs).
    assert (domain.params["instance_type"], domain.params["nodes"]) == ("r6g.xlarge.search", 6)


def test_small_analytics_data_is_queried_by_athena_over_s3() -> None:
    state = recommend(
        "scale", {**BASE, "db_storage_gb": 100, "purpose_built_stores": ["analytics"]}
    )
    lake = component(state, "analytics")

    # 100 GB + 2 × 100 GB of history = 300 GB < 1,024 GB ⇒ Athena.
    assert lake.params["engine"] == "athena"
    assert lake.label == "Athena over S3"
    # 100 reports a day × 730/24 days × 2 % of 300 GB = 18,250 GB = 17.82 TB scanned.
    assert lake.usage["scanned_tb"] == pytest.approx(100 * 730 / 24 * 300 * 0.02 / 1024, rel=1e-4)
    assert any("< 1,024 GB" in r for r in lake.reasons)


def test_large_analytics_data_goes_to_redshift_serverless() -> None:
    state = recommend("scale", {**BASE, "purpose_built_stores": ["analytics"]})
    warehouse = component(state, "analytics")

    # 1,000 GB + 2,000 GB of history = 3,000 GB ≥ 1,024 GB ⇒ Redshift Serverless, 8 RPU base,
    # 8 hours a day × 730/24 days = 243.3 h ⇒ 1,946.7 RPU-hours.
    assert warehouse.params == {
        "engine": "redshift_serverless",
        "base_rpu": 8,
        "storage_gb": 3000,
    }
    assert warehouse.usage["rpu_hours"] == pytest.approx(8 * 8 * 730 / 24, abs=0.01)


def test_time_series_gets_timestream_for_influxdb_sized_by_writes() -> None:
    state = recommend("scale", {**BASE, "purpose_built_stores": ["time_series"]})
    db = component(state, "time-series")

    # 700 req/s × 2 points = 1,400 writes/s; scale starts at db.influx.large (2 vCPU).
    assert db.params["instance_class"] == "db.influx.large"
    assert db.params["multi_az"] is True
    # 250 req/s on average × 2,628,000 s × 70 % × 2 points = 919.8 M points a month; 90 days
    # of them (× 24 × 90 / 730) at 100 bytes = 272.2 GB decimal = 253.5 GiB ⇒ 254 GB.
    assert db.params["storage_gb"] == 254
    assert any("LiveAnalytics" in r for r in db.reasons)


def test_the_new_stores_are_priced_from_the_snapshot() -> None:
    ticked = ["search", "analytics", "time_series"]
    state = recommend("scale", {**BASE, "purpose_built_stores": ticked})

    # OpenSearch: 3 × 730 h × $0.167 = $365.73, plus 725 GB × $0.122 = $88.45.
    assert monthly(state, "search") == Decimal("454.18")
    # Redshift Serverless: 1,946.67 RPU-h × $0.375 = $730.00, plus 3,000 GB × $0.024 = $72.
    assert monthly(state, "analytics") == Decimal("802.00")
    # InfluxDB db.influx.large $0.26/h, Multi-AZ: 2 × 730 h = $379.60, plus 254 GB × $0.115.
    assert monthly(state, "time-series") == Decimal("408.81")


def test_athena_is_priced_per_tb_scanned_and_its_data_as_s3() -> None:
    state = recommend(
        "scale", {**BASE, "db_storage_gb": 100, "purpose_built_stores": ["analytics"]}
    )

    # 17.822 TB × $5.00 = $89.11, plus 300 GB of S3 Standard × $0.023 = $6.90.
    assert monthly(state, "analytics") == Decimal("96.01")


def test_the_stores_appear_in_the_diff_from_the_stage_before() -> None:
    growth = recommend("growth", BASE)
    scale = recommend("scale", {**BASE, "purpose_built_stores": ["search", "time_series"]})

    changes = diff(growth, scale)

    assert {"search", "time-series"} <= set(changes.added)
    assert "analytics" not in changes.added


def test_a_diagram_with_all_three_stores_draws_their_icons() -> None:
    ticked = ["search", "analytics", "time_series"]
    state = recommend("scale", {**BASE, "purpose_built_stores": ticked})

    drawing = draw(state, title="stores", formats=("svg",))

    for node, icon in (
        ("search", "analytics/amazon-opensearch-service.png"),
        ("analytics", "analytics/redshift.png"),
        ('"time-series"', "database/timestream.png"),
    ):
        line = next(x for x in drawing.dot_source.splitlines() if x.strip().startswith(node))
        assert icon in drawing.dot_source.split(line, 1)[1].split("shape=none", 1)[0] + line
    assert "<svg" in drawing.svg.decode()


def test_athena_draws_with_its_own_icon() -> None:
    state = recommend(
        "scale", {**BASE, "db_storage_gb": 100, "purpose_built_stores": ["analytics"]}
    )

    drawing = draw(state, title="lake", formats=("svg",))

    assert "analytics/athena.png" in drawing.dot_source
    assert "analytics/redshift.png" not in drawing.dot_source
