"""Search in Chinese, English and pinyin, on SQLite (substring) and PostgreSQL (GIN index)."""

import datetime
import re

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from catalogue.search import keys, query_terms, tsquery
from tests.conftest import explain
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
        ("香草荚", ["vanilla"]),
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


def test_postgresql_uses_the_search_index(postgres, catalogue):
    from catalogue.models import Product
    from catalogue.search import search

    sql, params = search(Product.objects.all(), "xiangcao", rank=False).order_by().query.sql_with_params()
    plan = explain(sql, params)

    assert "catalogue_product_search_keys_gin" in plan


def test_nul_characters_in_parameters_are_dropped(api, catalogue):
    # PostgreSQL refuses NUL in text; a client sending one gets an answer, not an error.
    assert found(api, "香\x00草荚") == [catalogue["vanilla"].pk]
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


def page_sql(api, q, **params) -> str:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        found(api, q, **params)
    return "\n".join(query["sql"] for query in captured.captured_queries)


@pytest.mark.parametrize(
    ("params", "part", "way"),
    [
        # 6 name matches of 40: walked while the page's end comes within a few rows of the
        # name index (stop x 40 x 1/4 walked rows against 6 x 6), else read through the GIN.
        ({"page_size": 2}, "search_name_keys", "walk"),
        ({"page_size": 6}, "search_name_keys", "index"),
        # past them, 12 other matches: the walk reads the table's rows (stop x 40 against 12 x 12)
        ({"page_size": 2, "page": 4}, "search_text_keys", "walk"),
        ({"page_size": 18}, "search_text_keys", "index"),
    ],
)
def test_the_search_walks_only_when_its_matches_are_common(postgres, api, settings, params, part, way):
    # Which way a part is read is decided from the counts, not by the planner: a walk tests
    # each row with a function no index answers, the index way uses the keys' GIN index.
    settings.API_CACHE_SECONDS = 0
    now = timezone.now()
    for k in range(6):
        ProductFactory(published=True, name_en=f"Noni {k}", published_at=now - datetime.timedelta(days=k))
    for k in range(12):
        ProductFactory(
            published=True, name_en=f"Tonic {k}", summary_en="With noni.", published_at=now - datetime.timedelta(days=k)
        )
    for k in range(22):
        ProductFactory(published=True, name_en=f"Kava {k}")

    page_sql(api, "noni", **params)  # the counts are cached; the next request reads only its page
    sql = page_sql(api, "noni", **params)

    walked = re.search(rf'ts_match_vq\([^,]*"{part}"', sql) is not None
    indexed = re.search(rf'"{part}" @@', sql) is not None
    assert (walked, indexed) == (way == "walk", way == "index"), sql


def test_a_names_walk_reads_the_name_keys_index_alone(postgres, api, settings):
    # The name matches' walk tests each product's name keys in the index of the newest
    # products that holds them (migration 0010), never reading the table: an index-only scan.
    settings.API_CACHE_SECONDS = 0
    for k in range(6):
        ProductFactory(published=True, name_en=f"Noni {k}")
    for k in range(4):
        ProductFactory(published=True, name_en=f"Kava {k}")
    page_sql(api, "noni", page_size=2)  # the counts are cached; the next request reads only its page
    (sql,) = page_sql(api, "noni", page_size=2).split("\n")
    assert 'ts_match_vq(U0."search_name_keys"' in sql, sql  # walked

    # In a table this small the planner's pick among indexes is arbitrary (the bench measures
    # its pick at 100,000 products); what is tested is that this index alone answers the walk:
    # with only index-only scans allowed it is the one used.
    plan = explain(sql, disabled=("enable_seqscan", "enable_indexscan", "enable_bitmapscan"))
    assert "Index Only Scan using product_newest_name_keys_idx" in plan, plan


# 142 characters, ending in 礼盒装 (gift box): 10 KB of name keys
_PHRASES = "斐济天然有机冷压初榨椰子油瓦努阿图卡瓦根粉汤加香草荚萨摩亚诺丽果汁所罗门群岛可可豆巴布亚新几内亚咖啡蜂蜜"
LONG_NAME = _PHRASES + _PHRASES[::-1] + _PHRASES[5:40] + "礼盒装"


def test_capped_name_keys_keep_the_first_keys_that_fit():
    from catalogue.search import NAME_KEYS_BYTES, capped_name_keys

    made = keys(LONG_NAME, pinyin=True)
    kept = capped_name_keys(made + made[:3])

    assert kept == list(dict.fromkeys(made))[: len(kept)]  # in order, each once, the tail dropped
    assert len(kept) < len(set(made))
    size = 8 + sum(4 + len(key.encode()) for key in kept)
    assert NAME_KEYS_BYTES - 4 - 32 * 3 < size <= NAME_KEYS_BYTES
    assert capped_name_keys(["vanilla", "beans", "vanilla"]) == ["vanilla", "beans"]


def test_a_long_name_is_saved_and_still_found_by_every_key(postgres, api):
    # Uncapped, this name's keys would not fit in an entry of the name keys' btree index
    # (PostgreSQL refuses an entry over 2,704 bytes): the save would fail. Capped, the name
    # keeps its first keys; a key past the cap still finds it, with the other matches.
    from catalogue.search import NAME_KEYS_BYTES

    now = timezone.now()
    long_named = ProductFactory(
        published=True, name_en="Pacific gifts", name_zh_hans=LONG_NAME, published_at=now - datetime.timedelta(days=1)
    )
    gift_box = ProductFactory(
        published=True, name_en="Gift box", name_zh_hans="礼盒装", published_at=now - datetime.timedelta(days=5)
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_column_size(search_name_keys) FROM catalogue_product WHERE id = %s", [long_named.pk])
        (size,) = cursor.fetchone()

    assert size <= NAME_KEYS_BYTES
    assert "lihezhuang" in keys(LONG_NAME, pinyin=True)
    assert "lihezhuang" not in long_named.search_name.split(" ")  # past the cap
    assert found(api, LONG_NAME[:6]) == [long_named.pk]
    assert found(api, "lihezhuang") == [gift_box.pk, long_named.pk]  # the name match first, though older


def test_the_migration_caps_names_saved_before_it(postgres):
    import importlib

    from django.apps import apps

    from catalogue.models import Product
    from catalogue.search import capped_name_keys

    migration = importlib.import_module("catalogue.migrations.0010_product_newest_name_keys_index")
    short = ProductFactory(name_en="Noni juice")
    long_named = ProductFactory(name_en="Coconut oil")
    uncapped = " ".join(dict.fromkeys(keys(LONG_NAME, pinyin=True)))
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks: the index can be made in this transaction
        cursor.execute(f"DROP INDEX {migration.INDEX}")  # as before the migration
    Product.objects.filter(pk=long_named.pk).update(search_name=uncapped)
    before = Product.objects.get(pk=short.pk).search_name

    migration.cap_name_keys(apps, None)
    migration.create_index(apps, connection.schema_editor())

    assert Product.objects.get(pk=long_named.pk).search_name == " ".join(capped_name_keys(uncapped.split(" ")))
    assert Product.objects.get(pk=short.pk).search_name == before


@pytest.mark.parametrize(("page_size", "page"), [(1, 3), (18, 1)])  # the others walked; through the index
def test_the_other_matches_test_their_own_name_keys(postgres, api, settings, page_size, page):
    # Past the name matches, a match is another match when its own name keys do not match:
    # tested on its row as it is read, not by finding every name match first (an anti-join).
    settings.API_CACHE_SECONDS = 0
    for k in range(2):
        ProductFactory(published=True, name_en=f"Noni {k}")
    for k in range(3):
        ProductFactory(published=True, name_en=f"Tonic {k}", summary_en="With noni.")
    ProductFactory(published=True, name_en="Kava")
    page_sql(api, "noni", page_size=page_size, page=page)  # the counts are cached; the next request reads only its page

    sql = page_sql(api, "noni", page_size=page_size, page=page)

    (others,) = [query for query in sql.split("\n") if "search_text_keys" in query]
    assert re.search(r'NOT ts_match_vq\([^,]*"search_name_keys"', others), others
    assert others.count("SELECT") == 3, others  # the cards, their thumbnail, the page's ids: no anti-join
