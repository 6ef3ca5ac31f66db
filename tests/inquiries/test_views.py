"""The portal's inbox and dashboard: what the exporter sees of an inquiry, and replying."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from inquiries.models import Inquiry, Message
from inquiries.services import message_post_by_exporter
from pti_bridge.audit import audit_trail
from pti_bridge.errors import InvalidTransition
from tests.factories import BuyerFactory, ExporterMemberFactory, InquiryFactory, MessageFactory, ProductFactory

pytestmark = pytest.mark.django_db
S = Inquiry.Status


def forwarded_inquiry(exporter, **kwargs):
    product = ProductFactory(exporter=exporter, published=True)
    defaults = {"status": S.FORWARDED, "forwarded_at": timezone.now()}
    defaults.update(kwargs)
    return InquiryFactory(product=product, **defaults)


def test_inbox_lists_only_forwarded_inquiries_of_the_company_newest_activity_first(
    client, alice, verified_exporter, bob
):
    now = timezone.now()
    older = forwarded_inquiry(verified_exporter, last_activity_at=now - timezone.timedelta(days=2))
    newer = forwarded_inquiry(verified_exporter, status=S.ANSWERED, last_activity_at=now - timezone.timedelta(hours=1))
    hidden_new = forwarded_inquiry(verified_exporter, status=S.NEW)
    hidden_screening = forwarded_inquiry(verified_exporter, status=S.SCREENING)
    hidden_spam = forwarded_inquiry(verified_exporter, status=S.SPAM)
    elsewhere = forwarded_inquiry(bob.exporter_membership.exporter)
    client.force_login(alice)

    response = client.get(reverse("portal:inbox"))

    assert [i.pk for i in response.context["inquiries"]] == [newer.pk, older.pk]
    page = response.content.decode()
    for hidden in (hidden_new, hidden_screening, hidden_spam, elsewhere):
        assert reverse("portal:inquiry_thread", kwargs={"pk": hidden.pk}) not in page
    # The unanswered one is marked.
    assert page.count('class="unanswered"') == 1
    assert "Waiting for your answer" in page


def test_thread_shows_english_translation_and_hides_internal_notes_and_held_messages(client, alice, verified_exporter):
    inquiry = forwarded_inquiry(verified_exporter)
    MessageFactory(inquiry=inquiry, text="请问每公斤的到岸价是多少？", translation="What is the CIF price per kg?")
    MessageFactory(inquiry=inquiry, text="还有样品吗？", translation="")
    MessageFactory(inquiry=inquiry, text="可疑内容", translation="Held text", screening=Message.Screening.REVIEW)
    MessageFactory(
        inquiry=inquiry,
        author_role="staff",
        text="Buyer looks serious, check licence",
        language="en",
        is_internal=True,
    )
    client.force_login(alice)

    page = client.get(reverse("portal:inquiry_thread", kwargs={"pk": inquiry.pk})).content.decode()

    assert "What is the CIF price per kg?" in page
    assert "请问每公斤的到岸价是多少" not in page
    assert "PTI is translating this message into English." in page
    assert "Held text" not in page and "可疑内容" not in page
    assert "Buyer looks serious" not in page


def test_buyer_contact_details_only_when_shared(client, alice, verified_exporter):
    buyer = BuyerFactory(
        display_name="Wang Jun", company="Shanghai Imports Ltd", phone="13800001111", phone_country_code="86"
    )
    english = {"buyer_name_en": "Wang Jun", "buyer_company_en": "Shanghai Imports Ltd"}
    private = forwarded_inquiry(verified_exporter, buyer=buyer, share_contact=False, **english)
    shared = forwarded_inquiry(verified_exporter, buyer=buyer, share_contact=True, **english)
    client.force_login(alice)

    private_page = client.get(reverse("portal:inquiry_thread", kwargs={"pk": private.pk})).content.decode()
    shared_page = client.get(reverse("portal:inquiry_thread", kwargs={"pk": shared.pk})).content.decode()

    for detail in ("Wang Jun", "Shanghai Imports Ltd", "13800001111"):
        assert detail not in private_page
        assert detail in shared_page
    assert "A buyer in China" in private_page


def test_reply_records_english_message_and_moves_forwarded_to_answered(client, alice, verified_exporter):
    inquiry = forwarded_inquiry(verified_exporter, last_activity_at=timezone.now() - timezone.timedelta(days=1))
    client.force_login(alice)

    response = client.post(
        reverse("portal:inquiry_thread", kwargs={"pk": inquiry.pk}),
        {"text": "  USD 210/kg FOB Suva. <b>Samples</b> free.  "},
        follow=True,
    )

    message = Message.objects.get(inquiry=inquiry)
    assert (message.author_role, message.author_user, message.language, message.text) == (
        "exporter",
        alice,
        "en",
        "USD 210/kg FOB Suva. <b>Samples</b> free.",
    )
    inquiry.refresh_from_db()
    assert inquiry.status == S.ANSWERED
    assert inquiry.answered_at == message.created_at == inquiry.last_activity_at
    entry = audit_trail(inquiry).first()
    assert (entry.action, entry.from_status, entry.to_status, entry.actor) == (
        "message_posted_by_exporter",
        "forwarded",
        "answered",
        alice,
    )
    page = response.content.decode()
    assert "&lt;b&gt;Samples&lt;/b&gt;" in page and "<b>Samples</b>" not in page


def test_second_reply_keeps_the_first_answer_time(alice, verified_exporter):
    inquiry = forwarded_inquiry(verified_exporter)
    first = message_post_by_exporter(inquiry=inquiry, text="First", actor=alice)
    second = message_post_by_exporter(inquiry=inquiry, text="Second", actor=alice)
    inquiry.refresh_from_db()
    assert inquiry.answered_at == first.created_at
    assert inquiry.last_activity_at == second.created_at


def test_empty_reply_is_a_form_error(client, alice, verified_exporter):
    inquiry = forwarded_inquiry(verified_exporter)
    client.force_login(alice)
    response = client.post(reverse("portal:inquiry_thread", kwargs={"pk": inquiry.pk}), {"text": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors["text"]
    inquiry.refresh_from_db()
    assert inquiry.status == S.FORWARDED
    assert not Message.objects.exists()


@pytest.mark.parametrize("status", [S.CLOSED_WON, S.CLOSED_LOST])
def test_closed_inquiry_takes_no_reply(client, alice, verified_exporter, status):
    inquiry = forwarded_inquiry(verified_exporter, status=status)
    client.force_login(alice)
    response = client.post(reverse("portal:inquiry_thread", kwargs={"pk": inquiry.pk}), {"text": "Hello"}, follow=True)
    assert "This inquiry is closed" in response.content.decode()
    assert not Message.objects.exists()
    with pytest.raises(InvalidTransition):
        message_post_by_exporter(inquiry=inquiry, text="Hello", actor=alice)
    assert not Message.objects.exists()


def test_service_refuses_another_companys_user_and_bad_text(alice, bob, verified_exporter):
    inquiry = forwarded_inquiry(verified_exporter)
    with pytest.raises(PermissionDenied):
        message_post_by_exporter(inquiry=inquiry, text="Hi", actor=bob)
    with pytest.raises(ValidationError):
        message_post_by_exporter(inquiry=inquiry, text="x" * 5001, actor=alice)
    inquiry.refresh_from_db()
    assert inquiry.status == S.FORWARDED
    assert not Message.objects.exists()


@pytest.mark.parametrize("role", ["owner", "colleague", "other_exporter", "anonymous", "staff"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_inquiry_permission_matrix(client, role, method, alice, bob, staff, verified_exporter):
    inquiry = forwarded_inquiry(verified_exporter)
    user = {
        "owner": alice,
        "colleague": ExporterMemberFactory(exporter=verified_exporter, role="colleague").user
        if role == "colleague"
        else None,
        "other_exporter": bob,
        "staff": staff,
        "anonymous": None,
    }[role]
    if user:
        client.force_login(user)
    url = reverse("portal:inquiry_thread", kwargs={"pk": inquiry.pk})

    response = client.get(url) if method == "get" else client.post(url, {"text": "Our best price"})

    if role in ("owner", "colleague"):
        assert response.status_code == (200 if method == "get" else 302)
        return
    if role == "anonymous":
        assert response["Location"].startswith(reverse("portal:login"))
    else:
        assert response.status_code == {"other_exporter": 404, "staff": 403}[role]
    inquiry.refresh_from_db()
    assert inquiry.status == S.FORWARDED
    assert not Message.objects.exists()


def test_inquiry_not_yet_forwarded_is_404_for_its_own_exporter(client, alice, verified_exporter):
    inquiry = forwarded_inquiry(verified_exporter, status=S.SCREENING)
    client.force_login(alice)
    assert client.get(reverse("portal:inquiry_thread", kwargs={"pk": inquiry.pk})).status_code == 404
    assert client.post(reverse("portal:inquiry_thread", kwargs={"pk": inquiry.pk}), {"text": "Hi"}).status_code == 404
    assert not Message.objects.exists()


def test_dashboard_counts(client, alice, verified_exporter):
    ProductFactory(exporter=verified_exporter)
    ProductFactory(exporter=verified_exporter, published=True, pending_changes={"name_en": "New"})
    forwarded_inquiry(verified_exporter)
    forwarded_inquiry(verified_exporter, status=S.ANSWERED)
    client.force_login(alice)

    response = client.get(reverse("portal:dashboard"))

    assert response.context["inbox"] == {"total": 4 - 2, "unanswered": 1}
    statuses = {value: n for value, _label, n in response.context["statuses"]}
    # Two published products from the inquiries plus one here; one draft.
    assert statuses == {"draft": 1, "submitted": 0, "published": 3, "rejected": 0, "archived": 0}
    assert response.context["pending_edits"] == 1
    assert "Verified by PTI" in response.content.decode()


def test_dashboard_says_a_pending_company_waits_for_verification(client, pending_exporter):
    user = ExporterMemberFactory(exporter=pending_exporter).user
    client.force_login(user)
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert "Waiting for verification" in page
    assert "PTI staff are checking your company." in page


def test_page_weight_of_dashboard_and_product_form_is_small(client, alice, verified_exporter):
    """A page plus its one stylesheet stays well under 20 kB (slow, costly connections)."""
    from django.contrib.staticfiles import finders

    css = len(open(finders.find("portal/portal.css"), "rb").read())
    client.force_login(alice)
    dashboard = len(client.get(reverse("portal:dashboard")).content)
    product_form = len(client.get(reverse("portal:product_create")).content)
    assert css < 6_000
    assert dashboard + css < 12_000
    assert product_form + css < 20_000
