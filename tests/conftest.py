"""Test plumbing: real services where the machine has them, named personas for every test.

PostgreSQL is used when DATABASE_URL points at it (CI), SQLite otherwise. Redis is
used when REDIS_URL is set. A test that needs a service the machine lacks is skipped
with one line naming the service, except under PTI_STRICT_SERVICES=1 (set by .ci/run,
whose machine has every service), where the missing service is a failure.
"""

import os

import pytest
from django.core.cache import cache
from django.utils import translation

from pti_bridge.api import caching
from pti_bridge.redis_outage import breaker
from tests import factories
from tests.miniprogram import project as miniprogram_project
from tests.miniprogram.project import h5_build, miniprogram  # noqa: F401 - fixtures for tests/miniprogram and tests/e2e

STRICT_SERVICES = os.environ.get("PTI_STRICT_SERVICES") == "1"


def require_service(name: str, available: bool, hint: str) -> None:
    """Skip (or, under PTI_STRICT_SERVICES=1, fail) the calling test when `name` is missing."""
    if available:
        return
    message = f"needs {name}: {hint}"
    if STRICT_SERVICES:
        pytest.fail(f"{message} (PTI_STRICT_SERVICES=1 forbids skipping)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Put back the rows data migrations make. Transactional tests (threads, live_server,
    browsers) end by flushing every table, so a database kept with --reuse-db would start
    the next run without them. The migrations' own functions are idempotent."""
    from importlib import import_module

    from django.apps import apps

    with django_db_blocker.unblock():
        for migration in (
            "inquiries.migrations.0004_inquiry_policy_row",
            "buyers.migrations.0004_first_privacy_policy",
        ):
            import_module(migration).create_policy(apps, None)


def pytest_sessionfinish(session, exitstatus):
    # Belt and braces: under strict mode any skip, whatever raised it, fails the run.
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if STRICT_SERVICES and reporter is not None and reporter.stats.get("skipped"):
        reporter.write_line("PTI_STRICT_SERVICES=1: skipped tests count as failures", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter):
    # The Mini Program's build times and package sizes, in every log that ran its checks (CI's too).
    miniprogram_project.terminal_summary(terminalreporter)


@pytest.fixture(autouse=True)
def _isolated_media_and_cache(settings, tmp_path):
    """Every test gets empty media folders and an empty cache, and cheap password hashing
    (PBKDF2's many rounds cost most of a second per user here; no test needs them)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media", "base_url": "/media/"},
        },
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private_media", "base_url": None},
        },
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    # A test that stopped a Redis of its own leaves this process's breaker open; the next
    # test's cache (local memory, or another Redis) would never close it.
    breaker.reset()
    cache.clear()
    caching.forget_held()
    yield
    cache.clear()
    caching.forget_held()
    breaker.reset()


@pytest.fixture(autouse=True)
def _no_language_leak():
    """The API activates the request's language in the test's thread and leaves it active;
    reset it after each test so no later test (a form, an e-mail) runs in Chinese by accident."""
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def wechat_standin():
    """The WeChat stand-in server (pti_bridge.wechat.standin) on a free loopback port, for the whole run."""
    from pti_bridge.wechat import standin

    server = standin.start_in_thread(standin.Config(hang_seconds=8))
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def wechat(settings, wechat_standin):
    """Every test talks to a freshly reset stand-in, never to the real WeChat; returns its control plane."""
    from tests.wechat.control import StandinControl

    settings.WECHAT_API_BASE_URL = wechat_standin.base_url
    settings.WECHAT_APP_ID = wechat_standin.state.launch_config.appid
    settings.WECHAT_APP_SECRET = wechat_standin.state.launch_config.secret
    settings.WECHAT_TIMEOUT_SECONDS = 2.0
    control = StandinControl(wechat_standin.base_url, wechat_standin.state.launch_config)
    control.reset()
    return control


@pytest.fixture(autouse=True)
def _no_machine_translation(settings):
    """No test calls a real machine-translation service (tests/machine_translation.py is the stand-in)."""
    settings.MACHINE_TRANSLATION_URL = ""


@pytest.fixture
def redis_url(settings):
    """The Redis server of REDIS_URL, or a skip naming Redis."""
    url = os.environ.get("REDIS_URL", "")
    available = False
    if url:
        import redis

        try:
            available = bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
        except redis.RedisError:
            available = False
    require_service("Redis", available, "set REDIS_URL to a running server, e.g. redis://127.0.0.1:6379/15")
    return url


@pytest.fixture
def postgres(settings):
    """Skip (or fail under strict mode) unless the test database is PostgreSQL."""
    from django.db import connection

    require_service(
        "PostgreSQL",
        connection.vendor == "postgresql",
        "set DATABASE_URL=postgres://postgres@127.0.0.1:5432/pti_bridge",
    )


# Named personas (Healthchecks' alice / bob / charlie).


@pytest.fixture
def fiji():
    return factories.CountryFactory(code="FJ", name_en="Fiji", name_zh_hans="斐济")


@pytest.fixture
def tonga():
    return factories.CountryFactory(code="TO", name_en="Tonga", name_zh_hans="汤加")


@pytest.fixture
def verified_exporter(fiji):
    """Alice's company: verified, in Fiji."""
    return factories.ExporterFactory(name="Vanua Vanilla Co", country=fiji, verified=True)


@pytest.fixture
def other_exporter(tonga):
    """Bob's company: verified, in Tonga."""
    return factories.ExporterFactory(name="Tonga Kava Growers", country=tonga, verified=True)


@pytest.fixture
def pending_exporter(fiji):
    return factories.ExporterFactory(name="Bula Coconut Ltd", country=fiji)


@pytest.fixture
def alice(verified_exporter):
    """An exporter user of the verified company."""
    return factories.ExporterMemberFactory(exporter=verified_exporter, user__email="alice@vanua.example").user


@pytest.fixture
def bob(other_exporter):
    """An exporter user of another company."""
    return factories.ExporterMemberFactory(exporter=other_exporter, user__email="bob@tongakava.example").user


@pytest.fixture
def staff():
    """A PTI reviewer in Beijing: staff, in the reviewers group, not a superuser."""
    return factories.StaffFactory(email="li.wei@pti.example")


def sign_in_staff(client, user):
    """Sign `user` in as the admin asks: the password, then a code from an authenticator
    (a confirmed TOTP device, made here if the user has none, marked verified in the session
    as django_otp.login does)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def authenticator_code(device) -> str:
    """The code `device`'s authenticator app shows now, as a person would type it; the next
    step's when this step's code was already used (django-otp refuses a code twice and
    accepts one step ahead)."""
    import time

    from django_otp.oath import TOTP

    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.time += device.step * (device.last_t + 1 - totp.t())
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def buyer():
    return factories.BuyerFactory(display_name="王经理", company="上海进口贸易有限公司")


@pytest.fixture
def other_buyer():
    return factories.BuyerFactory(display_name="陈女士")


def terminate_backend(pid: int) -> None:
    """End PostgreSQL's backend `pid` from a connection of its own, as a database blip would
    (psycopg itself: callers may run where Django refuses queries, in an event loop)."""
    import psycopg
    from django.db import connection

    db = connection.settings_dict
    with psycopg.connect(
        dbname=db["NAME"], host=db["HOST"], port=db["PORT"], user=db["USER"], password=db["PASSWORD"]
    ) as other:
        assert other.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone() == (True,)


def backend_pid() -> int:
    """The PostgreSQL backend of this thread's Django connection."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def free_port() -> int:
    """A free TCP port on loopback for a server a test starts."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
