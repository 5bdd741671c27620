"""Timing helpers and the results file. Pure Python: no Django here."""

from __future__ import annotations

import gc
import json
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Result:
    name: str
    value: float
    unit: str
    baseline: str
    baseline_value: float
    ratio: float
    target: float

    @property
    def ok(self) -> bool:
        return self.ratio <= self.target


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def compare(
    name: str,
    measured: Callable[[], object],
    baseline_name: str,
    baseline: Callable[[], object],
    target: float,
    repeat: int = 50,
    warmup: int = 10,
) -> Result:
    """Medians of `measured` and `baseline`, called alternately so that whatever else the
    machine does in the meantime hits both alike. The garbage collector is paused while timing
    (it is run between calls) so that a collection does not land on one side only."""
    for _ in range(warmup):
        measured()
        baseline()
    values, bases = [], []
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeat):
            values.append(_timed(measured))
            bases.append(_timed(baseline))
            gc.collect(0)
    finally:
        if gc_was_enabled:
            gc.enable()
    value, base = statistics.median(values), statistics.median(bases)
    return ratio_result(name, value, "ms", baseline_name, base, target, scale=1000)


def ratio_result(
    name: str,
    value: float,
    unit: str,
    baseline_name: str,
    base: float,
    target: float,
    scale: float = 1.0,
) -> Result:
    return Result(
        name=name,
        value=round(value * scale, 4),
        unit=unit,
        baseline=baseline_name,
        baseline_value=round(base * scale, 4),
        ratio=round(value / base, 3) if base else float("inf"),
        target=target,
    )


def report(results: list[Result], path: Path) -> str:
    path.write_text(json.dumps([asdict(r) for r in results], indent=2) + "\n")
    header = f"{'name':<24} {'value':>10} {'baseline':>10} {'ratio':>7} {'target':>7}  ok"
    lines = [header, "-" * len(header)]
    for r in results:
        lines.append(
            f"{r.name:<24} {r.value:>8.3f}{r.unit:>2} {r.baseline_value:>8.3f}{r.unit:>2} "
            f"{r.ratio:>7.2f} {r.target:>7.2f}  {'yes' if r.ok else 'NO'}"
        )
        lines.append(f"    baseline: {r.baseline}")
    return "\n".join(lines)
