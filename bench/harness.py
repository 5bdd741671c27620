"""Timing helpers and the results file. Pure Python: no Django here."""

from __future__ import annotations

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


def median_seconds(fn: Callable[[], object], repeat: int, warmup: int = 3) -> float:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def compare(
    name: str,
    measured: Callable[[], object],
    baseline_name: str,
    baseline: Callable[[], object],
    target: float,
    repeat: int = 50,
) -> Result:
    """Median of each, interleaved in rounds so that drift on the machine hits both alike."""
    values, bases = [], []
    rounds = 5
    for _ in range(rounds):
        values.append(median_seconds(measured, max(1, repeat // rounds)))
        bases.append(median_seconds(baseline, max(1, repeat // rounds)))
    value, base = statistics.median(values), statistics.median(bases)
    return Result(
        name=name,
        value=round(value * 1000, 4),
        unit="ms",
        baseline=baseline_name,
        baseline_value=round(base * 1000, 4),
        ratio=round(value / base, 3),
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
