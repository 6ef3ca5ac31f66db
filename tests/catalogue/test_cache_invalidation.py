"""The API's cache follows a product photo's renditions: a new thumbnail shows at once,
not after API_CACHE_SECONDS (renditions are stored with update(), so no save() bumped it)."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from catalogue import services
from catalogue.models import ProductImage, catalogue_changed
from pti_bridge import hooks
from tests import factories
from tests.storage import corpus

# The API answers absolute image URLs, on the site's public origin (SITE_URL) while MEDIA_URL is a path.
MEDIA = settings.SITE_URL + "/media/"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_in_process(settings):
    # Renditions made in this process after commit (a REDIS_URL run would queue them for a worker).
    settings.CELERY_TASK_ALWAYS_EAGER = True


def photo() -> SimpleUploadedFile:
    return SimpleUploadedFile("IMG_1.jpg", corpus.jpeg(corpus.noisy_photo(800, 600), quality=90), "image/jpeg")


def card(api, product) -> dict:
    response = api.get("/api/v1/products/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return next(c for c in response.json()["results"] if c["id"] == product.pk)


def test_new_renditions_show_in_cached_answers_at_once(verified_exporter, staff, django_capture_on_commit_callbacks):
    api = APIClient()
    product = factories.ProductFactory(exporter=verified_exporter, published=True)
    assert card(api, product)["thumbnail"] is None
    detail = api.get(f"/api/v1/products/{product.pk}/").json()
    assert detail["images"] == []
    assert card(api, product)["thumbnail"] is None  # answered from the cache

    # The photo row is committed first; its renditions are made after commit and stored with update().
    # (Staff add it: a photo the exporter adds to a published listing waits for review.)
    with django_capture_on_commit_callbacks(execute=True):
        image = services.product_image_add(product=product, upload=photo(), actor=staff)

    image.refresh_from_db()
    thumb = image.renditions["thumb"]["webp"]
    assert card(api, product)["thumbnail"]["url"] == MEDIA + thumb["name"]
    detail = api.get(f"/api/v1/products/{product.pk}/").json()
    assert [i["url"] for i in detail["images"]] == [MEDIA + image.renditions["detail"]["webp"]["name"]]


def test_remade_renditions_show_at_once(verified_exporter, staff, django_capture_on_commit_callbacks):
    api = APIClient()
    product = factories.ProductFactory(exporter=verified_exporter, published=True)
    with django_capture_on_commit_callbacks(execute=True):
        image = services.product_image_add(product=product, upload=photo(), actor=staff)
    image.refresh_from_db()
    made = MEDIA + image.renditions["thumb"]["webp"]["name"]
    # Renditions lost behind the cache's back (a hand edit in the database): the cache keeps the old answer.
    ProductImage.objects.filter(pk=image.pk).update(renditions={})
    with django_capture_on_commit_callbacks(execute=True):
        catalogue_changed()
    assert card(api, product)["thumbnail"] is None
    ProductImage.objects.filter(pk=image.pk).update(renditions={"thumb": {}})
    assert card(api, product)["thumbnail"] is None  # cached

    image.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.product_image_remake_renditions(image=image) is not None

    assert card(api, product)["thumbnail"]["url"] == made  # same bytes, same name, shown again
    assert ProductImage.objects.get(pk=image.pk).renditions == image.renditions


def test_renditions_of_other_models_leave_the_catalogue_cache_alone(
    verified_exporter, django_capture_on_commit_callbacks
):
    api = APIClient()
    product = factories.ProductFactory(exporter=verified_exporter, published=True, name_en="Kava")
    first = card(api, product)
    type(product).objects.filter(pk=product.pk).update(name_en="Changed behind the cache")

    with django_capture_on_commit_callbacks(execute=True):
        hooks.fire("renditions_saved", model_label="buyers.Buyer", pk=1)
    assert card(api, product) == first  # still the cached answer

    # A product photo, a logo and a cover are all shown by the catalogue API.
    for label in ("catalogue.ProductImage", "exporters.Exporter", "catalogue.Collection"):
        type(product).objects.filter(pk=product.pk).update(name_en=f"Changed with {label}")
        with django_capture_on_commit_callbacks(execute=True):
            hooks.fire("renditions_saved", model_label=label, pk=1)
        assert card(api, product)["name"] == f"Changed with {label}"
