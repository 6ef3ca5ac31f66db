"""The image pipeline every upload goes through: check, clean, re-encode; and storing safely.

It knows no app. A door (admin form, portal form, API) hands an upload to
`clean_image()` (or uses `CleanImageField`), which:

1. refuses a file over the size limit before reading it;
2. opens it with Pillow restricted to JPEG, PNG and WebP, and refuses, from the
   header alone, images over the pixel limit (decompression bombs, pixel floods)
   and animated images (APNG / animated WebP);
3. decodes it bounded in memory (JPEG draft mode: a big JPEG is decoded at 1/2,
   1/4 or 1/8 scale when that is enough; the kept original is at most 3000 px on
   its long side, twice the zoom rendition), turns it upright from EXIF, converts
   it to sRGB, and re-encodes it with no metadata at all (no EXIF, GPS, XMP,
   comments, appended bytes), so the stored bytes are never the uploaded bytes.

The result is a `ContentFile` named only by its format ("image.jpg"); the model
field's `upload_to` (pti_bridge.storage) gives it a server-made name.

`store()` saves a file and turns any storage failure into StorageUnavailable (a
clear 503-class error); `delete_quietly()` deletes without raising. The renditions
made from a cleaned original are in pti_bridge/renditions.py.
"""

from __future__ import annotations

import io
import logging
import warnings
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from pti_bridge.errors import DomainError

logger = logging.getLogger(__name__)

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")
ACCEPT_ATTRIBUTE = "image/jpeg,image/png,image/webp"

# Defaults; settings.IMAGE_UPLOAD_MAX_BYTES and settings.IMAGE_MAX_PIXELS override them.
DEFAULT_MAX_BYTES = 15 * 1024 * 1024
DEFAULT_MAX_PIXELS = 40_000_000

# The cleaned "original" we keep (private) is at most this many pixels on its long side:
# twice the zoom size, enough to remake any rendition, and bounded in memory and bytes.
ORIGINAL_MAX_SIDE = 3000
ORIGINAL_JPEG_QUALITY = 90

# Longest side of each purpose's stored file. Logos and covers get renditions made from it
# (their models' RENDITIONS, pti_bridge/renditions.py); an avatar is shown as stored.
PURPOSE_MAX_SIDE = {"original": ORIGINAL_MAX_SIDE, "cover": 1500, "logo": 512, "avatar": 256}

_SRGB = ImageCms.createProfile("sRGB")

# Pillow's own guard: it warns above this and refuses above twice this. We refuse above the
# limit ourselves from the header (_open), so this is the backstop for any other Pillow use.
Image.MAX_IMAGE_PIXELS = getattr(settings, "IMAGE_MAX_PIXELS", DEFAULT_MAX_PIXELS)


class StorageUnavailable(DomainError):
    """The file storage (disk or object store) refused or could not be reached."""

    code = "storage_unavailable"
    status_code = 503
    default_message = _(
        "The file could not be stored because file storage is not reachable. Nothing was saved; please try again in a few minutes."
    )


def _max_bytes() -> int:
    return getattr(settings, "IMAGE_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)


def _max_pixels() -> int:
    return getattr(settings, "IMAGE_MAX_PIXELS", DEFAULT_MAX_PIXELS)


def _refuse(message, code: str, **params):
    return ValidationError(message, code=code, params=params or None)


def _not_an_image():
    return _refuse(
        _("This file is not a JPEG, PNG or WebP image. Upload a photo in one of these formats."), "invalid_image"
    )


def _damaged():
    return _refuse(_("This image is damaged or incomplete; it cannot be read. Upload it again."), "damaged_image")


def _too_many_pixels(width: int | None = None, height: int | None = None):
    limit_mp = _max_pixels() // 1_000_000
    if width and height:
        return _refuse(
            _("This image is %(width)s × %(height)s pixels; the limit is %(limit)s megapixels."),
            "too_many_pixels",
            width=width,
            height=height,
            limit=limit_mp,
        )
    return _refuse(
        _("This image has too many pixels; the limit is %(limit)s megapixels."), "too_many_pixels", limit=limit_mp
    )


def _file_size(upload) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        position = upload.tell()
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
        upload.seek(position)
    return size


def check_upload_size(upload) -> None:
    """Refuse an empty file or one over the size limit, before anything reads it."""
    size = _file_size(upload)
    if size == 0:
        raise _refuse(_("The file is empty."), "empty")
    limit = _max_bytes()
    if size > limit:
        raise _refuse(
            _("This file is %(size)s MB; the limit is %(limit)s MB. Upload a smaller photo."),
            "file_too_large",
            size=f"{size / 1024 / 1024:.1f}",
            limit=f"{limit / 1024 / 1024:.0f}",
        )


def _open(upload) -> Image.Image:
    """Open from the header only and refuse what must never be decoded."""
    check_upload_size(upload)
    upload.seek(0)
    with warnings.catch_warnings():
        # Between the limit and twice it Pillow only warns; the check below refuses with the size.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(upload, formats=ALLOWED_FORMATS)
        except Image.DecompressionBombError as error:
            raise _too_many_pixels() from error
        except UnidentifiedImageError as error:
            raise _not_an_image() from error
        except Exception as error:  # any parser failure on untrusted bytes is a refusal
            raise _damaged() from error
    if image.format not in ALLOWED_FORMATS:  # belt and braces: `formats` already restricts
        raise _not_an_image()
    width, height = image.size
    if width < 1 or height < 1 or width * height > _max_pixels():
        raise _too_many_pixels(width, height)
    # APNG and animated WebP announce their frame count in the header; refuse before decoding.
    if getattr(image, "n_frames", 1) > 1 or getattr(image, "is_animated", False):
        raise _refuse(_("Animated images are not accepted; upload a still photo."), "animated_image")
    return image


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info


def _to_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Convert colours to sRGB so stripping the ICC profile does not shift them (phones shoot Display P3)."""
    if not icc_profile or image.mode not in ("RGB", "RGBA"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        return ImageCms.profileToProfile(image, source, _SRGB, outputMode=image.mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # a broken profile: keep the pixels as they are


def _fitted(size: tuple[int, int], max_side: int) -> tuple[int, int]:
    """`size` scaled down (never up) so its long side is at most `max_side`."""
    width, height = size
    scale = min(1.0, max_side / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def decode_bounded(upload, *, max_side: int) -> Image.Image:
    """Check `upload` and decode it, upright, in sRGB, at most `max_side` on its long side.

    Returns a new RGB or RGBA image with empty `info` (no metadata). Raises
    ValidationError with a message for the uploader.
    """
    image = _open(upload)
    icc_profile = image.info.get("icc_profile")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            if image.mode not in ("RGB", "RGBA", "L", "LA", "CMYK", "YCbCr"):
                # Palette, 1-bit and 16-bit images: convert before resampling (resizing
                # a palette image would use nearest-neighbour).
                image.load()
                image = image.convert("RGBA" if _has_alpha(image) else "RGB")
            if image.format == "JPEG":
                # Draft mode: libjpeg decodes at 1/2, 1/4 or 1/8 scale when the result still
                # covers the target, so a 40 MP photo never exists in memory at full size.
                image.draft(None, _fitted(image.size, max_side))
            image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS, reducing_gap=None)
            image.load()
    except ValidationError:
        raise
    except Exception as error:  # truncated data, bad chunks, broken EXIF: refuse
        raise _damaged() from error
    try:
        upright = ImageOps.exif_transpose(image)  # a new image either way: the file's object is let go
    except Exception:  # a broken EXIF block: keep the pixels as they were sent
        logger.warning("unreadable EXIF orientation; image kept as sent", exc_info=True)
        upright = image.copy()
    del image
    wanted = "RGBA" if _has_alpha(upright) else "RGB"
    if upright.mode != wanted:
        upright = upright.convert(wanted)
    if upright.mode == "RGBA" and upright.getchannel("A").getextrema() == (255, 255):
        upright = upright.convert("RGB")  # an opaque PNG keeps no useless alpha channel
    upright = _to_srgb(upright, icc_profile)
    upright.info = {}
    return upright


def encode(image: Image.Image, fmt: str, *, quality: int, for_phones: bool = True) -> bytes:
    """Encode with no metadata: nothing from the upload but its pixels reaches the bytes.

    `for_phones`: progressive, optimised JPEG (~15% smaller, 5x slower to encode), worth
    it for what phones download, not for the private original only we read.
    """
    buffer = io.BytesIO()
    if fmt == "jpeg":
        if image.mode != "RGB":
            image = _flatten(image)
        image.save(buffer, "JPEG", quality=quality, optimize=for_phones, progressive=for_phones)
    elif fmt == "webp":
        image.save(buffer, "WEBP", quality=quality, method=4)
    elif fmt == "png":
        image.save(buffer, "PNG", compress_level=6)
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return buffer.getvalue()


def _flatten(image: Image.Image) -> Image.Image:
    """RGBA on a white background (JPEG has no transparency)."""
    background = Image.new("RGB", image.size, (255, 255, 255))
    background.paste(image, mask=image.getchannel("A") if image.mode == "RGBA" else None)
    return background


class CleanedImageFile(ContentFile):
    """Bytes this pipeline wrote (never an upload): passing one back to `clean_image`
    for the same purpose returns it unchanged instead of re-encoding it again."""

    def __init__(self, content: bytes, *, name: str, purpose: str, width: int, height: int, fmt: str):
        super().__init__(content, name=name)
        self.purpose, self.width, self.height, self.format = purpose, width, height, fmt


@dataclass(frozen=True)
class CleanImage:
    content: CleanedImageFile
    width: int
    height: int
    format: str  # "jpeg" or "png"


def clean_image(upload, *, purpose: str = "original") -> CleanImage:
    """Check, clean and re-encode one upload; the result's bytes are ours, not the uploader's.

    `purpose` picks the longest side kept: "original" (product photos; renditions are
    made from it later), "cover", "logo" or "avatar". Opaque images become JPEG,
    images with transparency PNG. Raises ValidationError with a message for the uploader.
    """
    if isinstance(upload, CleanedImageFile) and upload.purpose == purpose:
        # A form field already ran the pipeline (CleanImageField); its bytes are ours.
        upload.seek(0)
        return CleanImage(upload, upload.width, upload.height, upload.format)
    image = decode_bounded(upload, max_side=PURPOSE_MAX_SIDE[purpose])
    fmt = "png" if image.mode == "RGBA" else "jpeg"
    data = encode(image, fmt, quality=ORIGINAL_JPEG_QUALITY, for_phones=purpose != "original")
    extension = "png" if fmt == "png" else "jpg"
    content = CleanedImageFile(
        data, name=f"image.{extension}", purpose=purpose, width=image.width, height=image.height, fmt=fmt
    )
    return CleanImage(content, image.width, image.height, fmt)


def clean_logo(upload) -> ContentFile:
    """A company logo, cleaned, at most 512 px; assign it to Exporter.logo."""
    return clean_image(upload, purpose="logo").content


def clean_cover(upload) -> ContentFile:
    """A collection cover, cleaned, at most 1500 px; assign it to Collection.cover."""
    return clean_image(upload, purpose="cover").content


def clean_avatar(upload) -> ContentFile:
    """A buyer's avatar, cleaned, at most 256 px; assign it to Buyer.avatar."""
    return clean_image(upload, purpose="avatar").content


class CleanImageField(forms.FileField):
    """A form field that runs the pipeline: `cleaned_data` holds the cleaned ContentFile.

    Use it for any image a form accepts (`CleanImageField(purpose="logo")` for
    Exporter.logo, "cover" for Collection.cover, "avatar" for Buyer.avatar,
    "original" for product photos). A refused file is a form error; nothing is stored.
    """

    default_error_messages = {"invalid_image": _("This file is not a JPEG, PNG or WebP image.")}

    def __init__(self, *, purpose: str = "original", **kwargs):
        if purpose not in PURPOSE_MAX_SIDE:
            raise ValueError(f"unknown image purpose {purpose!r}")
        self.purpose = purpose
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
        super().__init__(**kwargs)

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        return clean_image(upload, purpose=self.purpose).content


# Storage: clear errors when the store is down, and deletion that never raises.


def _storage_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [OSError]
    try:
        from boto3.exceptions import Boto3Error
        from botocore.exceptions import BotoCoreError, ClientError

        errors += [Boto3Error, BotoCoreError, ClientError]
    except ImportError:  # pragma: no cover - boto3 is installed with django-storages
        pass
    return tuple(errors)


STORAGE_ERRORS = _storage_errors()


def store(storage, name: str, content: File) -> str:
    """Save `content` under a free name near `name`; StorageUnavailable if the store fails."""
    try:
        return storage.save(name, content)
    except STORAGE_ERRORS as error:
        logger.exception("storage refused %s", name)
        raise StorageUnavailable() from error


def delete_quietly(storage, names) -> None:
    """Delete files; a failure is logged (an orphan costs bytes, not correctness)."""
    for name in names:
        if not name:
            continue
        try:
            storage.delete(name)
        except STORAGE_ERRORS:
            logger.exception("could not delete %s", name)


def check_storage(storage) -> None:
    """One cheap request to the store, so a form can say it is down before accepting a file."""
    try:
        storage.exists(".storage-check")
    except STORAGE_ERRORS as error:
        logger.warning("storage check failed: %s", error)
        raise StorageUnavailable() from error


def upload_help_text() -> str:
    return _(
        "JPEG, PNG or WebP, up to %(mb)s MB and %(mp)s megapixels. Location data and other "
        "metadata are removed, and the photo is resized for phones."
    ) % {"mb": _max_bytes() // (1024 * 1024), "mp": _max_pixels() // 1_000_000}
