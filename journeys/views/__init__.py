"""Views, one module per area: accounts, teams, journeys, wizard."""

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """The request as the middleware leaves it, for type checkers: django-htmx attaches
    `htmx` (its documented typing recipe; the package ships no such class), and
    LoginRequiredMiddleware lets no anonymous user reach a view that takes this type (views
    marked `login_not_required` take a plain HttpRequest)."""

    htmx: HtmxDetails
    user: User


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
