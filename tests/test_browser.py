"""A real headless Chromium walks the wizard."""

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from journeys.models import Answer
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, live_server: Any, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # A team member lands on the journeys; an architect in no team on the review queue.
    expect(
        page.get_by_role("heading", name=re.compile("^(Journeys|Review queue)$"))
    ).to_be_visible()


def test_a_user_fills_in_two_stages_and_finds_the_answers_kept(
    page: Page, live_server: Any, editor: Any, team: Any
) -> None:
    sign_in(page, live_server, editor.username)
    page.get_by_role("button", name="New journey").first.click()
    page.locator("#id_name").fill("Marketplace")
    page.locator("#id_region").select_option("eu-west-1")
    page.get_by_role("button", name="Create journey").click()
    expect(page.get_by_role("heading", name=re.compile("Launch"))).to_be_visible()

    customers = page.locator("#q-customers input[name=value]")
    customers.fill("250")
    customers.press("Tab")
    expect(page.locator("#q-customers-feedback")).to_contain_text("Saved")
    page.locator("#q-traffic_pattern").get_by_label("Spiky").check()
    expect(page.locator("#q-traffic_pattern-feedback")).to_contain_text("Saved")

    rps = page.locator("#q-peak_rps input[name=value]")
    rps.fill("fast")
    rps.press("Tab")
    expect(page.locator("#q-peak_rps .errorlist")).to_be_visible()
    expect(page.locator("#q-peak_rps input[name=value]")).to_have_value("fast")

    page.get_by_role("link", name=re.compile("Growth")).first.click()
    expect(page.get_by_role("heading", name=re.compile("Growth"))).to_be_visible()
    growth = page.locator("#q-peak_rps input[name=value]")
    growth.fill("180")
    growth.press("Tab")
    expect(page.locator("#q-peak_rps-feedback")).to_contain_text("Saved")

    page.reload()
    expect(page.locator("#q-peak_rps input[name=value]")).to_have_value("180")
    page.get_by_role("link", name=re.compile("Launch")).first.click()
    expect(page.locator("#q-customers input[name=value]")).to_have_value("250")
    expect(page.locator("#q-traffic_pattern").get_by_label("Spiky")).to_be_checked()
    assert Answer.objects.filter(question="peak_rps", stage="launch").count() == 0
    assert Answer.objects.get(question="peak_rps", stage="growth").value == 180


def test_typing_in_a_text_answer_is_saved_without_leaving_the_field(
    page: Page, live_server: Any, editor: Any, journey: Any
) -> None:
    sign_in(page, live_server, editor.username)
    page.goto(f"{live_server.url}/journeys/{journey.pk}/stages/launch/")
    note_toggle = page.locator("#q-monitoring summary")
    note_toggle.click()
    note = page.locator("#q-monitoring textarea[name=note]")
    note.press_sequentially("CloudWatch alarms on 5xx", delay=20)
    expect(page.locator("#q-monitoring-feedback")).to_contain_text("Saved", timeout=5000)
    expect(note).to_be_focused()
    assert Answer.objects.get(question="monitoring").note == "CloudWatch alarms on 5xx"


def test_answering_a_question_changes_the_architecture_panel(
    page: Page, live_server: Any, editor: Any, journey: Any
) -> None:
    sign_in(page, live_server, editor.username)
    page.goto(f"{live_server.url}/journeys/{journey.pk}/stages/growth/")
    panel = page.locator("#architecture-panel")
    expect(panel).to_contain_text("Application Load Balancer")
    expect(panel).not_to_contain_text("DynamoDB")
    page.locator("#q-database_engine").get_by_label("Amazon DynamoDB").check()
    expect(page.locator("#q-database_engine-feedback")).to_contain_text("Saved")
    expect(panel).to_contain_text("DynamoDB")

    page.locator("#component-web-asg summary", has_text="Change the size").click()
    page.locator("#ov-web-asg-count").fill("0")
    page.locator("#component-web-asg").get_by_role("button", name="Apply").click()
    expect(page.locator("#component-web-asg .error")).to_contain_text("whole number")
