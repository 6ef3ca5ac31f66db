"""Rate limits keyed by the client's real address (or the signed-in account).

The address is the one the sign-in lockout uses too (pti_bridge/client_address.py): a
client cannot get a fresh bucket by sending its own X-Forwarded-For.

Counting is a fixed window with one atomic cache increment per request (Redis in
production, so every web worker shares the count).
"""

import math
import time

from django.core.cache import cache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from pti_bridge.client_address import client_ip

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str | None) -> tuple[int, int] | None:
    """ "120/min" -> (120, 60). None or "" turns the throttle off."""
    if not rate:
        return None
    number, period = rate.split("/")
    return int(number), PERIODS[period.strip()[0].lower()]


# request.META entry: {scope: (count, seconds to the window's end)} of a request already counted.
COUNTED_META = "pti.throttle_counted"


def window_key(scope: str, ident: str, period: int) -> tuple[str, float]:
    """(the cache key of the current window's counter, seconds until the window ends)."""
    now = time.time()
    window = int(now // period)
    return f"throttle:{scope}:{ident}:{window}", (window + 1) * period - now


class Undecoded:
    """A value read from Redis and unpickled only if it is used (`value()`), once."""

    __slots__ = ("_decode", "_raw", "_value")

    def __init__(self, raw: bytes, decode):
        self._raw, self._decode = raw, decode

    def value(self):
        try:
            return self._value
        except AttributeError:
            self._value = self._decode(self._raw)
            return self._value


def decoded(value):
    return value.value() if isinstance(value, Undecoded) else value


def round_trip(redis, commands: list[tuple]) -> list:
    """The replies to `commands`, sent together on one of the client's pooled connections:
    what redis-py's pipeline does, without its per-command layers (a quarter of the client's
    time per round trip). The pool hands out only a live connection (it reconnects one that
    Redis closed); one that fails in flight is dropped and the error raised."""
    pool = redis.connection_pool
    connection = pool.get_connection()
    try:
        connection.send_packed_command(connection.pack_commands(commands))
        return [connection.read_response() for _command in commands]
    except (RedisConnectionError, RedisTimeoutError):
        connection.disconnect()
        raise
    finally:
        pool.release(connection)


def count_and_get(counter: tuple[str, int] | None, keys: list[str], *, lazy=()) -> tuple[int | None, dict]:
    """Count a request in a throttle window (counter: (key, period)) and read `keys`: one round
    trip to Redis (round_trip), else the cache's own calls. (the new count, or None when not
    counted or Redis is away; the found keys); those of `lazy` as Undecoded values, for what the
    request may not need."""
    client = getattr(cache, "client", None)
    if not hasattr(client, "get_client"):  # not django-redis (tests without Redis: local memory)
        count = None
        if counter is not None:
            key, period = counter
            cache.add(key, 0, period + 1)
            try:
                count = cache.incr(key)
            except ValueError:  # expired (or cleared) between the two calls
                count = 1
                cache.add(key, 1, period + 1)
        return count, (cache.get_many(keys) if keys else {})
    commands = []
    if counter is not None:
        key, period = counter
        made = client.make_key(key)
        # The counter as django-redis keeps integers (plain digits), so cache.incr() shares it.
        commands += [("SET", made, 0, "EX", period + 1, "NX"), ("INCR", made)]
    if keys:
        commands.append(("MGET", *(client.make_key(key) for key in keys)))
    try:
        results = round_trip(client.get_client(write=True), commands)
    except (RedisConnectionError, RedisTimeoutError):
        return None, {}  # Redis is away: not counted, nothing found (pti_bridge.redis_outage)
    values = results[-1] if keys else []
    found = {
        key: Undecoded(value, client.decode) if key in lazy else client.decode(value)
        for key, value in zip(keys, values, strict=True)
        if value is not None
    }
    return (results[1] if counter is not None else None), found


class FixedWindowThrottle(BaseThrottle):
    scope = ""

    def get_ident_key(self, request) -> str | None:
        raise NotImplementedError

    def allow_request(self, request, view):
        rate = parse_rate(api_settings.DEFAULT_THROTTLE_RATES.get(self.scope))
        ident = self.get_ident_key(request)
        if rate is None or ident is None:
            return True
        limit, period = rate
        # Already counted by the cached-answer shortcut (pti_bridge.api.caching), which then
        # handed the request on: count it once only.
        counted = request.META.get(COUNTED_META, {}).get(self.scope)
        if counted is not None:
            count, self._wait = counted
        else:
            key, self._wait = window_key(self.scope, ident, period)
            count, _found = count_and_get((key, period), [])
        return count is None or count <= limit  # None: Redis is away, and the throttle fails open

    def wait(self):
        return max(1, math.ceil(self._wait))


def _signed_in(request) -> bool:
    return getattr(request, "auth", None) is not None or bool(getattr(getattr(request, "user", None), "pk", None))


class AnonRateThrottle(FixedWindowThrottle):
    """Requests without credentials, per client address."""

    scope = "anon"

    def get_ident_key(self, request):
        if _signed_in(request):
            return None
        return f"ip:{client_ip(request)}"


class UserRateThrottle(FixedWindowThrottle):
    """Signed-in requests, per account (whatever address they come from)."""

    scope = "user"

    def get_ident_key(self, request):
        if not _signed_in(request):
            return None
        user = getattr(request, "user", None)
        return f"{type(user).__name__.lower()}:{getattr(user, 'pk', None)}"
