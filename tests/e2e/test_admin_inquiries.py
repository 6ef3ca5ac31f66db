"""The staff's inquiry workflow in the admin, in a real browser (Debian's Chromium, Playwright).

Staff open the queue (oldest waiting first, the overdue one marked; a screenshot goes to
test-artifacts/admin-inquiry-queue.png), take a new inquiry up, translate the buyer's
question, add a note and forward it; then translate an exporter's answer, which sends the
buyer a subscribe message through the WeChat stand-in, and close the deal as won.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from inquiries import services
from inquiries.models import Inquiry
from tests.e2e.test_portal import ARTIFACTS, browser, staff_sign_in  # noqa: F401 - `browser` is a fixture
from tests.factories import BuyerFactory, InquiryFactory, MessageFactory, ProductFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def queue(verified_exporter, alice, wechat):
    """Four inquiries: one forwarded ten days ago (overdue), a new one, one answered and waiting for
    its translation, one won. The answered one's buyer is a stand-in WeChat user."""
    now = timezone.now()
    product = ProductFactory(
        published=True, exporter=verified_exporter, name_en="Tahitian vanilla beans", name_zh_hans="大溪地香草荚"
    )
    overdue = InquiryFactory(product=product, status="forwarded", destination="广州")
    Inquiry.objects.filter(pk=overdue.pk).update(
        created_at=now - timedelta(days=12), forwarded_at=now - timedelta(days=10)
    )
    MessageFactory(inquiry=overdue, text="能否提供样品？", translation="Could you send samples?")
    new = InquiryFactory(product=product, destination="上海")
    MessageFactory(inquiry=new, text="请问每公斤的到岸价是多少？")
    buyer = BuyerFactory(openid=wechat.identity("zhao")["openid"], display_name="赵先生")
    answered = InquiryFactory(product=product, buyer=buyer, status="answered", destination="深圳")
    Inquiry.objects.filter(pk=answered.pk).update(forwarded_at=now - timedelta(days=1), answered_at=now)
    MessageFactory(inquiry=answered, text="有现货吗？", translation="Do you have stock?")
    MessageFactory(inquiry=answered, author_role="exporter", text="Yes, 2 tonnes ready to ship.", language="en")
    won = InquiryFactory(product=product, status="closed_won", deal_value=9000, deal_currency="USD", deal_volume="1 t")
    return {"overdue": overdue, "new": new, "answered": answered, "won": won}


def test_staff_work_the_inquiry_queue(browser, live_server, settings, staff, queue, wechat):  # noqa: F811
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the outbox sends in-process after each commit
    settings.INQUIRY_RESPONSE_TARGET_WORKING_DAYS = 2
    page = staff_sign_in(browser, live_server, staff)

    # The queue: oldest waiting first, the overdue one marked.
    page.goto(f"{live_server.url}/admin/inquiries/inquiry/")
    rows = page.locator("#result_list tbody tr")
    order = [
        int(href.rstrip("/").split("/")[-2])
        for href in rows.locator("th a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    ]
    assert order == [queue["overdue"].pk, queue["new"].pk, queue["answered"].pk, queue["won"].pk]
    assert rows.nth(0).locator(".inquiry-overdue").count() == 1
    assert page.locator(".inquiry-overdue").count() == 1
    assert rows.nth(2).locator(".inquiry-untranslated").inner_text() == "1"
    page.screenshot(path=str(ARTIFACTS / "admin-inquiry-queue.png"), full_page=True)

    # A new inquiry: screen, translate, note, forward.
    new = queue["new"]
    page.goto(f"{live_server.url}/admin/inquiries/inquiry/{new.pk}/change/")
    page.click("form.workflow-screen button")
    assert "Take up for screening, done." in page.locator(".messagelist").inner_text()
    question = new.messages.get()
    page.fill(f"#message-{question.pk} textarea[name=translation]", "What is the CIF price per kg?")
    page.click(f"#message-{question.pk} form.translate-form button")
    page.fill("form.note-form textarea[name=text]", "老客户，优先处理")
    page.click("form.note-form button")
    assert page.locator(".m-note").inner_text().count("老客户，优先处理") == 1
    page.click("form.workflow-forward button")
    assert "Forward to the exporter, done." in page.locator(".messagelist").inner_text()
    new.refresh_from_db()
    assert (new.status, new.assigned_to) == ("forwarded", staff)
    assert [m.to for m in mail.outbox] == [["alice@vanua.example"]]
    assert "老客户" not in mail.outbox[0].body

    # A refused action is a message, and nothing changes: forward it again from another tab's stale page.
    stale = staff_sign_in(browser, live_server, staff)
    stale.goto(f"{live_server.url}/admin/inquiries/inquiry/{queue['overdue'].pk}/change/")
    Inquiry.objects.filter(pk=queue["overdue"].pk).update(status="spam")
    stale.click("form.workflow-mark_spam button")
    assert "is spam; it cannot be marked as spam." in stale.locator(".messagelist .error").inner_text()

    # The exporter's answer: translate it; the buyer gets a subscribe message.
    answered = queue["answered"]
    reply = answered.messages.get(author_role="exporter")
    page.goto(f"{live_server.url}/admin/inquiries/inquiry/{answered.pk}/change/")
    page.fill(f"#message-{reply.pk} textarea[name=translation]", "有，2吨现货可以发货。")
    page.click(f"#message-{reply.pk} form.translate-form button")
    [subscribe] = wechat.call("GET", "messages")
    assert subscribe["touser"] == answered.buyer.openid
    assert subscribe["data"]["thing1"] == {"value": "大溪地香草荚"}

    # Close the deal as won.
    page.fill("form.workflow-close_won input[name=deal_value]", "24000")
    page.select_option("form.workflow-close_won select[name=deal_currency]", "USD")
    page.fill("form.workflow-close_won input[name=deal_volume]", "2 t")
    page.click("form.workflow-close_won button")
    assert "is closed as won." in page.locator(".messagelist").inner_text()
    page.screenshot(path=str(ARTIFACTS / "admin-inquiry-thread.png"), full_page=True)
    answered.refresh_from_db()
    assert (answered.status, str(answered.deal_value), answered.deal_volume) == ("closed_won", "24000.00", "2 t")


def test_staff_mediate_in_chinese(browser, live_server, settings, staff, verified_exporter, alice, wechat):  # noqa: F811
    """In Chinese at 1280 px: forwarding untranslated is refused and nothing changes; staff put
    the destination into English (pinyin offered), translate, forward, write to both sides, and
    release the exporter's answer, which only then tells the buyer through WeChat."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    product = ProductFactory(published=True, exporter=verified_exporter, name_en="Tahitian vanilla beans")
    buyer = BuyerFactory(openid=wechat.identity("qian")["openid"], display_name="钱女士")
    inquiry = InquiryFactory(
        product=product, buyer=buyer, destination="上海洋山港", destination_en="", target_price=6, currency="USD"
    )
    question = MessageFactory(inquiry=inquiry, text="请问每公斤的到岸价是多少？")
    page = staff_sign_in(browser, live_server, staff, locale="zh-CN")
    url = f"{live_server.url}/admin/inquiries/inquiry/{inquiry.pk}/change/"
    page.goto(url)

    assert "目的地的英文" in page.locator("ul.english-missing").inner_text()
    assert page.input_value("#id_destination_en") == "Shang Hai Yang Shan Gang"
    page.screenshot(path=str(ARTIFACTS / "admin-inquiry-mediation-before.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280  # no sideways scrolling

    page.click("form.workflow-forward button")
    assert "暂不能转发：出口商只读英文" in page.locator(".messagelist .error").inner_text()
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.forwarded_at, len(mail.outbox)) == ("new", None, 0)

    page.fill("#id_destination_en", "Shanghai Yangshan Port")
    page.click("form.english-form button")
    page.fill(f"#message-{question.pk} textarea[name=translation]", "What is the CIF price per kg?")
    page.click(f"#message-{question.pk} form.translate-form button")
    assert "出口商看到的内容均已是英文" in page.locator(".english-ready").inner_text()
    page.click("form.workflow-forward button")
    assert "已完成“转给出口商”" in page.locator(".messagelist .success").inner_text()
    [forwarded] = mail.outbox
    assert "Destination: Shanghai Yangshan Port" in forwarded.body and "上海" not in forwarded.body

    page.fill("#write-exporter-text", "The buyer would like a CIF Shanghai price.")
    page.click("form.write-exporter button")
    page.fill("#write-buyer-text", "您好，我们已把询盘转给供应商。")
    page.click("form.write-buyer button")
    page.fill("#note-text", "内部：买家是老客户")
    page.click("form.note-form button")
    assert [m.subject for m in mail.outbox][
        -1
    ] == f"Inquiry #{inquiry.pk}: a message from PTI about Tahitian vanilla beans"
    assert "The buyer would like a CIF Shanghai price." in mail.outbox[-1].body
    assert len(wechat.call("GET", "messages")) == 1  # PTI's message to the buyer

    # The exporter answers; the buyer hears nothing until staff translate it.
    answer = services.message_post_by_exporter(inquiry=inquiry, text="USD 6 per kg CIF Shanghai.", actor=alice)
    page.goto(url)
    assert "等待翻译：买家尚未看到" in page.locator(f"#message-{answer.pk} .waiting").inner_text()
    assert len(wechat.call("GET", "messages")) == 1
    page.fill(f"#message-{answer.pk} textarea[name=translation]", "每公斤6美元，上海到岸价。")
    page.click(f"#message-{answer.pk} form.translate-form button")
    assert len(wechat.call("GET", "messages")) == 2
    assert "已转给买家" in page.locator(f"#message-{answer.pk} .released").inner_text()
    page.screenshot(path=str(ARTIFACTS / "admin-inquiry-mediation.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
