#!/usr/bin/env bash
# The Celery worker of `make run`. honcho stops a process by signalling its whole process
# group, and SIGKILLs it 5 seconds later; the worker's pool children would die first (and be
# replaced, and killed again), and a SIGKILLed script would leave celery running on its own.
# So celery runs in a session of its own and only its main process is told to stop: first a
# warm shutdown (finish the running tasks); if that is not over within STOP_SECONDS, a cold one
# (SIGQUIT: the children are stopped at once; with acks_late the unfinished tasks' messages go
# back to the broker and run again on the next start); still there 1.5 s later, its process
# group is killed (a job it held is then taken back by the reaper once its lease is over).
# Ctrl-C of `make run` so ends within 5 seconds.
set -u
STOP_SECONDS=${WORKER_STOP_SECONDS:-2}
setsid .venv/bin/celery -A planner worker --queues default,diagrams,pricing,exports \
  --concurrency "${WORKER_CONCURRENCY:-2}" --without-gossip --without-mingle --without-heartbeat \
  --loglevel INFO &
pid=$!
stop() {
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq $((STOP_SECONDS * 10))); do
    kill -0 "$pid" 2>/dev/null || return
    sleep 0.1
  done
  kill -QUIT "$pid" 2>/dev/null
  for _ in $(seq 15); do
    kill -0 "$pid" 2>/dev/null || return
    sleep 0.1
  done
  kill -KILL -- "-$pid" 2>/dev/null
}
trap stop TERM INT
wait "$pid"
wait "$pid"
