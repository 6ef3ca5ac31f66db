"""`make run`'s SQLite serving a small office: buyers signing in and editing their profiles at once.

The project is served as `make run` serves it (scripts/run_local.py: the development server
beside the WeChat stand-in, DJANGO_DEBUG on) on a SQLite file of its own; threads play the
buyers. Before immediate transactions, WAL and a busy timeout, about half of these answered
500 ("database is locked", as Django's HTML debug page); before the development server's
longer listen queue, some connections were reset or waited for TCP's retransmits.
"""

import sqlite3
import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from tests.conftest import free_port
from tests.servers import Answer, Served, manage, project_env, request

BUYERS = 16
# Every answer within this, though the machine is shared: a write waits its turn, never long.
BUDGET_SECONDS = 15.0


@contextmanager
def served_like_make_run(tmp_path, **variables):
    """The project on a fresh SQLite file, served as `make run` serves it; yields (API base, file)."""
    database = tmp_path / "db.sqlite3"
    env = project_env(tmp_path, DATABASE_URL=f"sqlite:///{database}", DJANGO_DEBUG="true", **variables)
    manage(env, "migrate", "--no-input", "-v0")
    port = free_port()
    command = [sys.executable, "scripts/run_local.py", "--port", str(port), "--wechat-port", str(free_port())]
    with Served(command, env, tmp_path / "server.log") as server:
        base = f"http://127.0.0.1:{port}/api/v1/"
        server.wait_for(base + "privacy-policy/")
        yield base, database


def assert_json_success(answers: list[Answer]) -> None:
    problems = [
        (a.status, a.headers.get("Content-Type"), round(a.seconds, 1), a.body[:120])
        for a in answers
        if not (200 <= a.status < 300 and a.headers.get("Content-Type") == "application/json")
        or a.seconds > BUDGET_SECONDS
    ]
    assert problems == []


def test_buyers_signing_in_and_editing_at_once_all_get_their_answer(tmp_path):
    with served_like_make_run(tmp_path) as (base, database):
        # Each buyer signs in twice at once (two phones, or a retried tap).
        codes = [f"valid-office{n}#{phone}" for n in range(BUYERS) for phone in ("a", "b")]
        with ThreadPoolExecutor(len(codes)) as pool:
            sign_ins = list(
                pool.map(lambda code: request(base + "auth/wechat/", method="POST", data={"code": code}), codes)
            )
        assert_json_success(sign_ins)
        tokens = [answer.json()["token"] for answer in sign_ins]

        # Then every token edits its buyer's profile at once: two edits per buyer, racing.
        def edit(index: int) -> Answer:
            name = f"买家{index // 2}-{index % 2}"
            return request(
                base + "me/",
                method="PATCH",
                data={"display_name": name, "company": f"公司{index}"},
                headers={"Authorization": f"Bearer {tokens[index]}"},
            )

        with ThreadPoolExecutor(len(tokens)) as pool:
            edits = list(pool.map(edit, range(len(tokens))))
        assert_json_success(edits)

    with sqlite3.connect(database) as db:
        buyers = dict(db.execute("SELECT openid, display_name FROM buyers_buyer").fetchall())
        tokens_issued = db.execute("SELECT count(*) FROM buyers_buyertoken").fetchone()[0]
        changes = db.execute("SELECT count(*) FROM pti_bridge_auditentry WHERE action = 'buyer_profile_changed'")
        changes = changes.fetchone()[0]
        journal_mode = db.execute("PRAGMA journal_mode").fetchone()[0]
    assert len(buyers) == BUYERS
    assert sorted(name.rsplit("-", 1)[0] for name in buyers.values()) == sorted(f"买家{n}" for n in range(BUYERS))
    assert tokens_issued == 2 * BUYERS
    assert changes == 2 * BUYERS
    assert journal_mode == "wal"


def test_a_write_held_past_the_busy_timeout_is_a_503_and_reads_go_on(tmp_path):
    with served_like_make_run(tmp_path, SQLITE_BUSY_TIMEOUT_SECONDS="1") as (base, database):
        # Another process writing for longer than the timeout (a long import, a stuck script).
        holder = sqlite3.connect(database, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            read = request(base + "privacy-policy/")
            refused = request(base + "auth/wechat/", method="POST", data={"code": "valid-late#1"})
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        later = request(base + "auth/wechat/", method="POST", data={"code": "valid-late#2"})

    assert read.status == 200
    assert (refused.status, refused.headers["Content-Type"], refused.headers["Retry-After"]) == (
        503,
        "application/json",
        "60",
    )
    assert refused.json()["error"]["code"] == "service_unavailable"
    assert refused.seconds < BUDGET_SECONDS
    assert later.status == 200
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count(*) FROM buyers_buyer").fetchone()[0] == 1
