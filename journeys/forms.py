"""Forms: validation of what people type, with messages next to the field that caused them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import transaction
from django.db.models import QuerySet
from django.http import QueryDict

from journeys import answers, architecture, catalog, engine, labels, quick_start
from journeys.models import Answer, Comment, Journey, Membership, SignOff, Team
from journeys.regions import REGION_CHOICES
from journeys.reviews import comments as review_comments
from journeys.reviews import decisions as review_decisions
from journeys.reviews import submissions as review_submissions
from journeys.vocabulary import NA_REASONS, STAGES, is_stage


class JourneyForm(forms.ModelForm):
    class Meta:
        model = Journey
        fields = ["name", "description", "team", "region", "dr_region"]
        labels = {"region": "Region", "dr_region": "Disaster-recovery region (optional)"}
        help_texts = {
            "region": "Where the workload runs first.",
            "dr_region": "Where it recovers after a regional outage. Leave empty to let the "
            "planner pick the usual pair of the region.",
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, teams: QuerySet[Team] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if teams is None:
            del self.fields["team"]
        else:
            team = cast(forms.ModelChoiceField, self.fields["team"])
            team.queryset, team.empty_label = teams, None
        dr_region = cast(forms.ChoiceField, self.fields["dr_region"])
        dr_region.choices = [("", "— chosen by the planner —"), *REGION_CHOICES]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("dr_region") and data.get("dr_region") == data.get("region"):
            self.add_error("dr_region", "The recovery region must differ from the main region.")
        return data


class DeleteJourneyForm(forms.Form):
    """Deleting cannot be undone, so the journey's name is typed to confirm it."""

    confirm_name = forms.CharField(
        label="Type the journey's name to confirm",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, journey: Journey, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.journey = journey

    def clean_confirm_name(self) -> str:
        name: str = self.cleaned_data["confirm_name"]
        if name.strip() != self.journey.name.strip():
            raise forms.ValidationError("Type the journey's name exactly to delete it.")
        return name


class SignupForm(UserCreationForm):
    email = forms.EmailField(required=True)
    team_name = forms.CharField(
        max_length=100, label="Team name", help_text="Your first team. You can add people later."
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    @transaction.atomic
    def save(self, commit: bool = True) -> User:
        user: User = super().save(commit=True)
        name = self.cleaned_data["team_name"].strip()
        team = Team.objects.create(name=name, slug=Team.unique_slug(name))
        Membership.objects.create(team=team, user=user, role=Membership.OWNER)
        return user


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name"]


class AddMemberForm(forms.Form):
    username = forms.CharField(max_length=150)
    role = forms.ChoiceField(
        choices=[
            (Membership.EDITOR, "Editor — changes the team's journeys"),
            (Membership.VIEWER, "Viewer — reads them"),
            (Membership.OWNER, "Owner — an editor who also manages members"),
        ],
        initial=Membership.EDITOR,
    )

    def __init__(self, team: Team, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.team = team

    def clean_username(self) -> User:
        username = self.cleaned_data["username"].strip()
        user = User.objects.filter(username__iexact=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(f"There is no user called “{username}”.")
        if Membership.objects.filter(team=self.team, user=user).exists():
            raise forms.ValidationError(f"{user.username} is already in this team.")
        return user

    def save(self) -> Membership:
        return Membership.objects.create(
            team=self.team, user=self.cleaned_data["username"], role=self.cleaned_data["role"]
        )


class RemoveMemberForm(forms.Form):
    """Taking someone out of a team: nothing is typed, but a team keeps at least one owner."""

    def __init__(self, membership: Membership, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.membership = membership

    def clean(self) -> dict[str, Any]:
        membership = self.membership
        owners = Membership.objects.filter(team=membership.team_id, role=Membership.OWNER)
        if membership.role == Membership.OWNER and owners.count() == 1:
            raise forms.ValidationError("A team needs at least one owner: add another owner first.")
        return self.cleaned_data


class ImportForm(forms.Form):
    file = forms.FileField(label="Journey file (JSON)")
    team = forms.ModelChoiceField(queryset=Team.objects.none(), empty_label=None)

    MAX_BYTES = 1_000_000

    def __init__(self, *args: Any, teams: QuerySet[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["team"]).queryset = teams

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The file is larger than 1 MB; a journey is far smaller.")
        content: bytes = upload.read()
        return content


# The checkbox of a multiple-choice question that says "none of these apply" (an answer).
NONE_OF_THESE = "none_of_these"
NONE_SHOWN = "none_shown"


class AnswerForm(forms.Form):
    """One question's answer: a value, or "not applicable" with a reason, and a note.

    The value is validated by the catalogue's `Question.clean`, the single rule shared with
    the JSON import, so both accept and refuse exactly the same things. The template draws the
    inputs itself from `shown()`, per question type.

    The form also carries the version of the answer it was drawn from, so that a save over
    someone else's newer change is refused (`answers.AnswerChanged`, see `refuse`). Its two
    buttons then settle it: "Use my value" sends `overwrite`, the version it was shown;
    "Use their value" sends `discard`.
    """

    # Plain fields only: a form is built on every autosave, and Django deep-copies its fields.
    value = forms.CharField(required=False, strip=False)
    note = forms.CharField(required=False, max_length=2000)
    na = forms.BooleanField(required=False)
    na_reason = forms.CharField(required=False, max_length=30)
    # The page knew of a submission: an edit may then bring the journey back to it (see
    # `answers.settle_status`); without it a draft's autosave stays one statement.
    submitted = forms.BooleanField(required=False)
    # Not fields, read in `clean`: the version the page was drawn from ("version") and the one
    # "Use my value" replaces ("overwrite"); any text reads as a version or as "no answer".

    NA_REASONS = frozenset(reason for reason, _ in NA_REASONS)

    def __init__(
        self,
        question: catalog.Question,
        data: QueryDict | None = None,
        *,
        answer: Answer | None = None,
    ) -> None:
        self.question = question
        self.answer = answer
        self.conflict: answers.AnswerChanged | None = None
        super().__init__(data, auto_id=f"id_{question.id}_%s")

    @property
    def discards_mine(self) -> bool:
        """ "Use their value" was pressed: nothing is saved, the stored answer is shown."""
        return self.is_bound and "discard" in self.data

    def refuse(self, conflict: answers.AnswerChanged) -> None:
        """The save met someone else's change: say so, and keep what this person typed."""
        self.conflict = conflict
        self.add_error(None, "This answer was changed by someone else after the page was opened.")

    def version_token(self) -> str:
        """The version the next save from this form is based on: the stored answer's once it
        is saved or drawn afresh; else (refused or invalid) still the one the page had, so that
        a refused save stays refused until the person chooses."""
        if self.is_bound and self.errors:
            return str(answers.parse_version(self.data.get("version")))
        return str(answers.version_of(self.answer))

    def _sent_value(self) -> str | list[str]:
        """The value as sent: every ticked box of a multiple choice, else the one input."""
        if self.question.type == "multiple":
            return self.data.getlist("value") if isinstance(self.data, QueryDict) else []
        return str(self.data.get("value", ""))

    def shown(self) -> dict[str, Any]:
        """What the inputs show: what the user sent when it was refused, what is kept when it
        was accepted (e.g. "1,500" typed, 1500 kept), else what is stored."""
        q = self.question
        if self.is_bound and self.errors:
            return {
                "value": self._sent_value(),
                "none": bool(self.data.get(NONE_OF_THESE)),
                "note": self.data.get("note", ""),
                "na": bool(self.data.get("na")),
                "na_reason": self.data.get("na_reason", ""),
            }
        if self.is_bound:
            data = self.cleaned_data
            return {
                "value": _as_input(q, data["value"]),
                "none": data["value"] == [],
                "note": data["note"],
                "na": bool(data["na_reason"]),
                "na_reason": data["na_reason"],
            }
        answer = self.answer
        if answer is None:
            return {
                "value": [] if q.type == "multiple" else "",
                "none": False,
                "note": "",
                "na": False,
                "na_reason": "",
            }
        return {
            "value": _as_input(q, answer.value),
            "none": answer.value == [] and not answer.not_applicable,
            "note": answer.note,
            "na": bool(answer.not_applicable),
            "na_reason": answer.not_applicable,
        }

    def _none_or_ticked(self, ticked: str | list[str]) -> list[str]:
        """ "None of these" came with ticked boxes: one of the two was clicked last. Each click
        saves, so what the form showed says which: if it showed "none of these", a box was
        ticked now (the boxes win); otherwise "none of these" was ticked now (it wins)."""
        ticked_list = [str(v) for v in ticked] if isinstance(ticked, list) else [str(ticked)]
        if _is_blank(ticked_list):
            return []
        # The form says what it showed (no query on the autosave path).
        return ticked_list if self.data.get(NONE_SHOWN) == "1" else []

    def clean(self) -> dict[str, Any]:
        data = self.cleaned_data
        q = self.question
        # "Use my value" replaces the version that the refusal showed.
        sent = self.data.get("overwrite") or self.data.get("version")
        data["version"] = answers.parse_version(sent)
        if data.get("na"):
            if not data.get("na_reason"):
                self.add_error("na_reason", "Choose why this question does not apply.")
            elif data["na_reason"] not in self.NA_REASONS:
                self.add_error("na_reason", "Choose one of the listed reasons.")
            data["value"] = None
            return data
        data["na_reason"] = ""
        raw = self._sent_value()
        if q.type == "multiple" and self.data.get(NONE_OF_THESE):
            raw = self._none_or_ticked(raw)
            if raw == []:
                data["value"] = []  # "None of these" is an answer, not a blank
                return data
        if _is_blank(raw):
            # Left open: required questions show as open in the progress, not as an error,
            # so a note can be written before the answer is known.
            data["value"] = None
            return data
        try:
            data["value"] = q.clean(raw)
        except catalog.InvalidAnswer as error:
            self.add_error("value", str(error))
        return data


class AssumptionField(forms.Field):
    """One sizing assumption, typed as people write numbers ("1,500"); the engine's own
    `resolve_assumptions` says whether it is acceptable, so the form and the engine cannot
    disagree."""

    widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def __init__(self, name: str, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)
        self.name = name

    def to_python(self, value: Any) -> float | None:
        text = str(value).strip() if value is not None else ""
        if not text:
            return None
        try:
            return float(text.replace(",", ""))
        except ValueError:
            raise forms.ValidationError("Enter a number.", code="invalid") from None

    def validate(self, value: Any) -> None:
        if value is None:
            return
        try:
            engine.resolve_assumptions({self.name: value})
        except ValueError as error:
            raise forms.ValidationError(str(error), code="invalid") from None


class AssumptionsForm(forms.Form):
    """The journey's sizing assumptions: one field per assumption the engine knows, shown
    with the journey's value or the engine's default. A field left empty means the default."""

    def __init__(
        self,
        data: QueryDict | None = None,
        *,
        current: Mapping[str, float],
        editable: bool = True,
    ) -> None:
        super().__init__(data, auto_id="as-%s")
        for name, assumption in engine.ASSUMPTIONS.items():
            self.fields[name] = AssumptionField(
                name,
                label=assumption.description,
                initial=current.get(name, assumption.value),
                disabled=not editable,
            )

    def chosen(self) -> dict[str, float]:
        """The assumptions that differ from the engine's defaults: only those are stored, so
        a later change of a default reaches every journey that did not choose otherwise."""
        chosen: dict[str, float] = {}
        for name, value in self.cleaned_data.items():
            if value is not None and value != engine.ASSUMPTIONS[name].value:
                chosen[name] = int(value) if value.is_integer() else value
        return chosen


class OverrideForm(forms.Form):
    """New values for one component's parameters.

    Only the parameters that differ from what the component has now become overrides. The
    engine checks each one (`validate_override`) and then all of them together with the
    stage's answers (min <= count <= max, Aurora classes ...); `overrides` is then the
    journey's whole override table with the change in it.
    """

    def __init__(
        self,
        journey: Journey,
        stage: str,
        state: engine.ArchitectureState,
        component: engine.Component,
        data: QueryDict | None = None,
    ) -> None:
        super().__init__(data, auto_id=f"ov-{component.id}-%s")
        self.journey, self.stage, self.state, self.component = journey, stage, state, component
        self.overrides: dict[str, Any] = journey.overrides
        for param, (value, options) in architecture.override_fields(component).items():
            widget: forms.Widget = (
                forms.Select(choices=[(option, _option_label(param, option)) for option in options])
                if options
                else forms.TextInput(attrs={"inputmode": "decimal"})
            )
            unit = labels.PARAM_LABELS.get(param, ("", ""))[1]
            label = labels.param_label(param) + (f" ({unit})" if unit else "")
            self.fields[param] = forms.CharField(
                label=label, required=False, initial=value, widget=widget
            )

    def clean(self) -> dict[str, Any]:
        data = self.cleaned_data
        changes: dict[str, Any] = {}
        for param, field in self.fields.items():
            # A parameter the request leaves out keeps its value, as does an unchanged one.
            if param not in self.data or param in self.errors or data[param] == field.initial:
                continue
            try:
                changes[param] = engine.validate_override(
                    self.state, self.component.id, param, data[param]
                )
            except engine.InvalidOverride as error:
                self.add_error(param, error.message)
        if self.errors or not changes:
            return data
        trial = architecture.overrides_with(self.journey, self.stage, self.component.id, changes)
        try:
            architecture.check_overrides(
                self.journey, self.stage, trial[self.stage], self.component.id
            )
        except engine.InvalidOverride as error:
            self.add_error(error.param if error.param in self.fields else None, error.message)
        else:
            self.overrides = trial
        return data


def _option_label(param: str, option: str) -> str:
    """An override's option as people read it: "true" is "Yes", an engine name its name."""
    return {"true": "Yes", "false": "No"}.get(option) or labels.param_value(param, option)


class MilestoneForm(forms.Form):
    note = forms.CharField(
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": "Note (optional)"}),
    )


def _is_blank(raw: Any) -> bool:
    if isinstance(raw, list):
        return not any(str(v).strip() for v in raw)
    return not str(raw).strip()


def _as_input(q: catalog.Question, value: Any) -> Any:
    """A stored value as its input shows it: yes/no for booleans, strings for the rest."""
    if value is None:
        return [] if q.type == "multiple" else ""
    if q.type == "multiple":
        return [str(v) for v in value]
    if q.type == "yes_no":
        return "yes" if value else "no"
    return str(value)


# --- Review POSTs: submit, decide, sign off, comment, share ---------------------------------------
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


def _catalogue_choices(question_id: str) -> list[tuple[str, str]]:
    """A catalogue question's choices as a form offers them, from the first stage asking it."""
    stage = quick_start.first_stage_asking(question_id)
    if stage is None:
        return []
    return [(c.value, c.label) for c in catalog.get().question(stage, question_id).choices]


class QuickStartForm(forms.Form):
    """About ten answers that fill a whole journey (`journeys.quick_start`). Numbers are read
    as people type them ("1,500") by the catalogue's own rule for customers."""

    product = forms.ChoiceField(
        label="What is the product?",
        choices=[(key, p.label) for key, p in quick_start.PRODUCTS.items()],
        widget=forms.RadioSelect,
    )
    customers_now = forms.CharField(
        label="Customers now, or at launch",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text="Customers or monthly active users: plans the Launch stage.",
    )
    customers_1y = forms.CharField(
        label="Customers in one year",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text="Plans the Growth stage.",
    )
    customers_3y = forms.CharField(
        label="Customers in three years",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text="Plans the Scale stage; Beyond grows from it.",
    )
    region = forms.ChoiceField(
        label="Region", choices=REGION_CHOICES, help_text="Where the workload runs first."
    )
    data_residency = forms.ChoiceField(
        label="Must customer data stay within one country or jurisdiction?",
        choices=[("no", "No"), ("yes", "Yes")],
        widget=forms.RadioSelect,
        help_text="Decides where the disaster-recovery copy may live.",
    )
    availability_target = forms.ChoiceField(label="Availability the business needs")
    recovery = forms.ChoiceField(
        label="How much data loss and downtime can the business accept after a disaster?",
        choices=[(key, label) for key, (label, _, _) in quick_start.RECOVERY.items()],
        widget=forms.RadioSelect,
    )
    compute_model = forms.ChoiceField(label="How should the application run?")
    database_engine = forms.ChoiceField(label="Which database for the primary data?")
    customer_identity = forms.ChoiceField(label="How do customers sign in?")

    def __init__(self, journey: Journey, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"region": journey.region})
        super().__init__(*args, **kwargs)
        self.journey = journey
        for qid in quick_start.CARRIED:
            cast(forms.ChoiceField, self.fields[qid]).choices = _catalogue_choices(qid)
        if quick_start.first_stage_asking(quick_start.RESIDENCY) is None:
            del self.fields[quick_start.RESIDENCY]  # a catalogue without the question

    def _customers(self, field: str) -> int | None:
        stage = quick_start.CUSTOMER_STAGES[field]
        question = catalog.get().question(stage, "customers")
        try:
            return int(question.clean(self.cleaned_data.get(field, "")))
        except catalog.InvalidAnswer as error:
            raise forms.ValidationError(error.message) from None

    def clean_customers_now(self) -> int | None:
        return self._customers("customers_now")

    def clean_customers_1y(self) -> int | None:
        return self._customers("customers_1y")

    def clean_customers_3y(self) -> int | None:
        return self._customers("customers_3y")

    def clean_data_residency(self) -> bool:
        return bool(self.cleaned_data["data_residency"] == "yes")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        now, year, three = (data.get(f) for f in quick_start.CUSTOMER_STAGES)
        if now is not None and year is not None and year < now:
            self.add_error("customers_1y", "Plan for at least as many customers as now.")
        if year is not None and three is not None and three < year:
            self.add_error("customers_3y", "Plan for at least as many customers as in one year.")
        region = data.get("region")
        if region and region == self.journey.dr_region:
            self.add_error(
                "region",
                f"{region} is this journey's recovery region: pick another region, or change "
                "the recovery region in the journey's details first.",
            )
        return data
