"""Small template filters of the planner."""

from typing import Any

from django import template

from journeys import engine

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
