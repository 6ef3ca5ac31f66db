"""Every image the API names is a rendition at an absolute URL that serves it: product photos,
exporters' logos, collections' covers (renditions too, with their real size) and avatars."""

import io
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import re_path
from django.views.static import serve
from PIL import Image
from rest_framework.test import APIClient

import pti_bridge.urls
from buyers.models import Favourite
from catalogue import services
from catalogue.models import Collection
from demo.loader import DemoLoader
from exporters.models import Exporter
from exporters.services import exporter_update_profile
from inquiries.services import inquiry_create
from pti_bridge import images
from pti_bridge.tasks import schedule_renditions
from tests import factories
from tests.buyers.fixtures import policy, sign_in  # noqa: F401
from tests.conftest import sign_in_staff
from tests.storage import corpus

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

SITE = "https://bridge.example.cn"


def _media(request, path):
    # What `make run` (DEBUG) and nginx in production do: serve MEDIA_ROOT under /media/.
    return serve(request, path, document_root=django_settings.MEDIA_ROOT)


urlpatterns = [re_path(r"^media/(?P<path>.+)$", _media), *pti_bridge.urls.urlpatterns]


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    # Renditions are made in this process after commit, as on a machine without a broker.
    settings.CELERY_TASK_ALWAYS_EAGER = True


def photo(size=(1600, 1200)) -> SimpleUploadedFile:
    return SimpleUploadedFile("IMG_0001.jpg", corpus.jpeg(corpus.noisy_photo(*size), quality=90))


def logo_upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("Our Logo.png", corpus.rgba_logo())  # 800 x 600, kept at 512 x 384


def public_files(settings) -> set[str]:
    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def image_fields(data, path="") -> dict[str, dict]:
    """Every `{"url", "width", "height"}` object in an answer, by where it is."""
    found = {}
    if isinstance(data, dict):
        if {"url", "width", "height"} <= set(data):
            found[path] = data
        for key, value in data.items():
            found.update(image_fields(value, f"{path}.{key}"))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found.update(image_fields(value, f"{path}[{index}]"))
    return found


def assert_served(client, image: dict) -> None:
    """The URL is absolute on the site, and GETting it gives the image of that size."""
    url = urlsplit(image["url"])
    assert (url.scheme, url.netloc) == ("https", "bridge.example.cn"), image["url"]
    response = client.get(url.path)
    assert response.status_code == 200, image["url"]
    assert response["Content-Type"] in ("image/webp", "image/jpeg"), image["url"]
    served = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert served.size == (image["width"], image["height"]), image["url"]


@pytest.fixture
def catalogue_with_images(verified_exporter, alice, staff, django_capture_on_commit_callbacks):
    product = factories.ProductFactory(exporter=verified_exporter, published=True, is_featured=True)
    collection = factories.CollectionFactory(slug="fiji-show")
    with django_capture_on_commit_callbacks(execute=True):
        services.product_image_add(product=product, upload=photo(), actor=staff)
        exporter_update_profile(exporter=verified_exporter, data={}, actor=alice, logo=images.clean_logo(logo_upload()))
        collection.cover = images.clean_cover(
            SimpleUploadedFile("cover.jpg", corpus.jpeg(corpus.noisy_photo(1200, 800)))
        )
        collection.save()
        schedule_renditions(collection)
    services.collection_add_product(collection=collection, product=product, actor=staff)
    return product, collection


def test_every_image_url_of_the_catalogue_is_absolute_and_serves_its_rendition(
    catalogue_with_images, verified_exporter
):
    product, collection = catalogue_with_images
    client = APIClient()
    answers = {
        path: client.get(path).json()
        for path in (
            "/api/v1/home/",
            "/api/v1/products/",
            f"/api/v1/products/{product.pk}/",
            f"/api/v1/exporters/{verified_exporter.pk}/",
            "/api/v1/collections/",
            f"/api/v1/collections/{collection.slug}/",
        )
    }

    found = {f"{path}{where}": image for path, data in answers.items() for where, image in image_fields(data).items()}
    assert sorted(found) == sorted(
        [
            "/api/v1/home/.featured[0].thumbnail",
            "/api/v1/home/.collections[0].cover",
            "/api/v1/products/.results[0].thumbnail",
            f"/api/v1/products/{product.pk}/.thumbnail",
            f"/api/v1/products/{product.pk}/.images[0]",
            f"/api/v1/products/{product.pk}/.images[0].zoom",
            f"/api/v1/products/{product.pk}/.exporter.logo",
            f"/api/v1/exporters/{verified_exporter.pk}/.logo",
            "/api/v1/collections/.results[0].cover",
            f"/api/v1/collections/{collection.slug}/.cover",
            f"/api/v1/collections/{collection.slug}/.products[0].thumbnail",
        ]
    )
    for image in found.values():
        assert_served(client, image)
    # Each at its rendition's size, never the stored logo (512 px) or cover (1200 px).
    sizes = {where.rsplit(".", 1)[-1]: (image["width"], image["height"]) for where, image in found.items()}
    assert sizes == {
        "thumbnail": (240, 180),
        "images[0]": (750, 563),
        "zoom": (1500, 1125),
        "logo": (240, 180),
        "cover": (750, 500),
    }
    exporter = Exporter.objects.get(pk=verified_exporter.pk)
    assert answers[f"/api/v1/exporters/{exporter.pk}/"]["logo"]["url"] == (
        f"{SITE}/media/{exporter.logo_renditions['thumb']['webp']['name']}"
    )
    assert exporter.logo.name not in str(answers)
    assert Collection.objects.get(pk=collection.pk).cover.name not in str(answers)


def test_the_buyers_avatar_favourites_and_inquiries_have_absolute_urls_that_serve(
    sign_in,  # noqa: F811
    catalogue_with_images,
    django_capture_on_commit_callbacks,
):
    product, _collection = catalogue_with_images
    client, buyer, _token = sign_in("wang")
    Favourite.objects.create(buyer=buyer, product=product)
    jpeg = corpus.jpeg(corpus.noisy_photo(300, 300))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.patch("/api/v1/me/", {"avatar": SimpleUploadedFile("me.jpg", jpeg)}, format="multipart")
    assert response.status_code == 200, response.content

    inquiry, _created = inquiry_create(buyer=buyer, product=product, quantity=Decimal(10), unit="kg", message="请报价")

    avatar = client.get("/api/v1/me/").json()["avatar"]
    favourite = client.get("/api/v1/favourites/").json()["results"][0]["thumbnail"]
    inquiries = client.get("/api/v1/inquiries/").json()["results"][0]["product"]["thumbnail"]
    asked = client.get(f"/api/v1/inquiries/{inquiry.pk}/").json()["product"]["thumbnail"]
    exported = client.get("/api/v1/me/data/").json()["profile"]["avatar"]

    assert (avatar["width"], avatar["height"]) == (256, 256)
    for image in (avatar, favourite, inquiries, asked):
        assert_served(client, image)
    assert exported == avatar["url"]


def test_an_absolute_media_url_is_kept_as_the_storage_gives_it(settings, catalogue_with_images):
    product, _collection = catalogue_with_images
    settings.MEDIA_URL = "https://cdn.example.cn/pti/"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {**settings.STORAGES["default"]["OPTIONS"]}},
    }
    settings.STORAGES["default"]["OPTIONS"]["base_url"] = "https://cdn.example.cn/pti/"

    detail = APIClient().get(f"/api/v1/products/{product.pk}/").json()

    assert detail["thumbnail"]["url"].startswith("https://cdn.example.cn/pti/renditions/products/")
    assert detail["exporter"]["logo"]["url"].startswith("https://cdn.example.cn/pti/renditions/logos/")


# Logos and covers: renditions made through every door that sets the file.


def test_a_new_logo_gets_renditions_and_the_old_ones_go(
    verified_exporter, alice, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        exporter_update_profile(exporter=verified_exporter, data={}, actor=alice, logo=images.clean_logo(logo_upload()))
    first = Exporter.objects.get(pk=verified_exporter.pk)
    assert {size: set(formats) for size, formats in first.logo_renditions.items()} == {"thumb": {"webp", "jpeg"}}
    assert (first.logo_renditions["thumb"]["jpeg"]["width"], first.logo_renditions["thumb"]["jpeg"]["height"]) == (
        240,
        180,
    )
    square = SimpleUploadedFile("square.jpg", corpus.jpeg(corpus.noisy_photo(400, 400)))

    with django_capture_on_commit_callbacks(execute=True):
        exporter_update_profile(exporter=first, data={}, actor=alice, logo=images.clean_logo(square))

    second = Exporter.objects.get(pk=verified_exporter.pk)
    assert second.logo_renditions["thumb"]["webp"]["width"] == second.logo_renditions["thumb"]["webp"]["height"] == 240
    names = {entry["name"] for formats in second.logo_renditions.values() for entry in formats.values()}
    renditions_now = {name for name in public_files(settings) if name.startswith("renditions/")}
    assert renditions_now == names  # the first logo's renditions were deleted
    assert APIClient().get(f"/api/v1/exporters/{second.pk}/").json()["logo"] == {
        "url": f"{SITE}/media/{second.logo_renditions['thumb']['webp']['name']}",
        "width": 240,
        "height": 240,
    }


@pytest.fixture
def staff_client(client, staff):
    sign_in_staff(client, staff)
    return client


def test_a_cover_set_and_cleared_in_the_admin_gets_and_loses_its_renditions(
    staff_client, settings, django_capture_on_commit_callbacks
):
    from tests.catalogue.test_admin import form_data

    collection = factories.CollectionFactory(slug="ciie")
    url = f"/admin/catalogue/collection/{collection.pk}/change/"
    data = form_data(staff_client.get(url))
    cover = SimpleUploadedFile("cover.jpg", corpus.jpeg(corpus.noisy_photo(1600, 900)), content_type="image/jpeg")

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, {**data, "cover": cover})

    assert response.status_code == 302
    collection.refresh_from_db()
    detail = collection.cover_renditions["detail"]
    assert (detail["webp"]["width"], detail["webp"]["height"]) == (750, 422)
    assert APIClient().get("/api/v1/collections/ciie/").json()["cover"]["width"] == 750

    data = form_data(staff_client.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, {**data, "cover-clear": "on"})

    assert response.status_code == 302
    collection.refresh_from_db()
    assert (collection.cover.name, collection.cover_renditions) == ("", {})
    assert not [name for name in public_files(settings) if name.startswith("renditions/")]
    assert APIClient().get("/api/v1/collections/ciie/").json()["cover"] is None


def test_a_logo_uploaded_in_the_admin_gets_renditions(
    staff_client, verified_exporter, django_capture_on_commit_callbacks
):
    from tests.catalogue.test_admin import form_data

    url = f"/admin/exporters/exporter/{verified_exporter.pk}/change/"
    data = form_data(staff_client.get(url))

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, {**data, "logo": logo_upload()})

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    verified_exporter.refresh_from_db()
    assert verified_exporter.logo_renditions["thumb"]["jpeg"]["width"] == 240


def test_logos_and_covers_stored_before_renditions_get_them(
    verified_exporter, settings, django_capture_on_commit_callbacks
):
    # Rows as an older release left them: a logo and a cover, no renditions.
    verified_exporter.logo = images.clean_logo(logo_upload())
    verified_exporter.save()
    collection = factories.CollectionFactory()
    collection.cover = images.clean_cover(ContentFile(corpus.jpeg(corpus.noisy_photo(900, 600)), name="c.jpg"))
    collection.save()
    stdout = io.StringIO()

    call_command("remake_renditions", "--missing", stdout=stdout)

    assert stdout.getvalue() == (
        "Renditions made for 0 photo(s); 0 skipped; 0 failed.\n"
        "Renditions made for 2 logo(s) and cover(s); 0 skipped; 0 failed.\n"
    )
    assert Exporter.objects.get(pk=verified_exporter.pk).logo_renditions["thumb"]["webp"]["width"] == 240
    assert Collection.objects.get(pk=collection.pk).cover_renditions["detail"]["webp"]["width"] == 750

    call_command("remake_renditions", "--missing", stdout=stdout)  # nothing left to do
    assert stdout.getvalue().endswith("Renditions made for 0 logo(s) and cover(s); 2 skipped; 0 failed.\n")


def test_the_demo_loader_gives_renditions_to_logos_and_covers_it_loaded_before(
    verified_exporter, django_capture_on_commit_callbacks
):
    collection = factories.CollectionFactory()
    collection.cover = images.clean_cover(ContentFile(corpus.jpeg(corpus.noisy_photo(900, 600)), name="c.jpg"))
    collection.save()
    verified_exporter.logo = images.clean_logo(logo_upload())
    verified_exporter.save()

    with django_capture_on_commit_callbacks(execute=True):
        DemoLoader()._logo_and_cover_renditions()

    assert Exporter.objects.get(pk=verified_exporter.pk).logo_renditions["thumb"]["jpeg"]["height"] == 180
    assert Collection.objects.get(pk=collection.pk).cover_renditions["detail"]["jpeg"]["height"] == 500
