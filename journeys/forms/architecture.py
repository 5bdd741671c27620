"""The architecture forms: the sizing assumptions, a component's overrides, a milestone."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.http import QueryDict

from journeys import architecture, engine, labels
from journeys.models import Journey


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
