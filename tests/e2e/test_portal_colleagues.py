"""Issue 16 in a real browser on a phone (390x844): the owner resends a pending invitation
and removes a colleague after confirming. Screenshots go to test-artifacts/."""

import re

import pytest
from django.core import mail

from exporters.models import ExporterMember
from tests.e2e.test_portal import ARTIFACTS, browser, exporter_sign_in, new_page  # noqa: F401 - fixture
from tests.factories import ExporterMemberFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_owner_resends_an_invitation_and_removes_a_colleague_on_a_phone(
    browser,  # noqa: F811 - the fixture
    live_server,
    settings,
    alice,
    verified_exporter,
):
    settings.SITE_URL = live_server.url
    sera = ExporterMemberFactory(
        exporter=verified_exporter,
        role="colleague",
        user__email="sera@vanua.example",
        user__first_name="Sera",
        user__last_name="Naivalu",
    )
    page = exporter_sign_in(browser, live_server, alice)

    # Invite Tevita, then send the invitation again: one new e-mail, a new link.
    page.goto(f"{live_server.url}/portal/company/people/")
    page.fill("#id_first_name", "Tevita")
    page.fill("#id_last_name", "Fifita")
    page.fill("#id_email", "tevita@vanua.example")
    page.click("button:has-text('Send invitation')")
    page.wait_for_selector("text=We sent an invitation to tevita@vanua.example")
    assert len(mail.outbox) == 1
    first_link = re.search(r"http://\S+/portal/invitation/\S+/", mail.outbox[0].body).group(0)
    tevita = page.locator(".team li", has_text="tevita@vanua.example")
    assert "Invitation sent" in tevita.inner_text()
    page.screenshot(path=str(ARTIFACTS / "portal-colleagues.png"), full_page=True)
    tevita.locator("button:has-text('Resend invitation')").click()
    page.wait_for_selector("text=We sent a new invitation to tevita@vanua.example")
    page.screenshot(path=str(ARTIFACTS / "portal-colleague-invitation-resent.png"), full_page=True)
    assert len(mail.outbox) == 2
    new_link = re.search(r"http://\S+/portal/invitation/\S+/", mail.outbox[1].body).group(0)
    assert new_link != first_link
    # Sera accepted long ago: she has no resend button, and alice none for herself.
    assert page.locator(".team li", has_text="sera@vanua.example").locator("text=Resend invitation").count() == 0
    assert page.locator(".team li", has_text="alice@vanua.example").locator(".actions").count() == 0

    # Remove Sera: a confirmation page first; "No, go back" changes nothing.
    page.locator(".team li", has_text="sera@vanua.example").locator("text=Remove").click()
    page.wait_for_selector("h1:has-text('Remove Sera Naivalu?')")
    page.screenshot(path=str(ARTIFACTS / "portal-colleague-remove-confirm.png"), full_page=True)
    page.click("text=No, go back")
    page.wait_for_selector("h1:has-text('People of')")
    assert ExporterMember.objects.filter(pk=sera.pk).exists()
    page.locator(".team li", has_text="sera@vanua.example").locator("text=Remove").click()
    page.click("button:has-text('Yes, remove')")
    page.wait_for_selector("text=Sera Naivalu is removed and can no longer act for your company.")
    assert not ExporterMember.objects.filter(pk=sera.pk).exists()
    assert page.locator(".team li", has_text="sera@vanua.example").count() == 0
    page.screenshot(path=str(ARTIFACTS / "portal-colleague-removed.png"), full_page=True)

    # The first link no longer works; the new one does.
    other = new_page(browser)
    other.goto(first_link)
    other.wait_for_selector("text=This invitation link does not work")
    other.goto(new_link)
    other.wait_for_selector("text=Welcome, Tevita")
