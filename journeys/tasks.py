"""Celery tasks: a thin interface to plain functions. They take ids, never objects."""

from celery import shared_task

from journeys import notifications


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_new_member(membership_id: int) -> None:
    notifications.tell_new_member(membership_id)
