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
