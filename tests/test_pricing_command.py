"""manage.py refresh_price_snapshot: refuses without credentials, writes a loadable snapshot
of the catalogue's keys with them (the API answered locally: no network)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from journeys.pricing.api import PriceListClient, PriceUnavailable
from journeys.pricing.key_set import snapshot_keys
from journeys.pricing.keys import PriceKey
from journeys.pricing.price import ResolvedPrice, Tier
from journeys.pricing.snapshot import Snapshot


@pytest.fixture
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")


def api_price(self: PriceListClient, key: PriceKey) -> ResolvedPrice:
    if key.service_code == "AWSEvents":
        raise PriceUnavailable(key, "no on-demand price among 0 products")
    return ResolvedPrice(
        key.id,
        "SKU",
        key.unit,
        (Tier(Decimal(0), None, Decimal("0.5")),),
        "api",
        "2026-03-01",
        datetime.now(UTC),
        "from the API",
    )


def test_without_credentials_it_stops_and_changes_nothing(tmp_path: Path) -> None:
    output = tmp_path / "snapshot.json"
    with pytest.raises(CommandError, match="No AWS credentials"):
        call_command("refresh_price_snapshot", "--output", str(output))
    assert not output.exists()


@pytest.mark.usefixtures("credentials")
def test_a_key_the_api_cannot_price_stops_the_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(PriceListClient, "get_price", api_price)
    output = tmp_path / "snapshot.json"
    with pytest.raises(CommandError, match=r"1 of \d+ keys have no API price"):
        call_command("refresh_price_snapshot", "--regions", "eu-west-1", "--output", str(output))
    assert not output.exists()


@pytest.mark.usefixtures("credentials")
def test_with_credentials_it_writes_the_catalogue_from_the_api(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(PriceListClient, "get_price", api_price)
    output = tmp_path / "snapshot.json"
    regions = ["eu-west-1", "eu-central-1"]
    call_command(
        "refresh_price_snapshot", "--regions", *regions, "--output", str(output), "--carry-over"
    )
    written = Snapshot.load(output)
    assert written.regions == tuple(regions)
    assert sorted(written.key_ids()) == sorted(k.id for k in snapshot_keys(regions))
    assert "Price List Query API" in written.source
    events = next(k for k in snapshot_keys(regions) if k.service_code == "AWSEvents")
    carried = written.price(events)
    assert carried is not None and carried.note.startswith("carried over from")
    ec2 = next(k for k in snapshot_keys(regions) if k.service_code == "AmazonEC2")
    fresh = written.price(ec2)
    assert fresh is not None and fresh.unit_price == Decimal("0.5")
