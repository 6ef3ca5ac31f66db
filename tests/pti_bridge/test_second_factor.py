"""The staff's second factor (pti_bridge/second_factor.py, pti_bridge/admin_site.py): the
admin opens only after a code from an authenticator app or a recovery code; exporters
never meet it."""

import re
from base64 import b32decode

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from pti_bridge import second_factor
from tests.conftest import authenticator_code, sign_in_staff
from tests.factories import ExporterDocumentFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
ADMIN = "/admin/"


def password_only(client, user, next_url=ADMIN):
    return client.post(reverse("admin:login"), {"username": user.username, "password": PASSWORD, "next": next_url})


@pytest.fixture
def enrolled(staff):
    """Li Wei with an authenticator and ten recovery codes."""
    device = TOTPDevice.objects.create(user=staff, name="Authenticator", confirmed=True)
    codes = second_factor.replace_recovery_codes(staff, codes=[f"recover{n:02d}" for n in range(10)])
    return device, codes


def test_the_password_alone_does_not_open_the_admin(client, staff, verified_exporter):
    document = ExporterDocumentFactory(exporter=verified_exporter)
    client.force_login(staff)  # signed in with the password, no code yet

    pages = [
        client.get(ADMIN),
        client.get(reverse("admin:inquiries_inquiry_changelist")),
        client.get(reverse("admin:pti_bridge_user_changelist")),
        client.get(reverse("admin_reports_inquiries_csv"), {"start": "2026-01-01", "end": "2026-06-30"}),
    ]

    for page in pages:
        assert page.status_code == 302 and page["Location"].startswith("/admin/login/")
        assert not page.streaming and page.content == b""
    assert client.get(reverse("exporter_document", args=[document.pk])).status_code == 404
    # The sign-in page sends Li Wei on to set up the authenticator.
    step = client.get(pages[0]["Location"])
    assert step.status_code == 302 and step["Location"] == "/admin/second-factor/?next=%2Fadmin%2F"
    assert client.get(step["Location"])["Location"] == "/admin/second-factor/enrol/?next=%2Fadmin%2F"


def test_enrolment_shows_the_qr_code_and_secret_then_the_recovery_codes_once(client, staff):
    password_only(client, staff)
    page = client.get(reverse("admin:second_factor_enrol"), {"next": ADMIN})
    body = page.content.decode()
    assert page.status_code == 200 and page["Cache-Control"].startswith("max-age=0")
    assert '<div class="pti-qr"' in body and "<svg" in body
    # Nothing inline that a strict Content-Security-Policy would block.
    assert not re.search(r"<script(?![^>]*\bsrc=)", body) and " style=" not in body
    secret = re.search(r'<code class="pti-secret" id="pti-secret">([A-Z2-7 ]+)</code>', body).group(1)
    device = TOTPDevice.objects.get(user=staff)
    assert not device.confirmed and b32decode(secret.replace(" ", "")) == device.bin_key

    wrong = client.post(reverse("admin:second_factor_enrol"), {"code": "000000", "next": ADMIN})
    assert "This code is not right" in wrong.content.decode()
    assert not TOTPDevice.objects.get(user=staff).confirmed
    assert client.get(ADMIN).status_code == 302

    device.throttle_reset()  # django-otp asks for a second's pause after a wrong code
    code = TOTP(b32decode(secret.replace(" ", ""))).token()
    shown = client.post(reverse("admin:second_factor_enrol"), {"code": f"{code:06d}", "next": ADMIN})

    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", shown.content.decode())
    assert len(codes) == 10
    assert sorted(codes) == sorted(StaticToken.objects.filter(device__user=staff).values_list("token", flat=True))
    assert TOTPDevice.objects.get(user=staff).confirmed
    assert client.get(ADMIN).status_code == 200
    # Never shown again.
    again = client.get(reverse("admin:second_factor_enrol"))
    assert again.status_code == 302 and codes[0] not in again.content.decode()


def test_a_wrong_code_is_refused_and_the_right_one_opens_the_admin(client, staff, enrolled):
    device, _codes = enrolled
    step = password_only(client, staff)
    assert step["Location"] == "/admin/second-factor/?next=%2Fadmin%2F"

    wrong = client.post(step["Location"], {"code": "123456", "next": ADMIN})
    assert wrong.status_code == 200 and "This code is not right" in wrong.content.decode()
    assert client.get(ADMIN).status_code == 302

    device.throttle_reset()  # django-otp asks for a second's pause after a wrong code
    right = client.post(step["Location"], {"code": authenticator_code(device), "next": ADMIN})

    assert right.status_code == 302 and right["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200


def test_wrong_codes_in_a_row_are_slowed_down(client, staff, enrolled):
    device, _codes = enrolled
    password_only(client, staff)
    client.post("/admin/second-factor/", {"code": "123456"})

    refused = client.post("/admin/second-factor/", {"code": authenticator_code(device)})

    assert "Too many wrong codes. Wait 1 seconds" in refused.content.decode()
    assert client.get(ADMIN).status_code == 302


def test_a_recovery_code_works_once(client, staff, enrolled):
    _device, codes = enrolled
    password_only(client, staff)

    used = client.post("/admin/second-factor/", {"code": codes[3].upper(), "next": ADMIN}, follow=True)

    assert used.redirect_chain == [(ADMIN, 302)]
    assert "You used a recovery code; 9 are left." in used.content.decode()
    client.post(reverse("admin:logout"))
    password_only(client, staff)
    again = client.post("/admin/second-factor/", {"code": codes[3], "next": ADMIN})
    assert again.status_code == 200 and "This code is not right" in again.content.decode()
    assert client.get(ADMIN).status_code == 302


def test_the_code_pages_in_chinese(client, staff, enrolled):
    password_only(client, staff)
    page = client.get("/admin/second-factor/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert "输入登录验证码" in page.content.decode() and 'id="site-name"' in page.content.decode()


def test_only_a_local_next_address_is_followed(client, staff, enrolled):
    device, _codes = enrolled
    password_only(client, staff)

    response = client.post(
        "/admin/second-factor/", {"code": authenticator_code(device), "next": "https://evil.example/"}
    )

    assert response["Location"] == ADMIN


def test_the_test_helper_signs_staff_in_with_a_verified_device(client, staff):
    sign_in_staff(client, staff)
    assert client.get(ADMIN).status_code == 200


def test_exporters_sign_in_without_a_code(client, alice):
    response = client.post(reverse("portal:login"), {"username": alice.email, "password": PASSWORD}, follow=True)

    assert response.redirect_chain == [(reverse("portal:dashboard"), 302)]
    assert response.status_code == 200
    assert not TOTPDevice.objects.exists()
