"""The app's models, one module per area; everything is importable from `journeys.models`."""

from journeys.models.core import (
    NA_REASON_CHOICES,
    Answer,
    HistoryEntry,
    ImmutableHistory,
    ImmutableMilestone,
    Journey,
    JourneyQuerySet,
    Membership,
    Milestone,
    MilestoneQuerySet,
    Team,
    answered_values,
    record,
)

__all__ = [
    "NA_REASON_CHOICES",
    "Answer",
    "HistoryEntry",
    "ImmutableHistory",
    "ImmutableMilestone",
    "Journey",
    "JourneyQuerySet",
    "Membership",
    "Milestone",
    "MilestoneQuerySet",
    "Team",
    "answered_values",
    "record",
]
