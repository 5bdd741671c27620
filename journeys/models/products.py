"""What background jobs make from a stage's architecture: diagrams and cost estimates.

A job's state lives on its row (queued -> running -> done | failed, with a readable reason),
not in a result backend. Rows are keyed by the content they are made from, so an equal
architecture never renders or prices twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, ClassVar, Self

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from journeys.models.core import Journey

# A job is taken back from a lost worker this many times; lost once more, it fails: a job that
# kills its worker every time (a poison job) cannot go round for ever.
MAX_LOST = 1
LOST_REASON = (
    "The worker making this stopped twice without finishing (it was killed, ran out of memory "
    "or of time). Try again; if it keeps failing, tell the team that runs the planner."
)


class JobQuerySet(models.QuerySet[Any]):
    def claim(self, pk: int, holder: str = "") -> bool:
        """queued -> running for exactly one worker; False when another got there first.

        `holder` (the Celery task id) lets the same message, delivered again because the
        worker running it died (acks_late + task_reject_on_worker_lost), take the job back:
        running, held by this very message, so its first run is gone. Once; a second loss
        fails the job with LOST_REASON."""
        now = timezone.now()
        running = {
            "status": Job.RUNNING,
            "started": now,
            "attempts": models.F("attempts") + 1,
            "holder": holder[:64],
        }
        if self.filter(pk=pk, status=Job.QUEUED).update(**running):
            return True
        if not holder:
            return False
        held = self.filter(pk=pk, status=Job.RUNNING, holder=holder[:64])
        return held.take_back(now, **running) is True

    def take_back(self, now: datetime, **values: Any) -> bool | None:
        """A job whose worker was lost, taken back with `values` once (True); lost again, it
        fails with LOST_REASON (False). None when no row matched at all."""
        if self.filter(lost__lt=MAX_LOST).update(**values, lost=models.F("lost") + 1):
            return True
        if self.update(status=Job.FAILED, reason=LOST_REASON, finished=now):
            return False
        return None

    def expired(self, now: datetime | None = None) -> Any:
        """Running past the kind's lease: the worker is gone (a task past its hard time limit
        is killed, and then the row cannot say so itself)."""
        model: type[Job] = self.model
        return self.filter(status=Job.RUNNING, started__lt=(now or timezone.now()) - model.lease())


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
    # The lease: the Celery task (id) that runs it, when it was queued again (None: when it was
    # created; for a delayed message, when that message is due) and how often a worker lost it.
    holder = models.CharField(max_length=64, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    lost = models.PositiveSmallIntegerField(default=0)

    objects = JobQuerySet.as_manager()

    # The Celery task that makes a row of this kind, by name: enqueuing by name keeps the job
    # modules free of `journeys.tasks` (which imports them); settings.CELERY_TASK_ROUTES routes it.
    TASK: ClassVar[str]
    # Rows of equal content share their output: the field holding the content's key, and the
    # fields a row copies from a finished twin instead of making them again ("" : no sharing).
    TWIN_KEY: ClassVar[str] = ""
    TWIN_OUTPUT: ClassVar[tuple[str, ...]] = ()
    # The setting holding the task's hard time limit, which the lease adds a margin to.
    TIME_LIMIT_SETTING: ClassVar[str]

    class Meta:
        abstract = True

    @classmethod
    def lease(cls) -> timedelta:
        """How long a running row may go without finishing before its worker counts as gone."""
        hard_limit = getattr(settings, cls.TIME_LIMIT_SETTING)
        return timedelta(seconds=hard_limit + settings.JOB_LEASE_MARGIN)

    @property
    def is_pending(self) -> bool:
        return self.status in (self.QUEUED, self.RUNNING)

    @property
    def queued_since(self) -> datetime:
        return self.queued_at or self.created

    @property
    def waits_for_a_worker(self) -> bool:
        """Queued for longer than a worker takes to start it: perhaps no worker is running."""
        late = timedelta(seconds=settings.JOB_QUEUED_WARNING_SECONDS)
        return self.status == self.QUEUED and timezone.now() - self.queued_since > late

    def is_expired(self, now: datetime | None = None) -> bool:
        return (
            self.status == self.RUNNING
            and self.started is not None
            and (now or timezone.now()) - self.started > self.lease()
        )

    def finish(self, **fields: Any) -> None:
        fields.setdefault("status", self.DONE)
        fields["finished"] = timezone.now()
        type(self).objects.filter(pk=self.pk).update(**fields)
        for name, value in fields.items():
            setattr(self, name, value)

    def fail(self, reason: str) -> None:
        self.finish(status=self.FAILED, reason=reason[:500])

    def requeue(self) -> bool:
        """failed -> queued again, or running past its lease -> queued (taken back from the
        lost worker, once: lost again, it fails with LOST_REASON). False when neither: the
        caller has nothing to send."""
        model, now = type(self), timezone.now()
        again = {"status": self.QUEUED, "reason": "", "holder": "", "queued_at": now}
        if model.objects.filter(pk=self.pk, status=self.FAILED).update(**again):
            self.status, self.reason, self.queued_at = self.QUEUED, "", now
            return True
        taken = model.objects.expired(now).filter(pk=self.pk).take_back(now, **again)
        if taken:
            self.status, self.reason, self.queued_at = self.QUEUED, "", now
            self.lost += 1
        elif taken is False:
            self.status, self.reason, self.finished = self.FAILED, LOST_REASON, now
        return bool(taken)

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
    # Graphviz's edge router that drew it (drawing.ROUTERS): "ortho" unless it crashed on
    # this graph; blank for diagrams drawn before routers were recorded.
    router = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["journey", "stage", "render_key"], name="one_diagram_per_render_key"
            )
        ]

    TASK = "journeys.tasks.draw_diagram"
    TIME_LIMIT_SETTING = "DIAGRAM_TIME_LIMIT"
    TWIN_KEY = "render_key"
    TWIN_OUTPUT = ("svg", "png", "script", "node_count", "render_seconds", "router")
    ROUTER_NOTES = {
        "ortho": "Arrows drawn at right angles.",
        "polyline": "Arrows drawn as straight segments: Graphviz could not route right-angled "
        "arrows on this diagram.",
        "spline": "Arrows drawn as curves: Graphviz could not route right-angled or "
        "straight-segment arrows on this diagram.",
    }

    def __str__(self) -> str:
        return f"diagram {self.stage} {self.render_key[:10]} ({self.status})"

    @property
    def router_note(self) -> str:
        """How its arrows were routed, for the page; empty when not recorded."""
        return self.ROUTER_NOTES.get(self.router, "")

    @property
    def fell_back(self) -> bool:
        """Drawn with a router other than the first choice, after `dot` crashed on it."""
        return self.router not in ("", "ortho")


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
    TIME_LIMIT_SETTING = "ESTIMATE_TIME_LIMIT"

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
