"""Logos, covers and avatars: one field runs the pipeline; the stored file is ours, in public storage."""

import io
from pathlib import Path

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from catalogue.models import Collection
from exporters.models import Exporter
from pti_bridge.images import CleanImageField
from tests.storage import corpus

pytestmark = pytest.mark.django_db


class LogoForm(forms.ModelForm):
    logo = CleanImageField(purpose="logo")

    class Meta:
        model = Exporter
        fields = ["logo"]


class CoverForm(forms.ModelForm):
    cover = CleanImageField(purpose="cover", required=False)

    class Meta:
        model = Collection
        fields = ["cover"]


def test_logo_is_cleaned_resized_and_stored_under_a_server_made_name(verified_exporter, settings):
    upload = SimpleUploadedFile("Our Logo FINAL.png", corpus.rgba_logo() + b"<script>alert(1)</script>")

    form = LogoForm(files={"logo": upload}, instance=verified_exporter)
    assert form.is_valid(), form.errors
    form.save()

    verified_exporter.refresh_from_db()
    name = verified_exporter.logo.name
    assert name.startswith("logos/") and name.endswith(".png") and "Logo" not in name
    stored = Path(settings.STORAGES["default"]["OPTIONS"]["location"]) / name
    data = stored.read_bytes()
    assert b"<script" not in data
    image = Image.open(io.BytesIO(data))
    assert (image.format, image.mode, image.size) == ("PNG", "RGBA", (512, 384))
    assert verified_exporter.logo.url == f"/media/{name}"


def test_refused_logo_leaves_the_old_one(verified_exporter, settings):
    form = LogoForm(
        files={"logo": SimpleUploadedFile("logo.gif", corpus.gif_with_frames(20))}, instance=verified_exporter
    )

    assert not form.is_valid()
    assert form.errors["logo"] == [
        "This file is not a JPEG, PNG or WebP image. Upload a photo in one of these formats."
    ]
    verified_exporter.refresh_from_db()
    assert not verified_exporter.logo
    assert not (Path(settings.STORAGES["default"]["OPTIONS"]["location"]) / "logos").exists()


def test_cover_is_cleaned_to_at_most_1500_px():
    collection = Collection.objects.create(slug="fiji-show", title_en="Fiji show", title_zh_hans="斐济展")
    photo = SimpleUploadedFile("cover.jpg", corpus.jpeg_with_gps_and_orientation())
    big = SimpleUploadedFile("big.jpg", corpus.jpeg(corpus.noisy_photo(2400, 1600), quality=85))

    first = CoverForm(files={"cover": photo}, instance=collection)
    assert first.is_valid(), first.errors
    first.save()
    with collection.cover.open("rb") as stored:
        upright = Image.open(stored)
        upright.load()
    second = CoverForm(files={"cover": big}, instance=collection)
    assert second.is_valid(), second.errors
    second.save()

    assert upright.size == (80, 120) and dict(upright.getexif()) == {}
    with collection.cover.open("rb") as stored:
        assert Image.open(stored).size == (1500, 1000)
