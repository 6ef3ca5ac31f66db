"""Redis may go away; the site keeps working without it.

The cache (and the API's throttle and cached answers, which live in it) fails open: while
Redis is away a read is a miss, a write is dropped and nobody is throttled. One breaker per
process decides when to try Redis: the first failed connect, send or read marks Redis down
(one warning), and for REDIS_RETRY_SECONDS after each failure no connection tries it, so a
dead or frozen Redis costs a request nothing; then the next call tries again, and the first
that gets an answer marks Redis back (one more line in the log).

The cache's connection pool is `ConnectionPool` (settings.CACHES): every connection it makes
reports to the breaker, whoever uses it (django-redis or the throttle's round trip).
"""

import logging
import threading
import time

import redis
from django.conf import settings
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger(__name__)

OUTAGE_ERRORS = (RedisConnectionError, RedisTimeoutError)


class Breaker:
    """Whether Redis is down, as this process last found it."""

    def __init__(self):
        self.down_since: float | None = None  # time.monotonic() of the first failure
        self.retry_at = 0.0
        self._lock = threading.Lock()

    def reset(self) -> None:
        """Closed, as at start (tests: each starts with Redis not known down)."""
        with self._lock:
            self.down_since, self.retry_at = None, 0.0

    def skipping(self) -> bool:
        """Redis failed lately: do not try it yet."""
        return self.down_since is not None and time.monotonic() < self.retry_at

    def failed(self, error: Exception) -> None:
        now = time.monotonic()
        with self._lock:
            first = self.down_since is None
            if first:
                self.down_since = now
            self.retry_at = now + settings.REDIS_RETRY_SECONDS
        if first:
            logger.warning(
                "Redis is unavailable (%s): the cache and API throttling are off until it answers again", error
            )

    def answered(self) -> None:
        with self._lock:
            down_since, self.down_since = self.down_since, None
        if down_since is not None:
            logger.warning(
                "Redis answers again after %.0f s: the cache and API throttling are back", time.monotonic() - down_since
            )


breaker = Breaker()


def redis_down() -> bool:
    """Redis failed and has not answered since (always False without Redis). Once due for another
    try, one cache call finds out, so a process that seldom uses the cache sees Redis return too."""
    if breaker.down_since is None:
        return False
    if not breaker.skipping():
        from django.core.cache import cache

        cache.has_key("redis-outage:probe")  # its answer, or its failure, updates the breaker
    return breaker.down_since is not None


class _ReportingConnection:
    """Mixed into redis-py's connection classes: refuse at once while the breaker is open,
    report failures and the first answer after one."""

    def connect_check_health(self, *args, **kwargs):
        if self._sock:
            return
        if breaker.skipping():
            raise RedisConnectionError("Redis was unavailable moments ago; not trying it yet")
        try:
            super().connect_check_health(*args, **kwargs)
        except OUTAGE_ERRORS as error:
            breaker.failed(error)
            raise

    def send_packed_command(self, command, check_health=True):
        if breaker.down_since is not None and breaker.skipping():
            # Another pooled connection found Redis gone: this one would only wait to find it too.
            self.disconnect()
            raise RedisConnectionError("Redis was unavailable moments ago; not trying it yet")
        try:
            super().send_packed_command(command, check_health=check_health)
        except OUTAGE_ERRORS as error:
            breaker.failed(error)
            raise

    def read_response(self, *args, **kwargs):
        try:
            response = super().read_response(*args, **kwargs)
        except OUTAGE_ERRORS as error:
            breaker.failed(error)
            raise
        if breaker.down_since is not None:
            breaker.answered()
        return response


_reporting_classes: dict[type, type] = {}


def reporting_class(connection_class: type) -> type:
    """`connection_class` (plain, TLS or Unix socket) with the breaker mixed in."""
    try:
        return _reporting_classes[connection_class]
    except KeyError:
        made = type(f"Reporting{connection_class.__name__}", (_ReportingConnection, connection_class), {})
        return _reporting_classes.setdefault(connection_class, made)


class ConnectionPool(redis.ConnectionPool):
    """redis-py's pool, whose connections report to the breaker and never retry on their own
    (a retry against a dead Redis is only a longer wait for the request)."""

    def __init__(self, connection_class=redis.Connection, **kwargs):
        kwargs["retry"] = Retry(NoBackoff(), 0)
        super().__init__(connection_class=reporting_class(connection_class), **kwargs)
