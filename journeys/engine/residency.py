"""Data residency: where recovery may run when customer data must stay in one country or
jurisdiction, and the findings when it cannot leave the region or a chosen region breaks it.

The question asks whether data must stay "within one country or jurisdiction", so a yes allows
the jurisdiction: the recovery region is the paired region when it is in the same country, else
another region of that country, else the paired region or another one of the same jurisdiction
(for a German workload, Ireland: both are under the EU's GDPR). When no region qualifies (the
United Kingdom, Switzerland, Brazil... have one region each) recovery stays in the home region,
across its Availability Zones, with backups kept there, and a finding names the trade-off.

A recovery region the team set on the journey is kept, as their decision; when it lies outside
the jurisdiction it is a high risk, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from journeys.engine.findings import STAGE_SECTIONS, Facts, Hit, Rule
from journeys.engine.inputs import default_dr_region
from journeys.engine.tables import AVAILABILITY_NO_SINGLE_AZ
from journeys.regions import REGION_PLACES, country_of, jurisdiction_of, with_article


@dataclass(frozen=True)
class Recovery:
    """Where recovery runs (the home region itself when nothing else is allowed) and why."""

    region: str
    why: str = ""


def recovery_region(region: str, explicit: str | None, residency: bool) -> Recovery:
    """The recovery region for `region`: the team's own choice, the planner's default, or under
    residency the nearest allowed one (see the module)."""
    if explicit:
        return Recovery(explicit)
    paired = default_dr_region(region)
    if not residency:
        return Recovery(paired)
    country, jurisdiction = with_article(country_of(region)), jurisdiction_of(region)
    others = [code for code in REGION_PLACES if code != region]
    same_country = [c for c in others if country and country_of(c) == country_of(region)]
    if same_country:
        chosen = paired if paired in same_country else same_country[0]
        return Recovery(chosen, f"data_residency=yes: {chosen} is also in {country}")
    same_law = [c for c in others if jurisdiction and jurisdiction_of(c) == jurisdiction]
    if same_law:
        chosen = paired if paired in same_law else same_law[0]
        return Recovery(
            chosen,
            f"data_residency=yes: {region} is the only region in {country}; {chosen} "
            f"({with_article(country_of(chosen))}) is in the same jurisdiction ({jurisdiction}), "
            "which the answer allows",
        )
    where = country or region
    return Recovery(
        region,
        f"data_residency=yes: {region} is the only region in {where}, so no copy may leave it",
    )


def allowed_regions(region: str) -> list[str]:
    """Every other region of `region`'s jurisdiction, its own country first."""
    country, jurisdiction = country_of(region), jurisdiction_of(region)
    others = [c for c in REGION_PLACES if c != region and jurisdiction_of(c) == jurisdiction]
    return sorted(others, key=lambda c: country_of(c) != country) if jurisdiction else []


def _recovery_kept_in_region(f: Facts) -> Hit | None:
    if not f.values.get("data_residency") or f.dr_region != f.region:
        return None
    country = with_article(country_of(f.region)) or f.region
    needs_region = f.dr_strategy != "backup_restore" or f.at_least("scale")
    high = needs_region or f.availability >= AVAILABILITY_NO_SINGLE_AZ
    return Hit(
        risk="high" if high else "medium",
        title=f"Recovery stays in {f.region}: data residency allows no second region in {country}",
        because=f.because("data_residency", "rpo_minutes", "rto_minutes"),
        action=f"The trade-off: an outage of the whole {f.region} region stops the service "
        "until the region returns, whatever the RPO and RTO say; the plan spreads the "
        "application and the data over three Availability Zones and keeps the backups in the "
        "region. Agree this with the business and your legal team, or find out whether "
        "encrypted backups may be kept in another jurisdiction (then copy them there) or "
        f"whether a second site in {country} outside AWS can hold a standby.",
        fixed_by="",
    )


def _dr_region_breaks_residency(f: Facts) -> Hit | None:
    if not f.values.get("data_residency") or not f.dr_region_set:
        return None
    home, away = jurisdiction_of(f.region), jurisdiction_of(f.dr_region)
    if home and home == away:
        return None
    allowed = allowed_regions(f.region)
    choose = (
        f"choose {', '.join(allowed)} as the recovery region"
        if allowed
        else f"clear it, so that recovery stays in {f.region} ({with_article(home)} has no other "
        "region)"
    )
    outside = f"{f.dr_region} ({with_article(country_of(f.dr_region)) or 'unknown country'})"
    return Hit(
        risk="high",
        title=f"The recovery region {f.dr_region} takes customer data out of "
        f"{with_article(home) or f.region}",
        because=(*f.because("data_residency"), f"dr_region={f.dr_region} (set on the journey)"),
        action=f"Backups and replicas copied to {outside} break the residency the team "
        f"answered: {choose} in the journey's settings.",
        fixed_by="",
    )


_SECTION = f"{STAGE_SECTIONS['scale']}: Multi-region architecture — Design principles"

RESIDENCY_RULES: tuple[Rule, ...] = (
    Rule("dr-region-breaks-residency", "security", _SECTION, _dr_region_breaks_residency),
    Rule("recovery-kept-in-region", "reliability", _SECTION, _recovery_kept_in_region),
)
