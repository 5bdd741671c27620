"""Price keys: every usage of every kind is priced or a stated no-charge; ids are stable."""

from __future__ import annotations

from typing import Any

import pytest

from journeys import engine
from journeys.demo_answers import DEMO_ANSWERS
from journeys.engine.state import Component
from journeys.pricing import keys as K
from journeys.pricing.keys import (
    KIND_MAPPERS,
    NoCharge,
    PriceKey,
    Split,
    UnpricedUsage,
    price_keys,
)


def component(
    cid: str, kind: str, usage: dict[str, float], region: str = "eu-west-1", **params: Any
) -> Component:
    return Component(cid, kind, cid, params, region, 1, usage=usage)


def test_every_kind_the_engine_knows_has_a_price_mapping() -> None:
    assert set(KIND_MAPPERS) == set(engine.KINDS)


@pytest.mark.parametrize("stage", list(DEMO_ANSWERS))
def test_every_usage_of_the_demo_journey_is_priced_or_stated_free(stage: str) -> None:
    state = engine.recommend(
        stage, DEMO_ANSWERS[stage], region="eu-west-1", dr_region="eu-central-1"
    )
    for c in state.components:
        mapped = price_keys(c, home_region=state.region)
        assert [usage for usage, _ in mapped] == list(c.usage)
        for usage, charge in mapped:
            for one in [p.charge for p in charge.parts] if isinstance(charge, Split) else [charge]:
                if isinstance(one, NoCharge):
                    assert one.reason and one.service_code, (c.id, usage)
                else:
                    assert one.region in ("eu-west-1", "eu-central-1", "us-east-1", "global")


def test_a_usage_nobody_priced_is_an_error_not_a_silent_zero() -> None:
    with pytest.raises(UnpricedUsage, match="'mystery'"):
        price_keys(component("queue", "queue", {"requests": 1, "mystery": 2}))


def test_ids_are_stable_whatever_the_filter_order() -> None:
    a = PriceKey("AmazonS3", "eu-west-1", (("regionCode", "eu-west-1"), ("group", "x")), "Requests")
    b = PriceKey("AmazonS3", "eu-west-1", (("group", "x"), ("regionCode", "eu-west-1")), "Requests")
    assert a == b and a.id == b.id == "AmazonS3/eu-west-1/Requests?group=x&regionCode=eu-west-1"
    assert PriceKey("AmazonS3", "eu-west-1", (), "GB", tier="2").id.endswith("#2")
    with pytest.raises(ValueError, match="one value per attribute"):
        PriceKey("AmazonS3", "eu-west-1", (("group", "x"), ("group", "y")), "GB")


def test_the_ec2_key_pins_the_attributes_that_keep_traps_out() -> None:
    attributes = K.ec2_instance("eu-west-1", "m6g.large").attributes
    assert attributes | {} == {
        "regionCode": "eu-west-1",
        "instanceType": "m6g.large",
        "operatingSystem": "Linux",
        "tenancy": "Shared",
        "preInstalledSw": "NA",
        "capacitystatus": "Used",
        "licenseModel": "No License required",
        "marketoption": "OnDemand",
        "productFamily": "Compute Instance",
    }
    rds = K.rds_instance("eu-west-1", "postgresql", "db.t3.micro", multi_az=True).attributes
    assert rds["usagetype"] == "EU-Multi-AZUsage:db.t3.micro"
    assert rds["databaseEngine"] == "PostgreSQL" and rds["deploymentOption"] == "Multi-AZ"
    assert (
        K.rds_instance("us-east-1", "mysql", "db.t3.micro", multi_az=False).attributes["usagetype"]
        == "InstanceUsage:db.t3.micro"
    )


def test_global_components_are_priced_from_the_home_region() -> None:
    cdn = component("cdn", "cdn", {"requests": 1, "data_transfer_out_gb": 1}, region="global")
    with pytest.raises(ValueError, match="home_region"):
        price_keys(cdn)
    (_, requests), (_, out) = price_keys(cdn, home_region="ap-south-1")
    assert isinstance(out, PriceKey) and out.attributes["location"] == "India"
    assert isinstance(requests, PriceKey) and requests.region == "global"
    waf = component("waf", "waf", {"web_acls": 1}, region="global")
    ((_, acl),) = price_keys(waf, home_region="eu-west-1")
    assert isinstance(acl, PriceKey) and acl.region == "us-east-1"  # billed where it is created


def test_replication_to_the_dr_region_is_billed_from_the_home_region() -> None:
    copy = component(
        "dr-primary-db",
        "relational_db",
        {"replication_gb": 10, "io_requests": 5},
        region="eu-central-1",
        engine="aurora-mysql",
        instance_class="db.r6g.large",
        multi_az=False,
    )
    (_, transfer), (_, io) = price_keys(copy, home_region="eu-west-1")
    assert isinstance(transfer, PriceKey) and transfer.attributes == {
        "fromRegionCode": "eu-west-1",
        "toRegionCode": "eu-central-1",
        "transferType": "InterRegion Outbound",
    }
    assert transfer.regions == ("eu-west-1", "eu-central-1")
    assert isinstance(io, PriceKey) and "ReplicatedWriteIO" in io.attributes["usagetype"]


def test_data_out_sits_on_whatever_entry_point_carries_it() -> None:
    for kind in ("load_balancer", "api_gateway", "compute"):
        params = {"instance_type": "t3.medium"} if kind == "compute" else {}
        c = component(kind, kind, {"data_transfer_out_gb": 5}, **params)
        ((_, key),) = price_keys(c)
        assert isinstance(key, PriceKey) and key.service_code == "AWSDataTransfer"
    bucket = component("object-storage", "object_storage", {"data_transfer_out_gb": 0})
    ((_, free),) = price_keys(bucket)
    assert isinstance(free, NoCharge) and "CloudFront" in free.reason


@pytest.mark.parametrize(
    ("region", "geography"),
    [
        ("us-east-2", "us"),
        ("eu-west-2", "eu"),
        ("ap-south-1", "in"),
        ("ap-southeast-1", "ap"),
        ("ap-northeast-1", "jp"),
        ("sa-east-1", "sa"),
    ],
)
def test_cloudfront_geography_follows_the_home_region(region: str, geography: str) -> None:
    assert K.edge_geography(region) == geography


def test_a_region_without_a_known_usage_prefix_is_refused() -> None:
    with pytest.raises(ValueError, match="usage-type prefix"):
        K.alb("xx-nowhere-1", "hours")
