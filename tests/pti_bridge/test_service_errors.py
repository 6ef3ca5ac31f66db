"""pti_bridge/middleware.py: under /api/ every failure answers in the error shape, also with
DJANGO_DEBUG on (Django's debug page otherwise), whichever layer raised it; and which database
errors count as an outage (503) rather than a bug."""

import sqlite3

import pytest
from django.db import OperationalError, ProgrammingError
from django.http import Http404
from django.urls import include, path
from rest_framework.test import APIClient
from rest_framework.views import APIView

from pti_bridge.middleware import unavailable_response
from pti_bridge.outage import database_unavailable


class Buggy(APIView):
    authentication_classes = []

    def get(self, request):
        raise ZeroDivisionError("a bug")


class ExplodingMiddleware:
    """Raises before any view, as a session or authentication middleware might."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.endswith("/explode/"):
            raise RuntimeError("a middleware bug")
        if request.path.endswith("/vanish/"):
            raise Http404("a middleware's 404")
        return self.get_response(request)


urlpatterns = [path("api/test/bug/", Buggy.as_view()), path("", include("pti_bridge.urls"))]


@pytest.fixture
def debug_api(settings):
    settings.DEBUG = True
    settings.ROOT_URLCONF = __name__
    settings.MIDDLEWARE = [*settings.MIDDLEWARE[:1], f"{__name__}.ExplodingMiddleware", *settings.MIDDLEWARE[1:]]
    return APIClient(raise_request_exception=False)


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    return response.json()["error"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("address", "status", "expected"),
    [
        ("/api/test/bug/", 500, {"code": "server_error", "message": "服务器出错，请稍后再试。"}),
        ("/api/v1/explode/", 500, {"code": "server_error", "message": "服务器出错，请稍后再试。"}),
        ("/api/v1/vanish/", 404, {"code": "not_found", "message": "未找到。"}),
        ("/api/v1/nothing-here/", 404, {"code": "not_found", "message": "未找到。"}),
    ],
)
def test_api_failures_are_json_with_debug_on(debug_api, address, status, expected):
    response = debug_api.get(address)

    assert error_of(response, status) == expected
    assert b"a bug" not in response.content and b"middleware" not in response.content


@pytest.mark.django_db
def test_api_failure_speaks_the_requests_language(debug_api):
    response = debug_api.get("/api/v1/explode/", HTTP_ACCEPT_LANGUAGE="en")

    assert error_of(response, 500)["message"] == "Something went wrong on our side; please try again later."


@pytest.mark.django_db
def test_outside_the_api_debug_keeps_its_page(debug_api):
    response = debug_api.get("/portal/explode/")

    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


def _wrapped(error: sqlite3.Error):
    """As Django's backend raises it: its own class, the driver's error as the cause."""
    try:
        raise OperationalError(*error.args) from error
    except OperationalError as wrapped:
        return wrapped


def test_a_busy_sqlite_file_is_an_outage_and_a_missing_table_a_bug(tmp_path):
    holder = sqlite3.connect(tmp_path / "db.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    waiter = sqlite3.connect(tmp_path / "db.sqlite3", timeout=0, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError) as busy:
        waiter.execute("BEGIN IMMEDIATE")
    with pytest.raises(sqlite3.OperationalError) as missing:
        waiter.execute("SELECT * FROM no_such_table")

    assert database_unavailable(_wrapped(busy.value)) is True
    assert database_unavailable(_wrapped(missing.value)) is False
    assert database_unavailable(ProgrammingError("relation does not exist")) is False
    assert database_unavailable(ZeroDivisionError()) is False


def test_the_503_page_stays_a_503_when_it_cannot_be_rendered(settings, rf, tmp_path):
    # Production's manifest storage before collectstatic: every {% static %} raises.
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }

    response = unavailable_response(rf.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-CN"))

    assert (response.status_code, response["Retry-After"]) == (503, "60")
    assert "请一分钟后再试。" in response.content.decode()
