"""Small template filters of the planner."""

from decimal import Decimal
from typing import Any

from django import template

from journeys import engine, labels

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """`mapping|get_item:key`, for dictionaries keyed by variables."""
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def dr_label(strategy: str) -> str:
    """A disaster-recovery strategy's readable name."""
    return engine.DR_LABELS.get(strategy, strategy.replace("_", " "))


@register.filter
def usd(value: Any, places: int = 2) -> str:
    """A dollar amount for reading: "$1,234.50"; small unit prices keep their digits."""
    if value in (None, ""):
        return ""
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return ""
    places = int(places)
    if places > 2:
        text = f"{number:,.{places}f}".rstrip("0")
        text = text + "00" if text.endswith(".") else text
        whole, _, fraction = text.partition(".")
        text = f"{whole}.{fraction.ljust(2, '0')}"
        return f"${text}"
    return f"${number:,.{places}f}"


# The display vocabulary (journeys/labels.py): one word for one thing on every page.
for _name in (
    "kind_label", "param_label", "risk_label", "stage_label", "money", "money_per_customer",
    "duration", "number",
):  # fmt: skip
    register.filter(_name, getattr(labels, _name))
register.filter("plain", lambda text, stage="": labels.plain(text, stage))


@register.filter
def param_value(value: Any, param: str) -> str:
    """`value|param_value:name` — a parameter's value with its unit, booleans as words."""
    return labels.param_value(param, value)


@register.filter
def cost_for(summary: Any, stage: str) -> dict[str, Any]:
    """`summary|cost_for:stage` — one stage's row of a cost summary (empty when not priced)."""
    return next((row for row in summary or () if row.get("stage") == stage), {})


@register.filter
def sentence(text: Any) -> str:
    """Text shown after another sentence: a capital first and a full stop at the end."""
    words = str(text or "").strip()
    if not words:
        return ""
    words = words[:1].upper() + words[1:]
    return words if words.endswith((".", "!", "?")) else words + "."


@register.filter
def override_path(path: str, names: Any = None) -> str:
    """An override's "component.parameter" as people read it: "Web servers · Instances" (with
    the panel's component names), or only "Instances" without them."""
    component, _, param = str(path).partition(".")
    label = labels.param_label(param) if param else labels.words(component)
    if names is None:
        return label
    return f"{(names or {}).get(component) or labels.words(component)} · {label}"
