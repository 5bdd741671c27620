"""Views, one module per area: accounts, teams, journeys, wizard."""

from django.contrib.auth.models import User
from django.http import HttpRequest
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
