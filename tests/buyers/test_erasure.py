"""Deleting an account erases what the buyer wrote (messages, their translation, destination,
profile) from every table and, on SQLite, from the database files, while the inquiries'
business facts stay for the exporter, the staff and the agency's reports."""

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from inquiries import reports, services
from inquiries.models import Inquiry, Message
from pti_bridge.models import Notification
from tests import factories
from tests.buyers.test_apis import occurrences
from tests.conftest import sign_in_staff

pytestmark = pytest.mark.django_db

PHONE, NAME, PLACE = "13987654321", "李明远", "宁波北仑港"
NAME_EN, PLACE_EN = "Li Mingyuan", "Ningbo Beilun Port"  # the English staff wrote for the exporter
FACTS = (
    "product_id",
    "exporter_id",
    "quantity",
    "unit",
    "target_price",
    "currency",
    "status",
    "deal_value",
    "deal_currency",
    "deal_volume",
    "created_at",
    "forwarded_at",
    "answered_at",
    "closed_at",
)


@pytest.fixture
def thread(sign_in, staff, alice, verified_exporter):
    """A buyer's inquiry with their name and phone in it, translated by staff, forwarded
    (the exporter was e-mailed), answered by the exporter and closed as a deal won."""
    client, buyer, token = sign_in("wang")
    client.patch("/api/v1/me/", {"display_name": NAME, "company": f"{NAME}贸易"}, format="json")
    product = factories.ProductFactory(published=True, exporter=verified_exporter)
    body = {
        "product": product.pk,
        "quantity": "500",
        "unit": "kg",
        "message": f"我是{NAME}，电话 {PHONE}，请报价",
        "target_price": "12.50",
        "currency": "USD",
        "destination": PLACE,
        "share_contact": True,
    }
    inquiry = Inquiry.objects.get(pk=client.post("/api/v1/inquiries/", body, format="json").json()["id"])
    first = inquiry.messages.get()
    services.message_translate(message=first, translation=f"I am Li Mingyuan, phone {PHONE}.", actor=staff)
    services.inquiry_set_english(
        inquiry=inquiry,
        actor=staff,
        destination_en=PLACE_EN,
        buyer_name_en=NAME_EN,
        buyer_company_en=f"{NAME_EN} Trading",
    )
    services.inquiry_forward(inquiry=inquiry, actor=staff)
    assert client.post(f"/api/v1/inquiries/{inquiry.pk}/messages/", {"text": f"再说一次 {PHONE}"}).status_code == 201
    reply = services.message_post_by_exporter(inquiry=inquiry, text="Price is 11 USD/kg FOB Suva.", actor=alice)
    services.message_translate(message=reply, translation="价格为每公斤 11 美元，苏瓦离岸价。", actor=staff)
    services.inquiry_close_won(
        inquiry=inquiry, actor=staff, deal_value=Decimal("5500"), deal_currency="USD", deal_volume="500 kg"
    )
    assert occurrences(PHONE) and occurrences(PLACE) and occurrences(PLACE_EN)  # the search below can find them
    assert Notification.objects.filter(channel="email", payload__text__icontains=PLACE_EN).exists()
    return client, buyer, Inquiry.objects.get(pk=inquiry.pk)


def facts(inquiry: Inquiry) -> dict:
    return {name: getattr(inquiry, name) for name in FACTS}


def test_deleting_the_account_erases_what_the_buyer_wrote_and_keeps_the_business_facts(
    thread, django_capture_on_commit_callbacks
):
    client, buyer, inquiry = thread
    before = facts(inquiry)
    figures = {figure.key: figure.totals for figure in reports.dashboard()["figures"]}

    with django_capture_on_commit_callbacks(execute=True):
        assert client.delete("/api/v1/me/").status_code == 204

    assert occurrences(PHONE) == [] and occurrences(NAME) == [] and occurrences(PLACE) == []
    assert occurrences(PLACE_EN) == [] and occurrences(NAME_EN) == []
    inquiry.refresh_from_db()
    assert facts(inquiry) == before
    assert (inquiry.destination, inquiry.idempotency_key, inquiry.request_fingerprint) == ("", "", "")
    written = inquiry.messages.filter(author_role=Message.AuthorRole.BUYER)
    assert written.count() == 2
    assert all(message.is_erased and message.translation == "" for message in written)
    assert inquiry.messages.get(author_role=Message.AuthorRole.EXPORTER).text == "Price is 11 USD/kg FOB Suva."
    assert {figure.key: figure.totals for figure in reports.dashboard()["figures"]} == figures


def test_the_exporter_sees_in_english_that_the_buyer_deleted_it(thread, alice, client):
    api, buyer, inquiry = thread
    assert api.delete("/api/v1/me/").status_code == 204
    client.force_login(alice)

    page = client.get(f"/portal/inquiries/{inquiry.pk}/").content.decode()

    assert page.count("The buyer deleted this message with their account.") == 2
    assert "Deleted by the buyer" in page and "The buyer deleted their account" in page
    assert "Price is 11 USD/kg FOB Suva." in page
    assert PHONE not in page and NAME not in page


def test_staff_see_in_chinese_that_the_buyer_deleted_it_and_cannot_translate_it(thread, staff, client):
    api, buyer, inquiry = thread
    assert api.delete("/api/v1/me/").status_code == 204
    sign_in_staff(client, staff)

    page = client.get(f"/admin/inquiries/inquiry/{inquiry.pk}/change/", HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("买家删除账户时已删除此消息。") == 2
    assert "买家已删除账户，其填写的内容已清除。" in html and "（买家已随账户删除）" in html
    assert PHONE not in html and NAME not in html
    erased = inquiry.messages.filter(author_role=Message.AuthorRole.BUYER).first()
    with pytest.raises(services.InvalidTransition):
        services.message_translate(message=erased, translation="something", actor=staff)
    erased.refresh_from_db()
    assert erased.translation == ""
    queue = client.get("/admin/inquiries/inquiry/?queue=translate", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert f"/admin/inquiries/inquiry/{inquiry.pk}/change/" not in queue.content.decode()


# The database files: a real SQLite file in its own process, read byte by byte.

SCRIPT = """
import json, os, sys
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from django.test import Client
call_command("migrate", verbosity=0)
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode=WAL")  # as a deployment may run it: the log is a file of its own
from buyers.services import buyer_consent, token_issue
from buyers.models import PrivacyPolicy
from inquiries.models import Inquiry, Message
from tests import factories
marker = sys.argv[1]
policy = PrivacyPolicy.objects.current()
buyer = factories.BuyerFactory(display_name="买家" + marker, company="公司" + marker)
buyer = buyer_consent(buyer=buyer, policy_version=policy.version)
product = factories.ProductFactory(published=True)
inquiry = Inquiry.objects.create(buyer=buyer, product=product, exporter=product.exporter, quantity=5, unit="kg",
                                 destination="港口" + marker)
Message.objects.create(inquiry=inquiry, author_role="buyer", language="zh-hans", text="电话" + marker,
                       translation="phone " + marker)
plain, _token = token_issue(buyer=buyer)
if sys.argv[2] == "delete":
    status = Client(HTTP_HOST="localhost").delete("/api/v1/me/", HTTP_AUTHORIZATION="Bearer " + plain).status_code
else:
    status = 0
print(json.dumps({"status": status, "inquiries": Inquiry.objects.filter(quantity=5).count()}), flush=True)
sys.stdin.readline()  # a running server keeps its connection: the files are read meanwhile
"""


def run_on_sqlite_file(path: Path, marker: str, action: str) -> tuple[dict, bytes]:
    """Run SCRIPT on a SQLite file; its answer, and the files' bytes read while it still runs."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "DJANGO_SETTINGS_MODULE": "pti_bridge.settings"}
    env.pop("REDIS_URL", None)  # its own process: no shared cache db to flush
    process = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, marker, action],
        cwd=django_settings.BASE_DIR,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        assert line, process.stderr.read()[-3000:]
        seen = file_bytes(path)
        process.communicate("\n", timeout=60)
    finally:
        process.kill()
    return json.loads(line), seen


def file_bytes(path: Path) -> bytes:
    """The database file and what sits beside it (write-ahead log, shared memory, journal)."""
    return b"".join(p.read_bytes() for p in path.parent.iterdir() if p.name.startswith(path.name))


def test_no_copy_of_the_erased_text_is_left_in_the_sqlite_files(tmp_path):
    marker = "ERASE-ME-4711"

    kept, kept_bytes = run_on_sqlite_file(tmp_path / "kept.sqlite3", marker, "keep")
    erased, erased_bytes = run_on_sqlite_file(tmp_path / "erased.sqlite3", marker, "delete")

    # The same rows, not deleted, are readable in the files: the search below can see them.
    assert kept == {"status": 0, "inquiries": 1} and marker.encode() in kept_bytes
    assert erased == {"status": 204, "inquiries": 1}
    assert marker.encode() not in erased_bytes
