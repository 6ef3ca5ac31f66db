"""The fault drill: serve the project as in production, load it, and break its parts one at a time.

    .venv/bin/python bench/fault_drill.py           # 5 phases of 40 s, then the outbox's drain
    .venv/bin/python bench/fault_drill.py --quick   # 5 phases of 20 s

It starts its own PostgreSQL (initdb on a spare port), Redis, an SMTP sink and the WeChat
stand-in, loads the demo catalogue, and serves the project with gunicorn, a Celery worker
and Celery beat (DJANGO_DEBUG=false). A few threads send a mixed load (catalogue reads,
sign-ins, inquiries, follow-up messages; in this process, staff translate the buyers' words and
the exporter's answers through the services, which forwards, releases and answers) while the
drill kills and restarts, one at a time: Redis, PostgreSQL, the Celery worker, one gunicorn
worker. A service that dies by itself is restarted, as systemd would, and reported. After the
last fault it waits for the outbox to drain, then prints per phase what was sent, acknowledged,
answered 5xx, lost and doubled.

Exits 1 when a target is missed: no acknowledged inquiry or message lost, no expected
notification lost or doubled, no 5xx answer but 503 with Retry-After, no request left
without an answer (except the one the killed gunicorn worker held), no notification later
than LATE_SECONDS, no service dying by itself.
"""

import argparse
import glob
import itertools
import json
import logging
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter, defaultdict, deque
from http.client import HTTPException
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
SECRET = "fault-drill-only-secret-key-" + "x" * 40
FAULTS = ["redis", "postgres", "celery worker", "gunicorn worker"]
PHASES = ["steady", *FAULTS]
CLIENT_TIMEOUT = 60  # longer than gunicorn's 30 s: a hang shows as the worker killed, not as our give-up
COLUMNS = [
    *["sent", "acked", "503 ok", "5xx", "5xx when up", "no answer", "writes lost"],
    *["notes expected", "notes lost", "doubled", "slowest note s"],
]
# What the buyers write, as staff put it into English for the exporter.
ENGLISH = {"请报价，谢谢。": "Please send us a quote, thank you.", "还有其他规格吗？": "Do you have other sizes?"}
# Beat's sweep runs every 60 s: a notification later than this waited for something else (a hung worker).
LATE_SECONDS = 150


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_bin(name: str) -> str:
    for folder in ["/usr/local/bin", *sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]:
        if os.path.exists(f"{folder}/{name}"):
            return f"{folder}/{name}"
    raise SystemExit(f"PostgreSQL's {name} is not installed")


class Stack:
    """The drill's own services. Each runs in its own session, so killing one kills all its processes."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.ports = {name: free_port() for name in ("postgres", "redis", "wechat", "http")}
        self.procs: dict[str, subprocess.Popen] = {}
        self.exits: list[tuple[str, str, str]] = []  # (phase, service, last log line) of services dying by themselves
        self.env: dict[str, str] = {}
        # initdb and postgres refuse to run as root.
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.pgdir = tmp / "pg"

    # PostgreSQL: a daemon under pg_ctl, stopped "immediate" (a crash) for its fault.
    def pg_init(self) -> None:
        self.pgdir.mkdir()
        if self.as_postgres:
            self.tmp.chmod(0o755)
            shutil.chown(self.pgdir, "postgres", "postgres")
        subprocess.run(
            [*self.as_postgres, pg_bin("initdb"), "-D", f"{self.pgdir}/data", "-U", "postgres", "--auth=trust"]
            + ["--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        self.pg_start()
        subprocess.run(
            [pg_bin("psql"), "-h", "127.0.0.1", "-p", str(self.ports["postgres"]), "-U", "postgres", "-q"]
            + ["-c", "CREATE DATABASE pti_drill"],
            check=True,
        )

    def pg_start(self) -> None:
        # fsync off: an immediate stop crashes PostgreSQL, not the machine; the page cache keeps the writes.
        options = f"-p {self.ports['postgres']} -k {self.pgdir} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            [*self.as_postgres, pg_bin("pg_ctl"), "-D", f"{self.pgdir}/data", "-l", f"{self.pgdir}/log"]
            + ["-o", options, "-w", "-t", "60", "start"],
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def pg_stop(self) -> None:
        subprocess.run(
            [*self.as_postgres, pg_bin("pg_ctl"), "-D", f"{self.pgdir}/data", "-m", "immediate", "-w", "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    # Everything else: child processes, restartable by name.
    def command(self, name: str) -> list[str]:
        bin_dir = Path(sys.executable).parent
        celery = [str(bin_dir / "celery"), "-A", "pti_bridge"]
        return {
            "redis": ["redis-server", "--port", str(self.ports["redis"]), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--dir", str(self.tmp)],
            "wechat": [sys.executable, "-m", "pti_bridge.wechat.standin", "--port", str(self.ports["wechat"])],
            "gunicorn": [str(bin_dir / "gunicorn"), "pti_bridge.wsgi:application", "--workers", "3"]
            + ["--bind", f"127.0.0.1:{self.ports['http']}", "--timeout", "30", "--chdir", str(ROOT)]
            + ["--no-control-socket"],  # its default path is shared by every gunicorn on the machine
            "celery worker": [*celery, "worker", "-l", "info", "--concurrency", "2", "-n", "drill@%h"],
            "celery beat": [*celery, "beat", "-l", "info", "-s", str(self.tmp / "beat-schedule"), "--pidfile="],
        }[name]

    def log(self, name: str) -> Path:
        return self.tmp / f"{name.replace(' ', '-')}.log"

    def start(self, name: str) -> None:
        with open(self.log(name), "ab") as log:
            self.procs[name] = subprocess.Popen(
                self.command(name), cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def kill(self, name: str) -> None:
        process = self.procs.pop(name)
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()

    def check(self, phase: str) -> None:
        """Restart any service that died by itself (systemd's Restart=on-failure), and note it."""
        for name, process in list(self.procs.items()):
            if process.poll() is not None:
                self.exits.append((phase, name, last_error(self.log(name))))
                self.kill(name)
                self.start(name)

    def gunicorn_workers(self) -> list[int]:
        pid = self.procs["gunicorn"].pid
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]

    def close(self) -> None:
        for name in list(self.procs):
            self.kill(name)
        if (self.pgdir / "data" / "postmaster.pid").exists():
            self.pg_stop()


def last_error(log: Path) -> str:
    lines = [line for line in log.read_text(errors="replace").splitlines() if "Error" in line or "error" in line]
    return lines[-1].strip()[:200] if lines else "(no error in its log)"


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {seconds:.0f} s")


def wait_for_port(port: int, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)


# The load: buyers on the Mini Program's API, recording every request.


def call(base: str, method: str, path: str, *, body=None, token=None, headers=None) -> tuple[int | None, dict, dict]:
    """(status, JSON body, headers); status None when no answer came (reset, refused, timeout)."""
    request = urllib.request.Request(
        base + path, method=method, data=None if body is None else json.dumps(body).encode()
    )
    request.add_header("Accept-Language", "zh-hans")
    if body is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    for key, value in (headers or {}).items():
        request.add_header(key, value)
    try:
        with urllib.request.urlopen(request, timeout=CLIENT_TIMEOUT) as response:
            status, raw, answer_headers = response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        status, raw, answer_headers = error.code, error.read(), error.headers
    except (OSError, HTTPException):
        return None, {}, {}
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        data = {}
    return status, data if isinstance(data, dict) else {}, dict(answer_headers)


RETRIES, RETRY_SECONDS = 8, 2.0  # a write is sent again for about 15 s while the server is away


class Load:
    """Shared state of the load threads: the current phase, every request, what each acknowledged write expects."""

    def __init__(self, base: str, products: list[int], policy_version: str):
        self.base, self.products, self.policy_version = base, products, policy_version
        self.phase = "steady"
        self.down = False  # a killed service is not back yet
        self.changes = 0  # kills and restarts so far: a request spanning one was touched by the fault
        self.stop = threading.Event()
        self.requests: list[dict] = []
        # acknowledged: {"phase", "kind": inquiry|message|answer, "id", "inquiry", "expects", "at"}
        self.writes: list[dict] = []
        # The buyers' inquiries and follow-ups waiting for staff's translation (which sends them on).
        self.untranslated: deque[dict] = deque()
        self.forwarded: set[int] = set()  # inquiries the exporter has (the buyers follow these up)
        self.answerable: deque[int] = deque()  # forwarded inquiries the exporter has not answered yet
        self.codes = itertools.count(1)

    def send(self, action: str, method: str, path: str, **kwargs) -> tuple[int | None, dict]:
        phase, down, changes = self.phase, self.down, self.changes
        status, data, headers = call(self.base, method, path, **kwargs)
        self.record(phase, down or changes != self.changes, action, status, "Retry-After" in headers)
        return status, data

    def record(self, phase: str, touched: bool, action: str, status, retry_after: bool = False) -> None:
        self.requests.append(
            {"phase": phase, "touched": touched, "action": action, "status": status, "retry_after": retry_after}
        )

    def buyer(self, number: int) -> None:
        rng = random.Random(number)
        token, user = None, ""
        mine = defaultdict(list)  # per buyer: inquiries not followed up yet
        while not self.stop.is_set():
            roll = rng.random()
            if token is None or roll < 0.05:  # a new or returning buyer signs in; a failure keeps the old token
                candidate = f"drill{number}-{rng.randrange(3)}"
                new_token = self.sign_in(candidate)
                if new_token:
                    token, user = new_token, candidate
            elif roll < 0.55:
                self.read(rng)
            elif roll < 0.8:
                self.inquire(rng, token, mine[user])
            else:  # one follow-up per forwarded inquiry: each notification then has one cause
                ready = [pk for pk in mine[user] if pk in self.forwarded]
                if ready:
                    pk = rng.choice(ready)
                    mine[user].remove(pk)
                    self.follow_up(pk, token)
            time.sleep(rng.uniform(0.05, 0.25))

    def sign_in(self, user: str) -> str | None:
        # The stand-in takes `valid-<user>#<n>` as a fresh single-use code for <user>.
        status, data = self.send(
            "sign-in", "POST", "/api/v1/auth/wechat/", body={"code": f"valid-{user}#{next(self.codes)}"}
        )
        if status != 200:
            return None
        token = data["token"]
        status, _ = self.send(
            "consent", "POST", "/api/v1/me/consent/", body={"policy_version": self.policy_version}, token=token
        )
        return token if status == 200 else None

    def read(self, rng: random.Random) -> None:
        path = rng.choice(
            [
                "/api/v1/home/",
                "/api/v1/products/",
                "/api/v1/products/?q=" + quote("香草"),
                "/api/v1/products/?q=coconut",
            ]
            + [f"/api/v1/products/{rng.choice(self.products)}/"] * 3
        )
        self.send("read", "GET", path)

    def inquire(self, rng: random.Random, token: str, mine: list[int]) -> None:
        phase = self.phase
        body = {"product": rng.choice(self.products), "quantity": "120", "unit": "kg", "message": "请报价，谢谢。"}
        # As the Mini Program does: one key per inquiry, sent again while the server is away
        # (503) or gave no answer, so an inquiry committed before its answer was lost is not made twice.
        key = uuid.uuid4().hex
        for _attempt in range(RETRIES):
            status, data = self.send(
                "inquiry", "POST", "/api/v1/inquiries/", body=body, token=token, headers={"Idempotency-Key": key}
            )
            if status not in (None, 503) or self.stop.is_set():
                break
            time.sleep(RETRY_SECONDS)
        if status == 201 and "id" in data:
            # Nothing reaches the exporter before staff translated it: the e-mail is expected from then.
            write = {"phase": phase, "kind": "inquiry", "id": data["id"], "inquiry": data["id"], "expects": False}
            self.writes.append(write)
            self.untranslated.append(write)
            mine.append(data["id"])

    def follow_up(self, pk: int, token: str) -> None:
        phase = self.phase
        status, data = self.send(
            "message", "POST", f"/api/v1/inquiries/{pk}/messages/", body={"text": "还有其他规格吗？"}, token=token
        )
        if status == 201 and "id" in data:
            # Held until staff translated it: the exporter's e-mail is expected from then.
            write = {"phase": phase, "kind": "message", "id": data["id"], "inquiry": pk, "expects": False}
            self.writes.append(write)
            self.untranslated.append(write)

    def staff(self) -> None:
        """Staff's side, through the services (the admin's door): each round, put every waiting inquiry
        and follow-up into English (which forwards or releases it), then answer one inquiry."""
        from django.contrib.auth import get_user_model

        staff = get_user_model().objects.get(email="staff@pti-bridge.local")
        while not self.stop.wait(1.0):
            for _waiting in range(len(self.untranslated)):
                write = self.untranslated.popleft()
                if not self.staff_step("staff translation", lambda write=write: self.translate(write, staff)):
                    self.untranslated.appendleft(write)  # an outage: staff try again next round
                    break
            if self.answerable:
                pk = self.answerable.popleft()
                self.staff_step("staff answer", lambda pk=pk: self.answer(pk, staff))

    def staff_step(self, action: str, step) -> bool:
        """Run one staff step and record it like a request (an exception's name as its status)."""
        from django.db import connection

        phase, down, changes = self.phase, self.down, self.changes
        try:
            step()
        except Exception as error:  # noqa: BLE001 - an outage fails this step; the drill goes on
            self.record(phase, down or changes != self.changes, action, type(error).__name__)
            connection.close()
            return False
        self.record(phase, down or changes != self.changes, action, 200)
        return True

    def translate(self, write: dict, staff) -> None:
        """Translate what the write's buyer wrote: an inquiry is then forwarded (no screening), a
        follow-up released; from then on the write expects the exporter's e-mail."""
        from inquiries import services
        from inquiries.mediation import WITH_EXPORTER
        from inquiries.models import Inquiry, Message, released_q

        waiting = Message.objects.filter(inquiry_id=write["inquiry"], author_role=Message.AuthorRole.BUYER)
        if write["kind"] == "message":
            waiting = waiting.filter(pk=write["id"])
        for message in waiting.exclude(released_q()):
            services.message_translate(message=message, translation=ENGLISH[message.text], actor=staff)
        released = time.monotonic()
        if Inquiry.objects.get(pk=write["inquiry"]).status in WITH_EXPORTER:
            write["expects"], write["at"] = True, released
            if write["kind"] == "inquiry":
                self.forwarded.add(write["inquiry"])
                self.answerable.append(write["inquiry"])

    def answer(self, pk: int, staff) -> None:
        """The exporter answers in English; staff's translation sends the buyer a WeChat message."""
        from django.contrib.auth import get_user_model

        from inquiries import services
        from inquiries.models import Inquiry

        inquiry = Inquiry.objects.get(pk=pk)
        owner = (
            get_user_model()
            .objects.filter(exporter_membership__exporter_id=inquiry.exporter_id, is_active=True)
            .first()
        )
        reply = services.message_post_by_exporter(inquiry=inquiry, text="Yes, 120 kg is fine.", actor=owner)
        services.message_translate(message=reply, translation="可以，120公斤没问题。", actor=staff)
        self.writes.append(
            {
                "phase": self.phase,
                "kind": "answer",
                "id": reply.pk,
                "inquiry": pk,
                "expects": True,
                "at": time.monotonic(),
            }
        )


# Accounting: plain functions of what was recorded, tested in tests/bench/.


def expected_notifications(writes: list[dict], addresses: dict[int, list[str]], openids: dict[int, str]) -> dict:
    """{notification key: the write causing it} for every acknowledged write that must notify someone."""
    kinds = {"inquiry": "inquiry_forwarded", "message": "inquiry_buyer_wrote"}
    expected = {}
    for write in writes:
        if not write["expects"]:
            continue
        if write["kind"] == "answer":
            expected[("wechat", write["inquiry"], openids.get(write["inquiry"], "?"))] = write
        else:
            for address in addresses.get(write["inquiry"], []):
                expected[(kinds[write["kind"]], write["inquiry"], address)] = write
    return expected


def tally(
    requests: list[dict], writes: list[dict], stored: set, expected: dict, delivered: Counter, arrivals: dict
) -> dict:
    """Per phase: the figures of COLUMNS."""
    rows = {phase: Counter({column: 0 for column in COLUMNS}) for phase in PHASES}
    for request in requests:
        row, status = rows[request["phase"]], request["status"]
        row["sent"] += 1
        if isinstance(status, int) and 200 <= status < 400:
            row["acked"] += 1
        elif status == 503 and request["retry_after"]:
            row["503 ok"] += 1
        elif isinstance(status, int) and status >= 500:
            row["5xx"] += 1
            row["5xx when up"] += not request["touched"]  # sent and answered before the fault or after it
        elif status is None:
            row["no answer"] += 1
    for write in writes:
        if (write["kind"], write["id"]) not in stored:
            rows[write["phase"]]["writes lost"] += 1
    for key, write in expected.items():
        row = rows[write["phase"]]
        row["notes expected"] += 1
        row["notes lost"] += delivered[key] == 0
        row["doubled"] += max(delivered[key] - 1, 0)
        if key in arrivals:
            row["slowest note s"] = max(row["slowest note s"], round(arrivals[key] - write["at"]))
    return rows


def missed(rows: dict, exits: list) -> list[str]:
    """The targets missed, in words; empty when the drill passed."""
    misses = [f"{service} died by itself during the {phase} phase ({line})" for phase, service, line in exits]
    for phase, row in rows.items():
        for column in ("5xx", "writes lost", "notes lost", "doubled", "no answer"):
            # The gunicorn worker killed mid-request takes its request with it (the client retries).
            if row[column] and not (column == "no answer" and phase == "gunicorn worker"):
                misses.append(f"{phase}: {row[column]} {column}")
        if row["slowest note s"] > LATE_SECONDS:
            misses.append(f"{phase}: a notification took {row['slowest note s']} s")
    return misses


# The drill.


def prepare(stack: Stack, tmp: Path) -> None:
    stack.env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "EMAIL_"))},
        "DJANGO_SETTINGS_MODULE": "pti_bridge.settings",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{stack.ports['postgres']}/pti_drill",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_BEHIND_HTTPS_PROXY": "false",
        "SITE_URL": f"http://127.0.0.1:{stack.ports['http']}",
        "MEDIA_ROOT": str(tmp / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp / "private_media"),
        "WECHAT_API_BASE_URL": f"http://127.0.0.1:{stack.ports['wechat']}/",
        "WECHAT_TEMPLATE_INQUIRY_ANSWERED": "tmpl-inquiry-reply",
        "WECHAT_TEMPLATE_INQUIRY_ANSWERED_FIELDS": "thing1=product,time2=answered_at,character_string3=inquiry",
        "API_THROTTLE_ANON": "100000/min",  # the load comes from one address; throttling it would test nothing
        "API_THROTTLE_USER": "100000/min",
        "LOG_LEVEL": "WARNING",
    }
    # The catalogue is loaded with tasks in-process and e-mail printed, before Redis and the sink matter.
    with open(tmp / "setup.log", "wb") as log:
        for command in (["migrate", "--no-input"], ["load_demo_data"]):
            subprocess.run(
                [sys.executable, "manage.py", *command], cwd=ROOT, env=stack.env, stdout=log, stderr=log, check=True
            )
    stack.env["REDIS_URL"] = f"redis://127.0.0.1:{stack.ports['redis']}/0"
    os.environ.update(stack.env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    # This process's own log (the staff's outbox warnings while Redis is away) goes to a file, not the report.
    logging.getLogger().handlers = [logging.FileHandler(tmp / "drill.log")]


def run_phases(stack: Stack, load: Load, args) -> None:
    def steady(seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            stack.check(load.phase)
            time.sleep(0.5)

    def say(text: str) -> None:
        print(f"  {time.strftime('%H:%M:%S', time.gmtime())} {text}", flush=True)

    def redis_back() -> None:
        stack.start("redis")
        wait_for_port(stack.ports["redis"])

    # fault: (what is said, how it stops, how it comes back, as a supervisor would bring it)
    outages = {
        "redis": ("Redis: SIGKILL", lambda: stack.kill("redis"), redis_back),
        "postgres": ("PostgreSQL: immediate stop", stack.pg_stop, stack.pg_start),
        "celery worker": (
            "Celery worker: SIGKILL, restarted",
            lambda: stack.kill("celery worker"),
            lambda: stack.start("celery worker"),
        ),
    }

    say(f"steady load for {args.duration} s")
    steady(args.duration)
    for fault in FAULTS:
        load.phase = fault
        steady(args.duration / 4)
        if fault == "gunicorn worker":
            victim = random.choice(stack.gunicorn_workers())
            say(f"gunicorn: SIGKILL worker {victim}; the master replaces it")
            os.kill(victim, signal.SIGKILL)
        else:
            what, stop, start = outages[fault]
            say(f"{what}, back in {args.down} s")
            load.down, load.changes = True, load.changes + 1
            stop()
            steady(args.down)
            start()
        load.down, load.changes = False, load.changes + 1
        steady(args.duration * 3 / 4 - (0 if fault == "gunicorn worker" else args.down))


def drain(stack: Stack, inbox, seconds: float) -> str:
    """Wait until no outbox row is pending or sending and nothing new arrived for 5 s (at most `seconds`)."""
    from django.db import connection

    from pti_bridge.models import Notification

    WAITING = [Notification.Status.PENDING, Notification.Status.SENDING]  # noqa: N806
    deadline, started, last, quiet_since = time.monotonic() + seconds, time.monotonic(), -1, time.monotonic()
    while time.monotonic() < deadline:
        stack.check("drain")
        try:
            waiting = Notification.objects.filter(status__in=WAITING).count()
        except Exception:  # noqa: BLE001 - the database may still be waking up
            waiting = -1
        connection.close()  # a fresh connection each time: PostgreSQL restarted since this thread's last one
        if len(inbox.messages) != last:
            last, quiet_since = len(inbox.messages), time.monotonic()
        if waiting == 0 and time.monotonic() - quiet_since > 5:
            return f"drained in {time.monotonic() - started:.0f} s"
        time.sleep(2)
    left = Counter(Notification.objects.filter(status__in=WAITING).values_list("status", flat=True))
    return f"NOT drained after {seconds:.0f} s: {dict(left)} rows left"


class Arrivals:
    """When each message reached the SMTP sink or the stand-in, polled every second."""

    def __init__(self, inbox, wechat_base: str):
        self.inbox, self.wechat_base = inbox, wechat_base
        self.mail: list[float] = []  # by position in the inbox
        self.wechat: dict[int, float] = {}  # by msgid
        self.wechat_messages: list[dict] = []
        self.stop = threading.Event()

    def poll(self) -> None:
        now = time.monotonic()
        self.mail += [now] * (len(self.inbox.messages) - len(self.mail))
        try:
            with urllib.request.urlopen(self.wechat_base + "__fake__/messages", timeout=10) as response:
                self.wechat_messages = json.load(response)
        except OSError:
            return
        for sent in self.wechat_messages:
            self.wechat.setdefault(sent["msgid"], now)

    def run(self) -> None:
        while not self.stop.wait(1.0):
            self.poll()


def collect(load: Load, arrivals: Arrivals) -> tuple[set, dict, Counter, dict]:
    """What the database holds, what was expected, what the sink and the stand-in received, and when."""
    from django.contrib.auth import get_user_model

    from inquiries.models import Inquiry, Message
    from pti_bridge.models import Notification

    stored = {("inquiry", pk) for pk in Inquiry.objects.values_list("pk", flat=True)}
    stored |= {(kind, pk) for pk in Message.objects.values_list("pk", flat=True) for kind in ("message", "answer")}
    inquiries = {
        i.pk: i for i in Inquiry.objects.select_related("buyer").filter(pk__in={w["inquiry"] for w in load.writes})
    }
    addresses = {
        pk: sorted(
            get_user_model()
            .objects.filter(exporter_membership__exporter_id=i.exporter_id, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
        for pk, i in inquiries.items()
    }
    openids = {pk: i.buyer.openid for pk, i in inquiries.items()}
    expected = expected_notifications(load.writes, addresses, openids)
    delivered, first = Counter(), {}  # first: when each key first arrived

    def receive(key, at):
        delivered[key] += 1
        first[key] = min(first.get(key, at), at)

    arrivals.poll()
    kinds = dict(Notification.objects.values_list("pk", "kind"))
    for message, at in zip(list(arrivals.inbox.messages), arrivals.mail, strict=False):
        number = re.search(r"#(\d+)", message["Subject"] or "")
        kind = kinds.get(int(message["X-PTI-Notification"] or 0), "?")
        if number:
            receive((kind, int(number.group(1)), message["To"]), at)
    for sent in arrivals.wechat_messages:
        number = re.search(r"\d+", sent.get("data", {}).get("character_string3", {}).get("value", ""))
        if number:  # the value is "#<inquiry id>"
            receive(("wechat", int(number.group()), sent.get("touser")), arrivals.wechat[sent["msgid"]])
    return stored, expected, delivered, first


def logged_errors(log: Path) -> str:
    """The exceptions a service logged, most frequent first: where the 5xx came from."""
    names = Counter(re.findall(r"^([\w.]+(?:Error|Exception)): ", log.read_text(errors="replace"), re.MULTILINE))
    return ", ".join(f"{name} x{n}" for name, n in names.most_common(4)) or "none"


def report(rows: dict, load: Load, extra: int, exits: list, drained: str, errors: dict) -> list[str]:
    print(f"\nOutbox: {drained}.")
    print(f"\n{'phase':<16}" + "".join(f"{c:>{len(c) + 2}}" for c in COLUMNS))
    for phase, row in rows.items():
        print(f"{phase:<16}" + "".join(f"{row[c]:>{len(c) + 2}}" for c in COLUMNS))
    print("\nAnswers by action and status (all phases):")
    by_action = defaultdict(Counter)
    for request in load.requests:
        by_action[request["action"]][str(request["status"])] += 1
    for action, statuses in by_action.items():
        print(f"  {action:<13} " + ", ".join(f"{status}: {n}" for status, n in sorted(statuses.items())))
    print(f"Notifications of the drill's inquiries that no acknowledged write expects (not counted): {extra}")
    for name, names in errors.items():
        print(f"Exceptions in {name}'s log: {names}")
    misses = missed(rows, exits)
    print("\nTargets: " + ("all met." if not misses else "MISSED:\n  " + "\n  ".join(misses)))
    return misses


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=40, help="seconds per phase (default 40)")
    parser.add_argument("--down", type=float, default=10, help="seconds a killed service stays down (default 10)")
    parser.add_argument("--threads", type=int, default=4, help="buyers sending requests at once (default 4)")
    parser.add_argument(
        "--drain", type=float, default=660, help="seconds to wait for the outbox (default 660: its 10-minute lease)"
    )
    parser.add_argument("--quick", action="store_true", help="phases of 20 s, 5 s down, 3 buyers, 120 s drain")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs) and print its path")
    args = parser.parse_args(argv)
    if args.quick:
        args.duration, args.down, args.threads, args.drain = 20, 5, 3, 120
    tmp = Path(tempfile.mkdtemp(prefix="pti-fault-drill-"))
    stack = Stack(tmp)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(130))  # run the cleanup below on kill too
    signal.signal(signal.SIGINT, signal.default_int_handler)  # and on Ctrl-C, even when started in the background
    inbox_server = None
    try:
        print(
            f"Starting PostgreSQL on {stack.ports['postgres']}, Redis, the WeChat stand-in, the catalogue ...",
            flush=True,
        )
        stack.pg_init()
        prepare(stack, tmp)
        from django.contrib.auth import get_user_model
        from django.db.models import Max

        from inquiries.models import Inquiry
        from inquiries.services import inquiry_policy_set
        from tests.smtp_server import SMTPServer

        # Without screening, an inquiry goes to the exporter by itself once staff translated it.
        inquiry_policy_set(screening_required=False, actor=get_user_model().objects.get(email="staff@pti-bridge.local"))
        demo_inquiries = Inquiry.objects.aggregate(last=Max("pk"))["last"] or 0
        inbox_server = SMTPServer()
        inbox_server.start()
        stack.env["EMAIL_URL"] = f"smtp://127.0.0.1:{inbox_server.port}"
        for name in ("redis", "wechat", "gunicorn", "celery worker", "celery beat"):
            stack.start(name)
        base = f"http://127.0.0.1:{stack.ports['http']}"
        wait_for(base + "/api/v1/home/")
        wait_for(f"http://127.0.0.1:{stack.ports['wechat']}/__fake__/state")
        _, products, _ = call(base, "GET", "/api/v1/products/?page_size=50")
        _, policy, _ = call(base, "GET", "/api/v1/privacy-policy/")
        load = Load(base, [p["id"] for p in products["results"]], policy["version"])
        threads = [threading.Thread(target=load.buyer, args=(n,), daemon=True) for n in range(args.threads)]
        arrivals = Arrivals(inbox_server.inbox, f"http://127.0.0.1:{stack.ports['wechat']}/")
        threading.Thread(target=arrivals.run, daemon=True).start()
        threads.append(threading.Thread(target=load.staff, daemon=True))
        print(f"Serving on {base}: gunicorn (3 workers), Celery worker and beat; {args.threads} buyers and staff.")
        for thread in threads:
            thread.start()
        run_phases(stack, load, args)
        load.stop.set()
        for thread in threads:
            thread.join(CLIENT_TIMEOUT + 5)
        print(
            f"  {time.strftime('%H:%M:%S', time.gmtime())} load stopped; waiting for the outbox (at most {args.drain:.0f} s)",
            flush=True,
        )
        drained = drain(stack, inbox_server.inbox, args.drain)
        arrivals.stop.set()
        stored, expected, delivered, first = collect(load, arrivals)
        rows = tally(load.requests, load.writes, stored, expected, delivered, first)
        # e.g. an inquiry committed whose answer never reached the buyer (a 500, a reset connection)
        extra = sum(n for key, n in delivered.items() if key[1] > demo_inquiries and key not in expected)
        errors = {name: logged_errors(stack.log(name)) for name in ("gunicorn", "celery worker", "celery beat")}
        return 1 if report(rows, load, extra, stack.exits, drained, errors) else 0
    except KeyboardInterrupt:
        print("Interrupted; cleaning up.")
        return 130
    finally:
        if inbox_server is not None:
            inbox_server.stop()
        stack.close()
        if args.keep:
            print(f"Logs kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
