"""The architects' review queue: the latest submission of every journey that is or was in
review, filtered and paged."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from journeys.models import Journey, Submission, Team
from journeys.reviews.flow import APPROVED, CHANGES_REQUESTED, DRAFT, IN_REVIEW
from journeys.vocabulary import is_stage

PAGE_SIZE = 20
ALL = "all"
STATUSES = [
    (IN_REVIEW, "Waiting for review"),
    (CHANGES_REQUESTED, "Changes requested"),
    (APPROVED, "Approved"),
    (DRAFT, "Back to draft"),
    (ALL, "Any status"),
]
WAITING_CHOICES = [
    ("", "Any time"),
    ("1", "Over a day"),
    ("3", "Over 3 days"),
    ("7", "Over a week"),
]


@dataclass
class QueueFilters:
    status: str = IN_REVIEW
    team: str = ""
    stage: str = ""
    waiting: str = ""
    query: str = ""
    page: str = "1"

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> QueueFilters:
        """Unknown values fall back to the default: a hand-edited URL shows a page, not an error."""
        status = params.get("status", IN_REVIEW)
        stage = params.get("stage", "")
        waiting = params.get("waiting", "")
        return cls(
            status=status if status in dict(STATUSES) else IN_REVIEW,
            team=params.get("team", "")[:100],
            stage=stage if is_stage(stage) else "",
            waiting=waiting if waiting in dict(WAITING_CHOICES) else "",
            query=params.get("q", "").strip()[:100],
            page=params.get("page", "1"),
        )

    @property
    def any_set(self) -> bool:
        return bool(self.team or self.stage or self.waiting or self.query)


@dataclass
class Queue:
    page: Page[Submission]
    counts: dict[str, int]
    teams: QuerySet[Team]


def queue(filters: QueueFilters) -> Queue:
    """One page of the queue, the number of journeys per status, and the teams to filter by."""
    base = Submission.objects.filter(latest=True, journey__archived__isnull=True)
    counts = base.aggregate(
        all=Count("pk"),
        **{s: Count("pk", filter=Q(journey__status=s)) for s, _ in Journey.STATUS_CHOICES},
    )
    rows = base.select_related("journey__team", "submitted_by", "decision")
    if filters.status != ALL:
        rows = rows.filter(journey__status=filters.status)
    if filters.team:
        rows = rows.filter(journey__team__slug=filters.team)
    if filters.stage:
        rows = rows.filter(changed_stages__contains=filters.stage)
    if filters.waiting:
        rows = rows.filter(created__lte=timezone.now() - timedelta(days=int(filters.waiting)))
    if filters.query:
        rows = rows.filter(
            Q(journey__name__icontains=filters.query)
            | Q(journey__description__icontains=filters.query)
            | Q(journey__team__name__icontains=filters.query)
        )
    # What has waited longest comes first; decided journeys read newest first.
    order = ("created", "id") if filters.status == IN_REVIEW else ("-created", "-id")
    page = Paginator(rows.order_by(*order), PAGE_SIZE).get_page(filters.page)
    teams = Team.objects.filter(
        Exists(Submission.objects.filter(journey__team=OuterRef("pk"), latest=True))
    ).order_by("name")
    return Queue(page=page, counts=counts, teams=teams)


def waiting_count() -> int:
    """Journeys waiting for a decision, for the architects' link in the nav."""
    return Submission.objects.filter(
        latest=True, journey__status=IN_REVIEW, journey__archived__isnull=True
    ).count()
