"""The review forms: submit, decide, sign off, comment and share, with `first_errors`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import QueryDict

from journeys.models import Comment, Journey, SignOff
from journeys.reviews import comments as review_comments
from journeys.reviews import decisions as review_decisions
from journeys.reviews import submissions as review_submissions
from journeys.vocabulary import STAGES, is_stage

# The forms validate what was typed; the view then calls `journeys.reviews` with the cleaned
# values. A refusal of the review rules (a ValidationError from there) is added to the same
# form, so every message shows next to its field with the input kept.


class PlainTextField(forms.CharField):
    """Text someone typed, trimmed, with Unix line ends and without NUL characters (which
    PostgreSQL refuses to store: a stray one must not become an error)."""

    def to_python(self, value: Any) -> str:
        if isinstance(value, str):
            value = value.replace("\x00", "").replace("\r\n", "\n")
        return str(super().to_python(value))


class MilestonePicksForm(forms.Form):
    """One milestone per stage, sent as `stage-<slug>` = its number; `choices` (one
    `StageChoice` per stage) is what the template draws."""

    defaults = review_submissions.LATEST
    check_stale = False

    def __init__(self, journey: Journey, data: Any = None) -> None:
        super().__init__(data)
        self.journey = journey
        for slug in STAGES:
            self.fields[f"stage-{slug}"] = forms.CharField(required=False, strip=True)
        picked = None
        if data is not None:
            picked = {slug: data[f"stage-{slug}"] for slug in STAGES if f"stage-{slug}" in data}
        self.choices = review_submissions.stage_choices(
            journey, picked, defaults=self.defaults, check_stale=self.check_stale
        )

    def stage_errors(self) -> dict[str, str]:
        """{stage: message} for the stages refused, as the templates show them."""
        return {
            name.removeprefix("stage-"): str(errors[0])
            for name, errors in self.errors.items()
            if name.startswith("stage-")
        }


class SubmitForm(MilestonePicksForm):
    check_stale = True
    note = PlainTextField(
        required=False, max_length=2000, error_messages={"max_length": "At most 2,000 characters."}
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for c in self.choices:
            if c.error or c.chosen is None:
                self.add_error(f"stage-{c.stage.slug}", c.error or "Pick a milestone.")
        if any(name.startswith("stage-") for name in self.errors):
            raise forms.ValidationError(
                "Every stage needs a milestone before the journey is submitted."
            )
        data["milestones"] = {c.stage.slug: c.chosen for c in self.choices}
        return data


class ShareLinkForm(MilestonePicksForm):
    defaults = review_submissions.SUBMISSION
    label = PlainTextField(
        required=False, max_length=120, error_messages={"max_length": "At most 120 characters."}
    )
    days = forms.IntegerField()

    def __init__(self, journey: Journey, data: Any = None) -> None:
        super().__init__(journey, data)
        longest = settings.SHARE_LINK_MAX_DAYS
        between = f"Between 1 and {longest} days."
        days = self.fields["days"]
        assert isinstance(days, forms.IntegerField)
        days.min_value, days.max_value, days.initial = 1, longest, settings.SHARE_LINK_DEFAULT_DAYS
        days.validators = [MinValueValidator(1, between), MaxValueValidator(longest, between)]
        days.error_messages.update(
            {
                "invalid": "Enter a whole number of days.",
                "required": "Enter a whole number of days.",
            }
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for c in self.choices:
            if c.milestones and c.error:
                self.add_error(f"stage-{c.stage.slug}", c.error)
        if self.errors:
            raise forms.ValidationError("The link was not created: see the messages below.")
        data["milestones"] = [c.chosen for c in self.choices if c.chosen is not None]
        return data


class DecideForm(forms.Form):
    PICK = "Pick approve or request changes."
    outcome = forms.ChoiceField(
        choices=review_decisions.OUTCOMES, error_messages={"required": PICK, "invalid_choice": PICK}
    )
    summary = PlainTextField(
        max_length=4000,
        error_messages={
            "required": "Write a summary: the team reads it first.",
            "max_length": "Keep the summary under 4,000 characters.",
        },
    )


class SignOffForm(forms.Form):
    stage = forms.CharField(required=False)
    component = forms.CharField(required=False)
    note = PlainTextField(required=False)
    withdraw = forms.CharField(required=False)

    def clean_note(self) -> str:
        # The note is a remark beside the sign-off, not worth refusing it for: it is cut.
        return str(self.cleaned_data["note"])[: SignOff._meta.get_field("note").max_length]

    def clean_withdraw(self) -> bool:
        return bool(self.cleaned_data["withdraw"] == "1")


class BulkSignOffForm(forms.Form):
    """Several one-way doors at once: the ticked components (each in every stage), or all."""

    all = forms.BooleanField(required=False)
    note = PlainTextField(required=False)

    def clean_note(self) -> str:
        return str(self.cleaned_data["note"])[: SignOff._meta.get_field("note").max_length]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        ticked = self.data.getlist("door") if isinstance(self.data, QueryDict) else []
        data["components"] = None if data.get("all") else {str(c) for c in ticked if c}
        return data


class CommentBodyForm(forms.Form):
    """A comment's text: the edit form, and the base of the new comment form."""

    body = PlainTextField(required=False)

    def clean_body(self) -> str:
        body = str(self.cleaned_data["body"])
        if not body:
            raise forms.ValidationError("Write something first.")
        if len(body) > Comment.MAX_LENGTH:
            raise forms.ValidationError(
                f"Keep it under {Comment.MAX_LENGTH:,} characters (this is {len(body):,})."
            )
        return body


class CommentForm(CommentBodyForm):
    """A new thread or a reply. `scope` and `scope_milestone` say which block of threads the
    form is in (a stage, or the journey); `anchor` what a new thread is about."""

    scope = forms.CharField(required=False)
    scope_milestone = forms.CharField(required=False)
    anchor = forms.CharField(required=False)

    def __init__(self, journey: Journey, data: Any = None, *, reply: bool = False) -> None:
        super().__init__(data)
        self.journey, self.reply = journey, reply

    def clean_scope(self) -> str:
        stage = str(self.cleaned_data["scope"])
        return stage if is_stage(stage) else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        stage = data.get("scope", "")
        data["milestone"] = review_comments.scope_milestone(
            self.journey, stage, data.get("scope_milestone", "")
        )
        if not self.reply:
            data["anchor"] = review_comments.anchor_for(
                self.journey, stage, data["milestone"], data.get("anchor", "")
            )
        return data


def first_errors(form: forms.Form) -> dict[str, str]:
    """{field: its first message} ("form" for the form's own), as the review templates show
    them beside each field."""
    return {
        ("form" if name == NON_FIELD_ERRORS else name): str(errors[0])
        for name, errors in form.errors.items()
    }
