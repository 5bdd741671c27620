"""Settings for the Journey Planner.

One file, driven by environment variables. Every default works on a laptop with nothing else
running: SQLite, Celery on kombu's filesystem transport, local media, the shipped price snapshot.
Production sets DATABASE_URL, CELERY_BROKER_URL, SECRET_KEY, DEBUG=false and ALLOWED_HOSTS,
and AWS_STORAGE_BUCKET_NAME when web and workers run on different hosts.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
# The development key is public: only a site in debug mode (a laptop) may sign with it.
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set and DEBUG is false. Set SECRET_KEY to a long random value "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), or set DEBUG=true "
            "on a laptop to use the public development key."
        )
    SECRET_KEY = "dev-only-insecure-key-change-me-in-production"
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_NAME = "Journey Planner"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "axes",
    "csp",
    "journeys",
]

MIDDLEWARE = [
    # First: every line logged while serving the request carries its id.
    "planner.logging.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the sign-in page's message.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "planner.urls"
WSGI_APPLICATION = "planner.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite by default. Web and worker both write, so wait for locks instead of failing at once,
# and take the write lock when a transaction starts (no "database is locked" on upgrade).
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'planner.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;",
            "transaction_mode": "IMMEDIATE",
        }
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes watches every sign-in before the model backend checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "journeys:list"
LOGOUT_REDIRECT_URL = "login"
# Sign-up creates a user and their first team; an organisation can turn it off.
SIGNUP_ENABLED = env.bool("SIGNUP_ENABLED", default=True)

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing one
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Private files (diagrams, roadmap PDFs) are kept in MEDIA_ROOT on this machine by default.
# Web and workers on different hosts share an object store instead: set AWS_STORAGE_BUCKET_NAME
# (and AWS_S3_ENDPOINT_URL for an S3-compatible store such as MinIO). The bucket stays private:
# every download goes through the app's access checks, then streams from the store, or with
# DOWNLOAD_REDIRECT=true redirects to a presigned URL valid DOWNLOAD_URL_SECONDS.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default="") or None
AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default="") or None
AWS_LOCATION = env.str("AWS_LOCATION", default="")
AWS_DEFAULT_ACL = None  # the bucket's own policy (private); never a public-read object
AWS_QUERYSTRING_AUTH = True  # any URL the storage gives out is presigned
AWS_S3_SIGNATURE_VERSION = "s3v4"  # what MinIO and every region accept
AWS_QUERYSTRING_EXPIRE = env.int("DOWNLOAD_URL_SECONDS", default=60)
AWS_S3_FILE_OVERWRITE = False  # names are content hashes: an existing one is the same file
AWS_S3_ADDRESSING_STYLE = env.str("AWS_S3_ADDRESSING_STYLE", default="") or None
DOWNLOAD_REDIRECT = env.bool("DOWNLOAD_REDIRECT", default=False)
STORAGES = {
    "default": {
        "BACKEND": "storages.backends.s3.S3Storage"
        if AWS_STORAGE_BUCKET_NAME
        else "django.core.files.storage.FileSystemStorage"
    },
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_STORAGE",
            default="django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Journey Planner <planner@localhost>")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# HTTPS. Production (DEBUG=false) is served over TLS, so cookies travel only over it, plain
# http is redirected and browsers are told to stay on https (HSTS); a laptop (DEBUG=true) serves
# plain http. Each can be set on its own, e.g. SECURE_SSL_REDIRECT=false when the proxy in front
# already redirects.
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
# A load balancer probes the health URLs over plain http, inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/$", r"^ready/$"]
# Behind a proxy that ends TLS, the request reaches Django as http: trust the proxy's header
# saying it was https ("HTTP_X_FORWARDED_PROTO,https"). Only behind a proxy that sets the
# header itself: otherwise a client could claim https.
_proxy_ssl_header = env.list("SECURE_PROXY_SSL_HEADER", default=[])
if _proxy_ssl_header:
    if len(_proxy_ssl_header) != 2:
        raise ImproperlyConfigured(
            "SECURE_PROXY_SSL_HEADER takes a header and its value, e.g. "
            f"HTTP_X_FORWARDED_PROTO,https; not {','.join(_proxy_ssl_header)!r}."
        )
    SECURE_PROXY_SSL_HEADER = (_proxy_ssl_header[0], _proxy_ssl_header[1])
# How many proxies in front of the site append to X-Forwarded-For: the client's address for
# the sign-in and password-reset limits is read that many entries from the right (0: the
# connection's own address).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Content-Security-Policy: scripts only from this site (no inline script, no eval: htmx's
# `hx-on` and `js:` values are not used), styles from this site plus the <style> elements the
# page itself marks with the request's nonce (the server-drawn cost chart).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Sign-in throttling (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one username,
# or from one address, that username (or address) cannot sign in for LOGIN_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "journeys.views.accounts.locked_out"
AXES_CLIENT_IP_CALLABLE = "journeys.throttle.client_ip"
# Failed sign-ins are kept (the lockout counts them); successful ones are not logged.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# Password-reset requests: at most so many per e-mail address typed and per client address
# in PASSWORD_RESET_WINDOW_MINUTES (counted in the cache below); an office shares one address.
PASSWORD_RESET_LIMIT_PER_EMAIL = env.int("PASSWORD_RESET_LIMIT_PER_EMAIL", default=3)
PASSWORD_RESET_LIMIT_PER_IP = env.int("PASSWORD_RESET_LIMIT_PER_IP", default=10)
PASSWORD_RESET_WINDOW_MINUTES = env.int("PASSWORD_RESET_WINDOW_MINUTES", default=60)

# The cache holds the password-reset counts. Memory of one process by default; with several
# web processes, point every one at the same cache (e.g. CACHE_URL=redis://host:6379/1).
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# Celery. The embedded default is kombu's filesystem transport: one folder serves as both
# "in" and "out" (two different folders would make web and worker miss each other's messages).
CELERY_QUEUE_DIR = VAR_DIR / "celery"
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR / "queue"),
        "data_folder_out": str(CELERY_QUEUE_DIR / "queue"),
        "processed_folder": str(CELERY_QUEUE_DIR / "processed"),
        "control_folder": str(CELERY_QUEUE_DIR / "control"),
        "store_processed": False,
        "polling_interval": 0.1,
    }
    for _folder in ("queue", "processed", "control"):
        (CELERY_QUEUE_DIR / _folder).mkdir(parents=True, exist_ok=True)
else:
    # Keep Redis' redelivery of unacked messages well above every task's time limit.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# A job's state lives on its database row, so no result backend is needed.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_DEFAULT_QUEUE = "default"
# Tasks are idempotent; acknowledge after they run so a crashed worker's job runs again, and
# give a task whose pool child died (kill -9, the OOM killer) back to the broker to be delivered
# again. A job row counts how often its worker was lost (journeys.models.products.MAX_LOST):
# lost once more, the job fails with a reason instead of going round for ever.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# When the broker connection drops (Redis restarting), a running task cannot be acknowledged.
# Celery can cancel it so that the broker delivers it again (Celery 6 makes that the default),
# but a Redis that restarted without its data has lost the message: the redis-restart drill
# then left the export `running` until its lease (4.5 minutes). So the task runs to its end:
# its result lives on the job's row, and a message delivered again later finds the row done
# and does nothing. The worker reconnects by itself (broker_connection_retry, on by default).
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's prefork pool with children that never wait for work while holding the shared queue's
# lock: a child killed while idle cannot wedge the pool (planner/pool.py says why).
CELERY_WORKER_POOL = "planner.pool:TaskPool"
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=90)
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Each kind of job has its own queue, so each scales on its own workers.
CELERY_TASK_ROUTES = {
    "journeys.tasks.draw_diagram": {"queue": "diagrams"},
    "journeys.tasks.estimate_stage": {"queue": "pricing"},
    "journeys.tasks.export_roadmap": {"queue": "exports"},
}
DIAGRAM_SOFT_TIME_LIMIT = env.int("DIAGRAM_SOFT_TIME_LIMIT", default=60)
ESTIMATE_SOFT_TIME_LIMIT = env.int("ESTIMATE_SOFT_TIME_LIMIT", default=120)
# The hard limits (the child is killed) follow the soft ones (the job fails with a reason).
DIAGRAM_TIME_LIMIT = DIAGRAM_SOFT_TIME_LIMIT + 15
ESTIMATE_TIME_LIMIT = ESTIMATE_SOFT_TIME_LIMIT + 30

# Jobs that always end. A job running longer than its hard time limit plus this margin lost its
# worker: it is queued again once, then failed with a reason.
JOB_LEASE_MARGIN = env.int("JOB_LEASE_MARGIN", default=60)
# A queued job whose message is overdue by this long, with its queue empty, lost its message
# (a broker restarted without persistence, a purge): it is sent again.
JOB_RESEND_AFTER = env.int("JOB_RESEND_AFTER", default=60)
# Queued this long, the page watching a job asks whether a worker is running.
JOB_QUEUED_WARNING_SECONDS = env.int("JOB_QUEUED_WARNING_SECONDS", default=30)
# Celery beat sends the reaper (journeys.tasks.reap_jobs) this often. Run one beat process
# (`celery -A planner beat`, scripts/beat.sh); its schedule file lives under var/.
JOB_REAP_EVERY = env.int("JOB_REAP_EVERY", default=15)
# Housekeeping, once an hour by default: share links expired more than SHARE_LINK_KEEP_DAYS
# ago and roadmap exports older than EXPORT_RETENTION_DAYS are deleted (an export's file with
# it), and prices from the Price List API due to expire within PRICE_REFRESH_AHEAD_HOURS are
# fetched again, at most PRICE_REFRESH_BATCH a pass, so no estimate waits on a cold cache.
HOUSEKEEPING_EVERY = env.int("HOUSEKEEPING_EVERY", default=3600)
SHARE_LINK_KEEP_DAYS = env.int("SHARE_LINK_KEEP_DAYS", default=30)
EXPORT_RETENTION_DAYS = env.int("EXPORT_RETENTION_DAYS", default=90)
PRICE_REFRESH_AHEAD_HOURS = env.int("PRICE_REFRESH_AHEAD_HOURS", default=12)
PRICE_REFRESH_BATCH = env.int("PRICE_REFRESH_BATCH", default=200)
CELERY_BEAT_SCHEDULE = {
    "reap-stuck-jobs": {
        "task": "journeys.tasks.reap_jobs",
        "schedule": float(JOB_REAP_EVERY),
        # With no worker, reapers do not pile up: the next one does the same work.
        "options": {"expires": float(JOB_REAP_EVERY)},
    },
    "prune-share-links-and-exports": {
        "task": "journeys.tasks.prune",
        "schedule": float(HOUSEKEEPING_EVERY),
        "options": {"expires": float(HOUSEKEEPING_EVERY)},
    },
    "refresh-prices": {
        "task": "journeys.tasks.refresh_prices",
        "schedule": float(HOUSEKEEPING_EVERY),
        "options": {"expires": float(HOUSEKEEPING_EVERY)},
    },
}
# /ready/: a worker counts as seen when the reaper (run by a worker every JOB_REAP_EVERY
# seconds) wrote its heartbeat at most READY_WORKER_SECONDS ago. Without one, /ready/ still
# answers 200 (the web serves) and names the missing worker; READY_NEEDS_WORKER=true makes it
# a failure. The broker check waits at most READY_TIMEOUT seconds.
READY_WORKER_SECONDS = env.int("READY_WORKER_SECONDS", default=JOB_REAP_EVERY * 4)
READY_NEEDS_WORKER = env.bool("READY_NEEDS_WORKER", default=False)
READY_TIMEOUT = env.float("READY_TIMEOUT", default=2.0)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery-beat-schedule")

# Prices: "auto" uses the AWS Price List API when AWS credentials are found, else the shipped
# snapshot; "api" always asks the API (the snapshot stands in for a price it cannot give);
# "snapshot" never calls AWS.
PRICING_SOURCE = env.str("PRICING_SOURCE", default="auto")
# boto3 looks for credentials in the EC2 instance metadata service last, over the network.
# Off unless asked for (AWS_EC2_METADATA_DISABLED=false on EC2 with an instance role), so a
# laptop or CI without credentials never calls out.
os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
PRICE_CACHE_TTL_HOURS = env.int("PRICE_CACHE_TTL_HOURS", default=24 * 7)
# AWS Free Tier allowances taken off estimates (off by default: a plan should not rest on them).
PRICING_FREE_TIER = env.bool("PRICING_FREE_TIER", default=False)

# Logs go to stderr. LOG_FORMAT=json writes one JSON object a line, each with the request id
# (X-Request-ID from the proxy, or a new one) of the request it belongs to; the jobs a request
# queues carry the same id into the workers' lines. LOG_REQUESTS=true adds one line per request.
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}.")
LOG_REQUESTS = env.bool("LOG_REQUESTS", default=LOG_FORMAT == "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "planner.logging.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "planner.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint reports every layout step at INFO: keep the worker's log for what matters.
        "weasyprint.progress": {"level": "WARNING"},
        # django-axes reports every sign-in at INFO; lockouts come at WARNING.
        "axes": {"level": "WARNING"},
    },
}

# Reviews (architect review, stakeholder share links, notifications).
# Nobody decides on (or signs off) a journey of their own team, nor one they submitted.
REVIEW_FORBID_SELF_APPROVAL = env.bool("REVIEW_FORBID_SELF_APPROVAL", default=True)
# How long a new share link lives unless its creator picks otherwise, and the longest allowed.
SHARE_LINK_DEFAULT_DAYS = env.int("SHARE_LINK_DEFAULT_DAYS", default=14)
SHARE_LINK_MAX_DAYS = env.int("SHARE_LINK_MAX_DAYS", default=90)
# The site's address as people reach it: emails are sent outside a request, so their links need it.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# Roadmap PDF (WeasyPrint in a worker on the "exports" queue).
# Paper of the stakeholder PDF: "A4" or "Letter".
ROADMAP_PAGE_SIZE = env.str("ROADMAP_PAGE_SIZE", default="A4")
if ROADMAP_PAGE_SIZE not in ("A4", "Letter"):
    raise ValueError(f"ROADMAP_PAGE_SIZE must be A4 or Letter, not {ROADMAP_PAGE_SIZE!r}.")
# A render past this is stopped and the export fails with the reason; the hard limit (a kill)
# follows 30 s later, for a render that does not stop by itself.
EXPORT_SOFT_TIME_LIMIT = env.int("EXPORT_SOFT_TIME_LIMIT", default=180)
EXPORT_TIME_LIMIT = EXPORT_SOFT_TIME_LIMIT + 30
# WeasyPrint does not give back the memory of a large render: a worker child that grew past
# this (KiB) is replaced after its task, so one big PDF cannot starve the machine for good.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=600_000)
