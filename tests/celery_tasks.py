"""Tasks for the tests that run a real Celery worker (`celery worker --include tests.celery_tasks`)."""

import time
from pathlib import Path

from celery import shared_task


@shared_task
def note(path: str, text: str, seconds: float = 0) -> None:
    """Wait `seconds` (a task in flight), then append `text` to the file at `path`."""
    time.sleep(seconds)
    with Path(path).open("a") as file:
        file.write(f"{text}\n")
