"""Limits on what a stranger may try: who the client is, and how many password-reset requests
an e-mail address or a client address may make in a window.

Wrong passwords are counted by django-axes (settings: AXES_*); axes does not count password-reset
requests, so they are counted here, in Django's cache: one counter per address typed and one
per client address, each living for the window.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address: the connection's own, or behind TRUSTED_PROXY_COUNT proxies the
    entry of X-Forwarded-For that the outermost trusted proxy added (entries further left are
    whatever the client sent, and are not believed)."""
    remote = str(request.META.get("REMOTE_ADDR") or "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [
        part.strip() for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
    ]
    forwarded = [part for part in forwarded if part]
    return forwarded[-count] if len(forwarded) >= count else remote


@dataclass(frozen=True)
class Refusal:
    """Too many requests: say so, and when the person may try again."""

    retry_after: timedelta

    @property
    def minutes(self) -> int:
        return max(1, round(self.retry_after.total_seconds() / 60))


def _key(kind: str, value: str) -> str:
    # Hashed: an address typed may be long or hold characters a cache key cannot.
    digest = hashlib.sha256(value.strip().lower().encode("utf-8", "replace")).hexdigest()
    return f"throttle:password-reset:{kind}:{digest}"


def _count(key: str, window: int) -> int:
    """Add one to the counter, starting it (for `window` seconds) when there is none."""
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # it expired between the two calls
        cache.set(key, 1, timeout=window)
        return 1


def password_reset_allowed(request: HttpRequest, email: str) -> Refusal | None:
    """Count one password-reset request for this address and this client; a Refusal when
    either went past its limit in the window (the request is then not to be sent)."""
    window = timedelta(minutes=settings.PASSWORD_RESET_WINDOW_MINUTES)
    seconds = int(window.total_seconds())
    by_email = _count(_key("email", email), seconds)
    by_ip = _count(_key("ip", client_ip(request)), seconds)
    if by_email > settings.PASSWORD_RESET_LIMIT_PER_EMAIL or by_ip > (
        settings.PASSWORD_RESET_LIMIT_PER_IP
    ):
        return Refusal(retry_after=window)
    return None
