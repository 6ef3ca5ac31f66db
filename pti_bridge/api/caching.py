"""Response caching and ETags for public reads.

A namespace ("catalogue") has a version number in the cache; whoever changes what the
namespace shows calls `bump_version(namespace)` (after the transaction commits), and
every cached answer of the old version is simply never asked for again. Cached entries
also expire after API_CACHE_SECONDS, a bound on staleness for a change that forgot to
bump (e.g. an edit made straight in the database).

Anonymous GETs are answered from the cache; every answer carries a strong ETag (a hash
of its body) and an If-None-Match that matches gets a 304.
"""

import hashlib
import time
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import translation
from django.utils.cache import cc_delim_re, patch_vary_headers
from django.utils.http import parse_etags
from rest_framework.response import Response
from rest_framework.settings import api_settings

from pti_bridge.api.negotiation import api_language
from pti_bridge.api.renderers import dumps
from pti_bridge.api.throttling import (
    COUNTED_META,
    AnonRateThrottle,
    UserRateThrottle,
    client_ip,
    count_and_get,
    decoded,
    parse_rate,
    window_key,
)


def _version_key(namespace: str) -> str:
    return f"api:version:{namespace}"


def current_version(namespace: str) -> int:
    key = _version_key(namespace)
    version = cache.get(key)
    if version is None:
        # Start from the clock, not 1, so a version lost from the cache (eviction, restart)
        # never comes back to a number whose old answers may still be cached.
        cache.add(key, int(time.time() * 1000), timeout=None)
        version = cache.get(key)
    return version


def bump_version(namespace: str) -> None:
    """Make every cached answer of `namespace` stale, once the current transaction commits."""

    def bump():
        key = _version_key(namespace)
        try:
            cache.incr(key)
        except ValueError:
            cache.add(key, int(time.time() * 1000), timeout=None)

    transaction.on_commit(bump, robust=True)


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _current(entry, version):
    """What a versioned entry holds if it was made under `version`, else None. Entries carry
    the version they were made under, so one made while a change committed is never served
    after it."""
    return entry[1] if entry is not None and entry[0] == version else None


# What the request being answered already read from the cache ({cache key: value or None}):
# CachedReadMixin reads a view's memos ahead, and cached_under_version() takes them from here.
_read_ahead: ContextVar[dict | None] = ContextVar("pti_cache_read_ahead", default=None)


def get_versioned(namespace: str, key: str):
    """(the namespace's version, what `key` holds for that version or None), in one round trip,
    or none when the request read both ahead."""
    version_key = _version_key(namespace)
    found = _read_ahead.get()
    if not found or found.get(version_key) is None or key not in found:
        found = cache.get_many([version_key, key])
    version = found.get(version_key)
    if version is None:
        return current_version(namespace), None
    return version, _current(decoded(found.get(key)), version)


def set_versioned(key: str, version: int, value, seconds: int) -> None:
    cache.set(key, (version, value), seconds)


def memo_key(namespace: str, name: str) -> str:
    return f"api:memo:{namespace}:{_digest(name)}"


def cached_under_version(namespace: str, name: str, compute, *, seconds: int = 600):
    """`compute()`, kept in the cache until the namespace's version changes (or `seconds` pass):
    for aggregates (counts) that only change when the namespace does."""
    key = memo_key(namespace, name)
    version, value = get_versioned(namespace, key)
    if value is None:
        value = compute()
        set_versioned(key, version, value, seconds)
        read = _read_ahead.get()
        if read is not None and key in read:
            read[key] = (version, value)  # what the request reads next
    return value


# This process's held_under_version() values: {name: (version, expiry on the monotonic clock, value)}.
_HELD: dict[str, tuple[int, float, object]] = {}


def held_under_version(namespace: str, name: str, compute, *, seconds: int = 600):
    """`compute()`, kept in this process until the namespace's version changes (or `seconds`
    pass): for a value dear to decode on every request, such as an index built from a
    cached_under_version() value. It costs no round trip when the request read the version ahead."""
    found = _read_ahead.get()
    version = (found or {}).get(_version_key(namespace)) or current_version(namespace)
    held = _HELD.get(name)
    now = time.monotonic()
    if held is None or held[0] != version or held[1] <= now:
        held = _HELD[name] = (version, now + seconds, compute())
    return held[2]


def forget_held() -> None:
    """Drop what held_under_version() keeps (tests: the cache was cleared under it)."""
    _HELD.clear()


def make_etag(body: bytes) -> str:
    return f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'


def is_anonymous(request) -> bool:
    return getattr(request, "auth", None) is None and "HTTP_AUTHORIZATION" not in request.META


def _response(entry, request, headers: dict):
    """The answer of a cached `entry` (etag, body), or a 304 when the request's If-None-Match
    names it; `headers`: the view's fixed headers (CachedReadMixin._fixed_headers)."""
    etag, body = entry
    wanted = request.META.get("HTTP_IF_NONE_MATCH")
    # If-None-Match compares weakly (RFC 9110 13.1.2): a proxy's gzip sends our tag back as W/"...".
    if wanted and (etag in (parsed := [tag.removeprefix("W/") for tag in parse_etags(wanted)]) or parsed == ["*"]):
        response = HttpResponseNotModified(headers=headers)
    else:
        response = HttpResponse(body, headers=headers)
    response["ETag"] = etag
    return response


_FIXED_HEADERS = {}  # (view class, stored or not): CachedReadMixin._fixed_headers()
_ANONYMOUS_RATES = {}  # view class: (the throttle rates setting, CachedReadMixin._anonymous_rate())

# request.META entry the look-ahead leaves for the full path: (cache key, namespace version)
# of the answer it looked for.
LOOKED_UP_META = "pti.cache_looked_up"


class CachedReadMixin:
    """For a GET view: cache anonymous answers under the namespace's version, send ETags,
    answer If-None-Match with 304. Signed-in answers (which may be personal) get an ETag
    and 304 but are never stored.

    Every anonymous GET first makes one round trip to Redis (throttling.round_trip): it counts the
    request in its throttle window and reads the namespace's version and the cached answer. A
    cached answer is returned there and then, before anything else DRF does (request wrapping,
    authentication, content negotiation, the view). Anything else (a miss, a throttled client,
    credentials) takes the full path, which does not count the request again. On a miss the
    view's memos (memos_to_prefetch: a list's count, the filters' lookups) come in one more
    round trip; when answers are not cached at all (API_CACHE_SECONDS=0) they come in the
    first. cached_under_version() finds them there while the request is answered."""

    cache_namespace = "catalogue"

    def _cache_key(self, request, language: str | None = None) -> str:
        """The answer's key: the path, the query string as sent (the Mini Program always sends a
        query the same way; another order is only another entry) and the language."""
        if language is None:
            language = getattr(request, "LANGUAGE_CODE", "")
        query = request.META.get("QUERY_STRING", "")
        return f"api:response:{self.cache_namespace}:{_digest(f'{request.path}?{query}|{language}')}"

    def memos_to_prefetch(self, request) -> list[str]:
        """Names of cached_under_version() values the view will read for `request` (Django's),
        read ahead in one round trip."""
        return []

    def _memo_keys(self, request) -> list[str]:
        return [memo_key(self.cache_namespace, name) for name in self.memos_to_prefetch(request)]

    def _fixed_headers(self, store: bool) -> dict:
        """The headers every answer of this view has, the ETag aside (and Content-Language,
        LocaleMiddleware's): worked out once per view class, as the full path sets them."""
        try:
            return _FIXED_HEADERS[type(self), store]
        except KeyError:
            pass
        response = HttpResponse(content_type="application/json")
        # Clients and proxies may keep it, but must ask again (cheap with If-None-Match).
        response["Cache-Control"] = "no-cache" if store else "private, no-cache"
        patch_vary_headers(response, ("Accept-Language", "Authorization"))
        headers = dict(self.default_response_headers)  # DRF's own, as finalize_response adds them
        vary = headers.pop("Vary", None)
        if vary is not None:
            patch_vary_headers(response, cc_delim_re.split(vary))
        for name, value in headers.items():
            response[name] = value
        return _FIXED_HEADERS.setdefault((type(self), store), dict(response.items()))

    def _anonymous_rate(self):
        """(scope, limit, period) of the view's one anonymous throttle, None when no throttle
        applies, or False when a throttle the shortcut does not know applies: worked out once per
        view class and throttle settings."""
        rates = api_settings.DEFAULT_THROTTLE_RATES
        known = _ANONYMOUS_RATES.get(type(self))
        if known is not None and known[0] is rates:
            return known[1]
        found, anonymous = None, 0
        for throttle in self.get_throttles():
            if isinstance(throttle, UserRateThrottle):
                continue  # counts signed-in requests only
            anonymous += 1
            if not isinstance(throttle, AnonRateThrottle) or anonymous > 1:
                found = False
                break
            rate = parse_rate(rates.get(throttle.scope))
            if rate is not None:
                found = (throttle.scope, *rate)
        _ANONYMOUS_RATES[type(self)] = (rates, found)
        return found

    def _anonymous_counter(self, request):
        """(throttle scope, limit, (window key, period), seconds left) for an anonymous request, Nones when
        no throttle applies, or False when a throttle the shortcut does not know applies."""
        rate = self._anonymous_rate()
        if not rate:
            return (None, None, None, None) if rate is None else False
        scope, limit, period = rate
        key, wait = window_key(scope, f"ip:{client_ip(request)}", period)
        return scope, limit, (key, period), wait

    def dispatch(self, request, *args, **kwargs):
        token = _read_ahead.set({})
        try:
            if (
                request.method == "GET"
                and "HTTP_AUTHORIZATION" not in request.META
                and self.authentication_classes == api_settings.DEFAULT_AUTHENTICATION_CLASSES
            ):
                answer = self._look_ahead(request)
                if answer is not None:
                    return answer
            return super().dispatch(request, *args, **kwargs)
        finally:
            _read_ahead.reset(token)

    def _look_ahead(self, request):
        """The one round trip of an anonymous GET; its cached answer, or None for the full path."""
        counter = self._anonymous_counter(request)
        if counter is False:
            return None
        scope, limit, window = counter[:3]
        language = api_language(request)
        version_key = _version_key(self.cache_namespace)
        if settings.API_CACHE_SECONDS > 0:
            # Only the answer: what the view would need is read if the answer is not cached.
            key = self._cache_key(request, language)
            keys, memos = [version_key, key], ()
        else:
            key, memos = None, self._memo_keys(request)
            keys = [version_key, *memos]
        count, found = count_and_get(window, keys, lazy=set(memos))
        if scope is not None:
            request.META[COUNTED_META] = {scope: (count, counter[3])}
            if count is not None and count > limit:
                return None  # the full path answers 429 in the API's error shape
        version = found.get(version_key)
        if version is None:
            return None
        _read_ahead.get().update({name: found.get(name) for name in keys})
        if key is None:
            return None
        request.META[LOOKED_UP_META] = (key, version)
        answer = _current(found.get(key), version)
        if answer is None:
            return None
        # As the full path would: the request's language active (LocaleMiddleware names it in
        # Content-Language).
        translation.activate(language)
        request.LANGUAGE_CODE = language
        return _response(answer, request, self._fixed_headers(store=True))

    def get(self, request, *args, **kwargs):
        seconds = settings.API_CACHE_SECONDS
        store = seconds > 0 and is_anonymous(request)
        key = self._cache_key(request) if store else None
        looked_up = request.META.get(LOOKED_UP_META)
        if key and looked_up and looked_up[0] == key:
            version, entry = looked_up[1], None  # the shortcut found no answer of this version
            # It read only the answer: what the view needs, in one more round trip.
            memos = self._memo_keys(request)
            if memos:
                found = cache.get_many(memos)
                _read_ahead.get().update({name: found.get(name) for name in memos})
        else:
            version, entry = get_versioned(self.cache_namespace, key) if key else (None, None)
        if entry is None:
            response = super().get(request, *args, **kwargs)
            if not isinstance(response, Response) or response.status_code != 200:
                return response
            body = dumps(response.data)
            entry = (make_etag(body), body)
            if key:
                set_versioned(key, version, entry, seconds)
        return _response(entry, request, self._fixed_headers(store))
