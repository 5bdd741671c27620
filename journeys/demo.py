"""The demo data of `make run`: a team, an editor, an architect and a realistic journey."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from journeys import catalog
from journeys.access import ARCHITECTS_GROUP
from journeys.demo_answers import DEMO_ANSWERS, DEMO_NOTES
from journeys.models import Answer, Journey, Membership, Team

USERNAME, PASSWORD = "demo", "demo-journey-2026"
ARCHITECT, ARCHITECT_PASSWORD = "architect", "architect-journey-2026"
JOURNEY_NAME = "Snapshot — photo sharing app"


@transaction.atomic
def seed() -> tuple[Journey, bool]:
    """Create what is missing; run it any number of times. Returns the journey and whether it
    was created now."""
    User = get_user_model()
    team, _ = Team.objects.get_or_create(slug="demo", defaults={"name": "Demo team"})
    user, created = User.objects.get_or_create(
        username=USERNAME, defaults={"email": "demo@example.com"}
    )
    if created:
        user.set_password(PASSWORD)
        user.save()
    Membership.objects.get_or_create(team=team, user=user, defaults={"role": Membership.OWNER})
    architects, _ = Group.objects.get_or_create(name=ARCHITECTS_GROUP)
    architect, created = User.objects.get_or_create(
        username=ARCHITECT, defaults={"email": "architect@example.com"}
    )
    if created:
        architect.set_password(ARCHITECT_PASSWORD)
        architect.save()
    architect.groups.add(architects)

    journey = Journey.objects.filter(team=team, name=JOURNEY_NAME).first()
    if journey is not None:
        return journey, False
    journey = Journey.objects.create(
        team=team,
        name=JOURNEY_NAME,
        description="A consumer app where people share and comment on photos. "
        "It starts as a beta for a hundred customers and plans for ten million.",
        region="eu-west-1",
        dr_region="eu-central-1",
        created_by=user,
    )
    cat = catalog.get()
    Answer.objects.bulk_create(
        Answer(
            journey=journey,
            stage=slug,
            question=qid,
            value=cat.question(slug, qid).clean(value),
            note=DEMO_NOTES.get((slug, qid), ""),
            catalogue_version=cat.version,
            updated_by=user,
        )
        for slug, answers in DEMO_ANSWERS.items()
        for qid, value in answers.items()
    )
    return journey, True
