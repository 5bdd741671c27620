from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from journeys import architecture
from journeys.jobs import diagrams
from journeys.models import Diagram, Journey, Milestone
from journeys.vocabulary import STAGES


class Command(BaseCommand):
    help = (
        "Draw one stage of a journey (live, or a saved milestone) and write its .svg, .png and "
        ".py into DIR. Runs here and now, through the same code as the diagram worker."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("journey_id", type=int)
        parser.add_argument("--stage", required=True, choices=STAGES)
        parser.add_argument("--milestone", type=int, metavar="N")
        parser.add_argument("--output", required=True, type=Path, metavar="DIR")

    def handle(self, *args: Any, **options: Any) -> None:
        journey = Journey.objects.filter(pk=options["journey_id"]).first()
        if journey is None:
            raise CommandError(f"There is no journey {options['journey_id']}.")
        stage, number = options["stage"], options["milestone"]
        if number is None:
            state, previous = architecture.stage_with_previous(journey, stage)
            diagram = diagrams.ensure_diagram(journey, stage, state, previous)
        else:
            milestone = Milestone.objects.filter(journey=journey, stage=stage, number=number)
            if not milestone.exists():
                raise CommandError(f"Stage {stage} has no milestone {number}.")
            diagram = diagrams.milestone_diagram_for(journey, milestone.get())
        if diagram.status != Diagram.DONE:
            diagram = diagram.run_here(diagrams.render)
        if diagram.status != Diagram.DONE:
            raise CommandError(f"The diagram could not be drawn: {diagram.reason}")
        out: Path = options["output"]
        out.mkdir(parents=True, exist_ok=True)
        stem = f"journey-{journey.pk}-{stage}" + (f"-m{number}" if number else "")
        for kind in diagrams.FILES:
            path = out / f"{stem}.{kind}"
            path.write_bytes(diagrams.read(diagram, kind))
            self.stdout.write(str(path))
