"""The database refuses impossible buyer and inquiry rows, whatever door wrote them."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from buyers.models import Buyer, Favourite
from inquiries.models import Inquiry, Message
from pti_bridge.models import User
from tests.factories import BuyerFactory, FavouriteFactory, InquiryFactory, MessageFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_favourite_is_kept_once(buyer):
    favourite = FavouriteFactory(buyer=buyer)

    with pytest.raises(IntegrityError), transaction.atomic():
        Favourite.objects.create(buyer=buyer, product=favourite.product)

    assert buyer.favourites.count() == 1


def test_one_buyer_per_openid():
    BuyerFactory(openid="o-same-openid")

    with pytest.raises(IntegrityError), transaction.atomic():
        BuyerFactory(openid="o-same-openid")

    assert Buyer.objects.filter(openid="o-same-openid").count() == 1


def test_a_live_buyer_needs_an_openid():
    with pytest.raises(IntegrityError), transaction.atomic():
        Buyer.objects.create(openid=None, display_name="无名")

    assert not Buyer.objects.exists()


@pytest.mark.parametrize(
    "change",
    [{"quantity": Decimal("0")}, {"quantity": Decimal("-1")}, {"status": "lost"}, {"target_price": Decimal("-3")}],
)
def test_database_refuses_impossible_inquiries(change):
    inquiry = InquiryFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Inquiry.objects.filter(pk=inquiry.pk).update(**change)

    inquiry.refresh_from_db()
    assert (inquiry.quantity, inquiry.status) == (Decimal("500"), Inquiry.Status.NEW)


def test_one_idempotency_key_one_inquiry_per_buyer(buyer):
    first = InquiryFactory(buyer=buyer, idempotency_key="key-1")
    InquiryFactory(idempotency_key="key-1")  # another buyer may use the same key

    with pytest.raises(IntegrityError), transaction.atomic():
        InquiryFactory(buyer=buyer, product=first.product, idempotency_key="key-1")

    assert Inquiry.objects.filter(buyer=buyer).count() == 1


def test_only_staff_write_internal_notes():
    with pytest.raises(IntegrityError), transaction.atomic():
        MessageFactory(author_role=Message.AuthorRole.EXPORTER, is_internal=True, language="en")

    assert not Message.objects.exists()


def test_an_email_address_belongs_to_one_user_whatever_its_case():
    UserFactory(username="a", email="Alice@Vanua.example")

    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(username="b", email="alice@vanua.EXAMPLE")

    assert User.objects.count() == 1
