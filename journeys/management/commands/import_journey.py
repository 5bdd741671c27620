from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_slug
from django.db import transaction

from journeys import exchange
from journeys.models import Team


class Command(BaseCommand):
    help = (
        "Create a journey from a journey/1 JSON document, in the team SLUG (created if it does "
        "not exist). Every problem is reported and nothing is created unless all is valid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--team", required=True, metavar="SLUG")

    def handle(self, *args: Any, file: Path, team: str, **options: Any) -> None:
        try:
            validate_slug(team)
        except ValidationError:
            raise CommandError(
                f"“{team}” is not a team slug: use letters, digits, hyphens and underscores."
            ) from None
        try:
            text = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        try:
            doc = exchange.parse(text)
            # Checked before the database is touched: a bad document creates no team either.
            found = exchange.problems(doc)
            if found:
                raise exchange.InvalidDocument(found)
            with transaction.atomic():
                owner, _ = Team.objects.get_or_create(slug=team, defaults={"name": team})
                journey = exchange.create_journey(doc, owner)
        except exchange.InvalidDocument as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{len(error.problems)} problem(s) in {file}; nothing was imported."
            ) from None
        self.stdout.write(f"Imported journey {journey.pk}")
