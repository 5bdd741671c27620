"""Views, one module per area: accounts, teams, journeys, wizard."""

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.middleware import HtmxDetails


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
