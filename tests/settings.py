"""The test suite's settings: the project's own, as a test run needs them.

Tests run with DEBUG false (pytest-django's default), where the settings refuse to start
without a SECRET_KEY; and the test client and the live server speak plain http, so the
production defaults of TLS-only cookies, the https redirect and HSTS are turned off. Set in the
environment, so the Celery worker the tests start (it inherits DJANGO_SETTINGS_MODULE and the
environment) reads the same.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
for _name in ("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT"):
    os.environ.setdefault(_name, "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")

from planner.settings import *  # noqa: E402, F403
