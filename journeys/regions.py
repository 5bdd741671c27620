"""The AWS regions a journey can be planned in: the name the AWS console shows, and where the
region is in law: its country and its jurisdiction.

The jurisdiction is the body of data-protection law the region's data falls under: the European
Union's GDPR for every EU member state's region; otherwise the country's own (the United Kingdom,
Switzerland, the United States, India...). Data residency chooses the disaster-recovery region by
them (`journeys.engine.residency`): the same country first, else the same jurisdiction.

Pure data: the engine imports it, so no Django here.
"""

from __future__ import annotations

from typing import NamedTuple


class Region(NamedTuple):
    name: str
    country: str
    jurisdiction: str


EU = "European Union"

REGION_PLACES: dict[str, Region] = {
    "us-east-1": Region("US East (N. Virginia)", "United States", "United States"),
    "us-east-2": Region("US East (Ohio)", "United States", "United States"),
    "us-west-1": Region("US West (N. California)", "United States", "United States"),
    "us-west-2": Region("US West (Oregon)", "United States", "United States"),
    "ca-central-1": Region("Canada (Central)", "Canada", "Canada"),
    "sa-east-1": Region("South America (São Paulo)", "Brazil", "Brazil"),
    "eu-west-1": Region("Europe (Ireland)", "Ireland", EU),
    "eu-west-2": Region("Europe (London)", "United Kingdom", "United Kingdom"),
    "eu-west-3": Region("Europe (Paris)", "France", EU),
    "eu-central-1": Region("Europe (Frankfurt)", "Germany", EU),
    "eu-central-2": Region("Europe (Zurich)", "Switzerland", "Switzerland"),
    "eu-north-1": Region("Europe (Stockholm)", "Sweden", EU),
    "eu-south-1": Region("Europe (Milan)", "Italy", EU),
    "eu-south-2": Region("Europe (Spain)", "Spain", EU),
    "ap-south-1": Region("Asia Pacific (Mumbai)", "India", "India"),
    "ap-south-2": Region("Asia Pacific (Hyderabad)", "India", "India"),
    "ap-southeast-1": Region("Asia Pacific (Singapore)", "Singapore", "Singapore"),
    "ap-southeast-2": Region("Asia Pacific (Sydney)", "Australia", "Australia"),
    "ap-southeast-3": Region("Asia Pacific (Jakarta)", "Indonesia", "Indonesia"),
    "ap-northeast-1": Region("Asia Pacific (Tokyo)", "Japan", "Japan"),
    "ap-northeast-2": Region("Asia Pacific (Seoul)", "South Korea", "South Korea"),
    "ap-northeast-3": Region("Asia Pacific (Osaka)", "Japan", "Japan"),
    # Hong Kong keeps its own data-protection law (the PDPO), apart from mainland China's.
    "ap-east-1": Region("Asia Pacific (Hong Kong)", "Hong Kong", "Hong Kong"),
    "me-south-1": Region("Middle East (Bahrain)", "Bahrain", "Bahrain"),
    "me-central-1": Region("Middle East (UAE)", "United Arab Emirates", "United Arab Emirates"),
    "af-south-1": Region("Africa (Cape Town)", "South Africa", "South Africa"),
    "il-central-1": Region("Israel (Tel Aviv)", "Israel", "Israel"),
}

REGIONS: dict[str, str] = {code: place.name for code, place in REGION_PLACES.items()}

REGION_CHOICES: list[tuple[str, str]] = [
    (code, f"{code} — {name}") for code, name in REGIONS.items()
]


def with_article(country: str) -> str:
    """A country's name as it reads in a sentence: "the United Kingdom", "Germany"."""
    return f"the {country}" if country.startswith("United ") else country


def country_of(region: str) -> str:
    """The region's country, or "" for a code this list does not know."""
    place = REGION_PLACES.get(region)
    return place.country if place else ""


def jurisdiction_of(region: str) -> str:
    """The region's data-protection jurisdiction, or "" for a code this list does not know."""
    place = REGION_PLACES.get(region)
    return place.jurisdiction if place else ""
