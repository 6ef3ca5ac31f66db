"""The project's URLs plus /bench/bare/<size>/: a bare Django view answering a JSON body of
`size` bytes, through the same middleware, the yardstick for bench/api_bench.py."""

import functools

from django.http import HttpResponse
from django.urls import path

from pti_bridge.urls import handler500  # noqa: F401  (the project's JSON 500 for /api/)
from pti_bridge.urls import urlpatterns as project_urlpatterns


@functools.cache
def _body(size: int) -> bytes:
    filler = size - len(b'{"data":""}')
    return b'{"data":"' + b"x" * max(filler, 0) + b'"}'


def bare_json(request, size: int):
    return HttpResponse(_body(min(size, 1_000_000)), content_type="application/json")


urlpatterns = [path("bench/bare/<int:size>/", bare_json), *project_urlpatterns]
