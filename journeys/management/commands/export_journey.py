from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from journeys import exchange
from journeys.management import arguments


class Command(BaseCommand):
    help = "Print a journey as a journey/1 JSON document."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("journey_id", type=int)

    def handle(self, *args: Any, journey_id: int, **options: Any) -> None:
        journey = arguments.journey_or_error(journey_id)
        self.stdout.write(exchange.dumps(exchange.document(journey)), ending="")
