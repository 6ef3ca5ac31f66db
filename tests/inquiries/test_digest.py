"""The daily staff digest: content, recipients, once a day, through the outbox to a real SMTP server."""

import threading
from datetime import UTC, datetime, timedelta
from email.header import decode_header, make_header
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from inquiries import digest
from pti_bridge.models import Notification
from tests import factories, smtp_server
from tests.inquiries import reports_data
from tests.inquiries.reports_data import BEIJING, NOW

pytestmark = pytest.mark.django_db

smtp = smtp_server.smtp  # the fixture: a real SMTP server on loopback


@pytest.fixture
def recipients(staff):
    """Two staff who get the digest; an inactive one, one without an address and an exporter who do not."""
    factories.StaffFactory(email="zhang.min@pti.example", is_superuser=True)
    factories.StaffFactory(email="gone@pti.example", is_active=False)
    factories.StaffFactory(username="no-address", email="")
    factories.UserFactory(email="exporter@vanua.example")
    return ["li.wei@pti.example", "zhang.min@pti.example"]


def subject_of(message) -> str:
    return " ".join(str(make_header(decode_header(message["Subject"]))).split())  # unfolded


def parts(message) -> dict:
    return {
        part.get_content_type(): part.get_payload(decode=True).decode(part.get_content_charset())
        for part in message.walk()
        if not part.is_multipart()
    }


def test_digest_text_lists_new_waiting_and_overdue_inquiries():
    data = reports_data.build()
    pk = {key: rows[0].pk for key, rows in data.inquiries.items()}
    from django.utils import translation

    with translation.override("en"):
        subject, text, html = digest.render_digest(digest.digest_context(NOW))
    assert subject == "PTI Bridge daily digest 2026-06-17: 2 new inquiries, 3 to screen, 3 answers overdue"
    site = settings.SITE_URL
    assert text == (
        "PTI Bridge daily digest for 2026-06-17\n\n"
        "New inquiries in the last 24 hours: 2\n"
        f"- #{pk[12]} Kava powder (Vava'u Kava Growers, Tonga), 500 kg -> 上海 [Screening]\n"
        f"  {site}/admin/inquiries/inquiry/{pk[12]}/change/\n"
        f"- #{pk[13]} Yellowfin tuna (Apia Fisheries, Samoa), 500 kg -> 上海 [New]\n"
        f"  {site}/admin/inquiries/inquiry/{pk[13]}/change/\n\n"
        "Waiting for screening: 3\n"
        f"- #{pk[11]} Vanilla beans (Taveuni Vanilla Co), received 2026-06-01 10:00\n"
        f"- #{pk[12]} Kava powder (Vava'u Kava Growers), received 2026-06-16 20:00\n"
        f"- #{pk[13]} Yellowfin tuna (Apia Fisheries), received 2026-06-17 09:30\n"
        f"{site}/admin/inquiries/inquiry/?status__in=new%2Cscreening\n\n"
        "Answers overdue (more than 2 working days): 3\n"
        f"- #{pk[7]} Vanilla beans (Taveuni Vanilla Co), forwarded 2026-06-12 10:00, due 2026-06-16 10:00, "
        "1 working day late\n"
        f"  {site}/admin/inquiries/inquiry/{pk[7]}/change/\n"
        f"- #{pk[10]} Vanilla beans (Taveuni Vanilla Co), forwarded 2026-06-13 12:00, due 2026-06-17 00:00, "
        "0 working days late\n"
        f"  {site}/admin/inquiries/inquiry/{pk[10]}/change/\n"
        f"- #{pk[8]} Kava powder (Vava'u Kava Growers), forwarded 2026-06-15 09:00, due 2026-06-17 09:00, "
        "0 working days late\n"
        f"  {site}/admin/inquiries/inquiry/{pk[8]}/change/\n"
        f"{site}/admin/inquiries/inquiry/?queue=overdue&status__exact=forwarded\n\n"
        f"Back office: {site}/admin/\n"
    )
    assert f'<a href="{site}/admin/inquiries/inquiry/{pk[7]}/change/">#{pk[7]}</a>' in html
    assert "<td>Vava&#x27;u Kava Growers (Tonga)</td>" in html  # escaped in HTML
    # Nothing about buyers beyond what staff see in the queue.
    assert data.inquiries[12][0].buyer.display_name not in text + html


def test_digest_is_sent_once_a_day_to_each_active_staff_address(smtp, recipients, django_capture_on_commit_callbacks):
    reports_data.build()
    with django_capture_on_commit_callbacks(execute=True):
        first = digest.send_staff_digest(now=NOW, language="en")
    assert (first.day, first.sent, first.already_sent) == ("2026-06-17", recipients, [])
    assert sorted(message["To"] for message in smtp.inbox.messages) == recipients
    message = smtp.inbox.messages[0]
    assert subject_of(message) == "PTI Bridge daily digest 2026-06-17: 2 new inquiries, 3 to screen, 3 answers overdue"
    body = parts(message)
    assert sorted(body) == ["text/html", "text/plain"]
    assert (
        body["text/plain"]
        .replace("\r\n", "\n")
        .startswith("PTI Bridge daily digest for 2026-06-17\n\nNew inquiries in the last 24 hours: 2\n")
    )
    assert "上海" in body["text/plain"] and "<h1" in body["text/html"]
    rows = Notification.objects.filter(kind="staff_digest").order_by("recipient")
    assert [(row.recipient, row.status, row.payload["digest_date"]) for row in rows] == [
        ("li.wei@pti.example", "sent", "2026-06-17"),
        ("zhang.min@pti.example", "sent", "2026-06-17"),
    ]

    # Again the same day (beat twice, or by hand later in the day): nothing more is sent.
    with django_capture_on_commit_callbacks(execute=True):
        again = digest.send_staff_digest(now=NOW + timedelta(hours=13), language="en")
    assert (again.sent, again.already_sent) == ([], recipients)
    assert Notification.objects.filter(kind="staff_digest").count() == 2
    assert len(smtp.inbox.messages) == 2

    # The next day (Beijing's day begins at 16:00 UTC) the digest goes out again.
    next_day = datetime(2026, 6, 17, 16, 0, tzinfo=UTC)
    assert next_day.astimezone(BEIJING).date().isoformat() == "2026-06-18"
    with django_capture_on_commit_callbacks(execute=True):
        tomorrow = digest.send_staff_digest(now=next_day, language="en")
    assert (tomorrow.day, tomorrow.sent) == ("2026-06-18", recipients)
    assert len(smtp.inbox.messages) == 4


def test_a_new_staff_member_gets_the_days_digest_others_do_not_get_it_twice(recipients):
    reports_data.build()
    digest.send_staff_digest(now=NOW)
    factories.StaffFactory(email="wang.fang@pti.example")
    result = digest.send_staff_digest(now=NOW + timedelta(hours=1))
    assert (result.sent, result.already_sent) == (["wang.fang@pti.example"], recipients)


def test_nothing_waiting_sends_nothing(recipients):
    result = digest.send_staff_digest(now=NOW)
    assert result.nothing_to_report
    assert not Notification.objects.exists()


def test_digest_is_in_chinese_by_default(recipients):
    reports_data.build()
    digest.send_staff_digest(now=NOW)
    payload = Notification.objects.filter(kind="staff_digest").first().payload
    assert payload["subject"] == "PTI Bridge 每日摘要 2026-06-17：2 条新询盘，3 条待筛选，3 条回复逾期"
    assert "汤加" in payload["text"] and "卡瓦粉" in payload["text"]
    assert '<html lang="zh-hans">' in payload["html"]


def test_command_sends_once_and_says_so(recipients, monkeypatch):
    reports_data.build()
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    out = StringIO()
    call_command("send_staff_digest", stdout=out)
    call_command("send_staff_digest", "--language", "en", stdout=out)
    assert out.getvalue() == (
        "2026-06-17: digest queued for 2 recipient(s); 0 already had today's.\n"
        "2026-06-17: digest queued for 0 recipient(s); 2 already had today's.\n"
    )
    assert Notification.objects.filter(kind="staff_digest").count() == 2


def test_celery_task_and_beat_entry_at_nine_in_beijing(recipients, monkeypatch):
    from inquiries.tasks import send_staff_digest
    from pti_bridge.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["staff-digest"]
    assert entry["task"] == send_staff_digest.name == "inquiries.tasks.send_staff_digest"
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
    schedule = entry["schedule"]
    assert settings.CELERY_TIMEZONE == "UTC"
    assert (schedule.hour, schedule.minute) == ({1}, {0})
    assert datetime(2026, 6, 17, 1, 0, tzinfo=UTC).astimezone(BEIJING).strftime("%H:%M") == "09:00"

    reports_data.build()
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    send_staff_digest.apply()
    send_staff_digest.apply()
    assert Notification.objects.filter(kind="staff_digest").count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_recipient_one_digest(postgres, recipients):
    reports_data.build()
    barrier = threading.Barrier(2)
    results = []

    def run():
        try:
            barrier.wait()
            results.append(digest.send_staff_digest(now=NOW))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(len(result.sent) for result in results) == [0, 2]
    assert sorted(Notification.objects.filter(kind="staff_digest").values_list("recipient", flat=True)) == recipients
