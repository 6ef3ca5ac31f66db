"""Media in S3-compatible object storage: a real server (moto) on loopback, real HTTP.

The server is started by tests/storage/conftest.py; the storages come from
pti_bridge/settings.py run with STORAGE_BACKEND=s3.
"""

import io
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from catalogue import services
from catalogue.forms import ProductImageForm
from catalogue.models import ProductImage
from exporters.models import ExporterDocument
from pti_bridge.images import StorageUnavailable
from pti_bridge.models import AuditEntry
from pti_bridge.storage import public_url
from tests import factories
from tests.conftest import sign_in_staff
from tests.storage import corpus
from tests.storage.conftest import free_port, s3_storages, use_storages

pytestmark = pytest.mark.django_db

STORAGE_DOWN = (
    "The file could not be stored because file storage is not reachable. "
    "Nothing was saved; please try again in a few minutes."
)


@pytest.fixture(autouse=True)
def _tasks_in_process(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def product(verified_exporter):
    return factories.ProductFactory(exporter=verified_exporter)


def phone_photo(name="IMG_0001.jpg", size=(2000, 1500)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, corpus.jpeg(corpus.noisy_photo(*size), quality=90), content_type="image/jpeg")


def test_upload_puts_public_renditions_and_a_private_original_in_the_bucket(
    s3_bucket, product, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        image = services.product_image_add(product=product, upload=phone_photo(), actor=alice)

    image.refresh_from_db()
    assert s3_bucket.keys("private/") == [f"private/{image.original.name}"]
    assert s3_bucket.keys("public/") == sorted(
        f"public/{entry['name']}" for formats in image.renditions.values() for entry in formats.values()
    )
    assert len(s3_bucket.keys("public/")) == 6
    for size, expected in {"thumb": (240, 180), "detail": (750, 563), "zoom": (1500, 1125)}.items():
        for fmt, content_type in (("webp", "image/webp"), ("jpeg", "image/jpeg")):
            rendition = image.rendition(size, fmt)
            assert rendition["url"].startswith(f"{s3_bucket.endpoint}/{s3_bucket.name}/public/renditions/products/")
            assert "X-Amz-Signature" not in rendition["url"]  # public: a plain, cacheable URL

            response = requests.get(rendition["url"], timeout=5)  # anonymous, like a phone

            assert response.status_code == 200
            assert response.content == s3_bucket.body("public/" + image.renditions[size][fmt]["name"])
            assert len(response.content) == image.renditions[size][fmt]["bytes"]
            assert response.headers["Content-Type"] == content_type
            assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
            assert (
                Image.open(io.BytesIO(response.content)).size == expected == (rendition["width"], rendition["height"])
            )
    # The original is private: no anonymous read.
    original_url = f"{s3_bucket.endpoint}/{s3_bucket.name}/private/{image.original.name}"
    assert requests.get(original_url, timeout=5).status_code == 403


def test_removing_a_photo_empties_the_bucket(s3_bucket, product, alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        image = services.product_image_add(product=product, upload=phone_photo(size=(600, 400)), actor=alice)
    assert len(s3_bucket.keys()) == 7

    with django_capture_on_commit_callbacks(execute=True):
        services.product_image_remove(image=image, actor=alice)

    assert s3_bucket.keys() == []


def document_for(exporter, *, name="certificate.pdf", body=b"%PDF-1.4 organic certificate") -> ExporterDocument:
    return factories.ExporterDocumentFactory(
        exporter=exporter, kind=ExporterDocument.Kind.CERTIFICATE, file=ContentFile(body, name=name)
    )


def test_private_document_is_a_short_lived_signed_link_for_its_company_and_staff(
    s3_endpoint, s3_bucket, settings, client, verified_exporter, alice, bob, staff
):
    use_storages(settings, s3_storages(endpoint=s3_endpoint, bucket=s3_bucket.name, signed_seconds=2))
    document = document_for(verified_exporter)
    url = reverse("exporter_document", args=[document.pk])
    plain_url = f"{s3_bucket.endpoint}/{s3_bucket.name}/private/{document.file.name}"

    client.force_login(alice)
    response = client.get(url)

    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    signed = response["Location"]
    query = parse_qs(urlsplit(signed).query)
    assert urlsplit(signed).path == f"/{s3_bucket.name}/private/{document.file.name}"
    assert query["X-Amz-Expires"] == ["2"]
    fetched = requests.get(signed, timeout=5)
    assert (fetched.status_code, fetched.content) == (200, b"%PDF-1.4 organic certificate")
    assert fetched.headers["Content-Type"] == "application/pdf"  # the stored type, never sniffed
    assert (
        fetched.headers["Content-Disposition"]
        == f'attachment; filename="{verified_exporter.pk}-certificate-{document.pk}.pdf"'
    )
    assert requests.get(plain_url, timeout=5).status_code == 403  # never readable unsigned

    sign_in_staff(client, staff)
    assert client.get(url).status_code == 302
    client.force_login(bob)  # another company: as if the document did not exist
    assert client.get(url).status_code == 404
    client.logout()
    settings.LOGIN_URL = "/signin/"
    assert client.get(url)["Location"] == f"/signin/?next={url}"

    time.sleep(3.1)  # X-Amz-Date has one-second resolution
    expired = requests.get(signed, timeout=5)
    assert expired.status_code == 403
    assert b"<Code>AccessDenied</Code>" in expired.content and b"Request has expired" in expired.content


def test_a_second_exporters_upload_with_the_same_file_name_leaves_the_first_untouched(
    s3_bucket, product, alice, bob, other_exporter, verified_exporter, django_capture_on_commit_callbacks
):
    first_document = document_for(verified_exporter, body=b"%PDF-1.4 first company")
    first_body = s3_bucket.body(f"private/{first_document.file.name}")
    with django_capture_on_commit_callbacks(execute=True):
        first_photo = services.product_image_add(product=product, upload=phone_photo("IMG_0001.jpg"), actor=alice)
    first_photo_body = s3_bucket.body(f"private/{first_photo.original.name}")
    other_product = factories.ProductFactory(exporter=other_exporter)

    second_document = document_for(other_exporter, body=b"%PDF-1.4 second company")
    with django_capture_on_commit_callbacks(execute=True):
        second_photo = services.product_image_add(
            product=other_product, upload=phone_photo("IMG_0001.jpg", size=(800, 600)), actor=bob
        )

    assert second_document.file.name != first_document.file.name
    assert second_photo.original.name != first_photo.original.name
    assert "certificate" not in second_document.file.name and "IMG_0001" not in second_photo.original.name
    assert s3_bucket.body(f"private/{first_document.file.name}") == first_body == b"%PDF-1.4 first company"
    assert s3_bucket.body(f"private/{second_document.file.name}") == b"%PDF-1.4 second company"
    assert s3_bucket.body(f"private/{first_photo.original.name}") == first_photo_body


@pytest.fixture
def storage_down(settings):
    """Both storages pointed at a loopback port where nothing listens."""
    dead = f"http://127.0.0.1:{free_port()}"
    use_storages(settings, s3_storages(endpoint=dead, bucket="pti-nowhere"))
    return dead


def test_storage_down_gives_a_clear_error_and_no_row(storage_down, product, alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(StorageUnavailable) as refused:
        services.product_image_add(product=product, upload=phone_photo(size=(600, 400)), actor=alice)

    assert str(refused.value.message) == STORAGE_DOWN
    assert (refused.value.code, refused.value.status_code) == ("storage_unavailable", 503)
    assert ProductImage.objects.count() == 0
    assert not AuditEntry.objects.filter(action="add_photo").exists()


def test_storage_down_is_a_form_error(storage_down, product):
    form = ProductImageForm(
        data={"alt_text": "", "position": "1"},
        files={"original": phone_photo(size=(600, 400))},
        instance=ProductImage(product=product),
    )

    assert not form.is_valid()
    assert form.errors["original"] == [STORAGE_DOWN]
    assert ProductImage.objects.count() == 0


def test_public_store_down_after_upload_leaves_a_photo_without_renditions_until_remade(
    s3_endpoint, s3_bucket, settings, product, alice, django_capture_on_commit_callbacks
):
    live = s3_storages(endpoint=s3_endpoint, bucket=s3_bucket.name)
    dead = s3_storages(endpoint=f"http://127.0.0.1:{free_port()}", bucket=s3_bucket.name)
    use_storages(settings, {"private": live["private"], "default": dead["default"]})

    with django_capture_on_commit_callbacks(execute=True):
        image = services.product_image_add(product=product, upload=phone_photo(size=(600, 400)), actor=alice)

    image.refresh_from_db()
    assert image.renditions == {} and image.rendition("thumb") is None
    assert s3_bucket.keys() == [f"private/{image.original.name}"]  # the row points at a real file

    use_storages(settings, live)
    call_command("remake_renditions", "--missing", stdout=io.StringIO())

    image.refresh_from_db()
    assert len(s3_bucket.keys("public/")) == 6
    assert requests.get(image.rendition("thumb", "webp")["url"], timeout=5).status_code == 200


PUBLIC_NAMES = [
    "renditions/products/2026/11/0f3c9a-thumb.webp",
    "logos/2026/11/ab12cd.png",
    "naïve 香草.jpg",
    "a//b.png",
]


@pytest.mark.parametrize("domain", [None, "img.pti-bridge.example.cn"])
def test_public_urls_are_the_storages_own(s3_bucket, settings, domain):
    from django.core.files.storage import default_storage

    if domain:
        more = {"S3_PUBLIC_DOMAIN": domain}
        use_storages(settings, s3_storages(endpoint=s3_bucket.endpoint, bucket=s3_bucket.name, **more))

    for name in PUBLIC_NAMES:
        assert public_url(name) == default_storage.url(name)
    expected = f"https://{domain}/public/" if domain else f"{s3_bucket.endpoint}/{s3_bucket.name}/public/"
    assert public_url(PUBLIC_NAMES[0]) == expected + PUBLIC_NAMES[0]


def test_public_urls_of_a_signing_storage_stay_signed(s3_bucket, settings):
    signed = s3_storages(endpoint=s3_bucket.endpoint, bucket=s3_bucket.name)
    settings.STORAGES = {**settings.STORAGES, "default": signed["private"]}

    url = public_url(PUBLIC_NAMES[0])

    assert "X-Amz-Signature" in url  # no prefix + name shortcut for URLs that are not that
    assert urlsplit(url).path.endswith(PUBLIC_NAMES[0])
