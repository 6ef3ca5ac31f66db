"""The project served in a subprocess, as `make run` or production serve it, for tests that
need a real server: several requests at once, or a database that goes away under it."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes
    seconds: float

    def json(self):
        return json.loads(self.body)


def request(url: str, *, method="GET", data=None, headers=None, timeout=30.0) -> Answer:
    """One HTTP request; any status is an Answer (never an exception), a dead server raises."""
    body = json.dumps(data).encode() if data is not None else None
    headers = {"Content-Type": "application/json", **(headers or {})} if body is not None else headers or {}
    started = time.monotonic()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, body, headers, method=method), timeout=timeout) as r:
            return Answer(r.status, dict(r.headers), r.read(), time.monotonic() - started)
    except urllib.error.HTTPError as error:
        return Answer(error.code, dict(error.headers), error.read(), time.monotonic() - started)


def project_env(tmp_path: Path, **extra: str) -> dict:
    """The environment of a served copy of the project: its own files, no Redis, no cache."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        REDIS_URL="",
        API_CACHE_SECONDS="0",
        MEDIA_ROOT=str(tmp_path / "media"),
        PRIVATE_MEDIA_ROOT=str(tmp_path / "private_media"),
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return env


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


class Served:
    """A server process group started with `command`; stopped (the whole group) on exit."""

    def __init__(self, command: list[str], env: dict, log: Path):
        self.log = log
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True
        )

    def wait_for(self, url: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"the server stopped:\n{self.log.read_text()[-3000:]}"
            try:
                request(url, timeout=2)
                return
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"the server did not answer {url}:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *exc):
        self.stop()
        if exc_type is not None:  # pytest shows this beside the failure
            print(f"--- {self.log.name} ---\n{self.log.read_text(errors='replace')[-6000:]}")
