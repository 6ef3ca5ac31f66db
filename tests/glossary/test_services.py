"""Glossary changes go through the services: checked, audited, staff only."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from glossary.models import Term
from glossary.services import term_create, term_update
from pti_bridge.audit import audit_trail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_create_records_who_created_it(staff):
    term = term_create(actor=staff, term_en="noni", term_zh_hans="诺丽", synonyms_zh_hans="海巴戟，海巴戟")
    assert term.pk and term.pinyin == "nuoli" and term.synonyms_zh_hans == "海巴戟"
    assert [(entry.action, entry.actor) for entry in audit_trail(term)] == [("create", staff)]


def test_update_records_the_changed_fields_and_nothing_when_nothing_changed(staff):
    term = term_create(actor=staff, term_en="kava", term_zh_hans="卡瓦")
    term_update(term=term, actor=staff, synonyms_zh_hans="卡法胡椒", hs_heading="1211")
    term_update(term=term, actor=staff, hs_heading="1211")
    term.refresh_from_db()
    assert (term.synonyms_zh_hans, term.hs_heading) == ("卡法胡椒", "1211")
    trail = [(entry.action, entry.note) for entry in audit_trail(term)]
    assert trail[0] == ("update", "synonyms_zh_hans, hs_heading")
    assert len(trail) == 2


def test_bad_terms_are_refused_and_nothing_is_saved(staff):
    with pytest.raises(ValidationError):
        term_create(actor=staff, term_en="", term_zh_hans="")
    term = term_create(actor=staff, term_en="kava", term_zh_hans="卡瓦")
    with pytest.raises(ValidationError):
        term_create(actor=staff, term_en="Kava", term_zh_hans="卡瓦")
    with pytest.raises(ValidationError):
        term_update(term=term, actor=staff, hs_heading="abcd")
    assert Term.objects.count() == 1
    assert Term.objects.get().hs_heading == ""


def test_only_staff_change_the_glossary():
    with pytest.raises(PermissionDenied):
        term_create(actor=UserFactory(), term_en="kava")
    assert not Term.objects.exists()
