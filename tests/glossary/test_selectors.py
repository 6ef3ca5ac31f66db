"""What search and translators read: the synonyms a search text names, the terms a text holds."""

import pytest

from glossary.models import Term
from glossary.seed import load_glossary
from glossary.selectors import synonyms, terms_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def glossary():
    load_glossary()


KAVA = {"kava", "卡瓦", "卡法胡椒", "卡瓦胡椒"}
NONI = {"noni", "诺丽", "海巴戟"}


@pytest.mark.parametrize("text", ["kava", "KAVA", "Kava powder", "ｋａｖａ", "卡瓦", "卡瓦根粉", "卡法胡椒", "kawa"])
def test_kava_names_its_chinese_and_its_synonyms(glossary, text):
    assert KAVA <= synonyms(text)
    assert not NONI & synonyms(text)


@pytest.mark.parametrize("text", ["noni", "Noni", "诺丽", "海巴戟", "海巴戟粉", "nuoli"])
def test_noni_names_诺丽_and_海巴戟(glossary, text):
    assert NONI <= synonyms(text)


def test_english_is_matched_by_whole_words_and_nothing_is_named_by_unknown_text(glossary):
    assert synonyms("kavalier") == set()  # "kava" is not a word of it
    assert synonyms("steel") == set()
    assert synonyms("") == set()
    assert synonyms("   ") == set()


def test_inactive_terms_are_not_used(glossary):
    Term.objects.filter(term_en="kava").update(is_active=False)
    assert synonyms("卡瓦") == set()


def test_terms_in_a_text_in_either_language(glossary):
    english = terms_in("Our virgin coconut oil and kava root powder, shipped from Suva.")
    assert [entry.term_zh_hans for entry in english] == ["卡瓦", "初榨椰子油"]
    chinese = terms_in("请报价：海巴戟果汁和金枪鱼，到上海港。")
    assert {entry.term_en for entry in chinese} == {"noni", "noni juice", "tuna"}
    assert terms_in("nothing to see here") == []


def test_a_change_shows_at_once(glossary, django_capture_on_commit_callbacks):
    assert "awa" in synonyms("kava")  # read once: now in the cache
    with django_capture_on_commit_callbacks(execute=True):
        Term.objects.create(term_en="sea grapes", term_zh_hans="海葡萄", synonyms_zh_hans="长寿藻")
    assert synonyms("长寿藻") == {"sea grapes", "海葡萄", "长寿藻"}
