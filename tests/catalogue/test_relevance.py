"""Relevance on the demo catalogue: what a buyer types, and the products that must come first.

Each case runs the query's plan (catalogue.listing.relevance) through `ranked`, a reference
ranker over the plan's tiers (the first tier a product meets, then newest first).
"""

import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings

from catalogue import listing
from catalogue.listing import relevance
from catalogue.listing.plan import tier_q, tsquery
from catalogue.listing.query import ListQuery
from catalogue.models import Product
from catalogue.suggestions import suggestions

VANILLA = {
    "PNG vanilla beans (Vanilla tahitensis), grade A",
    "Ground vanilla bean powder, 100 g",
    "Grade B extraction vanilla beans",
    "Grade A gourmet vanilla beans (Vanilla planifolia)",
}
TONGAN_VANILLA = VANILLA - {"PNG vanilla beans (Vanilla tahitensis), grade A"}
KAVA = {"Lawena kava powder, 1 kg pack", "Waka kava root powder, noble variety"}
GREEN_COFFEE = {
    "PNG Arabica peaberry green coffee (PSC)",
    "Organic Fairtrade PNG Arabica, grade X",
    "PNG Arabica green coffee, grade A",
    "Tanna Arabica green coffee beans",
}
COFFEE = GREEN_COFFEE | {"Tanna medium roast whole beans, 1 kg"}
PNG_COFFEE = GREEN_COFFEE - {"Tanna Arabica green coffee beans"}
TANNA = {"Tanna Arabica green coffee beans", "Tanna medium roast whole beans, 1 kg"}
TUNA = {"Tuna chunks in brine, 185 g can", "Frozen yellowfin tuna loins, sashimi grade"}
NONI = {"Fermented Samoan noni juice, 1 litre", "Freeze-dried noni fruit powder, 500 g"}
SANDALWOOD = {"Vanuatu sandalwood oil, 10 ml", "Sandalwood heartwood chips, 1 kg"}
RAROTONGA = {"Raw Rarotonga honey, 500 g jar", "Cut comb honey, 250 g"}
CHOCOLATE = {"Samoan 70% dark chocolate, 80 g bar"}
TURMERIC = {"Organic turmeric powder"}
VIRGIN_OIL = {"Cold-pressed virgin coconut oil, 500 ml glass jar"}
TONGA = {
    "Pandanus woven basket set of three",
    "Pandanus woven floor mat, 2 x 2 m",
    "Hand-painted tapa cloth (ngatu), 2 x 1.5 m",
    "Frozen taro leaves (lu), 500 g",
    "Frozen peeled taro, 1 kg bag",
    *TONGAN_VANILLA,
}
SEPIK = {"PNG vanilla beans (Vanilla tahitensis), grade A", "Organic turmeric powder", "Dried ginger slices"}

# (query, the products that must come first (in any order), the did_you_mean expected)
CASES = [
    # Phrases, in Chinese and English.
    ("香草荚", VANILLA, ""),
    ("金枪鱼", TUNA | {"Frozen whole skipjack tuna"}, ""),
    ("矿泉水", {"Artesian mineral water, 1.5 litre", "Artesian mineral water, 500 ml"}, ""),
    ("檀香", SANDALWOOD, ""),
    ("诺丽果汁", {"Fermented Samoan noni juice, 1 litre"}, ""),
    ("vanilla beans", VANILLA, ""),
    ("tuna", TUNA | {"Frozen whole skipjack tuna"}, ""),
    ("coconut water", {"Pure coconut water, 330 ml"}, ""),
    ("sea cucumber", {"Dried sandfish sea cucumber (Holothuria scabra)"}, ""),
    ("green coffee", GREEN_COFFEE - {"Organic Fairtrade PNG Arabica, grade X"}, ""),
    # Partial phrases: the characters apart, or most of the pieces.
    ("卡瓦粉", KAVA, ""),
    ("咖啡豆", {"Tanna medium roast whole beans, 1 kg"}, ""),
    ("咖啡豆", COFFEE, ""),
    ("香草粉", {"Ground vanilla bean powder, 100 g"}, ""),
    ("冷榨椰油", VIRGIN_OIL, ""),
    ("诺丽粉", {"Freeze-dried noni fruit powder, 500 g"}, ""),
    ("阿拉比卡生豆", GREEN_COFFEE, ""),
    # Typos in English and pinyin.
    ("vanila", VANILLA, "vanilla"),
    ("cofee", COFFEE, "coffee"),
    ("choclate", CHOCOLATE, "chocolate"),
    ("tumeric", TURMERIC, "turmeric"),
    ("sandalwod", SANDALWOOD, "sandalwood"),
    ("vanilla bens", VANILLA - {"Ground vanilla bean powder, 100 g"}, "vanilla beans"),
    ("kafie", COFFEE, "kafei"),
    ("xiangcoa", VANILLA, "xiangcaojia"),
    ("tahitian vanila", {"PNG vanilla beans (Vanilla tahitensis), grade A"}, "tahitensis vanilla"),
    ("chocolat", CHOCOLATE, ""),
    # Pinyin and initials.
    ("xiangcaojia", VANILLA, ""),
    ("xcj", VANILLA, ""),
    ("kafei", COFFEE, ""),
    ("jqy", TUNA, ""),
    ("fengmi", RAROTONGA, ""),
    # Places and companies, as whole words.
    ("汤加", TONGA, ""),
    ("Tonga", TONGA, ""),
    ("tangjia", TONGA, ""),
    ("Fiji kava", KAVA, ""),
    ("汤加香草荚", TONGAN_VANILLA, ""),
    ("PNG coffee", PNG_COFFEE, ""),
    ("巴新咖啡", PNG_COFFEE, ""),
    ("拉罗汤加", {"Raw Rarotonga honey, 500 g jar"}, ""),
    ("Rarotonga", RAROTONGA, ""),
    ("Tanna Highlands Coffee", TANNA, ""),
    ("塔纳高地咖啡", TANNA, ""),
    ("Sepik Spice", SEPIK, ""),
    # Synonyms from the glossary.
    ("卡法胡椒", KAVA, ""),
    ("海巴戟", NONI, ""),
    ("morinda citrifolia", NONI, ""),
    ("kawa", KAVA, ""),
    ("香草", VANILLA, ""),
]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo catalogue, loaded once for the module and rolled back after it."""
    media = tmp_path_factory.mktemp("demo-media")
    storages = {
        name: {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": media / name}}
        for name in ("default", "private")
    }
    with django_db_blocker.unblock(), override_settings(STORAGES=storages, MEDIA_ROOT=media / "default"):
        with transaction.atomic():
            call_command("load_demo_data", stdout=io.StringIO())
            yield
            transaction.set_rollback(True)
        if connection.vendor == "postgresql":
            # The tables as a new test database has them (emptied, never analysed): other tests
            # check the query plans PostgreSQL makes for those statistics.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM")
                public = "SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace"
                cursor.execute(f"UPDATE pg_class SET reltuples = -1 WHERE oid IN ({public})")
                cursor.execute(f"DELETE FROM pg_statistic WHERE starelid IN ({public})")


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def ranked(plan) -> list[Product]:
    """The plan's products as the listing engine ranks them (its own path on this database, and
    the reference path, which must agree): by the first tier met, newest first."""
    query = ListQuery(search="relevance suite", page_size=1000)  # the plan is given: the text only marks a search
    ids = [row["id"] for row in listing.product_page(query, plan=plan).rows]
    assert ids == [row["id"] for row in listing.product_page(query, plan=plan, use_reference=True).rows]
    products = Product.objects.in_bulk(ids)
    return [products[pk] for pk in ids]


def first(query: str, count: int) -> set[str]:
    return {product.name_en for product in ranked(relevance.plan(query))[:count]}


@pytest.mark.parametrize(("query", "expected", "did_you_mean"), CASES, ids=[case[0] for case in CASES])
def test_what_buyers_type_comes_first(query, expected, did_you_mean):
    plan = relevance.plan(query)
    assert first(query, len(expected)) == expected
    assert plan.did_you_mean == did_you_mean
    assert len(plan.tiers) <= 6


def test_a_country_named_in_chinese_ranks_its_products_before_a_place_that_contains_it():
    found = ranked(relevance.plan("汤加"))
    countries = [product.origin_country_id for product in found]
    tongan = Product.objects.published().filter(origin_country="TO").count()
    assert tongan == 8 and countries[:tongan] == ["TO"] * tongan
    # Rarotonga (拉罗汤加) honey is found, after Tonga's own products.
    assert "Raw Rarotonga honey, 500 g jar" in {product.name_en for product in found[tongan:]}


def test_a_country_named_in_english_is_a_whole_word_not_part_of_rarotonga():
    found = ranked(relevance.plan("Tonga"))
    assert {product.origin_country_id for product in found} == {"TO"}
    assert len(found) == Product.objects.published().filter(origin_country="TO").count() == 8


def test_near_matches_follow_the_phrase_as_typed():
    found = [product.name_en for product in ranked(relevance.plan("咖啡豆"))]
    assert found[0] == "Tanna medium roast whole beans, 1 kg"  # 咖啡豆 itself
    assert set(found[1:5]) == GREEN_COFFEE  # 咖啡生豆: every character, and 咖啡


def test_a_common_phrase_gets_no_near_matches():
    plan = relevance.plan("香草荚")
    assert [tier.field for tier in plan.tiers] == ["name", "text"]


def test_nothing_searchable_has_no_tiers():
    assert relevance.plan("  ，。!! ").tiers == ()


def test_a_typo_with_no_near_spelling_finds_nothing_and_offers_nothing():
    plan = relevance.plan("xqzvk")
    assert ranked(plan) == []
    assert plan.did_you_mean == ""


def test_the_plan_is_cached_under_the_catalogue_version(django_assert_max_num_queries):
    relevance.plan("vanila")
    with django_assert_max_num_queries(0):
        assert relevance.plan("vanila").did_you_mean == "vanilla"


def test_a_synonym_typed_suggests_its_glossary_term():
    assert suggestions("海巴", language="zh-hans")[0] == {"text": "诺丽", "kind": "term"}
    assert suggestions("awa", language="en") == [{"text": "kava", "kind": "term"}]


def test_a_country_is_suggested_before_the_places_that_contain_its_name():
    found = [item["text"] for item in suggestions("汤加", language="zh-hans")]
    assert found[0] == "汤加"
    assert "拉罗汤加生蜂蜜 500克" in found


def test_a_long_phrase_keeps_its_plan_small():
    # 12 characters: 11 pieces, any 6 of them would be 462 groups; 6 runs of 6 instead.
    plan = relevance.plan("巴新阿拉比卡咖啡生豆圆豆")
    assert len(tsquery(plan.tiers[-1].match)) < 600
    assert {product.name_en for product in ranked(plan)[:1]} == {"PNG Arabica peaberry green coffee (PSC)"}


@pytest.mark.usefixtures("postgres")
def test_every_tier_finds_the_same_products_through_the_search_index_as_the_reference():
    published = Product.objects.published()
    tiers = {tier for query, _expected, _did_you_mean in CASES for tier in relevance.plan(query).tiers}
    assert len(tiers) > 100
    for tier in tiers:
        by_index = set(published.filter(relevance.keys_filter(tier)).values_list("pk", flat=True))
        by_reference = set(published.filter(tier_q(tier)).values_list("pk", flat=True))
        assert by_index == by_reference, tier
