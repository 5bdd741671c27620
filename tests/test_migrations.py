"""The migrations describe the models exactly, and the squashed 0001 takes over from the chain it
replaced: a database that applied the old eighteen is up to date, a new one gets everything."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

SQUASHED = ("journeys", "0001_squashed_0013_merge_heartbeat")


@pytest.mark.django_db
def test_the_models_need_no_new_migration() -> None:
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db
def test_the_journeys_app_has_one_migration_and_it_replaces_the_old_chain() -> None:
    loader = MigrationLoader(connection)
    journeys = sorted(key for key in loader.disk_migrations if key[0] == "journeys")
    assert journeys == [SQUASHED]
    replaced = loader.disk_migrations[SQUASHED].replaces
    assert len(replaced) == 18
    assert replaced[0] == ("journeys", "0001_initial")
    assert replaced[-1] == ("journeys", "0013_merge_heartbeat")


@pytest.mark.django_db
def test_a_database_that_applied_the_old_chain_counts_the_squashed_migration_as_applied(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old = MigrationLoader(connection).disk_migrations[SQUASHED].replaces
    recorder = MigrationRecorder(connection)
    applied = {key: row for key, row in recorder.applied_migrations().items() if key != SQUASHED}
    applied.update({key: recorder.Migration(app=key[0], name=key[1]) for key in old})
    monkeypatch.setattr(MigrationRecorder, "applied_migrations", lambda self: applied)

    loader = MigrationLoader(connection)

    assert SQUASHED in loader.applied_migrations
    assert SQUASHED in loader.graph.nodes
    assert not any(key in loader.graph.nodes for key in old)


@pytest.mark.django_db
def test_the_milestone_trigger_comes_with_the_squashed_migration() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
                " AND name = 'journeys_milestone_immutable'"
            )
        else:
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgname = 'journeys_milestone_immutable'"
            )
        assert cursor.fetchone() == (1,)
