"""A real Celery worker (the project's app and settings) against a redis-server of the test's own,
which the test restarts while tasks are in flight: the worker survives and works on.

Before pti_bridge/broker.py the restart killed the worker for good ("Unrecoverable error:
AttributeError: 'NoneType' object has no attribute 'hostname'", kombu restoring the
unacknowledged messages)."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from pti_bridge.celery import app
from tests.celery_tasks import note
from tests.redis_server import own_redis  # noqa: F401


@pytest.fixture
def worker(own_redis, tmp_path):  # noqa: F811
    log = tmp_path / "worker.log"
    env = {**os.environ, "REDIS_URL": own_redis.url, "PYTHONUNBUFFERED": "1"}
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "pti_bridge", "worker", "--loglevel", "INFO"]
            + ["--concurrency", "2", "--include", "tests.celery_tasks", "--without-mingle", "--without-gossip"],
            cwd=django_settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    process.log = log
    yield process
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


def send(url: str, path: Path, text: str, seconds: float = 0) -> None:
    with app.connection_for_write(url) as connection:
        note.apply_async((str(path), text, seconds), connection=connection)


def wait_for_lines(path: Path, wanted: set[str], seconds: float) -> set[str]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = set(path.read_text().split()) if path.exists() else set()
        if wanted <= found:
            break
        time.sleep(0.2)
    return found


def test_the_worker_survives_a_redis_restart_with_tasks_in_flight(own_redis, worker, tmp_path):  # noqa: F811
    done = tmp_path / "done.txt"
    send(own_redis.url, done, "ready")
    assert "ready" in wait_for_lines(done, {"ready"}, 60), worker.log.read_text()[-3000:]

    # Two running, the others prefetched: all of them unacknowledged (acks_late).
    for number in range(6):
        send(own_redis.url, done, f"in-flight-{number}", seconds=2)
    time.sleep(1)
    own_redis.stop()
    time.sleep(1)
    own_redis.start()  # empty: what was queued in Redis is gone (the outbox sweep sends it again)

    after = {f"after-restart-{number}" for number in range(3)}
    for text in sorted(after):
        send(own_redis.url, done, text)
    found = wait_for_lines(done, after, 60)

    log = worker.log.read_text()
    assert worker.poll() is None, log[-3000:]
    assert "Connection to broker lost" in log  # it saw the restart
    assert "Unrecoverable error" not in log
    assert after <= found, log[-3000:]
