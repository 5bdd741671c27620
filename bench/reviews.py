"""review.queue: the architects' review queue against the team's plain journey list, both
over the same 2,000 journeys (one page of 20 rows each)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.urls import reverse

from bench.harness import Result, compare
from journeys import demo
from journeys.models import Journey, Membership, Submission, Team

JOURNEYS = 2_000
BATCH = 500
TEAM_SLUG = "bench-reviews"


@transaction.atomic
def seed() -> tuple[Any, Any]:
    """A team with 2,000 submitted journeys, one of its editors and the demo architect; only
    what is missing is created, so repeated runs reuse the rows."""
    demo.seed()
    User = get_user_model()
    architect = User.objects.get(username=demo.ARCHITECT)
    member, _ = User.objects.get_or_create(username="bench-reviews-editor")
    team, _ = Team.objects.get_or_create(slug=TEAM_SLUG, defaults={"name": "Bench reviews"})
    Membership.objects.get_or_create(team=team, user=member, defaults={"role": Membership.EDITOR})
    missing = JOURNEYS - Journey.objects.filter(team=team).count()
    for start in range(0, max(missing, 0), BATCH):
        Journey.objects.bulk_create(
            Journey(
                team=team,
                name=f"Workload {start + i:04d}",
                description="A journey of the review benchmark",
                region="eu-west-1",
                status=Journey.IN_REVIEW,
                created_by=member,
            )
            for i in range(min(BATCH, missing - start))
        )
    unsubmitted = Journey.objects.filter(team=team, submissions__isnull=True)
    Submission.objects.bulk_create(
        (
            Submission(journey=j, number=1, submitted_by=member, changed_stages="launch,growth")
            for j in unsubmitted.only("pk")
        ),
        batch_size=BATCH,
    )
    return member, architect


def run() -> list[Result]:
    member, architect = seed()
    team_client, architect_client = Client(), Client()
    team_client.force_login(member)
    architect_client.force_login(architect)
    queue_url, list_url = reverse("reviews:queue"), reverse("journeys:list")
    waiting = Submission.objects.filter(latest=True, journey__status=Journey.IN_REVIEW)
    assert waiting.count() >= JOURNEYS
    assert Journey.objects.visible_to(member).count() == JOURNEYS

    def review_queue() -> None:
        assert architect_client.get(queue_url).status_code == 200

    def journey_list() -> None:
        assert team_client.get(list_url).status_code == 200

    return [
        compare(
            "review.queue",
            review_queue,
            f"the team's journey list (journeys:list) over the same {JOURNEYS:,} journeys",
            journey_list,
            target=2.0,
            repeat=60,
        )
    ]
