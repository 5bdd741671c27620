"""Roadmap export jobs: queue a journey's PDF, and make it (in a worker, or the CLI).

The job first makes sure every stage has its diagram and its estimate. Those have their own
queues and workers, but a roadmap should not wait behind them: when one is not done, the job
claims it and draws or prices it in-process through the same plain functions (a worker that
claimed it first is waited for instead). Then it renders the HTML, and only lays out a PDF
when no earlier export has exactly the same HTML: equal content shares one file.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from journeys import catalog, diagram_jobs, estimate_jobs, roadmap
from journeys.models import Diagram, Estimate, Export, Journey, record
from journeys.roadmap import InvalidSelection, Selection, StageSource

logger = logging.getLogger(__name__)

# How long to wait for a diagram or an estimate that another worker is making before the
# roadmap goes ahead without it (it then says so on the stage's page).
WAIT_SECONDS = 60.0
POLL_SECONDS = 0.2
# Steps of the progress bar: a diagram and an estimate per stage, the HTML, the PDF.
STEPS = 2 * len(catalog.STAGE_SLUGS) + 2


def describe(selection: Selection) -> str:
    """ "launch milestone 2, growth live, …" for the history and the list of exports."""
    return ", ".join(
        f"{stage} {'live' if selection.get(stage) is None else f'milestone {selection[stage]}'}"
        for stage in catalog.STAGE_SLUGS
        if stage in selection
    )


def request_export(
    journey: Journey, user: Any, selection: Selection, *, queue: bool = True
) -> Export:
    """Create the export row, write it in the journey's history, and queue it on commit
    (unless `queue` is False: the command line makes it in its own process)."""
    export = Export.objects.create(
        journey=journey,
        requested_by=user if getattr(user, "is_authenticated", False) else None,
        selection=selection,
        page_size=settings.ROADMAP_PAGE_SIZE,
        progress_total=STEPS,
    )
    record(
        journey,
        user,
        "export_requested",
        f"Roadmap PDF requested ({describe(selection)})",
        export=export.pk,
        milestones=selection,
    )
    if queue:
        enqueue(export)
    return export


def enqueue(export: Export) -> None:
    from journeys.tasks import export_roadmap

    transaction.on_commit(lambda: export_roadmap.delay(export.pk))


def stale_after() -> timedelta:
    """A running export older than this lost its worker (killed at the hard time limit, out
    of memory, or restarted): the task can no longer say so itself."""
    return timedelta(seconds=settings.EXPORT_SOFT_TIME_LIMIT + 60)


def fail_if_stale(export: Export) -> Export:
    """Mark an export failed when its worker is gone, so nobody watches it run forever."""
    if (
        export.status == Export.RUNNING
        and export.started is not None
        and timezone.now() - export.started > stale_after()
    ):
        reason = (
            "The export stopped without finishing: the worker was stopped, ran out of time or "
            "ran out of memory. Export again; if it keeps failing, the journey may be too large."
        )
        if Export.objects.filter(pk=export.pk, status=Export.RUNNING).update(
            status=Export.FAILED, reason=reason, finished=timezone.now()
        ):
            export.status, export.reason = Export.FAILED, reason
    return export


class _Progress:
    """The row's progress bar and what is going on, as the polling page reads it."""

    def __init__(self, export: Export) -> None:
        self.export = export
        self.done = 0

    def step(self, label: str) -> None:
        Export.objects.filter(pk=self.export.pk).update(
            progress_done=self.done, progress_total=STEPS, progress_label=label[:120]
        )
        self.done += 1


def _wait(model: Any, pk: int) -> Any:
    """The row once it is done or failed; as it is after WAIT_SECONDS; None if it is gone."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        row = model.objects.filter(pk=pk).first()
        if row is None or not row.is_pending or time.monotonic() > deadline:
            return row
        time.sleep(POLL_SECONDS)


def ready_diagram(journey: Journey, source: StageSource) -> Diagram | None:
    """The stage's diagram, drawn here if nobody has drawn it yet."""
    for _ in range(3):  # a newer live state may supersede (delete) a queued row under us
        diagram = diagram_jobs.ensure_diagram(journey, source.stage, source.state, source.previous)
        if diagram.status == Diagram.DONE:
            return diagram
        # A failed one gets one more try here: the failure may have been a passing one.
        diagram.requeue()
        if Diagram.objects.claim(diagram.pk):
            return diagram_jobs.render(diagram.pk)
        found = _wait(Diagram, diagram.pk)
        if found is not None:
            return found
    return None


def ready_estimate(journey: Journey, source: StageSource) -> Estimate | None:
    """The stage's estimate, priced here if nobody has priced it yet."""
    for _ in range(3):
        row = estimate_jobs.ensure_estimate(journey, source.stage, source.state, source.facts)
        if row.status == Estimate.DONE:
            return row
        row.requeue()
        if Estimate.objects.claim(row.pk):
            return estimate_jobs.run(row.pk)
        found = _wait(Estimate, row.pk)
        if found is not None:
            return found
    return None


def compose(
    journey: Journey, sources: list[StageSource], page_size: str, progress: Any = None
) -> str:
    """The roadmap's final HTML: every stage's diagram and estimate made ready (here, when
    nobody has made them yet), then the context built and the template rendered.
    `progress(label)` is told of each step."""
    step = progress or (lambda label: None)
    diagrams: dict[str, Diagram | None] = {}
    estimates: dict[str, Estimate | None] = {}
    for source in sources:
        title = catalog.get().stage(source.stage).title.split(":")[0].lower()
        step(f"Drawing the {title} diagram")
        diagrams[source.stage] = ready_diagram(journey, source)
        step(f"Pricing the {title} stage")
        estimates[source.stage] = ready_estimate(journey, source)
    step("Writing the pages")
    context = roadmap.build(journey, sources, diagrams, estimates, page_size=page_size)
    return roadmap.render_html(context)


def run(export_id: int) -> Export | None:
    """Make a claimed export's PDF and store it; the plain function behind the task."""
    export = Export.objects.select_related("journey__team").filter(pk=export_id).first()
    if export is None:
        return None
    try:
        sources = roadmap.read_sources(export.journey, export.selection)
    except InvalidSelection as error:
        export.fail(str(error))
        return export
    progress = _Progress(export)
    html = compose(export.journey, sources, export.page_size or "A4", progress.step)
    digest = roadmap.content_hash(html)
    if _reuse_twin(export, digest):
        return export
    progress.step("Laying out the PDF")
    start = time.perf_counter()
    pdf = roadmap.write_pdf(html)
    name = _store(f"roadmaps/{digest}.pdf", pdf.data)
    export.finish(
        file=name,
        page_count=pdf.pages,
        size_bytes=len(pdf.data),
        render_seconds=round(time.perf_counter() - start, 3),
        content_hash=digest,
        progress_done=STEPS,
        progress_label="Done",
        reason="",
    )
    return export


def _reuse_twin(export: Export, digest: str) -> bool:
    """Finish with the file of an earlier export of exactly the same HTML, if there is one."""
    twin = (
        Export.objects.filter(content_hash=digest, status=Export.DONE)
        .exclude(pk=export.pk)
        .exclude(file="")
        .order_by("pk")
        .first()
    )
    if twin is None or not default_storage.exists(twin.file.name):
        return False
    export.finish(
        file=twin.file.name,
        page_count=twin.page_count,
        size_bytes=twin.size_bytes,
        render_seconds=twin.render_seconds,
        content_hash=digest,
        progress_done=STEPS,
        progress_label="Done (same content as an earlier export)",
        reason="",
    )
    return True


def _store(name: str, content: bytes) -> str:
    """Save under a content-addressed name; an existing file of that name is the same PDF."""
    if default_storage.exists(name):
        return name
    return default_storage.save(name, ContentFile(content))


def read(export: Export) -> bytes:
    with export.file.open("rb") as handle:
        return handle.read()


def download_name(export: Export) -> str:
    """A file name safe in any header and on any disk: ASCII letters, digits and dashes."""
    stem = slugify(export.journey.name)[:60].strip("-") or f"journey-{export.journey_id}"
    return f"roadmap-{stem}-{export.pk}.pdf"


def past_exports(journey: Journey, limit: int = 20) -> list[Export]:
    exports = list(Export.objects.filter(journey=journey).select_related("requested_by")[:limit])
    return [fail_if_stale(e) for e in exports]


def stage_choices(journey: Journey, data: Any = None) -> list[dict[str, Any]]:
    """For the export form: each stage's milestones, newest first, and the one picked
    ("" for the live answers) — from the submitted form when it comes back with an error."""
    by_stage: dict[str, list[Any]] = {stage: [] for stage in catalog.STAGE_SLUGS}
    for milestone in journey.milestones.select_related("author").order_by("stage", "-number"):
        by_stage.setdefault(milestone.stage, []).append(milestone)
    return [
        {
            "stage": stage,
            "title": catalog.get().stage(stage).title,
            "field": f"milestone-{stage}",
            "milestones": by_stage[stage],
            "picked": str(data.get(f"milestone-{stage}", "")) if data is not None else "",
        }
        for stage in catalog.STAGE_SLUGS
    ]
