"""The demo journey's roadmap as a stakeholder reads it (issue 15): executive summary first,
each stage's diagram as vector drawing, a body of at most twelve pages, the review status on
the cover and in every footer, the engineering detail in the appendix, and no internal
identifier anywhere. PNGs of the pages a person should look at go to var/screenshots/.
"""

from __future__ import annotations

import html
import io
import re
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from pypdf import PdfReader

from journeys import demo, engine, labels, roadmap
from journeys.jobs import exports
from journeys.models import Diagram, Estimate
from journeys.roadmap import costs
from journeys.roadmap.fetcher import SafeURLFetcher
from journeys.roadmap.status import DRAFT
from journeys.roadmap.words import plain

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
SNAKE_CASE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
# Money with more than two decimals that does not say what it is a price of ("per hour").
BARE_FRACTION = re.compile(r"\$[\d,]+\.\d{3,}(?!\d| per )")


@pytest.fixture(autouse=True)
def snapshot_prices(settings: Any) -> None:
    settings.PRICING_SOURCE = "snapshot"


@pytest.fixture
def demo_pdf(db: Any, media_root: Path) -> tuple[Any, list[str], bytes]:
    journey, _ = demo.seed()
    sources = roadmap.read_sources(journey, roadmap.live_selection())
    pdf = roadmap.write_pdf(exports.compose(journey, sources, "A4"))
    reader = PdfReader(io.BytesIO(pdf.data))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    return journey, pages, pdf.data


def page_of(pages: list[str], text: str) -> int:
    """The 1-based number of the first page holding `text`."""
    found = [number for number, page in enumerate(pages, 1) if text in page]
    assert found, f"no page holds {text!r}"
    return found[0]


def test_the_demo_roadmap_reads_as_issue_15_asks(demo_pdf: tuple[Any, list[str], bytes]) -> None:
    journey, pages, data = demo_pdf
    assert len(data) < 2 * 1024 * 1024
    assert DRAFT in pages[0]  # the status line on the cover …
    assert all(DRAFT in page for page in pages[1:])  # … and in every footer
    assert "Based on 72 answers" in pages[0]
    assert page_of(pages, "The plan grows the workload") in (2, 3)
    appendix = page_of(pages, "The engineering detail behind the figures")
    assert appendix - 1 <= 12, f"the body has {appendix - 1} pages"

    for estimate in Estimate.objects.filter(journey=journey, status=Estimate.DONE):
        diagram = Diagram.objects.get(journey=journey, stage=estimate.stage, status=Diagram.DONE)
        drawn = page_of(pages, f"Architecture of the {estimate.stage.title()} stage")
        # Every label of the drawing (its components, zones and regions) is text on the
        # diagram's page: the drawing is vector, not a picture.
        svg = diagram.svg.open("rb").read().decode()
        texts = [
            " ".join(html.unescape(t).split())
            for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)
        ]
        assert len(texts) >= 5
        for text in texts:
            assert text in pages[drawn - 1], (estimate.stage, text)
        # The appendix holds every line item, with its money to the cent.
        after = " ".join(pages[appendix - 1 :])
        for line in estimate.result["lines"]:
            assert labels.money(line["monthly_usd"]) in after
        assert f"Line items: {estimate.stage.title()}" in after
        assert diagram.svg

    text = " ".join(pages)
    assert not SNAKE_CASE.findall(text)
    assert not re.findall(r"\b(?:True|False|None)\b", text)
    assert not BARE_FRACTION.findall(text), BARE_FRACTION.findall(text)[:5]
    # The headers do not break inside a word (the old summary read "Customer s").
    assert "Stage Customers Move on when Per month Per customer Availability and recovery" in text

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdf = SCREENSHOTS / "roadmap-demo.pdf"
    pdf.write_bytes(data)
    shots = {"cover": 1, "summary": 2, "stage": page_of(pages, "Architecture of the Launch")}
    shots["stage-detail"] = shots["stage"] + 1
    for name, number in shots.items():
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "80",
                "-f",
                str(number),
                "-l",
                str(number),
                "-singlefile",
                str(pdf),
                str(SCREENSHOTS / f"roadmap-{name}"),
            ],
            check=True,
        )
        assert (SCREENSHOTS / f"roadmap-{name}.png").stat().st_size > 10_000


def test_the_stored_diagram_refers_only_to_data_uris_the_fetcher_accepts(
    demo_pdf: tuple[Any, list[str], bytes],
) -> None:
    journey, _, _ = demo_pdf
    fetcher = SafeURLFetcher([])
    for diagram in Diagram.objects.filter(journey=journey, status=Diagram.DONE):
        svg = diagram.svg.open("rb").read().decode()
        hrefs = re.findall(r'href="([^"]*)"', svg)
        assert hrefs and all(h.startswith(("data:", "#")) for h in hrefs)
        icon = next(h for h in hrefs if h.startswith("data:"))
        response = fetcher.fetch(icon)
        assert response.read().startswith(b"\x89PNG")


def test_a_cost_per_customer_is_printed_to_the_cent_per_as_many_customers_as_it_takes() -> None:
    assert labels.money_per_customers("0.641") == "$0.64 per customer"
    assert labels.money_per_customers("0.0283334") == "$28.33 per 1,000 customers"
    assert labels.money_per_customers("0.00000004") == "$0.04 per million customers"
    assert labels.money_per_customers("12.5") == "$12.50 per customer"


def test_engine_text_naming_answers_by_id_is_said_in_words() -> None:
    said = plain("launch", "the primary store is postgresql (database_engine=postgresql)")
    assert "database_engine" not in said and "database engine: PostgreSQL" in said
    assert plain("launch", "Customer identity: in_app") == "Customer identity: in app"


def test_an_answer_listing_several_choices_is_said_by_their_labels() -> None:
    said = plain("scale", "patterns (purpose_built_stores=key_value,caching (scale default)): 30%")
    assert said == (
        "patterns (purpose built stores: High-volume key-value lookups (Amazon DynamoDB), "
        "Hot data and sessions (Amazon ElastiCache) (scale default)): 30%"
    )


def test_unit_prices_say_their_unit_and_the_cost_by_service_is_a_handful_of_rows() -> None:
    assert costs.unit_price("0.0116", "Hrs") == "$0.0116 per hour"
    assert costs.unit_price("0.5", "Mo") == "$0.50 per month"
    assert costs.priced_text("free, then $0.015 (list price)", "MAU") == (
        "free, then $0.015 per monthly active user (list price)"
    )
    state = engine.recommend("growth", {})
    lines = [
        {"component": c.id, "monthly_usd": str(Decimal(i + 1)), "group": "primary"}
        for i, c in enumerate(state.components)
    ] + [{"component": "dr-x", "monthly_usd": "5", "group": "dr"}]
    rows = costs.by_service(lines, state, "eu-central-1")
    assert len(rows) <= costs.SERVICE_ROWS + 2
    assert rows[-1]["service"] == "Recovery region (eu-central-1)"
    total = sum(Decimal(r["monthly"].strip("$").replace(",", "")) for r in rows)
    assert total == sum(Decimal(line["monthly_usd"]) for line in lines)


def test_a_roadmap_past_its_approval_says_what_changed_and_which_stages_are_drafts(
    journey: Any, editor: Any, architect: Any
) -> None:
    from journeys import catalog, vocabulary
    from journeys.milestones import save_milestone
    from journeys.models import Answer, Decision
    from journeys.reviews import submissions

    for stage in vocabulary.STAGES:
        save_milestone(journey, stage, "", editor)
    submission = submissions.submit(journey, editor, {}, "")
    Decision.objects.create(
        submission=submission, outcome="approved", summary="Go.", architect=architect
    )
    approved = dict.fromkeys(vocabulary.STAGES, 1)
    sources = roadmap.read_sources(journey, approved)
    html = exports.compose(journey, sources, "A4")
    assert html.count("Approved by ada on") >= 5  # the cover, and each stage
    assert "What changed since the approved roadmap" not in html

    Answer.objects.create(
        journey=journey,
        stage="growth",
        question="compute_model",
        value=catalog.question("growth", "compute_model").clean("containers"),
        catalogue_version=catalog.get().version,
    )
    mixed = {**approved, "growth": None}
    html = exports.compose(journey, roadmap.read_sources(journey, mixed), "A4")
    assert "Partly approved: Launch, Scale, Beyond approved by ada on" in html
    assert "What changed since the approved roadmap" in html
    assert (
        "<strong>Growth</strong> adds" in html and "<strong>Launch</strong> is as approved" in html
    )
