"""A database trigger that refuses any UPDATE of a milestone, whatever issues it."""

from typing import Any

from django.db import migrations

SQLITE_CREATE = """
CREATE TRIGGER journeys_milestone_immutable BEFORE UPDATE ON journeys_milestone
BEGIN SELECT RAISE(ABORT, 'milestones are immutable'); END;
"""
POSTGRES_CREATE = """
CREATE OR REPLACE FUNCTION journeys_milestone_immutable() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'milestones are immutable'; END; $$ LANGUAGE plpgsql;
CREATE TRIGGER journeys_milestone_immutable BEFORE UPDATE ON journeys_milestone
FOR EACH ROW EXECUTE FUNCTION journeys_milestone_immutable();
"""
DROP = {
    "sqlite": "DROP TRIGGER IF EXISTS journeys_milestone_immutable;",
    "postgresql": "DROP TRIGGER IF EXISTS journeys_milestone_immutable ON journeys_milestone;"
    " DROP FUNCTION IF EXISTS journeys_milestone_immutable();",
}


def create(apps: Any, schema_editor: Any) -> None:
    sql = {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}.get(
        schema_editor.connection.vendor
    )
    if sql:
        schema_editor.execute(sql)


def drop(apps: Any, schema_editor: Any) -> None:
    sql = DROP.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("journeys", "0002_milestone")]
    operations = [migrations.RunPython(create, drop)]
