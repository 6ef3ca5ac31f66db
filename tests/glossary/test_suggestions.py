"""Suggestions of kind `term`: glossary terms whose English, Chinese or pinyin the buyer is
typing, ranked by the visible products whose name holds the term or a synonym. The database
narrows products differently on SQLite and PostgreSQL; run on both (DATABASE_URL set and unset)."""

import pytest
from rest_framework.test import APIClient

from glossary.models import Term
from glossary.services import term_update
from tests.catalogue.test_apis_suggestions import suggest
from tests.factories import CategoryFactory, ExporterFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def catalogue(tonga):
    drinks = CategoryFactory(slug="drinks", name_en="Drinks", name_zh_hans="饮料")
    growers = ExporterFactory(name="Tonga Root Growers", name_zh_hans="汤加根茎种植者", verified=True, country=tonga)
    pending = ExporterFactory(name="Vava'u Traders", name_zh_hans="瓦瓦乌贸易", country=tonga)
    for name_en, name_zh in [
        ("Kava root powder", "卡瓦根粉"),
        ("Piper methysticum extract", "卡法胡椒提取物"),  # a synonym leads here
        ("Noble kava chips", "优质卡瓦片"),
        ("Morinda juice", "海巴戟果汁"),  # noni's synonym only
    ]:
        ProductFactory(published=True, name_en=name_en, name_zh_hans=name_zh, category=drinks, exporter=growers)
    ProductFactory(name_en="Kava draft", name_zh_hans="卡瓦草稿", category=drinks, exporter=growers)  # a draft
    ProductFactory(published=True, name_en="Kava paste", name_zh_hans="卡瓦酱", category=drinks, exporter=pending)
    Term.objects.create(term_en="kava", term_zh_hans="卡瓦", pinyin="kawa", synonyms_zh_hans="卡法胡椒")
    Term.objects.create(term_en="noni", term_zh_hans="诺丽", pinyin="nuoli", synonyms_zh_hans="海巴戟")
    Term.objects.create(term_en="taro", term_zh_hans="芋头", pinyin="yutou")  # no product: never suggested
    Term.objects.create(term_en="kava kava", term_zh_hans="卡瓦卡瓦", is_active=False)  # inactive


@pytest.mark.parametrize("q", ["卡瓦", "卡", "kawa", "ka", "kw"])
def test_a_term_is_suggested_in_chinese_from_chinese_or_pinyin(api, catalogue, q):
    assert suggest(api, q)[0] == ("卡瓦", "term")  # 3 visible products, more than any single name


def test_english_prefix_gives_the_english_term_first(api, catalogue):
    assert suggest(api, "kav", language="en") == [
        ("kava", "term"),
        ("Kava root powder", "product"),
        ("Noble kava chips", "product"),
    ]


def test_a_term_leads_to_products_through_its_synonyms(api, catalogue):
    assert ("诺丽", "term") in suggest(api, "nuo")
    assert suggest(api, "noni", language="en") == [("noni", "term")]


def test_terms_without_visible_products_and_inactive_terms_are_not_suggested(api, catalogue):
    assert suggest(api, "yutou") == []
    assert suggest(api, "taro", language="en") == []
    assert ("卡瓦卡瓦", "term") not in suggest(api, "卡瓦")


def test_a_term_kept_in_chinese_only_reads_in_chinese_in_english_too(api, catalogue):
    Term.objects.create(term_zh_hans="卡瓦片")
    assert ("卡瓦片", "term") in suggest(api, "kawap", language="en")


def test_a_changed_term_shows_in_cached_suggestions_at_once(api, catalogue, staff, django_capture_on_commit_callbacks):
    assert suggest(api, "nuo") == [("诺丽", "term")]
    assert suggest(api, "nuo") == [("诺丽", "term")]  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        term_update(term=Term.objects.get(term_en="noni"), actor=staff, term_zh_hans="诺尼", pinyin="")
    assert suggest(api, "nuo") == [("诺尼", "term")]
    with django_capture_on_commit_callbacks(execute=True):
        Term.objects.get(term_en="noni").delete()
    assert suggest(api, "nuo") == []
