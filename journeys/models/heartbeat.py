"""Heartbeats: when a background process last showed it was working."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Heartbeat(models.Model):
    """One row per kind of process that beats ("worker"): `seen` is when it last did. The
    reaper, sent by beat and run by a worker, writes the worker's; /ready/ reads it, so a web
    host knows a worker ran lately without asking the broker to reach every worker."""

    name = models.CharField(max_length=40, unique=True)
    seen = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.name} seen {self.seen:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def beat(cls, name: str) -> None:
        cls.objects.update_or_create(name=name, defaults={"seen": timezone.now()})

    @classmethod
    def age(cls, name: str) -> float | None:
        """Seconds since `name` last beat; None if it never did."""
        seen = cls.objects.filter(name=name).values_list("seen", flat=True).first()
        return None if seen is None else (timezone.now() - seen).total_seconds()
