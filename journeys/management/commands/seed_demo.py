from typing import Any

from django.core.management.base import BaseCommand

from journeys import demo


class Command(BaseCommand):
    help = "Create the demo team, users and journey (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        journey, created = demo.seed()
        state = "created" if created else "already there"
        self.stdout.write(f"Demo journey {journey.pk} ({state}): {journey.name}")
        self.stdout.write(f"Sign in as {demo.USERNAME} / {demo.PASSWORD}")
        self.stdout.write(f"Architect: {demo.ARCHITECT} / {demo.ARCHITECT_PASSWORD}")
