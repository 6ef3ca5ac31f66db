import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from catalogue.models import Product
from catalogue.services import (
    collection_add_product,
    collection_remove_product,
    collection_reorder,
    product_archive,
    product_publish,
    product_reject,
    product_set_featured,
    product_submit,
    product_withdraw,
)
from pti_bridge.audit import audit_trail
from pti_bridge.errors import InvalidTransition, RuleViolation
from tests.factories import CollectionFactory, ProductFactory

pytestmark = pytest.mark.django_db

S = Product.Status

# Every (service, start status) pair and whether it is allowed, with the status it leads to.
TRANSITIONS = [
    ("submit", S.DRAFT, S.SUBMITTED),
    ("submit", S.REJECTED, S.SUBMITTED),
    ("submit", S.SUBMITTED, None),
    ("submit", S.PUBLISHED, None),
    ("submit", S.ARCHIVED, None),
    ("withdraw", S.SUBMITTED, S.DRAFT),
    ("withdraw", S.DRAFT, None),
    ("withdraw", S.PUBLISHED, None),
    ("withdraw", S.REJECTED, None),
    ("withdraw", S.ARCHIVED, None),
    ("publish", S.SUBMITTED, S.PUBLISHED),
    ("publish", S.ARCHIVED, S.PUBLISHED),
    ("publish", S.DRAFT, None),
    ("publish", S.REJECTED, None),
    ("publish", S.PUBLISHED, None),
    ("reject", S.SUBMITTED, S.REJECTED),
    ("reject", S.DRAFT, None),
    ("reject", S.PUBLISHED, None),
    ("reject", S.REJECTED, None),
    ("reject", S.ARCHIVED, None),
    ("archive", S.PUBLISHED, S.ARCHIVED),
    ("archive", S.DRAFT, None),
    ("archive", S.SUBMITTED, None),
    ("archive", S.REJECTED, None),
    ("archive", S.ARCHIVED, None),
]


def _do(action, product, actor):
    if action == "submit":
        return product_submit(product=product, actor=actor)
    if action == "withdraw":
        return product_withdraw(product=product, actor=actor)
    if action == "publish":
        return product_publish(product=product, actor=actor)
    if action == "reject":
        return product_reject(product=product, actor=actor, reason="Photos are blurry.")
    return product_archive(product=product, actor=actor)


@pytest.mark.parametrize(("action", "start", "expected"), TRANSITIONS)
def test_product_transition_allowed_or_refused(action, start, expected, staff, verified_exporter):
    product = ProductFactory(exporter=verified_exporter, status=start)

    if expected is None:
        with pytest.raises(InvalidTransition):
            _do(action, product, staff)
        product.refresh_from_db()
        assert product.status == start
        assert not audit_trail(product).exists()
    else:
        result = _do(action, product, staff)
        product.refresh_from_db()
        assert result.status == product.status == expected
        entry = audit_trail(product).get()
        assert (entry.action, entry.actor, entry.from_status, entry.to_status) == (action, staff, start, expected)


def test_exporter_user_submits_own_product_and_audit_names_them(alice, verified_exporter):
    product = ProductFactory(exporter=verified_exporter)

    product_submit(product=product, actor=alice)

    product.refresh_from_db()
    assert product.status == S.SUBMITTED
    assert product.submitted_at is not None
    assert audit_trail(product).get().actor == alice


def test_exporter_user_cannot_submit_another_companys_product(bob, verified_exporter):
    product = ProductFactory(exporter=verified_exporter)

    with pytest.raises(PermissionDenied):
        product_submit(product=product, actor=bob)

    product.refresh_from_db()
    assert product.status == S.DRAFT
    assert not audit_trail(product).exists()


@pytest.mark.parametrize("action", ["publish", "reject"])
def test_only_staff_review(action, alice, verified_exporter):
    product = ProductFactory(exporter=verified_exporter, submitted=True)

    with pytest.raises(PermissionDenied):
        _do(action, product, alice)

    product.refresh_from_db()
    assert product.status == S.SUBMITTED


def test_submit_needs_english_summary(alice, verified_exporter):
    product = ProductFactory(exporter=verified_exporter, summary_en="")

    with pytest.raises(ValidationError, match="English summary"):
        product_submit(product=product, actor=alice)

    product.refresh_from_db()
    assert product.status == S.DRAFT


def test_publish_refused_for_unverified_exporter(staff, pending_exporter):
    product = ProductFactory(exporter=pending_exporter, submitted=True)

    with pytest.raises(RuleViolation, match="not verified") as refused:
        product_publish(product=product, actor=staff)

    assert refused.value.code == "exporter_not_verified"
    product.refresh_from_db()
    assert product.status == S.SUBMITTED
    assert product.published_at is None


@pytest.mark.parametrize(
    ("missing", "named"), [({"name_zh_hans": ""}, "Chinese name"), ({"summary_zh_hans": "  "}, "Chinese summary")]
)
def test_publish_refused_without_chinese_text(missing, named, staff, verified_exporter):
    product = ProductFactory(exporter=verified_exporter, submitted=True, **missing)

    with pytest.raises(RuleViolation, match=named) as refused:
        product_publish(product=product, actor=staff)

    assert refused.value.code == "translation_missing"
    product.refresh_from_db()
    assert product.status == S.SUBMITTED


def test_publish_records_reviewer_and_time(staff, verified_exporter):
    product = ProductFactory(exporter=verified_exporter, submitted=True)

    product_publish(product=product, actor=staff)

    product.refresh_from_db()
    assert product.reviewed_by == staff
    assert product.published_at is not None
    assert product.reviewed_at == product.published_at


def test_reject_needs_a_reason_and_keeps_it_for_the_exporter(staff, verified_exporter):
    product = ProductFactory(exporter=verified_exporter, submitted=True)

    with pytest.raises(ValidationError):
        product_reject(product=product, actor=staff, reason="   ")
    product.refresh_from_db()
    assert product.status == S.SUBMITTED

    product_reject(product=product, actor=staff, reason="Add the HS code.")
    product.refresh_from_db()
    assert product.status == S.REJECTED
    assert product.rejection_reason == "Add the HS code."
    assert audit_trail(product).get().note == "Add the HS code."


def test_resubmitting_clears_the_old_rejection_reason(staff, alice, verified_exporter):
    product = ProductFactory(exporter=verified_exporter, status=S.REJECTED, rejection_reason="Blurry photos.")

    product_submit(product=product, actor=alice)

    product.refresh_from_db()
    assert product.rejection_reason == ""


def test_archiving_unfeatures(staff, verified_exporter):
    product = ProductFactory(exporter=verified_exporter, published=True, is_featured=True)

    product_archive(product=product, actor=staff)

    product.refresh_from_db()
    assert (product.status, product.is_featured) == (S.ARCHIVED, False)


def test_feature_only_published_products(staff, verified_exporter):
    draft = ProductFactory(exporter=verified_exporter)
    published = ProductFactory(exporter=verified_exporter, published=True)

    with pytest.raises(InvalidTransition):
        product_set_featured(product=draft, actor=staff)
    product_set_featured(product=published, actor=staff)

    draft.refresh_from_db()
    published.refresh_from_db()
    assert (draft.is_featured, published.is_featured) == (False, True)
    assert [e.action for e in audit_trail(published)] == ["feature"]


def test_collection_edits_are_ordered_and_audited(staff, verified_exporter):
    collection = CollectionFactory()
    first, second = ProductFactory.create_batch(2, exporter=verified_exporter, published=True)
    draft = ProductFactory(exporter=verified_exporter)

    collection_add_product(collection=collection, product=first, actor=staff)
    collection_add_product(collection=collection, product=second, actor=staff)
    collection_add_product(collection=collection, product=first, actor=staff)  # already in: nothing changes
    with pytest.raises(InvalidTransition):
        collection_add_product(collection=collection, product=draft, actor=staff)

    assert [i.product for i in collection.items.all()] == [first, second]
    collection_reorder(collection=collection, product_ids=[second.pk, first.pk], actor=staff)
    assert [i.product for i in collection.items.all()] == [second, first]
    with pytest.raises(ValidationError):
        collection_reorder(collection=collection, product_ids=[second.pk], actor=staff)
    collection_remove_product(collection=collection, product=second, actor=staff)
    assert [i.product for i in collection.items.all()] == [first]
    assert [e.action for e in audit_trail(collection)] == ["remove_product", "reorder", "add_product", "add_product"]


def test_exporters_cannot_edit_collections(alice, verified_exporter):
    collection = CollectionFactory()
    product = ProductFactory(exporter=verified_exporter, published=True)

    with pytest.raises(PermissionDenied):
        collection_add_product(collection=collection, product=product, actor=alice)

    assert not collection.items.exists()
