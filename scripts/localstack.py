"""What the production runs on this machine share (`make smoke`, `make load`): a free port, the
database created if missing, and the production settings as plain http on 127.0.0.1."""

from __future__ import annotations

import os
import secrets
import socket
from pathlib import Path
from urllib.parse import urlparse

import psycopg


def services(prefix: str) -> tuple[str, str]:
    """The PostgreSQL database and Redis of a run: PREFIX_DATABASE_URL / PREFIX_BROKER_URL, else
    the services pass's (SERVICES_DATABASE_URL / SERVICES_BROKER_URL), else this machine's."""
    database = os.environ.get(f"{prefix}_DATABASE_URL") or os.environ.get(
        "SERVICES_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test"
    )
    broker = os.environ.get(f"{prefix}_BROKER_URL") or os.environ.get(
        "SERVICES_BROKER_URL", "redis://127.0.0.1:6379/15"
    )
    return database, broker


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ensure_database(url: str) -> None:
    """Create the database if it is not there (a developer's own, e.g. .../prod16)."""
    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return
        conn.execute(f'CREATE DATABASE "{name}"')


def production_env(database: str, broker: str, var_dir: Path, port: int) -> dict[str, str]:
    """The environment of the production settings (DEBUG off, a fresh SECRET_KEY) on plain http
    at 127.0.0.1: no TLS here, so no SSL redirect, secure cookies or HSTS."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "planner.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": database,
        "CELERY_BROKER_URL": broker,
        "PRICING_SOURCE": "snapshot",
        "VAR_DIR": str(var_dir),
        "PORT": str(port),
    }
