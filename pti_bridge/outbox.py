"""The outbox: notifications written with the change that causes them, sent after commit.

A service calls `enqueue(...)` inside its transaction; the row commits or rolls back
with the change, so a rolled-back change never notifies anyone, and nothing is sent
from inside the transaction. After commit the row is dispatched: by a Celery worker
when REDIS_URL is set (plus the periodic `sweep` for rows whose task never ran), or
in-process otherwise (plus `manage.py dispatch_outbox`).

Sending is claimed row by row (`select_for_update(skip_locked=True)`, then the status
`sending` with a lease), so two dispatchers running at once never send a row twice.
A failed send is retried with backoff; after the last attempt the row is `failed`
and staff see it in the admin, with a retry action.
"""

import logging
import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from pti_bridge.models import Notification
from pti_bridge.redis_outage import redis_down

logger = logging.getLogger(__name__)

Status = Notification.Status
Channel = Notification.Channel

# Delay before attempt n+1 after n failed attempts; after the last one the row fails.
BACKOFF = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2)]
MAX_ATTEMPTS = len(BACKOFF) + 1
# A row left `sending` longer than this (a worker died mid-send) is taken up again.
SENDING_LEASE = timedelta(minutes=10)
# Tries to record a send's outcome through a database blip (waits 0.5, 1, 2, 4 s between them).
FINISH_ATTEMPTS = 5
FINISH_RETRY_SECONDS = 0.5


class PermanentSendError(Exception):
    """The outside refused this notification for good (e.g. the buyer refused WeChat messages)."""


def _send_email(notification: Notification) -> None:
    payload = notification.payload
    message = EmailMultiAlternatives(
        subject=payload["subject"],
        body=payload["text"],
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient],
        headers={"X-PTI-Notification": str(notification.pk)},
    )
    if payload.get("html"):
        message.attach_alternative(payload["html"], "text/html")
    message.send(fail_silently=False)


_senders: dict[str, Callable[[Notification], None]] = {Channel.EMAIL: _send_email}


def register_sender(channel: str, sender: Callable[[Notification], None]) -> None:
    """Let a higher layer say how a channel is sent (the buyers app registers WeChat)."""
    _senders[channel] = sender


def enqueue(*, channel: str, kind: str, recipient: str, payload: dict) -> Notification:
    """Write one outbox row in the caller's transaction; it is dispatched after commit."""
    notification = Notification(channel=channel, kind=kind, recipient=recipient, payload=payload)
    notification.full_clean()
    notification.save()
    transaction.on_commit(lambda: _schedule(notification.pk))
    return notification


def enqueue_email(*, kind: str, to: str, subject: str, text: str, html: str = "") -> Notification:
    return enqueue(
        channel=Channel.EMAIL, kind=kind, recipient=to, payload={"subject": subject, "text": text, "html": html}
    )


def _schedule(notification_id: int) -> None:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        # No task queue: send in-process, after the commit, outside any transaction.
        dispatch_one(notification_id)
        return
    from pti_bridge.outbox_tasks import dispatch_notification

    if redis_down():  # the broker is that Redis: no try, no wait; the sweep sends the row
        return
    try:
        dispatch_notification.delay(notification_id)
    except Exception:  # the broker is down: the periodic sweep will find the row
        logger.warning(
            "outbox: could not queue notification %s; the sweep will send it", notification_id, exc_info=True
        )


def _claim(notification_id: int, now) -> Notification | None:
    """Take one due row for sending, or None if it is not due or another dispatcher has it."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification_id)
            .filter(
                Q(status=Status.PENDING, next_attempt_at__lte=now)
                | Q(status=Status.SENDING, next_attempt_at__lte=now - SENDING_LEASE)
            )
            .first()
        )
        if notification is None:
            return None
        notification.status = Status.SENDING
        notification.attempts += 1
        notification.next_attempt_at = now
        notification.save(update_fields=["status", "attempts", "next_attempt_at"])
    return notification


def dispatch_one(notification_id: int, *, now=None) -> str | None:
    """Send one notification if it is due and free; returns its new status, or None if skipped."""
    now = now or timezone.now()
    notification = _claim(notification_id, now)
    if notification is None:
        return None
    sender = _senders.get(notification.channel)
    try:
        if sender is None:
            raise PermanentSendError(f"no sender registered for channel {notification.channel!r}")
        sender(notification)
    except PermanentSendError as error:
        _finish(notification, status=Status.FAILED, error=str(error))
    except Exception as error:  # noqa: BLE001 - any failure of the outside is retried later
        logger.warning("outbox: sending notification %s failed: %s", notification.pk, error)
        if notification.attempts >= MAX_ATTEMPTS:
            _finish(notification, status=Status.FAILED, error=f"{type(error).__name__}: {error}")
        else:
            _finish(
                notification,
                status=Status.PENDING,
                error=f"{type(error).__name__}: {error}",
                next_attempt_at=now + BACKOFF[notification.attempts - 1],
            )
    else:
        _finish(notification, status=Status.SENT, sent_at=timezone.now())
    return notification.status


def _finish(notification: Notification, *, status: str, error: str = "", next_attempt_at=None, sent_at=None) -> None:
    notification.status = status
    notification.last_error = error[:2000]
    fields = ["status", "last_error"]
    if next_attempt_at is not None:
        notification.next_attempt_at = next_attempt_at
        fields.append("next_attempt_at")
    if sent_at is not None:
        notification.sent_at = sent_at
        fields.append("sent_at")
    values = {field: getattr(notification, field) for field in fields}
    for attempt in range(1, FINISH_ATTEMPTS + 1):
        try:
            # Only the claimer may finish the row: it is ours while it says `sending`.
            Notification.objects.filter(pk=notification.pk, status=Status.SENDING).update(**values)
            return
        except (OperationalError, InterfaceError) as error:
            # The database blinked after the send: a row left `sending` would be sent again when
            # its lease ends, so record the outcome on a new connection, a few times, first.
            if attempt == FINISH_ATTEMPTS or connection.in_atomic_block:
                logger.error("outbox: could not record notification %s as %s: %s", notification.pk, status, error)
                raise
            logger.warning("outbox: recording notification %s failed (%s); trying again", notification.pk, error)
            connection.close()
            time.sleep(FINISH_RETRY_SECONDS * 2 ** (attempt - 1))


def due_ids(*, now=None, limit: int = 500) -> list[int]:
    now = now or timezone.now()
    return list(
        Notification.objects.filter(
            Q(status=Status.PENDING, next_attempt_at__lte=now)
            | Q(status=Status.SENDING, next_attempt_at__lte=now - SENDING_LEASE)
        )
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )


def dispatch_due(*, now=None, limit: int = 500) -> dict[str, int]:
    """Send every due row (the sweep and `manage.py dispatch_outbox`); returns counts by outcome."""
    counts: dict[str, int] = {}
    for notification_id in due_ids(now=now, limit=limit):
        outcome = dispatch_one(notification_id, now=now) or "skipped"
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def notification_retry(*, notification: Notification, actor) -> Notification:
    """Staff send a failed notification again: a fresh set of attempts, due now."""
    from pti_bridge.audit import audit_record
    from pti_bridge.errors import InvalidTransition
    from pti_bridge.permissions import require_staff

    require_staff(actor)
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification.pk)
        if notification.status != Status.FAILED:
            raise InvalidTransition(f"Only failed notifications can be retried; this one is {notification.status}.")
        notification.status = Status.PENDING
        notification.attempts = 0
        notification.next_attempt_at = timezone.now()
        notification.save(update_fields=["status", "attempts", "next_attempt_at"])
        audit_record(obj=notification, action="retry", actor=actor, from_status=Status.FAILED, to_status=Status.PENDING)
        transaction.on_commit(lambda: _schedule(notification.pk))
    return notification
