"""Celery tasks of the outbox (used when REDIS_URL configures a task queue)."""

from celery import shared_task

from pti_bridge import outbox


@shared_task(ignore_result=True)
def dispatch_notification(notification_id: int) -> None:
    outbox.dispatch_one(notification_id)


@shared_task(ignore_result=True)
def sweep_outbox() -> None:
    """Periodic (Celery beat): send rows whose task never ran or whose retry is due."""
    outbox.dispatch_due()
