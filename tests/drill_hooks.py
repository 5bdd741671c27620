"""Loaded into the drills' worker only (`celery worker -I tests.drill_hooks`): while the file
`$DRILL_DIR/slow-<kind>` exists, a job of that kind writes its pool child's pid to
`$DRILL_DIR/pid-<kind>` and takes DRILL_SLEEP seconds longer, so the drill can kill -9 the
child in the middle of it. The production code is not changed: its functions are wrapped."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from journeys import drawing, roadmap
from journeys.jobs import estimates

DRILL_DIR = Path(os.environ.get("DRILL_DIR", "/nonexistent"))
SLEEP = float(os.environ.get("DRILL_SLEEP", "5"))


def _slowed(kind: str, work: Callable[..., Any]) -> Callable[..., Any]:
    def slow(*args: Any, **kwargs: Any) -> Any:
        if (DRILL_DIR / f"slow-{kind}").exists():
            (DRILL_DIR / f"pid-{kind}").write_text(str(os.getpid()))
            time.sleep(SLEEP)
        return work(*args, **kwargs)

    return slow


drawing.draw = _slowed("diagram", drawing.draw)
estimates.estimate = _slowed("estimate", estimates.estimate)
roadmap.write_pdf = _slowed("export", roadmap.write_pdf)
