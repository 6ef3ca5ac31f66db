"""The public catalogue API: what it shows, to whom, in which language, in how many queries."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient

from catalogue.models import Product
from catalogue.services import product_archive, product_publish, product_set_featured
from exporters.models import Exporter
from tests.factories import (
    CategoryFactory,
    CertificationFactory,
    CollectionFactory,
    CollectionItemFactory,
    CountryFactory,
    ExporterFactory,
    ProductFactory,
    ProductImageFactory,
)

# The API answers absolute image URLs, on the site's public origin (SITE_URL) while MEDIA_URL is a path.
MEDIA = settings.SITE_URL + "/media/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def renditions(name: str) -> dict:
    return {
        size: {fmt: {"name": f"r/{name}-{size}.{fmt}", "width": width, "height": width * 3 // 4, "bytes": 100}}
        for size, width in (("thumb", 240), ("detail", 750), ("zoom", 1500))
        for fmt in ("webp",)
    } | {"thumb": {"webp": {"name": f"r/{name}-thumb.webp", "width": 240, "height": 180, "bytes": 100}}}


def published(**kwargs):
    return ProductFactory(published=True, **kwargs)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [card["id"] for card in response.json()["results"]]


def test_product_card_has_every_field_in_chinese_by_default(api, verified_exporter):
    category = CategoryFactory(slug="spices", name_en="Spices", name_zh_hans="香料")
    product = published(
        exporter=verified_exporter,
        category=category,
        name_en="Vanilla beans",
        name_zh_hans="香草荚",
        summary_en="Hand-cured.",
        summary_zh_hans="手工熟化。",
    )
    ProductImageFactory(product=product, position=2, renditions=renditions("second"))
    ProductImageFactory(product=product, position=1, renditions=renditions("first"))

    response = api.get("/api/v1/products/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "count": 1,
        "next": None,
        "previous": None,
        "results": [
            {
                "id": product.pk,
                "name": "香草荚",
                "summary": "手工熟化。",
                "thumbnail": {"url": MEDIA + "r/first-thumb.webp", "width": 240, "height": 180},
                "category": {"id": category.pk, "name": "香料"},
                "country": {"code": "FJ", "name": "斐济"},
                "exporter": {"id": verified_exporter.pk, "name": "Vanua Vanilla Co"},
                "price": {"currency": "USD", "min": "180.00", "max": "240.00", "incoterm": "FOB", "unit": "kg"},
                "moq": {"quantity": "20.00", "unit": "kg"},
                "featured": False,
            }
        ],
        "did_you_mean": "",
    }
    # Compact JSON, UTF-8 as is.
    assert b'"name":"\xe9\xa6\x99\xe8\x8d\x89\xe8\x8d\x9a"' in response.content


@pytest.mark.parametrize(
    ("header", "name", "summary"),
    [
        (None, "香草荚", "手工熟化。"),
        ("zh-hans", "香草荚", "手工熟化。"),
        ("zh-CN,zh;q=0.9", "香草荚", "手工熟化。"),
        ("en", "Vanilla beans", "Hand-cured."),
        ("en-US,en;q=0.8", "Vanilla beans", "Hand-cured."),
        ("fr", "香草荚", "手工熟化。"),
    ],
)
def test_text_comes_in_the_accept_language(api, header, name, summary):
    product = published(
        name_en="Vanilla beans", name_zh_hans="香草荚", summary_en="Hand-cured.", summary_zh_hans="手工熟化。"
    )
    headers = {"HTTP_ACCEPT_LANGUAGE": header} if header else {}

    card = api.get("/api/v1/products/", **headers).json()["results"][0]
    detail = api.get(f"/api/v1/products/{product.pk}/", **headers).json()

    assert (card["name"], card["summary"]) == (name, summary)
    assert (detail["name"], detail["summary"]) == (name, summary)


def test_chinese_falls_back_to_english_when_a_text_is_not_translated(api):
    product = published(description_en="Grown in Fiji.", description_zh_hans="")

    detail = api.get(f"/api/v1/products/{product.pk}/").json()

    assert detail["description"] == "Grown in Fiji."


def test_product_detail_fields(api, verified_exporter):
    organic = CertificationFactory(code="organic", name_en="Organic", name_zh_hans="有机")
    product = published(
        exporter=verified_exporter, market_access_en="GACC registered.", market_access_zh_hans="已在海关总署注册。"
    )
    product.certifications.add(organic)
    ProductImageFactory(product=product, position=1, renditions=renditions("a"), alt_text="Pods")
    ProductImageFactory(product=product, position=2, renditions={})  # renditions not made yet: left out

    detail = api.get(f"/api/v1/products/{product.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()

    assert detail["id"] == product.pk
    assert detail["images"] == [
        {
            "url": MEDIA + "r/a-detail.webp",
            "width": 750,
            "height": 562,
            "alt": "Pods",
            "zoom": {"url": MEDIA + "r/a-zoom.webp", "width": 1500, "height": 1125},
        }
    ]
    assert detail["certifications"] == [{"code": "organic", "name": "Organic"}]
    assert detail["market_access"] == "GACC registered."
    assert detail["hs_code"] == "0905.10"
    assert detail["exporter"] == {
        "id": verified_exporter.pk,
        "name": "Vanua Vanilla Co",
        "country": {"code": "FJ", "name": "Fiji"},
        "logo": None,
        "verified": True,
        "gacc_registration_number": "",
    }
    for field in (
        "description",
        "packaging",
        "shelf_life",
        "supply_capacity",
        "lead_time",
        "moq",
        "price",
        "thumbnail",
    ):
        assert field in detail
    assert "is_favourite" not in detail  # anonymous


def test_price_and_moq_are_null_when_not_given(api):
    published(price_currency="", price_min=None, price_max=None, moq_quantity=None, moq_unit="")

    card = api.get("/api/v1/products/").json()["results"][0]

    assert (card["price"], card["moq"], card["thumbnail"]) == (None, None, None)


# Visibility: only published products of verified exporters, anything else is a 404.


@pytest.fixture
def hidden_products(staff):
    pending = ExporterFactory(name="Pending Co")
    suspended = ExporterFactory(name="Suspended Co", suspended=True)
    archived = published()
    product_archive(product=archived, actor=staff)
    return {
        "draft": ProductFactory(),
        "submitted": ProductFactory(submitted=True),
        "rejected": ProductFactory(status=Product.Status.REJECTED, rejection_reason="Blurry photos"),
        "archived": archived,
        "unverified exporter": ProductFactory(published=True, exporter=pending),
        "suspended exporter": ProductFactory(published=True, exporter=suspended),
    }


def test_only_published_products_of_verified_exporters_are_listed(api, hidden_products):
    visible = published()
    collection = CollectionFactory(slug="expo")
    for product in hidden_products.values():
        CollectionItemFactory(collection=collection, product=product)

    assert ids(api.get("/api/v1/products/")) == [visible.pk]
    assert ids(api.get("/api/v1/products/", {"q": "香草"})) == [visible.pk]
    assert api.get("/api/v1/collections/expo/").json()["products"] == []
    assert api.get("/api/v1/collections/expo/").json()["product_count"] == 0


@pytest.mark.parametrize(
    "which", ["draft", "submitted", "rejected", "archived", "unverified exporter", "suspended exporter"]
)
def test_a_hidden_product_is_a_404(api, hidden_products, which):
    response = api.get(f"/api/v1/products/{hidden_products[which].pk}/")

    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "未找到。"}}


def test_an_unknown_product_is_a_404(api):
    assert api.get("/api/v1/products/999999/").status_code == 404
    assert api.get("/api/v1/products/99999999999999999999999/").status_code == 404


def test_exporter_profile_only_for_verified_exporters(api, verified_exporter, pending_exporter):
    suspended = ExporterFactory(name="Gone Co", suspended=True)
    organic = CertificationFactory(code="organic", name_en="Organic", name_zh_hans="有机")
    verified_exporter.year_founded = 1998
    verified_exporter.description_zh_hans = "斐济的香草家族企业。"
    verified_exporter.save()
    product = published(exporter=verified_exporter)
    product.certifications.add(organic)
    published(exporter=verified_exporter)
    ProductFactory(exporter=verified_exporter)  # a draft does not count
    halal = CertificationFactory(code="halal", name_en="Halal", name_zh_hans="清真")
    ProductFactory(exporter=verified_exporter).certifications.add(halal)  # nor do its certifications

    profile = api.get(f"/api/v1/exporters/{verified_exporter.pk}/").json()

    assert profile == {
        "id": verified_exporter.pk,
        "name": "Vanua Vanilla Co",
        "country": {"code": "FJ", "name": "斐济"},
        "logo": None,
        "verified": True,
        "gacc_registration_number": "",
        "description": "斐济的香草家族企业。",
        "founded": 1998,
        "sector": "农业与食品",
        "certifications": [{"code": "organic", "name": "有机"}],
        "product_count": 2,
    }
    assert api.get(f"/api/v1/exporters/{pending_exporter.pk}/").status_code == 404
    assert api.get(f"/api/v1/exporters/{suspended.pk}/").status_code == 404


def test_the_gacc_registration_number_shows_on_the_exporter_and_the_product_page(api, verified_exporter):
    verified_exporter.gacc_registration_number = "CFJI01234567"
    verified_exporter.save()
    product = published(exporter=verified_exporter)

    profile = api.get(f"/api/v1/exporters/{verified_exporter.pk}/").json()
    detail = api.get(f"/api/v1/products/{product.pk}/").json()
    card = api.get("/api/v1/products/").json()["results"][0]

    assert profile["gacc_registration_number"] == "CFJI01234567"
    assert detail["exporter"]["gacc_registration_number"] == "CFJI01234567"
    assert "gacc_registration_number" not in card["exporter"]  # the list's cards stay light


def test_editing_the_gacc_number_shows_in_the_next_answer(api, verified_exporter, django_capture_on_commit_callbacks):
    product = published(exporter=verified_exporter)
    profile_url, detail_url = f"/api/v1/exporters/{verified_exporter.pk}/", f"/api/v1/products/{product.pk}/"
    first_profile, first_detail = api.get(profile_url), api.get(detail_url)
    assert first_profile.json()["gacc_registration_number"] == ""
    assert first_detail.json()["exporter"]["gacc_registration_number"] == ""
    assert api.get(detail_url, HTTP_IF_NONE_MATCH=first_detail["ETag"]).status_code == 304  # cached

    # A plain save, as the admin's change form does (no service in between).
    exporter = Exporter.objects.get(pk=verified_exporter.pk)
    exporter.gacc_registration_number = "CFJI07654321"
    with django_capture_on_commit_callbacks(execute=True):
        exporter.save()

    profile = api.get(profile_url, HTTP_IF_NONE_MATCH=first_profile["ETag"])
    detail = api.get(detail_url, HTTP_IF_NONE_MATCH=first_detail["ETag"])
    assert profile.status_code == 200 and profile.json()["gacc_registration_number"] == "CFJI07654321"
    assert detail.status_code == 200 and detail.json()["exporter"]["gacc_registration_number"] == "CFJI07654321"


# Filters and orderings.


def test_filter_by_category_includes_sub_categories(api):
    food = CategoryFactory(slug="food", name_en="Food")
    spices = CategoryFactory(slug="spices", parent=food)
    vanilla = CategoryFactory(slug="vanilla", parent=spices)
    drinks = CategoryFactory(slug="drinks")
    in_food, in_spices, in_vanilla = published(category=food), published(category=spices), published(category=vanilla)
    published(category=drinks)

    assert set(ids(api.get("/api/v1/products/", {"category": "food"}))) == {in_food.pk, in_spices.pk, in_vanilla.pk}
    assert set(ids(api.get("/api/v1/products/", {"category": str(spices.pk)}))) == {in_spices.pk, in_vanilla.pk}
    assert ids(api.get("/api/v1/products/", {"category": "vanilla"})) == [in_vanilla.pk]
    assert ids(api.get("/api/v1/products/", {"category": "no-such-category"})) == []
    assert ids(api.get("/api/v1/products/", {"category": "³"})) == []  # a digit to str.isdigit(), not an id
    assert ids(api.get("/api/v1/products/", {"collection": "²"})) == []


def test_filter_by_country_exporter_certification_featured(api, verified_exporter, other_exporter, staff):
    fijian = published(exporter=verified_exporter)
    tongan = published(exporter=other_exporter)
    organic = CertificationFactory(code="organic")
    tongan.certifications.add(organic)
    product_set_featured(product=fijian, actor=staff)

    assert ids(api.get("/api/v1/products/", {"country": "TO"})) == [tongan.pk]
    assert ids(api.get("/api/v1/products/", {"country": "fj"})) == [fijian.pk]
    assert ids(api.get("/api/v1/products/", {"country": "WS"})) == []
    assert ids(api.get("/api/v1/products/", {"exporter": other_exporter.pk})) == [tongan.pk]
    assert ids(api.get("/api/v1/products/", {"certification": "organic"})) == [tongan.pk]
    assert ids(api.get("/api/v1/products/", {"certification": "halal"})) == []
    assert ids(api.get("/api/v1/products/", {"featured": "true"})) == [fijian.pk]
    assert ids(api.get("/api/v1/products/", {"featured": "false"})) == [tongan.pk]
    assert ids(api.get("/api/v1/products/", {"country": "FJ", "featured": "false"})) == []


def test_filter_by_collection_keeps_the_collection_order(api):
    collection = CollectionFactory(slug="expo-2026")
    first, second, outside = published(), published(), published()
    CollectionItemFactory(collection=collection, product=second, position=2)
    CollectionItemFactory(collection=collection, product=first, position=1)
    inactive = CollectionFactory(slug="old", is_active=False)
    CollectionItemFactory(collection=inactive, product=outside)

    assert ids(api.get("/api/v1/products/", {"collection": "expo-2026"})) == [first.pk, second.pk]
    assert ids(api.get("/api/v1/products/", {"collection": str(collection.pk)})) == [first.pk, second.pk]
    assert ids(api.get("/api/v1/products/", {"collection": "old"})) == []


def test_orderings(api):
    now = timezone.now()
    a = published(
        name_en="Banana chips", name_zh_hans="香蕉片", published_at=now - datetime.timedelta(days=3), inquiry_count=5
    )
    b = published(
        name_en="Avocado oil", name_zh_hans="牛油果油", published_at=now - datetime.timedelta(days=1), inquiry_count=1
    )
    c = published(
        name_en="Coconut water", name_zh_hans="椰子水", published_at=now - datetime.timedelta(days=2), inquiry_count=9
    )

    assert ids(api.get("/api/v1/products/")) == [b.pk, c.pk, a.pk]
    assert ids(api.get("/api/v1/products/", {"ordering": "-published_at"})) == [b.pk, c.pk, a.pk]
    assert ids(api.get("/api/v1/products/", {"ordering": "-inquiry_count"})) == [c.pk, a.pk, b.pk]
    assert ids(api.get("/api/v1/products/", {"ordering": "name"}, HTTP_ACCEPT_LANGUAGE="en")) == [b.pk, a.pk, c.pk]
    # In Chinese, by pinyin: niu you guo, xiang jiao, ye zi.
    assert ids(api.get("/api/v1/products/", {"ordering": "name"})) == [b.pk, a.pk, c.pk]
    response = api.get("/api/v1/products/", {"ordering": "price"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert list(response.json()["error"]["fields"]) == ["ordering"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"exporter": "abc"}, "exporter"),
        ({"exporter": "0"}, "exporter"),
        ({"exporter": "99999999999999999999"}, "exporter"),
        ({"country": "FJI"}, "country"),
        ({"featured": "maybe"}, "featured"),
        ({"q": "x" * 101}, "q"),
        ({"page": "0"}, "page"),
        ({"page": "abc"}, "page"),
        ({"page_size": "51"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "-1"}, "page_size"),
    ],
)
def test_invalid_parameters_are_a_400_naming_the_field(api, params, field):
    published()

    response = api.get("/api/v1/products/", params)

    assert response.status_code == 400
    body = response.json()
    assert body["error"]["code"] == "invalid"
    assert list(body["error"]["fields"]) == [field]
    assert body["error"]["message"]


# Pagination.


def test_pagination_pages_and_edges(api):
    products = [published() for _ in range(5)]
    newest_first = [p.pk for p in sorted(products, key=lambda p: (p.published_at, p.pk), reverse=True)]

    first = api.get("/api/v1/products/", {"page_size": 2}).json()
    last = api.get("/api/v1/products/", {"page_size": 2, "page": 3}).json()

    assert first["count"] == 5
    assert [c["id"] for c in first["results"]] == newest_first[:2]
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/products/?page=2&page_size=2"
    assert [c["id"] for c in last["results"]] == newest_first[4:]
    assert last["next"] is None
    assert last["previous"] == "http://testserver/api/v1/products/?page=2&page_size=2"
    beyond = api.get("/api/v1/products/", {"page_size": 2, "page": 4})
    assert beyond.status_code == 404
    assert beyond.json()["error"]["code"] == "not_found"
    assert len(api.get("/api/v1/products/", {"page_size": 50}).json()["results"]) == 5
    assert len(api.get("/api/v1/products/").json()["results"]) == 5


def test_an_empty_catalogue_is_one_empty_page(api):
    assert api.get("/api/v1/products/").json() == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
        "did_you_mean": "",
    }


# Categories, countries, collections, home.


def test_categories_with_counts_including_sub_categories(api):
    food = CategoryFactory(slug="food", name_en="Food", name_zh_hans="食品", icon="food", position=1)
    spices = CategoryFactory(slug="spices", name_en="Spices", name_zh_hans="香料", parent=food, position=2)
    empty = CategoryFactory(slug="crafts", name_en="Crafts", name_zh_hans="手工艺品", position=3)
    published(category=spices)
    published(category=food)
    ProductFactory(category=spices)  # draft: not counted

    body = api.get("/api/v1/categories/").json()

    assert body["results"] == [
        {"id": food.pk, "slug": "food", "name": "食品", "parent": None, "icon": "food", "product_count": 2},
        {"id": spices.pk, "slug": "spices", "name": "香料", "parent": food.pk, "icon": "", "product_count": 1},
        {"id": empty.pk, "slug": "crafts", "name": "手工艺品", "parent": None, "icon": "", "product_count": 0},
    ]


def test_countries_are_those_with_visible_products(api, verified_exporter, other_exporter, pending_exporter):
    CountryFactory(code="WS", name_en="Samoa", name_zh_hans="萨摩亚")
    published(exporter=verified_exporter)
    published(exporter=verified_exporter)
    ProductFactory(exporter=other_exporter)  # Tonga: a draft only

    body = api.get("/api/v1/countries/", HTTP_ACCEPT_LANGUAGE="en").json()

    assert body["results"] == [{"code": "FJ", "name": "Fiji", "product_count": 2}]


def test_collections_are_the_active_ones(api):
    today = timezone.localdate()
    current = CollectionFactory(slug="now", title_en="Now", title_zh_hans="当季", position=1)
    CollectionFactory(slug="off", is_active=False)
    CollectionFactory(slug="future", starts_on=today + datetime.timedelta(days=1))
    CollectionFactory(slug="past", ends_on=today - datetime.timedelta(days=1))
    CollectionItemFactory(collection=current)

    body = api.get("/api/v1/collections/").json()

    assert body["results"] == [
        {
            "slug": "now",
            "title": "当季",
            "description": "",
            "cover": None,
            "starts_on": None,
            "ends_on": None,
            "product_count": 1,
        }
    ]
    for slug in ("off", "future", "past", "nothing"):
        assert api.get(f"/api/v1/collections/{slug}/").status_code == 404
    detail = api.get("/api/v1/collections/now/").json()
    assert len(detail["products"]) == 1


def test_home_in_one_call(api, verified_exporter, staff):
    food = CategoryFactory(slug="food", name_zh_hans="食品")
    CategoryFactory(slug="spices", parent=food)
    featured = published(exporter=verified_exporter, category=food)
    product_set_featured(product=featured, actor=staff)
    published(exporter=verified_exporter, category=food)
    CollectionItemFactory(collection=CollectionFactory(slug="expo"), product=featured)

    home = api.get("/api/v1/home/").json()

    assert [card["id"] for card in home["featured"]] == [featured.pk]
    assert [c["slug"] for c in home["collections"]] == ["expo"]
    assert [(c["slug"], c["product_count"]) for c in home["categories"]] == [("food", 2)]
    assert home["countries"] == [{"code": "FJ", "name": "斐济", "product_count": 2}]


# Queries: a fixed number, whatever the page size.


@pytest.mark.parametrize("page_size", [1, 20, 50])
def test_product_list_queries_do_not_grow(api, django_assert_max_num_queries, page_size):
    for index in range(25):
        product = published(category=CategoryFactory(slug=f"c{index % 4}"))
        ProductImageFactory(product=product, renditions=renditions(str(index)))
        ProductImageFactory(product=product, renditions=renditions(f"{index}b"))
    CollectionItemFactory(collection=CollectionFactory(slug="expo"), product=product)

    # What search reads once per catalogue version (its spelling vocabulary, places, glossary).
    assert api.get("/api/v1/products/", {"q": "kava"}).status_code == 200

    for params, budget in (
        ({"page_size": page_size}, 3),
        # A query searched for the first time: its plan may count its matches twice (relevance.plan).
        ({"page_size": page_size, "q": "香草 grade", "category": "c1", "featured": "false"}, 5),
        ({"page_size": page_size, "collection": "expo", "certification": "organic", "ordering": "name"}, 3),
    ):
        with django_assert_max_num_queries(budget):
            response = api.get("/api/v1/products/", params)
        assert response.status_code == 200
        with django_assert_max_num_queries(3):  # again: the plan is cached
            assert api.get("/api/v1/products/", params).status_code == 200


def test_other_reads_have_a_fixed_number_of_queries(api, django_assert_max_num_queries, verified_exporter, staff):
    for index in range(6):
        product = published(exporter=verified_exporter)
        product.certifications.add(CertificationFactory(code=f"cert{index}"))
        ProductImageFactory(product=product, renditions=renditions(str(index)))
        ProductImageFactory(product=product, renditions=renditions(f"{index}b"))
        product_set_featured(product=product, actor=staff)
        CollectionItemFactory(collection=CollectionFactory(slug=f"col{index}"), product=product)

    budgets = {
        f"/api/v1/products/{product.pk}/": 3,  # 1 on PostgreSQL (catalogue.listing.detail)
        f"/api/v1/exporters/{verified_exporter.pk}/": 3,
        "/api/v1/home/": 5,
        "/api/v1/categories/": 3,
        "/api/v1/countries/": 2,
        "/api/v1/collections/": 2,
        "/api/v1/collections/col1/": 2,
    }
    for url, budget in budgets.items():
        with django_assert_max_num_queries(budget):
            assert api.get(url).status_code == 200, url


# ETag, 304 and the cache.


def test_etag_round_trip(api):
    product = published()

    first = api.get("/api/v1/products/")
    again = api.get("/api/v1/products/", HTTP_IF_NONE_MATCH=first["ETag"])
    other_language = api.get("/api/v1/products/", HTTP_IF_NONE_MATCH=first["ETag"], HTTP_ACCEPT_LANGUAGE="en")
    detail = api.get(f"/api/v1/products/{product.pk}/")

    assert first.status_code == 200 and first["ETag"].startswith('"')
    assert "Accept-Language" in first["Vary"]
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert other_language.status_code == 200
    assert other_language["ETag"] != first["ETag"]
    assert api.get(f"/api/v1/products/{product.pk}/", HTTP_IF_NONE_MATCH=detail["ETag"]).status_code == 304
    assert api.get(f"/api/v1/products/{product.pk}/", HTTP_IF_NONE_MATCH='"stale"').status_code == 200


def test_a_weak_etag_sent_back_still_gets_a_304(api):
    # gzip in a proxy (deploy/nginx) turns the ETag weak; If-None-Match compares weakly.
    first = api.get("/api/v1/products/")

    again = api.get("/api/v1/products/", HTTP_IF_NONE_MATCH=f'"other", W/{first["ETag"]}')

    assert again.status_code == 304
    assert api.get("/api/v1/products/", HTTP_IF_NONE_MATCH='W/"stale"').status_code == 200


@pytest.mark.parametrize("url", ["/api/v1/home/", "/api/v1/categories/", "/api/v1/countries/", "/api/v1/collections/"])
def test_every_catalogue_read_sends_an_etag(api, url):
    CollectionItemFactory(collection=CollectionFactory(slug="expo"))

    first = api.get(url)

    assert first.status_code == 200
    assert api.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_repeated_request_is_answered_from_the_cache(api, django_assert_num_queries):
    published()
    api.get("/api/v1/products/")

    with django_assert_num_queries(0):
        assert api.get("/api/v1/products/").status_code == 200


def test_a_change_through_the_services_shows_at_once(api, staff, django_capture_on_commit_callbacks):
    product = published()
    first = api.get("/api/v1/products/")
    assert ids(first) == [product.pk]

    with django_capture_on_commit_callbacks(execute=True):
        product_archive(product=product, actor=staff)
    after_archive = api.get("/api/v1/products/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert after_archive.status_code == 200
    assert ids(after_archive) == []
    assert api.get(f"/api/v1/products/{product.pk}/").status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        product_publish(product=product, actor=staff)
    assert ids(api.get("/api/v1/products/")) == [product.pk]


def test_suspending_the_exporter_hides_its_products_at_once(
    api, staff, verified_exporter, django_capture_on_commit_callbacks
):
    from exporters.services import exporter_suspend

    product = published(exporter=verified_exporter)
    assert ids(api.get("/api/v1/products/")) == [product.pk]

    with django_capture_on_commit_callbacks(execute=True):
        exporter_suspend(exporter=verified_exporter, actor=staff, reason="Licence expired")

    assert Exporter.objects.get(pk=verified_exporter.pk).verification_status == "suspended"
    assert ids(api.get("/api/v1/products/")) == []
    assert api.get(f"/api/v1/products/{product.pk}/").status_code == 404


def test_editing_a_name_updates_search_and_the_cache(api, django_capture_on_commit_callbacks):
    product = published(
        name_en="Vanilla beans", name_zh_hans="香草荚", summary_en="From Fiji.", summary_zh_hans="斐济出产。"
    )
    assert ids(api.get("/api/v1/products/", {"q": "kava"})) == []

    product.name_en, product.name_zh_hans = "Kava root", "卡瓦根"
    with django_capture_on_commit_callbacks(execute=True):
        product.save()

    assert ids(api.get("/api/v1/products/", {"q": "kava"})) == [product.pk]
    assert ids(api.get("/api/v1/products/", {"q": "kawa"})) == [product.pk]  # pinyin of 卡瓦
    assert ids(api.get("/api/v1/products/", {"q": "香草"})) == []


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_catalogue_is_read_only(api, method):
    product = published()

    response = getattr(api, method)(f"/api/v1/products/{product.pk}/", {}, format="json")

    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert Product.objects.get(pk=product.pk).status == Product.Status.PUBLISHED


def test_cards_from_instances_match_cards_from_rows(django_assert_max_num_queries):
    """Other apps serialize cards from model instances (selectors.as_cards, e.g. in a Prefetch);
    the catalogue's lists from rows. Both give the same card, in one query."""
    from catalogue import selectors
    from catalogue.serializers import ProductCardSerializer

    product = published()
    ProductImageFactory(product=product, renditions=renditions("x"))
    published(price_currency="", moq_quantity=None)

    with django_assert_max_num_queries(1):
        from_instances = ProductCardSerializer(list(selectors.as_cards(Product.objects.order_by("pk"))), many=True).data
    from_rows = ProductCardSerializer(list(selectors.card_rows(Product.objects.order_by("pk"))), many=True).data

    assert from_instances == from_rows
    assert from_rows[0]["thumbnail"] == {"url": MEDIA + "r/x-thumb.webp", "width": 240, "height": 180}
