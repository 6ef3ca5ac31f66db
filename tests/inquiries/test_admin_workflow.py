"""The staff workflow in the admin, through Django's test client as the `staff` persona."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from inquiries.models import Inquiry, InquiryPolicy, Message
from pti_bridge.models import Notification
from tests import factories
from tests.conftest import sign_in_staff

pytestmark = pytest.mark.django_db

S = Inquiry.Status
BEIJING = ZoneInfo("Asia/Shanghai")


def workflow_url(inquiry, action):
    return reverse("admin:inquiries_inquiry_workflow", args=[inquiry.pk, action])


def change_url(inquiry):
    return reverse("admin:inquiries_inquiry_change", args=[inquiry.pk])


def texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def staff_client(client, staff):
    sign_in_staff(client, staff)
    return client


@pytest.fixture
def inquiry(verified_exporter, alice):
    inquiry = factories.InquiryFactory(product__exporter=verified_exporter, product__name_en="Vanilla beans")
    factories.MessageFactory(inquiry=inquiry, text="请问每公斤的到岸价是多少？")
    return inquiry


# The queue.


def test_queue_puts_the_oldest_waiting_first_and_marks_the_overdue(staff_client, settings, verified_exporter):
    settings.INQUIRY_RESPONSE_TARGET_WORKING_DAYS = 2
    now = timezone.now()
    old = factories.InquiryFactory(product__exporter=verified_exporter, status="forwarded")
    fresh = factories.InquiryFactory(product__exporter=verified_exporter, status="new")
    answered = factories.InquiryFactory(product__exporter=verified_exporter, status="answered")
    to_translate = factories.InquiryFactory(product__exporter=verified_exporter, status="answered")
    factories.MessageFactory(inquiry=to_translate, author_role="exporter", text="USD 180/kg", language="en")
    closed = factories.InquiryFactory(product__exporter=verified_exporter, status="closed_won")
    Inquiry.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=20), forwarded_at=now - timedelta(days=10))
    Inquiry.objects.filter(pk=fresh.pk).update(created_at=now - timedelta(minutes=5))
    Inquiry.objects.filter(pk=closed.pk).update(created_at=now - timedelta(days=30))

    response = staff_client.get(reverse("admin:inquiries_inquiry_changelist"))

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [old, fresh, to_translate, answered, closed]
    content = response.content.decode()
    assert content.count('class="inquiry-overdue"') == 1
    assert "Past the response target of 2 working days" in content
    overdue = staff_client.get(reverse("admin:inquiries_inquiry_changelist"), {"queue": "overdue"})
    assert list(overdue.context["cl"].result_list) == [old]
    translate = staff_client.get(reverse("admin:inquiries_inquiry_changelist"), {"queue": "translate"})
    assert list(translate.context["cl"].result_list) == [to_translate]


def test_weekends_do_not_count_towards_the_target(settings, verified_exporter, monkeypatch, rf, staff):
    from django.contrib import admin

    settings.INQUIRY_RESPONSE_TARGET_WORKING_DAYS = 2
    # Forwarded on a Friday at 10:00 in Beijing: due Tuesday 10:00, not Sunday.
    friday = datetime(2026, 11, 20, 10, 0, tzinfo=BEIJING)
    inquiry = factories.InquiryFactory(product__exporter=verified_exporter, status="forwarded")
    Inquiry.objects.filter(pk=inquiry.pk).update(forwarded_at=friday)
    model_admin = admin.site._registry[Inquiry]
    request = rf.get("/")
    request.user = staff
    row = model_admin.get_queryset(request).get(pk=inquiry.pk)
    for moment, overdue, shown in [
        (datetime(2026, 11, 22, 23, 0, tzinfo=BEIJING), False, "under a working day"),  # Sunday night
        (datetime(2026, 11, 24, 9, 59, tzinfo=BEIJING), False, "1 working day"),  # Tuesday, a minute early
        (datetime(2026, 11, 24, 10, 1, tzinfo=BEIJING), True, "2 working days"),
    ]:
        # The column reads the clock; a fixed clock is the only way to stand on a Sunday here.
        monkeypatch.setattr(timezone, "now", lambda moment=moment: moment)
        cell = str(model_admin.waiting_display(row))
        assert ("inquiry-overdue" in cell, shown in cell) == (overdue, True), (moment, cell)


# The actions on an inquiry's page.


def test_staff_screen_translate_note_and_forward(staff_client, inquiry, staff, alice):
    assert staff_client.post(workflow_url(inquiry, "screen")).status_code == 302
    message = inquiry.messages.get()
    response = staff_client.post(
        reverse("admin:inquiries_inquiry_translate", args=[inquiry.pk, message.pk]),
        {"translation": "What is the CIF price per kg?"},
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#message-{message.pk}")
    staff_client.post(reverse("admin:inquiries_inquiry_note", args=[inquiry.pk]), {"text": "买家可靠"})
    response = staff_client.post(workflow_url(inquiry, "forward"))

    assert texts(response)[-1].endswith("Forward to the exporter, done.")
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.assigned_to) == (S.FORWARDED, staff)
    message.refresh_from_db()
    assert (message.translation, message.translated_by) == ("What is the CIF price per kg?", staff)
    assert inquiry.messages.filter(is_internal=True).get().text == "买家可靠"
    assert Notification.objects.get().recipient == alice.email

    page = staff_client.get(change_url(inquiry)).content.decode()
    assert "请问每公斤的到岸价是多少？" in page and "What is the CIF price per kg?" in page
    assert "Internal note (staff only)" in page and "买家可靠" in page
    assert f'action="{workflow_url(inquiry, "close_won")}"' in page
    assert f'action="{workflow_url(inquiry, "forward")}"' not in page


def test_refused_transition_is_an_admin_message_and_changes_nothing(staff_client, inquiry):
    Inquiry.objects.filter(pk=inquiry.pk).update(status=S.CLOSED_LOST, lost_reason="too dear")
    response = staff_client.post(workflow_url(inquiry, "forward"), follow=True)
    assert response.status_code == 200
    assert texts(response) == [f"Inquiry #{inquiry.pk} is closed: lost; it cannot be forwarded."]
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.lost_reason) == (S.CLOSED_LOST, "too dear")
    assert not Notification.objects.exists()


def test_close_won_and_lost_and_reopen(staff_client, inquiry):
    Inquiry.objects.filter(pk=inquiry.pk).update(status=S.ANSWERED)
    bad = staff_client.post(
        workflow_url(inquiry, "close_won"), {"deal_value": "-3", "deal_currency": "USD", "deal_volume": "2 t"}
    )
    assert texts(bad) == ["Give the deal's value, a number above zero."]
    inquiry.refresh_from_db()
    assert inquiry.status == S.ANSWERED

    staff_client.post(
        workflow_url(inquiry, "close_won"), {"deal_value": "12000", "deal_currency": "USD", "deal_volume": "2 t"}
    )
    inquiry.refresh_from_db()
    assert (inquiry.status, str(inquiry.deal_value), inquiry.deal_currency, inquiry.deal_volume) == (
        S.CLOSED_WON,
        "12000.00",
        "USD",
        "2 t",
    )
    staff_client.post(workflow_url(inquiry, "reopen"), follow=True)
    empty = staff_client.post(workflow_url(inquiry, "close_lost"), {"reason": ""}, follow=True)
    assert texts(empty) == ["Reason: This field is required."]
    staff_client.post(workflow_url(inquiry, "close_lost"), {"reason": "买家预算不足"}, follow=True)
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.lost_reason, inquiry.deal_value) == (S.CLOSED_LOST, "买家预算不足", None)


def test_assign_and_mark_spam(staff_client, inquiry, staff, alice):
    other = factories.StaffFactory(email="zhang@pti.example")
    staff_client.post(workflow_url(inquiry, "assign"), {"assigned_to": other.pk}, follow=True)
    inquiry.refresh_from_db()
    assert inquiry.assigned_to == other
    refused = staff_client.post(workflow_url(inquiry, "assign"), {"assigned_to": alice.pk}, follow=True)
    assert texts(refused)[0].startswith("Assign to: Select a valid choice.")
    inquiry.refresh_from_db()
    assert inquiry.assigned_to == other
    staff_client.post(workflow_url(inquiry, "mark_spam"), follow=True)
    inquiry.refresh_from_db()
    assert inquiry.status == S.SPAM


def test_unknown_action_and_get_are_refused(staff_client, inquiry):
    assert texts(staff_client.post(workflow_url(inquiry, "delete"))) == ["Unknown action."]
    assert staff_client.get(workflow_url(inquiry, "forward")).status_code == 405
    other = factories.InquiryFactory()
    message = inquiry.messages.get()
    wrong_pair = reverse("admin:inquiries_inquiry_translate", args=[other.pk, message.pk])
    assert staff_client.post(wrong_pair, {"translation": "x"}).status_code == 404
    message.refresh_from_db()
    assert message.translation == ""
    inquiry.refresh_from_db()
    assert inquiry.status == S.NEW


@pytest.mark.parametrize("who", ["alice", "anonymous"])
def test_non_staff_are_refused_every_action(client, inquiry, alice, who):
    if who == "alice":
        client.force_login(alice)
    message = inquiry.messages.get()
    urls = [workflow_url(inquiry, action) for action in ("screen", "forward", "mark_spam", "close_lost", "assign")]
    urls += [
        reverse("admin:inquiries_inquiry_translate", args=[inquiry.pk, message.pk]),
        reverse("admin:inquiries_inquiry_note", args=[inquiry.pk]),
    ]
    for url in urls:
        response = client.post(url, {"reason": "x", "translation": "x", "text": "x"})
        assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login")), url
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.assigned_to) == (S.NEW, None)
    assert list(inquiry.messages.values_list("translation", "is_internal")) == [("", False)]


def test_bulk_actions_go_through_the_services(staff_client, verified_exporter, alice):
    first = factories.InquiryFactory(product__exporter=verified_exporter)
    closed = factories.InquiryFactory(product__exporter=verified_exporter, status="closed_won")
    url = reverse("admin:inquiries_inquiry_changelist")
    response = staff_client.post(url, {"action": "forward_selected", "_selected_action": [first.pk, closed.pk]})
    assert response.status_code == 302
    assert texts(response) == [
        f"“{closed}”: Inquiry #{closed.pk} is closed: deal won; it cannot be forwarded.",
        "1 inquiries forwarded.",
    ]
    first.refresh_from_db()
    closed.refresh_from_db()
    assert (first.status, closed.status) == (S.FORWARDED, S.CLOSED_WON)

    page = staff_client.post(url, {"action": "close_lost_selected", "_selected_action": [first.pk]})
    assert page.status_code == 200 and b'name="reason"' in page.content
    staff_client.post(
        url, {"action": "close_lost_selected", "_selected_action": [first.pk], "post": "yes", "reason": "no stock"}
    )
    first.refresh_from_db()
    assert (first.status, first.lost_reason) == (S.CLOSED_LOST, "no stock")


def test_the_buyers_contact_is_only_shared_when_agreed(staff_client, inquiry):
    page = staff_client.get(change_url(inquiry)).content.decode()
    assert "The buyer has not agreed to share contact details with the exporter." in page


# The policy and the outbox.


def test_policy_is_edited_in_the_admin(staff_client, staff):
    policy = InquiryPolicy.current()
    url = reverse("admin:inquiries_inquirypolicy_change", args=[policy.pk])
    response = staff_client.post(url, {})  # an unticked box: staff screening off
    assert response.status_code == 302
    policy.refresh_from_db()
    assert (policy.screening_required, policy.updated_by) == (False, staff)
    assert staff_client.get(reverse("admin:inquiries_inquirypolicy_add")).status_code == 403


def test_failed_notifications_stand_out_and_staff_retry_them(staff_client, alice):
    failed = Notification.objects.create(
        channel="email",
        kind="inquiry_forwarded",
        recipient=alice.email,
        status="failed",
        attempts=5,
        last_error="SMTP down",
    )
    sent = Notification.objects.create(channel="email", kind="inquiry_forwarded", recipient=alice.email, status="sent")
    url = reverse("admin:pti_bridge_notification_changelist")
    page = staff_client.get(url).content.decode()
    assert page.count('class="notification-failed"') == 1 and "SMTP down" in page

    response = staff_client.post(url, {"action": "retry_failed", "_selected_action": [failed.pk, sent.pk]})

    assert texts(response) == [
        f"“{sent}”: Only failed notifications can be retried; this one is sent.",
        "1 notifications will be sent again.",
    ]
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("pending", 0)


def test_alice_cannot_retry(client, alice):
    failed = Notification.objects.create(channel="email", kind="k", recipient=alice.email, status="failed", attempts=5)
    client.force_login(alice)
    response = client.post(
        reverse("admin:pti_bridge_notification_changelist"), {"action": "retry_failed", "_selected_action": [failed.pk]}
    )
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    failed.refresh_from_db()
    assert failed.status == "failed"


def test_page_shows_message_in_review(staff_client, inquiry):
    factories.MessageFactory(inquiry=inquiry, text="[[review]] 加微信", screening=Message.Screening.REVIEW)
    page = staff_client.get(change_url(inquiry)).content.decode()
    assert "held by WeChat&#x27;s content check" in page or "held by WeChat's content check" in page


def test_queue_costs_the_same_number_of_queries_whatever_its_length(staff_client, verified_exporter):
    def queries_for_page():
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(reverse("admin:inquiries_inquiry_changelist")).status_code == 200
        return len(captured)

    for _ in range(3):
        factories.MessageFactory(inquiry=factories.InquiryFactory(product__exporter=verified_exporter))
    few = queries_for_page()
    for _ in range(12):
        factories.MessageFactory(
            inquiry=factories.InquiryFactory(product__exporter=verified_exporter, status="forwarded")
        )
    assert queries_for_page() == few


# Messages WeChat's content check held for staff.


def review_url(message, decision):
    return reverse("admin:inquiries_inquiry_review", args=[message.inquiry_id, message.pk, decision])


def test_a_held_buyer_message_blocks_forwarding_until_staff_release_it(staff_client, inquiry, alice):
    held = inquiry.messages.get()
    Message.objects.filter(pk=held.pk).update(screening=Message.Screening.REVIEW)

    response = staff_client.post(workflow_url(inquiry, "forward"))
    assert "held by WeChat's content check" in texts(response)[-1]
    inquiry.refresh_from_db()
    assert inquiry.status == S.NEW
    assert not Notification.objects.exists()
    page = staff_client.get(change_url(inquiry)).content.decode()
    assert f'action="{review_url(held, "release")}"' in page

    response = staff_client.post(review_url(held, "release"))
    assert texts(response)[-1] == f"Message #{held.pk} is released to the thread."
    held.refresh_from_db()
    assert held.screening == Message.Screening.PASSED
    staff_client.post(reverse("admin:inquiries_inquiry_translate", args=[inquiry.pk, held.pk]), {"translation": "Hi"})
    staff_client.post(workflow_url(inquiry, "forward"))
    inquiry.refresh_from_db()
    assert inquiry.status == S.FORWARDED
    assert Notification.objects.get().recipient == alice.email


def test_a_buyer_message_released_on_a_forwarded_inquiry_tells_the_exporter(staff_client, inquiry, alice):
    Inquiry.objects.filter(pk=inquiry.pk).update(status=S.FORWARDED)
    again = factories.MessageFactory(inquiry=inquiry, text="还有一个问题", screening=Message.Screening.REVIEW)

    staff_client.post(review_url(again, "release"))
    assert not Notification.objects.exists()  # released from review, but not yet in English
    staff_client.post(
        reverse("admin:inquiries_inquiry_translate", args=[inquiry.pk, again.pk]), {"translation": "One more question"}
    )

    assert Notification.objects.get().recipient == alice.email


def test_rejecting_a_held_message_keeps_it_from_the_exporter_and_tells_nobody(staff_client, inquiry, alice):
    Inquiry.objects.filter(pk=inquiry.pk).update(status=S.FORWARDED)
    spam = factories.MessageFactory(inquiry=inquiry, text="加微信 xxx", screening=Message.Screening.REVIEW)

    response = staff_client.post(review_url(spam, "reject"))

    assert texts(response)[-1] == f"Message #{spam.pk} is rejected."
    spam.refresh_from_db()
    assert spam.screening == Message.Screening.REJECTED
    assert not Notification.objects.exists()
    # Deciding twice is refused and changes nothing.
    response = staff_client.post(review_url(spam, "release"))
    assert "is not waiting for review" in texts(response)[-1]
    spam.refresh_from_db()
    assert spam.screening == Message.Screening.REJECTED


@pytest.mark.parametrize("who", ["alice", "anonymous"])
def test_only_staff_review_held_messages(client, inquiry, alice, who):
    held = inquiry.messages.get()
    Message.objects.filter(pk=held.pk).update(screening=Message.Screening.REVIEW)
    if who == "alice":
        client.force_login(alice)

    response = client.post(review_url(held, "release"))

    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    held.refresh_from_db()
    assert held.screening == Message.Screening.REVIEW
