"""Telling people: in the app (a `Notification` row per user) and by email once the
transaction commits, sent by a worker. Also the welcome email of a new team member."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from journeys.access import AnyUser
from journeys.jobs import base
from journeys.models import Journey, Membership, Notification

PAGE_SIZE = 30
# Enqueued by name: the tasks module imports this one, never the other way round.
EMAIL_TASK = "journeys.tasks.email_review_notifications"
NEW_MEMBER_TASK = "journeys.tasks.notify_new_member"


def notify(
    journey: Journey,
    users: QuerySet[User],
    kind: str,
    message: str,
    url: str,
    *,
    architect_url: str | None = None,
) -> list[int]:
    """Tell these users in the app, and by email once the transaction commits. Architects who
    are not in the journey's team get `architect_url` (they read it on the review page)."""
    members = set(Membership.objects.filter(team=journey.team_id).values_list("user_id", flat=True))
    created = Notification.objects.bulk_create(
        Notification(
            user_id=pk,
            journey=journey,
            kind=kind,
            message=message[:300],
            url=(url if architect_url is None or pk in members else architect_url)[:300],
        )
        for pk in users.values_list("pk", flat=True)
    )
    ids = [n.pk for n in created]
    if ids:
        transaction.on_commit(lambda: base.send(EMAIL_TASK, [ids]))
    return ids


def email_notifications(notification_ids: Iterable[int]) -> int:
    """Email each notification to its user, once. Returns how many were sent."""
    notifications = Notification.objects.filter(pk__in=list(notification_ids)).select_related(
        "user", "journey"
    )
    return sum(1 for notification in notifications if notification.send())


def unread_count(user: AnyUser) -> int:
    return Notification.objects.filter(user=user.pk).unread().count()


def page_of(user: AnyUser, number: str | None) -> Page[Notification]:
    """One page of the user's notifications; the unread ones on it are marked read (they keep
    `was_unread` so the page can still show them as new)."""
    rows = Notification.objects.filter(user=user.pk).select_related("journey")
    page = Paginator(rows, PAGE_SIZE).get_page(number)
    unread = [n.pk for n in page.object_list if n.read is None]
    for n in page.object_list:
        n.was_unread = n.read is None  # type: ignore[attr-defined]  # read by the template
    if unread:
        Notification.objects.filter(pk__in=unread).update(read=timezone.now())
    return page


def welcome(membership: Membership) -> None:
    """Email the new member once the transaction that added them commits (a worker sends it)."""
    pk = membership.pk
    transaction.on_commit(lambda: base.send(NEW_MEMBER_TASK, [pk]))


def tell_new_member(membership_id: int) -> bool:
    """Tell a user they were added to a team. False when there is nobody to tell."""
    membership = Membership.objects.select_related("team", "user").filter(pk=membership_id).first()
    if membership is None or not membership.user.email:
        return False
    context = {"membership": membership, "site_name": settings.SITE_NAME}
    send_mail(
        subject=f"You joined {membership.team.name} on {settings.SITE_NAME}",
        message=render_to_string("emails/new_member.txt", context),
        from_email=None,
        recipient_list=[membership.user.email],
    )
    return True
