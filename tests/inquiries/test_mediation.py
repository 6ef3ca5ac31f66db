"""Mediation as services: nothing crosses between the buyer's Chinese and the exporter's English
until staff translated it or sent it as written; staff write to either side in its language."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from buyers.services import buyer_delete
from inquiries import services
from inquiries.models import Inquiry, Message
from pti_bridge import outbox
from pti_bridge.audit import audit_trail
from pti_bridge.errors import InvalidTransition, RuleViolation
from pti_bridge.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db

S = Inquiry.Status
CHINESE = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture
def buyer():
    return factories.BuyerFactory(display_name="王经理", company="上海进口贸易有限公司")


@pytest.fixture
def inquiry(verified_exporter, alice, buyer):
    """A new inquiry as the buyer sends it: Chinese message, Chinese destination, contact shared."""
    inquiry = factories.InquiryFactory(
        product__exporter=verified_exporter,
        buyer=buyer,
        destination="上海洋山港",
        destination_en="",
        share_contact=True,
        target_price=6,
        currency="USD",
    )
    factories.MessageFactory(inquiry=inquiry, text="请问每公斤的到岸价是多少？")
    return inquiry


def snapshot(inquiry):
    return Inquiry.objects.values().get(pk=inquiry.pk), list(Message.objects.filter(inquiry=inquiry).values())


def email_texts():
    return [n.payload["text"] + n.payload["html"] + n.payload["subject"] for n in Notification.objects.all()]


def test_forwarding_untranslated_is_refused_and_changes_nothing(inquiry, staff):
    before = snapshot(inquiry)

    with pytest.raises(RuleViolation) as refused:
        services.inquiry_forward(inquiry=inquiry, actor=staff)

    assert (refused.value.code, refused.value.status_code) == ("translation_missing", 409)
    text = str(refused.value.message)
    for missing in ("the buyer's messages", "the destination in English", "name in English", "company in English"):
        assert missing in text
    assert snapshot(inquiry) == before  # status new, no forwarded_at: the reply deadline has not started
    assert not Notification.objects.exists()
    assert not audit_trail(inquiry).exists()


def test_forwarding_once_everything_is_in_english(inquiry, staff):
    assert services.english_suggestions(inquiry) == {
        "destination_en": "Shang Hai Yang Shan Gang",
        "buyer_name_en": "Wang Jing Li",
        "buyer_company_en": "Shang Hai Jin Kou Mao Yi You Xian Gong Si",
    }
    services.message_translate(message=inquiry.messages.get(), translation="What is the CIF price per kg?", actor=staff)
    with pytest.raises(RuleViolation) as refused:  # the message alone is not enough
        services.inquiry_forward(inquiry=inquiry, actor=staff)
    assert "the buyer's messages" not in str(refused.value.message)

    services.inquiry_set_english(
        inquiry=inquiry,
        actor=staff,
        destination_en="Shanghai Yangshan Port",
        buyer_name_en="Manager Wang",
        buyer_company_en="Shanghai Import Trading Co.",
    )
    services.inquiry_forward(inquiry=inquiry, actor=staff)

    inquiry.refresh_from_db()
    assert inquiry.status == S.FORWARDED and inquiry.forwarded_at is not None
    [email] = email_texts()
    assert "translated into English by PTI" in email
    assert "Destination: Shanghai Yangshan Port" in email
    assert "Buyer: Manager Wang, Shanghai Import Trading Co." in email
    assert "Target price: USD 6 per kg" in email
    assert not CHINESE.search(email)  # the exporter reads English only


def test_english_fields_refuse_chinese_and_change_nothing(inquiry, staff, alice):
    before = snapshot(inquiry)
    with pytest.raises(ValidationError) as refused:
        services.inquiry_set_english(inquiry=inquiry, actor=staff, destination_en="上海 Yangshan", buyer_name_en="Wang")
    assert list(refused.value.message_dict) == ["destination_en"]
    with pytest.raises(PermissionDenied):
        services.inquiry_set_english(inquiry=inquiry, actor=alice, destination_en="Shanghai")
    assert snapshot(inquiry) == before


def test_the_buyer_wrote_english_staff_send_it_as_written(verified_exporter, alice, staff):
    inquiry = factories.InquiryFactory(product__exporter=verified_exporter)
    message = factories.MessageFactory(inquiry=inquiry, text="Do you ship to Ningbo?", language="en")

    services.message_send_as_written(message=message, actor=staff)
    services.inquiry_forward(inquiry=inquiry, actor=staff)

    message.refresh_from_db()
    assert (message.sent_as_written, message.translation, message.translated_by) == (True, "", staff)
    [email] = email_texts()
    assert "written in English by the buyer" in email and "translated into English by PTI" not in email


def test_send_as_written_refusals_change_nothing(inquiry, staff, alice):
    chinese = inquiry.messages.get()
    note = services.note_add(inquiry=inquiry, text="内部", actor=staff)
    english = factories.MessageFactory(inquiry=inquiry, text="Hello", language="en")
    services.message_send_as_written(message=english, actor=staff)
    before = snapshot(inquiry)

    with pytest.raises(RuleViolation):
        services.message_send_as_written(message=chinese, actor=staff)  # Chinese must be translated
    with pytest.raises(InvalidTransition):
        services.message_send_as_written(message=english, actor=staff)  # already passed on
    with pytest.raises(InvalidTransition):
        services.message_send_as_written(message=note, actor=staff)
    with pytest.raises(PermissionDenied):
        services.message_send_as_written(message=chinese, actor=alice)
    assert snapshot(inquiry) == before


def test_a_follow_up_reaches_the_exporter_once_released(inquiry, staff, alice):
    Inquiry.objects.filter(pk=inquiry.pk).update(status=S.FORWARDED, destination_en="Shanghai")
    follow_up = factories.MessageFactory(inquiry=inquiry, text="Samples please", language="en")
    assert not Notification.objects.exists()

    services.message_send_as_written(message=follow_up, actor=staff)
    services.message_translate(message=follow_up, translation="Samples, please.", actor=staff)  # a correction

    assert [(n.kind, n.recipient) for n in Notification.objects.all()] == [("inquiry_buyer_wrote", alice.email)]
    assert "passed the message on to you in English" in email_texts()[0]


def test_the_exporters_answer_reaches_the_buyer_once_released(inquiry, staff, alice, settings):
    settings.WECHAT_TEMPLATE_INQUIRY_ANSWERED = "tmpl-answer"
    Inquiry.objects.filter(pk=inquiry.pk).update(status=S.FORWARDED)
    answer = services.message_post_by_exporter(inquiry=inquiry, text="USD 6 per kg CIF.", actor=alice)
    assert not Notification.objects.filter(channel="wechat").exists()  # not before staff translated it

    services.message_translate(message=answer, translation="每公斤6美元，到岸价。", actor=staff)
    services.message_translate(message=answer, translation="每公斤 6 美元（到岸价）。", actor=staff)
    with pytest.raises(InvalidTransition):
        services.message_send_as_written(message=answer, actor=staff)

    [wechat] = Notification.objects.filter(channel="wechat")
    assert (wechat.kind, wechat.recipient) == ("inquiry_answered", f"buyer:{inquiry.buyer_id}")


def test_staff_write_to_the_buyer_in_chinese(inquiry, staff, settings):
    settings.WECHAT_TEMPLATE_INQUIRY_ANSWERED = "tmpl-answer"
    message = services.message_post_by_staff(
        inquiry=inquiry, addressed_to="buyer", text=" 您好，我们正在联系供应商。 ", actor=staff
    )
    assert (message.author_role, message.addressed_to, message.language, message.text, message.is_internal) == (
        "staff",
        "buyer",
        "zh-hans",
        "您好，我们正在联系供应商。",
        False,
    )
    [wechat] = Notification.objects.all()
    assert wechat.recipient == f"buyer:{inquiry.buyer_id}"
    assert audit_trail(inquiry).get().action == "message_posted_by_staff"


def test_staff_write_to_the_exporter_in_english_by_email(inquiry, staff, alice):
    Inquiry.objects.filter(pk=inquiry.pk).update(status=S.ANSWERED, destination_en="Shanghai Yangshan Port")
    services.message_post_by_staff(
        inquiry=inquiry, addressed_to="exporter", text="The buyer asks for a CIF Shanghai price.", actor=staff
    )
    [email] = Notification.objects.all()
    assert (email.kind, email.recipient) == ("inquiry_staff_wrote", alice.email)
    assert "The buyer asks for a CIF Shanghai price." in email.payload["text"]
    assert "The buyer asks for a CIF Shanghai price." in email.payload["html"]


@pytest.mark.parametrize(
    ("status", "addressed_to", "text", "error"),
    [
        ("answered", "exporter", "价格 USD 6", ValidationError),  # Chinese to the exporter
        ("answered", "buyer", "Hello", ValidationError),  # English to the buyer
        ("answered", "nobody", "Hello", ValidationError),
        ("answered", "buyer", "   ", ValidationError),
        ("new", "exporter", "Hello", InvalidTransition),  # not with the exporter yet
        ("closed_lost", "buyer", "您好", InvalidTransition),
        ("spam", "exporter", "Hello", InvalidTransition),
    ],
)
def test_staff_messages_refused_change_nothing(inquiry, staff, status, addressed_to, text, error):
    Inquiry.objects.filter(pk=inquiry.pk).update(status=status)
    before = snapshot(inquiry)
    with pytest.raises(error):
        services.message_post_by_staff(inquiry=inquiry, addressed_to=addressed_to, text=text, actor=staff)
    assert snapshot(inquiry) == before
    assert not Notification.objects.exists()


def test_only_staff_write_as_pti(inquiry, alice):
    with pytest.raises(PermissionDenied):
        services.message_post_by_staff(inquiry=inquiry, addressed_to="buyer", text="您好", actor=alice)
    assert inquiry.messages.count() == 1


def test_staff_messages_are_not_translated(inquiry, staff):
    message = services.message_post_by_staff(inquiry=inquiry, addressed_to="buyer", text="您好", actor=staff)
    with pytest.raises(InvalidTransition):
        services.message_translate(message=message, translation="Hello", actor=staff)


def test_deleting_the_account_erases_the_english_of_the_buyers_words(inquiry, staff, buyer):
    services.inquiry_set_english(
        inquiry=inquiry, actor=staff, destination_en="Yangshan", buyer_name_en="Wang", buyer_company_en="SITC"
    )
    buyer_delete(buyer=buyer)
    inquiry.refresh_from_db()
    assert (inquiry.destination, inquiry.destination_en, inquiry.buyer_name_en, inquiry.buyer_company_en) == (
        "",
        "",
        "",
        "",
    )
    assert services.english_missing(inquiry) == []  # nothing left to put into English


def test_an_email_waiting_in_the_outbox_is_sent_once(inquiry, staff, alice, mailoutbox):
    Inquiry.objects.filter(pk=inquiry.pk).update(status=S.FORWARDED, destination_en="Shanghai")
    follow_up = factories.MessageFactory(inquiry=inquiry, text="能寄样品吗？")
    services.message_translate(message=follow_up, translation="Can you send samples?", actor=staff)
    assert outbox.dispatch_due() == {"sent": 1}
    assert outbox.dispatch_due() == {}
    assert len(mailoutbox) == 1


def test_without_screening_releasing_the_last_held_message_forwards(verified_exporter, alice, staff):
    services.inquiry_policy_set(screening_required=False, actor=staff)
    inquiry = factories.InquiryFactory(product__exporter=verified_exporter)
    held = factories.MessageFactory(inquiry=inquiry, text="加我微信", screening=Message.Screening.REVIEW)
    services.message_translate(message=held, translation="Add me on WeChat", actor=staff)
    inquiry.refresh_from_db()
    assert inquiry.status == S.NEW  # held by the content check: not yet

    services.message_review(message=held, actor=staff, release=True)

    inquiry.refresh_from_db()
    assert inquiry.status == S.FORWARDED
    assert [n.kind for n in Notification.objects.all()] == ["inquiry_forwarded"]  # one e-mail, not two
