"""The project's URLs plus two yardsticks for bench/api_bench.py: /bench/bare/<size>/, a bare
Django view answering a JSON body of `size` bytes, and /bench/drf/countries/<code>/, a bare DRF
detail of a flat model (a RetrieveAPIView and a ModelSerializer), both through the same middleware."""

import functools

from django.http import HttpResponse
from django.urls import path
from rest_framework import generics, serializers

from exporters.models import Country
from pti_bridge.urls import handler500  # noqa: F401  (the project's JSON 500 for /api/)
from pti_bridge.urls import urlpatterns as project_urlpatterns


@functools.cache
def _body(size: int) -> bytes:
    filler = size - len(b'{"data":""}')
    return b'{"data":"' + b"x" * max(filler, 0) + b'"}'


def bare_json(request, size: int):
    return HttpResponse(_body(min(size, 1_000_000)), content_type="application/json")


class CountrySerializer(serializers.ModelSerializer):
    class Meta:
        model = Country
        fields = "__all__"


class BareDrfDetail(generics.RetrieveAPIView):
    """DRF as its tutorial writes a detail, with the project's DRF settings (throttles included)."""

    queryset = Country.objects.all()
    serializer_class = CountrySerializer


urlpatterns = [
    path("bench/bare/<int:size>/", bare_json),
    path("bench/drf/countries/<str:pk>/", BareDrfDetail.as_view()),
    *project_urlpatterns,
]
