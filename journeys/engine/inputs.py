"""The engine's inputs made whole: answers with stage defaults, assumptions with the journey's
overrides, and the disaster-recovery strategy that RPO, RTO and availability call for."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from journeys.engine.fmt import fmt
from journeys.engine.tables import (
    ASSUMPTIONS,
    CACHE_LAYERS_IN_APP,
    CORE_NUMBERS,
    DERIVED_INPUTS,
    DR_FALLBACK_REGION,
    DR_LABELS,
    DR_MIN_STRATEGY_FOR_AVAILABILITY,
    DR_PROMISE,
    DR_REGION_PAIRS,
    DR_STRATEGIES,
    DR_THRESHOLDS,
    LIST_ANSWERS,
    OPTIONAL_ANSWERS,
    OPTIONAL_CHOICES,
    OPTIONAL_NUMBERS,
    RATIO_ASSUMPTIONS,
    SECONDS_PER_MONTH,
    STAGE_DEFAULTS,
)
from journeys.vocabulary import CORE_CHOICES


def resolve_assumptions(overrides: Mapping[str, Any] | None = None) -> dict[str, float]:
    """The default assumptions with the journey's overrides applied, or ValueError."""
    values = {name: float(a.value) for name, a in ASSUMPTIONS.items()}
    for name, raw in (overrides or {}).items():
        if name not in ASSUMPTIONS:
            raise ValueError(
                f"Unknown assumption {name!r}; the engine knows {', '.join(sorted(ASSUMPTIONS))}."
            )
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            raise ValueError(f"Assumption {name!r} must be a number, not {raw!r}.")
        try:
            value = float(raw)
        except ValueError:
            raise ValueError(f"Assumption {name!r} must be a number, not {raw!r}.") from None
        if not math.isfinite(value) or value <= 0:
            raise ValueError(f"Assumption {name!r} must be a positive number, not {raw!r}.")
        if name in RATIO_ASSUMPTIONS and value > 1:
            raise ValueError(f"Assumption {name!r} is a ratio: use a number from 0 to 1.")
        values[name] = value
    edges = values["edge_share_north_america"] + values["edge_share_europe"]
    if edges > 1:
        raise ValueError(
            "Assumptions 'edge_share_north_america' and 'edge_share_europe' add up to "
            f"{edges:g}: together they must be at most 1 (the rest is Asia Pacific)."
        )
    return values


def _clean_bool(qid: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("yes", "true"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("no", "false"):
        return False
    raise ValueError(f"Answer {qid}={value!r} must be yes or no.")


def _clean_list(qid: str, value: Any) -> list[str]:
    """A multiple-choice answer: its choices in the engine's order, each once."""
    choices = LIST_ANSWERS[qid]
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise ValueError(f"Answer {qid}={value!r} must be a list of choices.")
    unknown = [v for v in value if v not in choices]
    if unknown:
        raise ValueError(
            f"Answer {qid}: {', '.join(map(repr, unknown))} is not one of {', '.join(choices)}."
        )
    return [c for c in choices if c in value]


def _clean_answer(qid: str, value: Any) -> Any:
    if qid in CORE_CHOICES:
        choices = CORE_CHOICES[qid]
        if isinstance(value, str) and value in choices:
            return value
        # availability_target may arrive as the number 99.9 from an import.
        if qid == "availability_target" and isinstance(value, int | float):
            for choice in choices:
                if float(choice) == value and not isinstance(value, bool):
                    return choice
        raise ValueError(f"Answer {qid}={value!r} is not one of {', '.join(choices)}.")
    if qid in OPTIONAL_CHOICES:
        return _clean_choice(qid, value, OPTIONAL_CHOICES[qid])
    low, high, whole = CORE_NUMBERS.get(qid) or OPTIONAL_NUMBERS[qid]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"Answer {qid}={value!r} must be a number.")
    if not math.isfinite(value) or value < low or (high is not None and value > high):
        top = f" to {fmt(high)}" if high is not None else " or more"
        raise ValueError(f"Answer {qid}={value!r} must be from {fmt(low)}{top}.")
    if whole:
        if value != int(value):
            raise ValueError(f"Answer {qid}={value!r} must be a whole number.")
        return int(value)
    return value


def _clean_choice(qid: str, value: Any, choices: tuple[str, ...]) -> Any:
    """A single choice, or a list of them (a multiple-choice answer), in the choices' order."""
    if isinstance(value, str) and value in choices:
        return value
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        unknown = [v for v in value if v not in choices]
        if not unknown:
            return [c for c in choices if c in value]
    raise ValueError(f"Answer {qid}={value!r} is not one of {', '.join(choices)}.")


_READ = (
    *CORE_CHOICES,
    *CORE_NUMBERS,
    *OPTIONAL_ANSWERS,
    *LIST_ANSWERS,
    *OPTIONAL_CHOICES,
    *OPTIONAL_NUMBERS,
)


def resolve_answers(
    stage: str, answers: Mapping[str, Any], a: Mapping[str, float]
) -> tuple[dict[str, Any], frozenset[str], dict[str, str]]:
    """Every value the engine reads, defaults filled in; the set the team answered; and, for
    each yes/no input a catalogue question decided, that question's id (what findings cite)."""
    values: dict[str, Any] = {}
    answered = set()
    defaults = STAGE_DEFAULTS[stage]
    for qid in _READ:
        raw = answers.get(qid)
        if raw is None:
            default = defaults.get(qid)
            values[qid] = list(default) if isinstance(default, list) else default
            continue
        answered.add(qid)
        if qid in OPTIONAL_ANSWERS:
            values[qid] = _clean_bool(qid, raw)
        elif qid in LIST_ANSWERS:
            values[qid] = _clean_list(qid, raw)
        else:
            values[qid] = _clean_answer(qid, raw)
    sources = derive_inputs(values, answered)
    answered |= sources.keys()
    customers = values["customers"]
    if values["peak_rps"] is None:
        factor = a[f"peak_factor_{values['traffic_pattern']}"]
        monthly = customers * a["requests_per_customer_per_month"]
        values["peak_rps"] = monthly / SECONDS_PER_MONTH * factor
    if values["db_storage_gb"] is None:
        values["db_storage_gb"] = customers * a["db_gb_per_customer"]
    if values["object_storage_gb"] is None:
        values["object_storage_gb"] = customers * a["object_gb_per_customer"]
    return values, frozenset(answered), sources


def derive_inputs(values: dict[str, Any], answered: set[str]) -> dict[str, str]:
    """Set the yes/no inputs that catalogue questions decide (`DERIVED_INPUTS`), unless given
    themselves; returns {input: the question that decided it}."""
    sources: dict[str, str] = {}
    for name, deciders in DERIVED_INPUTS.items():
        if name in answered:
            continue
        for qid, by_choice in deciders:
            if qid in answered and values[qid] in by_choice:
                values[name], sources[name] = by_choice[values[qid]], qid
                break
    if "uses_cache" not in answered and "caching_layers" in answered:
        values["uses_cache"] = bool(CACHE_LAYERS_IN_APP & set(values["caching_layers"]))
        sources["uses_cache"] = "caching_layers"
    return sources


def default_dr_region(region: str) -> str:
    """The paired region of `region`, or us-west-2 (us-east-1 for us-west-2 itself)."""
    if region in DR_REGION_PAIRS:
        return DR_REGION_PAIRS[region]
    return DR_FALLBACK_REGION


def select_dr_strategy(
    rpo_minutes: float, rto_minutes: float, availability_target: str = "99.9"
) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The cheapest strategy that meets RPO, RTO and availability, and why each cheaper one
    fails, in order: ("warm_standby", (("backup_restore", "..."), ("pilot_light", "...")))."""
    floor = DR_MIN_STRATEGY_FOR_AVAILABILITY.get(str(availability_target))
    rejected: list[tuple[str, str]] = []
    for strategy in DR_STRATEGIES:
        min_rpo, min_rto = DR_THRESHOLDS[strategy]
        problems = []
        if rpo_minutes < min_rpo:
            problems.append(f"RPO {fmt(rpo_minutes)} min is below its {min_rpo} min")
        if rto_minutes < min_rto:
            problems.append(f"RTO {fmt(rto_minutes)} min is below its {min_rto} min")
        if floor and DR_STRATEGIES.index(strategy) < DR_STRATEGIES.index(floor):
            problems.append(
                f"availability {availability_target}% needs at least {DR_LABELS[floor]}"
            )
        if not problems:
            return strategy, tuple(rejected)
        rejected.append((strategy, f"{DR_PROMISE[strategy]}; " + "; ".join(problems)))
    raise AssertionError("active_active meets every RPO and RTO")  # thresholds are (0, 0)
