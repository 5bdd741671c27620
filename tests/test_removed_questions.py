"""Catalogue 2026.12 removed `learn_positives`; the data migration deletes its stored answers."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from journeys import catalog
from journeys.models import Answer, Journey

migration = importlib.import_module("journeys.migrations.0011_remove_learn_positives")


def test_the_removed_question_is_no_longer_asked_in_any_stage() -> None:
    for stage in catalog.get().stages:
        assert "learn_positives" not in stage.questions


@pytest.mark.django_db
def test_the_migration_deletes_the_answers_to_the_removed_question_and_keeps_the_rest(
    journey: Journey,
) -> None:
    Answer.objects.create(
        journey=journey, stage="launch", question="learn_positives", value=["quick_poc"]
    )
    kept = Answer.objects.create(journey=journey, stage="launch", question="customers", value=500)

    migration.delete_answers(apps, None)

    assert list(Answer.objects.values_list("pk", flat=True)) == [kept.pk]
