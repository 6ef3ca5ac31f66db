"""The product list's category and certification filters: resolved to ids from a cached
lookup (catalogue.listing.lookups), so a name that matches nothing costs no query."""

import pytest
from rest_framework.test import APIClient

from catalogue.models import Certification
from exporters.models import Country
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
        assert response.json() == {"count": 0, "next": None, "previous": None, "results": [], "did_you_mean": ""}


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


@pytest.mark.parametrize("ordering", ["", "-inquiry_count", "name"])
def test_a_rare_filter_and_a_common_one_page_alike(api, settings, ordering):
    # A page walks the ordering's index when its filters leave many products and reads the
    # filters' rows through their own indexes when they leave few (PostgreSQL): the same cards.
    settings.API_CACHE_SECONDS = 0  # every request reaches the database
    common, rare = CategoryFactory(slug="common"), CategoryFactory(slug="rare")
    many = ProductFactory.create_batch(12, published=True, category=common)
    only = ProductFactory(published=True, category=rare)
    expected = ids(api.get("/api/v1/products/", {"category": "common", "ordering": ordering, "page_size": 50}))
    assert sorted(expected) == sorted(product.pk for product in many)

    for _ in range(6):  # psycopg prepares a statement on its sixth run
        rare_page = ids(api.get("/api/v1/products/", {"category": "rare", "ordering": ordering, "page_size": 3}))
        common_page = ids(api.get("/api/v1/products/", {"category": "common", "ordering": ordering, "page_size": 2}))
        assert (rare_page, common_page) == ([only.pk], expected[:2])


@pytest.mark.parametrize("ordering", ["", "-inquiry_count"])
def test_a_country_filter_with_a_category_pages_in_order(api, settings, ordering):
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

    key = (lambda p: -p.inquiry_count) if ordering else (lambda p: (-p.published_at.timestamp(), -p.pk))
    pages = [
        ids(
            api.get(
                "/api/v1/products/",
                {"category": "spices", "country": "FJ", "ordering": ordering, "page_size": 1, "page": n},
            )
        )
        for n in (1, 2, 3, 4)
    ]
    assert [page[0] for page in pages] == [product.pk for product in sorted(wanted, key=key)]
