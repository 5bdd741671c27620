import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from journeys import architecture, engine
from journeys.management import arguments
from journeys.milestones import milestone_state


class Command(BaseCommand):
    help = "Print the architecture of one stage of a journey (live, or a saved milestone)."

    def add_arguments(self, parser: CommandParser) -> None:
        arguments.add_stage_arguments(parser)
        parser.add_argument("--format", choices=("json", "text"), default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        journey = arguments.journey_or_error(options["journey_id"])
        stage = options["stage"]
        if options["milestone"] is None:
            state = architecture.stage_state(journey, stage)
        else:
            state = milestone_state(
                arguments.milestone_or_error(journey, stage, options["milestone"])
            )
        if options["format"] == "text":
            self.stdout.write(engine.to_text(state))
        else:
            self.stdout.write(json.dumps(state.to_dict(), indent=2, ensure_ascii=False))
