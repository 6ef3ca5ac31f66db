"""Search in Chinese, English and pinyin, on SQLite (substring) and PostgreSQL (GIN index)."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from catalogue.search import keys, query_terms, term_keys, tsquery
from tests.factories import CategoryFactory, ExporterFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def found(api, q, **params) -> list[int]:
    response = api.get("/api/v1/products/", {"q": q, **params})
    assert response.status_code == 200, response.content
    return [card["id"] for card in response.json()["results"]]


@pytest.fixture
def catalogue(fiji):
    now = timezone.now()
    spices = CategoryFactory(slug="spices", name_en="Spices", name_zh_hans="香料")
    drinks = CategoryFactory(slug="drinks", name_en="Drinks", name_zh_hans="饮料")
    kava_growers = ExporterFactory(
        name="Tonga Kava Growers", name_zh_hans="汤加卡瓦种植者", verified=True, country=fiji
    )
    plain = {"summary_en": "From the islands.", "summary_zh_hans": "来自海岛。"}
    return {
        "vanilla": ProductFactory(
            published=True,
            name_en="Tahitian Vanilla Beans",
            name_zh_hans="大溪地香草荚",
            category=spices,
            published_at=now - datetime.timedelta(days=5),
            **plain,
        ),
        "vanilla_powder": ProductFactory(
            published=True,
            name_en="Ground spice mix",
            name_zh_hans="混合香料粉",
            summary_en="With a little vanilla.",
            summary_zh_hans="含少量香草。",
            category=spices,
            published_at=now - datetime.timedelta(days=1),
        ),
        "kava": ProductFactory(
            published=True,
            name_en="Kava root powder",
            name_zh_hans="卡瓦根粉",
            category=drinks,
            exporter=kava_growers,
            published_at=now - datetime.timedelta(days=2),
            **plain,
        ),
        "coconut": ProductFactory(
            published=True,
            name_en="Virgin coconut oil",
            name_zh_hans="初榨椰子油",
            category=drinks,
            published_at=now - datetime.timedelta(days=3),
            **plain,
        ),
        "hidden": ProductFactory(name_en="Vanilla extract", name_zh_hans="香草精", category=spices, **plain),
    }


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        # Chinese, substring of the name (two characters, three, one, the middle of a word).
        ("香草", ["vanilla", "vanilla_powder"]),
        # The whole phrase first; few found, so a near match follows (香草, half its pieces).
        ("香草荚", ["vanilla", "vanilla_powder"]),
        ("溪地香", ["vanilla"]),
        ("椰", ["coconut"]),
        ("榨椰子", ["coconut"]),
        # English, any case, word beginnings.
        ("vanilla", ["vanilla", "vanilla_powder"]),
        ("VANILLA", ["vanilla", "vanilla_powder"]),
        ("Vani", ["vanilla", "vanilla_powder"]),
        ("coconut oil", ["coconut"]),
        ("oil coconut", ["coconut"]),
        # Pinyin, full and initials, from the start or the middle of a name.
        ("xiangcao", ["vanilla"]),  # pinyin is made for names only
        ("xiangcaojia", ["vanilla"]),
        ("daxidi", ["vanilla"]),
        ("xc", ["vanilla"]),
        ("xcj", ["vanilla"]),
        ("dxdxcj", ["vanilla"]),
        ("yezi", ["coconut"]),
        ("kawa", ["kava"]),
        ("XiangCao", ["vanilla"]),
        # Exporter and category names, in both languages and pinyin.
        ("kava growers", ["kava"]),
        ("汤加卡瓦", ["kava"]),
        ("tangjia", ["kava"]),
        ("香料", ["vanilla_powder", "vanilla"]),
        ("spices", ["vanilla_powder", "vanilla"]),
        ("xiangliao", ["vanilla_powder", "vanilla"]),
        ("yinliao", ["kava", "coconut"]),
        # Mixed scripts, full-width letters.
        ("香草 tahitian", ["vanilla"]),
        ("ｖａｎｉｌｌａ", ["vanilla", "vanilla_powder"]),
        # Nothing.
        ("chocolate", []),
        ("巧克力", []),
        ("!!!", []),
    ],
)
def test_search(api, catalogue, q, expected):
    assert found(api, q) == [catalogue[name].pk for name in expected]


def test_name_matches_come_first_then_the_newest(api, catalogue):
    # The powder is newer, but only its summary says vanilla.
    assert found(api, "vanilla") == [catalogue["vanilla"].pk, catalogue["vanilla_powder"].pk]
    assert found(api, "香草") == [catalogue["vanilla"].pk, catalogue["vanilla_powder"].pk]


def test_an_explicit_ordering_wins_over_relevance(api, catalogue):
    assert found(api, "vanilla", ordering="-published_at") == [catalogue["vanilla_powder"].pk, catalogue["vanilla"].pk]


def test_search_combines_with_filters(api, catalogue):
    assert found(api, "香草", category="spices") == [catalogue["vanilla"].pk, catalogue["vanilla_powder"].pk]
    assert found(api, "香草", category="drinks") == []
    assert found(api, "kava", country="FJ") == [catalogue["kava"].pk]


def test_an_empty_query_is_no_filter(api, catalogue):
    assert len(found(api, "")) == 4


def test_search_keys():
    made = keys("大溪地香草荚", pinyin=True)

    for key in (
        "大溪地香草荚",
        "大溪",
        "香草",
        "草荚",
        "荚",
        "daxidixiangcaojia",
        "xiangcaojia",
        "dxdxcj",
        "xcj",
        "cj",
    ):
        assert key in made
    assert keys("Café CRÈME 2kg") == ["cafe", "creme", "2kg"]
    assert query_terms("香草vanilla ＸＣ") == ["香草", "vanilla", "xc"]
    assert tsquery(["香草荚", "xc", "椰"]) == "'香草' & '草荚' & 'xc':* & '椰':*"
    assert term_keys("香草荚") == [("香草", False), ("草荚", False)]
    assert term_keys("x" * 40) == [("x" * 32, True)]


def test_nul_characters_in_parameters_are_dropped(api, catalogue):
    # PostgreSQL refuses NUL in text; a client sending one gets an answer, not an error.
    assert found(api, "香\x00草荚")[0] == catalogue["vanilla"].pk
    assert found(api, "", category="spi\x00ces") == [catalogue["vanilla_powder"].pk, catalogue["vanilla"].pk]


def test_pages_run_from_name_matches_into_the_others(api):
    now = timezone.now()
    plain = {"summary_en": "From the islands.", "summary_zh_hans": "来自海岛。"}

    def product(days, name, summary=None):
        texts = {"summary_en": summary, "summary_zh_hans": summary} if summary else plain
        return ProductFactory(
            published=True, name_en=name, name_zh_hans=name, published_at=now - datetime.timedelta(days=days), **texts
        ).pk

    in_name = [product(5, "Noni juice"), product(3, "Noni powder"), product(4, "Noni capsules")]
    in_summary = [product(1, "Fruit juice", "With noni."), product(2, "Tonic", "Noni inside.")]
    product(0, "Kava", "Nothing here.")
    expected = [in_name[1], in_name[2], in_name[0], in_summary[0], in_summary[1]]

    pages = [found(api, "noni", page_size=2, page=page) for page in (1, 2, 3)]

    assert pages == [expected[0:2], expected[2:4], expected[4:5]]
    assert api.get("/api/v1/products/", {"q": "noni", "page_size": 2}).json()["count"] == 5
    assert found(api, "noni", page_size=3, page=2) == expected[3:5]


def test_other_matches_page_the_same_whether_walked_or_read_through_the_index(api):
    # Past the name matches, a page of the other matches is read by walking the newest
    # products when they are common (small pages here), else through the search index
    # (a page as large as them all): the same products in the same order either way.
    now = timezone.now()
    plain = {"summary_en": "From the islands.", "summary_zh_hans": "来自海岛。"}
    in_name = ProductFactory(
        published=True,
        name_en="Noni juice",
        name_zh_hans="诺丽果汁",
        published_at=now - datetime.timedelta(days=30),
        **plain,
    ).pk
    in_summary = [
        ProductFactory(
            published=True,
            name_en=f"Tonic {k}",
            name_zh_hans=f"补品{k}",
            summary_en="With noni.",
            summary_zh_hans="含诺丽。",
            published_at=now - datetime.timedelta(days=k, hours=k),
        ).pk
        for k in range(12)
    ]
    for k in range(3):
        ProductFactory(
            published=True,
            name_en=f"Kava {k}",
            name_zh_hans=f"卡瓦{k}",
            published_at=now - datetime.timedelta(hours=k),
            **plain,
        )
    expected = [in_name, *in_summary]

    walked = [card for page in range(1, 8) for card in found(api, "noni", page_size=2, page=page)]
    indexed = found(api, "noni", page_size=50)

    assert walked == expected
    assert indexed == expected
    assert found(api, "noni", page_size=5, page=3) == expected[10:13]


def test_name_matches_page_the_same_whether_walked_or_read_through_the_index(api):
    # Name matches are read by walking the newest products when they are common enough for
    # the page's end to come soon (small pages here), else through the name index (12 of 52
    # products: from the 12th row on; see the next test).
    now = timezone.now()
    plain = {"summary_en": "From the islands.", "summary_zh_hans": "来自海岛。"}
    in_name = [
        ProductFactory(
            published=True,
            name_en=f"Noni juice {k}",
            name_zh_hans=f"诺丽果汁{k}",
            published_at=now - datetime.timedelta(days=k, hours=k),
            **plain,
        ).pk
        for k in range(12)
    ]
    for k in range(40):
        ProductFactory(published=True, name_en=f"Kava {k}", name_zh_hans=f"卡瓦{k}", **plain)

    walked = [card for page in range(1, 6) for card in found(api, "noni", page_size=2, page=page)]
    indexed = found(api, "noni", page_size=50)

    assert walked == in_name[:10]
    assert indexed == in_name
    assert found(api, "nl", page_size=5, page=2) == in_name[5:10]
