import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from journeys import architecture, engine
from journeys.milestones import milestone_state
from journeys.models import Journey, Milestone
from journeys.vocabulary import STAGES


class Command(BaseCommand):
    help = "Print the architecture of one stage of a journey (live, or a saved milestone)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("journey_id", type=int)
        parser.add_argument("--stage", required=True, choices=STAGES)
        parser.add_argument("--milestone", type=int, metavar="N")
        parser.add_argument("--format", choices=("json", "text"), default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        journey = Journey.objects.filter(pk=options["journey_id"]).first()
        if journey is None:
            raise CommandError(f"There is no journey {options['journey_id']}.")
        stage = options["stage"]
        if options["milestone"] is None:
            state = architecture.stage_state(journey, stage)
        else:
            milestone = Milestone.objects.filter(
                journey=journey, stage=stage, number=options["milestone"]
            ).first()
            if milestone is None:
                raise CommandError(f"Stage {stage} has no milestone {options['milestone']}.")
            state = milestone_state(milestone)
        if options["format"] == "text":
            self.stdout.write(engine.to_text(state))
        else:
            self.stdout.write(json.dumps(state.to_dict(), indent=2, ensure_ascii=False))
