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
from journeys.models.products import Diagram, Job

__all__ = [
    "NA_REASON_CHOICES",
    "Answer",
    "Diagram",
    "HistoryEntry",
    "ImmutableHistory",
    "ImmutableMilestone",
    "Job",
    "Journey",
    "JourneyQuerySet",
    "Membership",
    "Milestone",
    "MilestoneQuerySet",
    "Team",
    "answered_values",
    "record",
]
