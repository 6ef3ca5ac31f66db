"""pti_bridge.storage.public_url: the storage's own URL, built without asking it each time."""

import pytest
from django.core.files.storage import FileSystemStorage, default_storage

from pti_bridge.storage import absolute_url, public_url

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


# absolute=True: what the API answers (a Mini Program cannot load a path).


@pytest.mark.parametrize(
    ("media_url", "site_url", "expected"),
    [
        ("/media/", "https://bridge.example.cn", "https://bridge.example.cn/media/renditions/a-thumb.webp"),
        ("/media/", "https://bridge.example.cn/pti", "https://bridge.example.cn/media/renditions/a-thumb.webp"),
        (
            "https://cdn.example.cn/pti/",
            "https://bridge.example.cn",
            "https://cdn.example.cn/pti/renditions/a-thumb.webp",
        ),
        ("//cdn.example.cn/pti/", "https://bridge.example.cn", "https://cdn.example.cn/pti/renditions/a-thumb.webp"),
    ],
    ids=["path-on-the-site", "site-under-a-path", "absolute-media-url-kept", "scheme-relative"],
)
def test_absolute_public_url_joins_a_path_to_the_site(settings, media_url, site_url, expected):
    settings.SITE_URL = site_url
    settings.MEDIA_URL = media_url
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"base_url": media_url}},
    }

    assert public_url("renditions/a-thumb.webp", absolute=True) == expected
    assert public_url("with space/香草.jpg", absolute=True) == absolute_url(default_storage.url("with space/香草.jpg"))
    assert public_url("renditions/a-thumb.webp") == default_storage.url("renditions/a-thumb.webp")  # the portal's


def test_a_changed_site_url_is_followed(settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    assert public_url("x.webp", absolute=True) == "http://127.0.0.1:8000/media/x.webp"

    settings.SITE_URL = "https://bridge.example.cn"

    assert public_url("x.webp", absolute=True) == "https://bridge.example.cn/media/x.webp"
