"""Background work, and how every door hands work to it.

`enqueue(task, *args)` runs the task after the current transaction commits:
on a Celery worker when a broker is configured (REDIS_URL), or in this process
when `CELERY_TASK_ALWAYS_EAGER` is true (no REDIS_URL), where a failure is
logged and never breaks the request that already committed.
"""

import logging

from celery import shared_task
from django.apps import apps
from django.conf import settings
from django.db import transaction

from pti_bridge import renditions
from pti_bridge.images import StorageUnavailable
from pti_bridge.redis_outage import redis_down

logger = logging.getLogger(__name__)


def enqueue(task, *args, **kwargs) -> None:
    """Run `task` with these arguments once the current transaction commits."""

    def send():
        if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
            # Start at the last retry: in-process, a retry would run at once, in the request,
            # ignoring its countdown; one attempt, then remake_renditions --missing.
            result = task.apply(args=args, kwargs=kwargs, retries=task.max_retries or 0)
            if result.failed():
                logger.error("in-process task %s%r failed: %s", task.name, args, result.result)
        elif redis_down():  # the broker is that Redis: no try, no wait
            logger.warning("task %s%r not queued: Redis is unavailable", task.name, args)
        else:
            task.apply_async(args=args, kwargs=kwargs)

    # robust: a broker that is down must not turn a committed upload into an error page;
    # the photo then waits for `remake_renditions --missing`.
    transaction.on_commit(send, robust=True)


@shared_task(
    autoretry_for=(StorageUnavailable,),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    max_retries=8,
)
def make_renditions(model_label: str, pk: int) -> bool:
    """Make the renditions of one image row (a model with an image file and a JSON field
    for its renditions: pti_bridge.renditions.spec_of), or clear them if it has no file.

    Named by model label so the plumbing knows no app. Returns False when the row
    is gone or its file changed meanwhile (nothing to do).
    """
    model = apps.get_model(model_label)
    instance = model._default_manager.filter(pk=pk).first()
    if instance is None:
        return False
    return renditions.refresh_renditions(instance) is not None


def schedule_renditions(instance) -> None:
    """The image file of `instance` was set, replaced or removed (by any door): its
    renditions follow once the transaction commits (made, or cleared and deleted)."""
    enqueue(make_renditions, instance._meta.label, instance.pk)
