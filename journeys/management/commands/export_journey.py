from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from journeys import exchange
from journeys.models import Journey


class Command(BaseCommand):
    help = "Print a journey as a journey/1 JSON document."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("journey_id", type=int)

    def handle(self, *args: Any, journey_id: int, **options: Any) -> None:
        journey = Journey.objects.filter(pk=journey_id).first()
        if journey is None:
            raise CommandError(f"There is no journey {journey_id}.")
        self.stdout.write(exchange.dumps(exchange.document(journey)), ending="")
