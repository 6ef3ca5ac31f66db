"""The staff's status machine, called as a service: every transition allowed and refused."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from inquiries import services
from inquiries.models import Inquiry, InquiryPolicy, Message
from pti_bridge.audit import audit_trail
from pti_bridge.errors import InvalidTransition
from pti_bridge.models import Notification
from tests import factories
from tests.inquiries.english import into_english

pytestmark = pytest.mark.django_db

S = Inquiry.Status
ALL_STATES = list(S.values)
STEP_FIELD = {"screen": "screening_at", "forward": "forwarded_at", "mark_spam": "closed_at"}
STEP_FIELD.update({"close_won": "closed_at", "close_lost": "closed_at"})

# action -> (the service call's extra arguments, the state it leads to)
ACTIONS = {
    "screen": ({}, S.SCREENING),
    "forward": ({}, S.FORWARDED),
    "mark_spam": ({}, S.SPAM),
    "close_won": ({"deal_value": "12500.50", "deal_currency": "USD", "deal_volume": "2 t"}, S.CLOSED_WON),
    "close_lost": ({"reason": "买家选择了别的供应商"}, S.CLOSED_LOST),
    "reopen": ({}, None),  # back to the step it had reached
}
ALLOWED = {
    "screen": {"new"},
    "forward": {"new", "screening"},
    "mark_spam": {"new", "screening", "forwarded", "answered"},
    "close_won": {"forwarded", "answered"},
    "close_lost": {"new", "screening", "forwarded", "answered"},
    "reopen": {"closed_won", "closed_lost", "spam"},
}
TABLE = [(action, state, state in ALLOWED[action]) for action in ACTIONS for state in ALL_STATES]


def call(action, inquiry, actor):
    extra, _to = ACTIONS[action]
    return getattr(services, f"inquiry_{action}")(inquiry=inquiry, actor=actor, **extra)


@pytest.fixture
def inquiry_in(verified_exporter, alice):
    def make(state):
        return factories.InquiryFactory(product__exporter=verified_exporter, status=state)

    return make


def test_the_table_is_the_services_table():
    assert {action: set(states) for action, states in services.ALLOWED_FROM.items()} == ALLOWED


@pytest.mark.parametrize(("action", "state", "allowed"), TABLE, ids=[f"{a}-{s}" for a, s, _ in TABLE])
def test_transition(action, state, allowed, inquiry_in, staff):
    inquiry = inquiry_in(state)
    before = Inquiry.objects.values().get(pk=inquiry.pk)

    if not allowed:
        with pytest.raises(InvalidTransition) as refused:
            call(action, inquiry, staff)
        assert refused.value.status_code == 409 and refused.value.code == "invalid_state"
        assert f"Inquiry #{inquiry.pk} is " in str(refused.value.message)
        assert Inquiry.objects.values().get(pk=inquiry.pk) == before
        assert list(audit_trail(inquiry)) == []
        assert not Notification.objects.exists()
        return

    result = call(action, inquiry, staff)

    inquiry.refresh_from_db()
    expected = ACTIONS[action][1] or S.NEW  # a factory inquiry never went past `new` before closing
    assert (result.status, inquiry.status) == (expected, expected)
    [entry] = audit_trail(inquiry)
    assert (entry.action, entry.actor, entry.from_status, entry.to_status) == (
        f"inquiry_{action}",
        staff,
        state,
        expected,
    )
    if action in STEP_FIELD:
        assert getattr(inquiry, STEP_FIELD[action]) is not None
    assert Notification.objects.filter(kind="inquiry_forwarded").count() == (1 if action == "forward" else 0)


@pytest.mark.parametrize("action", list(ACTIONS))
def test_only_staff_may_act(action, inquiry_in, alice, buyer):
    state = sorted(ALLOWED[action])[0]
    inquiry = inquiry_in(state)
    for who in (alice, None):
        with pytest.raises(PermissionDenied):
            call(action, inquiry, who)
    inquiry.refresh_from_db()
    assert inquiry.status == state
    assert list(audit_trail(inquiry)) == []


def test_screen_assigns_the_screener_when_nobody_is(inquiry_in, staff):
    other = factories.StaffFactory(email="zhang@pti.example")
    unassigned, assigned = inquiry_in("new"), inquiry_in("new")
    Inquiry.objects.filter(pk=assigned.pk).update(assigned_to=other)
    assert services.inquiry_screen(inquiry=unassigned, actor=staff).assigned_to == staff
    assert services.inquiry_screen(inquiry=assigned, actor=staff).assigned_to == other


def test_forward_emails_every_active_member_of_the_company(inquiry_in, staff, alice, verified_exporter):
    colleague = factories.ExporterMemberFactory(exporter=verified_exporter, user__email="sera@vanua.example").user
    factories.ExporterMemberFactory(exporter=verified_exporter, user__email="gone@vanua.example", user__is_active=False)
    factories.ExporterMemberFactory(user__email="bob@elsewhere.example")
    inquiry = inquiry_in("screening")

    services.inquiry_forward(inquiry=inquiry, actor=staff)

    rows = Notification.objects.order_by("recipient")
    assert [(n.channel, n.kind, n.recipient) for n in rows] == [
        ("email", "inquiry_forwarded", alice.email),
        ("email", "inquiry_forwarded", colleague.email),
    ]


def test_reopen_returns_to_the_step_reached_and_clears_the_deal(inquiry_in, staff):
    inquiry = inquiry_in("answered")
    services.inquiry_close_won(
        inquiry=inquiry, actor=staff, deal_value="9000", deal_currency="FJD", deal_volume="1 container"
    )
    Inquiry.objects.filter(pk=inquiry.pk).update(forwarded_at=inquiry.created_at, answered_at=inquiry.created_at)

    reopened = services.inquiry_reopen(inquiry=inquiry, actor=staff)

    assert reopened.status == S.ANSWERED
    assert (reopened.deal_value, reopened.deal_currency, reopened.deal_volume, reopened.closed_at) == (
        None,
        "",
        "",
        None,
    )
    assert audit_trail(inquiry).first().note == "was: FJD 9000.00, 1 container"
    screened = inquiry_in("new")
    services.inquiry_screen(inquiry=screened, actor=staff)
    services.inquiry_mark_spam(inquiry=screened, actor=staff)
    assert services.inquiry_reopen(inquiry=screened, actor=staff).status == S.SCREENING


def test_won_deal_records_value_currency_and_volume(inquiry_in, staff):
    inquiry = services.inquiry_close_won(
        inquiry=inquiry_in("forwarded"), actor=staff, deal_value="1,250.5", deal_currency="AUD", deal_volume=" 500  kg "
    )
    assert (inquiry.deal_value, inquiry.deal_currency, inquiry.deal_volume) == (Decimal("1250.50"), "AUD", "500 kg")


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"deal_value": "", "deal_currency": "USD", "deal_volume": "2 t"}, ["deal_value"]),
        ({"deal_value": "-5", "deal_currency": "USD", "deal_volume": "2 t"}, ["deal_value"]),
        (
            {"deal_value": "abc", "deal_currency": "XXX", "deal_volume": ""},
            ["deal_currency", "deal_value", "deal_volume"],
        ),
        ({"deal_value": "1.234", "deal_currency": "USD", "deal_volume": "2 t"}, ["deal_value"]),
        ({"deal_value": "1e15", "deal_currency": "USD", "deal_volume": "2 t"}, ["deal_value"]),
        ({"deal_value": "NaN", "deal_currency": "USD", "deal_volume": "2 t"}, ["deal_value"]),
        ({"deal_value": "10", "deal_currency": "USD", "deal_volume": "x" * 101}, ["deal_volume"]),
    ],
)
def test_won_deal_needs_valid_figures(fields, errors, inquiry_in, staff):
    inquiry = inquiry_in("answered")
    with pytest.raises(ValidationError) as refused:
        services.inquiry_close_won(inquiry=inquiry, actor=staff, **fields)
    assert sorted(refused.value.message_dict) == errors
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.deal_value) == (S.ANSWERED, None)


def test_lost_needs_a_reason(inquiry_in, staff):
    inquiry = inquiry_in("forwarded")
    with pytest.raises(ValidationError) as refused:
        services.inquiry_close_lost(inquiry=inquiry, actor=staff, reason="   ")
    assert list(refused.value.message_dict) == ["lost_reason"]
    inquiry.refresh_from_db()
    assert inquiry.status == S.FORWARDED


def test_assign_to_staff_only(inquiry_in, staff, alice):
    inquiry = inquiry_in("new")
    other = factories.StaffFactory(email="zhang@pti.example")
    assert services.inquiry_assign(inquiry=inquiry, assignee=other, actor=staff).assigned_to == other
    with pytest.raises(ValidationError):
        services.inquiry_assign(inquiry=inquiry, assignee=alice, actor=staff)
    with pytest.raises(PermissionDenied):
        services.inquiry_assign(inquiry=inquiry, assignee=alice, actor=alice)
    inquiry.refresh_from_db()
    assert inquiry.assigned_to == other
    assert services.inquiry_assign(inquiry=inquiry, assignee=None, actor=staff).assigned_to is None
    assert [entry.note for entry in audit_trail(inquiry)] == [f"{other} → -", f"- → {other}"]


def test_translating_the_exporters_answer_notifies_the_buyer_once(inquiry_in, staff):
    inquiry = inquiry_in("answered")
    answer = factories.MessageFactory(inquiry=inquiry, author_role="exporter", text="USD 180/kg FOB.", language="en")
    question = factories.MessageFactory(inquiry=inquiry, text="请报价", language="zh-hans")

    services.message_translate(message=question, translation="Please quote.", actor=staff)
    # The buyer's message, now in English, reaches the exporter (who is told by e-mail).
    assert list(Notification.objects.values_list("kind", flat=True)) == ["inquiry_buyer_wrote"]
    Notification.objects.all().delete()
    services.message_translate(message=answer, translation="每公斤180美元，离岸价。", actor=staff)
    services.message_translate(message=answer, translation="每公斤180美元（离岸价）。", actor=staff)  # a correction

    [notification] = Notification.objects.all()
    assert (notification.channel, notification.kind, notification.recipient) == (
        "wechat",
        "inquiry_answered",
        f"buyer:{inquiry.buyer_id}",
    )
    assert inquiry.buyer.openid not in str(notification.payload)
    answer.refresh_from_db()
    assert (answer.translation, answer.translated_by) == ("每公斤180美元（离岸价）。", staff)
    assert [entry.note for entry in audit_trail(inquiry)] == [
        f"message #{answer.pk} (corrected)",
        f"message #{answer.pk}, buyer notified",
        f"message #{question.pk}, exporter told",
    ]


def test_translation_refusals(inquiry_in, staff, alice):
    inquiry = inquiry_in("forwarded")
    note = services.note_add(inquiry=inquiry, text="买家可靠", actor=staff)
    message = factories.MessageFactory(inquiry=inquiry)
    with pytest.raises(InvalidTransition):
        services.message_translate(message=note, translation="Reliable buyer", actor=staff)
    with pytest.raises(ValidationError):
        services.message_translate(message=message, translation="  ", actor=staff)
    with pytest.raises(PermissionDenied):
        services.message_translate(message=message, translation="Please quote", actor=alice)
    assert list(Message.objects.values_list("translation", flat=True)) == ["", ""]


def test_note_is_internal_and_staff_only(inquiry_in, staff, alice):
    inquiry = inquiry_in("forwarded")
    note = services.note_add(inquiry=inquiry, text="  买家可靠，优先处理  ", actor=staff)
    assert (note.text, note.is_internal, note.author_role, note.author_user) == (
        "买家可靠，优先处理",
        True,
        "staff",
        staff,
    )
    with pytest.raises(PermissionDenied):
        services.note_add(inquiry=inquiry, text="hello", actor=alice)
    with pytest.raises(ValidationError):
        services.note_add(inquiry=inquiry, text="", actor=staff)
    assert inquiry.messages.count() == 1


def test_a_rolled_back_forward_leaves_no_outbox_row(inquiry_in, staff, alice):
    inquiry = inquiry_in("new")
    with pytest.raises(RuntimeError), transaction.atomic():
        services.inquiry_forward(inquiry=inquiry, actor=staff)
        assert Notification.objects.count() == 1
        raise RuntimeError("a later step failed")
    assert not Notification.objects.exists()
    inquiry.refresh_from_db()
    assert inquiry.status == S.NEW


# The policy: screening by staff, or straight to the exporter.


@pytest.fixture
def signed_in_buyer(policy):
    from buyers.services import buyer_consent, buyer_sign_in

    buyer, *_ = buyer_sign_in(code="valid-li#1")
    return buyer_consent(buyer=buyer, policy_version=policy.version)


def create(buyer, product, message="请报价"):
    return services.inquiry_create(buyer=buyer, product=product, quantity=Decimal("20"), unit="kg", message=message)[0]


def test_by_default_new_inquiries_wait_for_staff(signed_in_buyer, verified_exporter, alice):
    assert InquiryPolicy.current().screening_required is True
    inquiry = create(signed_in_buyer, factories.ProductFactory(published=True, exporter=verified_exporter))
    assert (inquiry.status, inquiry.forwarded_at) == (S.NEW, None)
    assert not Notification.objects.exists()


def test_without_screening_new_inquiries_go_to_the_exporter_once_in_english(
    signed_in_buyer, verified_exporter, alice, staff
):
    services.inquiry_policy_set(screening_required=False, actor=staff)
    product = factories.ProductFactory(published=True, exporter=verified_exporter)

    inquiry = create(signed_in_buyer, product)
    held = create(signed_in_buyer, product, message="[[review]] 请报价")
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.forwarded_at) == (S.NEW, None)  # nothing untranslated reaches the exporter
    assert not Notification.objects.exists()

    services.message_translate(message=inquiry.messages.get(), translation="Please quote.", actor=staff)
    services.message_translate(message=held.messages.get(), translation="Please quote.", actor=staff)

    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.forwarded_at is not None) == (S.FORWARDED, True)
    entry = audit_trail(inquiry).get(action="inquiry_forward")
    assert (entry.actor, entry.note) == (staff, "by itself, once in English (no staff screening)")
    held.refresh_from_db()
    assert held.status == S.NEW  # WeChat wants it reviewed: staff see it first
    assert [(n.kind, n.recipient) for n in Notification.objects.all()] == [("inquiry_forwarded", alice.email)]


def test_policy_is_staff_only(alice):
    with pytest.raises(PermissionDenied):
        services.inquiry_policy_set(screening_required=False, actor=alice)
    assert InquiryPolicy.screening_required_now() is True


def test_buyer_writing_again_emails_the_exporter_only_once_forwarded(signed_in_buyer, verified_exporter, alice, staff):
    inquiry = create(signed_in_buyer, factories.ProductFactory(published=True, exporter=verified_exporter))
    services.message_post_by_buyer(buyer=signed_in_buyer, inquiry=inquiry, text="还有库存吗？")
    assert not Notification.objects.exists()  # not forwarded yet: the exporter does not know it

    into_english(inquiry, staff=staff)
    services.inquiry_forward(inquiry=inquiry, actor=staff)
    again = services.message_post_by_buyer(buyer=signed_in_buyer, inquiry=inquiry, text="能否提供样品？")
    services.message_post_by_buyer(buyer=signed_in_buyer, inquiry=inquiry, text="[[review]] 加我微信")
    # Held until staff translate it: no e-mail to the exporter yet.
    assert [n.kind for n in Notification.objects.order_by("id")] == ["inquiry_forwarded"]

    services.message_translate(message=again, translation="Can you send samples?", actor=staff)
    services.message_translate(message=again, translation="Could you send samples?", actor=staff)  # a correction

    assert [n.kind for n in Notification.objects.order_by("id")] == ["inquiry_forwarded", "inquiry_buyer_wrote"]
