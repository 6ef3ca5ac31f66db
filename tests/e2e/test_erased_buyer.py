"""An inquiry whose buyer deleted the account, as the exporter (portal, English) and staff
(admin, Chinese) see it in a real browser: the business facts, and in place of what the buyer
wrote, that the buyer deleted it. Screenshots go to test-artifacts/erased-buyer-*.png."""

import pytest

from buyers.services import buyer_delete
from inquiries.models import Message
from tests.e2e.test_portal import (  # noqa: F401 - `browser` is a fixture
    ARTIFACTS,
    PASSWORD,
    browser,
    new_page,
    staff_sign_in,
)
from tests.factories import BuyerFactory, InquiryFactory, MessageFactory, ProductFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def erased(verified_exporter, alice):
    product = ProductFactory(published=True, exporter=verified_exporter, name_en="Tahitian vanilla beans")
    buyer = BuyerFactory(display_name="李明远")
    inquiry = InquiryFactory(
        product=product, buyer=buyer, status="answered", destination="宁波北仑港", share_contact=True, quantity=500
    )
    MessageFactory(inquiry=inquiry, text="我是李明远，电话 13987654321", translation="I am Li Mingyuan, 13987654321")
    MessageFactory(inquiry=inquiry, author_role="exporter", text="Price is 11 USD/kg FOB Suva.", language="en")
    buyer_delete(buyer=buyer)
    return inquiry


def test_the_exporter_and_staff_see_that_the_buyer_deleted_it(browser, live_server, alice, staff, erased):  # noqa: F811
    page = new_page(browser)
    page.goto(f"{live_server.url}/portal/sign-in/")
    page.fill("#id_username", alice.email)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.goto(f"{live_server.url}/portal/inquiries/{erased.pk}/")
    text = page.locator("main").inner_text()
    assert "The buyer deleted this message with their account." in text
    assert "Deleted by the buyer" in text and "500 kg" in text and "13987654321" not in text
    page.screenshot(path=str(ARTIFACTS / "erased-buyer-portal.png"), full_page=True)

    admin = staff_sign_in(browser, live_server, staff)
    admin.set_extra_http_headers({"Accept-Language": "zh-CN"})  # staff read the back office in Chinese
    admin.goto(f"{live_server.url}/admin/inquiries/inquiry/{erased.pk}/change/")
    html = admin.content()
    assert "买家删除账户时已删除此消息。" in html and "（买家已随账户删除）" in html
    assert "13987654321" not in html
    assert Message.objects.filter(inquiry=erased, author_role="buyer", text="").count() == 1
    admin.screenshot(path=str(ARTIFACTS / "erased-buyer-admin.png"), full_page=True)
