"""The database itself refuses impossible catalogue rows, whatever door wrote them."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from catalogue.models import CollectionItem, Product
from tests.factories import CategoryFactory, CollectionFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "change",
    [
        {"status": "deleted"},
        {"moq_quantity": Decimal("0")},
        {"moq_quantity": Decimal("-5")},
        {"price_min": Decimal("-1")},
        {"price_min": Decimal("300"), "price_max": Decimal("200")},
    ],
)
def test_database_refuses_impossible_products(change, verified_exporter):
    product = ProductFactory(exporter=verified_exporter)

    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.filter(pk=product.pk).update(**change)

    product.refresh_from_db()
    assert product.status == Product.Status.DRAFT
    assert product.moq_quantity == Decimal("20")


def test_a_product_is_in_a_collection_once(verified_exporter):
    collection = CollectionFactory()
    product = ProductFactory(exporter=verified_exporter, published=True)
    CollectionItem.objects.create(collection=collection, product=product, position=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        CollectionItem.objects.create(collection=collection, product=product, position=2)

    assert collection.items.count() == 1


def test_a_category_cannot_be_its_own_parent():
    category = CategoryFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        type(category).objects.filter(pk=category.pk).update(parent=category)


def test_needs_translation_finds_products_without_chinese_name_or_summary(verified_exporter):
    translated = ProductFactory(exporter=verified_exporter)
    no_name = ProductFactory(exporter=verified_exporter, name_zh_hans="")
    no_summary = ProductFactory(exporter=verified_exporter, summary_zh_hans="")

    assert set(Product.objects.needs_translation()) == {no_name, no_summary}
    assert (translated.needs_translation, no_name.needs_translation) == (False, True)


def test_published_means_published_and_verified(verified_exporter, pending_exporter):
    visible = ProductFactory(exporter=verified_exporter, published=True)
    ProductFactory(exporter=verified_exporter, submitted=True)
    ProductFactory(exporter=pending_exporter, published=True)
    ProductFactory(exporter=verified_exporter, status=Product.Status.ARCHIVED)

    assert list(Product.objects.published()) == [visible]
