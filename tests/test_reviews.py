"""Architect review: the status flow, submitting exact milestones, the queue, the review page,
sign-offs of one-way doors, decisions and the history they leave."""

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from journeys import vocabulary
from journeys.access import JourneyAccess, review_access_or_404
from journeys.milestones import save_milestone
from journeys.models import (
    Answer,
    Decision,
    Journey,
    Membership,
    Milestone,
    SignOff,
    Submission,
    Team,
    record,
)
from journeys.reviews import comments, decisions, flow, sharing, submissions
from tests.conftest import (
    access_for,
    add_comment,
    make_user,
    save_all_milestones,
    share_link,
    submission_of,
    submit_all,
)

HTMX = {"HX-Request": "true"}


# --- Helpers other review tests import --------------------------------------------------------


def sign_everything(journey: Journey, architect: Any, submission: Submission) -> int:
    doors = decisions.missing_sign_offs(decisions.submitted_stages(submission))
    for door in doors:
        decisions.sign_off(
            access_for(architect, journey),
            submission_of(journey, submission.number),
            door.stage.slug,
            door.component.id,
        )
    return len(doors)


def change_an_answer(journey: Journey, user: Any, stage: str = "growth") -> None:
    """What the wizard does when an answer changes: a new value, and back to draft."""
    Answer.objects.update_or_create(
        journey=journey,
        stage=stage,
        question="peak_rps",
        defaults={"value": 900, "catalogue_version": "test"},
    )
    journey.reopen_after_edit(user)


# --- The status flow ----------------------------------------------------------------------------

STATUSES = [s for s, _ in Journey.STATUS_CHOICES]


def _put_in(journey: Journey, status: str, editor: User, architect: User) -> Submission:
    """A journey in `status` with an open (or decided) submission as that status implies."""
    submission = submit_all(journey, editor)
    if status == Journey.APPROVED:
        sign_everything(journey, architect, submission)
        decisions.decide(
            access_for(architect, journey),
            submission_of(journey, submission.number),
            flow.APPROVE,
            "Fine.",
        )
    elif status == Journey.CHANGES_REQUESTED:
        decisions.decide(
            access_for(architect, journey),
            submission_of(journey, submission.number),
            flow.REQUEST_CHANGES,
            "No.",
        )
    elif status == Journey.DRAFT:
        change_an_answer(journey, editor)
    journey.refresh_from_db()
    assert journey.status == status
    return submission


def _act(
    journey: Journey, action: str, editor: User, architect: User, submission: Submission
) -> None:
    if action == flow.SUBMIT:
        submissions.submit(journey, editor, {}, "")
    elif action == flow.EDIT:
        if not journey.reopen_after_edit(editor):
            raise ValidationError("no change")
    else:
        sign_everything_if_open(journey, architect, submission)
        decisions.decide(
            access_for(architect, journey),
            submission_of(journey, submission.number),
            action,
            "Summary.",
        )


def sign_everything_if_open(journey: Journey, architect: User, submission: Submission) -> None:
    if submission_of(journey, submission.number).is_open:
        sign_everything(journey, architect, submission)


# What each action does from each status, stated here rather than read from `flow`: a change
# to the table must be a change to this test too. None: refused, the status stays.
D, R, A, C = Journey.DRAFT, Journey.IN_REVIEW, Journey.APPROVED, Journey.CHANGES_REQUESTED
EXPECTED_FLOW = {
    (D, "submit"): R,
    (D, "approve"): None,
    (D, "request_changes"): None,
    (D, "edit"): None,
    (R, "submit"): None,
    (R, "approve"): A,
    (R, "request_changes"): C,
    (R, "edit"): D,
    (A, "submit"): None,
    (A, "approve"): None,
    (A, "request_changes"): None,
    (A, "edit"): D,
    (C, "submit"): R,
    (C, "approve"): None,
    (C, "request_changes"): None,
    (C, "edit"): D,
}


@pytest.mark.parametrize(("status", "action"), sorted(EXPECTED_FLOW))
def test_every_status_transition_is_allowed_or_refused_as_the_table_says(
    journey: Journey, editor: User, architect: User, status: str, action: str
) -> None:
    submission = _put_in(journey, status, editor, architect)
    expected = EXPECTED_FLOW[(status, action)]
    if expected is None:
        with pytest.raises(ValidationError):
            _act(journey, action, editor, architect, submission)
        journey.refresh_from_db()
        assert journey.status == status
    else:
        _act(journey, action, editor, architect, submission)
        journey.refresh_from_db()
        assert journey.status == expected


def test_every_status_and_action_has_a_row_in_the_expected_flow() -> None:
    assert set(EXPECTED_FLOW) == {(s, a) for s in STATUSES for a in flow.ACTIONS}


@pytest.mark.parametrize(
    ("status", "action", "words"),
    [
        (Journey.IN_REVIEW, "submit", "already in review"),
        (Journey.APPROVED, "submit", "approved as submitted"),
        (Journey.DRAFT, "approve", "not in review"),
        (Journey.APPROVED, "request_changes", "decided already"),
        (Journey.CHANGES_REQUESTED, "approve", "decided already"),
        (Journey.DRAFT, "edit", "stays a draft"),
    ],
)
def test_a_refused_transition_says_why_in_words(status: str, action: str, words: str) -> None:
    with pytest.raises(ValidationError) as refused:
        flow.next_status(status, action)
    assert words in refused.value.message


# --- Submitting ----------------------------------------------------------------------------------


def test_a_stage_without_a_milestone_blocks_submission_with_a_link_to_save_one(
    editor_client: Any, journey: Journey, editor: User
) -> None:
    save_milestone(journey, "launch", "", editor)
    page = editor_client.get(reverse("reviews:submit", args=[journey.pk]))
    html = page.content.decode()
    assert "Every stage needs a milestone" in html
    assert reverse("journeys:milestones", args=[journey.pk, "growth"]) in html
    assert reverse("journeys:stage", args=[journey.pk, "growth"]) in html
    response = editor_client.post(
        reverse("reviews:submit", args=[journey.pk]), {"note": "Please look at the DB"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Growth has none yet" in html and 'id="stage-growth-error"' in html
    assert "Please look at the DB" in html  # the note is kept
    journey.refresh_from_db()
    assert journey.status == Journey.DRAFT and not Submission.objects.exists()


def test_saving_a_missing_milestone_from_the_submit_page_comes_back_to_it(
    editor_client: Any, journey: Journey
) -> None:
    submit_url = reverse("reviews:submit", args=[journey.pk])
    response = editor_client.post(
        reverse("journeys:milestones", args=[journey.pk, "scale"]),
        {"note": "For review", "next": submit_url},
    )
    assert response["Location"] == submit_url


def test_the_submit_form_defaults_to_each_stages_latest_milestone(
    editor_client: Any, journey: Journey, editor: User
) -> None:
    save_all_milestones(journey, editor)
    change_an_answer(journey, editor)
    newer, _ = save_milestone(journey, "growth", "newer", editor)
    page = editor_client.get(reverse("reviews:submit", args=[journey.pk])).content.decode()
    assert '<option value="2" selected>' in page
    response = editor_client.post(reverse("reviews:submit", args=[journey.pk]), {})
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.entries.get(stage="growth").milestone == newer


def test_a_team_can_submit_an_older_milestone_of_a_stage(
    editor_client: Any, journey: Journey, editor: User
) -> None:
    first = save_all_milestones(journey, editor)
    change_an_answer(journey, editor)
    save_milestone(journey, "growth", "", editor)
    editor_client.post(
        reverse("reviews:submit", args=[journey.pk]), {"stage-growth": "1", "note": "older"}
    )
    submission = Submission.objects.get()
    assert submission.entries.get(stage="growth").milestone == first["growth"]
    assert submission.note == "older"


def test_a_milestone_number_that_does_not_exist_is_refused_next_to_its_stage(
    editor_client: Any, journey: Journey, editor: User
) -> None:
    save_all_milestones(journey, editor)
    response = editor_client.post(
        reverse("reviews:submit", args=[journey.pk]), {"stage-scale": "99"}
    )
    assert response.status_code == 422
    assert 'id="stage-scale-error"' in response.content.decode()
    assert not Submission.objects.exists()


def test_submitting_records_the_exact_milestones_and_tells_the_architects(
    journey: Journey, editor: User, architect: User
) -> None:
    milestones = save_all_milestones(journey, editor)
    submission = submissions.submit(journey, editor, {}, "")
    assert set(submission.milestones.all()) == set(milestones.values())
    assert submission.changed_stage_list == list(vocabulary.STAGES)
    entry = journey.history.get(action="submitted")
    assert entry.detail["milestones"] == {slug: 1 for slug in vocabulary.STAGES}
    assert entry.detail["status"] == ["draft", "in_review"]
    assert architect.notifications.get().kind == "submitted"


def test_resubmitting_creates_a_new_submission_and_says_which_stages_changed(
    journey: Journey, editor: User, architect: User, submitted: Submission
) -> None:
    decisions.decide(
        access_for(architect, journey),
        submission_of(journey, 1),
        flow.REQUEST_CHANGES,
        "Use Aurora.",
    )
    change_an_answer(journey, editor, "scale")
    save_milestone(journey, "scale", "", editor)
    second = submissions.submit(journey, editor, {}, "")
    submitted.refresh_from_db()
    assert second.number == 2 and second.latest and not submitted.latest
    assert second.changed_stage_list == ["scale"]
    assert submitted.decision.outcome == Journey.CHANGES_REQUESTED


def test_viewers_cannot_submit(client: Any, viewer: User, journey: Journey) -> None:
    client.force_login(viewer)
    assert client.get(reverse("reviews:submit", args=[journey.pk])).status_code == 403
    assert client.post(reverse("reviews:submit", args=[journey.pk])).status_code == 403


# --- Who reviews ---------------------------------------------------------------------------------


def test_architects_cannot_see_a_journey_that_was_never_submitted(
    architect_client: Any, journey: Journey
) -> None:
    assert architect_client.get(reverse("reviews:review", args=[journey.pk])).status_code == 404


def test_architects_read_a_submitted_journey_but_cannot_edit_its_answers(
    architect_client: Any, journey: Journey, submitted: Submission
) -> None:
    page = architect_client.get(reverse("reviews:review", args=[journey.pk]))
    assert page.context["submission"] == submitted and page.context["can_decide"]
    assert journey.name in page.content.decode()
    response = architect_client.post(
        reverse("journeys:answer", args=[journey.pk, "growth", "peak_rps"]), {"value": "5"}
    )
    assert response.status_code == 404
    assert not Answer.objects.filter(question="peak_rps").exists()


def test_an_architect_cannot_approve_their_own_teams_journey(
    journey: Journey, editor: User, architect: User, submitted: Submission, team: Team
) -> None:
    Membership.objects.create(team=team, user=architect, role=Membership.VIEWER)
    sign_off_attempt = decisions.missing_sign_offs(decisions.submitted_stages(submitted))[0]
    with pytest.raises(ValidationError, match="another architect"):
        decisions.sign_off(
            access_for(architect, journey),
            submission_of(journey, 1),
            sign_off_attempt.stage.slug,
            sign_off_attempt.component.id,
        )
    with pytest.raises(ValidationError, match="another architect"):
        decisions.decide(
            access_for(architect, journey),
            submission_of(journey, 1),
            flow.REQUEST_CHANGES,
            "Looks fine to me",
        )
    assert not Decision.objects.exists()


def test_an_architect_who_submitted_cannot_approve_it_even_outside_the_team(
    journey: Journey, editor: User, architect: User, team: Team
) -> None:
    # An architect in the team submits, then leaves the team: still their own submission.
    Membership.objects.create(team=team, user=architect, role=Membership.EDITOR)
    save_all_milestones(journey, editor)
    submissions.submit(journey, architect, {}, "")
    Membership.objects.filter(user=architect).delete()
    with pytest.raises(ValidationError, match="another architect"):
        decisions.decide(
            access_for(architect, journey), submission_of(journey, 1), flow.REQUEST_CHANGES, "Mine"
        )


def test_self_approval_is_allowed_when_the_setting_is_off(
    settings: Any, journey: Journey, architect: User, submitted: Submission, team: Team
) -> None:
    settings.REVIEW_FORBID_SELF_APPROVAL = False
    Membership.objects.create(team=team, user=architect, role=Membership.VIEWER)
    sign_everything(journey, architect, submitted)
    decisions.decide(
        access_for(architect, journey),
        submission_of(journey, 1),
        flow.APPROVE,
        "Approved by our own architect.",
    )
    journey.refresh_from_db()
    assert journey.status == Journey.APPROVED


def test_the_review_page_tells_an_architect_of_the_team_that_someone_else_decides(
    client: Any, journey: Journey, architect: User, submitted: Submission, team: Team
) -> None:
    Membership.objects.create(team=team, user=architect, role=Membership.VIEWER)
    client.force_login(architect)
    html = client.get(reverse("reviews:review", args=[journey.pk])).content.decode()
    assert "another architect decides" in html or "from outside the team decides" in html
    assert "Record the decision" not in html


def test_team_members_cannot_decide(
    editor_client: Any, journey: Journey, submitted: Submission
) -> None:
    response = editor_client.post(
        reverse("reviews:decide", args=[journey.pk, 1]),
        {"outcome": "request_changes", "summary": "Self review"},
    )
    assert response.status_code == 403
    assert not Decision.objects.exists()


# --- One-way doors and decisions ---------------------------------------------------------------


def test_approval_is_blocked_until_every_one_way_door_is_signed_off(
    architect_client: Any, journey: Journey, architect: User, submitted: Submission
) -> None:
    doors = decisions.missing_sign_offs(decisions.submitted_stages(submitted))
    assert len(doors) >= 2
    url = reverse("reviews:decide", args=[journey.pk, 1])
    response = architect_client.post(url, {"outcome": "approve", "summary": "Ship it"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Sign off every one-way door before approving" in html
    for door in doors:
        assert f"{door.stage.slug.capitalize()} · {door.component.label}" in html
    assert "Ship it" in html  # the summary is kept
    for door in doors[:-1]:
        decisions.sign_off(
            access_for(architect, journey),
            submission_of(journey, 1),
            door.stage.slug,
            door.component.id,
        )
    response = architect_client.post(url, {"outcome": "approve", "summary": "Ship it"})
    assert response.status_code == 422
    last = doors[-1]
    assert f"Missing: {last.stage.slug.capitalize()} · {last.component.label}." in html_of(response)
    decisions.sign_off(
        access_for(architect, journey),
        submission_of(journey, 1),
        last.stage.slug,
        last.component.id,
    )
    response = architect_client.post(url, {"outcome": "approve", "summary": "Ship it"})
    assert response.status_code == 302
    journey.refresh_from_db()
    assert journey.status == Journey.APPROVED
    assert submitted.decision.summary == "Ship it"


def test_requesting_changes_needs_no_sign_off_but_a_summary(
    architect_client: Any, journey: Journey, submitted: Submission
) -> None:
    url = reverse("reviews:decide", args=[journey.pk, 1])
    response = architect_client.post(url, {"outcome": "request_changes", "summary": "  "})
    assert response.status_code == 422
    assert "Write a summary" in response.content.decode()
    response = architect_client.post(url, {"outcome": "", "summary": "Something"})
    assert response.status_code == 422
    assert "Pick approve or request changes" in response.content.decode()
    response = architect_client.post(
        url, {"outcome": "request_changes", "summary": "Split the **database**"}
    )
    assert response.status_code == 302
    journey.refresh_from_db()
    assert journey.status == Journey.CHANGES_REQUESTED


def test_a_submission_is_decided_once(
    journey: Journey, architect: User, submitted: Submission
) -> None:
    decisions.decide(
        access_for(architect, journey), submission_of(journey, 1), flow.REQUEST_CHANGES, "First"
    )
    with pytest.raises(ValidationError):
        decisions.decide(
            access_for(architect, journey),
            submission_of(journey, 1),
            flow.REQUEST_CHANGES,
            "Second",
        )
    assert Decision.objects.count() == 1


def test_a_journey_changed_while_in_review_cannot_be_decided_until_it_is_resubmitted(
    journey: Journey, editor: User, architect: User, submitted: Submission
) -> None:
    change_an_answer(journey, editor)
    with pytest.raises(ValidationError, match="not in review"):
        decisions.decide(
            access_for(architect, journey),
            submission_of(journey, 1),
            flow.REQUEST_CHANGES,
            "Too late",
        )
    door = decisions.missing_sign_offs(decisions.submitted_stages(submitted))[0]
    with pytest.raises(ValidationError, match="not open"):
        decisions.sign_off(
            access_for(architect, journey),
            submission_of(journey, 1),
            door.stage.slug,
            door.component.id,
        )


def test_an_approval_stays_with_the_milestones_it_approved_after_an_edit(
    journey: Journey, editor: User, architect: User, submitted: Submission
) -> None:
    sign_everything(journey, architect, submitted)
    decisions.decide(
        access_for(architect, journey), submission_of(journey, 1), flow.APPROVE, "Good"
    )
    approved = set(submitted.milestones.values_list("pk", flat=True))
    change_an_answer(journey, editor)
    save_milestone(journey, "growth", "", editor)
    journey.refresh_from_db()
    assert journey.status == Journey.DRAFT
    submitted.refresh_from_db()
    assert submitted.decision.outcome == Journey.APPROVED
    assert set(submitted.milestones.values_list("pk", flat=True)) == approved


def test_sign_offs_carry_over_to_a_resubmission_of_the_same_milestone(
    journey: Journey, editor: User, architect: User, submitted: Submission
) -> None:
    signed = sign_everything(journey, architect, submitted)
    decisions.decide(
        access_for(architect, journey),
        submission_of(journey, 1),
        flow.REQUEST_CHANGES,
        "Only the scale stage",
    )
    change_an_answer(journey, editor, "scale")
    save_milestone(journey, "scale", "", editor)
    second = submissions.submit(journey, editor, {}, "")
    missing = decisions.missing_sign_offs(decisions.submitted_stages(second))
    assert {d.stage.slug for d in missing} == {"scale"}
    assert len(missing) < signed


def test_only_one_way_doors_of_the_submission_can_be_signed_off(
    journey: Journey, architect: User, submitted: Submission
) -> None:
    with pytest.raises(ValidationError, match="not a one-way door"):
        decisions.sign_off(
            access_for(architect, journey), submission_of(journey, 1), "growth", "web-asg"
        )
    with pytest.raises(ValidationError, match="not a one-way door"):
        decisions.sign_off(
            access_for(architect, journey), submission_of(journey, 1), "growth", "no-such-thing"
        )


def test_a_sign_off_can_be_withdrawn_while_the_review_is_open(
    architect_client: Any, journey: Journey, architect: User, submitted: Submission
) -> None:
    url = reverse("reviews:signoff", args=[journey.pk, 1])
    architect_client.post(url, {"stage": "launch", "component": "primary-db", "note": "Postgres"})
    signed = SignOff.objects.get()
    assert signed.note == "Postgres" and signed.architect == architect
    architect_client.post(url, {"stage": "launch", "component": "primary-db", "withdraw": "1"})
    assert not SignOff.objects.exists()
    actions = list(journey.history.values_list("action", flat=True))
    assert "signed_off" in actions and "sign_off_withdrawn" in actions


# --- History ------------------------------------------------------------------------------------


def test_every_review_action_leaves_a_history_entry(
    journey: Journey, editor: User, architect: User, editor_client: Any
) -> None:
    """Submissions, status changes, milestones, comments, sign-offs, decisions, share links."""
    editor_client.post(reverse("journeys:milestones", args=[journey.pk, "launch"]), {"note": ""})
    save_all_milestones(journey, editor)
    submissions.submit(journey, editor, {}, "")
    comment = add_comment(
        reviews_journey(journey, architect), {"body": "Why RDS?", "scope": "launch"}
    )
    member = reviews_journey(journey, editor)
    reply = add_comment(member, {"body": "Cost", "parent": str(comment.pk)})
    comments.edit_comment(member, reply, "Cost, mostly")
    comments.set_resolved(member, comment, True)
    comments.set_resolved(member, comment, False)
    door = decisions.missing_sign_offs(decisions.submitted_stages(Submission.objects.get()))[0]
    decisions.sign_off(
        access_for(architect, journey),
        submission_of(journey, 1),
        door.stage.slug,
        door.component.id,
    )
    decisions.sign_off(
        access_for(architect, journey),
        submission_of(journey, 1),
        door.stage.slug,
        door.component.id,
        withdraw=True,
    )
    decisions.decide(
        access_for(architect, journey),
        submission_of(journey, 1),
        flow.REQUEST_CHANGES,
        "Aurora please",
    )
    link = share_link(journey, editor, "Board")
    sharing.revoke(journey, editor, link)
    change_an_answer(journey, editor)
    actions = set(journey.history.values_list("action", flat=True))
    assert actions >= {
        "milestone_saved",
        "submitted",
        "comment_added",
        "comment_edited",
        "comment_resolved",
        "comment_reopened",
        "signed_off",
        "sign_off_withdrawn",
        "decided",
        "share_link_created",
        "share_link_revoked",
        "reopened",
    }
    decided = journey.history.get(action="decided")
    assert decided.actor == architect and decided.detail["status"] == [
        "in_review",
        "changes_requested",
    ]


def reviews_journey(journey: Journey, user: User) -> JourneyAccess:
    """The journey as the views fetch it for this user, with the user's access."""
    return review_access_or_404(user, journey.pk)


def test_the_history_is_shown_on_the_journey_page_and_on_its_own_page(
    editor_client: Any, journey: Journey, submitted: Submission
) -> None:
    page = editor_client.get(reverse("journeys:detail", args=[journey.pk])).content.decode()
    assert "Submitted for review (submission 1)" in page
    full = editor_client.get(reverse("reviews:history", args=[journey.pk])).content.decode()
    assert "Submitted for review (submission 1): Launch #1, Growth #1, Scale #1, Beyond #1" in full


@pytest.mark.parametrize("entries", [1, 80])
def test_the_history_page_query_count_is_fixed(
    editor_client: Any, journey: Journey, editor: User, entries: int, django_assert_num_queries: Any
) -> None:
    for i in range(entries):
        record(journey, editor, "note", f"Entry {i}")
    # session, user, the journey with the role and whether it was submitted, the count, the
    # page of entries with their actors
    with django_assert_num_queries(5):
        response = editor_client.get(reverse("reviews:history", args=[journey.pk]))
    assert f"Entry {entries - 1}" in response.content.decode()  # the newest entry is listed


# --- The journey page ---------------------------------------------------------------------------


def test_the_team_sees_the_status_the_decision_and_the_submit_button_on_the_journey_page(
    editor_client: Any, journey: Journey, editor: User, architect: User
) -> None:
    save_all_milestones(journey, editor)
    page = editor_client.get(reverse("journeys:detail", args=[journey.pk])).content.decode()
    assert reverse("reviews:submit", args=[journey.pk]) in page
    assert "Not submitted yet" in page
    submissions.submit(journey, editor, {}, "")
    page = editor_client.get(reverse("journeys:detail", args=[journey.pk])).content.decode()
    assert "Waiting for an architect" in page
    assert reverse("reviews:submit", args=[journey.pk]) not in page
    decisions.decide(
        access_for(architect, journey),
        submission_of(journey, 1),
        flow.REQUEST_CHANGES,
        "Use *Aurora* <b>now</b>",
    )
    page = editor_client.get(reverse("journeys:detail", args=[journey.pk])).content.decode()
    assert "Changes requested" in page
    assert "Use <em>Aurora</em> &lt;b&gt;now&lt;/b&gt;" in page
    assert reverse("reviews:submit", args=[journey.pk]) in page


def test_a_viewer_sees_the_review_but_no_submit_button(
    client: Any, viewer: User, journey: Journey, submitted: Submission, architect: User
) -> None:
    decisions.decide(
        access_for(architect, journey), submission_of(journey, 1), flow.REQUEST_CHANGES, "More"
    )
    client.force_login(viewer)
    page = client.get(reverse("journeys:detail", args=[journey.pk])).content.decode()
    assert "Changes requested" in page
    assert reverse("reviews:submit", args=[journey.pk]) not in page


# --- The queue ----------------------------------------------------------------------------------


def fill_queue(team: Team, journeys: int, submitter: User) -> list[Journey]:
    """Journeys with a submission each, as the bench makes them (no milestones needed)."""
    created = Journey.objects.bulk_create(
        Journey(
            team=team, name=f"{team.name} shop {i}", region="us-east-1", status=Journey.IN_REVIEW
        )
        for i in range(journeys)
    )
    Submission.objects.bulk_create(
        Submission(journey=j, number=1, submitted_by=submitter, changed_stages="launch,growth")
        for j in created
    )
    return created


def test_only_architects_see_the_queue(client: Any, editor: User) -> None:
    client.force_login(editor)
    assert client.get(reverse("reviews:queue")).status_code == 403


def test_the_queue_lists_journeys_in_review_across_teams_longest_waiting_first(
    architect_client: Any, team: Team, other_team: Team, editor: User
) -> None:
    first = fill_queue(team, 1, editor)[0]
    second = fill_queue(other_team, 1, editor)[0]
    Submission.objects.filter(journey=first).update(created=timezone.now() - timedelta(days=5))
    html = architect_client.get(reverse("reviews:queue")).content.decode()
    assert html.index(first.name) < html.index(second.name)
    assert "Payments" in html and "Search" in html


def test_the_queue_filters_by_status_team_stage_waiting_time_and_text(
    architect_client: Any, team: Team, other_team: Team, editor: User
) -> None:
    old, fresh = fill_queue(team, 2, editor)
    other = fill_queue(other_team, 1, editor)[0]
    Journey.objects.filter(pk=old.pk).update(name="Legacy billing", status=Journey.APPROVED)
    Submission.objects.filter(journey=old).update(created=timezone.now() - timedelta(days=10))
    Submission.objects.filter(journey=fresh).update(changed_stages="scale")
    url = reverse("reviews:queue")

    def names(**params: str) -> set[str]:
        page = architect_client.get(url, params).context["page"]
        return {s.journey.name for s in page.object_list}

    assert names() == {fresh.name, other.name}
    assert names(status="approved") == {"Legacy billing"}
    assert names(status="all", team="search") == {other.name}
    assert names(status="all", stage="scale") == {fresh.name}
    assert names(status="all", waiting="7") == {"Legacy billing"}
    assert names(status="all", q="legacy") == {"Legacy billing"}
    assert names(status="nonsense", stage="nowhere", waiting="x") == {fresh.name, other.name}
    counts = architect_client.get(url).context["counts"]
    assert counts["in_review"] == 2 and counts["approved"] == 1 and counts["all"] == 3


def test_the_queue_only_shows_the_latest_submission_of_each_journey(
    architect_client: Any, journey: Journey, editor: User, architect: User, submitted: Submission
) -> None:
    decisions.decide(
        access_for(architect, journey), submission_of(journey, 1), flow.REQUEST_CHANGES, "Again"
    )
    submissions.submit(journey, editor, {}, "")
    page = architect_client.get(reverse("reviews:queue")).context["page"]
    assert [s.number for s in page.object_list] == [2]


def test_the_queue_partial_comes_back_for_htmx(
    architect_client: Any, team: Team, editor: User
) -> None:
    fill_queue(team, 2, editor)
    response = architect_client.get(reverse("reviews:queue"), {"q": "shop"}, headers=HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="results"') and "<html" not in html


# session, user, architects group, counts, the page of rows, the row count, teams for the filter
QUEUE_QUERIES = 7


@pytest.mark.parametrize("journeys", [1, 45])
def test_the_queue_query_count_is_fixed(
    architect_client: Any, team: Team, editor: User, journeys: int, django_assert_num_queries: Any
) -> None:
    fill_queue(team, journeys, editor)
    with django_assert_num_queries(QUEUE_QUERIES):
        response = architect_client.get(reverse("reviews:queue"))
    assert response.context["page"].paginator.count == journeys


# --- The review page ----------------------------------------------------------------------------


def test_the_review_page_shows_the_submitted_milestone_of_the_chosen_stage(
    architect_client: Any, journey: Journey, editor: User, submitted: Submission
) -> None:
    change_an_answer(journey, editor)
    save_milestone(journey, "growth", "after the review started", editor)
    url = reverse("reviews:review", args=[journey.pk])
    html = architect_client.get(url, {"stage": "growth"}).content.decode()
    # Exactly what was submitted, not the newer milestone.
    assert "Growth: 10,000+ customers — milestone 1" in html
    assert 'id="arch-components"' in html and "One-way doors" in html
    assert "journeys/includes/milestone_products.html" not in html
    for slug in vocabulary.STAGES:
        assert f"stage={slug}" in html


def test_the_review_page_shows_an_older_submission_and_its_decision(
    architect_client: Any, journey: Journey, editor: User, architect: User, submitted: Submission
) -> None:
    decisions.decide(
        access_for(architect, journey),
        submission_of(journey, 1),
        flow.REQUEST_CHANGES,
        "Use Aurora",
    )
    submissions.submit(journey, editor, {}, "")
    url = reverse("reviews:review", args=[journey.pk])
    html = architect_client.get(url, {"submission": "1"}).content.decode()
    assert "Decision on submission 1" in html and "Use Aurora" in html
    html = architect_client.get(url).content.decode()
    assert "Decision on submission 2" in html and "Record the decision" in html


def test_the_team_reads_the_review_page_without_decision_tools(
    editor_client: Any, journey: Journey, submitted: Submission
) -> None:
    html = editor_client.get(reverse("reviews:review", args=[journey.pk])).content.decode()
    assert "Record the decision" not in html and "Sign off" not in html


def test_the_review_page_of_an_unsubmitted_journey_invites_the_team_to_submit(
    editor_client: Any, journey: Journey
) -> None:
    html = editor_client.get(reverse("reviews:review", args=[journey.pk])).content.decode()
    assert "has not been submitted for review yet" in html


def test_the_compare_page_shows_two_stages_side_by_side(
    architect_client: Any, journey: Journey, submitted: Submission
) -> None:
    url = reverse("reviews:compare", args=[journey.pk])
    response = architect_client.get(url, {"a": "launch:1", "b": "scale:1"})
    html = response.content.decode()
    assert "Launch #1 → Scale #1" in html
    context = response.context
    assert context["diff"].added  # scale brings components launch does not have
    assert {cid for cid, _, _ in context["components"]} >= set(context["diff"].added)
    # Every finding of either side has its row, once.
    finding_ids = [i for i, _, _ in context["findings"]]
    assert finding_ids and len(finding_ids) == len(set(finding_ids))


def test_the_compare_page_defaults_to_the_first_two_submitted_stages(
    architect_client: Any, journey: Journey, submitted: Submission
) -> None:
    response = architect_client.get(reverse("reviews:compare", args=[journey.pk]))
    assert response.context["a"] == "launch:1" and response.context["b"] == "growth:1"


def test_the_compare_page_compares_two_milestones_of_one_stage(
    architect_client: Any, journey: Journey, editor: User, submitted: Submission
) -> None:
    Answer.objects.create(
        journey=journey, stage="growth", question="customers", value=90000, catalogue_version="t"
    )
    save_milestone(journey, "growth", "", editor)
    response = architect_client.get(
        reverse("reviews:compare", args=[journey.pk]), {"a": "growth:1", "b": "growth:2"}
    )
    assert "Growth #1 → Growth #2" in response.content.decode()
    # Nine times the customers: the same components, sized differently.
    diff = response.context["diff"]
    assert diff.changed and not diff.added and not diff.removed


def test_a_submission_number_that_does_not_exist_shows_the_latest(
    architect_client: Any, journey: Journey, submitted: Submission
) -> None:
    response = architect_client.get(
        reverse("reviews:review", args=[journey.pk]), {"submission": "x<script>"}
    )
    assert response.status_code == 200 and response.context["submission"] == submitted


def test_sign_off_and_decide_answer_404_for_a_submission_that_does_not_exist(
    architect_client: Any, journey: Journey, submitted: Submission
) -> None:
    response = architect_client.post(
        reverse("reviews:decide", args=[journey.pk, 7]), {"outcome": "approve", "summary": "x"}
    )
    assert response.status_code == 404


def test_another_architect_can_review_after_one_leaves(
    journey: Journey, submitted: Submission, architect: User
) -> None:
    second = make_user("grace")
    second.groups.add(*architect.groups.all())
    sign_everything(journey, architect, submitted)
    decisions.decide(
        access_for(second, journey),
        submission_of(journey, 1),
        flow.APPROVE,
        "Agreed with Ada's sign-offs",
    )
    journey.refresh_from_db()
    assert journey.status == Journey.APPROVED


def html_of(response: Any) -> str:
    return response.content.decode()


def test_the_submit_page_of_a_journey_in_review_says_so_and_offers_no_button(
    editor_client: Any, journey: Journey, submitted: Submission
) -> None:
    response = editor_client.get(reverse("reviews:submit", args=[journey.pk]))
    html = html_of(response)
    assert response.status_code == 200 and "already in review" in html
    assert "disabled" in html.split("Submit for review</button>")[0].rsplit("<button", 1)[1]


# --- One action for many: bulk sign-off, submit all, approved state kept (issue 14) --------------


def test_an_architect_signs_off_every_door_of_a_submission_in_one_action(
    architect_client: Any, journey: Journey, architect: User, submitted: Submission
) -> None:
    doors = decisions.missing_sign_offs(decisions.submitted_stages(submitted))
    url = reverse("reviews:signoff", args=[journey.pk, 1])
    response = architect_client.post(url, {"bulk": "1", "all": "1", "note": "All checked"})
    assert response.status_code == 302
    assert SignOff.objects.count() == len(doors) > 1
    assert set(SignOff.objects.values_list("note", flat=True)) == {"All checked"}
    page = architect_client.get(response["Location"]).content.decode()
    assert f"Signed off {len(doors)} one-way doors." in page
    assert "Every one-way door is signed off." in page


def test_ticking_a_component_signs_off_its_door_in_every_stage(
    architect_client: Any, journey: Journey, submitted: Submission
) -> None:
    stages = decisions.submitted_stages(submitted)
    group = next(g for g in decisions.door_groups(stages) if len(g.doors) > 1)
    url = reverse("reviews:signoff", args=[journey.pk, 1])
    architect_client.post(url, {"bulk": "1", "door": [group.component_id]})
    signed = SignOff.objects.filter(component=group.component_id)
    assert signed.count() == len(group.doors)
    assert SignOff.objects.exclude(component=group.component_id).count() == 0


def test_a_bulk_sign_off_with_nothing_ticked_says_what_to_do(
    architect_client: Any, journey: Journey, submitted: Submission
) -> None:
    url = reverse("reviews:signoff", args=[journey.pk, 1])
    response = architect_client.post(url, {"bulk": "1"}, follow=True)
    assert "Tick the doors to sign off" in response.content.decode()
    assert not SignOff.objects.exists()


def test_a_signed_door_offers_no_withdraw_button_where_the_sign_off_button_was(
    architect_client: Any, journey: Journey, architect: User, submitted: Submission
) -> None:
    """A double click on "Sign off" must never land on "Withdraw": withdrawing lives behind a
    disclosure, after the list."""
    architect_client.post(
        reverse("reviews:signoff", args=[journey.pk, 1]), {"bulk": "1", "all": "1"}
    )
    html = architect_client.get(reverse("reviews:review", args=[journey.pk])).content.decode()
    doors = html[
        html.index('class="door-form"') : html.index("</form>", html.index('class="door-form"'))
    ]
    assert "Withdraw" not in doors
    assert '<summary class="small">Withdraw a sign-off</summary>' in html


def test_one_action_saves_a_milestone_of_every_stage_and_submits(
    editor_client: Any, journey: Journey
) -> None:
    assert not Milestone.objects.filter(journey=journey).exists()
    response = editor_client.post(
        reverse("reviews:submit", args=[journey.pk]), {"save_all": "1", "note": "All four"}
    )
    assert response.status_code == 302
    journey.refresh_from_db()
    assert journey.status == Journey.IN_REVIEW
    submission = Submission.objects.get(journey=journey)
    assert submission.note == "All four"
    assert sorted(submission.entries.values_list("stage", flat=True)) == sorted(vocabulary.STAGES)


def test_submit_all_keeps_an_unchanged_stages_latest_milestone(
    editor_client: Any, journey: Journey, editor: User
) -> None:
    saved = save_all_milestones(journey, editor)
    editor_client.post(reverse("reviews:submit", args=[journey.pk]), {"save_all": "1"})
    assert Milestone.objects.filter(journey=journey).count() == len(vocabulary.STAGES)
    entries = dict(Submission.objects.get().entries.values_list("stage", "milestone_id"))
    assert entries == {stage: m.pk for stage, m in saved.items()}


def test_submit_all_on_a_journey_in_review_is_refused_and_saves_nothing(
    editor_client: Any, journey: Journey, submitted: Submission
) -> None:
    before = Milestone.objects.count()
    response = editor_client.post(
        reverse("reviews:submit", args=[journey.pk]), {"save_all": "1"}, follow=True
    )
    assert "already in review" in response.content.decode()
    assert Milestone.objects.count() == before and Submission.objects.count() == 1


def _approved(journey: Journey, editor: User, architect: User) -> None:
    _put_in(journey, Journey.APPROVED, editor, architect)


def _post_answer(client: Any, journey: Journey, stage: str, question: str, value: str) -> None:
    answer = Answer.objects.filter(journey=journey, stage=stage, question=question).first()
    version = f"{answer.pk}.{answer.version}" if answer else "0"
    url = reverse("journeys:answer", args=[journey.pk, stage, question])
    # As the stage page posts it once the journey has a submission.
    data = {"value": value, "version": version, "submitted": "1"}
    response = client.post(url, data, headers=HTMX)
    assert response.status_code == 200, response.content.decode()[:500]


def test_an_answer_changed_and_set_back_leaves_an_approved_journey_approved(
    editor_client: Any, journey: Journey, editor: User, architect: User
) -> None:
    _post_answer(editor_client, journey, "growth", "peak_rps", "300")
    _approved(journey, editor, architect)
    _post_answer(editor_client, journey, "growth", "peak_rps", "9000")
    journey.refresh_from_db()
    assert journey.status == Journey.DRAFT
    _post_answer(editor_client, journey, "growth", "peak_rps", "300")
    journey.refresh_from_db()
    assert journey.status == Journey.APPROVED
    assert journey.history.filter(action="restored").exists()


def test_an_edit_that_keeps_the_architecture_does_not_reopen_an_approved_journey(
    editor_client: Any, journey: Journey, editor: User, architect: User
) -> None:
    _post_answer(editor_client, journey, "growth", "peak_rps", "300")
    _approved(journey, editor, architect)
    url = reverse("journeys:answer", args=[journey.pk, "growth", "peak_rps"])
    answer = Answer.objects.get(journey=journey, stage="growth", question="peak_rps")
    version = f"{answer.pk}.{answer.version}"
    data = {"value": "300", "note": "Measured", "version": version, "submitted": "1"}
    editor_client.post(url, data, headers=HTMX)
    journey.refresh_from_db()
    assert journey.status == Journey.APPROVED
    assert not journey.history.filter(action="reopened").exists()


def test_an_architect_in_no_team_lands_on_the_review_queue(architect_client: Any) -> None:
    response = architect_client.get(reverse("journeys:list"))
    assert response.status_code == 302 and response["Location"] == reverse("reviews:queue")


def test_an_architect_in_a_team_still_sees_its_journeys(
    architect_client: Any, architect: User, team: Any, journey: Journey
) -> None:
    Membership.objects.create(team=team, user=architect, role=Membership.VIEWER)
    response = architect_client.get(reverse("journeys:list"))
    assert response.status_code == 200 and journey.name in response.content.decode()


def test_a_submitted_journey_asks_before_its_answers_change(
    editor_client: Any, journey: Journey, submitted: Submission
) -> None:
    url = reverse("journeys:stage", args=[journey.pk, "growth"])
    locked = editor_client.get(url).content.decode()
    assert "Change answers" in locked
    assert '<fieldset disabled class="plain">' in locked
    unlocked = editor_client.get(url, {"edit": "1"}).content.decode()
    assert "Change answers" not in unlocked
    assert '<fieldset disabled class="plain">' not in unlocked


def test_the_stage_page_of_a_submitted_journey_tells_each_save_so(
    editor_client: Any, journey: Journey, submitted: Submission
) -> None:
    url = reverse("journeys:stage", args=[journey.pk, "growth"])
    html = editor_client.get(url, {"edit": "1"}).content.decode()
    assert 'name="submitted" value="1"' in html
