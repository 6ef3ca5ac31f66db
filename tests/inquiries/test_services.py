"""The buyer-side inquiry services, called directly (every door calls them)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from buyers.models import PrivacyPolicy
from buyers.services import ContentRejected, buyer_consent, buyer_sign_in
from inquiries.models import Inquiry, Message
from inquiries.services import IdempotencyConflict, inquiry_create, message_post_by_buyer
from pti_bridge.audit import audit_trail
from pti_bridge.errors import InvalidTransition, RuleViolation
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in_buyer(policy):
    buyer, _plain, _token, _created = buyer_sign_in(code="valid-li#1")
    return buyer_consent(buyer=buyer, policy_version=policy.version)


@pytest.fixture
def product():
    return factories.ProductFactory(published=True)


def create(buyer, product, **overrides):
    fields = {"quantity": Decimal("20"), "unit": "kg", "message": "请报价", **overrides}
    return inquiry_create(buyer=buyer, product=product, **fields)


def test_inquiry_create_writes_inquiry_message_counter_and_audit(signed_in_buyer, product):
    inquiry, created = create(signed_in_buyer, product, idempotency_key="k1")
    assert created is True
    assert inquiry.messages.get().text == "请报价"
    assert [entry.action for entry in audit_trail(inquiry)] == ["inquiry_created"]
    product.refresh_from_db()
    assert product.inquiry_count == 1


def test_without_consent_nothing_is_written_and_wechat_is_not_called(product, wechat, policy):
    buyer, *_ = buyer_sign_in(code="valid-li#2")
    with pytest.raises(RuleViolation) as raised:
        create(buyer, product)
    assert raised.value.code == "consent_required" and raised.value.status_code == 409
    assert Inquiry.objects.count() == 0
    assert wechat.requests("/wxa/msg_sec_check") == []


def test_replay_and_conflict(signed_in_buyer, product, wechat):
    first, _ = create(signed_in_buyer, product, idempotency_key="k1")
    again, created = create(signed_in_buyer, product, idempotency_key="k1")
    assert (again.pk, created) == (first.pk, False)
    with pytest.raises(IdempotencyConflict):
        create(signed_in_buyer, product, idempotency_key="k1", quantity=Decimal("21"))
    assert Inquiry.objects.count() == 1
    assert len(wechat.requests("/wxa/msg_sec_check")) == 1


def test_rejected_text_writes_nothing(signed_in_buyer, product):
    with pytest.raises(ContentRejected):
        create(signed_in_buyer, product, message="[[risky:20008]]")
    assert Inquiry.objects.count() == 0 and Message.objects.count() == 0


def test_unpublished_product_is_refused(signed_in_buyer):
    with pytest.raises(ValidationError) as raised:
        create(signed_in_buyer, factories.ProductFactory())
    assert list(raised.value.message_dict) == ["product"]


def test_message_post_by_buyer_rules(signed_in_buyer, product, other_buyer):
    inquiry, _ = create(signed_in_buyer, product)
    message = message_post_by_buyer(buyer=signed_in_buyer, inquiry=inquiry, text="  还有库存吗？ ")
    assert (message.text, message.author_role, message.screening) == ("还有库存吗？", "buyer", "passed")
    with pytest.raises(InvalidTransition):
        message_post_by_buyer(buyer=other_buyer, inquiry=inquiry, text="不是我的")
    with pytest.raises(ValidationError):
        message_post_by_buyer(buyer=signed_in_buyer, inquiry=inquiry, text="   ")
    Inquiry.objects.filter(pk=inquiry.pk).update(status=Inquiry.Status.SPAM)
    with pytest.raises(InvalidTransition) as raised:
        message_post_by_buyer(buyer=signed_in_buyer, inquiry=inquiry, text="还在吗")
    assert raised.value.code == "inquiry_closed"
    assert inquiry.messages.count() == 2


def test_policy_fixture_is_the_current_policy(policy):
    assert PrivacyPolicy.objects.current() == policy
