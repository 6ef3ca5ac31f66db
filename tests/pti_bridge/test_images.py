"""The image pipeline on its own: hostile files refused, awkward files stored cleaned, renditions."""

import io

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from pti_bridge import images
from pti_bridge import renditions as rendition_maker
from tests.storage import corpus


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def opened(content) -> Image.Image:
    content.seek(0)
    image = Image.open(io.BytesIO(content.read()))
    image.load()
    return image


EXPECTED_MESSAGES = {
    "too_many_pixels": "too many pixels",
    "invalid_image": "This file is not a JPEG, PNG or WebP image. Upload a photo in one of these formats.",
    "animated_image": "Animated images are not accepted; upload a still photo.",
    "damaged_image": "This image is damaged or incomplete; it cannot be read. Upload it again.",
    "file_too_large": "This file is 16.0 MB; the limit is 15 MB. Upload a smaller photo.",
    "empty": "The file is empty.",
}


@pytest.mark.parametrize("case", sorted(corpus.HOSTILE))
def test_hostile_file_is_refused_with_a_clear_message(case):
    name, build, code = corpus.HOSTILE[case]

    with pytest.raises(ValidationError) as refused:
        images.clean_image(upload(name, build()))

    assert refused.value.code == code
    (message,) = refused.value.messages
    if code == "too_many_pixels":
        assert message in (
            "This image has too many pixels; the limit is 40 megapixels.",
            "This image is 7000 × 6000 pixels; the limit is 40 megapixels.",
        )
    else:
        assert message == EXPECTED_MESSAGES[code]


def test_pixel_flood_names_its_size_when_under_pillows_own_guard():
    with pytest.raises(ValidationError) as refused:
        images.clean_image(upload("photo.png", corpus.png_claiming(7_000, 6_000)))

    assert refused.value.messages == ["This image is 7000 × 6000 pixels; the limit is 40 megapixels."]


def test_limits_follow_settings(settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 1024 * 1024
    settings.IMAGE_MAX_PIXELS = 1_000_000
    small_but_wide = corpus.png(Image.new("RGB", (1100, 1000)))

    with pytest.raises(ValidationError) as too_many:
        images.clean_image(upload("wide.png", small_but_wide))
    with pytest.raises(ValidationError) as too_big:
        images.clean_image(upload("big.jpg", bytes(1024 * 1024 + 1)))

    assert too_many.value.messages == ["This image is 1100 × 1000 pixels; the limit is 1 megapixels."]
    assert too_big.value.messages == ["This file is 1.0 MB; the limit is 1 MB. Upload a smaller photo."]


def test_phone_jpeg_is_turned_upright_and_loses_gps_and_every_other_tag():
    uploaded = corpus.jpeg_with_gps_and_orientation(orientation=6)
    assert Image.open(io.BytesIO(uploaded)).getexif().get_ifd(0x8825)  # the upload has GPS

    cleaned = images.clean_image(upload("IMG_0001.JPG", uploaded))

    data = cleaned.content.read()
    image = opened(cleaned.content)
    # 120 x 80, Orientation 6 (rotate 90° clockwise to view): stored 80 x 120, red on top.
    assert (cleaned.width, cleaned.height, image.size) == (80, 120, (80, 120))
    red, blue = image.getpixel((40, 10)), image.getpixel((40, 110))
    assert red[0] > 180 and red[2] < 70
    assert blue[2] > 180 and blue[0] < 70
    assert cleaned.format == "jpeg" and image.format == "JPEG"
    assert dict(image.getexif()) == {}
    assert b"Exif" not in data and b"PhoneMaker" not in data and b"secret farm" not in data
    assert "icc_profile" not in image.info and "comment" not in image.info and "exif" not in image.info


def test_png_with_html_appended_is_reencoded_without_it():
    uploaded = corpus.png_with_html()

    cleaned = images.clean_image(upload("photo.png", uploaded))

    data = cleaned.content.read()
    assert b"<script" not in data and b"<html" not in data
    assert data != uploaded
    assert opened(cleaned.content).size == (120, 80)


def test_stored_bytes_are_never_the_uploaded_bytes_even_for_a_clean_jpeg():
    uploaded = corpus.jpeg(corpus.noisy_photo(300, 200), quality=90)

    cleaned = images.clean_image(upload("clean.jpg", uploaded))

    assert cleaned.content.read() != uploaded
    assert cleaned.content.name == "image.jpg"  # the uploaded name never travels on


@pytest.mark.parametrize(
    ("case", "fmt", "mode", "size"),
    [
        ("cmyk_jpeg", "jpeg", "RGB", (120, 80)),
        ("palette_png_transparency", "png", "RGBA", (64, 64)),
        ("sixteen_bit_png", "jpeg", "RGB", (64, 64)),
        ("rgba_logo", "png", "RGBA", (800, 600)),
        ("png_with_html", "jpeg", "RGB", (120, 80)),
    ],
)
def test_awkward_but_honest_images_are_stored_cleaned(case, fmt, mode, size):
    name, build = corpus.CLEANABLE[case]

    cleaned = images.clean_image(upload(name, build()))

    image = opened(cleaned.content)
    assert (cleaned.format, image.mode, image.size) == (fmt, mode, size)


def test_a_big_photo_is_kept_at_most_3000_px_on_its_long_side():
    cleaned = images.clean_image(upload("pano.jpg", corpus.jpeg(corpus.noisy_photo(6000, 2000), quality=85)))

    assert (cleaned.width, cleaned.height) == (3000, 1000)


@pytest.mark.parametrize(("purpose", "expected"), [("logo", (512, 384)), ("avatar", (256, 192)), ("cover", (800, 600))])
def test_logo_avatar_and_cover_helpers_clean_and_bound_the_image(purpose, expected):
    helper = {"logo": images.clean_logo, "avatar": images.clean_avatar, "cover": images.clean_cover}[purpose]

    content = helper(upload("logo.png", corpus.rgba_logo()))

    image = opened(content)
    assert (image.size, image.format, content.name) == (expected, "PNG", "image.png")


def test_clean_image_field_gives_a_form_error_and_cleaned_data_holds_our_bytes():
    class LogoForm(forms.Form):
        logo = images.CleanImageField(purpose="logo")

    refused = LogoForm(files={"logo": upload("logo.svg", corpus.svg())})
    accepted = LogoForm(files={"logo": upload("logo.png", corpus.png_with_html())})

    assert not refused.is_valid()
    assert refused.errors["logo"] == [
        "This file is not a JPEG, PNG or WebP image. Upload a photo in one of these formats."
    ]
    assert accepted.is_valid(), accepted.errors
    assert isinstance(accepted.cleaned_data["logo"], images.CleanedImageFile)
    assert b"<script" not in accepted.cleaned_data["logo"].read()


def test_renditions_of_a_phone_photo(settings):
    cleaned = images.clean_image(upload("IMG_2041.jpg", corpus.jpeg(corpus.noisy_photo(4032, 3024), quality=90)))

    renditions = rendition_maker.make_renditions(cleaned.content, prefix="renditions/test/abc")

    dimensions = {
        size: {fmt: (e["width"], e["height"]) for fmt, e in formats.items()} for size, formats in renditions.items()
    }
    assert dimensions == {
        "zoom": {"webp": (1500, 1125), "jpeg": (1500, 1125)},
        "detail": {"webp": (750, 563), "jpeg": (750, 563)},
        "thumb": {"webp": (240, 180), "jpeg": (240, 180)},
    }
    for formats in renditions.values():
        for fmt, entry in formats.items():
            with default_storage.open(entry["name"]) as stored:
                data = stored.read()
            assert len(data) == entry["bytes"]
            image = Image.open(io.BytesIO(data))
            assert (image.format, image.size) == (
                {"webp": "WEBP", "jpeg": "JPEG"}[fmt],
                (entry["width"], entry["height"]),
            )
            assert entry["name"].startswith("renditions/test/abc-")
    # A product card's thumbnail stays small on a mobile network.
    assert renditions["thumb"]["webp"]["bytes"] < 40_000
    assert renditions["thumb"]["jpeg"]["bytes"] < 40_000


def test_renditions_never_upscale_and_keep_transparency_in_webp():
    cleaned = images.clean_image(upload("icon.png", corpus.palette_png_with_transparency()))

    renditions = rendition_maker.make_renditions(cleaned.content, prefix="renditions/test/icon")

    assert {size: (f["webp"]["width"], f["webp"]["height"]) for size, f in renditions.items()} == {
        "zoom": (64, 64),
        "detail": (64, 64),
        "thumb": (64, 64),
    }
    with default_storage.open(renditions["thumb"]["webp"]["name"]) as stored:
        assert Image.open(stored).mode == "RGBA"
    with default_storage.open(renditions["thumb"]["jpeg"]["name"]) as stored:
        flattened = Image.open(stored)
        flattened.load()
    assert flattened.mode == "RGB" and flattened.getpixel((2, 2)) == (255, 255, 255)


def test_rendition_prefix_follows_the_original_name():
    assert (
        rendition_maker.rendition_prefix("originals/products/2026/11/abc123.jpg")
        == "renditions/products/2026/11/abc123"
    )
    assert rendition_maker.rendition_prefix("covers/2026/11/abc123.png") == "renditions/covers/2026/11/abc123"
