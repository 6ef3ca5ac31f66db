"""Celery tasks of the inquiries app (discovered by pti_bridge.celery)."""

from celery import shared_task

from inquiries import digest


@shared_task(ignore_result=True)
def send_staff_digest() -> None:
    """Daily (Celery beat, 09:00 in Beijing): the staff digest, once per recipient per day."""
    digest.send_staff_digest()
