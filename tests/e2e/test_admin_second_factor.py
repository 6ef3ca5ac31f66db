"""The staff's second factor in a real browser (Debian's Chromium), in Chinese: a staff
member without an authenticator sets one up from the QR code's key, keeps the recovery
codes, signs out, signs in again with the password and a code computed from the key.
Then a lockout at the admin's sign-in. Screenshots go to test-artifacts/."""

import re
import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from tests.e2e.test_portal import ARTIFACTS, PASSWORD, browser  # noqa: F401 - `browser` is a fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def chinese_page(browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def code_from(key: str, *, steps_ahead: int = 0) -> str:
    """What an authenticator app given `key` shows (`steps_ahead` 30-second steps later)."""
    totp = TOTP(b32decode(key.replace(" ", "")))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def password(page, live_server, staff):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", staff.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")


def test_staff_set_up_an_authenticator_then_sign_in_with_a_code(browser, live_server, staff):  # noqa: F811
    page = chinese_page(browser)
    password(page, live_server, staff)

    page.wait_for_url(re.compile(r".*/admin/second-factor/enrol/\?next=%2Fadmin%2F$"))
    assert page.locator("h1").inner_text() == "设置登录验证码"
    assert page.locator(".pti-qr svg").is_visible()
    page.screenshot(path=ARTIFACTS / "admin-second-factor-enrol-zh.png", full_page=True)
    key = page.locator("#pti-secret").inner_text()
    page.fill("#id_code", code_from(key))
    page.click("#second-factor-form input[type=submit]")

    codes = page.locator("#pti-recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    page.screenshot(path=ARTIFACTS / "admin-second-factor-recovery-codes-zh.png", full_page=True)
    page.click("text=我已保存：进入后台")
    page.wait_for_url(f"{live_server.url}/admin/")
    assert page.locator("#site-name").inner_text() == "PTI Bridge 后台"

    page.click("#logout-form button")
    password(page, live_server, staff)
    page.wait_for_url(re.compile(r".*/admin/second-factor/\?next=%2Fadmin%2F$"))
    page.screenshot(path=ARTIFACTS / "admin-second-factor-verify-zh.png", full_page=True)
    page.fill("#id_code", "000000")
    page.click("#second-factor-form input[type=submit]")
    assert "验证码不正确" in page.locator(".errorlist").inner_text()
    page.screenshot(path=ARTIFACTS / "admin-second-factor-wrong-code-zh.png", full_page=True)
    time.sleep(1.1)  # django-otp's pause after a wrong code
    # This step's code was used at enrolment: the app's next one, as a person would wait for.
    page.fill("#id_code", code_from(key, steps_ahead=1))
    page.click("#second-factor-form input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    assert page.locator("#site-name").is_visible()


def test_staff_locked_out_of_the_admin_read_why_in_chinese(browser, live_server, staff, settings):  # noqa: F811
    settings.AXES_FAILURE_LIMIT = 2
    page = chinese_page(browser)
    for _attempt in range(2):
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", staff.username)
        page.fill("#id_password", "wrong-password")
        page.click("input[type=submit]")

    assert page.locator("h1").inner_text() == "登录已暂停"
    assert "15 分钟" in page.locator(".errornote").inner_text()
    page.screenshot(path=ARTIFACTS / "admin-locked-out-zh.png", full_page=True)
