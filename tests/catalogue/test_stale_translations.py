"""Stale translations: when staff apply an exporter's English edit of a live listing, the
Chinese of each changed text is marked out of date (per field) until staff save or confirm it;
the marks show on the front page and filter the product list."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from catalogue import services
from catalogue.models import Product
from pti_bridge.models import AuditEntry
from tests.catalogue.test_admin import form_data
from tests.conftest import sign_in_staff
from tests.factories import ProductFactory, ProductImageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(verified_exporter):
    return ProductFactory(
        exporter=verified_exporter,
        published=True,
        name_en="Vanilla beans",
        name_zh_hans="香草荚",
        packaging="1 kg bags",
        packaging_zh_hans="1公斤袋装",
        shelf_life="24 months",
        shelf_life_zh_hans="24个月",
    )


def marks(product) -> dict:
    return {mark["field"]: mark["was"] for mark in Product.objects.get(pk=product.pk).stale_translations}


def apply(product, alice, staff, **data):
    services.product_update(product=product, data=data, actor=alice)
    return services.product_apply_pending_changes(product=product, actor=staff)


def test_applying_an_english_edit_marks_only_the_changed_texts(live, alice, staff):
    apply(live, alice, staff, packaging="5 kg bags", shelf_life="24 months", hs_code="0905.20")

    assert marks(live) == {"packaging_zh_hans": "1 kg bags"}
    product = Product.objects.get(pk=live.pk)
    assert (product.packaging, product.packaging_zh_hans) == ("5 kg bags", "1公斤袋装")  # the Chinese stays


def test_a_proposed_edit_marks_nothing_until_applied_and_a_discarded_one_never(live, alice, staff):
    services.product_update(product=live, data={"packaging": "5 kg bags"}, actor=alice)
    assert marks(live) == {}
    services.product_discard_pending_changes(product=live, actor=staff)
    assert marks(live) == {}


def test_a_second_edit_keeps_the_english_the_chinese_was_made_from(live, alice, staff):
    apply(live, alice, staff, packaging="5 kg bags")
    apply(live, alice, staff, packaging="10 kg bags", lead_time="3 weeks")

    assert marks(live) == {"packaging_zh_hans": "1 kg bags", "lead_time_zh_hans": ""}


def test_photo_descriptions_changed_or_added_are_marked(live, alice, staff, settings):
    shown = ProductImageFactory(product=live, position=1, alt_text="Pods", alt_text_zh_hans="香草荚")
    services.product_image_update(image=shown, actor=alice, alt_text="Cured pods", position=1)
    new = ProductImageFactory(product=live, position=2, alt_text="Pods on a tray", awaiting_review=True)
    live.refresh_from_db()
    live.pending_changes = {**live.pending_changes, services.PHOTOS: [new.pk]}
    live.save(update_fields=["pending_changes"])

    services.product_apply_pending_changes(product=live, actor=staff)

    assert marks(live) == {services.photo_key(shown.pk): "Pods", services.photo_key(new.pk): ""}


def test_review_clears_the_given_marks_or_all_and_is_audited(live, alice, staff):
    apply(live, alice, staff, packaging="5 kg bags", shelf_life="36 months")

    services.product_translations_reviewed(product=live, actor=staff, keys=["packaging_zh_hans", "name_zh_hans"])
    assert marks(live) == {"shelf_life_zh_hans": "24 months"}
    services.product_translations_reviewed(product=live, actor=staff)
    assert marks(live) == {}
    notes = list(AuditEntry.objects.filter(action="review_translations").values_list("note", flat=True))
    assert sorted(notes) == ["packaging_zh_hans", "shelf_life_zh_hans"]


def test_an_exporter_cannot_clear_the_marks(live, alice, staff):
    apply(live, alice, staff, packaging="5 kg bags")
    with pytest.raises(PermissionDenied):
        services.product_translations_reviewed(product=live, actor=alice)
    assert marks(live) == {"packaging_zh_hans": "1 kg bags"}


def test_removing_a_photo_drops_its_mark(live, alice, staff):
    shown = ProductImageFactory(product=live, position=1, alt_text="Pods", alt_text_zh_hans="香草荚")
    services.product_image_update(image=shown, actor=alice, alt_text="Cured pods", position=1)
    services.product_apply_pending_changes(product=live, actor=staff)
    services.product_image_remove(image=shown, actor=staff)
    assert marks(live) == {}


# The admin.


@pytest.fixture
def staff_client(client, staff):
    return sign_in_staff(client, staff)


def test_saving_the_chinese_in_review_clears_its_mark_only(staff_client, live, alice, staff):
    apply(live, alice, staff, packaging="5 kg bags", shelf_life="36 months")
    url = reverse("admin:catalogue_product_change", args=[live.pk])
    page = staff_client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()
    assert "出口商修改了这件在架商品的英文。" in html and "包装（中文）" in html
    assert "原译自：“1 kg bags”" in html and 'class="vTextField pti-stale"' in html

    response = staff_client.post(
        url, {**form_data(page), "packaging_zh_hans": "5公斤袋装", "_continue": "1"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )

    assert response.status_code == 302
    assert marks(live) == {"shelf_life_zh_hans": "24 months"}
    assert Product.objects.get(pk=live.pk).packaging_zh_hans == "5公斤袋装"


def test_the_confirm_button_clears_every_mark(staff_client, live, alice, staff):
    apply(live, alice, staff, packaging="1 kg bag", shelf_life="2 years")
    url = reverse("admin:catalogue_product_change", args=[live.pk])
    page = staff_client.get(url)
    response = staff_client.post(url, {**form_data(page), "_translations_reviewed": "1"})
    assert response.status_code == 302 and marks(live) == {}


def test_saving_a_photos_chinese_description_clears_its_mark(staff_client, live, alice, staff):
    shown = ProductImageFactory(product=live, position=1, alt_text="Pods", alt_text_zh_hans="香草荚")
    services.product_image_update(image=shown, actor=alice, alt_text="Cured pods", position=1)
    apply(live, alice, staff, packaging="5 kg bags")
    url = reverse("admin:catalogue_product_change", args=[live.pk])
    page = staff_client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "第1张照片的中文描述" in page.content.decode()

    staff_client.post(url, {**form_data(page), "images-0-alt_text_zh_hans": "熟化香草荚", "_continue": "1"})

    assert marks(live) == {"packaging_zh_hans": "1 kg bags"}


def test_the_product_list_filters_the_stale_ones(staff_client, live, alice, staff, verified_exporter):
    fresh = ProductFactory(exporter=verified_exporter, published=True, name_en="Kava root")
    apply(live, alice, staff, packaging="5 kg bags")
    changelist = reverse("admin:catalogue_product_changelist")

    stale = staff_client.get(changelist, {"stale": "yes"}).context["cl"].result_list
    up_to_date = staff_client.get(changelist, {"stale": "no"}).context["cl"].result_list

    assert list(stale) == [Product.objects.get(pk=live.pk)] and fresh in up_to_date and live not in up_to_date


def test_the_front_page_lists_the_stale_listings_in_chinese(staff_client, live, alice, staff):
    page = staff_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "所有中文均与英文一致。" in page

    apply(live, alice, staff, packaging="5 kg bags", lead_time="3 weeks")
    page = staff_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "待更新的译文" in page and "1 件在架商品的英文在中文审核后有改动。" in page
    assert "香草荚" in page and "包装（中文）、交货周期（中文）" in page
    assert "?stale=yes" in page
