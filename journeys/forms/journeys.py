"""The journey forms: its details, deleting it, importing one, and the quick start."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet

from journeys import catalog, quick_start
from journeys.models import Journey, Team
from journeys.regions import REGION_CHOICES


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
