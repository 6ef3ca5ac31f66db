"""Where files go: server-made names, and the private storage for originals and documents."""

import re
import uuid
from pathlib import PurePosixPath
from urllib.parse import urljoin

from django.conf import settings
from django.core import checks
from django.core.files.storage import default_storage, storages
from django.core.signals import setting_changed
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.functional import LazyObject


class _PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["private"]


# Uploaded originals and exporter documents: never public; short-lived signed URLs on S3.
private_storage = _PrivateStorage()


def get_private_storage():
    """The private storage, for model fields: a callable, so migrations name this function
    instead of freezing one machine's storage location into the migration."""
    return private_storage


@deconstructible
class upload_to:  # noqa: N801 - used like a function in model fields
    """A server-made file name under `prefix/yyyy/mm/`: the uploaded name is never used,
    so two uploads of "IMG_0001.jpg" never meet."""

    def __init__(self, prefix: str):
        self.prefix = prefix

    def __call__(self, instance, filename: str) -> str:
        suffix = PurePosixPath(filename).suffix.lower()[:8]
        today = timezone.now()
        return f"{self.prefix}/{today:%Y/%m}/{uuid.uuid4().hex}{suffix}"

    def __eq__(self, other):
        return isinstance(other, upload_to) and other.prefix == self.prefix


# What public_url() writes without asking the storage: names our code made (upload_to,
# renditions), which no URL encoding changes.
_PLAIN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*\Z")
_PROBES = ("pti-url-probe/a0.webp", "pti-url-probe/b1/c2.jpeg")
_public_prefix: list = []  # [(the prefix, the absolute prefix)], or [None] when URLs are not prefix + name


def absolute_url(url: str) -> str:
    """`url` as an address a client elsewhere can load: an absolute http(s) URL is kept (S3,
    a CDN, an absolute MEDIA_URL); a path (local storage under a relative MEDIA_URL) is
    joined to SITE_URL, the site's public address. The API's answers are cached and shared
    by every caller, so the origin comes from settings, never from a request's Host."""
    if url.startswith(("https://", "http://")):
        return url
    return urljoin(settings.SITE_URL + "/", url)


def public_url(name: str, *, absolute: bool = False) -> str:
    """default_storage.url(name), for a public file our code named: the storage's URL prefix
    and the name, when the storage's URLs are exactly that (local files, S3 with
    querystring_auth off, with or without a custom domain). Building each URL through the
    storage (urljoin, or boto3 on S3) cost more than the rest of a 20-card page together.

    `absolute`: through absolute_url(), as the API needs (a Mini Program cannot load a path);
    the portal's pages keep the storage's own URL."""
    if not _public_prefix:
        url = default_storage.url(_PROBES[0])
        prefix = url[: -len(_PROBES[0])] if url.endswith(_PROBES[0]) else None
        if prefix is not None and default_storage.url(_PROBES[1]) != prefix + _PROBES[1]:
            prefix = None  # not plain concatenation (signed, or rewritten): ask every time
        _public_prefix[:] = [None if prefix is None else (prefix, absolute_url(prefix))]
    prefixes = _public_prefix[0]
    if prefixes is None or not _PLAIN_NAME.match(name) or "//" in name or "/." in name:
        url = default_storage.url(name)
        return absolute_url(url) if absolute else url
    return (prefixes[1] if absolute else prefixes[0]) + name


@checks.register(checks.Tags.security, deploy=True)
def check_image_urls_are_https(app_configs=None, **kwargs):
    """`check --deploy`: the API's image URLs must be https for WeChat to load them; with a
    path for MEDIA_URL they are built on SITE_URL, which must then be https."""
    url = public_url(_PROBES[0], absolute=True)
    if url.startswith("https://"):
        return []
    return [
        checks.Warning(
            f"The API's image URLs start with {url[: -len(_PROBES[0])]!r}: a Mini Program loads https only.",
            hint="Set SITE_URL to the site's https:// address (or MEDIA_URL to an https:// CDN).",
            id="pti_bridge.W001",
        )
    ]


def _reset_private_storage(*, setting, **kwargs):
    # Tests override STORAGES; the lazy private storage must follow like default_storage does.
    if setting == "STORAGES":
        from django.utils.functional import empty

        private_storage._wrapped = empty
    if setting in ("STORAGES", "MEDIA_URL", "SITE_URL"):
        _public_prefix.clear()


setting_changed.connect(_reset_private_storage)
