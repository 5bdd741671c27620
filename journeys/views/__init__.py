"""Views, one module per area: accounts, teams, journeys, wizard."""

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django_htmx.middleware import HtmxDetails

from journeys.models import Export


class HtmxRequest(HttpRequest):
    """Any request as django-htmx's middleware leaves it, signed in or not (the share-link
    pages): the middleware attaches `htmx` (its documented typing recipe; the package ships no
    such class)."""

    htmx: HtmxDetails


class HtmxHttpRequest(HtmxRequest):
    """A signed-in request, for type checkers: LoginRequiredMiddleware lets no anonymous user
    reach a view that takes this type (views marked `login_not_required` take `HtmxRequest` or
    a plain HttpRequest)."""

    user: User


def wants_part(request: HtmxRequest) -> bool:
    """Whether htmx asks for part of a page (a boosted link or form wants the whole page)."""
    return bool(request.htmx and not request.htmx.boosted)


def page_or_part(
    request: HtmxRequest,
    page: str,
    part: str | None,
    context: dict[str, Any],
    *,
    status: int = 200,
) -> HttpResponse:
    """A page that htmx refreshes in part (filters, paging, a list that updates itself): the
    partial `part` of it for an htmx request that is not a boosted navigation, else the whole
    page. The response varies on HX-Request, so no cache serves one for the other."""
    template = f"{page}#{part}" if part is not None and wants_part(request) else page
    response = render(request, template, context, status=status)
    response["Vary"] = "HX-Request"
    return response


def download_name(name: str, journey_id: int, part: str, ext: str, when: datetime) -> str:
    """One scheme for every download: the journey's name as a slug, what the file holds (a
    stage, "roadmap", "answers"), the day it was made: "snapshot-photo-sharing-app-growth-costs-
    2026-11-30.csv". ASCII letters, digits and dashes only: safe in any header and on any disk."""
    stem = slugify(name)[:60].strip("-") or f"journey-{journey_id}"
    day = timezone.localtime(when).date().isoformat()
    return f"{stem}-{part}-{day}.{ext}"


def export_filename(export: Export) -> str:
    """A roadmap PDF's file name: saved milestones ("roadmap-milestones") or the live answers
    ("roadmap"), in the one scheme of `download_name`."""
    saved = any(number is not None for number in export.selection.values())
    part = "roadmap-milestones" if saved else "roadmap"
    return download_name(export.journey.name, export.journey_id, part, "pdf", export.created)


def safe_next(request: HttpRequest, fallback: str) -> str:
    """Where a form goes back to (`next` in the POST or the query): a page of this site only.
    Anything else (`https://evil.example/phish`, `//evil.example/x`, `javascript:`) gives the
    fallback, so no form of the site redirects off it."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
