"""A real Chromium with a real worker: export the roadmap, watch it, download the PDF."""

import io
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from journeys.models import Export
from tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_an_export_shows_its_progress_and_downloads_a_valid_pdf(
    page: Page, live_server: Any, worker: Any, viewer: Any, journey: Any, settings: Any
) -> None:
    settings.PRICING_SOURCE = "snapshot"
    sign_in(page, live_server, viewer.username)  # viewers may export: it only reads
    page.goto(f"{live_server.url}/journeys/{journey.pk}/")
    expect(page.locator("#export-list")).to_contain_text("No roadmap exported yet")
    page.get_by_role("button", name="Export roadmap").click()

    row = page.locator("#export-list li.export").first
    expect(row.locator("progress")).to_be_visible()
    expect(row).to_have_attribute("aria-live", "polite")
    download = row.get_by_role("button", name="Download the PDF")
    expect(download).to_be_visible(timeout=180_000)
    expect(row).to_contain_text("pages")

    with page.expect_download() as info:
        download.click()
    export = Export.objects.get(journey=journey)
    day = timezone.localtime(export.created).date().isoformat()
    assert info.value.suggested_filename == f"checkout-roadmap-{day}.pdf"
    data = info.value.path().read_bytes()
    reader = PdfReader(io.BytesIO(data))
    assert data.startswith(b"%PDF-") and len(reader.pages) == export.page_count > 10
    assert "Checkout" in reader.pages[0].extract_text()
