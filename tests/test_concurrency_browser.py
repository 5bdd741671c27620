"""Two people in real Chromium pages on the same stage: the stale page is told, keeps what was
typed, and settles it with one click."""

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from journeys.models import Answer, Journey
from tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_stage(page: Page, live_server: Any, username: str, journey: Journey) -> None:
    sign_in(page, live_server, username)
    page.goto(f"{live_server.url}/journeys/{journey.pk}/stages/launch/")


def answer_customers(page: Page, value: str) -> None:
    field = page.locator("#q-customers input[name=value]")
    field.fill(value)
    field.press("Tab")


def test_the_stale_page_shows_the_other_answer_and_keeps_or_drops_its_own(
    page: Page, browser: Browser, live_server: Any, editor: Any, owner: Any, journey: Journey
) -> None:
    owner.first_name = "Olga"
    owner.save()
    olga = browser.new_context().new_page()
    try:
        open_stage(page, live_server, editor.username, journey)
        open_stage(olga, live_server, owner.username, journey)

        answer_customers(olga, "250")
        expect(olga.locator("#q-customers-feedback")).to_contain_text("Saved")

        # Erin's page was drawn before Olga's save: refused, Olga's answer shown, 300 kept.
        answer_customers(page, "300")
        conflict = page.locator("#q-customers .conflict")
        expect(conflict).to_contain_text("Olga changed this answer after you opened the page.")
        expect(conflict).to_contain_text("250 customers")
        expect(page.locator("#q-customers input[name=value]")).to_have_value("300")
        assert Answer.objects.get(question="customers").value == 250
        # Enter in the field does not stand for "Use my value": only a click settles it.
        page.locator("#q-customers input[name=value]").press("Enter")
        page.wait_for_timeout(500)
        expect(conflict).to_be_visible()
        assert Answer.objects.get(question="customers").value == 250

        conflict.get_by_role("button", name="Use my value").click()
        expect(page.locator("#q-customers-feedback")).to_contain_text("Saved")
        expect(page.locator("#q-customers .conflict")).to_have_count(0)
        saved = Answer.objects.get(question="customers")
        assert (saved.value, saved.updated_by) == (300, editor)

        # Now Olga's page is the stale one; a note typed there (saved while typing) is refused
        # too, and "Use their value" takes Erin's answer without writing anything.
        olga.locator("#q-customers summary").click()
        olga.locator("#q-customers textarea[name=note]").press_sequentially("Launch partner")
        conflict = olga.locator("#q-customers .conflict")
        expect(conflict).to_contain_text("300 customers", timeout=5000)
        expect(olga.locator("#q-customers textarea[name=note]")).to_have_value("Launch partner")
        conflict.get_by_role("button", name="Use their value").click()
        expect(olga.locator("#q-customers input[name=value]")).to_have_value("300")
        expect(olga.locator("#q-customers .conflict")).to_have_count(0)
        assert Answer.objects.get(question="customers").note == ""

        # From there on Olga saves normally again.
        answer_customers(olga, "320")
        expect(olga.locator("#q-customers-feedback")).to_contain_text("Saved")
        assert Answer.objects.get(question="customers").value == 320
    finally:
        olga.context.close()


def test_one_person_typing_and_leaving_the_field_never_meets_their_own_saves(
    page: Page, live_server: Any, editor: Any, journey: Journey
) -> None:
    open_stage(page, live_server, editor.username, journey)
    page.locator("#q-monitoring summary").click()
    note = page.locator("#q-monitoring textarea[name=note]")
    note.press_sequentially("CloudWatch", delay=20)
    expect(page.locator("#q-monitoring-feedback")).to_contain_text("Saved", timeout=5000)
    # A typing save, then at once the save on leaving the field: each must carry the version
    # the one before returned, or the page would conflict with itself.
    note.press_sequentially(" alarms", delay=20)
    page.wait_for_timeout(1100)
    note.press_sequentially(" on 5xx", delay=20)
    note.press("Tab")
    page.wait_for_timeout(1500)
    expect(page.locator("#q-monitoring .conflict")).to_have_count(0)
    answer = Answer.objects.get(question="monitoring")
    assert answer.note == "CloudWatch alarms on 5xx"
    assert answer.version >= 3
