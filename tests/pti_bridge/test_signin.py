"""Sign-in lockout (django-axes through pti_bridge/signin.py) behind the reverse proxy the
README requires: the client's address is read by the throttle's trusted-proxy rule, the
lock is per account and address, one address is stopped over many accounts, and the
right password on an unconfirmed account is not a failure."""

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
PROXY = "10.0.0.1"  # the reverse proxy: every request reaches the app from it


@pytest.fixture(autouse=True)
def behind_one_proxy(settings):
    settings.NUM_PROXIES = 1
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_ADDRESS_FAILURE_LIMIT = 6


def from_address(address: str, **extra) -> Client:
    """A browser at `address`, seen through the proxy (which appends it to X-Forwarded-For)."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address, **extra)


def sign_in(client: Client, email: str, password: str, url: str | None = None):
    return client.post(url or reverse("portal:login"), {"username": email, "password": password})


def test_a_strangers_failures_do_not_lock_the_victim_out(alice):
    stranger = from_address("198.51.100.66")
    for _attempt in range(3):
        sign_in(stranger, alice.email, "guess")
    assert sign_in(stranger, alice.email, PASSWORD).status_code == 429

    victim = from_address("203.0.113.7")
    response = sign_in(victim, alice.email, PASSWORD)

    assert response.status_code == 302 and response["Location"] == reverse("portal:dashboard")
    assert "_auth_user_id" in victim.session


def test_a_made_up_forwarded_entry_does_not_dodge_the_lock(alice):
    # The client sends its own X-Forwarded-For; the proxy appends the real address after it.
    for fake in ("1.1.1.1", "2.2.2.2", "3.3.3.3"):
        sign_in(Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{fake}, 198.51.100.66"), alice.email, "guess")

    response = sign_in(from_address("198.51.100.66"), alice.email, PASSWORD)

    assert response.status_code == 429


def test_the_same_address_is_locked_and_told_when_to_retry(alice):
    attacker = from_address("198.51.100.66")
    answers = [sign_in(attacker, alice.email, "guess").status_code for _attempt in range(3)]

    locked = sign_in(attacker, alice.email, PASSWORD)

    assert answers == [200, 200, 429]
    assert locked.status_code == 429
    assert locked["Retry-After"] == "900"  # AXES_COOLOFF_HOURS=0.25
    assert "Sign-in paused for 15 minutes" in locked.content.decode()
    assert "_auth_user_id" not in attacker.session


def test_one_address_trying_many_accounts_is_stopped(alice):
    attacker = from_address("198.51.100.66")
    answers = [sign_in(attacker, f"person{n}@example.com", "guess").status_code for n in range(6)]

    # Under the per-account limit for every one of them, yet the address is stopped, even
    # with a right password...
    assert answers == [200] * 5 + [429]
    refused = sign_in(attacker, alice.email, PASSWORD)
    assert refused.status_code == 429 and refused["Retry-After"] == "900"
    assert "_auth_user_id" not in attacker.session
    # ...while everyone elsewhere signs in.
    assert sign_in(from_address("203.0.113.7"), alice.email, PASSWORD).status_code == 302


def test_the_right_password_on_an_unconfirmed_account_asks_for_confirmation(django_capture_on_commit_callbacks):
    newcomer = UserFactory(email="mele@cocoa.example.ws", is_active=False)
    browser = from_address("198.51.100.7")

    page = sign_in(browser, newcomer.email, PASSWORD)

    assert page.status_code == 200
    body = page.content.decode()
    assert "Confirm your e-mail address" in body and "mele@cocoa.example.ws" in body
    assert f'action="{reverse("portal:resend_confirmation")}"' in body
    assert "_auth_user_id" not in browser.session
    assert not AccessAttempt.objects.exists()  # not a failure
    # The page's button sends a new link.
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(reverse("portal:resend_confirmation"), {"email": newcomer.email})
    assert [message.to for message in mail.outbox] == [["mele@cocoa.example.ws"]]


def test_a_wrong_password_on_an_unconfirmed_account_is_still_a_failure():
    newcomer = UserFactory(email="mele@cocoa.example.ws", is_active=False)

    page = sign_in(from_address("198.51.100.7"), newcomer.email, "guess")

    assert "Confirm your e-mail address" not in page.content.decode()
    assert AccessAttempt.objects.get().failures_since_start == 1


def test_a_locked_unconfirmed_account_does_not_tell_a_right_password_apart():
    newcomer = UserFactory(email="mele@cocoa.example.ws", is_active=False)
    attacker = from_address("198.51.100.66")
    for _attempt in range(3):
        sign_in(attacker, newcomer.email, "guess")

    page = sign_in(attacker, newcomer.email, PASSWORD)

    assert page.status_code == 429
    assert "Confirm your e-mail address" not in page.content.decode()


def test_staff_locked_out_of_the_admin_see_the_admins_page_in_chinese():
    staff = StaffFactory(email="li.wei@pti.example")
    browser = from_address("198.51.100.66", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    for _attempt in range(3):
        sign_in(browser, staff.email, "guess", url=reverse("admin:login"))

    locked = sign_in(browser, staff.email, PASSWORD, url=reverse("admin:login"))

    body = locked.content.decode()
    assert locked.status_code == 429 and locked["Retry-After"] == "900"
    assert '<html lang="zh-hans"' in body
    assert "登录已暂停" in body and "15 分钟" in body
    assert 'id="site-name"' in body and "portal/portal.css" not in body  # the admin's page, not the portal's
    assert "_auth_user_id" not in browser.session


def test_staff_locked_out_of_the_admin_in_english():
    staff = StaffFactory(email="li.wei@pti.example")
    browser = from_address("198.51.100.66", HTTP_ACCEPT_LANGUAGE="en")
    for _attempt in range(3):
        sign_in(browser, staff.email, "guess", url=reverse("admin:login"))

    body = sign_in(browser, staff.email, PASSWORD, url=reverse("admin:login")).content.decode()

    assert "Sign-in paused" in body and "15 minutes" in body and 'id="site-name"' in body
