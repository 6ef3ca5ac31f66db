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

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response


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


def get_versioned(namespace: str, key: str):
    """(the namespace's version, what `key` holds for that version or None), in one round trip.
    Entries carry the version they were made under, so one made while a change committed is
    never served after it."""
    version_key = _version_key(namespace)
    found = cache.get_many([version_key, key])
    version = found.get(version_key)
    if version is None:
        return current_version(namespace), None
    entry = found.get(key)
    if entry is not None and entry[0] == version:
        return version, entry[1]
    return version, None


def set_versioned(key: str, version: int, value, seconds: int) -> None:
    cache.set(key, (version, value), seconds)


def cached_under_version(namespace: str, name: str, compute, *, seconds: int = 600):
    """`compute()`, kept in the cache until the namespace's version changes (or `seconds` pass):
    for aggregates (counts) that only change when the namespace does."""
    key = f"api:memo:{namespace}:{_digest(name)}"
    version, value = get_versioned(namespace, key)
    if value is None:
        value = compute()
        set_versioned(key, version, value, seconds)
    return value


def make_etag(body: bytes) -> str:
    return f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'


def is_anonymous(request) -> bool:
    return getattr(request, "auth", None) is None and "HTTP_AUTHORIZATION" not in request.META


class CachedReadMixin:
    """For a GET view: cache anonymous answers under the namespace's version, send ETags,
    answer If-None-Match with 304. Signed-in answers (which may be personal) get an ETag
    and 304 but are never stored."""

    cache_namespace = "catalogue"

    def _cache_key(self, request) -> str:
        query = "&".join(sorted(f"{k}={v}" for k, values in request.query_params.lists() for v in values))
        language = getattr(request, "LANGUAGE_CODE", "")
        return f"api:response:{self.cache_namespace}:{_digest(f'{request.path}?{query}|{language}')}"

    def count_cache_name(self, request) -> str:
        """What identifies a list's count (for pti_bridge.api.pagination): the path and the
        filters, not the page nor the language."""
        params = sorted(
            f"{k}={v}" for k, values in request.query_params.lists() if k not in ("page", "page_size") for v in values
        )
        return f"count:{request.path}?{'&'.join(params)}"

    def get(self, request, *args, **kwargs):
        seconds = settings.API_CACHE_SECONDS
        store = seconds > 0 and is_anonymous(request)
        key = self._cache_key(request) if store else None
        version, entry = get_versioned(self.cache_namespace, key) if key else (None, None)
        if entry is None:
            response = super().get(request, *args, **kwargs)
            if not isinstance(response, Response) or response.status_code != 200:
                return response
            body = JSONRenderer().render(response.data)
            entry = (make_etag(body), body)
            if key:
                set_versioned(key, version, entry, seconds)
        etag, body = entry
        wanted = parse_etags(request.META.get("HTTP_IF_NONE_MATCH", ""))
        if etag in wanted or "*" in wanted:
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(body, content_type="application/json")
        response["ETag"] = etag
        # Clients and proxies may keep it, but must ask again (cheap with If-None-Match).
        response["Cache-Control"] = "no-cache" if store else "private, no-cache"
        patch_vary_headers(response, ("Accept-Language", "Authorization"))
        return response
