"""Product photos through the services, the form and the management command (local storage)."""

import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from catalogue import services
from catalogue.forms import ProductImageForm, ProductImageInlineFormSet
from catalogue.models import Product, ProductImage
from pti_bridge.models import AuditEntry
from pti_bridge.storage import private_storage
from tests import factories
from tests.storage import corpus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_in_process(settings):
    # The REDIS_URL run would queue renditions for a worker; these tests make them in-process
    # after commit, as a machine without a broker does. test_queue_* covers the broker.
    settings.CELERY_TASK_ALWAYS_EAGER = True


def files_under(root) -> list[str]:
    root = Path(root)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def public_files(settings):
    return files_under(settings.STORAGES["default"]["OPTIONS"]["location"])


def private_files(settings):
    return files_under(settings.STORAGES["private"]["OPTIONS"]["location"])


def photo(name="IMG_0001.jpg", size=(1600, 1200)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, corpus.jpeg(corpus.noisy_photo(*size), quality=90), content_type="image/jpeg")


@pytest.fixture
def product(verified_exporter):
    return factories.ProductFactory(exporter=verified_exporter)


def test_exporter_adds_a_photo_and_renditions_are_made_after_commit(
    product, alice, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        image = services.product_image_add(product=product, upload=photo(), actor=alice, alt_text=" Vanilla pods ")

    image.refresh_from_db()
    assert (image.product, image.alt_text, image.position, image.width, image.height) == (
        product,
        "Vanilla pods",
        1,
        1600,
        1200,
    )
    # A server-made name in private storage; the uploaded name is gone.
    assert image.original.name.startswith("originals/products/") and "IMG_0001" not in image.original.name
    assert private_files(settings) == [image.original.name]
    assert set(image.renditions) == {"thumb", "detail", "zoom"}
    assert image.rendition("thumb", "webp") == {
        "url": "/media/" + image.renditions["thumb"]["webp"]["name"],
        "width": 240,
        "height": 180,
    }
    assert image.rendition("zoom", "jpeg")["width"] == 1500
    assert sorted(public_files(settings)) == sorted(
        entry["name"] for formats in image.renditions.values() for entry in formats.values()
    )
    entry = AuditEntry.objects.get(action="add_photo")
    assert (entry.actor, entry.object_id, entry.note) == (alice, str(product.pk), f"photo #{image.pk}")


def test_renditions_wait_for_the_commit(product, alice, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        image = services.product_image_add(product=product, upload=photo(), actor=alice)

    image.refresh_from_db()
    assert image.renditions == {}
    assert public_files(settings) == []


def test_positions_follow_on(product, alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.product_image_add(product=product, upload=photo(size=(300, 200)), actor=alice)
        second = services.product_image_add(product=product, upload=photo(size=(300, 200)), actor=alice)

    assert (first.position, second.position) == (1, 2)
    assert first.original.name != second.original.name


@pytest.mark.parametrize("case", ["svg", "png_50000x50000", "truncated_jpeg", "gif_10000_frames", "huge_file_16mb"])
def test_refused_upload_writes_nothing(product, alice, settings, case, django_capture_on_commit_callbacks):
    name, build, code = corpus.HOSTILE[case]

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as refused:
        services.product_image_add(product=product, upload=SimpleUploadedFile(name, build()), actor=alice)

    assert refused.value.error_dict["original"][0].code == code
    assert ProductImage.objects.count() == 0
    assert AuditEntry.objects.count() == 0
    assert private_files(settings) == [] and public_files(settings) == []


def test_another_company_cannot_add_or_remove_photos(product, alice, bob, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        image = services.product_image_add(product=product, upload=photo(size=(300, 200)), actor=alice)
    before_private, before_public = private_files(settings), public_files(settings)

    with pytest.raises(PermissionDenied):
        services.product_image_add(product=product, upload=photo(), actor=bob)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        services.product_image_remove(image=image, actor=bob)
    with pytest.raises(PermissionDenied):
        services.product_image_add(product=product, upload=photo(), actor=None)

    assert list(ProductImage.objects.values_list("pk", flat=True)) == [image.pk]
    assert (private_files(settings), public_files(settings)) == (before_private, before_public)


def test_removing_a_photo_deletes_its_files_after_commit(product, alice, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        image = services.product_image_add(product=product, upload=photo(size=(300, 200)), actor=alice)
    assert len(public_files(settings)) == 6

    with django_capture_on_commit_callbacks(execute=False) as pending:
        services.product_image_remove(image=image, actor=alice)
    assert not ProductImage.objects.exists()
    assert len(public_files(settings)) == 6 and len(private_files(settings)) == 1  # not before the commit
    for callback in pending:
        callback()

    assert public_files(settings) == [] and private_files(settings) == []
    assert AuditEntry.objects.filter(action="remove_photo", actor=alice).count() == 1


def test_staff_may_add_photos_to_any_product(product, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        image = services.product_image_add(product=product, upload=photo(size=(300, 200)), actor=staff)

    assert image.product_id == product.pk


# The form (admin inline and portal)


def form_data(**extra):
    return {"alt_text": "Pods", "position": "1", **extra}


def test_form_refuses_a_bad_file_with_a_clear_error_and_keeps_nothing(product, settings):
    instance = ProductImage(product=product)
    form = ProductImageForm(
        data=form_data(),
        files={"original": SimpleUploadedFile("x.jpg", corpus.renamed_executable())},
        instance=instance,
    )

    assert not form.is_valid()
    assert form.errors["original"] == [
        "This file is not a JPEG, PNG or WebP image. Upload a photo in one of these formats."
    ]
    assert private_files(settings) == [] and ProductImage.objects.count() == 0


def test_form_stores_the_cleaned_photo_and_makes_renditions(product, settings, django_capture_on_commit_callbacks):
    form = ProductImageForm(
        data=form_data(),
        files={"original": SimpleUploadedFile("IMG_7.JPG", corpus.jpeg_with_gps_and_orientation())},
        instance=ProductImage(product=product),
    )
    assert form.is_valid(), form.errors

    with django_capture_on_commit_callbacks(execute=True):
        image = form.save()

    image.refresh_from_db()
    assert (image.width, image.height) == (80, 120)
    with private_storage.open(image.original.name) as stored:
        data = stored.read()
    assert b"Exif" not in data and b"PhoneMaker" not in data
    assert image.rendition("thumb", "jpeg") is not None and "IMG_7" not in image.original.name


def test_form_replacing_a_photo_deletes_the_old_files(product, alice, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        image = services.product_image_add(product=product, upload=photo(size=(300, 200)), actor=alice)
    old_original, old_renditions = image.original.name, set(public_files(settings))

    form = ProductImageForm(data=form_data(), files={"original": photo("new.jpg", size=(400, 300))}, instance=image)
    assert form.is_valid(), form.errors
    with django_capture_on_commit_callbacks(execute=True):
        form.save()

    image.refresh_from_db()
    assert image.original.name != old_original
    assert private_files(settings) == [image.original.name]
    assert old_renditions.isdisjoint(public_files(settings)) and len(public_files(settings)) == 6
    assert image.rendition("zoom", "webp")["width"] == 400


def test_form_can_edit_alt_text_without_a_new_file(product, alice, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        image = services.product_image_add(product=product, upload=photo(size=(300, 200)), actor=alice)
    files = (private_files(settings), public_files(settings))

    form = ProductImageForm(data=form_data(alt_text="Cured pods"), instance=image)
    assert form.is_valid(), form.errors
    with django_capture_on_commit_callbacks(execute=True):
        form.save()

    image.refresh_from_db()
    assert image.alt_text == "Cured pods" and (private_files(settings), public_files(settings)) == files


def test_inline_formset_deletion_deletes_the_files(product, alice, settings, django_capture_on_commit_callbacks):
    from django.forms import inlineformset_factory

    with django_capture_on_commit_callbacks(execute=True):
        image = services.product_image_add(product=product, upload=photo(size=(300, 200)), actor=alice)
    FormSet = inlineformset_factory(
        Product, ProductImage, form=ProductImageForm, formset=ProductImageInlineFormSet, extra=0, can_delete=True
    )
    data = {
        "images-TOTAL_FORMS": "1",
        "images-INITIAL_FORMS": "1",
        "images-0-id": str(image.pk),
        "images-0-product": str(product.pk),
        "images-0-alt_text": "x",
        "images-0-position": "1",
        "images-0-DELETE": "on",
    }
    formset = FormSet(data=data, instance=product)
    assert formset.is_valid(), formset.errors

    with django_capture_on_commit_callbacks(execute=True):
        formset.save()

    assert not ProductImage.objects.exists()
    assert private_files(settings) == [] and public_files(settings) == []


# The management command


def test_remake_renditions_replaces_every_rendition(product, alice, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        image = services.product_image_add(product=product, upload=photo(size=(300, 200)), actor=alice)
    with django_capture_on_commit_callbacks(execute=False):  # its task never ran (broker down)
        bare = services.product_image_add(product=product, upload=photo(size=(500, 400)), actor=alice)
    old = set(public_files(settings))
    stdout = io.StringIO()

    call_command("remake_renditions", stdout=stdout)

    image.refresh_from_db()
    bare.refresh_from_db()
    assert stdout.getvalue() == (
        "Renditions made for 2 photo(s); 0 skipped; 0 failed.\n"
        "Renditions made for 0 logo(s) and cover(s); 0 skipped; 0 failed.\n"
    )
    assert bare.rendition("detail", "webp") == {
        "url": "/media/" + bare.renditions["detail"]["webp"]["name"],
        "width": 500,
        "height": 400,
    }
    # Same bytes give the same names: image's renditions were rewritten in place, none left over.
    current = {e["name"] for i in (image, bare) for f in i.renditions.values() for e in f.values()}
    assert set(public_files(settings)) == current and len(current) == 12
    assert old < current  # the first photo kept its names: same bytes, same URLs


def test_remake_renditions_missing_only_and_failures(product, alice, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        complete = services.product_image_add(product=product, upload=photo(size=(300, 200)), actor=alice)
    with django_capture_on_commit_callbacks(execute=False):
        lost = services.product_image_add(product=product, upload=photo(size=(300, 200)), actor=alice)
    private_storage.delete(lost.original.name)
    complete.refresh_from_db()
    stdout, stderr = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError, match=r"^1 image\(s\) could not be processed; see above\.$"):
        call_command("remake_renditions", "--missing", stdout=stdout, stderr=stderr)

    assert stdout.getvalue() == (
        "Renditions made for 0 photo(s); 1 skipped; 1 failed.\n"
        "Renditions made for 0 logo(s) and cover(s); 0 skipped; 0 failed.\n"
    )
    assert stderr.getvalue() == (
        f"photo {lost.pk} ({lost.original.name}): The original {lost.original.name} is missing from storage.\n"
    )
    renditions_before = complete.renditions
    complete.refresh_from_db()
    assert complete.renditions == renditions_before and len(public_files(settings)) == 6


def test_queue_receives_the_rendition_task_when_a_broker_is_configured(
    product, alice, settings, redis_url, django_capture_on_commit_callbacks
):
    import base64
    import json

    import redis

    from pti_bridge.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    client = redis.Redis.from_url(app.conf.broker_url)
    client.delete("celery")

    with django_capture_on_commit_callbacks(execute=True):
        image = services.product_image_add(product=product, upload=photo(size=(300, 200)), actor=alice)

    message = json.loads(client.lpop("celery"))
    assert message["headers"]["task"] == "pti_bridge.tasks.make_renditions"
    args, kwargs, _embed = json.loads(base64.b64decode(message["body"]))
    assert (args, kwargs) == (["catalogue.ProductImage", image.pk], {})
    image.refresh_from_db()
    assert image.renditions == {}  # a worker makes them, not the request
    assert client.llen("celery") == 0
