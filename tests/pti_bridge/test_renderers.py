"""The API's JSON renderer writes what DRF's own JSONRenderer writes, only faster."""

import datetime
import decimal
import uuid

import pytest
from django.utils import timezone
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import ErrorDetail
from rest_framework.renderers import JSONRenderer as DrfJSONRenderer

from pti_bridge.api.renderers import JSONRenderer

SAMPLES = [
    {"count": 3, "next": None, "results": [{"id": 1, "name": "香草荚", "featured": True}]},
    {"price": decimal.Decimal("12.50"), "ratio": 0.25, "big": 2**60},
    {"at": datetime.datetime(2026, 11, 27, 8, 30, 15, 123456, tzinfo=datetime.UTC)},
    {"at": timezone.localtime(datetime.datetime(2026, 11, 27, 8, 30, tzinfo=datetime.UTC))},
    {"day": datetime.date(2026, 11, 27), "time": datetime.time(9, 5, 7, 250000)},
    {"id": uuid.UUID("12345678-1234-5678-1234-567812345678"), "label": gettext_lazy("Published")},
    {"errors": {"q": [ErrorDetail("Too long.", code="max_length")]}},
    {1: "an integer key", "nested": [[], {}, "", None]},
    ["a list", "\u2028 line separator \u2029 paragraph separator", 'quote " and \\ backslash'],
]


@pytest.mark.parametrize("data", SAMPLES)
def test_writes_what_drf_writes(data, settings):
    settings.LANGUAGE_CODE = "en"
    ours = JSONRenderer().render(data, "application/json", {})
    drf = DrfJSONRenderer().render(data, "application/json", {})
    assert ours == drf


def test_indented_json_when_asked_for():
    data = {"a": [1, 2]}
    body = JSONRenderer().render(data, "application/json; indent=2", {})
    assert body == DrfJSONRenderer().render(data, "application/json; indent=2", {})
    assert b"\n" in body


def test_nothing_renders_as_an_empty_body():
    assert JSONRenderer().render(None) == b""


def test_the_api_answers_with_it(client, db):
    response = client.get("/api/v1/categories/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.content.startswith(b'{"count":')
