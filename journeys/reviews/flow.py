"""The status flow of a journey, in one table: (status, action) -> the status after it.

Pure: no model import, so `Journey` (which reopens itself when it is edited) and the review
rules read the same table.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

DRAFT, IN_REVIEW, APPROVED, CHANGES_REQUESTED = (
    "draft",
    "in_review",
    "approved",
    "changes_requested",
)
SUBMIT, APPROVE, REQUEST_CHANGES, EDIT = "submit", "approve", "request_changes", "edit"
ACTIONS = (SUBMIT, APPROVE, REQUEST_CHANGES, EDIT)

TRANSITIONS: dict[tuple[str, str], str] = {
    (DRAFT, SUBMIT): IN_REVIEW,
    (CHANGES_REQUESTED, SUBMIT): IN_REVIEW,
    (IN_REVIEW, APPROVE): APPROVED,
    (IN_REVIEW, REQUEST_CHANGES): CHANGES_REQUESTED,
    # A change to a submitted journey takes it back to draft; the review stays attached to the
    # milestones it was made on, which cannot change.
    (IN_REVIEW, EDIT): DRAFT,
    (APPROVED, EDIT): DRAFT,
    (CHANGES_REQUESTED, EDIT): DRAFT,
}

_DECIDED = "This submission is decided already."
REFUSALS: dict[str, dict[str, str]] = {
    SUBMIT: {
        IN_REVIEW: "This journey is already in review: wait for the architect's decision.",
        APPROVED: "This journey is approved as submitted. Change it to submit a new version.",
    },
    APPROVE: {
        DRAFT: "There is nothing to decide: the journey is not in review.",
        APPROVED: _DECIDED,
        CHANGES_REQUESTED: _DECIDED,
    },
    EDIT: {DRAFT: "A draft stays a draft when it is edited."},
}
REFUSALS[REQUEST_CHANGES] = REFUSALS[APPROVE]


def allows(status: str, action: str) -> bool:
    return (status, action) in TRANSITIONS


def next_status(status: str, action: str) -> str:
    """The status after `action`; ValidationError saying why when it is not possible now."""
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        message = REFUSALS.get(action, {}).get(status, "Not possible now.")
        raise ValidationError(message, code="refused") from None


def refusal(status: str, action: str) -> str:
    """Why `action` is not possible in `status` ("" when it is)."""
    if allows(status, action):
        return ""
    return REFUSALS.get(action, {}).get(status, "Not possible now.")


def sources(action: str) -> frozenset[str]:
    """The statuses from which `action` is possible."""
    return frozenset(status for status, act in TRANSITIONS if act == action)
