"""What the workflow tells the outside, through the outbox: e-mails to exporters over a real
SMTP server on loopback, WeChat subscribe messages to buyers through the stand-in. Both go
down and come back; nothing acknowledged is lost and nothing is sent twice."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from buyers.services import buyer_consent, buyer_delete, buyer_sign_in
from inquiries import services
from inquiries.models import Inquiry
from pti_bridge import outbox
from pti_bridge.models import Notification
from tests import factories, smtp_server
from tests.conftest import backend_pid, terminate_backend
from tests.inquiries.english import into_english

smtp = smtp_server.smtp  # the fixture: a real SMTP server on loopback

pytestmark = pytest.mark.django_db

N = Notification.Status
SUBSCRIBE_PATH = "/cgi-bin/message/subscribe/send"


@pytest.fixture
def product(verified_exporter):
    return factories.ProductFactory(
        published=True, exporter=verified_exporter, name_en="Tahitian vanilla beans", name_zh_hans="大溪地香草荚"
    )


@pytest.fixture
def signed_in_buyer(policy):
    buyer, *_ = buyer_sign_in(code="valid-wang#1")
    return buyer_consent(buyer=buyer, policy_version=policy.version)


def later(hours=3):
    return timezone.now() + timedelta(hours=hours)


def ask(buyer, product, **extra):
    inquiry, _ = services.inquiry_create(
        buyer=buyer,
        product=product,
        quantity=Decimal("500"),
        unit="kg",
        message="请问每公斤的到岸价是多少？",
        target_price=Decimal("150"),
        currency="USD",
        destination="上海",
        **extra,
    )
    return into_english(inquiry)


def forward(inquiry, staff):
    """Forward, and send the exporter's e-mail (to Django's test outbox), so only WeChat is left."""
    services.inquiry_forward(inquiry=inquiry, actor=staff)
    assert outbox.dispatch_due() == {"sent": 1}


def answer(inquiry, alice, staff):
    reply = services.message_post_by_exporter(inquiry=inquiry, text="USD 180/kg FOB Suva.", actor=alice)
    services.message_translate(message=reply, translation="每公斤180美元，苏瓦离岸价。", actor=staff)
    return reply


# E-mail to the exporter.


def test_forward_email_has_text_html_and_the_portal_link(
    smtp, signed_in_buyer, product, alice, staff, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://bridge.pti.example"
    signed_in_buyer.display_name, signed_in_buyer.company = "王经理", "上海进口贸易有限公司"
    signed_in_buyer.save()
    inquiry = ask(signed_in_buyer, product)

    with django_capture_on_commit_callbacks(execute=True):
        services.inquiry_forward(inquiry=inquiry, actor=staff)

    [message] = smtp.inbox.messages
    assert message["To"] == "alice@vanua.example"
    assert message["Subject"] == f"New inquiry #{inquiry.pk} from a buyer in China: Tahitian vanilla beans"
    parts = {
        part.get_content_type(): part.get_payload(decode=True).decode().replace("\r\n", "\n")
        for part in message.walk()
        if not part.is_multipart()
    }
    assert sorted(parts) == ["text/html", "text/plain"]
    link = f"https://bridge.pti.example/portal/inquiries/{inquiry.pk}/"
    assert link in parts["text/plain"] and f'href="{link}"' in parts["text/html"]
    assert "Quantity: 500 kg\nTarget price: USD 150 per kg\nDestination: Shanghai\n" in parts["text/plain"]
    assert "Read the buyer's message (translated into English by PTI)" in parts["text/plain"]
    # The buyer did not agree to share contact details: neither name nor company is in it.
    assert "Buyer: a buyer in China (PTI keeps the contact details" in parts["text/plain"]
    for text in parts.values():
        assert "王经理" not in text and "上海进口贸易有限公司" not in text
    assert Notification.objects.get().status == N.SENT


def test_shared_contact_names_the_buyer(
    smtp, signed_in_buyer, product, alice, staff, django_capture_on_commit_callbacks
):
    signed_in_buyer.display_name, signed_in_buyer.company = "王经理", "上海进口贸易有限公司"
    signed_in_buyer.save()
    inquiry = ask(signed_in_buyer, product, share_contact=True)
    services.inquiry_set_english(
        inquiry=inquiry, actor=staff, buyer_name_en="Manager Wang", buyer_company_en="Shanghai Import Trading Co."
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.inquiry_forward(inquiry=inquiry, actor=staff)
    [message] = smtp.inbox.messages
    text = next(p for p in message.walk() if p.get_content_type() == "text/plain").get_payload(decode=True).decode()
    assert "Buyer: Manager Wang, Shanghai Import Trading Co." in text
    assert "王经理" not in text and "上海" not in text  # the exporter reads English only


def test_staff_notes_never_reach_the_exporter(smtp, signed_in_buyer, product, alice, staff):
    inquiry = ask(signed_in_buyer, product)
    services.note_add(inquiry=inquiry, text="内部：这个买家很可靠", actor=staff)
    services.inquiry_forward(inquiry=inquiry, actor=staff)
    services.message_post_by_buyer(buyer=signed_in_buyer, inquiry=inquiry, text="能否提供样品？")
    assert outbox.dispatch_due() == {"sent": 1}  # the follow-up waits for its translation
    into_english(inquiry)
    assert outbox.dispatch_due() == {"sent": 1}
    for message in smtp.inbox.messages:
        assert "内部" not in message.as_string()


def test_smtp_down_inquiries_still_accepted_then_delivered_once(
    smtp, signed_in_buyer, product, alice, staff, django_capture_on_commit_callbacks
):
    smtp.stop()
    with django_capture_on_commit_callbacks(execute=True):
        inquiries = [ask(signed_in_buyer, product) for _ in range(3)]
        for inquiry in inquiries:
            services.inquiry_forward(inquiry=inquiry, actor=staff)
        services.message_post_by_buyer(buyer=signed_in_buyer, inquiry=inquiries[0], text="还有库存吗？")
        into_english(inquiries[0])

    assert Inquiry.objects.filter(status="forwarded").count() == 3
    assert set(Notification.objects.values_list("status", "attempts")) == {(N.PENDING, 1)}
    assert smtp.inbox.messages == []

    smtp.start()
    assert outbox.dispatch_due(now=later()) == {"sent": 4}
    assert outbox.dispatch_due(now=later(48)) == {}
    assert sorted(m["Subject"].split(":")[0] for m in smtp.inbox.messages) == sorted(
        [f"New inquiry #{i.pk} from a buyer in China" for i in inquiries] + [f"Inquiry #{inquiries[0].pk}"]
    )


# WeChat to the buyer.


def test_answer_sends_a_subscribe_message_after_commit(
    signed_in_buyer, product, alice, staff, wechat, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # sent in-process after commit (no Celery worker runs in tests)
    inquiry = ask(signed_in_buyer, product)
    forward(inquiry, staff)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        answer(inquiry, alice, staff)
        assert wechat.call("GET", "messages") == []  # nothing leaves inside the transaction
    assert callbacks

    [sent] = wechat.call("GET", "messages")
    assert sent["touser"] == signed_in_buyer.openid
    assert sent["template_id"] == "tmpl-inquiry-reply"
    assert sent["page"] == f"pages/inquiry/detail?id={inquiry.pk}"
    assert sent["data"]["thing1"] == {"value": "大溪地香草荚"}
    assert sent["data"]["character_string3"] == {"value": f"#{inquiry.pk}"}
    row = Notification.objects.get(channel="wechat")
    assert (row.status, row.attempts, row.recipient) == (N.SENT, 1, f"buyer:{signed_in_buyer.pk}")
    assert signed_in_buyer.openid not in str(row.payload)


def test_long_product_names_are_cut_to_wechats_thing_rule(signed_in_buyer, verified_exporter, alice, staff, wechat):
    product = factories.ProductFactory(
        published=True, exporter=verified_exporter, name_zh_hans="斐济有机认证特级大溪地香草荚真空包装出口级"
    )
    inquiry = ask(signed_in_buyer, product)
    forward(inquiry, staff)
    answer(inquiry, alice, staff)
    assert outbox.dispatch_due() == {"sent": 1}
    [sent] = wechat.call("GET", "messages")
    assert sent["data"]["thing1"]["value"] == product.name_zh_hans[:19] + "…"
    assert len(sent["data"]["thing1"]["value"]) == 20


def test_wechat_down_then_back_delivers_once(signed_in_buyer, product, alice, staff, wechat):
    wechat.fault(SUBSCRIBE_PATH, "http500", count=1)
    wechat.fault(SUBSCRIBE_PATH, "busy", count=1)
    inquiry = ask(signed_in_buyer, product)
    forward(inquiry, staff)
    answer(inquiry, alice, staff)
    row = Notification.objects.get(channel="wechat")

    assert outbox.dispatch_one(row.pk) == N.PENDING
    assert outbox.dispatch_one(row.pk, now=later()) == N.PENDING
    row.refresh_from_db()
    assert (row.attempts, "WeChatUnavailable" in row.last_error) == (2, True)
    assert wechat.call("GET", "messages") == []

    assert outbox.dispatch_one(row.pk, now=later(6)) == N.SENT
    assert outbox.dispatch_due(now=later(48)) == {}
    assert len(wechat.call("GET", "messages")) == 1


def test_buyer_who_refused_is_not_retried(policy, product, alice, staff, wechat):
    wechat.call("POST", "config", {"subscribe_mode": "credits"})  # no subscription: WeChat answers 43101
    buyer, *_ = buyer_sign_in(code="valid-chen#1")
    buyer = buyer_consent(buyer=buyer, policy_version=policy.version)
    inquiry = ask(buyer, product)
    forward(inquiry, staff)
    answer(inquiry, alice, staff)
    row = Notification.objects.get(channel="wechat")

    assert outbox.dispatch_one(row.pk) == N.FAILED
    row.refresh_from_db()
    assert row.attempts == 1
    assert "wechat_subscribe_refused" in row.last_error and "43101" in row.last_error
    assert outbox.dispatch_due(now=later(72)) == {}
    assert len(wechat.requests(SUBSCRIBE_PATH)) == 1


def test_buyer_who_subscribed_gets_it(policy, product, alice, staff, wechat):
    wechat.call("POST", "config", {"subscribe_mode": "credits"})
    buyer, *_ = buyer_sign_in(code="valid-chen#2")
    buyer = buyer_consent(buyer=buyer, policy_version=policy.version)
    wechat.call("POST", "subscriptions", {"openid": buyer.openid, "template_id": "tmpl-inquiry-reply", "count": 1})
    inquiry = ask(buyer, product)
    forward(inquiry, staff)
    answer(inquiry, alice, staff)
    assert outbox.dispatch_one(Notification.objects.get(channel="wechat").pk) == N.SENT


def test_no_template_configured_sends_nothing(signed_in_buyer, product, alice, staff, settings):
    settings.WECHAT_TEMPLATE_INQUIRY_ANSWERED = ""
    inquiry = ask(signed_in_buyer, product)
    forward(inquiry, staff)
    answer(inquiry, alice, staff)
    assert not Notification.objects.filter(channel="wechat").exists()


def test_a_bad_field_mapping_fails_without_retry(signed_in_buyer, product, alice, staff, settings, wechat):
    settings.WECHAT_TEMPLATE_INQUIRY_ANSWERED_FIELDS = {"thing1": "product", "time2": "exporter"}  # time needs a digit
    inquiry = ask(signed_in_buyer, product)
    forward(inquiry, staff)
    answer(inquiry, alice, staff)
    row = Notification.objects.get(channel="wechat")
    assert outbox.dispatch_one(row.pk) == N.FAILED
    row.refresh_from_db()
    assert "wechat_message_invalid" in row.last_error
    assert wechat.requests(SUBSCRIBE_PATH) == []  # caught before WeChat was asked


def test_deleting_the_account_cancels_waiting_messages_and_leaves_no_openid(
    signed_in_buyer, product, alice, staff, wechat
):
    wechat.fault(SUBSCRIBE_PATH, "http500", count=1)
    inquiry = ask(signed_in_buyer, product)
    forward(inquiry, staff)
    answer(inquiry, alice, staff)
    row = Notification.objects.get(channel="wechat")
    assert outbox.dispatch_one(row.pk) == N.PENDING
    openid = signed_in_buyer.openid

    buyer_delete(buyer=signed_in_buyer)

    row.refresh_from_db()
    assert row.status == N.CANCELLED
    assert outbox.dispatch_due(now=later()) == {}
    assert wechat.call("GET", "messages") == []
    assert not Notification.objects.filter(recipient__contains=openid).exists()
    assert not any(openid in str(payload) for payload in Notification.objects.values_list("payload", flat=True))


def test_a_row_sent_after_the_account_is_gone_fails_for_good(signed_in_buyer, product, alice, staff, wechat):
    inquiry = ask(signed_in_buyer, product)
    forward(inquiry, staff)
    answer(inquiry, alice, staff)
    row = Notification.objects.get(channel="wechat")
    # A row a dispatcher had already claimed when the account was deleted.
    Notification.objects.filter(pk=row.pk).update(status=N.SENDING, attempts=1)
    buyer_delete(buyer=signed_in_buyer)
    assert outbox.dispatch_one(row.pk, now=later()) == N.FAILED
    row.refresh_from_db()
    assert row.last_error == "the buyer's account no longer exists"
    assert wechat.requests(SUBSCRIBE_PATH) == []


@pytest.mark.django_db(transaction=True)
def test_a_database_blip_after_a_subscribe_message_does_not_send_it_again(
    signed_in_buyer, product, alice, staff, wechat, settings, postgres, monkeypatch
):
    """The dispatcher's PostgreSQL connection is killed right after WeChat took the message
    (before the outbox records it): recorded as sent on a new connection, never sent again."""
    settings.CELERY_TASK_ALWAYS_EAGER = False  # dispatched below, by hand
    inquiry = ask(signed_in_buyer, product)
    forward(inquiry, staff)
    answer(inquiry, alice, staff)
    row = Notification.objects.get(channel="wechat")
    dispatcher_pid = backend_pid()
    send = outbox._senders[Notification.Channel.WECHAT]

    def send_then_blip(notification):
        send(notification)
        terminate_backend(dispatcher_pid)

    monkeypatch.setitem(outbox._senders, Notification.Channel.WECHAT, send_then_blip)
    assert outbox.dispatch_one(row.pk) == N.SENT
    monkeypatch.setitem(outbox._senders, Notification.Channel.WECHAT, send)

    row.refresh_from_db()
    assert (row.status, row.attempts) == (N.SENT, 1)
    assert outbox.dispatch_due(now=later()) == {}
    assert outbox.dispatch_one(row.pk, now=later()) is None
    assert len(wechat.call("GET", "messages")) == 1
