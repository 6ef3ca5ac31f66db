"""The inquiries back office: read-only for now, the thread shown inline."""

import re

import pytest
from django.urls import reverse

from inquiries.models import Inquiry
from tests import factories
from tests.conftest import sign_in_staff

pytestmark = pytest.mark.django_db


def test_inquiry_page_shows_the_thread_read_only(client, staff, buyer):
    inquiry = factories.InquiryFactory(buyer=buyer, product__name_en="Vanilla beans")
    factories.MessageFactory(
        inquiry=inquiry, text="请问每公斤的到岸价是多少？", translation="What is the CIF price per kg?"
    )
    sign_in_staff(client, staff)
    url = reverse("admin:inquiries_inquiry_change", args=[inquiry.pk])
    response = client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert "请问每公斤的到岸价是多少？" in content and "What is the CIF price per kg?" in content
    assert 'name="status"' not in content and "idempotency" not in content
    assert client.post(url, {"status": "spam"}).status_code == 403
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.NEW


def test_inquiries_filter_by_status_and_country_and_search_in_chinese(client, staff, fiji, tonga):
    fijian = factories.InquiryFactory(product__exporter__country=fiji, destination="上海")
    tongan = factories.InquiryFactory(product__exporter__country=tonga, destination="广州", status="screening")
    sign_in_staff(client, staff)
    url = reverse("admin:inquiries_inquiry_changelist")
    assert list(client.get(url, {"status__exact": "screening"}).context["cl"].result_list) == [tongan]
    assert list(client.get(url, {"exporter__country__code__exact": "FJ"}).context["cl"].result_list) == [fijian]
    assert list(client.get(url, {"q": "广州"}).context["cl"].result_list) == [tongan]


def test_inquiry_page_shows_the_target_price_with_its_currency_and_unit(client, staff, buyer):
    priced = factories.InquiryFactory(buyer=buyer, target_price=6, currency="USD", unit="kg")
    unpriced = factories.InquiryFactory(buyer=buyer, target_price=None, currency="", unit="tonne")
    sign_in_staff(client, staff)

    def target_price(inquiry):
        response = client.get(
            reverse("admin:inquiries_inquiry_change", args=[inquiry.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
        )
        assert response.status_code == 200
        content = response.content.decode()
        return re.search(r"目标价格.*?<div class=\"readonly\">(.*?)</div>", content, re.S).group(1).strip()

    assert target_price(priced) == "USD 6.00 / 公斤"
    assert target_price(unpriced) == "-"


def test_inquiry_translation_boxes_show_the_glossary_and_earlier_translations(client, staff, buyer):
    from glossary.models import Term

    Term.objects.create(term_en="vanilla beans", term_zh_hans="香草荚", pinyin="xiang cao jia")
    earlier = factories.InquiryFactory(buyer=buyer)
    factories.MessageFactory(
        inquiry=earlier, text="香草荚每公斤多少钱？", translation="How much are the vanilla beans per kg?"
    )
    inquiry = factories.InquiryFactory(buyer=buyer)
    waiting = factories.MessageFactory(inquiry=inquiry, text="香草荚每公斤多少钱？", translation="")
    sign_in_staff(client, staff)

    response = client.get(reverse("admin:inquiries_inquiry_change", args=[inquiry.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")

    content = response.content.decode()
    aids = re.search(rf'data-aids-for="translation-{waiting.pk}".*?</div>', content, re.S).group(0)
    assert '香草荚</span> → <span lang="en">vanilla beans' in aids  # the glossary, Chinese to English
    assert 'data-text="How much are the vanilla beans per kg?"' in aids  # the earlier translation, to use
    assert f'id="translation-{waiting.pk}"' in content


def test_inquiry_translation_box_does_not_offer_its_own_translation_back(client, staff, buyer):
    inquiry = factories.InquiryFactory(buyer=buyer)
    done = factories.MessageFactory(inquiry=inquiry, text="请尽快回复。", translation="Please answer soon.")
    sign_in_staff(client, staff)

    content = client.get(reverse("admin:inquiries_inquiry_change", args=[inquiry.pk])).content.decode()

    assert f'data-aids-for="translation-{done.pk}"' not in content
