"""Renditions: the sizes the Mini Program and the portal show, made from a cleaned original.

240 px thumbnails, 750 px detail and 1500 px zoom (the long side fits the box;
never upscaled), each in WebP and in JPEG for clients without WebP, written to
the public storage under names carrying a hash of their bytes. It knows no app:
`refresh_renditions()` works on any model instance with an image file and a
JSON field for its renditions, named by the model's `RENDITIONS` (a RenditionSpec;
by default `original` and `renditions` in every size, as catalogue.ProductImage
has them; exporters.Exporter's logo and catalogue.Collection's cover name theirs).
"""

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _
from PIL import Image

from pti_bridge import hooks
from pti_bridge.images import STORAGE_ERRORS, StorageUnavailable, decode_bounded, delete_quietly, encode, store

logger = logging.getLogger(__name__)

RENDITION_SIZES = {"thumb": 240, "detail": 750, "zoom": 1500}
RENDITION_FORMATS = ("webp", "jpeg")
WEBP_QUALITY = 80
JPEG_QUALITY = 82


@dataclass(frozen=True)
class RenditionSpec:
    """Which file of a model its renditions are made from, where they are kept, in which sizes."""

    file_field: str = "original"
    renditions_field: str = "renditions"
    sizes: dict = field(default_factory=lambda: dict(RENDITION_SIZES))


DEFAULT_SPEC = RenditionSpec()


def spec_of(model) -> RenditionSpec:
    return getattr(model, "RENDITIONS", DEFAULT_SPEC)


def rendition_names(renditions: dict) -> list[str]:
    return [entry["name"] for formats in (renditions or {}).values() for entry in formats.values()]


def _exists(storage, name: str) -> bool:
    try:
        return storage.exists(name)
    except STORAGE_ERRORS as error:
        raise StorageUnavailable() from error


def make_renditions(source, *, prefix: str, storage=None, sizes: dict | None = None) -> dict:
    """Write every rendition of the image in `source` (a file) to `storage` (public by default).

    Returns `{size: {format: {name, width, height, bytes}}}`. Names are `prefix`,
    size, dimensions and a hash of the bytes, so a changed rendition never reuses
    a URL a CDN may have cached, and an unchanged one keeps its URL. On a storage
    failure the renditions written by this call are deleted and StorageUnavailable
    is raised. `sizes`: {size: longest side}, RENDITION_SIZES by default.
    """
    storage = storage or default_storage
    sizes = sizes or RENDITION_SIZES
    largest = max(sizes.values())
    base = decode_bounded(source, max_side=largest)
    result: dict = {}
    written: list[str] = []
    try:
        # Largest first, each from the one before: every step shrinks by 2x or more.
        image = base
        for size, box in sorted(sizes.items(), key=lambda item: -item[1]):
            if max(image.size) > box:
                image = image.copy()
                image.thumbnail((box, box), Image.Resampling.LANCZOS)
            result[size] = {}
            for fmt in RENDITION_FORMATS:
                data = encode(image, fmt, quality=WEBP_QUALITY if fmt == "webp" else JPEG_QUALITY)
                digest = hashlib.sha256(data).hexdigest()[:10]
                extension = "webp" if fmt == "webp" else "jpg"
                name = f"{prefix}-{size}-{image.width}x{image.height}-{digest}.{extension}"
                # The name carries a hash of the bytes: if it exists it holds these very
                # bytes (a remake with nothing changed), so it is kept, not duplicated.
                if not _exists(storage, name):
                    name = store(storage, name, ContentFile(data))
                    written.append(name)
                result[size][fmt] = {"name": name, "width": image.width, "height": image.height, "bytes": len(data)}
    except BaseException:
        delete_quietly(storage, written)
        raise
    return result


def rendition_prefix(original_name: str) -> str:
    """`originals/products/2026/11/<hex>.jpg` -> `renditions/products/2026/11/<hex>`."""
    path = PurePosixPath(original_name)
    parts = list(path.with_suffix("").parts)
    if parts and parts[0] == "originals":
        parts[0] = "renditions"
    else:
        parts.insert(0, "renditions")
    return "/".join(parts)


def _is_not_found(error: BaseException) -> bool:
    response = getattr(error, "response", None) or {}
    return str(response.get("Error", {}).get("Code")) in ("404", "NoSuchKey")


def renditions_complete(instance) -> bool:
    """True when the instance's renditions are all there, in every size and format, and
    made from its current file (their names start with the file's rendition prefix)."""
    spec = spec_of(type(instance))
    file = getattr(instance, spec.file_field)
    renditions = getattr(instance, spec.renditions_field) or {}
    if not file:
        return not renditions
    prefix = rendition_prefix(file.name) + "-"
    return all(
        (renditions.get(size) or {}).get(fmt, {}).get("name", "").startswith(prefix)
        for size in spec.sizes
        for fmt in RENDITION_FORMATS
    )


def refresh_renditions(instance, *, storage=None) -> dict | None:
    """(Re)make the renditions of a model instance from its image file (see spec_of).

    The row is updated only if it still exists with the same file (a photo
    replaced or deleted meanwhile keeps no stray renditions); the previous
    renditions are then deleted. Returns the new renditions, or None if the row
    changed under us. An instance whose file was removed gets no renditions ({}).
    """
    storage = storage or default_storage
    model = type(instance)
    spec = spec_of(model)
    file = getattr(instance, spec.file_field)
    original_name = file.name or ""
    previous = rendition_names(getattr(instance, spec.renditions_field))
    if not original_name:
        renditions = {}
    else:
        try:
            with file.storage.open(original_name, "rb") as source:
                renditions = make_renditions(
                    source, prefix=rendition_prefix(original_name), storage=storage, sizes=spec.sizes
                )
        except StorageUnavailable:
            raise
        except STORAGE_ERRORS as error:
            if isinstance(error, FileNotFoundError) or _is_not_found(error):
                raise ValidationError(
                    _("The original %(name)s is missing from storage."),
                    code="original_missing",
                    params={"name": original_name},
                ) from error
            logger.exception("cannot read %s", original_name)
            raise StorageUnavailable() from error
    updated = model._default_manager.filter(pk=instance.pk, **{spec.file_field: original_name}).update(
        **{spec.renditions_field: renditions}
    )
    if not updated:
        delete_quietly(storage, rendition_names(renditions))
        return None
    setattr(instance, spec.renditions_field, renditions)
    delete_quietly(storage, [name for name in previous if name not in rendition_names(renditions)])
    # The row was updated without save(): tell its app (catalogue clears the API's cache).
    hooks.fire("renditions_saved", model_label=model._meta.label, pk=instance.pk)
    return renditions
