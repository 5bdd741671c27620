"""What the journey commands share: the journey named on the command line, and one stage of it,
live or as a saved milestone."""

from collections.abc import Callable
from typing import TypeVar

from django.core.management.base import CommandError, CommandParser
from django.db.models import QuerySet

from journeys.models import Job, Journey, Milestone
from journeys.vocabulary import STAGES


def add_stage_arguments(parser: CommandParser, *, stage_required: bool = True) -> None:
    """`JOURNEY_ID --stage STAGE [--milestone N]`."""
    parser.add_argument("journey_id", type=int)
    parser.add_argument("--stage", required=stage_required, choices=STAGES)
    parser.add_argument("--milestone", type=int, metavar="N")


def journey_or_error(journey_id: int, journeys: QuerySet[Journey] | None = None) -> Journey:
    journey = (Journey.objects.all() if journeys is None else journeys).filter(pk=journey_id)
    found = journey.first()
    if found is None:
        raise CommandError(f"There is no journey {journey_id}.")
    return found


def milestone_or_error(journey: Journey, stage: str, number: int) -> Milestone:
    milestone = Milestone.objects.filter(journey=journey, stage=stage, number=number).first()
    if milestone is None:
        raise CommandError(f"Stage {stage} has no milestone {number}.")
    return milestone


JobRow = TypeVar("JobRow", bound=Job)


def done_or_error(row: JobRow, work: Callable[[int], object], what: str) -> JobRow:
    """The job's row once done: made here, in this process, when no worker has done it yet."""
    if row.status != row.DONE:
        row = row.run_here(work)
    if row.status != row.DONE:
        raise CommandError(f"{what} could not be made: {row.reason}")
    return row
