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
from journeys.models.exports import Export
from journeys.models.heartbeat import Heartbeat
from journeys.models.products import Diagram, Estimate, Job, PriceEntry
from journeys.models.reviews import (
    Comment,
    CommentRevision,
    Decision,
    Notification,
    ShareLink,
    SignOff,
    Submission,
    SubmittedMilestone,
)

__all__ = [
    "NA_REASON_CHOICES",
    "Answer",
    "Comment",
    "CommentRevision",
    "Decision",
    "Diagram",
    "Estimate",
    "Export",
    "Heartbeat",
    "HistoryEntry",
    "ImmutableHistory",
    "ImmutableMilestone",
    "Job",
    "Journey",
    "JourneyQuerySet",
    "Membership",
    "Milestone",
    "MilestoneQuerySet",
    "Notification",
    "PriceEntry",
    "ShareLink",
    "SignOff",
    "Submission",
    "SubmittedMilestone",
    "Team",
    "answered_values",
    "record",
]
