"""A real Chromium and a real worker, as a new team: sign in, quick start with eleven answers,
see a four-stage journey with diagrams and costs, download the roadmap PDF whose cover states
the coverage.

The journey page loads four diagrams and the costs at once; the SQLite pass's live server shares
one in-memory connection between its request threads, which cannot take concurrent writes, so
this walk runs in the PostgreSQL + Redis pass. `make bench` walks the same path with the test
client on SQLite (`bench/quick_start.py`).
"""

import io
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

QUICK_START = {
    "customers_now": "250",
    "customers_1y": "12,000",
    "customers_3y": "800000",
}


def test_a_new_team_plans_a_whole_journey_from_the_quick_start_and_downloads_its_roadmap(
    page: Page, live_server: Any, worker: Any, editor: Any, team: Any, settings: Any
) -> None:
    settings.PRICING_SOURCE = "snapshot"
    sign_in(page, live_server, editor.username)
    page.get_by_role("button", name="New journey").first.click()
    page.locator("#id_name").fill("Ledger")
    page.get_by_role("button", name="Quick start: ten questions").click()
    expect(page.get_by_role("heading", name="Quick start", exact=True)).to_be_visible()

    answers = 0
    page.get_by_label("Business software (B2B SaaS)").check()
    answers += 1
    for field, value in QUICK_START.items():
        page.locator(f"#id_{field}").fill(value)
        answers += 1
    page.locator("#id_region").select_option("eu-central-1")
    page.locator("#qs-data_residency").get_by_label("Yes").check()
    page.locator("#id_availability_target").select_option("99.95")
    page.get_by_label(re.compile("A minute of data")).check()
    page.locator("#id_compute_model").select_option("containers")
    page.locator("#id_database_engine").select_option("aurora-postgresql")
    page.locator("#id_customer_identity").select_option("managed")
    answers += 7
    assert answers <= 12
    page.get_by_role("button", name="Plan the four stages").click()

    expect(page.get_by_role("heading", name="Ledger", exact=True)).to_be_visible()
    expect(page.locator("body")).to_contain_text("Quick start saved")
    expect(page.locator("#journey-coverage")).to_contain_text("carried forward")
    for stage in ("launch", "growth", "scale", "beyond"):
        expect(page.locator(f"#diagram-{stage} img")).to_be_visible(timeout=60_000)
    chart = page.locator("#journey-costs figure svg")
    expect(chart).to_be_visible(timeout=60_000)
    expect(page.locator("#journey-costs")).not_to_contain_text("Pricing the stages")

    page.get_by_role("button", name="Export roadmap").click()
    download = page.locator("#export-list li.export").first.get_by_role(
        "button", name="Download the PDF"
    )
    expect(download).to_be_visible(timeout=180_000)
    with page.expect_download() as info:
        download.click()
    reader = PdfReader(io.BytesIO(info.value.path().read_bytes()))
    cover = " ".join(reader.pages[0].extract_text().split())
    assert "Ledger" in cover
    assert re.search(r"Based on \d+ answers, \d+ carried forward, \d+ defaults", cover), cover
