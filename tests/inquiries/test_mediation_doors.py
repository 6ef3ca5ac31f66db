"""Mediation through each door: the buyer's API, the exporter's portal, the Chinese admin."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from inquiries import services
from inquiries.models import Inquiry, Message
from pti_bridge.models import Notification
from tests import factories
from tests.conftest import sign_in_staff

pytestmark = pytest.mark.django_db

S = Inquiry.Status
CHINESE = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture
def product(verified_exporter):
    return factories.ProductFactory(published=True, exporter=verified_exporter, name_en="Vanilla beans")


def a_thread(buyer, product, staff, alice):
    """A forwarded, answered thread with everything mediation can put in it."""
    inquiry = factories.InquiryFactory(
        buyer=buyer,
        product=product,
        status=S.ANSWERED,
        forwarded_at=timezone.now(),
        destination="上海洋山港",
        destination_en="Shanghai Yangshan Port",
        target_price=6,
        currency="USD",
    )
    question = factories.MessageFactory(inquiry=inquiry, text="请问每公斤的到岸价是多少？")
    services.message_translate(message=question, translation="What is the CIF price per kg?", actor=staff)
    services.note_add(inquiry=inquiry, text="内部备注：买家可靠", actor=staff)
    services.message_post_by_staff(inquiry=inquiry, addressed_to="buyer", text="您好，供应商正在报价。", actor=staff)
    services.message_post_by_staff(
        inquiry=inquiry, addressed_to="exporter", text="Please quote CIF Shanghai.", actor=staff
    )
    answer = services.message_post_by_exporter(inquiry=inquiry, text="USD 6 per kg CIF Shanghai.", actor=alice)
    return inquiry, answer


# The buyer's API.


def test_the_buyer_sees_a_placeholder_until_the_answer_is_translated(sign_in, product, staff, alice):
    client, buyer, _token = sign_in("wang")
    inquiry, answer = a_thread(buyer, product, staff, alice)
    Inquiry.objects.filter(pk=inquiry.pk).update(buyer_read_at=timezone.now())

    detail = client.get(f"/api/v1/inquiries/{inquiry.pk}/").json()
    assert [(m["author"], m["text"], m["translated"], m["awaiting_translation"]) for m in detail["messages"]] == [
        ("buyer", "请问每公斤的到岸价是多少？", False, False),
        ("staff", "您好，供应商正在报价。", False, False),
        ("exporter", "供应商已回复，PTI 正在为您翻译。", False, True),
    ]
    english = client.get(f"/api/v1/inquiries/{inquiry.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert "USD 6 per kg" not in str(english)  # not even in English before PTI released it
    [item] = client.get("/api/v1/inquiries/").json()["results"]
    assert item["unread"] is False and item["last_message"]["awaiting_translation"] is True
    assert "USD 6" not in str(client.get("/api/v1/me/data/").json())

    services.message_translate(message=answer, translation="每公斤6美元，上海到岸价。", actor=staff)

    [item] = client.get("/api/v1/inquiries/").json()["results"]
    assert item["unread"] is True
    assert (item["last_message"]["text"], item["last_message"]["translated"]) == ("每公斤6美元，上海到岸价。", True)
    detail = client.get(f"/api/v1/inquiries/{inquiry.pk}/").json()
    assert detail["messages"][-1]["awaiting_translation"] is False


def test_internal_notes_and_the_exporters_staff_messages_never_reach_the_buyer(sign_in, product, staff, alice):
    client, buyer, _token = sign_in("wang")
    inquiry, _answer = a_thread(buyer, product, staff, alice)

    for response in (
        client.get(f"/api/v1/inquiries/{inquiry.pk}/"),
        client.get("/api/v1/inquiries/"),
        client.get("/api/v1/me/data/"),
    ):
        assert response.status_code == 200
        assert "内部备注" not in response.content.decode()
        assert "Please quote CIF Shanghai." not in response.content.decode()


# The exporter's portal.


def test_the_exporter_reads_english_only_and_never_notes_or_the_buyers_staff_messages(client, product, staff, alice):
    inquiry, _answer = a_thread(factories.BuyerFactory(), product, staff, alice)
    factories.MessageFactory(inquiry=inquiry, text="还有样品吗？")  # not yet translated
    client.force_login(alice)

    page = client.get(reverse("portal:inquiry_thread", kwargs={"pk": inquiry.pk})).content.decode()
    inbox = client.get(reverse("portal:inbox")).content.decode()

    assert "What is the CIF price per kg?" in page and "Translated by PTI" in page
    assert "Please quote CIF Shanghai." in page  # PTI's message to the exporter
    assert "PTI is translating this message into English." in page
    assert "PTI is translating it for the buyer." in page  # the exporter's own answer, not yet released
    assert "Destination</dt><dd>Shanghai Yangshan Port" in page
    assert "USD 6 per kg" in page and "USD&nbsp;6&nbsp;per&nbsp;kg" in inbox
    body = page.split("<main", 1)[-1]
    assert not CHINESE.search(body), CHINESE.findall(body)  # no note, no message to the buyer, no Chinese


def test_a_legacy_destination_without_english_is_not_shown_in_chinese(client, product, alice):
    inquiry = factories.InquiryFactory(product=product, status=S.FORWARDED, destination="广州", destination_en="")
    client.force_login(alice)
    page = client.get(reverse("portal:inquiry_thread", kwargs={"pk": inquiry.pk})).content.decode()
    assert "广州" not in page and "PTI is translating the destination into English." in page


# The admin, in Chinese.


@pytest.fixture
def staff_client(client, staff):
    sign_in_staff(client, staff)
    client.cookies["django_language"] = "zh-hans"
    return client


def texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_admin_refuses_to_forward_untranslated_in_chinese(staff_client, product, alice):
    inquiry = factories.InquiryFactory(product=product, destination="上海洋山港", destination_en="")
    factories.MessageFactory(inquiry=inquiry, text="请报价")
    url = reverse("admin:inquiries_inquiry_change", args=[inquiry.pk])

    page = staff_client.get(url, headers={"accept-language": "zh-hans"}).content.decode()
    assert "转发前尚缺：" in page and "目的地的英文" in page
    assert 'value="Shang Hai Yang Shan Gang"' in page  # pinyin offered as the default
    response = staff_client.post(
        reverse("admin:inquiries_inquiry_workflow", args=[inquiry.pk, "forward"]),
        headers={"accept-language": "zh-hans"},
    )

    [message] = texts(response)
    assert message.startswith(f"询盘 #{inquiry.pk} 暂不能转发：出口商只读英文。尚缺：")
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.forwarded_at) == (S.NEW, None)
    assert not Notification.objects.exists()


def test_admin_puts_it_into_english_and_writes_to_both_sides(staff_client, product, alice, staff):
    inquiry = factories.InquiryFactory(product=product, destination="上海洋山港", destination_en="")
    question = factories.MessageFactory(inquiry=inquiry, text="Price please?", language="en")
    zh = {"headers": {"accept-language": "zh-hans"}}

    staff_client.post(reverse("admin:inquiries_inquiry_send_as_written", args=[inquiry.pk, question.pk]), **zh)
    response = staff_client.post(
        reverse("admin:inquiries_inquiry_english", args=[inquiry.pk]), {"destination_en": "上海"}, **zh
    )
    assert texts(response)[-1] == "出口商阅读英文：请不要包含中文字符。"
    inquiry.refresh_from_db()
    assert inquiry.destination_en == ""
    staff_client.post(
        reverse("admin:inquiries_inquiry_english", args=[inquiry.pk]),
        {"destination_en": "Shanghai Yangshan Port"},
        **zh,
    )
    staff_client.post(reverse("admin:inquiries_inquiry_workflow", args=[inquiry.pk, "forward"]), **zh)
    inquiry.refresh_from_db()
    question.refresh_from_db()
    assert (inquiry.status, inquiry.destination_en, question.sent_as_written) == (
        S.FORWARDED,
        "Shanghai Yangshan Port",
        True,
    )

    refused = staff_client.post(
        reverse("admin:inquiries_inquiry_write", args=[inquiry.pk, "exporter"]), {"text": "请报价"}, **zh
    )
    assert texts(refused)[-1] == "出口商阅读英文：请用英文书写这条消息。"
    staff_client.post(reverse("admin:inquiries_inquiry_write", args=[inquiry.pk, "exporter"]), {"text": "Hi"}, **zh)
    staff_client.post(reverse("admin:inquiries_inquiry_write", args=[inquiry.pk, "buyer"]), {"text": "您好"}, **zh)
    assert list(inquiry.messages.filter(author_role="staff").values_list("addressed_to", "text")) == [
        ("exporter", "Hi"),
        ("buyer", "您好"),
    ]
    page = staff_client.get(reverse("admin:inquiries_inquiry_change", args=[inquiry.pk]), **zh).content.decode()
    assert "PTI 致出口商" in page and "PTI 致买家" in page and "已转给出口商" in page
    assert staff_client.post(reverse("admin:inquiries_inquiry_write", args=[inquiry.pk, "nobody"])).status_code == 404


def test_only_staff_reach_the_mediation_urls(client, product, alice):
    inquiry = factories.InquiryFactory(product=product, destination_en="")
    message = factories.MessageFactory(inquiry=inquiry, text="Hello", language="en")
    client.force_login(alice)
    for url in (
        reverse("admin:inquiries_inquiry_send_as_written", args=[inquiry.pk, message.pk]),
        reverse("admin:inquiries_inquiry_english", args=[inquiry.pk]),
        reverse("admin:inquiries_inquiry_write", args=[inquiry.pk, "buyer"]),
    ):
        response = client.post(url, {"destination_en": "X", "text": "您好"})
        assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    inquiry.refresh_from_db()
    message.refresh_from_db()
    assert (inquiry.destination_en, message.sent_as_written, inquiry.messages.count()) == ("", False, 1)
    assert not Message.objects.filter(author_role="staff").exists()
