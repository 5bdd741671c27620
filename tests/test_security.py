"""Security settings and limits: production settings pass `check --deploy`, a site without a
SECRET_KEY refuses to start, sign-ins and password resets are throttled, no form redirects
off the site, and the Content-Security-Policy allows no inline script or style."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse

from journeys.models import Journey
from tests.conftest import PASSWORD, make_user

ROOT = Path(__file__).resolve().parent.parent

# The README's production environment ("Security and operations").
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "planner.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://planner.example.com",
    "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """manage.py in a fresh process with the site's own settings and only this environment
    (plus what any process needs to run)."""
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "VAR_DIR")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "planner.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- Production settings ------------------------------------------------------------------------


def test_the_readmes_production_environment_passes_check_deploy_without_a_warning() -> None:
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_debug_false_without_a_secret_key_refuses_to_start_with_a_clear_message() -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set and DEBUG is false" in result.stderr


def test_a_laptop_in_debug_mode_starts_without_a_secret_key() -> None:
    result = manage("check", DEBUG="true")
    assert result.returncode == 0, result.stderr


def test_production_defaults_are_secure_when_debug_is_false() -> None:
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, "
        "s.SECURE_PROXY_SSL_HEADER)"
    )
    result = manage("shell", "--no-imports", "-c", code, **PRODUCTION)
    assert result.stdout.strip().splitlines()[-1].split() == [
        "True", "True", "True", "31536000", "True", "True",
        "('HTTP_X_FORWARDED_PROTO',", "'https')",
    ]  # fmt: skip


def test_a_malformed_proxy_header_setting_is_refused_with_its_value() -> None:
    result = manage("check", **{**PRODUCTION, "SECURE_PROXY_SSL_HEADER": "X_FORWARDED_PROTO"})
    assert result.returncode != 0
    assert "SECURE_PROXY_SSL_HEADER takes a header and its value" in result.stderr
    assert "'X_FORWARDED_PROTO'" in result.stderr


# --- Content-Security-Policy --------------------------------------------------------------------

TEMPLATES = ROOT / "templates"
# The roadmap's templates are rendered into a PDF by WeasyPrint, never served to a browser.
PAGE_TEMPLATES = [p for p in TEMPLATES.rglob("*.html") if "roadmap" not in p.parts]


@pytest.mark.parametrize("template", PAGE_TEMPLATES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_template_has_inline_script_handlers_or_styles(template: Path) -> None:
    text = template.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), "inline <script>"
    assert not re.search(r"\son[a-z]+\s*=", text), "inline event handler"
    assert not re.search(r"\sstyle\s*=", text), "style attribute"
    assert "<style" not in text, "inline <style>"
    assert "hx-on" not in text and "js:" not in text, "htmx attribute that needs eval"


def test_every_page_carries_a_policy_without_inline_script_or_eval(
    client: Any, editor: User, journey: Journey
) -> None:
    client.force_login(editor)
    response = client.get(journey.get_absolute_url())
    policy = response["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert directives["object-src"] == ["'none'"] and directives["frame-ancestors"] == ["'none'"]
    html = response.content.decode()
    assert '"includeIndicatorStyles": false' in html and '"allowEval": false' in html


def test_the_cost_chart_has_no_inline_style_and_its_stylesheet_is_served(
    client: Any, editor: User, journey: Journey
) -> None:
    client.force_login(editor)
    html = client.get(reverse("journeys:costs", args=[journey.pk])).content.decode()
    assert "<svg" in html and "<style" not in html and " style=" not in html
    assert reverse("chart_css") in html
    css = Client().get(reverse("chart_css"))
    assert css.status_code == 200 and css["Content-Type"].startswith("text/css")
    assert "#cost-by-stage" in css.content.decode()


# --- Open redirects -----------------------------------------------------------------------------

OFF_SITE = [
    "https://evil.example/phish",
    "//evil.example/x",
    "///evil.example/x",
    "javascript:alert(1)",
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_saving_a_milestone_never_redirects_off_the_site(
    editor_client: Any, journey: Journey, target: str
) -> None:
    url = reverse("journeys:milestones", args=[journey.pk, "launch"])
    response = editor_client.post(url, {"note": "", "next": target})
    assert response.status_code == 302
    assert response["Location"] == journey.milestones.get().get_absolute_url()


def test_saving_a_milestone_goes_back_to_a_page_of_the_site(
    editor_client: Any, journey: Journey
) -> None:
    stage = reverse("journeys:stage", args=[journey.pk, "launch"])
    url = reverse("journeys:milestones", args=[journey.pk, "launch"])
    response = editor_client.post(url, {"note": "", "next": stage})
    assert response["Location"] == stage


@pytest.mark.parametrize("target", OFF_SITE)
def test_signing_in_never_redirects_off_the_site(client: Any, editor: User, target: str) -> None:
    response = client.post(
        reverse("login"), {"username": editor.username, "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302 and response["Location"] == reverse("journeys:list")


# --- Sign-in throttling -------------------------------------------------------------------------


@pytest.fixture
def limit(settings: Any) -> int:
    settings.AXES_FAILURE_LIMIT = 3
    return 3


def sign_in(client: Client, username: str, password: str, ip: str = "10.0.0.1") -> Any:
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_after_the_limit_of_wrong_passwords_even_the_right_one_is_refused(
    limit: int, editor: User
) -> None:
    client = Client()
    for _ in range(limit - 1):
        assert sign_in(client, editor.username, "wrong").status_code == 200
    assert sign_in(client, editor.username, "wrong").status_code == 429  # the last one allowed
    response = sign_in(client, editor.username, PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many failed sign-ins" in html and "Try again in 15 minutes" in html
    assert f'value="{editor.username}"' in html  # the username is kept
    assert "_auth_user_id" not in client.session
    # From another address too: the username itself is locked.
    assert sign_in(Client(), editor.username, PASSWORD, ip="10.0.0.2").status_code == 429


def test_one_password_tried_across_accounts_locks_out_the_address(limit: int, db: Any) -> None:
    users = [make_user(f"person{i}") for i in range(limit + 1)]
    client = Client()
    for user in users[:limit]:
        sign_in(client, user.username, "Summer2026!")
    response = sign_in(client, users[limit].username, PASSWORD)
    assert response.status_code == 429
    # The same account from another address still signs in: only the address is locked.
    assert sign_in(Client(), users[limit].username, PASSWORD, ip="10.0.0.9").status_code == 302


def test_the_cool_off_time_comes_from_the_environment(
    limit: int, editor: User, settings: Any
) -> None:
    from datetime import timedelta

    settings.AXES_COOLOFF_TIME = timedelta(minutes=1)
    client = Client()
    for _ in range(limit):
        sign_in(client, editor.username, "wrong")
    response = sign_in(client, editor.username, "wrong")
    assert response.status_code == 429
    assert "Try again in 1 minute," in response.content.decode()


def test_a_right_password_before_the_limit_resets_the_count(limit: int, editor: User) -> None:
    client = Client()
    for _ in range(limit - 1):
        sign_in(client, editor.username, "wrong")
    assert sign_in(client, editor.username, PASSWORD).status_code == 302
    other = Client()
    for _ in range(limit - 1):
        sign_in(other, editor.username, "wrong")
    assert sign_in(other, editor.username, PASSWORD).status_code == 302


# --- Password-reset throttling ------------------------------------------------------------------


def reset(client: Client, email: str, ip: str = "10.0.0.1") -> Any:
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip)


def test_password_reset_requests_are_limited_per_address(editor: User, settings: Any) -> None:
    client = Client()
    for _ in range(settings.PASSWORD_RESET_LIMIT_PER_EMAIL):
        assert reset(client, editor.email).status_code == 302
    assert len(mail.outbox) == settings.PASSWORD_RESET_LIMIT_PER_EMAIL
    # From elsewhere, and written in capitals: still the same address.
    response = reset(Client(), editor.email.upper(), ip="10.0.0.2")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many password-reset requests" in html and "Try again in 60 minutes" in html
    assert f'value="{editor.email.upper()}"' in html  # the input is kept
    assert len(mail.outbox) == settings.PASSWORD_RESET_LIMIT_PER_EMAIL


def test_password_reset_requests_are_limited_per_client_address(db: Any, settings: Any) -> None:
    settings.PASSWORD_RESET_LIMIT_PER_IP = 4
    client = Client()
    for i in range(4):
        assert reset(client, f"someone{i}@example.com").status_code == 302
    assert reset(client, "someone-else@example.com").status_code == 429
    assert reset(Client(), "someone-else@example.com", ip="10.0.0.3").status_code == 302


def test_behind_trusted_proxies_the_client_is_read_from_forwarded_for(
    db: Any, settings: Any
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    settings.PASSWORD_RESET_LIMIT_PER_IP = 1
    proxy = "10.9.9.9"
    client = Client()

    def via_proxy(email: str, forwarded: str) -> int:
        return client.post(
            reverse("password_reset"),
            {"email": email},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=forwarded,
        ).status_code

    assert via_proxy("a@example.com", "203.0.113.1") == 302
    assert via_proxy("b@example.com", "203.0.113.2") == 302  # another client, same proxy
    # A client cannot pose as another by sending its own X-Forwarded-For entries first.
    assert via_proxy("c@example.com", "198.51.100.7, 203.0.113.1") == 429
