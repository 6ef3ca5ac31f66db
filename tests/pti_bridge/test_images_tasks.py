"""Handing work to tasks: after commit, in-process without a broker, one attempt, never an error page."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from celery import shared_task
from django.conf import settings as django_settings

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


def test_a_worker_knows_every_task_beat_and_the_services_send():
    # A fresh process, as a worker starts: only what the Celery app discovers is registered.
    script = (
        "import json, django; django.setup()\n"
        "from pti_bridge.celery import app\n"
        "app.loader.import_default_modules()\n"
        "print(json.dumps(sorted(app.tasks)))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "pti_bridge.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    registered = set(json.loads(completed.stdout.strip().splitlines()[-1]))

    scheduled = {entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()}
    assert (
        scheduled | {"pti_bridge.tasks.make_renditions", "pti_bridge.outbox_tasks.dispatch_notification"} <= registered
    )
