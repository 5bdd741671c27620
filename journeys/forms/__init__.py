"""Forms: validation of what people type, with messages next to the field that caused them."""

from journeys.forms.accounts import SignupForm
from journeys.forms.answers import AnswerForm
from journeys.forms.architecture import AssumptionsForm, MilestoneForm, OverrideForm
from journeys.forms.journeys import DeleteJourneyForm, ImportForm, JourneyForm, QuickStartForm
from journeys.forms.reviews import (
    BulkSignOffForm,
    CommentBodyForm,
    CommentForm,
    DecideForm,
    ShareLinkForm,
    SignOffForm,
    SubmitForm,
    first_errors,
)
from journeys.forms.teams import AddMemberForm, RemoveMemberForm, TeamForm

__all__ = [
    "AddMemberForm",
    "AnswerForm",
    "AssumptionsForm",
    "BulkSignOffForm",
    "CommentBodyForm",
    "CommentForm",
    "DecideForm",
    "DeleteJourneyForm",
    "ImportForm",
    "JourneyForm",
    "MilestoneForm",
    "OverrideForm",
    "QuickStartForm",
    "RemoveMemberForm",
    "ShareLinkForm",
    "SignOffForm",
    "SignupForm",
    "SubmitForm",
    "TeamForm",
    "first_errors",
]
