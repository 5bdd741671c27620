#!/usr/bin/env bash
# The Celery worker of `make run`. honcho stops a process by signalling its whole process
# group; the worker's pool children would then die before the worker could stop them (and be
# restarted, and killed again). So the worker runs in a session of its own, and only its main
# process is told to stop: it finishes cleanly (warm shutdown) with its children.
set -u
setsid .venv/bin/celery -A planner worker --queues default,diagrams,pricing,exports \
  --concurrency 2 --without-gossip --without-mingle --without-heartbeat --loglevel INFO &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null' TERM INT
wait "$pid"
wait "$pid"
