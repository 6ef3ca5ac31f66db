"""pti_bridge.storage.public_url: the storage's own URL, built without asking it each time."""

import pytest
from django.core.files.storage import FileSystemStorage, default_storage

from pti_bridge.storage import public_url

NAMES = [
    "renditions/products/2026/11/0f3c9a-thumb.webp",
    "logos/2026/11/ab12cd.png",
    "x.jpeg",
    # Names our code does not make: whatever the storage does with them, public_url does too.
    "with space/naïve 香草.jpg",
    "a//b.webp",
    "../escape.webp",
    "q?x=1#frag.png",
    "/leading.webp",
]


@pytest.mark.parametrize("media_url", ["/media/", "https://cdn.example.cn/pti/"])
def test_public_url_is_what_the_storage_says(settings, media_url):
    settings.MEDIA_URL = media_url
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"base_url": media_url}},
    }

    for name in NAMES:
        assert public_url(name) == default_storage.url(name), name


def test_the_storage_is_asked_once_not_per_url(settings, monkeypatch):
    settings.MEDIA_URL = "/media/"  # a settings change starts afresh
    calls = []
    original = FileSystemStorage.url
    monkeypatch.setattr(FileSystemStorage, "url", lambda self, name: calls.append(name) or original(self, name))

    urls = [public_url(f"renditions/products/{n}-thumb.webp") for n in range(40)]

    assert urls[7] == "/media/renditions/products/7-thumb.webp"
    assert len(calls) == 2  # the two probes that establish prefix + name, then never again
