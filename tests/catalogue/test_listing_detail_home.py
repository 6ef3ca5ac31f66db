"""The product page and home as catalogue.listing writes them: the schema's fields in its order,
the one-query page held to its reference reads, and what each costs in queries."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from catalogue.listing import detail
from catalogue.models import Collection
from catalogue.serializers import HomeSerializer, ProductDetailSerializer
from catalogue.services import product_set_featured
from exporters.models import Exporter
from tests.catalogue.test_apis import MEDIA, published, renditions
from tests.factories import (
    CategoryFactory,
    CertificationFactory,
    CollectionFactory,
    CollectionItemFactory,
    ProductImageFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def full_page(verified_exporter):
    """A product with everything its page shows: photos (one hidden, one without renditions),
    certifications, an exporter with a logo."""
    Exporter.objects.filter(pk=verified_exporter.pk).update(
        name_zh_hans="瓦努阿香草公司",
        logo="logos/2026/12/logo.png",
        logo_renditions={"thumb": {"webp": {"name": "r/logo-thumb.webp", "width": 240, "height": 120, "bytes": 9}}},
        gacc_registration_number="CFJI01234567",
    )
    product = published(
        exporter=verified_exporter,
        market_access_en="Open.",
        market_access_zh_hans="已开放。",
        packaging="25 kg cartons",
        packaging_zh_hans="25公斤纸箱",
        lead_time="4 weeks",
        lead_time_zh_hans="",
    )
    product.certifications.add(
        CertificationFactory(code="organic", name_en="Organic", name_zh_hans="有机"),
        CertificationFactory(code="haccp", name_en="HACCP", name_zh_hans="危害分析"),
    )
    ProductImageFactory(
        product=product, position=2, renditions=renditions("second"), alt_text="Second", alt_text_zh_hans=""
    )
    ProductImageFactory(
        product=product, position=1, renditions=renditions("first"), alt_text="First", alt_text_zh_hans="第一张"
    )
    ProductImageFactory(product=product, position=0, renditions=renditions("hidden"), awaiting_review=True)
    ProductImageFactory(product=product, position=3, renditions={})
    return product


def test_the_page_has_the_schemas_fields_in_its_order(api, full_page):
    page = api.get(f"/api/v1/products/{full_page.pk}/").json()

    assert list(page) == list(ProductDetailSerializer().fields)
    assert list(page["exporter"]) == list(ProductDetailSerializer().fields["exporter"].fields)


def test_the_page_in_chinese(api, full_page):
    page = api.get(f"/api/v1/products/{full_page.pk}/").json()

    # The shown photos with renditions, in order; an untranslated alt text in English.
    assert [image["alt"] for image in page["images"]] == ["第一张", "Second"]
    assert page["thumbnail"] == {"url": MEDIA + "r/first-thumb.webp", "width": 240, "height": 180}
    assert page["certifications"] == [{"code": "haccp", "name": "危害分析"}, {"code": "organic", "name": "有机"}]
    assert page["market_access"] == "已开放。"
    assert (page["packaging"], page["lead_time"]) == ("25公斤纸箱", "4 weeks")
    assert page["exporter"] == {
        "id": full_page.exporter_id,
        "name": "瓦努阿香草公司",
        "country": {"code": "FJ", "name": "斐济"},
        "logo": {"url": MEDIA + "r/logo-thumb.webp", "width": 240, "height": 120},
        "verified": True,
        "gacc_registration_number": "CFJI01234567",
    }
    assert page["published_at"] == timezone.localtime(full_page.published_at).isoformat()


def test_the_page_is_one_query_on_postgresql_and_matches_its_reference_reads(
    postgres, full_page, django_assert_num_queries
):
    bare = published()  # no photo, no certification
    for product in (full_page, bare):
        with django_assert_num_queries(1):
            row = detail.product_row(product.pk)
        for zh in (True, False):
            assert detail.product_page(row, zh) == detail.product_page(detail.reference_row(product.pk), zh)
    assert detail.product_page(detail.product_row(bare.pk), True)["images"] == []


def test_home_has_the_schemas_fields_in_its_order(api, verified_exporter, staff):
    product = published(exporter=verified_exporter, category=CategoryFactory(slug="food"))
    product_set_featured(product=product, actor=staff)
    CollectionItemFactory(collection=CollectionFactory(slug="expo"), product=product)

    home = api.get("/api/v1/home/").json()

    fields = HomeSerializer().fields
    assert list(home) == list(fields)
    for name, items in home.items():
        assert len(items) == 1, name
        assert list(items[0]) == list(fields[name].child.fields), name


def test_home_shows_the_ten_newest_featured_and_a_collections_cover_and_dates(api, verified_exporter, staff):
    now = timezone.now()
    featured = []
    for days in range(12):
        product = published(exporter=verified_exporter, published_at=now - datetime.timedelta(days=days))
        product_set_featured(product=product, actor=staff)
        featured.append(product.pk)
    published(exporter=verified_exporter)  # not featured
    today = timezone.localdate()
    collection = CollectionFactory(slug="expo", starts_on=today, ends_on=today + datetime.timedelta(days=3))
    Collection.objects.filter(pk=collection.pk).update(
        cover="covers/expo.jpg",
        cover_renditions={"detail": {"jpeg": {"name": "r/expo-detail.jpeg", "width": 750, "height": 420, "bytes": 9}}},
    )

    home = api.get("/api/v1/home/", HTTP_ACCEPT_LANGUAGE="en").json()

    assert [card["id"] for card in home["featured"]] == featured[:10]
    assert home["collections"][0] | {"title": None} == {
        "slug": "expo",
        "title": None,
        "description": "",
        "cover": {"url": MEDIA + "r/expo-detail.jpeg", "width": 750, "height": 420},
        "starts_on": today.isoformat(),
        "ends_on": (today + datetime.timedelta(days=3)).isoformat(),
        "product_count": 0,
    }


def test_home_reads_three_queries_once_its_counts_are_cached(
    api, settings, verified_exporter, staff, django_assert_num_queries
):
    settings.API_CACHE_SECONDS = 0  # every answer made anew
    product = published(exporter=verified_exporter)
    product_set_featured(product=product, actor=staff)
    CollectionItemFactory(collection=CollectionFactory(slug="expo"), product=product)
    api.get("/api/v1/home/")  # counts the categories' and countries' products

    with django_assert_num_queries(3):  # featured cards, collections, categories
        assert api.get("/api/v1/home/").status_code == 200
