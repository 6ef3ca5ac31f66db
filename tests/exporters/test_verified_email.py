"""The company hears it is verified by e-mail, through the outbox, over a real SMTP server on loopback."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from exporters.services import exporter_suspend, exporter_verify
from pti_bridge import outbox
from pti_bridge.errors import InvalidTransition
from pti_bridge.models import Notification
from tests import factories, smtp_server
from tests.exporters.paperwork import accept_required_documents

smtp = smtp_server.smtp  # the fixture: a real SMTP server on loopback

pytestmark = pytest.mark.django_db

N = Notification.Status
SITE = "https://bridge.pti.example"


@pytest.fixture
def members(pending_exporter, staff):
    accept_required_documents(pending_exporter, staff)
    owner = factories.ExporterMemberFactory(exporter=pending_exporter, user__email="owner@reef.example").user
    colleague = factories.ExporterMemberFactory(exporter=pending_exporter, user__email="sales@reef.example").user
    factories.ExporterMemberFactory(exporter=pending_exporter, user__email="old@reef.example", user__is_active=False)
    factories.ExporterMemberFactory(user__email="bob@elsewhere.example")
    return sorted([owner.email, colleague.email])


def parts(message) -> dict[str, str]:
    return {
        part.get_content_type(): part.get_payload(decode=True).decode().replace("\r\n", "\n")
        for part in message.walk()
        if not part.is_multipart()
    }


def test_verify_emails_each_active_member_once(
    smtp, members, pending_exporter, staff, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = SITE
    with django_capture_on_commit_callbacks(execute=True), translation.override("zh-hans"):
        exporter_verify(exporter=pending_exporter, actor=staff)

    rows = Notification.objects.order_by("recipient")
    assert [(n.channel, n.kind, n.recipient, n.status) for n in rows] == [
        ("email", "exporter_verified", address, N.SENT) for address in members
    ]
    messages = sorted(smtp.inbox.messages, key=lambda m: m["To"])
    assert [m["To"] for m in messages] == members
    message = messages[0]
    assert message["Subject"] == f"{pending_exporter.name} is verified on PTI Bridge"
    body = parts(message)
    assert sorted(body) == ["text/html", "text/plain"]
    assert "PTI has verified your company." in body["text/plain"]
    for path in ("/portal/company/", "/portal/products/"):
        assert f"{SITE}{path}" in body["text/plain"] and f'href="{SITE}{path}"' in body["text/html"]
    assert outbox.dispatch_due(now=timezone.now() + timedelta(days=1)) == {}  # nothing sent twice
    assert len(smtp.inbox.messages) == 2


def test_reinstating_says_verified_again_and_suspending_emails_nobody(
    smtp, members, pending_exporter, staff, django_capture_on_commit_callbacks
):
    exporter_suspend(exporter=pending_exporter, actor=staff, reason="Documents expired.")
    assert not Notification.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        exporter_verify(exporter=pending_exporter, actor=staff)
    [message, _] = smtp.inbox.messages
    assert message["Subject"] == f"{pending_exporter.name} is verified again on PTI Bridge"
    assert "lifted the suspension" in parts(message)["text/plain"]


def test_verifying_a_verified_company_emails_nobody(smtp, verified_exporter, alice, staff):
    with pytest.raises(InvalidTransition):
        exporter_verify(exporter=verified_exporter, actor=staff)
    assert not Notification.objects.exists()
    assert outbox.dispatch_due() == {}
    assert smtp.inbox.messages == []


def test_smtp_down_verification_stands_and_the_email_follows_once(
    smtp, members, pending_exporter, staff, django_capture_on_commit_callbacks
):
    smtp.stop()
    with django_capture_on_commit_callbacks(execute=True):
        exporter_verify(exporter=pending_exporter, actor=staff)
    pending_exporter.refresh_from_db()
    assert pending_exporter.is_verified
    assert set(Notification.objects.values_list("status", "attempts")) == {(N.PENDING, 1)}

    smtp.start()
    later = timezone.now() + timedelta(hours=3)
    assert outbox.dispatch_due(now=later) == {"sent": 2}
    assert outbox.dispatch_due(now=later + timedelta(days=2)) == {}
    assert sorted(m["To"] for m in smtp.inbox.messages) == members
