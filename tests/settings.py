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

# The live server's threads and a page's parallel loaders (diagrams, costs) share the test
# database. SQLite's in-memory shared cache fails a read at once with "database table is
# locked" while another thread writes; a file, with the WAL and busy timeout set above, waits
# for the lock instead. One file per test process.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    import tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"planner-tests-{os.getpid()}.sqlite3")
    }
