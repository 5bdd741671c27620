from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from journeys import architecture
from journeys.jobs import diagrams
from journeys.management import arguments


class Command(BaseCommand):
    help = (
        "Draw one stage of a journey (live, or a saved milestone) and write its .svg, .png and "
        ".py into DIR. Runs here and now, through the same code as the diagram worker."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        arguments.add_stage_arguments(parser)
        parser.add_argument("--output", required=True, type=Path, metavar="DIR")

    def handle(self, *args: Any, **options: Any) -> None:
        journey = arguments.journey_or_error(options["journey_id"])
        stage, number = options["stage"], options["milestone"]
        if number is None:
            state, previous = architecture.stage_with_previous(journey, stage)
            diagram = diagrams.ensure_diagram(journey, stage, state, previous)
        else:
            milestone = arguments.milestone_or_error(journey, stage, number)
            diagram = diagrams.milestone_diagram_for(journey, milestone)
        diagram = arguments.done_or_error(diagram, diagrams.render, "The diagram")
        out: Path = options["output"]
        out.mkdir(parents=True, exist_ok=True)
        stem = f"journey-{journey.pk}-{stage}" + (f"-m{number}" if number else "")
        for kind in diagrams.FILES:
            path = out / f"{stem}.{kind}"
            path.write_bytes(diagrams.read(diagram, kind))
            self.stdout.write(str(path))
