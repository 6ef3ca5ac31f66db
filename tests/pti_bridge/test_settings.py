"""Production settings refuse insecure values; `check --deploy` has nothing to say.

Settings are read once per process, so each case runs manage.py in a subprocess
with its own environment.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k8#f2-Lq9!vX0pZ7mR4tW1yB6nC3hJ5sD8gF0aE2uI9oP7lK4jH1zM6xV3bN5cQ"


# Every variable the project reads (documented in .env.example): removed, so each case
# starts from a newcomer's empty environment, even on CI where DATABASE_URL is set.
PROJECT_VARIABLES = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), flags=re.MULTILINE))


def _manage(*args, **environ):
    env = {k: v for k, v in os.environ.items() if k not in PROJECT_VARIABLES}
    env.update(environ)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_the_development_secret_key():
    result = _manage("check", DJANGO_DEBUG="false")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = _manage("check", DJANGO_DEBUG="false", DJANGO_SECRET_KEY="short-but-not-the-dev-key")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("value", ["maybe", "Flase", "2"])
def test_boolean_variables_refuse_anything_but_true_or_false(value):
    result = _manage("check", DJANGO_DEBUG=value, DJANGO_SECRET_KEY=GOOD_KEY)

    assert result.returncode != 0
    assert f"DJANGO_DEBUG must be true or false, not '{value.lower()}'" in result.stderr


def test_check_deploy_reports_nothing_with_production_values():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=GOOD_KEY,
        DJANGO_ALLOWED_HOSTS="bridge.pti.example",
        SITE_URL="https://bridge.pti.example",
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("environ", "warned"),
    [
        ({"SITE_URL": "http://bridge.pti.example"}, True),
        ({"SITE_URL": "http://bridge.pti.example", "MEDIA_URL": "https://cdn.pti.example/media/"}, False),
    ],
    ids=["http-site", "https-cdn"],
)
def test_check_deploy_warns_when_the_apis_image_urls_are_not_https(environ, warned):
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=GOOD_KEY,
        DJANGO_ALLOWED_HOSTS="bridge.pti.example",
        **environ,
    )

    assert (result.returncode != 0) is warned, result.stderr
    assert ("pti_bridge.W001" in result.stderr + result.stdout) is warned


def test_development_defaults_need_no_variables():
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'], s.EMAIL_BACKEND)",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "django.db.backends.sqlite3",
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.mail.backends.console.EmailBackend",
    ]


def test_migrations_do_not_depend_on_where_this_machine_keeps_files():
    result = _manage(
        "makemigrations",
        "--check",
        "--dry-run",
        MEDIA_ROOT="/srv/elsewhere/media",
        PRIVATE_MEDIA_ROOT="/srv/elsewhere/private",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout


SQLITE_PRAGMAS = """
from django.db import connection
with connection.cursor() as cursor:
    pragmas = ("journal_mode", "synchronous", "secure_delete", "busy_timeout")
    print(*(cursor.execute(f"PRAGMA {name}").fetchone()[0] for name in pragmas))
print(connection.settings_dict["OPTIONS"]["transaction_mode"])
"""


def test_sqlite_queues_writers_and_zeroes_deleted_text(tmp_path):
    result = _manage("shell", "-c", SQLITE_PRAGMAS, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")

    assert result.returncode == 0, result.stderr
    # WAL, synchronous NORMAL (1), secure_delete on, a 5 s busy timeout; transactions BEGIN IMMEDIATE.
    assert result.stdout.split()[-5:] == ["wal", "1", "1", "5000", "IMMEDIATE"]
