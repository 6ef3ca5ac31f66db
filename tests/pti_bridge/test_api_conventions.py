"""The API's conventions, for every endpoint: the error shape whatever raised the error,
the language, pagination limits, throttling that a forged X-Forwarded-For cannot dodge,
compact JSON and a JSON 404 for unknown addresses."""

import json
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import include, path
from rest_framework import authentication, serializers
from rest_framework.response import Response
from rest_framework.test import APIClient
from rest_framework.views import APIView

from pti_bridge import urls as pti_bridge_urls
from pti_bridge.errors import InvalidTransition, RuleViolation
from pti_bridge.models import AuditEntry
from tests.factories import CategoryFactory, ProductFactory
from tests.redis_server import own_redis  # noqa: F401

pytestmark = pytest.mark.django_db


# A few views that fail the ways real views do, served beside the real API.


class NoteSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5)
    price = serializers.DictField(child=serializers.DecimalField(max_digits=5, decimal_places=2))


class BearerStub(authentication.BaseAuthentication):
    """Only its header matters here: it makes an unauthenticated call a 401, not a 403."""

    def authenticate(self, request):
        return None

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class Failing(APIView):
    authentication_classes = [BearerStub]

    def get(self, request, kind):
        from rest_framework import exceptions

        errors = {
            "domain": lambda: RuleViolation("Add the Chinese name first.", code="translation_missing"),
            "transition": lambda: InvalidTransition(),
            "django-validation-dict": lambda: ValidationError({"reason": "Say why.", "__all__": "Not now."}),
            "django-validation": lambda: ValidationError("Too late.", code="too_late"),
            "django-permission": lambda: PermissionDenied("This product belongs to another company."),
            "django-404": lambda: Http404("secret detail"),
            "not-authenticated": lambda: exceptions.NotAuthenticated(),
            "coded-validation": lambda: exceptions.ValidationError("Rejected by WeChat.", code="content_rejected"),
            "bug": lambda: ZeroDivisionError("a bug"),
        }
        raise errors[kind]()

    def post(self, request, kind):
        serializer = NoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        AuditEntry.objects.create(action="note", object_repr=serializer.validated_data["text"])
        return Response(serializer.validated_data, status=201)


urlpatterns = [
    path("api/test/<slug:kind>/", Failing.as_view()),
    path("", include("pti_bridge.urls")),
]
handler500 = pti_bridge_urls.handler500


@pytest.fixture
def api(settings):
    settings.ROOT_URLCONF = __name__
    return APIClient()


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert list(body) == ["error"]
    assert {"code", "message"} <= set(body["error"]) <= {"code", "message", "fields"}
    return body["error"]


@pytest.mark.parametrize(
    ("kind", "status", "expected"),
    [
        ("domain", 409, {"code": "translation_missing", "message": "Add the Chinese name first."}),
        ("transition", 409, {"code": "invalid_state", "message": "This action is not possible in the current state."}),
        (
            "django-validation-dict",
            400,
            {"code": "invalid", "message": "Not now.", "fields": {"reason": ["Say why."]}},
        ),
        ("django-validation", 400, {"code": "too_late", "message": "Too late.", "fields": {}}),
        ("coded-validation", 400, {"code": "content_rejected", "message": "Rejected by WeChat.", "fields": {}}),
        (
            "django-permission",
            403,
            {"code": "permission_denied", "message": "This product belongs to another company."},
        ),
        ("django-404", 404, {"code": "not_found", "message": "Not found."}),
        (
            "not-authenticated",
            401,
            {"code": "not_authenticated", "message": "Authentication credentials were not provided."},
        ),
    ],
)
def test_every_error_has_the_one_shape(api, kind, status, expected):
    response = api.get(f"/api/test/{kind}/", HTTP_ACCEPT_LANGUAGE="en")

    assert error_of(response, status) == expected
    if status == 401:
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_a_bug_is_a_500_in_the_one_shape_without_details(api):
    api.raise_request_exception = False

    response = api.get("/api/test/bug/", HTTP_ACCEPT_LANGUAGE="en")

    assert error_of(response, 500) == {
        "code": "server_error",
        "message": "Something went wrong on our side; please try again later.",
    }
    assert b"a bug" not in response.content


def test_errors_speak_chinese_by_default(api):
    assert error_of(api.get("/api/test/django-404/"), 404) == {"code": "not_found", "message": "未找到。"}
    assert error_of(api.get("/api/v1/nothing-here/"), 404)["message"] == "未找到。"
    assert api.get("/api/v1/nothing-here/")["Content-Language"] == "zh-hans"


def test_field_errors_name_their_fields(api):
    response = api.post(
        "/api/test/x/", {"text": "far too long", "price": {"min": "abc"}}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    error = error_of(response, 400)
    assert error["code"] == "invalid"
    assert error["fields"] == {
        "text": ["Ensure this field has no more than 5 characters."],
        "price.min": ["A valid number is required."],
    }
    assert error["message"] == "Some fields are not valid: text, price.min."
    assert not AuditEntry.objects.filter(action="note").exists()


def test_unsupported_media_type_is_a_415(api):
    response = api.post("/api/test/x/", data=b"text=hi", content_type="text/plain")

    assert error_of(response, 415)["code"] == "unsupported_media_type"


def _multipart(fields: dict[str, str], boundary: str = "zz") -> bytes:
    parts = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in fields.items()
    )
    return (parts + f"--{boundary}--\r\n").encode()


MULTIPART = "multipart/form-data; boundary=zz"
NOT_JSON = ("The request body is not valid JSON.", "请求内容不是有效的 JSON。")
# (content type, body, upload limits, status, code, (English, Chinese) message)
BAD_BODIES = {
    "malformed-json": (
        "application/json",
        b'{"text": ',
        {},
        400,
        "parse_error",
        ("The request body is not valid JSON (line 1, column 10).", "请求内容不是有效的 JSON（第 1 行，第 10 列）。"),
    ),
    "json-not-utf8": ("application/json", b'\xff{"text": "hi"}', {}, 400, "parse_error", NOT_JSON),
    "json-nan": ("application/json", b'{"text": NaN}', {}, 400, "parse_error", NOT_JSON),
    "json-too-large": (
        "application/json",
        json.dumps({"text": "hi", "padding": "x" * 500}).encode(),
        {"DATA_UPLOAD_MAX_MEMORY_SIZE": 100},
        413,
        "too_large",
        ("The request body is too large.", "请求内容过大。"),
    ),
    "multipart-no-boundary": (
        "multipart/form-data",
        _multipart({"text": "hi"}),
        {},
        400,
        "parse_error",
        ("The request body is not a valid multipart form.", "请求内容不是有效的 multipart 表单。"),
    ),
    "multipart-too-large": (
        MULTIPART,
        _multipart({"text": "hi", "padding": "x" * 500}),
        {"DATA_UPLOAD_MAX_MEMORY_SIZE": 100},
        413,
        "too_large",
        ("The request body is too large.", "请求内容过大。"),
    ),
    "multipart-too-many-fields": (
        MULTIPART,
        _multipart({f"f{i}": "1" for i in range(10)}),
        {"DATA_UPLOAD_MAX_NUMBER_FIELDS": 5},
        400,
        "too_many_fields",
        ("The form has too many fields or files.", "表单的字段或文件过多。"),
    ),
}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("kind", list(BAD_BODIES))
def test_a_body_the_api_cannot_read_is_refused_in_the_request_language(api, settings, kind, language):
    content_type, body, limits, status, code, (english, chinese) = BAD_BODIES[kind]
    for name, value in limits.items():
        setattr(settings, name, value)

    response = api.post("/api/test/x/", data=body, content_type=content_type, HTTP_ACCEPT_LANGUAGE=language)

    assert error_of(response, status) == {"code": code, "message": english if language == "en" else chinese}
    assert response["Content-Language"] == language
    assert not AuditEntry.objects.filter(action="note").exists()


def test_method_not_allowed_is_a_405(api):
    response = api.delete("/api/v1/products/")

    assert error_of(response, 405)["code"] == "method_not_allowed"
    assert response["Allow"] == "GET, HEAD, OPTIONS"


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete", "options"])
@pytest.mark.parametrize("url", ["/api/", "/api/v1/", "/api/v2/products/", "/api/v1/products/abc/", "/api/v1/products"])
def test_an_unknown_api_address_is_a_json_404(api, method, url):
    response = getattr(api, method)(url)

    assert error_of(response, 404)["code"] == "not_found"


def test_json_is_compact_and_utf8(api):
    response = api.get("/api/test/domain/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.content == b'{"error":{"code":"translation_missing","message":"Add the Chinese name first."}}'


def test_a_client_asking_for_html_still_gets_json(api):
    response = api.get("/api/v1/products/", HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


# Throttling.


@pytest.fixture(params=["locmem", "redis"])
def throttled(request, settings):
    """A limit of 3 anonymous requests a minute, counted in local memory or in real Redis."""
    if request.param == "redis":
        url = request.getfixturevalue("redis_url")
        settings.CACHES = {
            "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": url, "KEY_PREFIX": "pti-test-throttle"}
        }
        from django.core.cache import cache

        cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "user": "5/min"},
    }
    settings.API_CACHE_SECONDS = 0
    # The counts are per minute of the clock: start a test's few requests in one minute.
    seconds_into_minute = time.time() % 60
    if seconds_into_minute > 50:
        time.sleep(60.05 - seconds_into_minute)
    yield
    if request.param == "redis":
        from django.core.cache import cache

        cache.clear()


def test_throttled_requests_get_429_with_retry_after(api, throttled):
    for _ in range(3):
        assert api.get("/api/v1/products/").status_code == 200

    response = api.get("/api/v1/products/", HTTP_ACCEPT_LANGUAGE="en")

    error = error_of(response, 429)
    assert error["code"] == "throttled"
    assert error["message"].startswith("Request was throttled.")
    assert 1 <= int(response["Retry-After"]) <= 60


def test_a_forged_forwarded_header_gets_no_fresh_bucket(api, throttled, settings):
    settings.NUM_PROXIES = 0
    statuses = [
        api.get("/api/v1/products/", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}", REMOTE_ADDR="203.0.113.7").status_code
        for n in range(5)
    ]

    assert statuses == [200, 200, 200, 429, 429]
    # Another client (another address) has its own bucket.
    assert api.get("/api/v1/products/", REMOTE_ADDR="203.0.113.8").status_code == 200


def test_behind_one_proxy_the_address_it_adds_is_the_client(api, throttled, settings):
    settings.NUM_PROXIES = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    # The client forges entries on the left; our proxy appends the real address on the right.
    statuses = [
        api.get("/api/v1/products/", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 198.51.100.9", **proxy).status_code
        for n in range(5)
    ]

    assert statuses == [200, 200, 200, 429, 429]
    assert api.get("/api/v1/products/", HTTP_X_FORWARDED_FOR="198.51.100.10", **proxy).status_code == 200
    # A request without the header (not through the proxy) counts against the proxy's own address.
    assert api.get("/api/v1/products/", **proxy).status_code == 200


def test_throttling_applies_to_cached_answers_too(api, throttled, settings):
    settings.API_CACHE_SECONDS = 300
    statuses = [api.get("/api/v1/home/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]


def test_client_ip_rules(rf, settings):
    from pti_bridge.api.throttling import client_ip

    settings.NUM_PROXIES = 2
    assert (
        client_ip(rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.9, 10.0.0.1"))
        == "198.51.100.9"
    )
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6")) == "10.0.0.2"
    settings.NUM_PROXIES = 0
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6")) == "10.0.0.2"


def test_a_cached_answer_comes_with_the_headers_of_the_full_answer(api, settings):
    # The second request is answered from the cache before DRF runs (pti_bridge.api.caching):
    # same body and headers as the first, which went through the whole view.
    settings.API_CACHE_SECONDS = 300
    from django.core.cache import cache

    cache.clear()
    for language in ("en", "zh-hans"):
        first = api.get("/api/v1/home/", HTTP_ACCEPT_LANGUAGE=language)
        second = api.get("/api/v1/home/", HTTP_ACCEPT_LANGUAGE=language)
        not_modified = api.get("/api/v1/home/", HTTP_ACCEPT_LANGUAGE=language, HTTP_IF_NONE_MATCH=first["ETag"])

        assert first.status_code == second.status_code == 200
        assert second.content == first.content
        assert dict(second.headers) == dict(first.headers)
        assert not_modified.status_code == 304
        assert not_modified["ETag"] == first["ETag"]
        assert first["Content-Language"] == language


def test_a_cache_miss_is_counted_once(api, throttled, settings):
    # The shortcut counts the request, finds no answer and hands it to the full view, which
    # must not count it again: 3 requests a minute means 3 different pages, then a 429.
    settings.API_CACHE_SECONDS = 300
    statuses = [api.get("/api/v1/products/", {"page_size": size}).status_code for size in (1, 2, 3, 4)]

    assert statuses == [200, 200, 200, 429]


@pytest.fixture
def served(own_redis, settings):  # noqa: F811
    """The cache in a Redis server of the test's own (nothing else talks to it), and a function
    giving what that server did since the last call: ({command: calls}, keys read)."""
    caches = settings.CACHES
    settings.CACHES = {
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": own_redis.url, "KEY_PREFIX": "pti"}
    }
    client, last = own_redis.client(), [{}, 0]

    def since():
        stats = client.info("commandstats")
        commands = {name.removeprefix("cmdstat_"): value["calls"] for name, value in stats.items()}
        commands.pop("info", None)
        keyspace = client.info("stats")
        read = keyspace["keyspace_hits"] + keyspace["keyspace_misses"]
        done = {name: calls - last[0].get(name, 0) for name, calls in commands.items() if calls != last[0].get(name, 0)}
        done_read = read - last[1]
        last[:] = [commands, read]
        return done, done_read

    since()
    yield since
    settings.CACHES = caches  # before the server stops: the test's own teardown clears the cache


# What one request may ask of Redis: the throttle's counter (SET NX, INCR) and one MGET of
# what it reads, in one round trip.
ONE_TRIP = {"set": 1, "incr": 1, "mget": 1}


def test_an_uncached_list_asks_redis_once(api, served, settings):
    """Throttle count, the catalogue's version and what the list reads (its count, the filters'
    lookups, a search's plan and counts): one round trip."""
    settings.API_CACHE_SECONDS = 0
    ProductFactory.create_batch(3, published=True, name_en="Vanilla beans", category=CategoryFactory(slug="spices"))
    plain, filtered = {}, {"country": "FJ", "category": "spices", "q": "vanilla", "page_size": 5}
    typo = {"q": "vanila"}  # a plan with near spellings
    for query in (plain, filtered, typo):
        assert api.get("/api/v1/products/", query).json()["count"] == 3  # plans and counts now cached
    served()

    assert api.get("/api/v1/products/", plain).json()["count"] == 3
    assert served() == (ONE_TRIP, 2)  # the version, the count

    assert api.get("/api/v1/products/", filtered).json()["count"] == 3
    assert served() == (ONE_TRIP, 4)  # the version, the lookups, the search's plan and counts

    assert api.get("/api/v1/products/", typo).json()["count"] == 3
    assert served() == (ONE_TRIP, 3)  # the version, the search's plan and counts


def test_uncached_suggestions_ask_redis_once(api, served, settings, django_capture_on_commit_callbacks):
    """Throttle count, the catalogue's version and the product name search's counts: one round
    trip. The other names suggestions complete are read again only when the catalogue changed."""
    settings.API_CACHE_SECONDS = 0
    ProductFactory.create_batch(2, published=True, name_en="Zephyr beans")
    url, query = "/api/v1/search/suggestions/", {"q": "zeph"}
    assert api.get(url, query, HTTP_ACCEPT_LANGUAGE="en").status_code == 200  # the names now counted
    served()

    found = api.get(url, query, HTTP_ACCEPT_LANGUAGE="en").json()
    assert found == [{"text": "Zephyr beans", "kind": "product"}]
    assert served() == (ONE_TRIP, 2)  # the version, the name search's counts: this process holds the names' index

    with django_capture_on_commit_callbacks(execute=True):
        zephyr = CategoryFactory(slug="zephyr", name_en="Zephyr", name_zh_hans="和风")
        for n in range(3):
            ProductFactory(published=True, name_en=f"Zephyr tea {n}", category=zephyr)
    served()
    found = api.get(url, query, HTTP_ACCEPT_LANGUAGE="en").json()
    assert found[0] == {"text": "Zephyr", "kind": "category"}  # the new category (3 products), at once
    served()
    assert api.get(url, query, HTTP_ACCEPT_LANGUAGE="en").json() == found
    assert served() == (ONE_TRIP, 2)


def test_a_list_computes_and_keeps_its_count_once(api, served, settings):
    settings.API_CACHE_SECONDS = 0
    ProductFactory.create_batch(3, published=True)
    assert api.get("/api/v1/products/", {"country": "ZZ"}).json()["count"] == 0  # the version made
    served()

    assert api.get("/api/v1/products/").json()["count"] == 3
    assert served() == ({"set": 2, "incr": 1, "mget": 1}, 2)  # the count kept (one more SET)
    assert api.get("/api/v1/products/").json()["count"] == 3
    assert served() == (ONE_TRIP, 2)


def test_a_cached_answer_reads_only_its_version_and_itself(api, served, settings):
    """A cached search answer is found in one round trip that reads the catalogue's version and
    the answer, nothing the full path would need (counts, lookups)."""
    settings.API_CACHE_SECONDS = 300
    ProductFactory.create_batch(2, published=True, name_en="Vanilla beans", category=CategoryFactory(slug="spices"))
    query = {"q": "vanilla", "category": "spices", "page_size": 1}
    first = api.get("/api/v1/products/", query)
    served()

    again = api.get("/api/v1/products/", query)

    assert again.status_code == 200 and again.content == first.content and first.json()["count"] == 2
    assert served() == (ONE_TRIP, 2)


def test_a_cache_miss_reads_what_the_view_needs_in_one_more_round_trip(api, served, settings):
    """Another page of a cached list: the look-ahead finds no answer; the view's memos (the
    filters' lookups, the search's plan and counts) come in one more MGET, and being there are
    not computed again; the answer is kept (SET)."""
    settings.API_CACHE_SECONDS = 300
    ProductFactory.create_batch(3, published=True, name_en="Vanilla beans", category=CategoryFactory(slug="spices"))
    query = {"q": "vanilla", "category": "spices"}
    first = api.get("/api/v1/products/", {**query, "page_size": 1})
    served()

    second = api.get("/api/v1/products/", {**query, "page_size": 2})

    assert first.json()["count"] == second.json()["count"] == 3
    assert served() == ({"set": 2, "incr": 1, "mget": 2}, 5)  # version and answer, then the three memos


def test_a_round_trip_answers_each_command_in_order(redis_url):
    import redis

    from pti_bridge.api.throttling import round_trip

    client = redis.Redis.from_url(redis_url)
    client.delete("pti-test:counter", "pti-test:value")
    client.set("pti-test:value", b"x")
    commands = [
        ("SET", "pti-test:counter", 0, "EX", 5, "NX"),
        ("INCR", "pti-test:counter"),
        ("MGET", "pti-test:value", "pti-test:none"),
    ]

    assert round_trip(client, commands) == [b"OK", 1, [b"x", None]]
    assert round_trip(client, commands) == [None, 2, [b"x", None]]
    client.delete("pti-test:counter", "pti-test:value")


def test_a_round_trip_survives_a_dropped_connection_and_fails_when_redis_is_gone(redis_url):
    # Redis restarted (here: it closed our pooled connection): the pool reconnects it.
    import redis

    from pti_bridge.api.throttling import round_trip

    client = redis.Redis.from_url(redis_url)
    client.delete("pti-test:counter")
    assert round_trip(client, [("INCR", "pti-test:counter")]) == [1]
    pooled = client.client_id()  # the pool's one idle connection
    assert redis.Redis.from_url(redis_url).client_kill_filter(_id=pooled) == 1

    assert round_trip(client, [("INCR", "pti-test:counter")]) == [2]
    client.delete("pti-test:counter")

    from tests.conftest import free_port

    gone = redis.Redis(host="127.0.0.1", port=free_port(), socket_connect_timeout=0.5)
    with pytest.raises(redis.ConnectionError):
        round_trip(gone, [("INCR", "pti-test:counter")])


@pytest.mark.parametrize(
    "query",
    [
        "",
        "page=2",
        "page=3&page_size=2",
        "q=%E9%A6%99%E8%8D%89&page=2&country=fj",
        "z=1&a=2&a=3&empty=&page=2",
        "q=a+b%26c&page_size=2",
        "q=%FF%FE&page=2",  # not UTF-8
    ],
)
def test_page_links_are_what_drf_writes(query):
    # pagination.PageNumberPagination builds next and previous from the parsed query; DRF
    # builds them from the absolute URI: the same links.
    from django.core.paginator import Paginator
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory
    from rest_framework.utils.urls import remove_query_param, replace_query_param

    from pti_bridge.api.pagination import PageNumberPagination

    request = Request(APIRequestFactory().get(f"/api/v1/products/?{query}"))
    for number in (1, 2, 3):
        pagination = PageNumberPagination()
        pagination.request = request
        pagination.page = Paginator(range(10), 2).page(number)
        url = request.build_absolute_uri()
        drf_next = replace_query_param(url, "page", number + 1)
        drf_previous = None
        if number > 1:
            drf_previous = (
                remove_query_param(url, "page") if number == 2 else replace_query_param(url, "page", number - 1)
            )
        assert (pagination.get_next_link(), pagination.get_previous_link()) == (drf_next, drf_previous)


@pytest.fixture
def redis_cached(redis_url, settings):
    """Answers cached for 5 minutes in real Redis, the anonymous throttle on."""
    settings.CACHES = {
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": redis_url, "KEY_PREFIX": "pti-test-hit"}
    }
    settings.API_CACHE_SECONDS = 300
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def test_the_same_query_in_another_order_is_the_same_answer(api, redis_cached):
    ProductFactory.create_batch(3, published=True, category=CategoryFactory(slug="spices"))

    one = api.get("/api/v1/products/?category=spices&page_size=2")
    other = api.get("/api/v1/products/?page_size=2&category=spices")
    again = api.get("/api/v1/products/?page_size=2&category=spices", HTTP_IF_NONE_MATCH=one["ETag"])

    assert one.status_code == other.status_code == 200
    assert one.json()["results"] == other.json()["results"]
    assert again.status_code == 304


def without_body_headers(response) -> dict:
    return {name: value for name, value in response.headers.items() if name not in ("Content-Type", "Content-Length")}


def test_a_not_modified_answer_has_the_headers_of_the_full_answer(api, redis_cached):
    ProductFactory.create_batch(2, published=True)
    first = api.get("/api/v1/products/")  # the full path
    for etags in (first["ETag"], f'"stale", {first["ETag"]}', "*"):
        not_modified = api.get("/api/v1/products/", HTTP_IF_NONE_MATCH=etags)  # answered by the look-ahead

        assert not_modified.status_code == 304 and not_modified.content == b""
        assert "Content-Type" not in not_modified
        assert without_body_headers(not_modified) == without_body_headers(first)
    assert api.get("/api/v1/products/", HTTP_IF_NONE_MATCH='"stale", W/"x"').status_code == 200


def test_a_new_throttle_rate_applies_at_once(api, settings):
    """The look-ahead works out a view's throttle once, and again when the rates change."""

    def rates(anon):
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": anon, "user": None}}

    settings.API_CACHE_SECONDS = 300
    rates(None)
    unthrottled = [api.get("/api/v1/countries/").status_code for _ in range(3)]
    rates("2/min")
    throttled = [api.get("/api/v1/countries/").status_code for _ in range(3)]
    rates(None)
    again = [api.get("/api/v1/countries/").status_code for _ in range(3)]

    assert unthrottled == [200, 200, 200]
    assert throttled == [200, 200, 429]
    assert again == [200, 200, 200]
