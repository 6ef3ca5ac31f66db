"""Photos an exporter adds to a reviewed listing wait for staff, like an edit of its text:
buyers see the reviewed listing until staff apply the changes; discarding them deletes the
photos and their files."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from catalogue.models import ProductImage
from catalogue.services import (
    product_apply_pending_changes,
    product_discard_pending_changes,
    product_image_add,
    product_image_remove,
    product_update,
)
from pti_bridge.audit import audit_trail
from pti_bridge.storage import absolute_url, private_storage
from tests.conftest import sign_in_staff
from tests.factories import ProductFactory
from tests.storage import corpus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_in_process(settings):
    # Renditions made in this process after commit (a REDIS_URL run would queue them for a worker).
    settings.CELERY_TASK_ALWAYS_EAGER = True


def photo(name="IMG_1.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, corpus.jpeg(corpus.noisy_photo(800, 600), quality=90), "image/jpeg")


def add(product, actor, captured) -> ProductImage:
    with captured(execute=True):  # renditions are made after commit
        image = product_image_add(product=product, upload=photo(), actor=actor)
    image.refresh_from_db()
    return image


def buyers_see(product) -> tuple[dict | None, list[str]]:
    """(the card's thumbnail, the detail's image URLs) as the API answers them."""
    api = APIClient()
    cards = api.get("/api/v1/products/", HTTP_ACCEPT_LANGUAGE="en").json()["results"]
    detail = api.get(f"/api/v1/products/{product.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    return next(c for c in cards if c["id"] == product.pk)["thumbnail"], [i["url"] for i in detail["images"]]


def detail_url(image) -> str:
    return absolute_url(default_storage.url(image.renditions["detail"]["webp"]["name"]))


@pytest.fixture
def published(verified_exporter):
    return ProductFactory(exporter=verified_exporter, published=True)


def test_a_photo_added_by_the_exporter_to_a_published_listing_waits_for_staff(
    settings, published, alice, staff, django_capture_on_commit_callbacks
):
    settings.API_CACHE_SECONDS = 0
    image = add(published, alice, django_capture_on_commit_callbacks)

    published.refresh_from_db()
    assert image.awaiting_review and image.renditions  # stored and prepared, but not shown
    assert published.pending_changes == {"photos": [image.pk]}
    assert buyers_see(published) == (None, [])
    assert audit_trail(published).first().action == "propose_photo"

    with django_capture_on_commit_callbacks(execute=True):
        product_apply_pending_changes(product=published, actor=staff)

    image.refresh_from_db()
    published.refresh_from_db()
    assert (image.awaiting_review, published.pending_changes) == (False, {})
    thumbnail, images = buyers_see(published)
    assert thumbnail["url"] == absolute_url(default_storage.url(image.renditions["thumb"]["webp"]["name"]))
    assert images == [detail_url(image)]


def test_discarding_the_changes_deletes_the_waiting_photos_and_keeps_the_reviewed_ones(
    settings, published, alice, staff, django_capture_on_commit_callbacks
):
    settings.API_CACHE_SECONDS = 0
    reviewed = add(published, staff, django_capture_on_commit_callbacks)  # staff vouch: shown at once
    waiting = add(published, alice, django_capture_on_commit_callbacks)
    waiting_files = [waiting.original.name]
    assert not reviewed.awaiting_review and private_storage.exists(waiting_files[0])

    with django_capture_on_commit_callbacks(execute=True):
        product_discard_pending_changes(product=published, actor=staff, reason="A competitor's logo is on it.")

    published.refresh_from_db()
    assert list(published.images.all()) == [reviewed]
    assert published.pending_changes == {}
    assert not private_storage.exists(waiting_files[0])
    assert not default_storage.exists(waiting.renditions["thumb"]["webp"]["name"])
    assert buyers_see(published)[1] == [detail_url(reviewed)]


def test_a_text_edit_keeps_the_waiting_photos_and_removing_the_photo_clears_it(
    published, alice, django_capture_on_commit_callbacks
):
    image = add(published, alice, django_capture_on_commit_callbacks)

    product_update(product=published, data={"packaging": "1 kg vacuum bags"}, actor=alice)
    published.refresh_from_db()
    assert published.pending_changes == {"packaging": "1 kg vacuum bags", "photos": [image.pk]}

    product_update(product=published, data={"packaging": ""}, actor=alice)  # back to the reviewed text
    published.refresh_from_db()
    assert published.pending_changes == {"photos": [image.pk]}

    product_image_remove(image=image, actor=alice)
    published.refresh_from_db()
    assert published.pending_changes == {}


def test_photos_of_a_draft_and_photos_staff_add_are_not_held(
    verified_exporter, published, alice, staff, django_capture_on_commit_callbacks
):
    draft = ProductFactory(exporter=verified_exporter)

    assert not add(draft, alice, django_capture_on_commit_callbacks).awaiting_review  # reviewed when submitted
    assert not add(published, staff, django_capture_on_commit_callbacks).awaiting_review
    published.refresh_from_db()
    draft.refresh_from_db()
    assert published.pending_changes == draft.pending_changes == {}


def test_the_portal_and_the_admin_show_what_waits(client, published, alice, staff, django_capture_on_commit_callbacks):
    from django.test import Client

    staff_client = Client()
    sign_in_staff(staff_client, staff)
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("portal:product_photos", args=[published.pk]),
            {"original": photo(), "alt_text": "Pods on the drying rack"},
            follow=True,
        )
    page = response.content.decode()
    assert "The photo is added and waits for PTI&#x27;s review." in page
    assert "Waiting for review" in page
    assert "Changes waiting for review" in client.get(reverse("portal:product_list")).content.decode()

    image = ProductImage.objects.get(product=published)
    admin_page = staff_client.get(reverse("admin:catalogue_product_change", args=[published.pk])).content.decode()
    assert "new photos" in admin_page
    assert image.renditions["thumb"]["webp"]["name"] in admin_page  # its thumbnail, for the reviewer
