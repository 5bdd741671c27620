"""Overrides: a user's choice of a component parameter, checked field by field (for the web
form) and in combination (min <= count <= max, Aurora classes, Fargate sizes).

`well_formed` and `set_aside` let a caller apply a stored override table that may hold entries
the engine refuses (written before they were checked, or made invalid by a later answer): each
refused entry is set aside as an `IgnoredOverride`, named for the person who can reset it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from journeys.engine.fmt import fmt, tidy
from journeys.engine.state import ArchitectureState, Component, InvalidOverride
from journeys.engine.tables import (
    AURORA_INSTANCE_CLASSES,
    CACHE_NODE_TYPES,
    COGNITO_PLANS,
    DB_INSTANCE_CLASSES,
    FARGATE_MEMORY_GB,
    FARGATE_VCPUS,
    INSTANCE_TYPES,
    INT_RANGES,
    MAX_ACU,
    MIN_ACU,
    NAT_MAX,
    OVERRIDABLE_PARAMS,
    RDS_MAX_STORAGE_GB,
    RELATIONAL_ENGINES,
    SERVERLESS_DB_ENGINES,
)

# How much of a refused value a message repeats: enough to recognise it, never a whole document.
_SHOWN_CHARS = 40


@dataclass(frozen=True)
class IgnoredOverride:
    """A stored override the engine did not apply; `param` is "" when the whole entry of the
    component is unusable (not a table of parameters)."""

    component_id: str
    param: str
    message: str

    @property
    def path(self) -> str:
        return f"{self.component_id}.{self.param}" if self.param else self.component_id

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def shown(value: Any) -> str:
    """A refused value as a message quotes it, cut short: it may be anything at all."""
    text = repr(value)
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1] + "…"


def well_formed(
    overrides: Any,
) -> tuple[dict[str, dict[str, Any]], list[IgnoredOverride]]:
    """The entries of a stored stage override table that have the shape the engine reads
    (component id -> {parameter: value}), and the others set aside."""
    if not isinstance(overrides, Mapping):
        return {}, [IgnoredOverride("overrides", "", "must be a table of components")]
    usable: dict[str, dict[str, Any]] = {}
    ignored: list[IgnoredOverride] = []
    for cid, params in overrides.items():
        if not isinstance(params, Mapping):
            ignored.append(IgnoredOverride(str(cid), "", "must be a table of parameters"))
        elif params:
            usable[str(cid)] = {str(param): value for param, value in params.items()}
    return usable, ignored


def set_aside(
    overrides: Mapping[str, Mapping[str, Any]], error: InvalidOverride
) -> tuple[dict[str, dict[str, Any]], IgnoredOverride]:
    """The table without the entry that `error` refused: the parameter it names, or the whole
    component when the parameter is not among its overrides. Re-raises an error that no
    override caused, so a caller's retry loop always ends."""
    given = overrides.get(error.component_id)
    if given is None:
        raise error
    rest = {cid: dict(params) for cid, params in overrides.items()}
    if error.param in given:
        del rest[error.component_id][error.param]
        if not rest[error.component_id]:
            del rest[error.component_id]
        return rest, IgnoredOverride(error.component_id, error.param, error.message)
    del rest[error.component_id]
    return rest, IgnoredOverride(error.component_id, "", f"{error.param}: {error.message}")


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    # isascii: "١٢" is a digit to Python, and a 5,000-digit string is too long for int().
    text = value.strip() if isinstance(value, str) else ""
    if text.isascii() and text.isdigit() and len(text) <= _SHOWN_CHARS:
        return int(text)
    return None


def _as_float(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value) if isinstance(value, int | float | str) else None
    except (ValueError, OverflowError):
        return None
    return number if number is not None and math.isfinite(number) else None


def _as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = value.strip().lower()
        if text in ("true", "yes", "on", "1"):
            return True
        if text in ("false", "no", "off", "0"):
            return False
    return None


def clean_field(cid: str, kind: str, param: str, value: Any) -> Any:
    """One override value checked on its own: type, allowed list, range."""
    allowed = OVERRIDABLE_PARAMS.get(kind, ())
    if param not in allowed:
        if not allowed:
            raise InvalidOverride(cid, param, f"a {kind} component has no overridable parameter")
        raise InvalidOverride(
            cid, param, f"cannot be overridden; choose one of {', '.join(allowed)}"
        )
    lists = {
        "instance_type": INSTANCE_TYPES,
        "instance_class": DB_INSTANCE_CLASSES,
        "node_type": CACHE_NODE_TYPES,
        "engine": SERVERLESS_DB_ENGINES if kind == "serverless_db" else RELATIONAL_ENGINES,
        "plan": COGNITO_PLANS,
    }
    if param in lists:
        options = lists[param]
        text = value.strip() if isinstance(value, str) else value
        if text not in options:
            raise InvalidOverride(
                cid, param, f"{shown(value)} is not offered; choose one of {', '.join(options)}"
            )
        return text
    if param == "multi_az":
        flag = _as_bool(value)
        if flag is None:
            raise InvalidOverride(cid, param, f"{shown(value)} must be true or false")
        return flag
    if param == "vcpu":
        number = _as_float(value)
        if number is None or number not in FARGATE_MEMORY_GB:
            sizes = ", ".join(fmt(v) for v in FARGATE_VCPUS)
            raise InvalidOverride(cid, param, f"{shown(value)} is not a Fargate size; use {sizes}")
        return tidy(number)
    if param in ("memory_gb", "min_acu", "max_acu"):
        number = _as_float(value)
        low, high = (0.5, 120.0) if param == "memory_gb" else (MIN_ACU, MAX_ACU)
        if number is None or not low <= number <= high or number * 2 != int(number * 2):
            raise InvalidOverride(
                cid, param, f"{shown(value)} must be from {fmt(low)} to {fmt(high)} in steps of 0.5"
            )
        return tidy(number)
    low, high = INT_RANGES[param]
    if kind == "nat_gateway":
        high = NAT_MAX
    if param in ("count", "min", "tasks") and cid.startswith("dr-"):
        low = 0  # a pilot-light fleet waits at zero
    number = _as_int(value)
    if number is None or not low <= number <= high:
        raise InvalidOverride(
            cid, param, f"{shown(value)} must be a whole number from {low:,} to {high:,}"
        )
    return number


def check_combination(
    cid: str, kind: str, params: Mapping[str, Any], overridden: Iterable[str]
) -> None:
    """Relations between parameters. A parameter the engine chose yields to the overridden one
    (it is re-derived), so only pairs where the user fixed the deciding side are checked."""
    pinned = set(overridden)
    count_key = "tasks" if kind == "container_service" else "count"
    if count_key in params and "min" in params:
        lo, n, hi = params["min"], params[count_key], params["max"]
        for a_key, a_val, b_key, b_val in (
            ("min", lo, count_key, n),
            (count_key, n, "max", hi),
            ("min", lo, "max", hi),
        ):
            if a_key in pinned and b_key in pinned and a_val > b_val:
                raise InvalidOverride(
                    cid, b_key, f"{a_key} {a_val} is above {b_key} {b_val}; keep min ≤ count ≤ max"
                )
    engine = params.get("engine", "")
    aurora = engine.startswith("aurora")
    if (
        "instance_class" in pinned
        and aurora
        and params["instance_class"] not in AURORA_INSTANCE_CLASSES
    ):
        raise InvalidOverride(
            cid,
            "instance_class",
            f"Aurora does not run on {params['instance_class']}; choose one of "
            f"{', '.join(AURORA_INSTANCE_CLASSES)}",
        )
    rds = kind == "relational_db" and not aurora
    if "storage_gb" in pinned and rds and not 20 <= params["storage_gb"] <= RDS_MAX_STORAGE_GB:
        raise InvalidOverride(
            cid, "storage_gb", f"RDS storage must be from 20 to {RDS_MAX_STORAGE_GB:,} GB"
        )
    if "memory_gb" in pinned and "vcpu" in params:
        low, high = FARGATE_MEMORY_GB[params["vcpu"]]
        if not low <= params["memory_gb"] <= high:
            raise InvalidOverride(
                cid,
                "memory_gb",
                f"a {fmt(params['vcpu'])}-vCPU Fargate task takes {fmt(low)} to {fmt(high)} GB",
            )
    if {"min_acu", "max_acu"} <= pinned and params["min_acu"] > params["max_acu"]:
        raise InvalidOverride(cid, "max_acu", "max_acu must be at least min_acu")
    if "azs" in pinned and count_key in pinned and params.get("azs", 0) > params[count_key]:
        raise InvalidOverride(
            cid, "azs", f"{params['azs']} AZs need at least {params['azs']} instances"
        )


def validate_override(
    state_or_components: ArchitectureState | Iterable[Component],
    component_id: str,
    param: str,
    value: Any,
) -> Any:
    """The cleaned value of one override field, or InvalidOverride; for the web form."""
    components = (
        state_or_components.components
        if isinstance(state_or_components, ArchitectureState)
        else state_or_components
    )
    component = next((c for c in components if c.id == component_id), None)
    if component is None:
        raise InvalidOverride(component_id, param, "no such component in this stage")
    cleaned = clean_field(component_id, component.kind, param, value)
    # AZs are a field of the component, not a param, but relate to the count.
    current = {**component.params, "azs": component.azs, param: cleaned}
    check_combination(component_id, component.kind, current, {*component.overridden, param})
    return cleaned


def merge_range(params: dict[str, Any], ov: Mapping[str, Any], count_key: str) -> None:
    """Apply min/count/max overrides; the engine's own values move to make room for them."""
    if not ({"min", "max", count_key} & ov.keys()):
        return
    lo = ov.get("min", params["min"])
    hi = ov.get("max", params["max"])
    n = ov.get(count_key, params[count_key])
    if count_key not in ov:
        n = min(max(n, lo) if "min" in ov else n, hi) if "max" in ov else max(n, lo)
    if "min" not in ov:
        lo = min(lo, n)
    if "max" not in ov:
        hi = max(hi, n)
    params.update({"min": lo, count_key: n, "max": hi})
