"""Number helpers shared by the engine's modules: rounding for sizing, tidy JSON, sentences."""

from __future__ import annotations

import math


def ceil_int(x: float) -> int:
    # 300 / 150 must be 2, not 3 because of a stray 2.0000000000000004.
    return math.ceil(x - 1e-9)


def ceil_half(x: float) -> float:
    return math.ceil(x * 2 - 1e-9) / 2


def tidy(x: float) -> int | float:
    """Whole numbers as int, others rounded: tidy JSON and a hash that survives a round trip."""
    if isinstance(x, bool):
        return x
    if isinstance(x, int):
        return x
    r = round(x, 4)
    return int(r) if r.is_integer() else r


def fmt(x: float) -> str:
    """A number for a sentence: 10,000 / 46.3 / 0.23."""
    if x == 0:
        return "0"
    if abs(x) >= 100:
        return f"{round(x):,}"
    if abs(x) >= 1:
        return f"{x:.1f}".rstrip("0").rstrip(".")
    return f"{x:.2g}"


def plural(n: float, word: str) -> str:
    return f"{fmt(n)} {word}" + ("" if n == 1 else "s")
