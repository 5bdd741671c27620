"""A real Chromium with a real worker: the diagram appears after answering, and downloads."""

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_the_diagram_appears_after_answering_and_downloads(
    page: Page, live_server: Any, worker: Any, editor: Any, journey: Any
) -> None:
    sign_in(page, live_server, editor.username)
    page.goto(f"{live_server.url}/journeys/{journey.pk}/stages/growth/")
    diagram = page.locator("#diagram-growth img")
    expect(diagram).to_be_visible(timeout=30_000)
    first = diagram.get_attribute("src")

    page.locator("#q-database_engine").get_by_label("Amazon DynamoDB").check()
    expect(page.locator("#q-database_engine-feedback")).to_contain_text("Saved")
    expect(page.locator("#diagram-growth img")).not_to_have_attribute(
        "src", first or "", timeout=30_000
    )

    links = page.locator("#diagram-growth .actions a")
    for name, signature in (("SVG", b"<svg"), ("PNG", b"\x89PNG"), ("Python", b"from diagrams")):
        with page.expect_download() as download_info:
            links.filter(has_text=re.compile(name)).click()
        path = download_info.value.path()
        assert signature in path.read_bytes()[:4000], name


def test_the_cost_panel_and_the_journey_chart(
    page: Page, live_server: Any, worker: Any, editor: Any, journey: Any, settings: Any
) -> None:
    settings.PRICING_SOURCE = "snapshot"
    sign_in(page, live_server, editor.username)
    page.goto(f"{live_server.url}/journeys/{journey.pk}/stages/scale/")
    panel = page.locator("#estimate-scale")
    expect(panel).to_contain_text("per month", timeout=30_000)
    expect(panel).to_contain_text("per customer")
    panel.get_by_text("Line items").click()
    expect(panel.locator("table.cost-lines tbody tr").first).to_be_visible()
    panel.get_by_role("link", name="component").click()
    expect(page.locator("#estimate-scale a[aria-current=true]")).to_have_text("component")
    with page.expect_download() as download_info:
        page.locator("#estimate-scale").get_by_role("link", name="CSV").click()
    assert download_info.value.path().read_text().startswith("Component,")

    page.goto(f"{live_server.url}/journeys/{journey.pk}/")
    chart = page.locator("#journey-costs figure svg")
    expect(chart).to_be_visible(timeout=60_000)
    expect(page.locator("#journey-costs")).not_to_contain_text("Pricing the stages", timeout=60_000)
    expect(chart).to_contain_text("Beyond")
