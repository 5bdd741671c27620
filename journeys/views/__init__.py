"""Views, one module per area: accounts, teams, journeys, wizard."""

from django.contrib.auth.models import User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """The request as the middleware leaves it, for type checkers: django-htmx attaches
    `htmx` (its documented typing recipe; the package ships no such class), and
    LoginRequiredMiddleware lets no anonymous user reach a view that takes this type (views
    marked `login_not_required` take a plain HttpRequest)."""

    htmx: HtmxDetails
    user: User
