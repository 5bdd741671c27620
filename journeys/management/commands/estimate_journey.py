import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from journeys import architecture
from journeys.architecture import JourneyAnswers
from journeys.jobs import estimates
from journeys.management import arguments
from journeys.models import Estimate, Journey
from journeys.pricing import reports
from journeys.vocabulary import STAGES


class Command(BaseCommand):
    help = (
        "Price a journey's stages (live, or a saved milestone) here and now, through the same "
        "code as the pricing worker, and print the estimate as JSON, CSV or text."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        arguments.add_stage_arguments(parser, stage_required=False)
        parser.add_argument("--format", choices=("json", "csv", "text"), default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        journey = arguments.journey_or_error(options["journey_id"])
        if options["milestone"] is not None and not options["stage"]:
            raise CommandError("--milestone needs --stage.")
        stages = [options["stage"]] if options["stage"] else list(STAGES)
        if options["format"] == "csv" and len(stages) > 1:
            raise CommandError("CSV holds one stage: add --stage.")
        number = options["milestone"]
        if number is None:
            answers = JourneyAnswers.of(journey)  # read and resolved once for every stage
            rows = {stage: _live(journey, stage, answers) for stage in stages}
        else:
            rows = {stage: _saved(journey, stage, number) for stage in stages}
        if options["format"] == "csv":
            reports.write_csv(rows[stages[0]], self.stdout)
        elif options["format"] == "text":
            self.stdout.write(reports.as_text(journey, rows))
        else:
            self.stdout.write(json.dumps(reports.as_json(journey, rows), indent=2))


def _live(journey: Journey, stage: str, answers: JourneyAnswers) -> Estimate:
    state = architecture.stage_state(journey, stage, answers)
    facts = architecture.stage_facts(stage, answers)
    row = estimates.ensure_estimate(journey, stage, state, facts)
    return arguments.done_or_error(row, estimates.run, f"The {stage} estimate")


def _saved(journey: Journey, stage: str, number: int) -> Estimate:
    milestone = arguments.milestone_or_error(journey, stage, number)
    row = estimates.milestone_estimate_for(journey, milestone)
    return arguments.done_or_error(row, estimates.run, f"The {stage} estimate")
