"""A real S3-compatible server (moto's server mode) on a free loopback port, for the whole run.

The storages are configured by running pti_bridge/settings.py itself with
STORAGE_BACKEND=s3 and S3_* variables, so the tests exercise the settings a
production deployment gets, pointed at the local server.
"""

import os
import runpy
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest

ROOT = Path(__file__).resolve().parents[2]
ACCESS_KEY, SECRET_KEY, REGION = "pti-test-key", "pti-test-secret", "ap-shanghai"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen, log: Path, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the S3 server exited: {log.read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the S3 server did not listen on {port} within {timeout} s")


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory):
    """Start tests/storage/s3_server.py as a subprocess; its URL, e.g. http://127.0.0.1:40123."""
    port = free_port()
    log = tmp_path_factory.mktemp("s3") / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("s3_server.py")), str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
    try:
        _wait_for(port, process, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def s3_storages(*, endpoint: str, bucket: str, signed_seconds: int = 300, **more: str) -> dict:
    """STORAGES as pti_bridge/settings.py builds them for these S3_* variables (and `more`)."""
    variables = {
        **more,
        "STORAGE_BACKEND": "s3",
        "S3_BUCKET_NAME": bucket,
        "S3_ENDPOINT_URL": endpoint,
        "S3_REGION_NAME": REGION,
        "S3_ACCESS_KEY_ID": ACCESS_KEY,
        "S3_SECRET_ACCESS_KEY": SECRET_KEY,
        "S3_SIGNED_URL_SECONDS": str(signed_seconds),
    }
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        namespace = runpy.run_path(str(ROOT / "pti_bridge" / "settings.py"), run_name="settings_under_test")
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return namespace["STORAGES"]


@dataclass
class Bucket:
    endpoint: str
    name: str
    client: object

    def keys(self, prefix: str = "") -> list[str]:
        response = self.client.list_objects_v2(Bucket=self.name, Prefix=prefix)
        return sorted(item["Key"] for item in response.get("Contents", []))

    def body(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()


def use_storages(settings, storages: dict) -> None:
    settings.STORAGES = {**settings.STORAGES, "default": storages["default"], "private": storages["private"]}


@pytest.fixture
def s3_bucket(s3_endpoint, settings) -> Bucket:
    """A fresh bucket on the loopback S3 server, and both storages pointed at it."""
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name=REGION,
    )
    name = f"pti-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    use_storages(settings, s3_storages(endpoint=s3_endpoint, bucket=name))
    return Bucket(s3_endpoint, name, client)
