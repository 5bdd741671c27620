"""pdf.roadmap, pdf.size, pdf.memory and pdf.stage_page: the demo journey's roadmap PDF."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

from bench.harness import Result, compare, ratio_result
from journeys import demo, roadmap
from journeys.jobs import exports

ROOT = Path(__file__).resolve().parent.parent
SIZE_BUDGET_MB = 2.0  # issue 15: the demo's whole PDF under 2 MB
# One stage's page with its vector diagram (the largest: Beyond's, 25 components in two
# regions), laid out and written alone.
STAGE_PAGE_BUDGET_S = 1.0

# Run in a fresh interpreter, as a worker child would: make the demo's roadmap once and say
# how much memory the process ever held. VmHWM (the peak resident set, KiB) starts afresh at
# exec; getrusage's ru_maxrss would carry the benchmark process's own peak over.
MEMORY_PROBE = """
import json, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "planner.settings"
sys.path.insert(0, sys.argv[1])

def peak_kib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

import django
django.setup()
import weasyprint  # the worker imports it before it forks
from journeys import demo, roadmap
from journeys.jobs import exports
before = peak_kib()
journey, _ = demo.seed()
sources = roadmap.read_sources(journey, roadmap.live_selection())
pdf = roadmap.write_pdf(exports.compose(journey, sources, "A4"))
print(json.dumps({"before_kib": before, "peak_kib": peak_kib(), "pages": pdf.pages}))
"""


def _memory() -> dict[str, int]:
    done = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, str(ROOT)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "LOG_LEVEL": "WARNING"},
        cwd=ROOT,
    )
    peaks: dict[str, int] = json.loads(done.stdout.strip().splitlines()[-1])
    return peaks


def _stage_page(html: str, stage: str) -> str:
    """The roadmap's head and one stage's diagram section: what one stage page costs."""
    head = html[: html.index("<body>") + len("<body>")]
    start = html.index(f'id="stage-{stage}"')
    start = html.rindex("<section", 0, start)
    end = html.index("</section>", start) + len("</section>")
    return f"{head}\n{html[start:end]}\n</body></html>"


def run() -> list[Result]:
    journey, _ = demo.seed()
    selection = roadmap.live_selection()
    sources = roadmap.read_sources(journey, selection)
    # Diagrams and estimates made beforehand, as they are when people export: the benchmark
    # measures the roadmap, not Graphviz or the price book.
    html = exports.compose(journey, sources, "A4")

    def full_roadmap() -> None:
        fresh = roadmap.read_sources(journey, selection)
        roadmap.write_pdf(exports.compose(journey, fresh, "A4"))

    def weasyprint_alone() -> None:
        roadmap.write_pdf(html)

    stage_html = _stage_page(html, "beyond")
    stage_pdf = roadmap.write_pdf(stage_html)
    stage_times = []
    for _ in range(5):
        start = time.perf_counter()
        roadmap.write_pdf(stage_html)
        stage_times.append(time.perf_counter() - start)
    stage_seconds = sorted(stage_times)[len(stage_times) // 2]

    start = time.perf_counter()
    pdf = roadmap.write_pdf(html)
    once = time.perf_counter() - start
    size_mb = len(pdf.data) / 1024 / 1024
    memory = _memory()
    peak_mb = memory["peak_kib"] / 1024
    budget_mb = settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD / 1024
    print(
        f"pdf.roadmap: {pdf.pages} pages, {len(pdf.data):,} bytes ({size_mb:.2f} MB), "
        f"{once:.2f} s for one render; worker peak memory {peak_mb:.0f} MB "
        f"({memory['before_kib'] / 1024:.0f} MB before the render)"
    )
    return [
        compare(
            "pdf.roadmap",
            full_roadmap,
            f"WeasyPrint alone on the same final HTML ({pdf.pages} pages)",
            weasyprint_alone,
            target=1.3,
            repeat=7,
            warmup=1,
        ),
        ratio_result(
            "pdf.size",
            size_mb,
            "MB",
            f"the {SIZE_BUDGET_MB:.0f} MB budget for the demo's PDF ({pdf.pages} pages)",
            SIZE_BUDGET_MB,
            1.0,
        ),
        ratio_result(
            "pdf.stage_page",
            stage_seconds * 1000,
            "ms",
            f"a {STAGE_PAGE_BUDGET_S:.0f} s budget for one stage's diagram page "
            f"({stage_pdf.pages} page, {len(stage_pdf.data):,} bytes)",
            STAGE_PAGE_BUDGET_S * 1000,
            1.0,
        ),
        ratio_result(
            "pdf.memory",
            peak_mb,
            "MB",
            "worker_max_memory_per_child (a child past it is replaced after its task)",
            budget_mb,
            1.0,
        ),
    ]
