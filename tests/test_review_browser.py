"""A real Chromium walks a review: the team submits, an architect comments and requests
changes, the team fixes and resubmits, the architect signs off the one-way doors and approves."""

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from journeys.models import Comment, Journey, SignOff, Submission
from journeys.reviews import sharing
from tests.conftest import save_all_milestones, share_link
from tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_journey_goes_from_submission_through_changes_to_approval(
    page: Page, browser: Browser, live_server: Any, editor: Any, architect: Any, journey: Journey
) -> None:
    save_all_milestones(journey, editor)
    detail = f"{live_server.url}/journeys/{journey.pk}/"

    # The team submits the latest milestone of every stage.
    sign_in(page, live_server, editor.username)
    page.goto(detail)
    page.get_by_role("button", name="Choose the milestones to submit").click()
    expect(page.get_by_role("heading", name="Submit for review")).to_be_visible()
    page.get_by_label("Note for the architect").fill("First version, please check the database")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".messages")).to_contain_text("Submitted for review (submission 1)")
    expect(page.locator(".review-panel")).to_contain_text("Waiting for an architect")

    # The architect finds it in the queue, comments on a component and requests changes.
    architect_page = browser.new_context(base_url=live_server.url).new_page()
    sign_in(architect_page, live_server, architect.username)
    # An architect in no team lands on the review queue.
    expect(architect_page.get_by_role("heading", name="Review queue")).to_be_visible()
    architect_page.get_by_role("link", name="Checkout").click()
    expect(architect_page.get_by_role("heading", name="Review: Checkout")).to_be_visible()
    architect_page.get_by_role("link", name=re.compile("2. Growth")).click()
    expect(architect_page.locator("h2", has_text="Growth")).to_contain_text("milestone 1")
    block = architect_page.locator("#comments-growth")
    block.locator("summary", has_text="Comment on Growth").click()
    block.get_by_label("About").select_option(label="Component: RDS database")
    block.get_by_label("Comment", exact=True).fill("Why **RDS**? <script>alert(1)</script>")
    block.get_by_role("button", name="Comment", exact=True).click()
    thread = architect_page.locator("#comments-growth .thread")
    expect(thread).to_contain_text("On component “RDS database”")
    expect(thread.locator("strong", has_text="RDS")).to_be_visible()
    expect(thread).to_contain_text("<script>alert(1)</script>")  # shown as text
    architect_page.get_by_label("Request changes").check()
    architect_page.get_by_label("Summary for the team").fill("Move to Aurora before growth.")
    architect_page.get_by_role("button", name="Record the decision").click()
    expect(architect_page.locator("#decision")).to_contain_text("Changes requested")

    # The team reads it where they work, answers, fixes the stage and resubmits.
    page.goto(detail)
    expect(page.locator(".review-panel")).to_contain_text("Changes requested")
    expect(page.locator(".review-panel")).to_contain_text("Move to Aurora before growth.")
    page.goto(f"{detail}stages/growth/")
    # A decided journey asks before its answers change.
    page.get_by_role("button", name="Change answers").click()
    page.wait_for_url(re.compile(r"edit=1"))
    slot = page.locator("#stage-review")
    expect(slot).to_contain_text("Why RDS?")
    slot.locator("summary", has_text="Reply").click()
    slot.get_by_label("Your reply").fill("Switched to Aurora PostgreSQL.")
    slot.get_by_role("button", name="Reply").click()
    expect(slot.locator(".reply")).to_contain_text("Switched to Aurora PostgreSQL.")
    slot.get_by_role("button", name="Resolve").click()
    expect(slot).to_contain_text("Resolved by erin")
    page.locator("#q-database_engine").get_by_label("Aurora PostgreSQL", exact=False).first.check()
    expect(page.locator("#q-database_engine-feedback")).to_contain_text("Saved")
    expect(page.locator("#status-notice")).to_contain_text("draft again")
    page.get_by_role("button", name="Save milestone").click()
    expect(page.locator(".messages")).to_contain_text("Milestone 2 of this stage saved")
    page.goto(detail)
    page.get_by_role("button", name="Choose the milestones to submit").click()
    expect(page.get_by_label("Growth")).to_have_value("2")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".review-panel")).to_contain_text("Waiting for an architect")

    # The architect signs off every one-way door, then approves.
    architect_page.goto(f"/journeys/{journey.pk}/review/")
    expect(architect_page.locator(".timeline .current")).to_contain_text("Submission 2")
    architect_page.get_by_role("button", name="Record the decision").wait_for()
    architect_page.get_by_label("Approve").check()
    architect_page.get_by_label("Summary for the team").fill("Too early")
    architect_page.get_by_role("button", name="Record the decision").click()
    expect(architect_page.locator("#missing-sign-offs")).to_contain_text("still to sign off")
    expect(architect_page.get_by_label("Summary for the team")).to_have_value("Too early")
    # Tick each door, one by one, then sign the ticked ones off in one action.
    for box in architect_page.locator(".door-form input[name=door]").all():
        box.check()
    architect_page.get_by_role("button", name="Sign off the ticked doors").click()
    expect(architect_page.locator(".messages")).to_contain_text("Signed off")
    architect_page.get_by_label("Approve").check()
    architect_page.get_by_label("Summary for the team").fill("Approved: Aurora, Cognito, DR fine.")
    architect_page.get_by_role("button", name="Record the decision").click()
    expect(architect_page.locator("#decision")).to_contain_text("Approved")

    page.goto(detail)
    expect(page.locator(".review-panel")).to_contain_text("Approved")
    # Let the pages' own requests (badges, diagrams) finish before the live server stops.
    for open_page in (page, architect_page):
        open_page.wait_for_load_state("networkidle")
    architect_page.context.close()
    journey.refresh_from_db()
    assert journey.status == Journey.APPROVED
    assert Submission.objects.filter(journey=journey).count() == 2
    assert SignOff.objects.count() >= 9
    assert Comment.objects.filter(journey=journey).count() == 2
    actions = set(journey.history.values_list("action", flat=True))
    assert {"submitted", "comment_added", "decided", "signed_off", "reopened"} <= actions


def test_a_stakeholder_reads_a_shared_journey_without_an_account_until_it_is_revoked(
    page: Page, live_server: Any, editor: Any, journey: Journey
) -> None:
    save_all_milestones(journey, editor)
    link = share_link(journey, editor, "The board")
    page.goto(live_server.url + link.get_absolute_url())
    expect(page.get_by_role("heading", name="Checkout")).to_be_visible()
    page.get_by_role("link", name=re.compile("3. Scale")).click()
    expect(page.locator("#stage-detail-title")).to_contain_text("Scale")
    page.wait_for_load_state("networkidle")
    # The diagram and cost loaders never put a sign-in form inside the shared page.
    expect(page.locator("main")).not_to_contain_text("Password")
    sharing.revoke(journey, editor, link)
    response = page.reload()
    assert response is not None and response.status == 410
    expect(page.get_by_role("heading", name="This link no longer works")).to_be_visible()
    page.wait_for_load_state("networkidle")
