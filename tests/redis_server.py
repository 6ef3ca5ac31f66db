"""A throwaway redis-server of the test's own, on a free loopback port, that a test may stop,
start again on the same port, or freeze (SIGSTOP: it accepts connections but never answers,
as a Redis behind a dropped network does).

`own_redis` is a fixture: import it into a test module to use it. It needs redis-server on the
PATH (Debian's redis-server package) and skips, as other services do, where there is none.
"""

import os
import shutil
import signal
import subprocess
import time

import pytest
import redis

from tests.conftest import free_port, require_service


class RedisServer:
    def __init__(self, directory):
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.directory,
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                if redis.Redis(port=self.port, socket_connect_timeout=0.2).ping():
                    return
            except redis.RedisError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        """Stop it for good (SIGKILL, as a crash would): its data is gone."""
        if self.process is not None:
            self.resume()
            self.process.kill()
            self.process.wait(10)
            self.process = None

    def freeze(self) -> None:
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_timeout=2)


@pytest.fixture
def own_redis(tmp_path):
    require_service("redis-server", shutil.which("redis-server") is not None, "install Debian's redis-server")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()
