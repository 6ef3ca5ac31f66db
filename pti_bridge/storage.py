"""Where files go: server-made names, and the private storage for originals and documents."""

import uuid
from pathlib import PurePosixPath

from django.core.files.storage import storages
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


def _reset_private_storage(*, setting, **kwargs):
    # Tests override STORAGES; the lazy private storage must follow like default_storage does.
    if setting == "STORAGES":
        from django.utils.functional import empty

        private_storage._wrapped = empty


setting_changed.connect(_reset_private_storage)
