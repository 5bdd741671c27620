"""The journeys schema as of catalogue 2026.12, in one migration (squashed before the first
production deploy from the eighteen migrations 0001_initial … 0013_merge_heartbeat).

A database that applied all of those is marked as having applied this one and is left as it is;
a new database gets the tables, their constraints and indexes, and the trigger that keeps
milestones immutable. A database stopped part-way through the old chain must first be migrated
to 0013_merge_heartbeat by a release from before the squash (any commit before 2026-11-30).
"""

import django.db.models.deletion
import django.utils.timezone
from django.apps.registry import Apps
from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

# A milestone is a frozen snapshot: the database refuses any UPDATE of one, whatever issues it.
MILESTONE_TRIGGER = {
    "sqlite": """
CREATE TRIGGER journeys_milestone_immutable BEFORE UPDATE ON journeys_milestone
BEGIN SELECT RAISE(ABORT, 'milestones are immutable'); END;
""",
    "postgresql": """
CREATE OR REPLACE FUNCTION journeys_milestone_immutable() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'milestones are immutable'; END; $$ LANGUAGE plpgsql;
CREATE TRIGGER journeys_milestone_immutable BEFORE UPDATE ON journeys_milestone
FOR EACH ROW EXECUTE FUNCTION journeys_milestone_immutable();
""",
}
DROP_MILESTONE_TRIGGER = {
    "sqlite": "DROP TRIGGER IF EXISTS journeys_milestone_immutable;",
    "postgresql": "DROP TRIGGER IF EXISTS journeys_milestone_immutable ON journeys_milestone;"
    " DROP FUNCTION IF EXISTS journeys_milestone_immutable();",
}


def create_milestone_trigger(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    sql = MILESTONE_TRIGGER.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


def drop_milestone_trigger(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    sql = DROP_MILESTONE_TRIGGER.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("journeys", "0001_initial"),
        ("journeys", "0002_milestone"),
        ("journeys", "0003_milestone_immutable_trigger"),
        ("journeys", "0004_history"),
        ("journeys", "0005_diagrams"),
        ("journeys", "0005_reviews"),
        ("journeys", "0006_merge_0005_diagrams_0005_reviews"),
        ("journeys", "0007_estimates"),
        ("journeys", "0008_exports"),
        ("journeys", "0009_answer_version"),
        ("journeys", "0009_estimate_field_widths"),
        ("journeys", "0009_job_leases"),
        ("journeys", "0010_merge_versions_bounds_leases"),
        ("journeys", "0011_diagram_router"),
        ("journeys", "0011_remove_learn_positives"),
        ("journeys", "0011_worker_heartbeat"),
        ("journeys", "0012_merge_router_learn_positives"),
        ("journeys", "0013_merge_heartbeat"),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Heartbeat",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=40, unique=True)),
                ("seen", models.DateTimeField(default=django.utils.timezone.now)),
            ],
        ),
        migrations.CreateModel(
            name="PriceEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key_id", models.CharField(max_length=400, unique=True)),
                ("price", models.JSONField()),
                ("fetched_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "verbose_name_plural": "price entries",
            },
        ),
        migrations.CreateModel(
            name="Comment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("stage", models.CharField(blank=True, max_length=20)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("journey", "Journey"),
                            ("stage", "Stage"),
                            ("finding", "Finding"),
                            ("component", "Component"),
                        ],
                        default="journey",
                        max_length=10,
                    ),
                ),
                ("target", models.CharField(blank=True, max_length=64)),
                ("target_label", models.CharField(blank=True, max_length=200)),
                ("body", models.TextField(max_length=5000)),
                ("created", models.DateTimeField(default=django.utils.timezone.now)),
                ("edited", models.DateTimeField(blank=True, null=True)),
                ("resolved", models.DateTimeField(blank=True, null=True)),
                (
                    "author",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "parent",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="replies",
                        to="journeys.comment",
                    ),
                ),
                (
                    "resolved_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["created", "id"],
            },
        ),
        migrations.CreateModel(
            name="CommentRevision",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("body", models.TextField()),
                ("written", models.DateTimeField()),
                ("replaced", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "comment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="revisions",
                        to="journeys.comment",
                    ),
                ),
            ],
            options={
                "ordering": ["-replaced", "-id"],
            },
        ),
        migrations.CreateModel(
            name="Journey",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=120)),
                ("description", models.TextField(blank=True, max_length=4000)),
                (
                    "region",
                    models.CharField(
                        choices=[
                            ("us-east-1", "us-east-1 — US East (N. Virginia)"),
                            ("us-east-2", "us-east-2 — US East (Ohio)"),
                            ("us-west-1", "us-west-1 — US West (N. California)"),
                            ("us-west-2", "us-west-2 — US West (Oregon)"),
                            ("ca-central-1", "ca-central-1 — Canada (Central)"),
                            ("sa-east-1", "sa-east-1 — South America (São Paulo)"),
                            ("eu-west-1", "eu-west-1 — Europe (Ireland)"),
                            ("eu-west-2", "eu-west-2 — Europe (London)"),
                            ("eu-west-3", "eu-west-3 — Europe (Paris)"),
                            ("eu-central-1", "eu-central-1 — Europe (Frankfurt)"),
                            ("eu-central-2", "eu-central-2 — Europe (Zurich)"),
                            ("eu-north-1", "eu-north-1 — Europe (Stockholm)"),
                            ("eu-south-1", "eu-south-1 — Europe (Milan)"),
                            ("eu-south-2", "eu-south-2 — Europe (Spain)"),
                            ("ap-south-1", "ap-south-1 — Asia Pacific (Mumbai)"),
                            ("ap-south-2", "ap-south-2 — Asia Pacific (Hyderabad)"),
                            ("ap-southeast-1", "ap-southeast-1 — Asia Pacific (Singapore)"),
                            ("ap-southeast-2", "ap-southeast-2 — Asia Pacific (Sydney)"),
                            ("ap-southeast-3", "ap-southeast-3 — Asia Pacific (Jakarta)"),
                            ("ap-northeast-1", "ap-northeast-1 — Asia Pacific (Tokyo)"),
                            ("ap-northeast-2", "ap-northeast-2 — Asia Pacific (Seoul)"),
                            ("ap-northeast-3", "ap-northeast-3 — Asia Pacific (Osaka)"),
                            ("ap-east-1", "ap-east-1 — Asia Pacific (Hong Kong)"),
                            ("me-south-1", "me-south-1 — Middle East (Bahrain)"),
                            ("me-central-1", "me-central-1 — Middle East (UAE)"),
                            ("af-south-1", "af-south-1 — Africa (Cape Town)"),
                            ("il-central-1", "il-central-1 — Israel (Tel Aviv)"),
                        ],
                        default="us-east-1",
                        max_length=20,
                    ),
                ),
                (
                    "dr_region",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("us-east-1", "us-east-1 — US East (N. Virginia)"),
                            ("us-east-2", "us-east-2 — US East (Ohio)"),
                            ("us-west-1", "us-west-1 — US West (N. California)"),
                            ("us-west-2", "us-west-2 — US West (Oregon)"),
                            ("ca-central-1", "ca-central-1 — Canada (Central)"),
                            ("sa-east-1", "sa-east-1 — South America (São Paulo)"),
                            ("eu-west-1", "eu-west-1 — Europe (Ireland)"),
                            ("eu-west-2", "eu-west-2 — Europe (London)"),
                            ("eu-west-3", "eu-west-3 — Europe (Paris)"),
                            ("eu-central-1", "eu-central-1 — Europe (Frankfurt)"),
                            ("eu-central-2", "eu-central-2 — Europe (Zurich)"),
                            ("eu-north-1", "eu-north-1 — Europe (Stockholm)"),
                            ("eu-south-1", "eu-south-1 — Europe (Milan)"),
                            ("eu-south-2", "eu-south-2 — Europe (Spain)"),
                            ("ap-south-1", "ap-south-1 — Asia Pacific (Mumbai)"),
                            ("ap-south-2", "ap-south-2 — Asia Pacific (Hyderabad)"),
                            ("ap-southeast-1", "ap-southeast-1 — Asia Pacific (Singapore)"),
                            ("ap-southeast-2", "ap-southeast-2 — Asia Pacific (Sydney)"),
                            ("ap-southeast-3", "ap-southeast-3 — Asia Pacific (Jakarta)"),
                            ("ap-northeast-1", "ap-northeast-1 — Asia Pacific (Tokyo)"),
                            ("ap-northeast-2", "ap-northeast-2 — Asia Pacific (Seoul)"),
                            ("ap-northeast-3", "ap-northeast-3 — Asia Pacific (Osaka)"),
                            ("ap-east-1", "ap-east-1 — Asia Pacific (Hong Kong)"),
                            ("me-south-1", "me-south-1 — Middle East (Bahrain)"),
                            ("me-central-1", "me-central-1 — Middle East (UAE)"),
                            ("af-south-1", "af-south-1 — Africa (Cape Town)"),
                            ("il-central-1", "il-central-1 — Israel (Tel Aviv)"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("in_review", "In review"),
                            ("approved", "Approved"),
                            ("changes_requested", "Changes requested"),
                        ],
                        default="draft",
                        max_length=20,
                    ),
                ),
                ("overrides", models.JSONField(blank=True, default=dict)),
                ("assumptions", models.JSONField(blank=True, default=dict)),
                ("created", models.DateTimeField(default=django.utils.timezone.now)),
                ("updated", models.DateTimeField(default=django.utils.timezone.now)),
                ("archived", models.DateTimeField(blank=True, null=True)),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-updated", "-id"],
            },
        ),
        migrations.AddField(
            model_name="comment",
            name="journey",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="comments",
                to="journeys.journey",
            ),
        ),
        migrations.CreateModel(
            name="Membership",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "role",
                    models.CharField(
                        choices=[("owner", "Owner"), ("editor", "Editor"), ("viewer", "Viewer")],
                        default="editor",
                        max_length=10,
                    ),
                ),
                ("created", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="memberships",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["team", "user__username"],
            },
        ),
        migrations.CreateModel(
            name="Milestone",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("stage", models.CharField(max_length=20)),
                ("number", models.PositiveIntegerField()),
                ("note", models.CharField(blank=True, max_length=500)),
                ("state", models.JSONField()),
                ("answers", models.JSONField()),
                ("overrides", models.JSONField(default=dict)),
                ("assumptions", models.JSONField(default=dict)),
                ("region", models.CharField(max_length=20)),
                ("dr_region", models.CharField(blank=True, max_length=20)),
                ("catalogue_version", models.CharField(max_length=30)),
                ("state_hash", models.CharField(max_length=64)),
                ("content_hash", models.CharField(max_length=64)),
                ("created", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "author",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "journey",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="milestones",
                        to="journeys.journey",
                    ),
                ),
            ],
            options={
                "ordering": ["journey", "stage", "number"],
            },
        ),
        migrations.AddField(
            model_name="comment",
            name="milestone",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="journeys.milestone",
            ),
        ),
        migrations.CreateModel(
            name="Notification",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("submitted", "Submitted for review"),
                            ("decided", "Review decision"),
                            ("commented", "New comment"),
                        ],
                        max_length=20,
                    ),
                ),
                ("message", models.CharField(max_length=300)),
                ("url", models.CharField(max_length=300)),
                ("created", models.DateTimeField(default=django.utils.timezone.now)),
                ("read", models.DateTimeField(blank=True, null=True)),
                ("emailed", models.DateTimeField(blank=True, null=True)),
                ("email_taken", models.DateTimeField(blank=True, null=True)),
                ("email_attempts", models.PositiveSmallIntegerField(default=0)),
                (
                    "journey",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="journeys.journey",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notifications",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-created", "-id"],
            },
        ),
        migrations.CreateModel(
            name="ShareLink",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=64, unique=True)),
                ("label", models.CharField(blank=True, max_length=120)),
                ("created", models.DateTimeField(default=django.utils.timezone.now)),
                ("expires", models.DateTimeField()),
                ("revoked", models.DateTimeField(blank=True, null=True)),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "journey",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="share_links",
                        to="journeys.journey",
                    ),
                ),
                (
                    "milestones",
                    models.ManyToManyField(blank=True, related_name="+", to="journeys.milestone"),
                ),
                (
                    "revoked_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-created", "-id"],
            },
        ),
        migrations.CreateModel(
            name="Submission",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveIntegerField()),
                ("note", models.TextField(blank=True, max_length=2000)),
                ("created", models.DateTimeField(default=django.utils.timezone.now)),
                ("latest", models.BooleanField(default=True)),
                ("changed_stages", models.CharField(blank=True, max_length=100)),
                (
                    "journey",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="submissions",
                        to="journeys.journey",
                    ),
                ),
                (
                    "submitted_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["journey", "-number"],
            },
        ),
        migrations.CreateModel(
            name="SignOff",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("component", models.CharField(max_length=64)),
                ("label", models.CharField(max_length=200)),
                ("note", models.CharField(blank=True, max_length=500)),
                ("created", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "architect",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "milestone",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sign_offs",
                        to="journeys.milestone",
                    ),
                ),
                (
                    "submission",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="sign_offs",
                        to="journeys.submission",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="Decision",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("approved", "Approved"),
                            ("changes_requested", "Changes requested"),
                        ],
                        max_length=20,
                    ),
                ),
                ("summary", models.TextField(max_length=4000)),
                ("created", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "architect",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "submission",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="decision",
                        to="journeys.submission",
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="comment",
            name="submission",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="journeys.submission",
            ),
        ),
        migrations.CreateModel(
            name="SubmittedMilestone",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("stage", models.CharField(max_length=20)),
                (
                    "milestone",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="journeys.milestone",
                    ),
                ),
                (
                    "submission",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="entries",
                        to="journeys.submission",
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="submission",
            name="milestones",
            field=models.ManyToManyField(
                related_name="submissions",
                through="journeys.SubmittedMilestone",
                to="journeys.milestone",
            ),
        ),
        migrations.CreateModel(
            name="Team",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100)),
                ("slug", models.SlugField(max_length=100, unique=True)),
                ("created", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "members",
                    models.ManyToManyField(
                        related_name="teams",
                        through="journeys.Membership",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["name"],
            },
        ),
        migrations.AddField(
            model_name="membership",
            name="team",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="memberships",
                to="journeys.team",
            ),
        ),
        migrations.AddField(
            model_name="journey",
            name="team",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="journeys",
                to="journeys.team",
            ),
        ),
        migrations.CreateModel(
            name="HistoryEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("action", models.CharField(max_length=40)),
                ("summary", models.CharField(max_length=300)),
                ("detail", models.JSONField(blank=True, default=dict)),
                ("created", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "journey",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="history",
                        to="journeys.journey",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "history entries",
                "ordering": ["-created", "-id"],
                "indexes": [
                    models.Index(
                        fields=["journey", "-created"], name="journeys_hi_journey_85fb0d_idx"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Export",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "Queued"),
                            ("running", "Running"),
                            ("done", "Done"),
                            ("failed", "Failed"),
                        ],
                        default="queued",
                        max_length=10,
                    ),
                ),
                ("reason", models.CharField(blank=True, max_length=500)),
                ("attempts", models.PositiveSmallIntegerField(default=0)),
                ("created", models.DateTimeField(default=django.utils.timezone.now)),
                ("started", models.DateTimeField(blank=True, null=True)),
                ("finished", models.DateTimeField(blank=True, null=True)),
                ("holder", models.CharField(blank=True, max_length=64)),
                ("queued_at", models.DateTimeField(blank=True, null=True)),
                ("lost", models.PositiveSmallIntegerField(default=0)),
                ("selection", models.JSONField(default=dict)),
                ("page_size", models.CharField(max_length=10)),
                ("progress_done", models.PositiveIntegerField(default=0)),
                ("progress_total", models.PositiveIntegerField(default=0)),
                ("progress_label", models.CharField(blank=True, max_length=120)),
                ("file", models.FileField(blank=True, upload_to="roadmaps/")),
                ("page_count", models.PositiveIntegerField(blank=True, null=True)),
                ("size_bytes", models.PositiveIntegerField(blank=True, null=True)),
                ("render_seconds", models.FloatField(blank=True, null=True)),
                ("content_hash", models.CharField(blank=True, db_index=True, max_length=64)),
                (
                    "requested_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "journey",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="exports",
                        to="journeys.journey",
                    ),
                ),
            ],
            options={
                "ordering": ["-created", "-id"],
                "indexes": [
                    models.Index(fields=["journey", "-created"], name="export_journey_idx")
                ],
            },
        ),
        migrations.CreateModel(
            name="Estimate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("stage", models.CharField(max_length=20)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "Queued"),
                            ("running", "Running"),
                            ("done", "Done"),
                            ("failed", "Failed"),
                        ],
                        default="queued",
                        max_length=10,
                    ),
                ),
                ("reason", models.CharField(blank=True, max_length=500)),
                ("attempts", models.PositiveSmallIntegerField(default=0)),
                ("created", models.DateTimeField(default=django.utils.timezone.now)),
                ("started", models.DateTimeField(blank=True, null=True)),
                ("finished", models.DateTimeField(blank=True, null=True)),
                ("holder", models.CharField(blank=True, max_length=64)),
                ("queued_at", models.DateTimeField(blank=True, null=True)),
                ("lost", models.PositiveSmallIntegerField(default=0)),
                ("state_hash", models.CharField(max_length=64)),
                ("estimate_key", models.CharField(db_index=True, max_length=64)),
                ("state", models.JSONField()),
                ("customers", models.PositiveBigIntegerField()),
                ("traffic_pattern", models.CharField(blank=True, max_length=20)),
                ("free_tier", models.BooleanField(default=False)),
                ("progress_done", models.PositiveIntegerField(default=0)),
                ("progress_total", models.PositiveIntegerField(default=0)),
                ("result", models.JSONField(blank=True, null=True)),
                (
                    "monthly_usd",
                    models.DecimalField(blank=True, decimal_places=4, max_digits=20, null=True),
                ),
                ("sources", models.JSONField(blank=True, default=list)),
                ("oldest_price_date", models.CharField(blank=True, max_length=10)),
                (
                    "journey",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="estimates",
                        to="journeys.journey",
                    ),
                ),
            ],
            options={
                "ordering": ["-created", "-id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("journey", "stage", "estimate_key"), name="one_estimate_per_key"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Diagram",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("stage", models.CharField(max_length=20)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "Queued"),
                            ("running", "Running"),
                            ("done", "Done"),
                            ("failed", "Failed"),
                        ],
                        default="queued",
                        max_length=10,
                    ),
                ),
                ("reason", models.CharField(blank=True, max_length=500)),
                ("attempts", models.PositiveSmallIntegerField(default=0)),
                ("created", models.DateTimeField(default=django.utils.timezone.now)),
                ("started", models.DateTimeField(blank=True, null=True)),
                ("finished", models.DateTimeField(blank=True, null=True)),
                ("holder", models.CharField(blank=True, max_length=64)),
                ("queued_at", models.DateTimeField(blank=True, null=True)),
                ("lost", models.PositiveSmallIntegerField(default=0)),
                ("state_hash", models.CharField(max_length=64)),
                ("render_key", models.CharField(db_index=True, max_length=64)),
                ("state", models.JSONField()),
                ("previous_state", models.JSONField(blank=True, null=True)),
                ("svg", models.FileField(blank=True, upload_to="diagrams/")),
                ("png", models.FileField(blank=True, upload_to="diagrams/")),
                ("script", models.FileField(blank=True, upload_to="diagrams/")),
                ("node_count", models.PositiveIntegerField(default=0)),
                ("render_seconds", models.FloatField(blank=True, null=True)),
                ("router", models.CharField(blank=True, max_length=10)),
                (
                    "journey",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="diagrams",
                        to="journeys.journey",
                    ),
                ),
            ],
            options={
                "ordering": ["-created", "-id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("journey", "stage", "render_key"), name="one_diagram_per_render_key"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Answer",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("stage", models.CharField(max_length=20)),
                ("question", models.CharField(max_length=64)),
                ("value", models.JSONField(blank=True, null=True)),
                ("note", models.TextField(blank=True, max_length=2000)),
                (
                    "not_applicable",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("out_of_scope", "Out of scope"),
                            ("business_priorities", "Business priorities"),
                            ("architecture_constraints", "Architecture constraints"),
                            ("other", "Other"),
                        ],
                        max_length=30,
                    ),
                ),
                ("catalogue_version", models.CharField(max_length=30)),
                ("updated", models.DateTimeField(default=django.utils.timezone.now)),
                ("version", models.PositiveIntegerField(default=1)),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "journey",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="answers",
                        to="journeys.journey",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("journey", "stage", "question"), name="one_answer_per_question"
                    )
                ],
            },
        ),
        migrations.AddConstraint(
            model_name="milestone",
            constraint=models.UniqueConstraint(
                fields=("journey", "stage", "number"), name="one_milestone_number"
            ),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(fields=["user", "read"], name="notification_unread_idx"),
        ),
        migrations.AddConstraint(
            model_name="signoff",
            constraint=models.UniqueConstraint(
                fields=("milestone", "component"), name="one_sign_off"
            ),
        ),
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(fields=["journey", "stage"], name="comment_anchor_idx"),
        ),
        migrations.AddConstraint(
            model_name="submittedmilestone",
            constraint=models.UniqueConstraint(
                fields=("submission", "stage"), name="one_milestone_per_stage"
            ),
        ),
        migrations.AddIndex(
            model_name="submission",
            index=models.Index(fields=["latest", "created"], name="submission_queue_idx"),
        ),
        migrations.AddConstraint(
            model_name="submission",
            constraint=models.UniqueConstraint(
                fields=("journey", "number"), name="one_submission_number"
            ),
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.UniqueConstraint(fields=("team", "user"), name="one_membership"),
        ),
        migrations.AddIndex(
            model_name="journey",
            index=models.Index(fields=["team", "-updated"], name="journeys_jo_team_id_255a6e_idx"),
        ),
        migrations.RunPython(create_milestone_trigger, drop_milestone_trigger),
    ]
