"""The glossary term's rules: one of the two terms, synonyms trimmed and deduplicated,
pinyin filled from the Chinese, one English and Chinese pair."""

import pytest
from django.core.exceptions import ValidationError

from glossary.models import Term, split_synonyms

pytestmark = pytest.mark.django_db


def test_a_term_needs_english_or_chinese():
    with pytest.raises(ValidationError) as raised:
        Term(term_en="  ", term_zh_hans="").full_clean()
    assert "Give the term in English, in Chinese, or both." in str(raised.value)
    Term(term_zh_hans="卡瓦").full_clean()
    Term(term_en="kava").full_clean()


def test_synonyms_are_trimmed_deduplicated_and_joined_one_way():
    term = Term(
        term_en="kava",
        term_zh_hans="卡瓦",
        synonyms_en=" kava root ,awa, Kava  Root;\n kava , ",
        synonyms_zh_hans="卡法胡椒 、卡瓦胡椒，卡法胡椒,卡瓦、",
    )
    term.full_clean()
    assert term.synonyms_en == "kava root, awa"  # the term itself and a repeat in another case go
    assert term.synonyms_zh_hans == "卡法胡椒、卡瓦胡椒"
    assert term.synonym_list_zh_hans == ["卡法胡椒", "卡瓦胡椒"]
    assert term.forms_en == ["kava", "kava root", "awa"]


def test_split_synonyms_reads_every_separator():
    assert split_synonyms("a，b、c;d；e\nf, a") == ["a", "b", "c", "d", "e", "f"]
    assert split_synonyms("") == []


def test_pinyin_is_filled_from_the_chinese_when_left_empty():
    term = Term(term_en="noni", term_zh_hans="诺丽")
    term.full_clean()
    assert term.pinyin == "nuoli"
    kept = Term(term_zh_hans="初榨椰子油", pinyin="Chuzha  Yeziyou")
    kept.full_clean()
    assert kept.pinyin == "chuzha yeziyou"
    english_only = Term(term_en="handicrafts")
    english_only.full_clean()
    assert english_only.pinyin == ""


def test_one_english_and_chinese_pair_whatever_the_case():
    Term.objects.create(term_en="kava", term_zh_hans="卡瓦")
    with pytest.raises(ValidationError) as raised:
        Term(term_en="KAVA", term_zh_hans="卡瓦").full_clean()
    assert "already in the glossary" in str(raised.value)
    Term(term_en="kava", term_zh_hans="卡法胡椒").full_clean()  # another pair is fine


def test_hs_heading_is_four_digits():
    with pytest.raises(ValidationError) as raised:
        Term(term_en="kava", hs_heading="12a").full_clean()
    assert "hs_heading" in raised.value.message_dict
    Term(term_en="kava", hs_heading="1211").full_clean()
