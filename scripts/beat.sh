#!/usr/bin/env bash
# Celery beat of `make run`: sends the reaper (journeys.tasks.reap_jobs) every JOB_REAP_EVERY
# seconds. Production runs exactly one beat process. Its schedule file lives under var/.
set -u
exec .venv/bin/celery -A planner beat --loglevel WARNING
