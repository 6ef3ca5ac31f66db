"""The fault drill's command line and its accounting (the drill itself runs for minutes: not in CI)."""

import importlib.util
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests import factories

DRILL_PATH = Path(__file__).resolve().parents[2] / "bench" / "fault_drill.py"
spec = importlib.util.spec_from_file_location("fault_drill", DRILL_PATH)
drill = importlib.util.module_from_spec(spec)
spec.loader.exec_module(drill)


def request(phase, status, retry_after=False, touched=True):
    return {"phase": phase, "touched": touched, "action": "read", "status": status, "retry_after": retry_after}


def test_help_names_the_options():
    result = subprocess.run([sys.executable, str(DRILL_PATH), "--help"], capture_output=True, text=True, timeout=60)

    assert result.returncode == 0
    for option in ("--duration", "--down", "--quick", "--drain", "--keep"):
        assert option in result.stdout


def test_acknowledged_writes_expect_one_notification_per_recipient():
    writes = [
        {"phase": "steady", "kind": "inquiry", "id": 7, "inquiry": 7, "expects": True},
        {"phase": "redis", "kind": "message", "id": 31, "inquiry": 7, "expects": True},
        {"phase": "postgres", "kind": "answer", "id": 32, "inquiry": 7, "expects": True},
        {"phase": "steady", "kind": "inquiry", "id": 8, "inquiry": 8, "expects": False},  # waits for staff
    ]
    addresses = {7: ["a@example.com", "b@example.com"], 8: ["c@example.com"]}

    expected = drill.expected_notifications(writes, addresses, {7: "openid-7", 8: "openid-8"})

    assert expected == {
        ("inquiry_forwarded", 7, "a@example.com"): writes[0],
        ("inquiry_forwarded", 7, "b@example.com"): writes[0],
        ("inquiry_buyer_wrote", 7, "a@example.com"): writes[1],
        ("inquiry_buyer_wrote", 7, "b@example.com"): writes[1],
        ("wechat", 7, "openid-7"): writes[2],
    }


def test_tally_counts_answers_losses_and_doubles_per_phase():
    requests = [
        request("postgres", 200),
        request("postgres", 304),
        request("postgres", 503, retry_after=True),
        request("postgres", 503),  # no Retry-After: a failure like a 500
        request("postgres", 500),
        request("postgres", 500, touched=False),  # PostgreSQL was back: it should have recovered
        request("postgres", None),
        request("redis", 201),
    ]
    writes = [
        {"phase": "postgres", "kind": "inquiry", "id": 1, "inquiry": 1, "expects": True},
        {"phase": "postgres", "kind": "message", "id": 2, "inquiry": 1, "expects": True},
    ]
    stored = {("inquiry", 1)}  # the acknowledged message 2 is missing
    expected = {
        ("a", 1, "x"): {"phase": "postgres", "at": 100.0},
        ("b", 1, "x"): {"phase": "postgres", "at": 100.0},
        ("c", 1, "x"): {"phase": "redis", "at": 50.0},
    }
    delivered = Counter({("a", 1, "x"): 1, ("b", 1, "x"): 3, ("unrelated", 9, "y"): 1})
    arrivals = {("a", 1, "x"): 112.4, ("b", 1, "x"): 101.0, ("unrelated", 9, "y"): 500.0}

    rows = drill.tally(requests, writes, stored, expected, delivered, arrivals)

    assert dict(rows["postgres"]) == {
        "sent": 7,
        "acked": 2,
        "503 ok": 1,
        "5xx": 3,
        "5xx when up": 1,
        "no answer": 1,
        "writes lost": 1,
        "notes expected": 2,
        "notes lost": 0,
        "doubled": 2,
        "slowest note s": 12,
    }
    assert rows["redis"]["sent"] == 1
    assert rows["redis"]["acked"] == 1
    assert rows["redis"]["notes lost"] == 1
    assert sum(rows["steady"].values()) == 0


def test_missed_names_each_target_and_spares_the_request_of_the_killed_gunicorn_worker():
    rows = {phase: Counter({column: 0 for column in drill.COLUMNS}) for phase in drill.PHASES}
    assert drill.missed(rows, []) == []

    rows["gunicorn worker"]["no answer"] = 1
    assert drill.missed(rows, []) == []

    rows["redis"]["no answer"] = 1
    rows["postgres"]["doubled"] = 2
    rows["celery worker"]["slowest note s"] = drill.LATE_SECONDS + 1
    exits = [("redis", "celery worker", "AttributeError: 'NoneType' object has no attribute 'hostname'")]
    assert drill.missed(rows, exits) == [
        "celery worker died by itself during the redis phase "
        "(AttributeError: 'NoneType' object has no attribute 'hostname')",
        "redis: 1 no answer",
        "postgres: 2 doubled",
        f"celery worker: a notification took {drill.LATE_SECONDS + 1} s",
    ]


@pytest.mark.django_db
def test_staff_steps_forward_release_and_answer_through_the_services_and_then_expect(
    settings, verified_exporter, alice, staff
):
    from inquiries import notifications, services
    from inquiries.models import Inquiry
    from pti_bridge.models import Notification

    settings.WECHAT_TEMPLATE_INQUIRY_ANSWERED = "tmpl-inquiry-reply"
    services.inquiry_policy_set(screening_required=False, actor=staff)
    inquiry = factories.InquiryFactory(product__exporter=verified_exporter, destination="", destination_en="")
    factories.MessageFactory(inquiry=inquiry, text="请报价，谢谢。")
    load = drill.Load("http://127.0.0.1:9", [], "v1")
    asked = {"phase": "steady", "kind": "inquiry", "id": inquiry.pk, "inquiry": inquiry.pk, "expects": False}

    assert load.staff_step("staff translation", lambda: load.translate(asked, staff))

    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.FORWARDED
    assert asked["expects"] and "at" in asked
    assert inquiry.pk in load.forwarded and list(load.answerable) == [inquiry.pk]
    assert load.requests[-1]["action"] == "staff translation" and load.requests[-1]["status"] == 200
    assert Notification.objects.filter(kind=notifications.KIND_FORWARDED, recipient="alice@vanua.example").count() == 1

    follow_up = factories.MessageFactory(inquiry=inquiry, text="还有其他规格吗？")
    wrote = {"phase": "redis", "kind": "message", "id": follow_up.pk, "inquiry": inquiry.pk, "expects": False}
    assert not Notification.objects.filter(kind=notifications.KIND_BUYER_WROTE).exists()  # held for staff
    load.translate(wrote, staff)
    assert wrote["expects"]
    assert Notification.objects.filter(kind=notifications.KIND_BUYER_WROTE).count() == 1

    load.answer(inquiry.pk, staff)
    assert load.writes[-1]["kind"] == "answer" and load.writes[-1]["expects"]
    assert Notification.objects.filter(kind=notifications.KIND_ANSWERED).count() == 1
    assert Notification.objects.filter(kind=notifications.KIND_FORWARDED).count() == 1  # nothing sent twice
