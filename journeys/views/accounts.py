"""Sign-up, the sign-in page of a locked-out person, and the throttled password reset.
Sign-in, sign-out and the rest of the password reset are Django's own views."""

from __future__ import annotations

from typing import Any

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_http_methods

from journeys import throttle
from journeys.forms import SignupForm


@login_not_required
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if not settings.SIGNUP_ENABLED:
        raise Http404("Sign-up is turned off on this site.")
    if request.user.is_authenticated:
        return redirect("journeys:list")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("journeys:list")
    return render(request, "registration/signup.html", {"form": form})


def _minutes(request: HttpRequest) -> int:
    cool_off = get_cool_off(request)
    return max(1, round(cool_off.total_seconds() / 60)) if cool_off else 0


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any
) -> HttpResponse:
    """django-axes' answer to a sign-in past the limit: the sign-in page again, saying why and
    for how long, with the username kept (429, so scripts see it is a limit)."""
    minutes = _minutes(request)
    form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")})
    context = {
        "form": form,
        "next": request.POST.get("next", request.GET.get("next", "")),
        "locked_out_message": (
            "Too many failed sign-ins for this account or from this address. "
            f"Try again in {minutes} minute{'s' if minutes != 1 else ''}, "
            "or reset your password."
        ),
    }
    return render(request, "registration/login.html", context, status=429)


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, with at most so many requests per address typed and per client
    address in a window (settings PASSWORD_RESET_*): past it no e-mail is sent and the form
    says when to try again."""

    def form_valid(self, form: Any) -> HttpResponse:
        refusal = throttle.password_reset_allowed(self.request, form.cleaned_data["email"])
        if refusal is not None:
            form.add_error(
                "email",
                "Too many password-reset requests for this address or from your network. "
                f"Try again in {refusal.minutes} minutes.",
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)
