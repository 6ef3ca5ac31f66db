"""Handing work to tasks: after commit, in-process without a broker, one attempt, never an error page."""

import pytest
from celery import shared_task

from pti_bridge.images import StorageUnavailable
from pti_bridge.tasks import enqueue

pytestmark = pytest.mark.django_db

attempts: list[str] = []


@shared_task(autoretry_for=(StorageUnavailable,), retry_backoff=30, max_retries=8)
def storage_is_down(label: str) -> None:
    attempts.append(label)
    raise StorageUnavailable()


@shared_task
def record(label: str) -> str:
    attempts.append(label)
    return label


@pytest.fixture(autouse=True)
def _in_process(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    attempts.clear()


def test_task_runs_only_after_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enqueue(record, "photo 1")
    assert attempts == []

    for callback in callbacks:
        callback()

    assert attempts == ["photo 1"]


def test_in_process_failure_is_one_attempt_and_no_exception(django_capture_on_commit_callbacks, caplog):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(storage_is_down, "photo 2")

    # Celery would retry eight times at once, in the request; in-process we try once.
    assert attempts == ["photo 2"]
    assert any("failed" in message and "storage_is_down" in message for message in caplog.messages)
