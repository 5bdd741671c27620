"""Notifications: in the app (a badge and a list that marks read) and by email through a Celery
task enqueued once the transaction commits."""

from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from celery import current_app
from django.contrib.auth.models import User
from django.urls import reverse

from journeys.access import review_access_or_404
from journeys.models import Journey, Notification
from journeys.reviews import decisions, flow, notifications, submissions
from tests.conftest import (
    access_for,
    add_comment,
    make_user,
    save_all_milestones,
    submission_of,
    wait_for,
)


def kinds_of(user: User) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("kind", flat=True))


def test_a_submission_tells_every_architect_but_not_the_submitter(
    journey: Journey, editor: User, architect: User, owner: User
) -> None:
    save_all_milestones(journey, editor)
    submissions.submit(journey, editor, {}, "")
    note = architect.notifications.get()
    assert note.kind == "submitted" and "Payments submitted “Checkout”" in note.message
    assert note.url == reverse("reviews:review", args=[journey.pk])
    assert kinds_of(editor) == [] and kinds_of(owner) == []


def test_a_decision_tells_the_team(
    journey: Journey, editor: User, owner: User, viewer: User, architect: User, submitted: Any
) -> None:
    decisions.decide(
        access_for(architect, journey),
        submission_of(journey, 1),
        flow.REQUEST_CHANGES,
        "More replicas",
    )
    for member in (editor, owner, viewer):
        assert kinds_of(member) == ["decided"]
    assert "requested changes to “Checkout”" in editor.notifications.get().message
    assert "decided" not in kinds_of(architect)


def test_an_architects_comment_tells_the_team_and_a_reply_tells_the_thread(
    journey: Journey, editor: User, viewer: User, architect: User, submitted: Any
) -> None:
    seen_by_architect = review_access_or_404(architect, journey.pk)
    root = add_comment(seen_by_architect, {"body": "Why?", "scope": "growth"})
    assert kinds_of(editor) == ["commented"] and kinds_of(viewer) == ["commented"]
    assert editor.notifications.get().url.startswith(
        reverse("journeys:stage", args=[journey.pk, "growth"])
    )
    seen_by_editor = review_access_or_404(editor, journey.pk)
    add_comment(seen_by_editor, {"body": "Cost", "parent": str(root.pk)})
    note = architect.notifications.get(kind="commented")
    assert "erin commented" in note.message
    assert note.url.startswith(reverse("reviews:review", args=[journey.pk]) + "?stage=growth")


def test_a_team_comment_reaches_the_architects_who_reviewed_the_journey(
    journey: Journey, editor: User, architect: User, submitted: Any
) -> None:
    bystander = make_user("grace")
    bystander.groups.add(*architect.groups.all())
    decisions.decide(
        access_for(architect, journey), submission_of(journey, 1), flow.REQUEST_CHANGES, "Fix DR"
    )
    seen = review_access_or_404(editor, journey.pk)
    add_comment(seen, {"body": "What about pilot light?"})
    assert "commented" in kinds_of(architect)
    assert "commented" not in kinds_of(bystander)


def test_the_email_task_is_enqueued_after_the_commit_with_the_notification_ids(
    journey: Journey, editor: User, architect: User, django_capture_on_commit_callbacks: Any
) -> None:
    save_all_milestones(journey, editor)
    with mock.patch.object(current_app, "send_task") as send_task:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            submissions.submit(journey, editor, {}, "")
        assert not send_task.called  # nothing leaves before the transaction commits
        for callback in callbacks:
            callback()
    note = architect.notifications.get()
    send_task.assert_called_once_with("journeys.tasks.email_review_notifications", args=[[note.pk]])


def test_emails_are_sent_once_each(
    journey: Journey, editor: User, architect: User, mailoutbox: list[Any], settings: Any
) -> None:
    settings.SITE_URL = "https://planner.example.com"
    save_all_milestones(journey, editor)
    submissions.submit(journey, editor, {}, "")
    ids = list(Notification.objects.values_list("pk", flat=True))
    assert notifications.email_notifications(ids) == 1
    assert notifications.email_notifications(ids) == 0
    (mail,) = mailoutbox
    assert mail.to == ["ada@example.com"] and "submitted “Checkout” for review" in mail.subject
    assert f"https://planner.example.com/journeys/{journey.pk}/review/" in mail.body


def test_a_user_without_an_email_address_is_told_in_the_app_only(
    journey: Journey, editor: User, architect: User, mailoutbox: list[Any]
) -> None:
    User.objects.filter(pk=architect.pk).update(email="")
    save_all_milestones(journey, editor)
    submissions.submit(journey, editor, {}, "")
    assert (
        notifications.email_notifications(list(Notification.objects.values_list("pk", flat=True)))
        == 0
    )
    assert not mailoutbox and architect.notifications.count() == 1


def test_a_failed_send_gives_the_notification_back_for_the_retry(
    journey: Journey, editor: User, architect: User, mailoutbox: list[Any]
) -> None:
    save_all_milestones(journey, editor)
    submissions.submit(journey, editor, {}, "")
    ids = list(Notification.objects.values_list("pk", flat=True))
    with (
        mock.patch("journeys.models.reviews.send_mail", side_effect=OSError("SMTP down")),
        pytest.raises(OSError),
    ):
        notifications.email_notifications(ids)
    assert Notification.objects.get().emailed is None
    assert notifications.email_notifications(ids) == 1


def test_the_nav_badge_counts_unread_notifications_and_waiting_reviews(
    client: Any, journey: Journey, editor: User, architect: User, submitted: Any
) -> None:
    client.force_login(architect)
    html = client.get(reverse("reviews:nav")).content.decode()
    assert reverse("reviews:queue") in html
    assert 'title="1 journey waiting for review"' in html and 'title="1 unread"' in html
    client.force_login(editor)
    html = client.get(reverse("reviews:nav")).content.decode()
    assert reverse("reviews:queue") not in html and "unread" not in html


def test_every_page_loads_the_badges_after_itself(editor_client: Any) -> None:
    html = editor_client.get(reverse("journeys:list")).content.decode()
    assert f'hx-get="{reverse("reviews:nav")}" hx-trigger="load"' in html


def test_the_list_shows_notifications_and_marks_them_read(
    client: Any, journey: Journey, architect: User, submitted: Any
) -> None:
    client.force_login(architect)
    html = client.get(reverse("reviews:notifications")).content.decode()
    assert "submitted “Checkout” for review" in html and ">new<" in html
    assert architect.notifications.unread().count() == 0
    html = client.get(reverse("reviews:notifications")).content.decode()
    assert ">new<" not in html


def test_a_user_sees_only_their_own_notifications(
    client: Any, journey: Journey, editor: User, architect: User, submitted: Any
) -> None:
    client.force_login(editor)
    html = client.get(reverse("reviews:notifications")).content.decode()
    assert "Checkout" not in html and "Nothing yet" in html
    assert architect.notifications.unread().count() == 1


@pytest.mark.parametrize("count", [1, 40])
def test_the_notification_list_query_count_is_fixed(
    client: Any, journey: Journey, architect: User, count: int, django_assert_num_queries: Any
) -> None:
    Notification.objects.bulk_create(
        Notification(user=architect, journey=journey, kind="submitted", message=f"m{i}", url="/")
        for i in range(count)
    )
    client.force_login(architect)
    # session, user, the count, the page with the journeys, marking read, architects group
    with django_assert_num_queries(6):
        response = client.get(reverse("reviews:notifications"))
    assert response.context["page"].paginator.count == count
    newest = response.context["page"].object_list[0]
    assert newest.message == f"m{count - 1}" and newest.message in response.content.decode()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_emails_the_architects_about_a_submission(
    worker: Path, journey: Journey, editor: User, architect: User
) -> None:
    save_all_milestones(journey, editor)
    submissions.submit(journey, editor, {}, "Please look at the database")
    assert wait_for(lambda: worker.exists() and any(worker.iterdir())), "no email was written"
    text = next(worker.iterdir()).read_text()
    assert "ada@example.com" in text and "Checkout" in text
    assert wait_for(lambda: Notification.objects.get(user=architect).emailed is not None)


def test_a_line_break_in_a_journey_name_does_not_break_the_email(
    journey: Journey, editor: User, architect: User, mailoutbox: list[Any]
) -> None:
    Journey.objects.filter(pk=journey.pk).update(name="Checkout\nBcc: someone@example.com")
    journey.refresh_from_db()
    save_all_milestones(journey, editor)
    submissions.submit(journey, editor, {}, "")
    assert notifications.email_notifications(
        list(Notification.objects.values_list("pk", flat=True))
    )
    assert "\n" not in mailoutbox[0].subject and mailoutbox[0].to == ["ada@example.com"]
