"""The glossary's seed: the CSV in the repository, the issue's synonyms, idempotent."""

import pytest
from django.core.management import call_command

from glossary.models import Term
from glossary.seed import CSV_PATH

pytestmark = pytest.mark.django_db


def test_load_glossary_twice_creates_the_terms_once():
    call_command("load_glossary")
    count = Term.objects.count()
    rows = len(CSV_PATH.read_text(encoding="utf-8").strip().splitlines()) - 1
    assert count == rows + 1  # the CSV's rows and noni / 诺丽
    call_command("load_glossary")
    assert Term.objects.count() == count


def test_the_seed_keeps_staff_edits_and_adds_the_issues_synonyms():
    call_command("load_glossary")
    kava = Term.objects.get(term_en="kava")
    assert (kava.term_zh_hans, kava.pinyin, kava.hs_heading) == ("卡瓦", "kawa", "1211")
    assert {"卡法胡椒", "卡瓦胡椒"} <= set(kava.synonym_list_zh_hans)
    assert "海巴戟" in Term.objects.get(term_en="noni").synonym_list_zh_hans
    Term.objects.filter(pk=kava.pk).update(notes="edited by staff")
    call_command("load_glossary")
    assert Term.objects.get(pk=kava.pk).notes == "edited by staff"


def test_the_csv_lives_in_the_repository():
    root = CSV_PATH.parents[2]
    assert CSV_PATH.is_relative_to(root / "glossary")
    assert CSV_PATH.read_text(encoding="utf-8").startswith("term_en,term_zh_hans,pinyin,hs_heading,notes")
