"""A real Chromium lays out the pages people use most (issue 14): nothing sticks out of its
container or scrolls sideways at 390, 1280 and 1440 px on the stage, journey, review and share
pages of a fully answered journey; screenshots of them land in var/screenshots/ for a person to
look at. And the two one-action flows: a team submits all four stages at once, an architect
signs off every one-way door at once and approves."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, expect

from journeys import architecture, demo
from journeys.jobs import diagrams, estimates
from journeys.models import Journey, Milestone, SignOff, Submission
from journeys.vocabulary import STAGES
from tests.conftest import PASSWORD, save_all_milestones, share_link, submit_all

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots"
WIDTHS = (390, 1280, 1440)
SHOT_WIDTHS = (390, 1440)

# Everything that sticks out of its parent, or scrolls sideways where it was not meant to
# (the tables' own `.table-scroll` boxes are meant to). Pico's nav lists pull their items
# out by a negative margin on purpose; hidden and off-screen helpers do not count.
OVERFLOWS = """
() => {
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (typeof el.className === "string" && el.className.trim()
       ? "." + el.className.trim().split(/\\s+/).join(".") : "");
  const found = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1) {
    found.push(`the page is ${root.scrollWidth}px wide in a ${root.clientWidth}px window`);
  }
  for (const el of document.body.querySelectorAll("*")) {
    if (el.closest(".table-scroll") && !el.matches(".table-scroll")) continue;
    if (el.closest("svg") && el.tagName.toLowerCase() !== "svg") continue;
    if (el.closest(".visually-hidden, .skip-link, noscript, template")) continue;
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden") continue;
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    if (style.overflowX !== "visible" && !el.matches(".table-scroll")
        && el.scrollWidth > el.clientWidth + 1) {
      found.push(`${name(el)} scrolls sideways (${el.scrollWidth} > ${el.clientWidth})`);
    }
    const parent = el.parentElement;
    if (!parent || parent === document.body || parent.matches("nav")) continue;
    const outer = parent.getBoundingClientRect();
    const out = Math.max(box.right - outer.right, outer.left - box.left);
    if (out > 1) found.push(`${name(el)} sticks out of ${name(parent)} by ${Math.round(out)}px`);
  }
  return [...new Set(found)];
}
"""


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    """The demo journey, submitted, shared, priced, with its diagrams drawn."""
    journey, _ = demo.seed()
    team = User.objects.get(username=demo.USERNAME)
    architect = User.objects.get(username=demo.ARCHITECT)
    for user in (team, architect):
        user.set_password(PASSWORD)
        user.save()
    submit_all(journey, team)
    link = share_link(journey, team, "The board")
    answers = architecture.JourneyAnswers.of(journey)
    for stage in STAGES:
        state = architecture.stage_state(journey, stage, answers)
        facts = architecture.stage_facts(stage, answers)
        estimates.run(estimates.ensure_estimate(journey, stage, state, facts).pk)
        for m in Milestone.objects.filter(journey=journey, stage=stage):
            estimates.run(estimates.milestone_estimate_for(journey, m).pk)
    # Drawn beforehand, so that the pages' loaders only read (four loaders writing at once
    # lock the test's in-memory SQLite).
    for stage in STAGES:
        state, previous = architecture.stage_with_previous(journey, stage)
        diagrams.render(diagrams.ensure_diagram(journey, stage, state, previous).pk)
    scale = Milestone.objects.get(journey=journey, stage="scale")
    diagrams.render(diagrams.milestone_diagram_for(journey, scale).pk)
    return {"journey": journey, "team": team, "architect": architect, "link": link}


def sign_in_as(browser: Browser, live_server: Any, username: str, width: int) -> Page:
    page = browser.new_page(base_url=live_server.url, viewport={"width": width, "height": 900})
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name=re.compile("^Sign out"))).to_be_visible()
    return page


def settle(page: Page) -> None:
    """The diagram and cost loaders have swapped themselves in."""
    page.wait_for_load_state("networkidle")
    expect(page.locator(".estimate[aria-busy='true'], .diagram[hx-trigger='load']")).to_have_count(
        0
    )


def test_no_page_overflows_at_390_1280_or_1440_px(
    browser: Browser, live_server: Any, world: dict[str, Any]
) -> None:
    journey: Journey = world["journey"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    found: dict[str, list[str]] = {}
    for width in WIDTHS:
        team = sign_in_as(browser, live_server, world["team"].username, width)
        architect = sign_in_as(browser, live_server, world["architect"].username, width)
        anonymous = browser.new_page(
            base_url=live_server.url, viewport={"width": width, "height": 900}
        )
        pages = [
            ("stage", team, f"/journeys/{journey.pk}/stages/scale/"),
            ("journey", team, f"/journeys/{journey.pk}/"),
            ("review", architect, f"/journeys/{journey.pk}/review/?stage=scale"),
            ("share", anonymous, f"{world['link'].get_absolute_url()}?stage=scale"),
        ]
        for name, page, url in pages:
            page.goto(url)
            settle(page)
            problems = page.evaluate(OVERFLOWS)
            if problems:
                found[f"{name} at {width}px"] = problems
            if width in SHOT_WIDTHS:
                page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
        for page in (team, architect, anonymous):
            page.context.close()
    assert not found, "\n".join(f"{where}: {p}" for where, p in found.items())


def test_a_team_submits_all_four_stages_in_one_action(
    page: Page, live_server: Any, editor: User, journey: Journey
) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(editor.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/journeys/{journey.pk}/")
    page.get_by_role("button", name="Submit all four stages for review").click()
    expect(page.locator(".messages")).to_contain_text("All four stages saved and submitted")
    expect(page.locator(".review-panel")).to_contain_text("Waiting for an architect")
    submission = Submission.objects.get(journey=journey)
    assert sorted(submission.entries.values_list("stage", flat=True)) == sorted(STAGES)
    page.wait_for_load_state("networkidle")


def test_an_architect_signs_off_all_doors_of_a_submission_in_one_action_and_approves(
    browser: Browser, live_server: Any, editor: User, architect: User, journey: Journey
) -> None:
    save_all_milestones(journey, editor)
    submit_all(journey, editor)
    page = sign_in_as(browser, live_server, architect.username, 1280)
    # An architect in no team lands on the review queue.
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()
    page.get_by_role("link", name="Checkout").click()
    doors = page.locator(".door-form .door")
    count = doors.count()
    assert count >= 1
    sign_all = page.get_by_role("button", name=re.compile("^Sign off all"))
    # A double click signs off once and never withdraws: no "Withdraw" comes under the cursor.
    sign_all.dblclick()
    expect(page.locator(".messages")).to_contain_text("Signed off")
    expect(page.locator(".door-form")).to_contain_text("Every one-way door is signed off.")
    expect(page.locator(".door-form").get_by_role("button", name="Withdraw")).to_have_count(0)
    page.get_by_label("Approve").check()
    page.get_by_label("Summary for the team").fill("Approved: every door checked.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#decision")).to_contain_text("Approved")
    page.wait_for_load_state("networkidle")
    page.context.close()
    journey.refresh_from_db()
    assert journey.status == Journey.APPROVED
    assert SignOff.objects.count() >= count


def test_a_share_link_is_copied_with_its_button(
    browser: Browser, live_server: Any, editor: User, journey: Journey
) -> None:
    save_all_milestones(journey, editor)
    share_link(journey, editor, "The board")
    page = sign_in_as(browser, live_server, editor.username, 390)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"/journeys/{journey.pk}/share/")
    page.get_by_role("button", name="Copy link 1").click()
    expect(page.get_by_role("button", name="Copy link 1")).to_have_text("Copied ✓")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(live_server.url + "/s/")
    assert not page.evaluate(OVERFLOWS)
    page.context.close()
