"""What background jobs make from a stage's architecture: diagrams and cost estimates.

A job's state lives on its row (queued -> running -> done | failed, with a readable reason),
not in a result backend. Rows are keyed by the content they are made from, so an equal
architecture never renders or prices twice.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from journeys.models.core import Journey


class JobQuerySet(models.QuerySet[Any]):
    def claim(self, pk: int) -> bool:
        """queued -> running for exactly one worker; False when another got there first."""
        return bool(
            self.filter(pk=pk, status=Job.QUEUED).update(
                status=Job.RUNNING, started=timezone.now(), attempts=models.F("attempts") + 1
            )
        )


class Job(models.Model):
    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    STATUS_CHOICES = [
        (QUEUED, "Queued"),
        (RUNNING, "Running"),
        (DONE, "Done"),
        (FAILED, "Failed"),
    ]

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(max_length=20)
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=QUEUED)
    reason = models.CharField(max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created = models.DateTimeField(default=timezone.now)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_pending(self) -> bool:
        return self.status in (self.QUEUED, self.RUNNING)

    def finish(self, **fields: Any) -> None:
        fields.setdefault("status", self.DONE)
        fields["finished"] = timezone.now()
        type(self).objects.filter(pk=self.pk).update(**fields)
        for name, value in fields.items():
            setattr(self, name, value)

    def fail(self, reason: str) -> None:
        self.finish(status=self.FAILED, reason=reason[:500])


class Diagram(Job):
    """The diagram of one stage's architecture: SVG, PNG and the diagrams-as-code script.

    `render_key` is a hash of everything the picture depends on (this state and the previous
    stage's, which decides what is highlighted as new): rows with an equal key share files.
    """

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="diagrams")
    state_hash = models.CharField(max_length=64)
    render_key = models.CharField(max_length=64, db_index=True)
    state = models.JSONField()
    previous_state = models.JSONField(null=True, blank=True)
    svg = models.FileField(upload_to="diagrams/", blank=True)
    png = models.FileField(upload_to="diagrams/", blank=True)
    script = models.FileField(upload_to="diagrams/", blank=True)
    node_count = models.PositiveIntegerField(default=0)
    render_seconds = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["journey", "stage", "render_key"], name="one_diagram_per_render_key"
            )
        ]

    def __str__(self) -> str:
        return f"diagram {self.stage} {self.render_key[:10]} ({self.status})"
