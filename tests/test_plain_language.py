"""Every page of a fully answered journey reads as words (issue 14): no snake_case identifier,
no component or finding id, no `True`/`False`/`None`, no money with more than two decimals
outside a "unit price" column — for the team, the architect and a share-link holder.

The demo journey (`seed_demo`) is answered in every stage; it is submitted, and every estimate
is priced from the snapshot, so the cost panels show figures rather than "loading"."""

from __future__ import annotations

import re
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from journeys import architecture, charts, demo
from journeys.jobs import estimates
from journeys.models import Estimate, Journey, Milestone
from journeys.vocabulary import STAGES
from tests.conftest import share_link, submit_all

HTMX = {"HX-Request": "true"}

SNAKE = re.compile(r"\b[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+\b")
PYTHON_WORDS = re.compile(r"\b(?:True|False|None)\b(?! of these)")
# A cost per customer keeps the precision it needs ("$0.029 per customer"); any other amount
# is to the cent.
LONG_MONEY = re.compile(r"\$\s?\d[\d,]*\.\d{3,}(?!\d)(?! per customer)")
# Attributes that people read (tooltips, screen readers, placeholders).
READ_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
# Elements whose text is not read as prose: code the page never shows, and the explicit
# "unit price" cells of the cost tables.
SKIPPED_TAGS = {"script", "style", "code", "noscript"}
SKIPPED_CLASSES = {"unit-price"}
# Where a price list's own wording is quoted ("then $0.015 per MAU"), and the costs per
# customer (which keep the precision they need, "$0.029"): read for identifiers, not for money.
PRICE_TEXT_CLASSES = {"price-text", "per-customer"}


class _Reader(HTMLParser):
    """The text of a page as a person meets it: text nodes and the read attributes; `money`
    leaves out the quoted price-list wording."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "source", "col", "wbr", "area", "base"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.money: list[str] = []
        # Per open element: (its text is skipped, its text is skipped for money).
        self.stack: list[tuple[bool, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        classes = set((found.get("class") or "").split())
        outer_skip, outer_money = self.stack[-1] if self.stack else (False, False)
        skipped = outer_skip or tag in SKIPPED_TAGS or bool(classes & SKIPPED_CLASSES)
        money_skipped = skipped or outer_money or bool(classes & PRICE_TEXT_CLASSES)
        if not skipped:
            read = [str(found[a]) for a in READ_ATTRIBUTES if found.get(a)]
            self.parts.extend(read)
            self.money.extend(read)
        if tag not in self.VOID:
            self.stack.append((skipped, money_skipped))

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        skipped, money_skipped = self.stack[-1] if self.stack else (False, False)
        if not skipped:
            self.parts.append(data)
        if not money_skipped:
            self.money.append(data)


def readable(html: str) -> tuple[str, str]:
    """(all the text people read, the same without quoted price-list wording)."""
    reader = _Reader()
    reader.feed(html)
    return tuple(" ".join(" ".join(p).split()) for p in (reader.parts, reader.money))  # type: ignore[return-value]


def readable_text(html: str) -> str:
    return readable(html)[0]


def identifiers_of(journey: Journey) -> set[str]:
    """The ids people must never read: components' and findings' (with a dash or underscore;
    "dns" and the like are also ordinary words)."""
    found: set[str] = set()
    for state in architecture.all_states(journey).values():
        found |= {c.id for c in state.components}
        found |= {f.id for f in state.findings}
    return {i for i in found if "-" in i or "_" in i}


def problems(texts: tuple[str, str], ids: set[str]) -> list[str]:
    text, money_text = texts
    out = [f"identifier {m}" for m in sorted(set(SNAKE.findall(text)))]
    out += [f"Python word {m}" for m in sorted(set(PYTHON_WORDS.findall(text)))]
    out += [f"money {m}" for m in sorted(set(LONG_MONEY.findall(money_text)))]
    words = set(re.findall(r"[A-Za-z0-9][A-Za-z0-9_-]*[A-Za-z0-9]", text))
    out += [f"id {i}" for i in sorted(ids & words)]
    return out


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    journey, _ = demo.seed()
    team_user = User.objects.get(username=demo.USERNAME)
    architect = User.objects.get(username=demo.ARCHITECT)
    submit_all(journey, team_user)
    link = share_link(journey, team_user, "The board")
    for stage in STAGES:
        for m in Milestone.objects.filter(journey=journey, stage=stage):
            estimates.run(estimates.milestone_estimate_for(journey, m).pk)
    answers = architecture.JourneyAnswers.of(journey)
    for stage in STAGES:
        state = architecture.stage_state(journey, stage, answers)
        facts = architecture.stage_facts(stage, answers)
        estimates.run(estimates.ensure_estimate(journey, stage, state, facts).pk)
    assert not Estimate.objects.exclude(status=Estimate.DONE).exists()
    return {"journey": journey, "team": team_user, "architect": architect, "link": link}


def team_pages(journey: Journey) -> list[tuple[str, dict[str, str]]]:
    pk = journey.pk
    pages: list[tuple[str, dict[str, str]]] = [
        (reverse("journeys:list"), {}),
        (reverse("journeys:detail", args=[pk]), {}),
        (reverse("journeys:costs", args=[pk]), {}),
        (reverse("journeys:assumptions", args=[pk]), {}),
        (reverse("journeys:exports", args=[pk]), {}),
        (reverse("reviews:submit", args=[pk]), {}),
        (reverse("reviews:share_links", args=[pk]), {}),
        (reverse("reviews:review", args=[pk]), {}),
        (reverse("reviews:history", args=[pk]), {}),
    ]
    for stage in STAGES:
        pages += [
            (reverse("journeys:stage", args=[pk, stage]), {}),
            (reverse("journeys:stage_estimate", args=[pk, stage]), HTMX),
            (reverse("journeys:milestones", args=[pk, stage]), {}),
            (reverse("journeys:milestone", args=[pk, stage, 1]), {}),
            (reverse("journeys:milestone_diff", args=[pk, stage]) + "?a=1&b=current", {}),
            (reverse("journeys:panel", args=[pk, stage]), HTMX),
        ]
    return pages


def architect_pages(journey: Journey) -> list[tuple[str, dict[str, str]]]:
    pk = journey.pk
    review = reverse("reviews:review", args=[pk])
    return [
        (reverse("reviews:queue"), {}),
        *((f"{review}?stage={stage}", {}) for stage in STAGES),
        (reverse("reviews:compare", args=[pk]), {}),
        (reverse("reviews:history", args=[pk]), {}),
    ]


def read(client: Client, url: str, headers: dict[str, str]) -> tuple[str, str]:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code)
    return readable(response.content.decode())


def test_every_team_page_of_a_full_journey_reads_as_words(world: dict[str, Any]) -> None:
    client = Client()
    client.force_login(world["team"])
    ids = identifiers_of(world["journey"])
    found = {url: problems(read(client, url, h), ids) for url, h in team_pages(world["journey"])}
    bad = {url: p for url, p in found.items() if p}
    assert not bad, "\n".join(f"{url}: {p}" for url, p in bad.items())


def test_every_architect_page_of_a_full_journey_reads_as_words(world: dict[str, Any]) -> None:
    client = Client()
    client.force_login(world["architect"])
    journey = world["journey"]
    ids = identifiers_of(journey)
    found = {url: problems(read(client, url, h), ids) for url, h in architect_pages(journey)}
    bad = {url: p for url, p in found.items() if p}
    assert not bad, "\n".join(f"{url}: {p}" for url, p in bad.items())


def test_every_shared_page_of_a_full_journey_reads_as_words(world: dict[str, Any]) -> None:
    link, journey = world["link"], world["journey"]
    ids = identifiers_of(journey)
    client = Client()
    found = {}
    for stage in STAGES:
        url = f"{link.get_absolute_url()}?stage={stage}"
        found[url] = problems(read(client, url, {}), ids)
        estimate = reverse("journeys:shared_milestone_estimate", args=[link.token, stage, 1])
        found[estimate] = problems(read(client, estimate, HTMX), ids)
    bad = {url: p for url, p in found.items() if p}
    assert not bad, "\n".join(f"{url}: {p}" for url, p in bad.items())


def test_the_reader_catches_what_it_is_for() -> None:
    """The check itself: identifiers, Python words and long money are found; unit prices and
    code are not read."""
    html = (
        '<p title="auto_scaling">Because stateless_app=no, versioning True, $1.7351</p>'
        '<td class="unit-price">$0.0000166667</td><code>web_asg</code><p>web-asg</p>'
        '<span class="price-text">then $0.015</span> <p>$0.029 per customer, None of these</p>'
    )
    found = problems(readable(html), {"web-asg"})
    assert found == [
        "identifier auto_scaling",
        "identifier stateless_app",
        "Python word True",
        "money $1.7351",
        "id web-asg",
    ]


def test_the_cost_chart_gives_every_stage_a_visible_bar_and_its_own_figure() -> None:
    """Launch costs a thousandth of Beyond: on the old linear scale its bar was invisible. On
    the log scale each bar's length grows with the cost's order of magnitude, and each carries
    its figure; costs per customer keep the precision they need."""
    rows = [
        {"label": "Launch", "monthly_usd": Decimal("18.2"), "per_customer_usd": Decimal("0.182")},
        {"label": "Growth", "monthly_usd": Decimal("312"), "per_customer_usd": Decimal("0.0283")},
        {"label": "Scale", "monthly_usd": Decimal("4100"), "per_customer_usd": None},
        {"label": "Beyond", "monthly_usd": Decimal("61000"), "per_customer_usd": Decimal("0.006")},
    ]
    svg = charts.cost_by_stage(rows, inline_style=False)
    widths = [float(w) for w in re.findall(r'<rect class="bar" [^>]*width="([0-9.]+)"', svg)]
    assert len(widths) == 4 and widths == sorted(widths)
    assert widths[0] >= 20  # the smallest stage is plainly visible (linear: 0.3 px)
    for figure in ("$18.20", "$312", "$4,100", "$61,000", "$0.028 per customer"):
        assert figure in svg
    assert "not priced yet" in svg and "<style" not in svg and "<script" not in svg


@pytest.mark.parametrize("engine", ["postgresql", "mysql", "aurora-postgresql", "aurora-mysql"])
@pytest.mark.parametrize("pattern", ["steady", "spiky"])
def test_the_database_engine_is_named_in_words_on_pages_and_in_the_pdf(
    engine: str, pattern: str
) -> None:
    """The engine's reasons for the primary database name its engine as an answer, so the
    pages (labels.plain) and the PDF (roadmap.words.plain) say "Amazon Aurora PostgreSQL",
    never the identifier `aurora-postgresql`."""
    from journeys import engine as architecture_engine
    from journeys import labels
    from journeys.roadmap.words import plain

    answers = {"database_engine": engine, "traffic_pattern": pattern}
    state = architecture_engine.recommend("growth", answers)
    database = state.component("primary-db")
    assert database is not None
    for reason in database.reasons:
        for said in (labels.plain(reason, "growth"), plain("growth", reason)):
            assert not re.search(rf"(?<![\w-]){re.escape(engine)}(?![\w-])", said), said
    first = labels.plain(database.reasons[0], "growth")
    assert {"postgresql": "PostgreSQL", "mysql": "MySQL"}[engine.removeprefix("aurora-")] in first
