"""The demo data of `make run`: a team, an editor, an architect and a realistic journey."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from journeys import catalog
from journeys.models import Answer, Journey, Membership, Team

USERNAME, PASSWORD = "demo", "demo-journey-2026"
ARCHITECT, ARCHITECT_PASSWORD = "architect", "architect-journey-2026"
JOURNEY_NAME = "Snapshot — photo sharing app"
ARCHITECTS_GROUP = "architects"

# Realistic answers for a consumer photo-sharing app growing from launch to beyond a million.
DEMO_ANSWERS: dict[str, dict[str, Any]] = {
    "launch": {
        "customers": 100,
        "peak_rps": 5,
        "avg_response_kb": 60,
        "static_share": 70,
        "traffic_pattern": "daily_peaks",
        "read_ratio": 85,
        "db_storage_gb": 5,
        "object_storage_gb": 20,
        "users_geography": "one_region",
        "availability_target": "99.0",
        "rpo_minutes": 1440,
        "rto_minutes": 1440,
        "compute_model": "vms",
        "database_engine": "postgresql",
        "customer_identity": "in_app",
        "l7_protection": "none",
        "release_process": "manual",
        "monitoring": "basic",
    },
    "growth": {
        "customers": 10000,
        "peak_rps": 120,
        "avg_response_kb": 80,
        "static_share": 75,
        "traffic_pattern": "spiky",
        "read_ratio": 90,
        "db_storage_gb": 80,
        "object_storage_gb": 2000,
        "users_geography": "continent",
        "availability_target": "99.9",
        "rpo_minutes": 60,
        "rto_minutes": 240,
        "compute_model": "vms",
        "database_engine": "aurora-postgresql",
        "customer_identity": "managed",
        "l7_protection": "waf",
        "release_process": "ci_cd",
        "monitoring": "full",
    },
    "scale": {
        "customers": 1000000,
        "peak_rps": 2500,
        "avg_response_kb": 90,
        "static_share": 80,
        "traffic_pattern": "daily_peaks",
        "read_ratio": 92,
        "db_storage_gb": 1500,
        "object_storage_gb": 150000,
        "users_geography": "continent",
        "availability_target": "99.95",
        "rpo_minutes": 5,
        "rto_minutes": 30,
        "compute_model": "containers",
        "database_engine": "aurora-postgresql",
        "customer_identity": "managed",
        "l7_protection": "waf",
        "release_process": "ci_cd",
        "monitoring": "full",
    },
    "beyond": {
        "customers": 10000000,
        "peak_rps": 20000,
        "avg_response_kb": 90,
        "static_share": 85,
        "traffic_pattern": "spiky",
        "read_ratio": 95,
        "db_storage_gb": 12000,
        "object_storage_gb": 1500000,
        "users_geography": "global",
        "availability_target": "99.99",
        "rpo_minutes": 1,
        "rto_minutes": 5,
        "compute_model": "containers",
        "database_engine": "dynamodb",
        "customer_identity": "managed",
        "l7_protection": "waf",
        "release_process": "ci_cd",
        "monitoring": "full",
    },
}
DEMO_NOTES = {("launch", "l7_protection"): "We add a WAF once the app is public beyond the beta."}


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
