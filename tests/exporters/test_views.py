"""The portal's account pages: registration, e-mail confirmation, sign-in with lockout,
passwords, the company profile and colleagues."""

import re
import threading
import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signing import TimestampSigner
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from exporters import services
from exporters.models import Exporter, ExporterMember
from pti_bridge.audit import audit_trail
from tests.factories import CountryFactory, ExporterMemberFactory, image_bytes

pytestmark = pytest.mark.django_db


User = get_user_model()
PASSWORD = "correct-horse-battery"


def registration_data(**overrides):
    data = {
        "name": "Savai'i Cocoa Cooperative",
        "country": "WS",
        "sector": "agriculture",
        "address": "Salelologa, Savai'i",
        "phone": "+685 12345",
        "website": "https://cocoa.example.ws",
        "description_en": "Fermented and sun-dried Samoan cocoa beans.",
        "first_name": "Mele",
        "last_name": "Tuilagi",
        "email": "Mele@Cocoa.example.ws",
        "password1": "Koko-Samoa-2026!",
        "password2": "Koko-Samoa-2026!",
    }
    data.update(overrides)
    return data


@pytest.fixture
def samoa():
    return CountryFactory(code="WS", name_en="Samoa", name_zh_hans="萨摩亚")


def confirmation_link(message) -> str:
    return re.search(r"https?://\S+/portal/confirm/\S+/", message.body).group(0)


def test_root_redirects_to_the_portal_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:login") == "/portal/sign-in/"


def test_registration_creates_pending_company_and_inactive_owner_and_mails_link_after_commit(
    client, samoa, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("portal:register"), registration_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:register_done")
    exporter = Exporter.objects.get()
    assert exporter.name == "Savai'i Cocoa Cooperative"
    assert exporter.country_id == "WS"
    assert exporter.verification_status == Exporter.VerificationStatus.PENDING
    user = User.objects.get()
    assert (user.username, user.email, user.is_active) == ("mele@cocoa.example.ws", "Mele@cocoa.example.ws", False)
    assert user.check_password("Koko-Samoa-2026!")
    assert ExporterMember.objects.get().role == ExporterMember.Role.OWNER
    assert [e.action for e in audit_trail(exporter)] == ["register"]
    # The mail goes only after commit, once.
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["Mele@cocoa.example.ws"]
    assert mail.outbox[0].subject == "Confirm your e-mail address for PTI Bridge"
    assert "/portal/confirm/" in mail.outbox[0].body


def test_no_mail_is_sent_when_registration_is_refused(client, samoa, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("portal:register"), registration_data(password2="something-else"))
    assert response.status_code == 200
    assert callbacks == []
    assert mail.outbox == []
    assert not Exporter.objects.exists() and not User.objects.exists()


def test_unconfirmed_account_cannot_sign_in_and_is_told_why(client, samoa, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:register"), registration_data())

    response = client.post(
        reverse("portal:login"), {"username": "mele@cocoa.example.ws", "password": "Koko-Samoa-2026!"}
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Confirm your e-mail address" in response.content.decode()


def test_confirmation_link_activates_then_sign_in_shows_pending_dashboard(
    client, samoa, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:register"), registration_data())
    link = confirmation_link(mail.outbox[0])

    response = client.get(link.replace("http://127.0.0.1:8000", ""))
    assert response.status_code == 302 and response["Location"] == reverse("portal:login")
    assert User.objects.get().is_active is True

    response = client.post(
        reverse("portal:login"), {"username": "MELE@cocoa.example.ws", "password": "Koko-Samoa-2026!"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("portal:dashboard")
    page = response.content.decode()
    assert "Waiting for verification" in page
    assert "PTI staff are checking your company." in page


def test_confirmation_link_expires_and_cannot_be_forged(client, samoa, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:register"), registration_data())
    user = User.objects.get()
    link = confirmation_link(mail.outbox[0]).replace("http://127.0.0.1:8000", "")

    tampered = client.get(link[:-3] + "xx/")
    assert tampered.status_code == 400
    assert "This link does not work" in tampered.content.decode()

    # A link signed four days ago (the limit is three).
    old_token = _token_signed_at(
        TimestampSigner(salt=services.CONFIRM_EMAIL_SALT), {"u": user.pk, "e": user.email.lower()}, days_ago=4
    )
    expired = client.get(reverse("portal:confirm_email", kwargs={"token": old_token}))
    assert expired.status_code == 400
    user.refresh_from_db()
    assert user.is_active is False


def _token_signed_at(signer, payload, *, days_ago):
    class SignedEarlier(type(signer)):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - days_ago * 24 * 3600)

    return SignedEarlier(salt=signer.salt).sign_object(payload)


def test_resend_confirmation_sends_a_new_link_only_to_unconfirmed_accounts(
    client, samoa, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:register"), registration_data())
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("portal:resend_confirmation"), {"email": "mele@COCOA.example.ws"})
        second = client.post(reverse("portal:resend_confirmation"), {"email": alice.email})
        third = client.post(reverse("portal:resend_confirmation"), {"email": "nobody@example.com"})

    assert [r.status_code for r in (first, second, third)] == [302, 302, 302]
    assert [m.to for m in mail.outbox] == [["Mele@cocoa.example.ws"]]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "ALICE@vanua.example"}, "email", "An account with this e-mail address already exists."),
        ({"name": "vanua vanilla co"}, "name", "A company with this name is already registered."),
    ],
)
def test_registering_twice_gives_a_clear_message_and_no_second_account(client, samoa, alice, overrides, field, message):
    before = (User.objects.count(), Exporter.objects.count(), ExporterMember.objects.count())

    response = client.post(reverse("portal:register"), registration_data(**overrides))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert (User.objects.count(), Exporter.objects.count(), ExporterMember.objects.count()) == before
    assert mail.outbox == []


def test_registration_form_errors_are_labelled_and_escaped(client, samoa):
    response = client.post(
        reverse("portal:register"), registration_data(name="<script>alert(1)</script>", website="not a url")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'aria-invalid="true"' in page
    assert 'id="id_website_error"' in page
    assert (
        'aria-describedby="id_website_error"' in page
        or 'aria-describedby="id_website_helptext id_website_error"' in page
    )


def test_service_turns_the_database_constraint_into_a_form_error(samoa, alice, monkeypatch):
    """When the friendly pre-check misses (another request committed meanwhile), the
    unique constraint decides and the service raises the same field error."""
    monkeypatch.setattr(services, "_duplicate_registration_error", _skip_first_check())
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        services.exporter_register(
            company={"name": "New Name Ltd", "country": samoa, "sector": "agriculture"},
            email="Alice@Vanua.example",
            password=PASSWORD,
        )
    assert list(caught.value.error_dict) == ["email"]
    assert Exporter.objects.filter(name="New Name Ltd").count() == 0
    assert User.objects.filter(email__iexact="alice@vanua.example").count() == 1


def _skip_first_check():
    real = services._duplicate_registration_error
    calls = []

    def check(**kwargs):
        calls.append(kwargs)
        return None if len(calls) == 1 else real(**kwargs)

    return check


# Two registrations at the same moment: real PostgreSQL, two threads, the database decides.


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("first", "second", "field"),
    [
        ({"email": "one@cocoa.example"}, {"email": "ONE@cocoa.example", "name": "Another Cocoa Ltd"}, "email"),
        ({"email": "one@cocoa.example"}, {"email": "two@cocoa.example", "name": "SAVAI'I COCOA COOPERATIVE"}, "name"),
    ],
)
def test_two_simultaneous_registrations_make_one_account(postgres, samoa, monkeypatch, first, second, field):
    # Both requests must pass the friendly pre-check before either inserts, so that the
    # unique constraint, not the pre-check, decides. The barrier only holds them there.
    barrier = threading.Barrier(2, timeout=10)
    real_full_clean = Exporter.full_clean

    def full_clean_after_both_checked(self, *args, **kwargs):
        barrier.wait()
        return real_full_clean(self, *args, **kwargs)

    monkeypatch.setattr(Exporter, "full_clean", full_clean_after_both_checked)
    results = {}

    def submit(key, overrides):
        from django.db import connection

        try:
            results[key] = Client().post(reverse("portal:register"), registration_data(**overrides))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(k, o)) for k, o in (("a", first), ("b", second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    codes = sorted(response.status_code for response in results.values())
    assert codes == [200, 302]
    loser = next(response for response in results.values() if response.status_code == 200)
    assert field in loser.context["form"].errors
    assert User.objects.count() == 1
    assert Exporter.objects.count() == 1
    assert ExporterMember.objects.count() == 1


# Signing in, lockout


def test_sign_in_by_email_and_sign_out(client, alice):
    response = client.post(reverse("portal:login"), {"username": "Alice@Vanua.example", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("portal:dashboard")
    assert client.get(reverse("portal:dashboard")).status_code == 200

    response = client.post(reverse("portal:logout"))
    assert response.status_code == 302 and response["Location"] == reverse("portal:login")
    assert client.get(reverse("portal:dashboard"))["Location"].startswith(reverse("portal:login"))


def test_wrong_password_is_a_form_error(client, alice):
    response = client.post(reverse("portal:login"), {"username": alice.email, "password": "wrong"})
    assert response.status_code == 200
    assert "The e-mail address or the password is wrong." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_repeated_wrong_passwords_lock_for_a_while_from_that_connection_only(client, alice, settings):
    settings.AXES_FAILURE_LIMIT = 3
    url = reverse("portal:login")
    for _ in range(2):
        assert (
            client.post(url, {"username": alice.email, "password": "wrong"}, REMOTE_ADDR="10.0.0.66").status_code == 200
        )

    locked = client.post(url, {"username": alice.email, "password": "wrong"}, REMOTE_ADDR="10.0.0.66")
    assert locked.status_code == 429
    assert "Sign-in paused for 15 minutes" in locked.content.decode()

    # Even the right password is refused from that connection while locked...
    again = client.post(url, {"username": alice.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.66")
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session

    # ...but the owner elsewhere signs in: a stranger cannot lock her out.
    elsewhere = Client(REMOTE_ADDR="203.0.113.7")
    response = elsewhere.post(url, {"username": alice.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("portal:dashboard")

    # And after the cool-off the lock ends by itself.
    AccessAttempt.objects.filter(ip_address="10.0.0.66").update(attempt_time=timezone.now() - timedelta(minutes=16))
    later = Client(REMOTE_ADDR="10.0.0.66").post(url, {"username": alice.email, "password": PASSWORD})
    assert later.status_code == 302


def test_password_change_and_reset_use_portal_pages(client, alice, django_capture_on_commit_callbacks):
    client.force_login(alice)
    response = client.post(
        reverse("portal:password_change"),
        {"old_password": PASSWORD, "new_password1": "Vanilla-Beans-2027", "new_password2": "Vanilla-Beans-2027"},
    )
    assert response["Location"] == reverse("portal:password_change_done")
    alice.refresh_from_db()
    assert alice.check_password("Vanilla-Beans-2027")

    client.logout()
    response = client.post(reverse("portal:password_reset"), {"email": "alice@vanua.example"})
    assert response["Location"] == reverse("portal:password_reset_done")
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/portal/password/reset/\S+/", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "Kava-Root-2028", "new_password2": "Kava-Root-2028"}
    )
    assert response["Location"] == reverse("portal:password_reset_complete")
    alice.refresh_from_db()
    assert alice.check_password("Kava-Root-2028")


def test_staff_without_company_get_a_clear_refusal(client, staff):
    client.force_login(staff)
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 403
    assert "This portal is for exporters" in response.content.decode()


# Company profile and colleagues


def test_profile_edit_saves_and_audits(client, alice, verified_exporter):
    client.force_login(alice)
    data = {
        "name": "Vanua Vanilla Company",
        "country": "FJ",
        "sector": "agriculture",
        "address": "Savusavu",
        "phone": "+679 555",
        "website": "https://vanua.example",
        "description_en": "Vanilla from Vanua Levu.",
        "year_founded": "2009",
        "export_markets": "NZ, AU",
        "gacc_registration_number": "CFJ123456",
    }
    response = client.post(reverse("portal:profile"), data)
    assert response.status_code == 302
    verified_exporter.refresh_from_db()
    assert verified_exporter.name == "Vanua Vanilla Company"
    assert verified_exporter.year_founded == 2009
    assert verified_exporter.verification_status == Exporter.VerificationStatus.VERIFIED
    assert audit_trail(verified_exporter).first().action == "update_profile"


def test_profile_cannot_take_another_companys_name(client, alice, verified_exporter, other_exporter):
    client.force_login(alice)
    response = client.post(
        reverse("portal:profile"), {"name": "TONGA kava growers", "country": "FJ", "sector": "agriculture"}
    )
    assert response.status_code == 200
    assert "Another company already uses this name." in response.content.decode()
    verified_exporter.refresh_from_db()
    assert verified_exporter.name == "Vanua Vanilla Co"


def test_logo_upload_is_cleaned_and_stored(client, alice, verified_exporter):
    client.force_login(alice)
    upload = SimpleUploadedFile("logo.png", image_bytes(size=(800, 600), fmt="PNG"), content_type="image/png")
    response = client.post(reverse("portal:profile"), {"upload_logo": "1", "logo": upload})
    assert response.status_code == 302
    verified_exporter.refresh_from_db()
    assert verified_exporter.logo.name.startswith("logos/")
    from PIL import Image

    with verified_exporter.logo.open() as stored:
        assert max(Image.open(stored).size) == 512


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("logo.png", b"<?php echo 'hi'; ?>"),
        ("logo.gif", image_bytes(fmt="GIF")),
        ("logo.jpg", b"\xff\xd8\xff\xe0broken"),
    ],
)
def test_logo_upload_refuses_anything_but_real_images(client, alice, verified_exporter, name, content, tmp_path):
    client.force_login(alice)
    response = client.post(reverse("portal:profile"), {"upload_logo": "1", "logo": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert response.context["logo_form"].errors["logo"]
    verified_exporter.refresh_from_db()
    assert verified_exporter.logo.name == ""
    assert not (tmp_path / "media" / "logos").exists()


def test_owner_invites_colleague_who_sets_password_and_acts_for_company(
    client, alice, verified_exporter, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("portal:members"), {"first_name": "Sera", "last_name": "Naivalu", "email": "sera@vanua.example"}
        )
    assert response.status_code == 302
    member = ExporterMember.objects.get(user__email="sera@vanua.example")
    assert (member.exporter, member.role, member.user.is_active) == (verified_exporter, "colleague", False)
    assert not member.user.has_usable_password()
    assert mail.outbox[0].to == ["sera@vanua.example"]
    link = (
        re.search(r"https?://\S+/portal/invitation/\S+/", mail.outbox[0].body)
        .group(0)
        .replace("http://127.0.0.1:8000", "")
    )

    client.logout()
    assert client.get(link).status_code == 200
    response = client.post(link, {"new_password1": "Sera-Vanilla-77", "new_password2": "Sera-Vanilla-77"})
    assert response["Location"] == reverse("portal:login")
    # The link works once.
    assert client.get(link).status_code == 400

    response = client.post(reverse("portal:login"), {"username": "sera@vanua.example", "password": "Sera-Vanilla-77"})
    assert response["Location"] == reverse("portal:dashboard")
    assert verified_exporter.name in client.get(reverse("portal:dashboard")).content.decode()


def test_colleague_cannot_invite_and_duplicate_invite_is_refused(client, alice, bob, verified_exporter):
    colleague = ExporterMemberFactory(exporter=verified_exporter, role="colleague").user
    client.force_login(colleague)
    response = client.post(reverse("portal:members"), {"first_name": "X", "last_name": "Y", "email": "x@example.com"})
    assert response.status_code == 403
    assert not User.objects.filter(email="x@example.com").exists()

    client.force_login(alice)
    response = client.post(
        reverse("portal:members"), {"first_name": "B", "last_name": "B", "email": "BOB@tongakava.example"}
    )
    assert response.status_code == 200
    assert "already has an account" in response.content.decode()


def test_every_form_carries_a_csrf_token(client, alice, samoa):
    pages = [reverse("portal:login"), reverse("portal:register"), reverse("portal:password_reset")]
    for url in pages:
        assert 'name="csrfmiddlewaretoken"' in client.get(url).content.decode(), url
    client.force_login(alice)
    for url in [reverse("portal:profile"), reverse("portal:members"), reverse("portal:password_change")]:
        assert 'name="csrfmiddlewaretoken"' in client.get(url).content.decode(), url
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("portal:register"), registration_data())
    assert response.status_code == 403
    assert not Exporter.objects.filter(name__startswith="Savai").exists()
