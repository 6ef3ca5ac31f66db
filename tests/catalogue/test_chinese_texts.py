"""Every text a buyer reads has a Chinese field staff fill in review (issue 16, hole 5):
packaging, shelf life, supply capacity, lead time and photo descriptions; the API gives the
Chinese one, publishing needs it, and the exporter's English edits of a live listing wait."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from catalogue import services
from catalogue.forms import ProductForm
from catalogue.models import Product
from pti_bridge.errors import RuleViolation
from tests.catalogue.test_admin import form_data
from tests.conftest import sign_in_staff
from tests.factories import ProductFactory, ProductImageFactory

pytestmark = pytest.mark.django_db

TRADE_TEXTS = {
    "packaging": ("1 kg vacuum bags, 10 per carton", "1公斤真空袋，每箱10袋"),
    "shelf_life": ("24 months", "24个月"),
    "supply_capacity": ("2 tonnes a month", "每月2吨"),
    "lead_time": ("3 weeks", "3周"),
}
ENGLISH = {name: english for name, (english, _chinese) in TRADE_TEXTS.items()}
PHOTO = {"detail": {"webp": {"name": "r/a-detail.webp", "width": 750, "height": 562, "bytes": 100}}}


def translated(**extra) -> dict:
    return {
        **ENGLISH,
        **{f"{name}_zh_hans": chinese for name, (_english, chinese) in TRADE_TEXTS.items()},
        **extra,
    }


# The API.


@pytest.mark.parametrize(("language", "index"), [("zh-hans", 1), ("en", 0)])
def test_detail_gives_the_trade_texts_and_photo_descriptions_in_the_request_language(
    verified_exporter, language, index
):
    product = ProductFactory(exporter=verified_exporter, published=True, **translated())
    ProductImageFactory(product=product, renditions=PHOTO, alt_text="Pods on a tray", alt_text_zh_hans="托盘上的香草荚")

    body = APIClient().get(f"/api/v1/products/{product.pk}/", HTTP_ACCEPT_LANGUAGE=language).json()

    assert {name: body[name] for name in TRADE_TEXTS} == {name: texts[index] for name, texts in TRADE_TEXTS.items()}
    assert [image["alt"] for image in body["images"]] == [("Pods on a tray", "托盘上的香草荚")[index]]


def test_detail_in_chinese_falls_back_to_english_where_no_chinese_is_written(verified_exporter):
    # A text the exporter added after review (its changes applied) waits for its Chinese.
    product = ProductFactory(exporter=verified_exporter, published=True, **translated(lead_time_zh_hans=""))
    ProductImageFactory(product=product, renditions=PHOTO, alt_text="Pods", alt_text_zh_hans="")

    body = APIClient().get(f"/api/v1/products/{product.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()

    assert (body["lead_time"], body["packaging"], body["images"][0]["alt"]) == (
        "3 weeks",
        "1公斤真空袋，每箱10袋",
        "Pods",
    )


# Publishing needs the Chinese of every English text.


@pytest.mark.parametrize("name", list(TRADE_TEXTS))
def test_publishing_is_refused_while_a_written_english_text_has_no_chinese(verified_exporter, staff, name):
    product = ProductFactory(exporter=verified_exporter, submitted=True, **translated(**{f"{name}_zh_hans": " "}))

    with pytest.raises(RuleViolation) as refused:
        services.product_publish(product=product, actor=staff)

    label = services.CHINESE_LABELS[f"{name}_zh_hans"]
    assert refused.value.code == "translation_missing" and str(label) in str(refused.value.message)
    product.refresh_from_db()
    assert (product.status, product.published_at) == (Product.Status.SUBMITTED, None)


def test_publishing_needs_the_chinese_of_each_shown_photo_description(verified_exporter, staff):
    product = ProductFactory(exporter=verified_exporter, submitted=True, **translated())
    ProductImageFactory(product=product, position=1, alt_text="Pods", alt_text_zh_hans="香草荚")
    ProductImageFactory(product=product, position=2, alt_text="Pods on a tray", alt_text_zh_hans="")
    ProductImageFactory(product=product, position=3, alt_text="", alt_text_zh_hans="")  # nothing to translate

    with pytest.raises(RuleViolation, match="Chinese description of photo 2"):
        services.product_publish(product=product, actor=staff)
    assert Product.objects.get(pk=product.pk).status == Product.Status.SUBMITTED

    product.images.filter(position=2).update(alt_text_zh_hans="托盘上的香草荚")
    assert services.product_publish(product=product, actor=staff).status == Product.Status.PUBLISHED


def test_an_empty_english_text_needs_no_chinese(verified_exporter, staff):
    product = ProductFactory(exporter=verified_exporter, submitted=True, packaging="", packaging_zh_hans="")
    assert services.product_publish(product=product, actor=staff).status == Product.Status.PUBLISHED


def test_the_refusal_names_every_missing_text_in_chinese(verified_exporter, staff):
    product = ProductFactory(exporter=verified_exporter, submitted=True, name_en="Kava root", **ENGLISH)
    with translation.override("zh-hans"), pytest.raises(RuleViolation) as refused:
        services.product_publish(product=product, actor=staff)
    assert str(refused.value.message) == (
        "“Kava root”需要先填写中文包装说明、中文保质期、中文供货能力和中文交货周期才能发布。"
    )


def test_admin_publish_button_shows_the_refusal_in_chinese(client, staff, verified_exporter):
    product = ProductFactory(exporter=verified_exporter, submitted=True, name_en="Kava root", shelf_life="2 years")
    sign_in_staff(client, staff)
    url = reverse("admin:catalogue_product_change", args=[product.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    response = client.post(url, {**form_data(page), "_publish": "1"}, HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert [str(m) for m in get_messages(response.wsgi_request)][-1] == (
        "“Kava root”：“Kava root”需要先填写中文保质期才能发布。"
    )
    assert Product.objects.get(pk=product.pk).status == Product.Status.SUBMITTED


# Staff write the Chinese in review; exporters only the English.


def test_staff_fill_the_chinese_texts_beside_the_english_in_the_review_form(client, staff, verified_exporter):
    product = ProductFactory(exporter=verified_exporter, submitted=True, **ENGLISH)
    photo = ProductImageFactory(product=product, alt_text="Pods", alt_text_zh_hans="")
    sign_in_staff(client, staff)
    url = reverse("admin:catalogue_product_change", args=[product.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    content = page.content.decode()
    for label in ("包装（中文）", "保质期（中文）", "供货能力（中文）", "交货周期（中文）", "替代文字（中文）"):
        assert label in content
    bilingual = page.context["adminform"].form.fields
    assert all(f"{name}_zh_hans" in bilingual for name in TRADE_TEXTS)

    data = {
        **form_data(page),
        **{f"{name}_zh_hans": chinese for name, (_english, chinese) in TRADE_TEXTS.items()},
        "images-0-alt_text_zh_hans": "香草荚",
        "_publish": "1",
    }
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 302
    product.refresh_from_db()
    photo.refresh_from_db()
    assert {name: getattr(product, f"{name}_zh_hans") for name in TRADE_TEXTS} == {
        name: chinese for name, (_english, chinese) in TRADE_TEXTS.items()
    }
    assert (photo.alt_text_zh_hans, product.status) == ("香草荚", Product.Status.PUBLISHED)


def test_the_portal_form_has_no_chinese_field():
    assert not [name for name in ProductForm.base_fields if name.endswith("_zh_hans")]


def test_the_needs_translation_filter_finds_a_missing_trade_text_or_photo_description(verified_exporter):
    done = ProductFactory(exporter=verified_exporter, **translated())
    no_packaging = ProductFactory(exporter=verified_exporter, **translated(packaging_zh_hans=""))
    photo_only = ProductFactory(exporter=verified_exporter, **translated())
    ProductImageFactory(product=photo_only, alt_text="Pods", alt_text_zh_hans="")
    ProductImageFactory(product=done, alt_text="Pods", alt_text_zh_hans="香草荚")

    assert set(Product.objects.needs_translation()) == {no_packaging, photo_only}


# A photo description on a live listing waits for review, like the listing's text.


@pytest.fixture
def live_photo(verified_exporter):
    product = ProductFactory(exporter=verified_exporter, published=True)
    return ProductImageFactory(
        product=product, renditions=PHOTO, alt_text="Pods", alt_text_zh_hans="香草荚", position=1
    )


def test_the_exporters_new_photo_description_waits_for_review(live_photo, alice, staff):
    services.product_image_update(image=live_photo, actor=alice, alt_text="Cured pods", position=2)

    live_photo.refresh_from_db()
    product = Product.objects.get(pk=live_photo.product_id)
    assert (live_photo.alt_text, live_photo.position) == ("Pods", 2)  # the order is no text: at once
    assert product.pending_changes == {services.PHOTO_TEXTS: {str(live_photo.pk): "Cured pods"}}
    english = APIClient().get(f"/api/v1/products/{product.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["images"][0]["alt"] == "Pods"

    services.product_apply_pending_changes(product=product, actor=staff)

    live_photo.refresh_from_db()
    assert live_photo.alt_text == "Cured pods" and Product.objects.get(pk=product.pk).pending_changes == {}


def test_writing_the_published_description_again_withdraws_the_waiting_one(live_photo, alice):
    services.product_image_update(image=live_photo, actor=alice, alt_text="Cured pods", position=1)
    services.product_image_update(image=live_photo, actor=alice, alt_text="Pods", position=1)
    assert Product.objects.get(pk=live_photo.product_id).pending_changes == {}


def test_discarding_keeps_the_published_description(live_photo, alice, staff):
    services.product_image_update(image=live_photo, actor=alice, alt_text="Cured pods", position=1)
    services.product_discard_pending_changes(product=live_photo.product, actor=staff)
    live_photo.refresh_from_db()
    assert live_photo.alt_text == "Pods" and Product.objects.get(pk=live_photo.product_id).pending_changes == {}


def test_a_text_edit_of_the_listing_keeps_the_waiting_photo_description(live_photo, alice):
    services.product_image_update(image=live_photo, actor=alice, alt_text="Cured pods", position=1)
    services.product_update(product=live_photo.product, data={"shelf_life": "36 months"}, actor=alice)
    assert Product.objects.get(pk=live_photo.product_id).pending_changes == {
        "shelf_life": "36 months",
        services.PHOTO_TEXTS: {str(live_photo.pk): "Cured pods"},
    }


def test_removing_the_photo_drops_its_waiting_description(live_photo, alice):
    services.product_image_update(image=live_photo, actor=alice, alt_text="Cured pods", position=1)
    services.product_image_remove(image=live_photo, actor=alice)
    assert Product.objects.get(pk=live_photo.product_id).pending_changes == {}


def test_staff_and_draft_descriptions_change_at_once(live_photo, staff, alice, verified_exporter):
    services.product_image_update(image=live_photo, actor=staff, alt_text="Cured pods", position=1)
    live_photo.refresh_from_db()
    assert live_photo.alt_text == "Cured pods"

    draft_photo = ProductImageFactory(product=ProductFactory(exporter=verified_exporter), alt_text="Pods")
    services.product_image_update(image=draft_photo, actor=alice, alt_text="Dried pods", position=1)
    draft_photo.refresh_from_db()
    assert draft_photo.alt_text == "Dried pods" and draft_photo.product.pending_changes == {}


def test_portal_shows_the_waiting_description_to_the_exporter(client, alice, live_photo):
    client.force_login(alice)
    url = reverse("portal:photo_update", args=[live_photo.product_id, live_photo.pk])
    response = client.post(
        url, {f"photo-{live_photo.pk}-alt_text": "Cured pods", f"photo-{live_photo.pk}-position": "1"}, follow=True
    )
    content = response.content.decode()
    assert "The new description waits for PTI&#x27;s review" in content
    assert "New description waiting for review" in content and 'value="Cured pods"' in content
    live_photo.refresh_from_db()
    assert live_photo.alt_text == "Pods"
