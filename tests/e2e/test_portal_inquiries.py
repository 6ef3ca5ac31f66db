"""The exporter's inquiry thread in a real browser on a 390 px phone: everything in English
(destination, buyer, price per unit), PTI's message to the exporter shown, notes and PTI's
messages to the buyer never; the exporter's reply waits for PTI's translation, as it says."""

import re

import pytest
from django.utils import timezone

from inquiries import services
from tests.e2e.test_portal import ARTIFACTS, browser, exporter_sign_in  # noqa: F401 - `browser` is a fixture
from tests.factories import BuyerFactory, InquiryFactory, MessageFactory, ProductFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
CHINESE = re.compile(r"[\u3400-\u9fff]")


def test_the_exporter_reads_the_thread_in_english_on_a_phone(browser, live_server, verified_exporter, alice, staff):  # noqa: F811
    product = ProductFactory(published=True, exporter=verified_exporter, name_en="Tahitian vanilla beans")
    buyer = BuyerFactory(display_name="钱女士", company="上海香料进口有限公司")
    inquiry = InquiryFactory(
        product=product,
        buyer=buyer,
        status="forwarded",
        forwarded_at=timezone.now(),
        share_contact=True,
        destination="上海洋山港",
        destination_en="Shanghai Yangshan Port",
        buyer_name_en="Ms Qian",
        buyer_company_en="Shanghai Spice Imports Co.",
        target_price=6,
        currency="USD",
    )
    question = MessageFactory(inquiry=inquiry, text="请问每公斤的到岸价是多少？")
    services.message_translate(message=question, translation="What is the CIF price per kg?", actor=staff)
    services.note_add(inquiry=inquiry, text="内部：老客户", actor=staff)
    services.message_post_by_staff(inquiry=inquiry, addressed_to="buyer", text="您好，已转给供应商。", actor=staff)
    services.message_post_by_staff(
        inquiry=inquiry, addressed_to="exporter", text="The buyer imports about 2 t a year.", actor=staff
    )
    MessageFactory(inquiry=inquiry, text="能寄样品吗？")  # not translated yet

    page = exporter_sign_in(browser, live_server, alice)

    page.goto(f"{live_server.url}/portal/inquiries/")
    assert "target USD\xa06\xa0per\xa0kg · to Shanghai Yangshan Port" in page.inner_text("main")
    page.screenshot(path=str(ARTIFACTS / "portal-inbox.png"), full_page=True)

    page.click(f"text=#{inquiry.pk} · Tahitian vanilla beans")
    card = page.inner_text("dl.card")
    assert "USD 6 per kg" in card and "Shanghai Yangshan Port" in card
    assert "Ms Qian, Shanghai Spice Imports Co." in card
    thread = page.inner_text("ol.thread")
    assert "What is the CIF price per kg?" in thread and "Translated by PTI" in thread
    assert "The buyer imports about 2 t a year." in thread
    assert "PTI is translating this message into English." in thread
    assert not CHINESE.search(page.inner_text("main"))  # no note, no message to the buyer, no Chinese

    page.fill("#id_text", "USD 6.50 per kg CIF Shanghai, 4 weeks from order.")
    page.click("button:has-text('Send reply')")
    assert "PTI translates it for the buyer." in page.inner_text(".msg")
    assert "PTI is translating it for the buyer." in page.inner_text("ol.thread li.m-exporter")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    page.screenshot(path=str(ARTIFACTS / "portal-inquiry-thread.png"), full_page=True)
