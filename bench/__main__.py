"""Run the benchmarks on a database of their own and write bench/results.json."""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def main() -> int:
    sys.path.insert(0, str(ROOT))
    var = ROOT / "var"
    var.mkdir(exist_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{var / 'bench.sqlite3'}")
    os.environ["DJANGO_SETTINGS_MODULE"] = "planner.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.ROOT_URLCONF = "bench.urls"
    call_command("migrate", verbosity=0)

    from bench import diagram, engine, estimate, harness, pdf, quick_start, reviews, wizard

    results = [
        *wizard.run(),
        *quick_start.run(),
        *engine.run(),
        *diagram.run(),
        *estimate.run(),
        *reviews.run(),
        *pdf.run(),
    ]
    print(harness.report(results, HERE / "results.json"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
