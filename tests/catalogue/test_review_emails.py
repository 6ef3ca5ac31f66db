"""The exporter hears of its listings' review by e-mail, through the outbox, over a real SMTP
server on loopback: published, rejected (the reason quoted), changes applied (what changed).
One e-mail per active company user, in English, text and HTML, with the portal link; none
when the service refuses; none twice when the outbox runs again."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from catalogue.services import (
    product_apply_pending_changes,
    product_archive,
    product_discard_pending_changes,
    product_image_add,
    product_publish,
    product_reject,
    product_update,
)
from pti_bridge import outbox
from pti_bridge.errors import InvalidTransition
from pti_bridge.models import Notification
from tests import factories, smtp_server
from tests.conftest import sign_in_staff
from tests.storage import corpus

smtp = smtp_server.smtp  # the fixture: a real SMTP server on loopback

pytestmark = pytest.mark.django_db

N = Notification.Status
SITE = "https://bridge.pti.example"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def team(verified_exporter, alice):
    """Alice and an active colleague get the e-mails; an inactive one and another company's user do not."""
    colleague = factories.ExporterMemberFactory(exporter=verified_exporter, user__email="sera@vanua.example").user
    factories.ExporterMemberFactory(exporter=verified_exporter, user__email="gone@vanua.example", user__is_active=False)
    factories.ExporterMemberFactory(user__email="bob@elsewhere.example")
    return [alice.email, colleague.email]


@pytest.fixture
def submitted(verified_exporter):
    return factories.ProductFactory(submitted=True, exporter=verified_exporter, name_en="Tahitian vanilla beans")


@pytest.fixture
def published(verified_exporter):
    return factories.ProductFactory(published=True, exporter=verified_exporter, name_en="Tahitian vanilla beans")


def parts(message) -> dict[str, str]:
    return {
        part.get_content_type(): part.get_payload(decode=True).decode().replace("\r\n", "\n")
        for part in message.walk()
        if not part.is_multipart()
    }


def sent(smtp, team):
    """The messages the SMTP server received, one per member, all alike but for To."""
    messages = sorted(smtp.inbox.messages, key=lambda m: m["To"])
    assert [m["To"] for m in messages] == sorted(team)
    assert len({m["Subject"] for m in messages}) == 1
    return messages[0]


def test_publish_emails_each_member_once_with_the_portal_link(
    smtp, team, submitted, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), translation.override("zh-hans"):
        product_publish(product=submitted, actor=staff)

    rows = Notification.objects.order_by("recipient")
    assert [(n.channel, n.kind, n.recipient, n.status) for n in rows] == [
        ("email", "product_published", address, N.SENT) for address in sorted(team)
    ]
    message = sent(smtp, team)
    assert message["Subject"] == "Published: Tahitian vanilla beans"
    body = parts(message)
    assert sorted(body) == ["text/html", "text/plain"]
    link = f"{SITE}/portal/products/{submitted.pk}/"
    assert link in body["text/plain"] and f'href="{link}"' in body["text/html"]
    assert "published your listing" in body["text/plain"]  # English, though staff used Chinese
    assert "Hello Vanua Vanilla Co," in body["text/plain"]


def test_restoring_an_archived_listing_says_so(smtp, team, published, staff, alice, django_capture_on_commit_callbacks):
    product_archive(product=published, actor=alice)
    assert not Notification.objects.exists()  # the company's own archiving e-mails nobody
    with django_capture_on_commit_callbacks(execute=True):
        product_publish(product=published, actor=staff)
    assert sent(smtp, team)["Subject"] == "Back in the catalogue: Tahitian vanilla beans"


def test_reject_quotes_the_reason(smtp, team, submitted, staff, django_capture_on_commit_callbacks):
    reason = "The price range is missing & the photos show another product."
    with django_capture_on_commit_callbacks(execute=True):
        product_reject(product=submitted, actor=staff, reason=f"  {reason}\n")

    assert list(Notification.objects.values_list("kind", flat=True)) == ["product_rejected"] * 2
    message = sent(smtp, team)
    assert message["Subject"] == "Not published yet: Tahitian vanilla beans needs changes"
    body = parts(message)
    assert f"\n\n{reason}\n\n" in body["text/plain"]
    assert "The price range is missing &amp; the photos show another product." in body["text/html"]
    link = f"{SITE}/portal/products/{submitted.pk}/"
    assert link in body["text/plain"] and f'href="{link}"' in body["text/html"]


def test_applied_changes_name_what_changed(smtp, team, published, staff, alice, django_capture_on_commit_callbacks):
    product_update(product=published, data={"packaging": "1 kg vacuum bags", "lead_time": "3 weeks"}, actor=alice)
    assert not Notification.objects.exists()  # proposing changes e-mails nobody

    with django_capture_on_commit_callbacks(execute=True), translation.override("zh-hans"):
        product_apply_pending_changes(product=published, actor=staff)

    assert list(Notification.objects.values_list("kind", flat=True)) == ["product_changes_applied"] * 2
    message = sent(smtp, team)
    assert message["Subject"] == "Your changes are live: Tahitian vanilla beans"
    body = parts(message)
    assert "What changed: lead time, packaging." in body["text/plain"]
    assert "What changed: lead time, packaging." in body["text/html"]
    assert f'href="{SITE}/portal/products/{published.pk}/"' in body["text/html"]


def test_discarded_changes_send_no_changes_applied_email(smtp, team, published, staff, alice):
    product_update(product=published, data={"packaging": "1 kg vacuum bags"}, actor=alice)
    product_discard_pending_changes(product=published, actor=staff, reason="Keep the old packaging.")
    assert not Notification.objects.exists()


def test_refused_services_email_nobody(smtp, team, published, submitted, staff, alice):
    with pytest.raises(InvalidTransition):
        product_reject(product=published, actor=staff, reason="Too late.")
    with pytest.raises(InvalidTransition):
        product_publish(product=published, actor=staff)
    with pytest.raises(InvalidTransition):
        product_apply_pending_changes(product=published, actor=staff)  # nothing waiting
    untranslated = factories.ProductFactory(submitted=True, untranslated=True, exporter=published.exporter)
    with pytest.raises(Exception, match="needs its"):
        product_publish(product=untranslated, actor=staff)
    assert not Notification.objects.exists()
    assert outbox.dispatch_due() == {}
    assert smtp.inbox.messages == []


def test_smtp_down_then_sent_once(smtp, team, submitted, staff, django_capture_on_commit_callbacks):
    smtp.stop()
    with django_capture_on_commit_callbacks(execute=True):
        product_reject(product=submitted, actor=staff, reason="Add the HS code.")
    assert set(Notification.objects.values_list("status", "attempts")) == {(N.PENDING, 1)}
    assert smtp.inbox.messages == []

    smtp.start()
    later = timezone.now() + timedelta(hours=3)
    assert outbox.dispatch_due(now=later) == {"sent": 2}
    assert outbox.dispatch_due(now=later + timedelta(days=2)) == {}  # a second run sends nothing twice
    for row in Notification.objects.all():
        assert outbox.dispatch_one(row.pk, now=later) is None
    assert sorted(m["To"] for m in smtp.inbox.messages) == sorted(team)


def test_applied_changes_name_new_photos_and_certifications(
    smtp, team, published, staff, alice, django_capture_on_commit_callbacks
):
    organic = factories.CertificationFactory()
    product_image_add(
        product=published,
        upload=SimpleUploadedFile("IMG_1.jpg", corpus.jpeg(corpus.noisy_photo(400, 300)), "image/jpeg"),
        actor=alice,
    )
    product_update(product=published, data={"certifications": [organic]}, actor=alice)

    with django_capture_on_commit_callbacks(execute=True):
        product_apply_pending_changes(product=published, actor=staff)

    body = parts(sent(smtp, team))
    assert "What changed: certifications, new photos." in body["text/plain"]


def test_the_admins_bulk_reject_emails_only_about_the_product_it_rejected(client, team, submitted, published, staff):
    sign_in_staff(client, staff)
    response = client.post(
        "/admin/catalogue/product/",
        {
            "action": "reject_selected",
            "_selected_action": [submitted.pk, published.pk],
            "post": "yes",
            "reason": "Photos are blurry.",
        },
    )
    assert response.status_code == 302
    rows = Notification.objects.order_by("recipient")
    assert [(n.kind, n.recipient) for n in rows] == [("product_rejected", address) for address in sorted(team)]
    assert all(f"/portal/products/{submitted.pk}/" in n.payload["text"] for n in rows)
    assert all("\n\nPhotos are blurry.\n\n" in n.payload["text"] for n in rows)
