"""The portal's sign-in pages around a refused password, in a real browser (Debian's
Chromium): the newcomer who has not confirmed the e-mail yet, and the lockout.
Screenshots go to test-artifacts/."""

import pytest
from django.core import mail

from tests.e2e.test_portal import ARTIFACTS, PASSWORD, browser, new_page  # noqa: F401 - `browser` is a fixture
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, email, password):
    page.goto(f"{live_server.url}/portal/sign-in/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.click("button.btn")


def test_a_newcomer_with_the_right_password_is_asked_to_confirm_and_gets_a_new_link(browser, live_server):  # noqa: F811
    UserFactory(email="mele@cocoa.example.ws", is_active=False)
    page = new_page(browser)

    sign_in(page, live_server, "mele@cocoa.example.ws", PASSWORD)

    assert page.locator("h1").inner_text() == "Confirm your e-mail address"
    page.screenshot(path=ARTIFACTS / "portal-confirm-first.png", full_page=True)
    page.click("text=Send me a new link")
    page.wait_for_url(f"{live_server.url}/portal/sign-in/")
    assert [message.to for message in mail.outbox] == [["mele@cocoa.example.ws"]]


def test_an_exporter_locked_out_reads_how_long(browser, live_server, alice, settings):  # noqa: F811
    settings.AXES_FAILURE_LIMIT = 2
    page = new_page(browser)
    for _attempt in range(2):
        sign_in(page, live_server, alice.email, "wrong-password")

    assert page.locator("h1").inner_text() == "Sign-in paused for 15 minutes"
    page.screenshot(path=ARTIFACTS / "portal-locked-out.png", full_page=True)
