"""Issue 16: the owner removes a colleague and resends an invitation (services and portal pages)."""

import re
import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.core.exceptions import PermissionDenied
from django.core.signing import TimestampSigner
from django.urls import reverse

from exporters import services
from exporters.models import ExporterMember
from pti_bridge.audit import audit_trail
from pti_bridge.errors import InvalidTransition, RuleViolation
from tests.factories import ExporterDocumentFactory, ExporterMemberFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "correct-horse-battery"


def invite_link(message) -> str:
    return re.search(r"https?://\S+(/portal/invitation/\S+/)", message.body).group(1)


@pytest.fixture
def sera(verified_exporter):
    """A colleague who accepted the invitation and has signed in."""
    return ExporterMemberFactory(exporter=verified_exporter, role="colleague", user__email="sera@vanua.example")


@pytest.fixture
def invited(alice, verified_exporter, django_capture_on_commit_callbacks):
    """A pending invitation sent by alice, with its e-mail in the outbox."""
    with django_capture_on_commit_callbacks(execute=True):
        member = services.member_invite(
            exporter=verified_exporter, email="tevita@vanua.example", first_name="Tevita", last_name="F", actor=alice
        )
    return member


def snapshot(exporter):
    members = sorted(
        ExporterMember.objects.filter(exporter=exporter).values_list("user__email", "role", "user__is_active")
    )
    return members, audit_trail(exporter).count(), User.objects.count(), len(mail.outbox)


# Services: colleague_remove


def test_owner_removes_a_colleague_who_loses_access_at_once_and_keeps_their_records(
    client, alice, sera, verified_exporter
):
    document = ExporterDocumentFactory(exporter=verified_exporter, uploaded_by=sera.user)
    client.force_login(sera.user)
    assert client.get(reverse("portal:dashboard")).status_code == 200

    services.colleague_remove(exporter=verified_exporter, member=sera, actor=alice)

    assert not ExporterMember.objects.filter(pk=sera.pk).exists()
    user = User.objects.get(pk=sera.user.pk)  # kept: other records name it
    assert not user.is_active
    document.refresh_from_db()
    assert document.uploaded_by == user
    # The open session ends: the next page asks to sign in again.
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 302 and reverse("portal:login") in response["Location"]
    response = client.post(reverse("portal:login"), {"username": "sera@vanua.example", "password": PASSWORD})
    assert response.status_code == 200  # the form again, not the dashboard
    assert client.get(reverse("portal:dashboard")).status_code == 302
    entry = audit_trail(verified_exporter).get(action="remove_member")
    assert (entry.actor, entry.note) == (alice, "sera@vanua.example")


def test_removing_a_pending_invitation_kills_its_link_and_frees_the_address(
    client, alice, invited, verified_exporter, django_capture_on_commit_callbacks
):
    link = invite_link(mail.outbox[-1])
    assert client.get(link).status_code == 200

    services.colleague_remove(exporter=verified_exporter, member=invited, actor=alice)

    assert client.get(link).status_code == 400
    assert not User.objects.filter(email="tevita@vanua.example").exists()
    assert audit_trail(verified_exporter).filter(action="withdraw_invitation", actor=alice).count() == 1
    # The owner may invite the same address again.
    with django_capture_on_commit_callbacks(execute=True):
        services.member_invite(
            exporter=verified_exporter, email="tevita@vanua.example", first_name="T", last_name="F", actor=alice
        )
    assert client.get(invite_link(mail.outbox[-1])).status_code == 200


def test_a_removed_pending_invitee_kept_as_user_cannot_use_the_link(client, alice, invited, verified_exporter):
    """The link also checks the membership, not only the account."""
    link = invite_link(mail.outbox[-1])
    ExporterMember.objects.filter(pk=invited.pk).delete()
    assert client.get(link).status_code == 400


@pytest.mark.parametrize("who", ["colleague", "other_company", "staff"])
def test_only_the_owner_may_remove(who, alice, sera, bob, staff, verified_exporter):
    actor = {
        "colleague": ExporterMemberFactory(exporter=verified_exporter, role="colleague").user,
        "other_company": bob,
        "staff": staff,
    }[who]
    before = snapshot(verified_exporter)
    with pytest.raises(PermissionDenied):
        services.colleague_remove(exporter=verified_exporter, member=sera, actor=actor)
    assert snapshot(verified_exporter) == before


def test_owner_cannot_remove_themselves(alice, verified_exporter):
    member = alice.exporter_membership
    before = snapshot(verified_exporter)
    with pytest.raises(RuleViolation):
        services.colleague_remove(exporter=verified_exporter, member=member, actor=alice)
    assert snapshot(verified_exporter) == before


def test_one_owner_may_remove_another_but_the_company_keeps_one(alice, verified_exporter):
    jone = ExporterMemberFactory(exporter=verified_exporter, role="owner", user__email="jone@vanua.example")
    services.colleague_remove(exporter=verified_exporter, member=jone, actor=alice)
    assert list(ExporterMember.objects.filter(exporter=verified_exporter).values_list("user__email", "role")) == [
        ("alice@vanua.example", "owner")
    ]
    # The removed owner's stale page cannot remove the last one.
    before = snapshot(verified_exporter)
    with pytest.raises(PermissionDenied):
        services.colleague_remove(exporter=verified_exporter, member=alice.exporter_membership, actor=jone.user)
    assert snapshot(verified_exporter) == before


def test_a_member_of_another_company_cannot_be_removed_through_mine(alice, bob, verified_exporter, other_exporter):
    before = snapshot(other_exporter)
    with pytest.raises(PermissionDenied):
        services.colleague_remove(exporter=verified_exporter, member=bob.exporter_membership, actor=alice)
    assert snapshot(other_exporter) == before


# Services: invitation_resend


def test_resend_sends_one_new_link_and_the_old_one_stops_working(
    client, alice, invited, verified_exporter, django_capture_on_commit_callbacks
):
    old_link = invite_link(mail.outbox[-1])
    sent = len(mail.outbox)

    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(exporter=verified_exporter, member=invited, actor=alice)

    assert len(mail.outbox) == sent + 1
    assert mail.outbox[-1].to == ["tevita@vanua.example"]
    new_link = invite_link(mail.outbox[-1])
    assert new_link != old_link
    assert client.get(old_link).status_code == 400
    assert client.get(new_link).status_code == 200
    assert audit_trail(verified_exporter).filter(action="resend_invitation", actor=alice).count() == 1
    response = client.post(new_link, {"new_password1": "Tevita-Kava-88", "new_password2": "Tevita-Kava-88"})
    assert response["Location"] == reverse("portal:login")


def test_resend_revives_an_expired_invitation(
    client, alice, invited, verified_exporter, django_capture_on_commit_callbacks
):
    class SignedEightDaysAgo(TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - 8 * 24 * 3600)

    payload = TimestampSigner(salt=services.INVITE_SALT).unsign_object(invite_link(mail.outbox[-1]).split("/")[-2])
    expired = SignedEightDaysAgo(salt=services.INVITE_SALT).sign_object(payload)
    assert client.get(reverse("portal:accept_invite", args=[expired])).status_code == 400

    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(exporter=verified_exporter, member=invited, actor=alice)

    assert client.get(invite_link(mail.outbox[-1])).status_code == 200
    assert "works for 7 days" in mail.outbox[-1].body


def test_resend_is_refused_for_an_accepted_invitation(
    alice, sera, verified_exporter, django_capture_on_commit_callbacks
):
    before = snapshot(verified_exporter)
    password = User.objects.get(pk=sera.user.pk).password
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(InvalidTransition):
        services.invitation_resend(exporter=verified_exporter, member=sera, actor=alice)
    assert snapshot(verified_exporter) == before
    assert User.objects.get(pk=sera.user.pk).password == password


@pytest.mark.parametrize("who", ["colleague", "other_company"])
def test_only_the_owner_may_resend(who, client, invited, bob, verified_exporter, django_capture_on_commit_callbacks):
    actor = ExporterMemberFactory(exporter=verified_exporter, role="colleague").user if who == "colleague" else bob
    link = invite_link(mail.outbox[-1])
    before = snapshot(verified_exporter)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        services.invitation_resend(exporter=verified_exporter, member=invited, actor=actor)
    assert snapshot(verified_exporter) == before
    assert client.get(link).status_code == 200


# Portal pages


def test_owner_sees_the_buttons_and_removes_after_confirming(client, alice, sera, invited, verified_exporter):
    client.force_login(alice)
    page = client.get(reverse("portal:members")).content.decode()
    assert reverse("portal:member_remove", args=[sera.pk]) in page
    assert reverse("portal:invitation_resend", args=[invited.pk]) in page
    assert reverse("portal:invitation_resend", args=[sera.pk]) not in page  # accepted: no resend
    assert reverse("portal:member_remove", args=[alice.exporter_membership.pk]) not in page  # not oneself

    confirm = client.get(reverse("portal:member_remove", args=[sera.pk]))
    assert confirm.status_code == 200
    assert "Yes, remove" in confirm.content.decode()
    assert ExporterMember.objects.filter(pk=sera.pk).exists()  # asking changes nothing

    response = client.post(reverse("portal:member_remove", args=[sera.pk]), follow=True)
    assert "is removed and can no longer act for your company" in response.content.decode()
    assert not ExporterMember.objects.filter(pk=sera.pk).exists()


def test_owner_resends_from_the_page(client, alice, invited, django_capture_on_commit_callbacks):
    client.force_login(alice)
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:invitation_resend", args=[invited.pk]), follow=True)
    assert "We sent a new invitation to tevita@vanua.example" in response.content.decode()
    assert len(mail.outbox) == sent + 1


def test_owner_gets_clear_errors(client, alice, sera, verified_exporter):
    client.force_login(alice)
    response = client.post(reverse("portal:invitation_resend", args=[sera.pk]), follow=True)
    assert "has accepted the invitation already" in response.content.decode()
    response = client.post(reverse("portal:member_remove", args=[alice.exporter_membership.pk]), follow=True)
    assert "You cannot remove yourself" in response.content.decode()
    assert ExporterMember.objects.filter(user=alice).exists()


def test_a_colleague_sees_no_buttons_and_forged_posts_are_refused(
    client, alice, sera, invited, verified_exporter, django_capture_on_commit_callbacks
):
    client.force_login(sera.user)
    page = client.get(reverse("portal:members")).content.decode()
    assert "/remove/" not in page and "Resend invitation" not in page
    before = snapshot(verified_exporter)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("portal:member_remove", args=[invited.pk])).status_code == 403
        assert client.get(reverse("portal:member_remove", args=[invited.pk])).status_code == 403
        assert client.post(reverse("portal:invitation_resend", args=[invited.pk])).status_code == 403
    assert snapshot(verified_exporter) == before


def test_another_companys_owner_gets_404_and_nothing_changes(
    client, bob, sera, invited, verified_exporter, django_capture_on_commit_callbacks
):
    client.force_login(bob)
    before = snapshot(verified_exporter)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("portal:member_remove", args=[sera.pk])).status_code == 404
        assert client.post(reverse("portal:invitation_resend", args=[invited.pk])).status_code == 404
    assert snapshot(verified_exporter) == before


def test_resend_answers_only_post(client, alice, invited):
    client.force_login(alice)
    assert client.get(reverse("portal:invitation_resend", args=[invited.pk])).status_code == 405


@pytest.mark.django_db(transaction=True)
def test_two_owners_removing_each_other_at_once_leave_one_owner(postgres, verified_exporter, monkeypatch):
    """Both requests pass the page's checks before either changes anything; the company's
    row lock decides, and the loser is refused with nothing changed."""
    from django.test import Client

    alice = ExporterMemberFactory(exporter=verified_exporter, role="owner", user__email="alice@vanua.example")
    jone = ExporterMemberFactory(exporter=verified_exporter, role="owner", user__email="jone@vanua.example")
    barrier = threading.Barrier(2, timeout=10)
    waited = threading.local()
    real_is_pending = services.invitation_is_pending

    def is_pending_once_both_arrived(user):
        if not getattr(waited, "done", False):
            waited.done = True
            barrier.wait()
        return real_is_pending(user)

    monkeypatch.setattr(services, "invitation_is_pending", is_pending_once_both_arrived)
    results = {}

    def remove(actor, target):
        from django.db import connection

        try:
            client = Client()
            client.force_login(actor.user)
            results[actor.user.email] = client.post(reverse("portal:member_remove", args=[target.pk]))
        finally:
            connection.close()

    threads = [threading.Thread(target=remove, args=pair) for pair in ((alice, jone), (jone, alice))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert sorted(response.status_code for response in results.values()) == [302, 403]
    owners = ExporterMember.objects.filter(exporter=verified_exporter, role="owner")
    assert owners.count() == 1
    assert owners.get().user.is_active
    assert audit_trail(verified_exporter).filter(action="remove_member").count() == 1
