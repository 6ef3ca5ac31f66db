"""The services behind the product pages: create, update, and staff accepting or
discarding the changes an exporter made to a reviewed listing."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from catalogue.models import Product
from catalogue.services import (
    product_apply_pending_changes,
    product_create,
    product_discard_pending_changes,
    product_update,
)
from pti_bridge.audit import audit_trail
from pti_bridge.errors import InvalidTransition
from tests.factories import CategoryFactory, CertificationFactory, ProductFactory

pytestmark = pytest.mark.django_db


def test_create_refuses_another_companys_user(bob, verified_exporter):
    category = CategoryFactory()
    with pytest.raises(PermissionDenied):
        product_create(exporter=verified_exporter, data={"name_en": "X", "category": category}, actor=bob)
    assert not Product.objects.exists()


def test_update_of_a_draft_applies_at_once(alice, verified_exporter):
    product = ProductFactory(exporter=verified_exporter, name_en="Old")
    organic = CertificationFactory()

    product_update(product=product, data={"name_en": "New", "certifications": [organic]}, actor=alice)

    product.refresh_from_db()
    assert (product.name_en, product.pending_changes) == ("New", {})
    assert list(product.certifications.all()) == [organic]
    assert audit_trail(product).first().note == "certifications, name_en"


def test_update_of_a_published_product_is_kept_aside_until_staff_apply_it(alice, staff, verified_exporter):
    product = ProductFactory(exporter=verified_exporter, published=True, name_en="Old", price_max=Decimal("240"))
    other_category = CategoryFactory()
    organic = CertificationFactory()

    product_update(
        product=product,
        data={
            "name_en": "New",
            "price_max": Decimal("250.50"),
            "category": other_category,
            "certifications": [organic],
            "packaging": "",  # unchanged: not recorded
        },
        actor=alice,
    )

    product.refresh_from_db()
    assert product.name_en == "Old"
    assert product.pending_changes == {
        "name_en": "New",
        "price_max": "250.50",
        "category": other_category.pk,
        "certifications": [organic.pk],
    }
    assert audit_trail(product).first().action == "propose_changes"

    product_apply_pending_changes(product=product, actor=staff)

    product.refresh_from_db()
    assert (product.name_en, product.price_max, product.category_id) == ("New", Decimal("250.50"), other_category.pk)
    assert list(product.certifications.all()) == [organic]
    assert product.pending_changes == {}
    assert product.status == "published"
    assert audit_trail(product).first().action == "apply_changes"


def test_an_edit_equal_to_the_published_text_clears_the_waiting_edit(alice, verified_exporter):
    product = ProductFactory(exporter=verified_exporter, published=True, name_en="Old")
    product_update(product=product, data={"name_en": "New"}, actor=alice)
    product_update(product=product, data={"name_en": "Old"}, actor=alice)
    product.refresh_from_db()
    assert product.pending_changes == {}
    assert [e.action for e in audit_trail(product)][:2] == ["withdraw_changes", "propose_changes"]


def test_an_invalid_edit_of_a_published_product_is_refused_and_nothing_is_kept(alice, verified_exporter):
    product = ProductFactory(exporter=verified_exporter, published=True)
    with pytest.raises(ValidationError) as caught:
        product_update(product=product, data={"hs_code": "not-a-code"}, actor=alice)
    assert "hs_code" in caught.value.error_dict
    product.refresh_from_db()
    assert product.pending_changes == {}


def test_a_submitted_product_refuses_edits(alice, verified_exporter):
    product = ProductFactory(exporter=verified_exporter, submitted=True, name_en="Old")
    with pytest.raises(InvalidTransition):
        product_update(product=product, data={"name_en": "New"}, actor=alice)
    product.refresh_from_db()
    assert (product.name_en, product.pending_changes) == ("Old", {})


def test_only_staff_apply_and_nothing_to_apply_is_refused(alice, bob, staff, verified_exporter):
    product = ProductFactory(exporter=verified_exporter, published=True, name_en="Old")
    with pytest.raises(InvalidTransition):
        product_apply_pending_changes(product=product, actor=staff)
    product_update(product=product, data={"name_en": "New"}, actor=alice)
    with pytest.raises(PermissionDenied):
        product_apply_pending_changes(product=product, actor=alice)
    with pytest.raises(PermissionDenied):
        product_discard_pending_changes(product=product, actor=bob)
    product.refresh_from_db()
    assert (product.name_en, product.pending_changes) == ("Old", {"name_en": "New"})


def test_staff_discard_with_a_reason(alice, staff, verified_exporter):
    product = ProductFactory(exporter=verified_exporter, published=True, name_en="Old")
    product_update(product=product, data={"name_en": "New"}, actor=alice)

    product_discard_pending_changes(product=product, actor=staff, reason="Keep the grade in the name.")

    product.refresh_from_db()
    assert (product.name_en, product.pending_changes) == ("Old", {})
    entry = audit_trail(product).first()
    assert (entry.action, entry.note, entry.actor) == ("discard_changes", "Keep the grade in the name.", staff)
