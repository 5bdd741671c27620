"""What background jobs make from a stage's architecture: diagrams and cost estimates.

A job's state lives on its row (queued -> running -> done | failed, with a readable reason),
not in a result backend. Rows are keyed by the content they are made from, so an equal
architecture never renders or prices twice.
"""

from __future__ import annotations

from typing import Any, ClassVar, Self

from django.core.files.storage import default_storage
from django.db import models
from django.db.models.fields.files import FieldFile
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

    # The Celery task that makes a row of this kind, by name: enqueuing by name keeps the job
    # modules free of `journeys.tasks` (which imports them); settings.CELERY_TASK_ROUTES routes it.
    TASK: ClassVar[str]
    # Rows of equal content share their output: the field holding the content's key, and the
    # fields a row copies from a finished twin instead of making them again ("" : no sharing).
    TWIN_KEY: ClassVar[str] = ""
    TWIN_OUTPUT: ClassVar[tuple[str, ...]] = ()

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

    def requeue(self) -> bool:
        """failed -> queued again; False when it had not failed."""
        if (
            not type(self)
            .objects.filter(pk=self.pk, status=self.FAILED)
            .update(status=self.QUEUED, reason="")
        ):
            return False
        self.status, self.reason = self.QUEUED, ""
        return True

    def supersede_queued(self) -> None:
        """A newer version of the stage replaces the jobs of it still waiting: nobody will
        look at them, so they are dropped before a worker spends time on them."""
        type(self).objects.filter(
            journey_id=self.journey_id, stage=self.stage, status=self.QUEUED
        ).exclude(pk=self.pk).delete()

    def twin(self) -> Self | None:
        """A finished row of the same content whose files are all still in storage."""
        if not self.TWIN_KEY:
            return None
        twin = (
            type(self)
            .objects.filter(status=self.DONE, **{self.TWIN_KEY: getattr(self, self.TWIN_KEY)})
            .exclude(pk=self.pk)
            .order_by("pk")
            .first()
        )
        if twin is None:
            return None
        # Files are named by content: when the twin's are gone, every twin's are.
        files = [f for f in twin.output().values() if isinstance(f, FieldFile)]
        return twin if all(f.name and default_storage.exists(f.name) for f in files) else None

    def output(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.TWIN_OUTPUT}

    def run_here(self, work: Any) -> Any:
        """Do the job in this process (command line), claiming the row as a worker would."""
        model = type(self)
        model.objects.filter(pk=self.pk).exclude(status=self.RUNNING).update(status=self.QUEUED)
        if not model.objects.claim(self.pk):
            return self
        return work(self.pk) or self


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

    TASK = "journeys.tasks.draw_diagram"
    TWIN_KEY = "render_key"
    TWIN_OUTPUT = ("svg", "png", "script", "node_count", "render_seconds")

    def __str__(self) -> str:
        return f"diagram {self.stage} {self.render_key[:10]} ({self.status})"


class Estimate(Job):
    """The monthly cost of one stage's architecture, line by line, from resolved prices.

    `estimate_key` hashes what the figures depend on (the state, the customers, the free-tier
    option and the price source asked for). `result` holds the estimate and its priced
    suggestions as JSON; `monthly_usd` is kept apart so that lists can sort without parsing it.
    """

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="estimates")
    state_hash = models.CharField(max_length=64)
    estimate_key = models.CharField(max_length=64, db_index=True)
    state = models.JSONField()
    customers = models.PositiveBigIntegerField()
    traffic_pattern = models.CharField(max_length=20, blank=True)
    free_tier = models.BooleanField(default=False)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    result = models.JSONField(null=True, blank=True)
    # 16 whole digits: the costliest journey the catalogue's maxima allow comes to about
    # $10^11 a month (tests/test_bounds.py), so this leaves a margin of 10^5.
    monthly_usd = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    sources = models.JSONField(default=list, blank=True)
    oldest_price_date = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["journey", "stage", "estimate_key"], name="one_estimate_per_key"
            )
        ]

    TASK = "journeys.tasks.estimate_stage"

    def __str__(self) -> str:
        return f"estimate {self.stage} {self.estimate_key[:10]} ({self.status})"

    @property
    def figures(self) -> dict[str, Any]:
        """The finished estimate: its lines and totals (`result`, which a done row has)."""
        if self.result is None:
            raise ValueError(f"The {self} has no figures yet.")
        figures: dict[str, Any] = self.result
        return figures

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 0
        return round(100 * self.progress_done / self.progress_total)


class PriceEntry(models.Model):
    """The database price cache: every price fetched from the Price List API, with its SKU,
    unit, source and time, so that a warm cache makes no API call within its TTL."""

    key_id = models.CharField(max_length=400, unique=True)
    price = models.JSONField()
    fetched_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "price entries"

    def __str__(self) -> str:
        return self.key_id
