from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from journeys import roadmap
from journeys.jobs import exports
from journeys.management import arguments
from journeys.models import Export, Journey
from journeys.vocabulary import STAGES


class Command(BaseCommand):
    help = (
        "Write a journey's roadmap PDF to FILE, here and now, through the same code as the "
        "export worker (diagrams and estimates that are missing are made on the way). Each "
        "stage shows its live answers unless --milestones names one: launch=1 growth=2 …"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("journey_id", type=int)
        parser.add_argument(
            "--milestones", nargs="*", default=[], metavar="STAGE=N", help="e.g. launch=1 growth=2"
        )
        parser.add_argument("--output", required=True, type=Path, metavar="FILE.pdf")

    def handle(self, *args: Any, **options: Any) -> None:
        journey = arguments.journey_or_error(
            options["journey_id"], Journey.objects.select_related("team")
        )
        try:
            selection = roadmap.parse_selection(journey, _pairs(options["milestones"]))
        except roadmap.InvalidSelection as error:
            raise CommandError(str(error)) from error
        export = exports.request_export(journey, None, selection, queue=False)
        # Here and now: what a worker is still making shows as not ready rather than waited for.
        export = export.run_here(lambda pk: exports.run(pk, may_wait=False))
        export.refresh_from_db()
        if export.status != Export.DONE:
            raise CommandError(f"The roadmap could not be made: {export.reason}")
        out: Path = options["output"]
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(exports.read(export))
        self.stdout.write(
            f"{out}: {export.page_count} pages, {export.size_bytes:,} bytes, "
            f"{export.render_seconds:.2f} s, content {export.content_hash[:12]} "
            f"({exports.describe(selection)})"
        )


def _pairs(items: list[str]) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for item in items:
        stage, equals, number = item.partition("=")
        if not equals or stage not in STAGES:
            raise CommandError(
                f"Name a milestone as STAGE=N with a stage of {', '.join(STAGES)}: {item!r}"
            )
        pairs[stage] = number
    return pairs
