"""The product list's category and certification filters: resolved to ids from a cached
lookup (selectors.lookups), so a name that matches nothing costs no query, and a rare one
is planned by PostgreSQL with its values rather than with a plan made for any value."""

import pytest
from django.db import connection
from rest_framework.test import APIClient

from catalogue.models import Certification
from catalogue.selectors import SELECTIVE
from pti_bridge.db import prepared_cursor
from tests.factories import CategoryFactory, CertificationFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [card["id"] for card in response.json()["results"]]


def test_a_category_or_certification_that_does_not_exist_is_an_empty_page_without_a_query(
    api, django_assert_num_queries
):
    ProductFactory(published=True, category=CategoryFactory(slug="kava"))
    assert api.get("/api/v1/products/", {"category": "kava"}).json()["count"] == 1  # the lookup is cached now

    for params in ({"category": "no-such"}, {"category": "987654"}, {"certification": "no-such"}):
        with django_assert_num_queries(0):
            response = api.get("/api/v1/products/", params)
        assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}


def test_a_category_takes_in_every_level_below_it(api):
    top = CategoryFactory(slug="food")
    second = CategoryFactory(slug="spices", parent=top)
    third = CategoryFactory(slug="vanilla", parent=second)
    fourth = CategoryFactory(slug="vanilla-pods", parent=third)
    deepest = ProductFactory(published=True, category=fourth)
    ProductFactory(published=True, category=CategoryFactory(slug="drinks"))

    assert ids(api.get("/api/v1/products/", {"category": "food"})) == [deepest.pk]
    assert ids(api.get("/api/v1/products/", {"category": str(third.pk)})) == [deepest.pk]


def test_a_category_or_certification_made_later_filters_at_once(api, django_capture_on_commit_callbacks):
    product = ProductFactory(published=True)
    assert ids(api.get("/api/v1/products/", {"certification": "halal"})) == []  # lookup cached without it

    with django_capture_on_commit_callbacks(execute=True):  # the catalogue's version moves on commit
        product.certifications.add(CertificationFactory(code="halal"))
        product.category = CategoryFactory(slug="new-sector")
        product.save()

    assert ids(api.get("/api/v1/products/", {"certification": "halal"})) == [product.pk]
    assert ids(api.get("/api/v1/products/", {"category": "new-sector"})) == [product.pk]
    with django_capture_on_commit_callbacks(execute=True):
        Certification.objects.get(code="halal").delete()
    assert ids(api.get("/api/v1/products/", {"certification": "halal"})) == []


def test_a_rare_category_is_planned_with_its_values_a_common_one_once(postgres, api, settings):
    settings.API_CACHE_SECONDS = 0  # every request reaches the database
    common, rare = CategoryFactory(slug="common"), CategoryFactory(slug="rare")
    ProductFactory.create_batch(int(1 / SELECTIVE) + 1, published=True, category=common)
    only = ProductFactory(published=True, category=rare)
    with prepared_cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")

    for _ in range(8):
        assert ids(api.get("/api/v1/products/", {"category": "rare", "page_size": 3})) == [only.pk]
        assert len(ids(api.get("/api/v1/products/", {"category": "common", "page_size": 2}))) == 2

    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s", ["%= ANY($1)%"])
        prepared = [row[0] for row in cursor.fetchall()]
    assert [statement.endswith("LIMIT 2 OFFSET 0") for statement in prepared] == [True]  # the common one only
