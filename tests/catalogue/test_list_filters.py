"""The product list's category and certification filters: resolved to ids from a cached
lookup (selectors.lookups), so a name that matches nothing costs no query, and a rare one
is read through its own index rather than by walking the ordering (selectors.CardPage)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from catalogue.models import Certification
from exporters.models import Country
from pti_bridge.db import prepared_cursor
from tests.conftest import explain
from tests.factories import CategoryFactory, CertificationFactory, CountryFactory, ExporterFactory, ProductFactory

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


def list_sql(api, **params) -> tuple[list[int], str]:
    with CaptureQueriesContext(connection) as captured:
        found = ids(api.get("/api/v1/products/", params))
    return found, "\n".join(query["sql"] for query in captured.captured_queries)


@pytest.mark.parametrize("ordering", ["", "-inquiry_count", "name"])
def test_a_rare_filter_is_read_through_its_index_a_common_one_walks_the_ordering(postgres, api, settings, ordering):
    # A page walks the ordering's index when its filters leave many products, and reads the
    # filters' rows through their own indexes when they leave few (else a rare category would
    # walk the whole catalogue). Either way one prepared plan, and the same cards.
    settings.API_CACHE_SECONDS = 0  # every request reaches the database
    common, rare = CategoryFactory(slug="common"), CategoryFactory(slug="rare")
    many = ProductFactory.create_batch(12, published=True, category=common)
    only = ProductFactory(published=True, category=rare)
    with prepared_cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    expected = ids(api.get("/api/v1/products/", {"category": "common", "ordering": ordering, "page_size": 50}))
    assert sorted(expected) == sorted(product.pk for product in many)

    for _ in range(6):  # psycopg prepares a statement on its fifth run
        rare_page, rare_sql = list_sql(api, category="rare", ordering=ordering, page_size=3)
        common_page, common_sql = list_sql(api, category="common", ordering=ordering, page_size=2)
        assert (rare_page, common_page) == ([only.pk], expected[:2])

    # 1 of 13 for a page of 3: through the index, sorted by an expression no index gives.
    assert "+ 0)" in rare_sql or "+ interval '0 seconds')" in rare_sql or "|| '')" in rare_sql, rare_sql
    # 12 of 13 for a page of 2: walking the ordering.
    assert "+ 0)" not in common_sql and "interval" not in common_sql and "|| '')" not in common_sql, common_sql
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["%= ANY($1)%"])
        assert cursor.fetchone()[0] == 2  # one plan for each way


@pytest.mark.parametrize(
    ("ordering", "index"), [("", "product_country_newest_idx"), ("-inquiry_count", "product_country_asked_idx")]
)
def test_a_country_filter_walks_that_countrys_products_only(postgres, api, settings, ordering, index):
    # Fiji is a tenth of the catalogue and every Fijian product is a spice: walked over the
    # whole catalogue in the page's order, spices from Fiji would be met one row in ten, so
    # the page would read them through the filters' indexes; walked in the country's own index
    # (country, order), every row is one. So the page walks, and PostgreSQL walks that index.
    settings.API_CACHE_SECONDS = 0
    spices, drinks = CategoryFactory(slug="spices"), CategoryFactory(slug="drinks")
    fiji, tonga = CountryFactory(code="FJ"), CountryFactory(code="TO")
    fijian, tongan = ExporterFactory(verified=True, country=fiji), ExporterFactory(verified=True, country=tonga)
    wanted = [
        ProductFactory(published=True, exporter=fijian, category=spices, inquiry_count=count) for count in (5, 9, 1, 7)
    ]
    for n in range(36):
        ProductFactory(published=True, exporter=tongan, category=spices if n % 2 else drinks, inquiry_count=n)
    assert Country.objects.get(code="FJ").products.count() == 4

    found, sql = list_sql(api, category="spices", country="FJ", ordering=ordering, page_size=1)

    key = (lambda p: -p.inquiry_count) if ordering else (lambda p: (-p.published_at.timestamp(), -p.pk))
    assert found == [sorted(wanted, key=key)[0].pk]
    assert "+ 0)" not in sql and "interval" not in sql, sql  # walked, not read through the filters' indexes
    (page_sql,) = [query for query in sql.split("\n") if "LIMIT" in query]
    # A table this small would be read whole, or its few Fijian rows found in any index and
    # sorted, as the statistics left by earlier tests make the planner guess: with neither
    # allowed, what is tested is which index walks the page in its order.
    plan = explain(page_sql, disabled=("enable_seqscan", "enable_sort", "enable_incremental_sort"))
    assert index in plan, plan
