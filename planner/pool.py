"""Celery's prefork pool, with children that wait for work without holding the queue's lock.

Why: with a broker that has no event loop (kombu's filesystem transport, the embedded default),
Celery runs billiard's blocking pool, whose children share one task queue guarded by one
process-shared lock. An idle child waits for its next task *inside* that lock
(`SimpleQueue.get_payload`: `with self._rlock: recv_bytes()`), so a child killed while idle
(`kill -9`, the OOM killer) dies holding it: every replacement child then blocks on the lock
forever, tasks are "received" but never start, and the worker is wedged until it is killed by
hand. (Killing only the busy child did not wedge it: the idle one held the lock.)

Here a child waits for the queue to become readable without the lock and takes the lock only
to read one message that is already there, so a kill can no longer leave the lock held while
the child waits. Redis and other brokers with an event loop use Celery's AsynPool, with a
queue per child, and are not affected; the class is the same for all of them.

Selected with `CELERY_WORKER_POOL` (settings) or `--pool planner.pool:TaskPool`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from billiard import pool as billiard_pool
from billiard.common import pickle_loads
from celery.concurrency import prefork


class _Worker(billiard_pool.Worker):
    def _make_recv_method(self, conn: Any) -> Callable[[float], tuple[bool, Any]]:
        reader = getattr(conn, "_reader", None)
        lock = getattr(conn, "_rlock", None)
        if reader is None or lock is None:
            return super()._make_recv_method(conn)  # type: ignore[misc,no-any-return]

        def receive(timeout: float) -> tuple[bool, Any]:
            if not reader.poll(timeout):
                return False, None
            if not lock.acquire(timeout=timeout):
                return False, None
            try:
                if not reader.poll(0):  # another child read it first
                    return False, None
                payload = reader.recv_bytes()
            finally:
                lock.release()
            return True, pickle_loads(payload)

        return receive


class _BlockingPool(billiard_pool.Pool):
    Worker = _Worker


class TaskPool(prefork.TaskPool):
    """Celery's prefork pool; only the blocking variant's children receive differently."""

    BlockingPool = _BlockingPool
