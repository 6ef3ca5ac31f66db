"""One whole thread through every door: the buyer in the API (Bearer token from the stand-in's
sign-in), staff in the admin, the exporter in the portal, e-mail over a real SMTP server on
loopback, the subscribe message through the WeChat stand-in.

Each request runs inside `django_capture_on_commit_callbacks(execute=True)`: the test's own
transaction never commits, so this is where "after commit" happens, as in production.
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from inquiries import services
from inquiries.models import Inquiry
from pti_bridge import outbox
from pti_bridge.models import Notification
from tests import factories, smtp_server
from tests.conftest import sign_in_staff
from tests.inquiries.english import into_english

smtp = smtp_server.smtp  # the fixture: a real SMTP server on loopback

pytestmark = pytest.mark.django_db


def test_buyer_asks_staff_mediate_exporter_answers_buyer_reads_in_chinese(
    sign_in, staff, alice, verified_exporter, smtp, wechat, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://bridge.pti.example"
    product = factories.ProductFactory(
        published=True, exporter=verified_exporter, name_en="Tahitian vanilla beans", name_zh_hans="大溪地香草荚"
    )
    buyer_api, buyer, _token = sign_in("wang")
    staff_web, exporter_web = Client(), Client()
    sign_in_staff(staff_web, staff)
    exporter_web.force_login(alice)

    def after_commit(call):
        with django_capture_on_commit_callbacks(execute=True):
            response = call()
        assert response.status_code in (200, 201, 302), response.content[:500]
        return response

    # The buyer asks, in Chinese.
    created = after_commit(
        lambda: buyer_api.post(
            "/api/v1/inquiries/",
            {"product": product.pk, "quantity": "500", "unit": "kg", "message": "请问每公斤的到岸价是多少？"},
            format="json",
        )
    )
    inquiry = Inquiry.objects.get(pk=created.json()["id"])
    assert inquiry.status == "new"
    question = inquiry.messages.get()
    # Not forwarded yet: the exporter cannot open it and nobody was told.
    assert exporter_web.get(reverse("portal:inquiry_thread", args=[inquiry.pk])).status_code == 404
    assert smtp.inbox.messages == []

    # Staff screen it, translate it, note something and forward it (admin POSTs).
    after_commit(lambda: staff_web.post(reverse("admin:inquiries_inquiry_workflow", args=[inquiry.pk, "screen"])))
    after_commit(
        lambda: staff_web.post(
            reverse("admin:inquiries_inquiry_translate", args=[inquiry.pk, question.pk]),
            {"translation": "What is the CIF price per kg?"},
        )
    )
    after_commit(
        lambda: staff_web.post(reverse("admin:inquiries_inquiry_note", args=[inquiry.pk]), {"text": "内部：老客户"})
    )
    after_commit(lambda: staff_web.post(reverse("admin:inquiries_inquiry_workflow", args=[inquiry.pk, "forward"])))

    [mail] = smtp.inbox.messages
    assert mail["To"] == alice.email
    assert f"https://bridge.pti.example/portal/inquiries/{inquiry.pk}/" in mail.as_string()

    # The exporter reads the English translation (and no note) and answers in the portal.
    thread = exporter_web.get(reverse("portal:inquiry_thread", args=[inquiry.pk])).content.decode()
    assert "What is the CIF price per kg?" in thread and "老客户" not in thread
    after_commit(
        lambda: exporter_web.post(
            reverse("portal:inquiry_thread", args=[inquiry.pk]), {"text": "USD 180/kg FOB Suva, MOQ 100 kg."}
        )
    )
    inquiry.refresh_from_db()
    assert inquiry.status == "answered"
    answer = inquiry.messages.get(author_role="exporter")
    assert wechat.call("GET", "messages") == []  # not translated yet: nothing for the buyer

    # Staff translate the answer: the buyer is told through WeChat.
    after_commit(
        lambda: staff_web.post(
            reverse("admin:inquiries_inquiry_translate", args=[inquiry.pk, answer.pk]),
            {"translation": "每公斤180美元，苏瓦离岸价，最小起订量100公斤。"},
        )
    )
    [subscribe] = wechat.call("GET", "messages")
    assert subscribe["touser"] == buyer.openid
    assert subscribe["template_id"] == settings.WECHAT_TEMPLATE_INQUIRY_ANSWERED
    assert subscribe["page"] == f"pages/inquiry/detail?id={inquiry.pk}"
    assert subscribe["data"]["thing1"] == {"value": "大溪地香草荚"}

    # The buyer sees an unread reply, opens it, and reads it in Chinese; no staff note.
    [item] = buyer_api.get("/api/v1/inquiries/").json()["results"]
    assert (item["status"], item["unread"]) == ("answered", True)
    detail = buyer_api.get(f"/api/v1/inquiries/{inquiry.pk}/").json()
    assert [(m["author"], m["text"], m["translated"]) for m in detail["messages"]] == [
        ("buyer", "请问每公斤的到岸价是多少？", False),
        ("exporter", "每公斤180美元，苏瓦离岸价，最小起订量100公斤。", True),
    ]
    assert buyer_api.get("/api/v1/inquiries/").json()["results"][0]["unread"] is False

    # Everything was delivered exactly once.
    assert sorted(Notification.objects.values_list("channel", "kind", "status", "attempts")) == [
        ("email", "inquiry_forwarded", "sent", 1),
        ("wechat", "inquiry_answered", "sent", 1),
    ]

    # Staff close the deal; the buyer can write no more (409).
    after_commit(
        lambda: staff_web.post(
            reverse("admin:inquiries_inquiry_workflow", args=[inquiry.pk, "close_won"]),
            {"deal_value": "18000", "deal_currency": "USD", "deal_volume": "100 kg"},
        )
    )
    closed = buyer_api.post(f"/api/v1/inquiries/{inquiry.pk}/messages/", {"text": "谢谢"}, format="json")
    assert (closed.status_code, closed.json()["error"]["code"]) == (409, "inquiry_closed")


def test_outside_down_then_back_everything_delivered_once(
    sign_in, staff, alice, verified_exporter, smtp, wechat, settings, django_capture_on_commit_callbacks
):
    """SMTP stopped and WeChat's send failing: the buyer's inquiry, the forward, the exporter's
    reply and the translation are all accepted; the notifications wait; they are delivered
    exactly once when the outside is back and the outbox is dispatched."""
    product = factories.ProductFactory(published=True, exporter=verified_exporter, name_zh_hans="卡瓦粉")
    buyer_api, buyer, _token = sign_in("li")
    smtp.stop()
    wechat.fault("/cgi-bin/message/subscribe/send", "http502", count=3)
    ids = []
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            response = buyer_api.post(
                "/api/v1/inquiries/",
                {"product": product.pk, "quantity": str(10 + n), "unit": "kg", "message": f"第{n}个询价"},
                format="json",
            )
            assert response.status_code == 201
            ids.append(response.json()["id"])
    for pk in ids:
        with django_capture_on_commit_callbacks(execute=True):
            inquiry = into_english(Inquiry.objects.get(pk=pk), staff=staff)
            inquiry = services.inquiry_forward(inquiry=inquiry, actor=staff)
        with django_capture_on_commit_callbacks(execute=True):
            reply = services.message_post_by_exporter(inquiry=inquiry, text="Yes, in stock.", actor=alice)
        with django_capture_on_commit_callbacks(execute=True):
            services.message_translate(message=reply, translation="有货。", actor=staff)

    assert Inquiry.objects.filter(status="answered").count() == 3
    assert sorted(Notification.objects.values_list("channel", "status", "attempts")) == [
        *[("email", "pending", 1)] * 3,
        *[("wechat", "pending", 1)] * 3,
    ]
    assert smtp.inbox.messages == [] and wechat.call("GET", "messages") == []

    smtp.start()  # the outside is back (the stand-in's three faults are used up)
    later = timezone.now() + timedelta(minutes=2)
    assert outbox.dispatch_due(now=later) == {"sent": 6}
    assert outbox.dispatch_due(now=later + timedelta(days=2)) == {}
    assert len(smtp.inbox.messages) == 3
    assert sorted(int(m["X-PTI-Notification"]) for m in smtp.inbox.messages) == sorted(
        Notification.objects.filter(channel="email").values_list("pk", flat=True)
    )
    assert [m["touser"] for m in wechat.call("GET", "messages")] == [buyer.openid] * 3
    assert set(Notification.objects.values_list("status", "attempts")) == {("sent", 2)}
