"""The portal's product pages: writing, previewing, photos, review, and who may touch what."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalogue.models import Product, ProductImage
from pti_bridge.audit import audit_trail
from tests.factories import (
    CategoryFactory,
    CertificationFactory,
    ExporterMemberFactory,
    ProductFactory,
    ProductImageFactory,
    image_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def category():
    return CategoryFactory(slug="spices", name_en="Spices", name_zh_hans="香料")


def product_data(category, **overrides):
    data = {
        "name_en": "Bourbon vanilla beans",
        "summary_en": "Grade A gourmet vanilla from Vanua Levu.",
        "description_en": "Cured for six months.",
        "category": str(category.pk),
        "origin_country": "FJ",
        "hs_code": "0905.10",
        "moq_quantity": "25",
        "moq_unit": "kg",
        "packaging": "1 kg vacuum bags",
        "shelf_life": "24 months",
        "supply_capacity": "2 tonnes a year",
        "lead_time": "3 weeks",
        "price_currency": "USD",
        "price_min": "200",
        "price_max": "260",
        "price_unit": "kg",
        "incoterm": "FOB",
        "market_access_en": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_create_product_saves_a_draft_with_certifications_and_goes_to_photos(
    client, alice, verified_exporter, category
):
    organic = CertificationFactory()
    client.force_login(alice)

    response = client.post(reverse("portal:product_create"), {**product_data(category), "certifications": [organic.pk]})

    product = Product.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:product_photos", kwargs={"pk": product.pk})
    assert (product.exporter, product.status, product.name_en) == (verified_exporter, "draft", "Bourbon vanilla beans")
    assert (product.moq_quantity, product.price_min, product.price_max) == (
        Decimal("25"),
        Decimal("200"),
        Decimal("260"),
    )
    assert list(product.certifications.all()) == [organic]
    assert [entry.action for entry in audit_trail(product)] == ["create"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"hs_code": "09-05"}, "hs_code"),
        ({"price_min": "300", "price_max": "200"}, "price_max"),
        ({"price_currency": ""}, "price_currency"),
        ({"moq_unit": ""}, "moq_unit"),
        ({"moq_quantity": "-1"}, "moq_quantity"),
        ({"name_en": ""}, "name_en"),
    ],
)
def test_bad_product_input_is_a_form_error_and_saves_nothing(client, alice, category, overrides, field):
    client.force_login(alice)
    response = client.post(reverse("portal:product_create"), product_data(category, **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Product.objects.exists()


def test_product_list_shows_status_badges_and_the_rejection_reason_escaped(client, alice, verified_exporter, bob):
    ProductFactory(exporter=verified_exporter, name_en="Draft one")
    ProductFactory(exporter=verified_exporter, name_en="Published one", published=True)
    ProductFactory(
        exporter=verified_exporter, name_en="Rejected one", status="rejected", rejection_reason="Photo is <b>blurry</b>"
    )
    ProductFactory(name_en="Someone else's", exporter=bob.exporter_membership.exporter)
    client.force_login(alice)

    page = client.get(reverse("portal:product_list")).content.decode()

    assert "Draft one" in page and "Published one" in page and "Rejected one" in page
    assert "Someone else&#x27;s" not in page and "Someone else's" not in page
    assert '<span class="badge s-draft">Draft</span>' in page
    assert '<span class="badge s-published">Published</span>' in page
    assert '<span class="badge s-rejected">Rejected</span>' in page
    assert "Photo is &lt;b&gt;blurry&lt;/b&gt;" in page


def test_rejected_product_shows_reason_on_its_page_and_can_be_fixed_and_resubmitted(
    client, alice, verified_exporter, category
):
    product = ProductFactory(
        exporter=verified_exporter, category=category, status="rejected", rejection_reason="Add the HS code."
    )
    client.force_login(alice)
    page = client.get(reverse("portal:product_detail", kwargs={"pk": product.pk})).content.decode()
    assert "PTI sent this back:" in page and "Add the HS code." in page

    client.post(reverse("portal:product_edit", kwargs={"pk": product.pk}), product_data(category, hs_code="0905.20"))
    product.refresh_from_db()
    assert (product.status, product.hs_code, product.pending_changes) == ("rejected", "0905.20", {})

    client.post(reverse("portal:product_submit", kwargs={"pk": product.pk}))
    product.refresh_from_db()
    assert (product.status, product.rejection_reason) == ("submitted", "")


def test_submit_and_withdraw(client, alice, verified_exporter):
    product = ProductFactory(exporter=verified_exporter)
    client.force_login(alice)

    response = client.post(reverse("portal:product_submit", kwargs={"pk": product.pk}), follow=True)
    product.refresh_from_db()
    assert product.status == "submitted"
    assert "Submitted. PTI will review the listing" in response.content.decode()

    client.post(reverse("portal:product_withdraw", kwargs={"pk": product.pk}))
    product.refresh_from_db()
    assert product.status == "draft"


def test_archive_a_published_product(client, alice, verified_exporter):
    product = ProductFactory(exporter=verified_exporter, published=True)
    client.force_login(alice)
    response = client.post(reverse("portal:product_archive", kwargs={"pk": product.pk}), follow=True)
    product.refresh_from_db()
    assert product.status == "archived"
    assert "Archived: buyers no longer see it." in response.content.decode()
    assert not Product.objects.published().filter(pk=product.pk).exists()


def test_submit_without_summary_is_refused_with_a_message(client, alice, verified_exporter):
    product = ProductFactory(exporter=verified_exporter, summary_en="")
    client.force_login(alice)
    response = client.post(reverse("portal:product_submit", kwargs={"pk": product.pk}), follow=True)
    product.refresh_from_db()
    assert product.status == "draft"
    assert "Add the English summary before submitting." in response.content.decode()


def test_submit_is_post_only(client, alice, verified_exporter):
    product = ProductFactory(exporter=verified_exporter)
    client.force_login(alice)
    assert client.get(reverse("portal:product_submit", kwargs={"pk": product.pk})).status_code == 405
    product.refresh_from_db()
    assert product.status == "draft"


def test_editing_a_published_product_waits_for_review_and_the_published_version_stays(
    client, alice, verified_exporter, category
):
    product = ProductFactory(exporter=verified_exporter, category=category, published=True, name_en="Vanilla beans")
    client.force_login(alice)

    response = client.post(
        reverse("portal:product_edit", kwargs={"pk": product.pk}),
        product_data(category, name_en="Vanilla beans, grade A", price_max="280"),
        follow=True,
    )

    product.refresh_from_db()
    assert product.status == "published"
    assert product.name_en == "Vanilla beans"
    assert product.pending_changes["name_en"] == "Vanilla beans, grade A"
    assert product.pending_changes["price_max"] == "280"
    assert Product.objects.published().filter(pk=product.pk, name_en="Vanilla beans").exists()
    page = response.content.decode()
    assert "Your changes are saved and wait for PTI" in page
    assert "Changes waiting for review" in page
    assert "Vanilla beans, grade A" in page  # the preview shows the edit

    # The form shows the exporter's latest text, not the published one.
    form_page = client.get(reverse("portal:product_edit", kwargs={"pk": product.pk})).content.decode()
    assert 'value="Vanilla beans, grade A"' in form_page

    client.post(reverse("portal:product_discard_changes", kwargs={"pk": product.pk}))
    product.refresh_from_db()
    assert product.pending_changes == {}
    assert product.name_en == "Vanilla beans"


def test_a_submitted_product_is_not_edited_under_review(client, alice, verified_exporter, category):
    product = ProductFactory(exporter=verified_exporter, category=category, submitted=True, name_en="Kava")
    client.force_login(alice)

    get = client.get(reverse("portal:product_edit", kwargs={"pk": product.pk}))
    post = client.post(reverse("portal:product_edit", kwargs={"pk": product.pk}), product_data(category, name_en="X"))

    assert get.status_code == post.status_code == 302
    product.refresh_from_db()
    assert (product.name_en, product.status, product.pending_changes) == ("Kava", "submitted", {})


def test_colleague_acts_for_the_company(client, verified_exporter, category):
    colleague = ExporterMemberFactory(exporter=verified_exporter, role="colleague").user
    client.force_login(colleague)
    response = client.post(reverse("portal:product_create"), product_data(category))
    assert response.status_code == 302
    assert Product.objects.get().exporter == verified_exporter


# Photos


def jpeg_upload(name="vanilla.jpg", **kwargs):
    return SimpleUploadedFile(name, image_bytes(**kwargs), content_type="image/jpeg")


def test_photo_upload_stores_a_cleaned_image_in_order(client, alice, verified_exporter, tmp_path):
    product = ProductFactory(exporter=verified_exporter)
    client.force_login(alice)
    url = reverse("portal:product_photos", kwargs={"pk": product.pk})

    first = client.post(url, {"original": jpeg_upload(size=(800, 600)), "alt_text": "Pods on a tray"})
    second = client.post(
        url, {"original": SimpleUploadedFile("b.webp", image_bytes(fmt="WEBP"), "image/webp"), "alt_text": ""}
    )

    assert first.status_code == second.status_code == 302
    photos = list(product.images.order_by("position"))
    assert [(p.alt_text, p.position) for p in photos] == [("Pods on a tray", 1), ("", 2)]
    assert (photos[0].width, photos[0].height) == (800, 600)
    stored = list((tmp_path / "private_media").rglob("*.*"))
    assert len(stored) == 2


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.jpg", b"MZ\x90\x00 definitely not a photo"),
        ("photo.gif", image_bytes(fmt="GIF")),
        ("photo.bmp", image_bytes(fmt="BMP")),
        ("photo.png", image_bytes(fmt="PNG")[:40]),
        ("photo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ],
)
def test_photo_upload_refuses_anything_but_real_jpeg_png_webp_and_keeps_nothing(
    client, alice, verified_exporter, tmp_path, name, content
):
    product = ProductFactory(exporter=verified_exporter)
    client.force_login(alice)

    response = client.post(
        reverse("portal:product_photos", kwargs={"pk": product.pk}), {"original": SimpleUploadedFile(name, content)}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["original"]
    assert 'id="id_original_error"' in response.content.decode()
    assert not ProductImage.objects.exists()
    assert list((tmp_path / "private_media").rglob("*.*")) == []


def test_photo_over_the_size_limit_is_refused(client, alice, verified_exporter, settings, tmp_path):
    settings.IMAGE_UPLOAD_MAX_BYTES = 1000
    product = ProductFactory(exporter=verified_exporter)
    client.force_login(alice)
    response = client.post(
        reverse("portal:product_photos", kwargs={"pk": product.pk}), {"original": jpeg_upload(size=(400, 400))}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["original"]
    assert not ProductImage.objects.exists()


def test_photo_alt_text_order_and_removal(client, alice, verified_exporter):
    product = ProductFactory(exporter=verified_exporter)
    photo = ProductImageFactory(product=product, alt_text="old", position=1)
    client.force_login(alice)

    client.post(
        reverse("portal:photo_update", kwargs={"pk": product.pk, "photo_pk": photo.pk}),
        {f"photo-{photo.pk}-alt_text": "Cured pods, close up", f"photo-{photo.pk}-position": "3"},
    )
    photo.refresh_from_db()
    assert (photo.alt_text, photo.position) == ("Cured pods, close up", 3)
    assert audit_trail(product).first().note == f"photo #{photo.pk}: alt_text, position"

    client.post(reverse("portal:photo_delete", kwargs={"pk": product.pk, "photo_pk": photo.pk}))
    assert not ProductImage.objects.filter(pk=photo.pk).exists()
    assert audit_trail(product).first().action == "remove_photo"


def test_new_product_form_starts_with_the_companys_country(client, alice, verified_exporter):
    client.force_login(alice)
    form = client.get(reverse("portal:product_create")).context["form"]
    assert form["origin_country"].value() == "FJ"


# Who may touch what: owner, colleague, another exporter, anonymous, staff.


def _snapshot(product):
    product.refresh_from_db()
    return (
        product.status,
        product.name_en,
        product.pending_changes,
        product.updated_at,
        list(product.images.values_list("pk", "alt_text", "position")),
    )


ROLES = ["owner", "colleague", "other_exporter", "anonymous", "staff"]


@pytest.fixture
def actor_for(client, alice, bob, staff, verified_exporter):
    def login(role):
        user = {
            "owner": alice,
            "colleague": ExporterMemberFactory(exporter=verified_exporter, role="colleague").user
            if role == "colleague"
            else None,
            "other_exporter": bob,
            "staff": staff,
            "anonymous": None,
        }[role]
        if user is not None:
            client.force_login(user)
        return client

    return login


def _requests(product, photo, category):
    kw = {"pk": product.pk}
    photo_kw = {"pk": product.pk, "photo_pk": photo.pk}
    return [
        ("get", reverse("portal:product_detail", kwargs=kw), None),
        ("get", reverse("portal:product_edit", kwargs=kw), None),
        ("get", reverse("portal:product_photos", kwargs=kw), None),
        ("post", reverse("portal:product_edit", kwargs=kw), product_data(category, name_en="Hijacked")),
        ("post", reverse("portal:product_submit", kwargs=kw), {}),
        ("post", reverse("portal:product_withdraw", kwargs=kw), {}),
        ("post", reverse("portal:product_discard_changes", kwargs=kw), {}),
        ("post", reverse("portal:product_archive", kwargs=kw), {}),
        ("post", reverse("portal:product_photos", kwargs=kw), {"original": jpeg_upload(), "alt_text": "x"}),
        (
            "post",
            reverse("portal:photo_update", kwargs=photo_kw),
            {f"photo-{photo.pk}-alt_text": "Hijacked", f"photo-{photo.pk}-position": "9"},
        ),
        ("post", reverse("portal:photo_delete", kwargs=photo_kw), {}),
    ]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("index", range(11))
def test_permission_matrix(actor_for, role, index, verified_exporter, category):
    product = ProductFactory(exporter=verified_exporter, category=category, name_en="Vanilla")
    photo = ProductImageFactory(product=product, alt_text="tray", position=1)
    method, url, data = _requests(product, photo, category)[index]
    client = actor_for(role)
    before = _snapshot(product)

    response = getattr(client, method)(url, data or {})

    if role in ("owner", "colleague"):
        assert response.status_code in (200, 302)
        if method == "get":
            assert response.status_code == 200
        return
    expected = {"other_exporter": 404, "staff": 403}.get(role)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("portal:login") + "?next=")
    else:
        assert response.status_code == expected
    assert _snapshot(product) == before
    assert ProductImage.objects.filter(product=product).count() == 1


def test_another_exporters_product_ids_are_404_not_403(client, bob, verified_exporter):
    product = ProductFactory(exporter=verified_exporter)
    client.force_login(bob)
    assert client.get(reverse("portal:product_detail", kwargs={"pk": product.pk})).status_code == 404
    assert client.get(reverse("portal:product_detail", kwargs={"pk": 999999})).status_code == 404
