"""Catalogue 2026.12 drops the question "What went well?" (`learn_positives`): it shaped neither
the architecture nor a finding (issue 12: every question has a declared effect, and a question
that can shape nothing is removed). Its stored answers go with it, so that no page, export or
import meets an answer to a question the catalogue no longer asks. Milestones keep their frozen
snapshots untouched; the pages that show them list only the questions the catalogue asks."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

REMOVED_QUESTIONS = ("learn_positives",)


def delete_answers(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Answer = apps.get_model("journeys", "Answer")
    Answer.objects.filter(question__in=REMOVED_QUESTIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("journeys", "0010_merge_versions_bounds_leases"),
    ]

    # Deleted answers cannot come back: reversing leaves the table as it is.
    operations = [migrations.RunPython(delete_answers, migrations.RunPython.noop)]
