"""Reads of the glossary for search (synonyms) and translation (the terms a text holds).

A term or synonym is named by a text when, compared case-insensitively and with full-width
letters folded (`normalise`): a Chinese form appears in the text; an English (or
pinyin) form appears as whole words (kava in "kava powder", not "tea" in "steak"). Only
active terms count. The entries are kept in the cache under the catalogue's version, which
every change to a term bumps (`models.glossary_changed`).
"""

import re
from dataclasses import dataclass

from glossary.models import Term
from pti_bridge.api.caching import cached_under_version
from pti_bridge.text import CJK_RE, is_chinese, normalise, runs

# The suffix changes with the value's shape, so a deploy never reads what older code cached.
ENTRIES_MEMO = "glossary-entries:1"


@dataclass(frozen=True)
class Entry:
    """One active term, as search and translators read it."""

    id: int
    term_en: str
    term_zh_hans: str
    pinyin: str
    forms_en: tuple[str, ...]  # the English term and its synonyms
    forms_zh_hans: tuple[str, ...]  # the Chinese term and its synonyms

    @property
    def forms(self) -> tuple[str, ...]:
        return self.forms_en + self.forms_zh_hans


def _load() -> list[Entry]:
    return [
        Entry(
            id=term.pk,
            term_en=term.term_en,
            term_zh_hans=term.term_zh_hans,
            pinyin=term.pinyin,
            forms_en=tuple(term.forms_en),
            forms_zh_hans=tuple(term.forms_zh_hans),
        )
        for term in Term.objects.filter(is_active=True).order_by("pk")
    ]


def entries() -> list[Entry]:
    """Every active term (cached until the glossary or the catalogue changes)."""
    return cached_under_version("catalogue", ENTRIES_MEMO, _load)


def _latin(text: str) -> str:
    """The text's Latin words, one space apart, with a space at each end (for whole-word tests)."""
    return " " + " ".join(run for run in runs(text) if not is_chinese(run)) + " "


def _names(form: str, *, latin: str, chinese: str) -> bool:
    folded = normalise(form)
    if CJK_RE.search(folded):
        pieces = [run for run in runs(form) if is_chinese(run)]
        return bool(pieces) and all(piece in chinese for piece in pieces)
    words = _latin(form)
    return words.strip() != "" and words in latin


def _named_by(entry: Entry, *, latin: str, chinese: str, joined: set[str]) -> bool:
    if any(_names(form, latin=latin, chinese=chinese) for form in entry.forms):
        return True
    # Pinyin, with or without spaces between syllables: "kawa", "chuzha yeziyou".
    if entry.pinyin:
        if _names(entry.pinyin, latin=latin, chinese=chinese):
            return True
        return re.sub(r"[^a-z0-9]", "", normalise(entry.pinyin)) in joined
    return False


def terms_in(text: str) -> list[Entry]:
    """The active entries whose English or Chinese term, a synonym, or the pinyin appears in
    `text` (see the module docstring), in the glossary's order."""
    if not text or not text.strip():
        return []
    latin = _latin(text)
    chinese = " ".join(run for run in runs(text) if is_chinese(run))
    words = latin.split()
    # The text's runs of consecutive words glued together, for pinyin typed as one word or spaced.
    joined = {"".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, min(len(words), i + 6) + 1)}
    return [entry for entry in entries() if _named_by(entry, latin=latin, chinese=chinese, joined=joined)]


def synonyms(text: str) -> set[str]:
    """Every term and synonym, English and Chinese, of the entries `text` names (kava ->
    {"kava", "卡瓦", "卡法胡椒", ...}); empty when it names none."""
    return {form for entry in terms_in(text) for form in entry.forms}
