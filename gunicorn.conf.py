"""gunicorn's settings for the web tier (`gunicorn -c gunicorn.conf.py planner.wsgi`).

Each value can be set from the environment, as gunicorn's own variables do.
"""

import multiprocessing
import os

# 127.0.0.1 unless told: in a container, BIND=0.0.0.0:8000 (compose.yaml, the Dockerfile).
bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
# Requests are short (pages, autosaves, polls): gunicorn's advice of 2 x cores + 1 sync workers.
# Heavy work runs on Celery workers, never in a request.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# A request past this is killed and logged; every page is far below it.
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("WEB_GRACEFUL_TIMEOUT", "20"))
# Behind a proxy that keeps connections open.
keepalive = int(os.environ.get("WEB_KEEPALIVE", "5"))
# A worker is replaced after so many requests (jittered so all do not restart at once), which
# bounds any slow growth of memory.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "2000"))
max_requests_jitter = max(1, max_requests // 10)
# The app loaded once, before forking: faster start, shared memory.
preload_app = True
# Access log to stdout, with the request id the app gives each request (X-Request-ID) and the
# time taken in microseconds, to stdout; WEB_ACCESS_LOG="" turns it off (JSON logs with
# LOG_REQUESTS already write one line per request).
accesslog = os.environ.get("WEB_ACCESS_LOG", "-") or None
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(D)sus rid=%({x-request-id}o)s "%(a)s"'
errorlog = "-"
loglevel = os.environ.get("WEB_LOG_LEVEL", "info")
# Temporary request bodies in memory rather than on a container's disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Only the proxy in front may set X-Forwarded-*: trust just the ones named.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn 27's control socket sits in the home folder, shared by every gunicorn of the user
# (the smoke and load runs start their own): off unless asked for.
control_socket_disable = os.environ.get("WEB_CONTROL_SOCKET", "") == ""
if not control_socket_disable:
    control_socket = os.environ["WEB_CONTROL_SOCKET"]
