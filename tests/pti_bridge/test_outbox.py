"""The outbox against a real SMTP server on loopback (aiosmtpd), stopped and started by the tests."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone

from pti_bridge import outbox
from pti_bridge.audit import audit_trail
from pti_bridge.errors import InvalidTransition
from pti_bridge.models import Notification
from tests import smtp_server
from tests.conftest import backend_pid, terminate_backend

smtp = smtp_server.smtp  # the fixture: a real SMTP server on loopback

S = Notification.Status


def _email(n=0):
    return outbox.enqueue_email(
        kind="inquiry_forwarded",
        to=f"exporter{n}@vanua.example",
        subject=f"New inquiry #{n}",
        text="A buyer in Shanghai asks about vanilla.",
        html="<p>A buyer in Shanghai asks about <b>vanilla</b>.</p>",
    )


@pytest.mark.django_db
def test_committed_notification_is_sent_after_commit_with_text_and_html(smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notification = _email()
        assert smtp.inbox.messages == []  # nothing leaves inside the transaction

    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (S.SENT, 1)
    assert notification.sent_at is not None
    [message] = smtp.inbox.messages
    assert message["To"] == "exporter0@vanua.example"
    assert message["Subject"] == "New inquiry #0"
    assert sorted(part.get_content_type() for part in message.walk() if not part.is_multipart()) == [
        "text/html",
        "text/plain",
    ]


@pytest.mark.django_db
def test_rolled_back_change_leaves_no_row_and_sends_nothing(smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            _email()
            raise RuntimeError("the change failed")

    assert callbacks == []
    assert not Notification.objects.exists()
    assert smtp.inbox.messages == []


@pytest.mark.django_db
def test_smtp_down_then_back_delivers_each_notification_exactly_once(smtp, django_capture_on_commit_callbacks):
    smtp.stop()
    with django_capture_on_commit_callbacks(execute=True):
        notifications = [_email(n) for n in range(3)]

    for notification in notifications:
        notification.refresh_from_db()
        assert (notification.status, notification.attempts) == (S.PENDING, 1)
        assert "Connection refused" in notification.last_error or "Errno" in notification.last_error
        assert notification.next_attempt_at > timezone.now()

    assert outbox.dispatch_due() == {}  # not due yet: backoff
    smtp.start()
    later = timezone.now() + timedelta(minutes=2)
    assert outbox.dispatch_due(now=later) == {"sent": 3}
    assert outbox.dispatch_due(now=later + timedelta(days=1)) == {}

    assert sorted(m["To"] for m in smtp.inbox.messages) == [f"exporter{n}@vanua.example" for n in range(3)]
    assert set(Notification.objects.values_list("status", "attempts")) == {(S.SENT, 2)}


@pytest.mark.django_db
def test_after_the_last_attempt_the_row_fails_and_staff_can_retry(smtp, staff, alice):
    smtp.stop()
    notification = _email()
    now = timezone.now()
    for _attempt in range(outbox.MAX_ATTEMPTS):
        now += timedelta(hours=3)
        outbox.dispatch_one(notification.pk, now=now)
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (S.FAILED, outbox.MAX_ATTEMPTS)
    assert outbox.dispatch_due(now=now + timedelta(days=30)) == {}

    with pytest.raises(PermissionDenied):
        outbox.notification_retry(notification=notification, actor=alice)
    notification.refresh_from_db()
    assert notification.status == S.FAILED

    smtp.start()
    outbox.notification_retry(notification=notification, actor=staff)
    outbox.dispatch_due()
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (S.SENT, 1)
    assert len(smtp.inbox.messages) == 1
    assert audit_trail(notification).get().actor == staff
    with pytest.raises(InvalidTransition):
        outbox.notification_retry(notification=notification, actor=staff)


@pytest.mark.django_db
def test_a_row_abandoned_mid_send_is_taken_up_after_the_lease(smtp):
    notification = _email()
    Notification.objects.filter(pk=notification.pk).update(status=S.SENDING, attempts=1)

    assert outbox.dispatch_due() == {}
    assert outbox.dispatch_due(now=timezone.now() + outbox.SENDING_LEASE + timedelta(seconds=1)) == {"sent": 1}
    assert len(smtp.inbox.messages) == 1


@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_at_once_send_every_row_once(smtp, postgres):
    smtp_delay = threading.Event()
    # Rows as a crashed web process would leave them: committed, never dispatched.
    notifications = Notification.objects.bulk_create(
        Notification(
            channel=Notification.Channel.EMAIL,
            kind="inquiry_forwarded",
            recipient=f"exporter{n}@vanua.example",
            payload={"subject": f"Inquiry {n}", "text": "Hello", "html": ""},
        )
        for n in range(30)
    )

    results, errors = [], []

    def dispatcher():
        try:
            smtp_delay.wait()
            results.append(outbox.dispatch_due())
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatcher) for _ in range(2)]
    for thread in threads:
        thread.start()
    smtp_delay.set()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sum(counts.get("sent", 0) for counts in results) == 30
    ids = sorted(int(m["X-PTI-Notification"]) for m in smtp.inbox.messages)
    assert ids == sorted(n.pk for n in notifications)


@pytest.mark.django_db(transaction=True)
def test_a_database_blip_between_sending_and_recording_does_not_send_again(smtp, postgres, caplog):
    """The dispatcher's PostgreSQL connection is killed (pg_terminate_backend, from another
    connection) the moment the SMTP server receives the e-mail: the outcome is still recorded,
    on a new connection, and no later dispatch sends it again."""
    notification = Notification.objects.create(  # committed, not dispatched yet
        channel=Notification.Channel.EMAIL,
        kind="inquiry_forwarded",
        recipient="exporter@vanua.example",
        payload={"subject": "New inquiry", "text": "Hello", "html": ""},
    )
    dispatcher_pid = backend_pid()
    smtp.inbox.on_message = lambda: terminate_backend(dispatcher_pid)
    assert outbox.dispatch_one(notification.pk) == S.SENT

    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (S.SENT, 1)
    assert "trying again" in caplog.text  # the blip happened, and was ridden out
    smtp.inbox.on_message = None
    after_the_lease = timezone.now() + outbox.SENDING_LEASE + timedelta(seconds=1)
    assert outbox.dispatch_due(now=after_the_lease) == {}
    assert outbox.dispatch_one(notification.pk, now=after_the_lease) is None
    assert len(smtp.inbox.messages) == 1
