"""PostgreSQL going away under a running server, and coming back.

A throwaway PostgreSQL of the test's own (initdb on a free port: never the machine's shared
one) serves the project under gunicorn, as in production. While it is stopped every door
answers 503 with Retry-After: the API in its error shape and the request's language, the
portal and the admin a plain page (the admin in its user's language), whichever layer met
the outage (the session and the buyer's token are read before any view). Started again, the
same server process answers 200: no restart.
"""

import glob
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.conftest import free_port, require_service
from tests.servers import Served, manage, project_env, request


def _postgres_bin() -> Path | None:
    initdb = shutil.which("initdb") or next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))), None)
    return Path(initdb).parent if initdb else None


class ThrowawayPostgres:
    """initdb into a temporary folder; PostgreSQL refuses to run as root, so as `postgres` then."""

    def __init__(self, bindir: Path):
        self.bindir, self.port = bindir, free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="pti-outage-pg-"))
        self.user = "postgres" if os.geteuid() == 0 else None
        if self.user:
            shutil.chown(self.folder, self.user)
        self.data = self.folder / "data"
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, program: str, *args: str) -> None:
        subprocess.run(
            [str(self.bindir / program), *args],
            check=True,
            capture_output=True,
            user=self.user,
            cwd=self.folder,
            timeout=120,
        )

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c fsync=off"
        self._run("pg_ctl", "start", "-w", "-D", str(self.data), "-l", str(self.folder / "log"), "-o", options)

    def stop(self) -> None:
        self._run("pg_ctl", "stop", "-w", "-m", "fast", "-D", str(self.data))

    def remove(self) -> None:
        subprocess.run(
            [str(self.bindir / "pg_ctl"), "stop", "-m", "immediate", "-D", str(self.data)],
            capture_output=True,
            user=self.user,
            cwd=self.folder,
        )
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def postgres_server():
    bindir = _postgres_bin()
    require_service("initdb (PostgreSQL's server programs)", bindir is not None, "apt-get install postgresql")
    server = ThrowawayPostgres(bindir)
    try:
        server.start()
        yield server
    finally:
        server.remove()


SETUP = """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from buyers.models import Buyer
from buyers.services import token_issue

def session_of(user):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key

User = get_user_model()
staff = User.objects.create_superuser("li.wei", "li.wei@pti.example", "x-unused-password")
exporter = User.objects.create_user("alice", "alice@vanua.example", "x-unused-password")
plain, _token = token_issue(buyer=Buyer.objects.create(openid="o-outage-buyer"))
print(session_of(staff), session_of(exporter), plain)
"""


def test_postgres_down_is_503_everywhere_and_the_server_recovers_by_itself(tmp_path, postgres_server):
    env = project_env(tmp_path, DATABASE_URL=postgres_server.url, DJANGO_DEBUG="true", DATABASE_CONN_MAX_AGE="60")
    manage(env, "migrate", "--no-input", "-v0")
    staff_session, exporter_session, buyer_token = manage(env, "shell", "-c", SETUP).split()[-3:]
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "pti_bridge.wsgi",
        "-b",
        f"127.0.0.1:{port}",
        "-w",
        "1",
        "--threads",
        "4",
        "--timeout",
        "60",
        "--no-control-socket",  # its default path is shared by every gunicorn on the machine
    ]
    with Served(command, env, tmp_path / "server.log") as server:
        base = f"http://127.0.0.1:{port}"
        server.wait_for(base + "/api/v1/categories/")
        doors = {
            "products": (base + "/api/v1/products/", {"Accept-Language": "zh-CN,zh;q=0.9"}),
            "me": (base + "/api/v1/me/", {"Authorization": f"Bearer {buyer_token}", "Accept-Language": "en"}),
            "portal": (base + "/portal/", {"Cookie": f"sessionid={exporter_session}"}),
            "admin": (base + "/admin/", {"Cookie": f"sessionid={staff_session}", "Accept-Language": "zh-CN,zh"}),
        }
        # Each door's own answer to these users (alice, in no company yet, gets the portal's 403 page).
        normal = {name: request(url, headers=headers).status for name, (url, headers) in doors.items()}
        assert normal["products"] == normal["me"] == 200 and max(normal.values()) < 500

        postgres_server.stop()
        # Twice each: the kept connections die on the first round; the second must connect afresh.
        outage = {name: [request(url, headers=headers) for _ in range(2)] for name, (url, headers) in doors.items()}

        for answers in outage.values():
            assert [(a.status, a.headers.get("Retry-After")) for a in answers] == [(503, "60")] * 2
        assert {a.json()["error"]["code"] for a in outage["products"] + outage["me"]} == {"service_unavailable"}
        assert outage["products"][0].headers["Content-Type"] == "application/json"
        assert outage["products"][0].json()["error"]["message"] == "服务暂时不可用，请一分钟后再试。"
        assert outage["me"][0].json()["error"]["message"] == (
            "The service is briefly unavailable; please try again in a minute."
        )
        portal, admin = outage["portal"][0], outage["admin"][0]
        assert portal.headers["Content-Type"].startswith("text/html")
        assert "Back in a minute" in portal.body.decode() and "Traceback" not in portal.body.decode()
        assert "请稍候片刻" in admin.body.decode() and "PTI Bridge 后台" in admin.body.decode()

        postgres_server.start()
        pid = server.process.pid
        recovered = {
            name: {request(url, headers=headers).status for _ in range(4)} for name, (url, headers) in doors.items()
        }
        assert recovered == {name: {status} for name, status in normal.items()}
        assert server.process.poll() is None and server.process.pid == pid

    log = (tmp_path / "server.log").read_text()
    assert log.count("Database unavailable") == 1, log[-3000:]
    assert "Traceback" not in log, log[-6000:]
    assert "Database available again" in log, log[-3000:]
