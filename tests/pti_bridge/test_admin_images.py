"""Images staff upload in the admin (exporter logos, collection covers) go through the pipeline."""

import io

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.test import RequestFactory
from PIL import Image

from catalogue.models import Collection
from exporters.models import Exporter
from tests.factories import CollectionFactory
from tests.storage import corpus

pytestmark = pytest.mark.django_db


def _admin_form(model, instance, staff, files):
    request = RequestFactory().post("/")
    request.user = staff
    model_admin = admin.site._registry[model]
    form_class = model_admin.get_form(request, instance, change=True)
    data = {key: value for key, value in model_to_dict(instance).items() if value is not None}
    return form_class(data=data, files=files, instance=instance)


@pytest.mark.parametrize(
    ("model", "field", "make"),
    [(Exporter, "logo", lambda exporter: exporter), (Collection, "cover", lambda _exporter: CollectionFactory())],
)
def test_admin_image_fields_refuse_what_is_not_an_image(model, field, make, staff, verified_exporter):
    instance = make(verified_exporter)

    form = _admin_form(model, instance, staff, {field: SimpleUploadedFile("logo.svg", corpus.svg(), "image/svg+xml")})

    assert not form.is_valid()
    assert "not a JPEG, PNG or WebP image" in str(form.errors[field])
    instance.refresh_from_db()
    assert not getattr(instance, field)


@pytest.mark.parametrize(("model", "field"), [(Exporter, "logo"), (Collection, "cover")])
def test_admin_image_fields_store_a_cleaned_copy_under_a_server_name(model, field, staff, verified_exporter):
    instance = verified_exporter if model is Exporter else CollectionFactory()
    upload = SimpleUploadedFile("IMG_0001.jpg", corpus.jpeg_with_gps_and_orientation(), "image/jpeg")

    form = _admin_form(model, instance, staff, {field: upload})
    assert form.is_valid(), form.errors
    form.save()

    instance.refresh_from_db()
    stored = getattr(instance, field)
    assert "IMG_0001" not in stored.name
    with stored.open("rb") as handle:
        data = handle.read()
    assert data != corpus.jpeg_with_gps_and_orientation()
    image = Image.open(io.BytesIO(data))
    assert not image.getexif()  # no GPS, no orientation: turned upright and stripped
