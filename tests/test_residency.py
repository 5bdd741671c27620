"""Data residency: the recovery region stays in the country, else the jurisdiction, else in the
region with the trade-off named; a recovery region set against it is a high risk."""

from __future__ import annotations

import pytest

from journeys.engine import ArchitectureState, Finding, recommend
from journeys.pricing.estimate import estimate
from journeys.pricing.keys import state_keys
from journeys.pricing.snapshot import Snapshot
from journeys.regions import REGION_CHOICES, REGION_PLACES, REGIONS

RESIDENT = {"data_residency": True}


def finding(state: ArchitectureState, finding_id: str) -> Finding | None:
    return next((f for f in state.findings if f.id == finding_id), None)


def test_every_region_has_a_country_and_a_jurisdiction() -> None:
    assert set(REGION_PLACES) == set(REGIONS) == {code for code, _ in REGION_CHOICES}
    assert all(p.country and p.jurisdiction for p in REGION_PLACES.values())
    assert REGION_PLACES["eu-central-1"].jurisdiction == "European Union"
    assert REGION_PLACES["eu-west-2"].jurisdiction == "United Kingdom"
    assert REGION_PLACES["eu-central-2"].jurisdiction == "Switzerland"


@pytest.mark.parametrize(
    ("region", "expected"),
    [
        ("ap-south-1", "ap-south-2"),
        ("us-east-1", "us-west-2"),
        ("ap-northeast-1", "ap-northeast-3"),
    ],
)
def test_with_residency_recovery_goes_to_a_region_of_the_same_country(
    region: str, expected: str
) -> None:
    state = recommend("scale", RESIDENT, region=region)

    assert state.dr_region == expected
    assert state.dr.region == expected
    assert all(c.region == expected for c in state.components if c.id.startswith("dr-"))
    assert state.dr.why.startswith(f"data_residency=yes: {expected} is also in")


def test_without_residency_mumbai_recovers_in_singapore() -> None:
    state = recommend("scale", {"data_residency": False}, region="ap-south-1")

    assert state.dr_region == "ap-southeast-1"


def test_with_residency_frankfurt_recovers_in_the_same_jurisdiction() -> None:
    state = recommend("scale", RESIDENT, region="eu-central-1")

    # Germany has one region; Ireland (the pair) is under the same law, the EU's GDPR.
    assert state.dr_region == "eu-west-1"
    assert "the same jurisdiction (European Union)" in state.dr.why
    assert finding(state, "recovery-kept-in-region") is None
    assert finding(state, "dr-region-breaks-residency") is None


@pytest.mark.parametrize(
    ("region", "country"), [("eu-west-2", "the United Kingdom"), ("eu-central-2", "Switzerland")]
)
def test_with_no_region_allowed_recovery_stays_in_the_region_and_says_so(
    region: str, country: str
) -> None:
    state = recommend("scale", RESIDENT, region=region)

    assert state.recovers_in_region
    assert state.dr_region == state.dr.region == region
    assert not [c for c in state.components if c.id.startswith("dr-")]
    assert {c.region for c in state.components} <= {region, "global"}
    assert "recovery stays in" in state.dr.why and "backups are kept in" in state.dr.why
    backup = state.component("backup")
    assert backup is not None and backup.params["copies_to"] == ""
    # Three AZs stand in for the second region.
    db = state.component("primary-db")
    assert db is not None and db.params["multi_az"] is True
    kept = finding(state, "recovery-kept-in-region")
    assert kept is not None
    assert kept.risk == "high"
    assert country in kept.title
    assert "stops the service until the region returns" in kept.action


def test_in_region_recovery_is_priced_as_the_primary_region() -> None:
    state = recommend("scale", RESIDENT, region="eu-west-2")
    snapshot = Snapshot.load()
    prices = {k.id: snapshot.price(k) for k in state_keys(state)}

    cost = estimate(state, prices, 1000)  # type: ignore[arg-type]

    assert {c.group for c in cost.components} == {"primary"}


def test_a_recovery_region_set_outside_the_jurisdiction_is_a_high_risk() -> None:
    state = recommend("scale", RESIDENT, region="eu-central-1", dr_region="us-east-1")

    assert state.dr_region == "us-east-1"  # the team's decision stands
    broken = finding(state, "dr-region-breaks-residency")
    assert broken is not None
    assert broken.risk == "high"
    assert broken.title == (
        "The recovery region us-east-1 takes customer data out of European Union"
    )
    assert "dr_region=us-east-1 (set on the journey)" in broken.because
    assert "eu-west-1" in broken.action


def test_a_recovery_region_set_for_a_one_region_country_says_to_clear_it() -> None:
    state = recommend("scale", RESIDENT, region="eu-west-2", dr_region="eu-west-1")

    broken = finding(state, "dr-region-breaks-residency")
    assert broken is not None
    assert "clear it, so that recovery stays in eu-west-2" in broken.action


def test_a_recovery_region_set_inside_the_jurisdiction_is_no_finding() -> None:
    state = recommend("scale", RESIDENT, region="eu-central-1", dr_region="eu-west-3")

    assert finding(state, "dr-region-breaks-residency") is None


def test_without_residency_a_far_recovery_region_is_no_finding() -> None:
    state = recommend("scale", {}, region="eu-central-1", dr_region="us-east-1")

    assert finding(state, "dr-region-breaks-residency") is None
    assert finding(state, "recovery-kept-in-region") is None


def test_residency_moves_the_state_hash() -> None:
    plain = recommend("scale", {"data_residency": False}, region="ap-south-1")
    resident = recommend("scale", RESIDENT, region="ap-south-1")

    assert plain.hash != resident.hash
