"""GET /api/v1/search/suggestions/: completions of a Chinese, English or pinyin prefix, ranked by
the visible products they lead to. The database narrows the products differently on SQLite
and PostgreSQL; run on both (DATABASE_URL set and unset)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from catalogue import suggestions
from tests.factories import CategoryFactory, ExporterFactory, ProductFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/search/suggestions/"


@pytest.fixture
def api():
    return APIClient()


def suggest(api, q, language="zh-hans") -> list[tuple[str, str]]:
    response = api.get(URL, {"q": q}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, response.content
    return [(item["text"], item["kind"]) for item in response.json()]


@pytest.fixture
def catalogue(fiji, tonga):
    spices = CategoryFactory(slug="spices", name_en="Spices", name_zh_hans="香料")
    vanilla = CategoryFactory(slug="vanilla", name_en="Vanilla", name_zh_hans="香草", parent=spices)
    drinks = CategoryFactory(slug="drinks", name_en="Drinks", name_zh_hans="饮料")
    varnish = CategoryFactory(slug="varnish", name_en="Varnish", name_zh_hans="清漆")
    vanua = ExporterFactory(name="Vanua Vanilla Co", name_zh_hans="瓦努阿香草公司", verified=True, country=fiji)
    kava = ExporterFactory(name="Tonga Kava Growers", name_zh_hans="汤加卡瓦种植者", verified=True, country=tonga)
    pending = ExporterFactory(name="Vatu Vanilla Traders", name_zh_hans="瓦图香草贸易", country=fiji)
    ProductFactory(
        published=True, name_en="Tahitian Vanilla Beans", name_zh_hans="大溪地香草荚", category=vanilla, exporter=vanua
    )
    ProductFactory(published=True, name_en="Vanilla powder", name_zh_hans="香草粉", category=vanilla, exporter=vanua)
    ProductFactory(published=True, name_en="Vanilla powder", name_zh_hans="香草粉", category=vanilla, exporter=kava)
    ProductFactory(published=True, name_en="Kava root powder", name_zh_hans="卡瓦根粉", category=drinks, exporter=kava)
    # Never counted, never suggested: a draft, a product of an exporter not verified, and a
    # category with nothing visible.
    ProductFactory(name_en="Vanilla extract", name_zh_hans="香草精", category=vanilla, exporter=vanua)
    ProductFactory(published=True, name_en="Vanilla paste", name_zh_hans="香草酱", category=vanilla, exporter=pending)
    ProductFactory(submitted=True, name_en="Varnish oil", name_zh_hans="清漆油", category=varnish, exporter=vanua)


VANILLA_ZH = [
    ("香草", "category"),  # 3 visible products
    ("香草粉", "product"),  # 2 products of that name
    ("瓦努阿香草公司", "exporter"),  # 2 (a tie: products first)
    ("大溪地香草荚", "product"),  # 1
]
VANILLA_EN = [
    ("Vanilla", "category"),
    ("Vanilla powder", "product"),
    ("Vanua Vanilla Co", "exporter"),
    ("Tahitian Vanilla Beans", "product"),
]


@pytest.mark.parametrize("q", ["香草", "xiangcao", "xiangc", "xc", "XC", "ｘｃ", "xiang cao"])
def test_chinese_and_pinyin_prefixes_complete_to_visible_names_in_chinese(api, catalogue, q):
    assert suggest(api, q) == VANILLA_ZH


def test_one_chinese_character_completes_every_name_holding_it(api, catalogue):
    # 香料 (Spices) leads to its sub-category's 3 products too; a tie in count and kind goes by text.
    assert suggest(api, "香") == [("香料", "category"), *VANILLA_ZH]


def test_english_prefix_and_the_request_language(api, catalogue):
    assert suggest(api, "va", language="en") == VANILLA_EN
    assert suggest(api, "va") == VANILLA_ZH
    assert suggest(api, "vanilla pow", language="en") == [("Vanilla powder", "product")]


def test_countries_and_exporters_are_suggested_and_a_tie_keeps_the_kinds_order(api, catalogue):
    assert suggest(api, "fei") == [("斐济", "country")]
    assert suggest(api, "fiji", language="en") == [("Fiji", "country")]
    assert suggest(api, "tonga", language="en") == [("Tonga", "country"), ("Tonga Kava Growers", "exporter")]
    assert suggest(api, "卡瓦") == [("汤加卡瓦种植者", "exporter"), ("卡瓦根粉", "product")]


def test_a_prefix_is_the_start_of_a_word_not_its_middle(api, catalogue):
    assert suggest(api, "nilla", language="en") == []
    assert suggest(api, "ava", language="en") == []


def test_hidden_products_and_their_names_lead_nowhere(api, catalogue):
    assert suggest(api, "extract", language="en") == []
    assert suggest(api, "paste", language="en") == []
    assert suggest(api, "vatu", language="en") == []
    assert suggest(api, "varn", language="en") == []
    assert suggest(api, "清漆") == []


def test_at_most_ten_the_most_common_first(api, fiji):
    exporter = ExporterFactory(name="Lautoka Noni", name_zh_hans="劳托卡诺丽", verified=True, country=fiji)
    for n in range(12):
        for _copy in range(n % 2 + 1):
            ProductFactory(published=True, name_en=f"Noni juice {n:02}", name_zh_hans="", exporter=exporter)

    found = suggest(api, "noni", language="en")

    assert len(found) == 10
    assert found[0] == ("Lautoka Noni", "exporter")  # 18 products
    assert found[1:] == [(f"Noni juice {n:02}", "product") for n in (1, 3, 5, 7, 9, 11, 0, 2, 4)]


def test_a_chinese_phrase_completes_product_names_holding_it_whole(api, catalogue):
    exporter = ExporterFactory(name="Suva Spice", verified=True)
    ProductFactory(published=True, name_en="Ground vanilla", name_zh_hans="草粉和香草", exporter=exporter)

    # 香草粉's pieces 香草 and 草粉 are both in 草粉和香草, but not the phrase.
    assert suggest(api, "香草粉") == [("香草粉", "product")]


def test_product_names_count_among_the_newest_matches(api, fiji, monkeypatch):
    """A prefix matching more products than PRODUCT_CANDIDATES counts the names of the newest
    ones (the product search's walk), so the cost stays a search page's at any catalogue size."""
    monkeypatch.setattr(suggestions, "PRODUCT_CANDIDATES", 4)
    exporter = ExporterFactory(name="Lautoka Fruit", name_zh_hans="劳托卡水果", verified=True, country=fiji)
    long_ago = timezone.now() - timedelta(days=30)
    for _ in range(3):
        ProductFactory(published=True, name_en="Noni juice", published_at=long_ago, exporter=exporter)
    for n in range(4):
        ProductFactory(published=True, name_en=f"Noni powder {n}", exporter=exporter)

    assert suggest(api, "noni", language="en") == [(f"Noni powder {n}", "product") for n in range(4)]
    assert suggest(api, "noni juice", language="en") == [("Noni juice", "product")]  # 3 matches: all counted


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "   "}, {"q": "!!! ---"}])
def test_nothing_typed_suggests_nothing(api, catalogue, params):
    response = api.get(URL, params)

    assert response.status_code == 200
    assert response.json() == []


def test_a_query_too_long_is_a_400_in_the_error_shape(api, catalogue):
    response = api.get(URL, {"q": "v" * 101}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid",
            "message": "q: Ensure this field has no more than 100 characters.",
            "fields": {"q": ["Ensure this field has no more than 100 characters."]},
        }
    }
    chinese = api.get(URL, {"q": "v" * 101}).json()["error"]["fields"]["q"]
    assert chinese == ["请确保这个字段不能超过 100 个字符。"]


def test_public_with_an_etag_and_304(api, catalogue):
    first = api.get(URL, {"q": "xc"})

    again = api.get(URL, {"q": "xc"}, HTTP_IF_NONE_MATCH=first["ETag"])
    english = api.get(URL, {"q": "xc"}, HTTP_ACCEPT_LANGUAGE="en", HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200 and first["ETag"]
    assert again.status_code == 304
    assert english.status_code == 200 and english.json()[0] == {"text": "Vanilla", "kind": "category"}


def test_a_published_product_shows_at_once_in_cached_suggestions(
    api, catalogue, fiji, django_capture_on_commit_callbacks
):
    assert suggest(api, "noni", language="en") == []
    exporter = ExporterFactory(name="Lautoka Fruit", verified=True, country=fiji)

    with django_capture_on_commit_callbacks(execute=True):
        ProductFactory(published=True, name_en="Noni juice", exporter=exporter)

    assert suggest(api, "noni", language="en") == [("Noni juice", "product")]


@pytest.mark.parametrize("path", [URL, "/api/v1/products/"])
def test_a_limit_is_worded_in_each_requests_language_not_the_first_ones(api, path):
    # The query's serializer is one instance for every request: its message must not stick.
    for language, expected in [
        ("en", "Ensure this field has no more than 100 characters."),
        ("zh-hans", "请确保这个字段不能超过 100 个字符。"),
        ("en", "Ensure this field has no more than 100 characters."),
    ]:
        response = api.get(path, {"q": "v" * 101}, HTTP_ACCEPT_LANGUAGE=language)
        assert response.json()["error"]["fields"] == {"q": [expected]}


def test_one_query_per_typed_prefix_once_the_names_are_counted(
    api, catalogue, settings, django_assert_num_queries, django_assert_max_num_queries
):
    api.get(URL, {"q": "va"})  # counts the categories', countries' and exporters' products, kept

    with django_assert_max_num_queries(2):  # the name search's matches counted (PostgreSQL, kept), its page
        assert api.get(URL, {"q": "xc"}).status_code == 200
    with django_assert_num_queries(0):  # the same answer again: cached
        assert api.get(URL, {"q": "xc"}).status_code == 200
    settings.API_CACHE_SECONDS = 0
    with django_assert_num_queries(1):  # answered afresh: the name search's page only
        assert api.get(URL, {"q": "xc"}).status_code == 200
