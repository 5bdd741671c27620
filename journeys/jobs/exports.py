"""Roadmap export jobs: queue a journey's PDF, and make it (in a worker, or the CLI).

The job first makes sure every stage has its diagram and its estimate. Those have their own
queues and workers, but a roadmap should not wait behind them: when one is not done, the job
claims it and draws or prices it in-process through the same plain functions. One another
worker is making is not waited for on this worker: the export goes back to the queue, saying
what it waits for, and its task comes back a moment later (past WAIT_SECONDS the roadmap goes
ahead without it and says so on the stage's page). Then it renders the HTML, and only lays
out a PDF when no earlier export has exactly the same HTML: equal content shares one file.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.utils import timezone

from journeys import roadmap
from journeys.jobs import base, diagrams, estimates
from journeys.models import Diagram, Estimate, Export, Journey, record
from journeys.roadmap import InvalidSelection, Selection, StageSource
from journeys.vocabulary import STAGES, short_title

# Steps of the progress bar: a diagram and an estimate per stage, the HTML, the PDF.
STEPS = 2 * len(STAGES) + 2
# How often an export that needs another worker's diagram or estimate looks again, and for how
# long in all before the roadmap goes ahead without it (each look is a fresh task, so no
# worker sits idle meanwhile).
RECHECK_SECONDS = 2
WAIT_SECONDS = 60
MAX_LOOKS = WAIT_SECONDS // RECHECK_SECONDS

Step = Callable[[str], None]


def describe(selection: Selection) -> str:
    """ "launch milestone 2, growth live, …" for the history and the list of exports."""
    return ", ".join(
        f"{stage} {'live' if selection.get(stage) is None else f'milestone {selection[stage]}'}"
        for stage in STAGES
        if stage in selection
    )


def request_export(
    journey: Journey,
    user: User | AnonymousUser | None,
    selection: Selection,
    *,
    queue: bool = True,
) -> Export:
    """Create the export row, write it in the journey's history, and queue it on commit
    (unless `queue` is False: the command line makes it in its own process)."""
    export = Export.objects.create(
        journey=journey,
        requested_by=user if user is not None and user.is_authenticated else None,
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
        base.enqueue(export)
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


def ready_diagram(journey: Journey, source: StageSource) -> Diagram | None:
    """The stage's diagram: done, drawn here, or pending on another worker."""
    return base.ready(
        lambda: diagrams.ensure_diagram(journey, source.stage, source.state, source.previous),
        diagrams.render,
    )


def ready_estimate(journey: Journey, source: StageSource) -> Estimate | None:
    """The stage's estimate: done, priced here, or pending on another worker."""
    return base.ready(
        lambda: estimates.ensure_estimate(journey, source.stage, source.state, source.facts),
        estimates.run,
    )


@dataclass
class Parts:
    """Every stage's diagram and estimate, and those that another worker is still making."""

    diagrams: dict[str, Diagram | None] = field(default_factory=dict)
    estimates: dict[str, Estimate | None] = field(default_factory=dict)
    pending: list[str] = field(default_factory=list)


def gather(journey: Journey, sources: list[StageSource], step: Step) -> Parts:
    """Make every stage's diagram and estimate ready that this process can make."""
    parts = Parts()
    for source in sources:
        title = short_title(source.stage).lower()
        step(f"Drawing the {title} diagram")
        diagram = parts.diagrams[source.stage] = ready_diagram(journey, source)
        if diagram is not None and diagram.is_pending:
            parts.pending.append(f"the {title} diagram")
        step(f"Pricing the {title} stage")
        row = parts.estimates[source.stage] = ready_estimate(journey, source)
        if row is not None and row.is_pending:
            parts.pending.append(f"the {title} estimate")
    return parts


def _html(journey: Journey, sources: list[StageSource], parts: Parts, page_size: str) -> str:
    context = roadmap.build(journey, sources, parts.diagrams, parts.estimates, page_size=page_size)
    return roadmap.render_html(context)


def compose(
    journey: Journey, sources: list[StageSource], page_size: str, progress: Step | None = None
) -> str:
    """The roadmap's final HTML, here and now: every stage's diagram and estimate made ready
    (what another worker is still making shows as not ready), then the template rendered.
    `progress(label)` is told of each step."""
    step = progress or (lambda label: None)
    parts = gather(journey, sources, step)
    step("Writing the pages")
    return _html(journey, sources, parts, page_size)


def run(export_id: int, *, may_wait: bool = True) -> Export | None:
    """Make a claimed export's PDF and store it; the plain function behind the task.

    With `may_wait` (a worker), an export that needs what another worker is still making goes
    back to the queue and is sent again RECHECK_SECONDS later, MAX_LOOKS times at most; without
    it (the command line), the roadmap is made with what is ready."""
    export = Export.objects.select_related("journey__team").filter(pk=export_id).first()
    if export is None:
        return None
    try:
        sources = roadmap.read_sources(export.journey, export.selection)
    except InvalidSelection as error:
        export.fail(str(error))
        return export
    progress = _Progress(export)
    parts = gather(export.journey, sources, progress.step)
    if parts.pending and may_wait and export.attempts <= MAX_LOOKS:
        due = timezone.now() + timedelta(seconds=RECHECK_SECONDS)
        export.wait(f"Waiting for {' and '.join(parts.pending)} (another worker is on it)", due)
        base.enqueue(export, countdown=RECHECK_SECONDS)
        return export
    progress.step("Writing the pages")
    html = _html(export.journey, sources, parts, export.page_size or "A4")
    export.content_hash = roadmap.content_hash(html)
    done = {"progress_done": STEPS, "content_hash": export.content_hash, "reason": ""}
    if base.reuse_twin(export, progress_label="Done (same content as an earlier export)", **done):
        return export
    progress.step("Laying out the PDF")
    start = time.perf_counter()
    pdf = roadmap.write_pdf(html)
    export.finish(
        file=base.store(f"roadmaps/{export.content_hash}.pdf", pdf.data),
        page_count=pdf.pages,
        size_bytes=len(pdf.data),
        render_seconds=round(time.perf_counter() - start, 3),
        progress_label="Done",
        **done,
    )
    return export


def read(export: Export) -> bytes:
    return base.read(export.file)


def past_exports(journey: Journey, limit: int = 20) -> list[Export]:
    """The journey's latest exports; one whose worker is gone is queued again or failed."""
    exports = Export.objects.filter(journey=journey).select_related("requested_by")[:limit]
    return [base.check_lease(export) for export in exports]
