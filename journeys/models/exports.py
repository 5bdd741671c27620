"""Roadmap exports: the stakeholder PDF of a journey, rendered by a worker and kept in storage."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models

from journeys.models.core import Journey
from journeys.models.products import Job
from journeys.vocabulary import STAGES


class Export(Job):
    """One roadmap PDF of a journey, as asked for by someone at some time.

    `selection` says what each stage shows: a milestone number, or None for the live answers
    ("live"). Milestones cannot change, so an export of milestones keeps meaning exactly what
    it showed; `content_hash` (of the final HTML) lets two exports of equal content share one
    file and lets a reader check that two PDFs say the same thing.
    """

    # A roadmap covers every stage: the job base's `stage` column does not apply.
    stage = None  # type: ignore[assignment]  # Django drops an inherited field set to None; the stubs do not model it
    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="exports")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    selection = models.JSONField(default=dict)
    page_size = models.CharField(max_length=10)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    progress_label = models.CharField(max_length=120, blank=True)
    file = models.FileField(upload_to="roadmaps/", blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    size_bytes = models.PositiveIntegerField(null=True, blank=True)
    render_seconds = models.FloatField(null=True, blank=True)
    content_hash = models.CharField(max_length=64, blank=True, db_index=True)

    TASK = "journeys.tasks.export_roadmap"
    TIME_LIMIT_SETTING = "EXPORT_TIME_LIMIT"
    TWIN_KEY = "content_hash"
    TWIN_OUTPUT = ("file", "page_count", "size_bytes", "render_seconds")

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["journey", "-created"], name="export_journey_idx")]

    def __str__(self) -> str:
        return f"roadmap export {self.pk} of journey {self.journey_id} ({self.status})"

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 0
        return round(100 * self.progress_done / self.progress_total)

    def used(self) -> list[tuple[str, Any]]:
        """(stage, milestone number or None for the live answers), in stage order (PostgreSQL's
        jsonb does not keep the keys' order)."""
        return [(s, self.selection[s]) for s in STAGES if s in self.selection]

    def wait(self, label: str, until: datetime) -> None:
        """running -> queued: what the roadmap needs is being made by another worker, so this
        one lets go of the export rather than sit idle; `label` says on the page what it
        waits for, `until` when its next look is due."""
        label = label[:120]
        type(self).objects.filter(pk=self.pk, status=self.RUNNING).update(
            status=self.QUEUED, progress_label=label, holder="", queued_at=until
        )
        self.status, self.progress_label, self.queued_at = self.QUEUED, label, until
