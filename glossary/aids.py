"""Translation aids for staff, for a text being translated in either direction (English to
Chinese for listings and what buyers read, Chinese to English for what exporters read):

- the glossary terms the text names, with their agreed translation (selectors.terms_in);
- translation memory: earlier translations of the same or a nearly same text or sentence
  (difflib's ratio), from the pairs the apps above register (register_memory);
- a machine suggestion, when one is configured (glossary.machine).

The glossary sits below the apps whose texts it remembers, so they hand it their pairs:
catalogue registers its products' texts in CatalogueConfig.ready; the inquiries app registers
its translated messages the same way (register_memory). Pages show the aids with
glossary/templates/glossary/_translation_aids.html.
"""

import difflib
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from glossary import machine
from glossary.selectors import terms_in
from pti_bridge.text import is_chinese, runs

CHINESE, ENGLISH = "zh-hans", "en"
NEAR = 0.75  # the least similarity (difflib ratio) a remembered text needs to be offered
MEMORY_SHOWN = 3

# () -> (English, Chinese) pairs staff wrote; higher apps register theirs (AppConfig.ready).
_sources: list[Callable[[], Iterable[tuple[str, str]]]] = []


def register_memory(source: Callable[[], Iterable[tuple[str, str]]]) -> None:
    """Add a source of translation pairs to the memory (registering twice keeps one). The
    inquiries app, in InquiriesConfig.ready, with its staff's translations of messages:

        def message_pairs():
            rows = Message.objects.exclude(translation="").values_list("text", "language", "translation")
            for text, language, translation in rows[:2000]:
                yield (text, translation) if language == "en" else (translation, text)

        aids.register_memory(message_pairs)
    """
    if source not in _sources:
        _sources.append(source)


@dataclass(frozen=True)
class TermAid:
    found: str  # the term as the glossary spells it in the text's language
    translation: str  # its agreed translation


@dataclass(frozen=True)
class MemoryAid:
    source: str  # the earlier text (or sentence), in the text's language
    translation: str  # how staff translated it
    similarity: int  # percent; 100: the same text
    earlier: bool = False  # this very text's earlier translation (its source changed since)


@dataclass
class Aids:
    terms: list[TermAid] = field(default_factory=list)
    memory: list[MemoryAid] = field(default_factory=list)
    suggestion: str = ""  # the machine's, to be checked

    def __bool__(self):
        return bool(self.terms or self.memory or self.suggestion)


_SENTENCE_END = re.compile(r"(?<=[.!?。！？；;])\s*|\n+")


def sentences(text: str) -> list[str]:
    return [piece.strip() for piece in _SENTENCE_END.split(text or "") if piece.strip()]


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def _tokens(text: str) -> tuple[str, ...]:
    """What texts are compared by: their words and numbers, and each Chinese character, folded
    (case, width and punctuation do not count)."""
    tokens = []
    for run in runs(text):
        tokens.extend(run if is_chinese(run) else [run])
    return tuple(tokens)


@dataclass(frozen=True)
class _Unit:
    source: str
    translation: str
    tokens: tuple[str, ...]
    counts: Counter


def _similarity(wanted: tuple[str, ...], counts: Counter, unit: _Unit) -> float:
    """difflib's ratio over the tokens, after two cheaper bounds of it rule out most units."""
    total = len(wanted) + len(unit.tokens)
    if not total or 2 * min(len(wanted), len(unit.tokens)) < NEAR * total:
        return 0.0
    if 2 * sum((counts & unit.counts).values()) < NEAR * total:
        return 0.0
    return difflib.SequenceMatcher(None, wanted, unit.tokens, autojunk=False).ratio()


def _units(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """{source: translation} of whole texts, and of their sentences where both sides have as many."""
    units = {}
    for english, chinese in pairs:
        english, chinese = (english or "").strip(), (chinese or "").strip()
        if not english or not chinese:
            continue
        units.setdefault(english, chinese)
        english_sentences, chinese_sentences = sentences(english), sentences(chinese)
        if len(english_sentences) > 1 and len(english_sentences) == len(chinese_sentences):
            for pair in zip(english_sentences, chinese_sentences, strict=True):
                units.setdefault(*pair)
    return units


class Translator:
    """Aids for the texts of one page: the memory is read once, then each box is looked up."""

    def __init__(self, target: str = CHINESE):
        if target not in (CHINESE, ENGLISH):
            raise ValueError(f"target must be {CHINESE!r} or {ENGLISH!r}")
        self.target = target
        self._memory: list[_Unit] | None = None
        self._machine_failed = False  # one failure or timeout: no more calls for this page

    @property
    def memory(self) -> list[_Unit]:
        """The remembered texts in this direction (source in the language of the texts)."""
        if self._memory is None:
            pairs = [pair for source in _sources for pair in source()]
            if self.target == ENGLISH:
                pairs = [(chinese, english) for english, chinese in pairs]
            units = [(source, translation, _tokens(source)) for source, translation in _units(pairs).items()]
            self._memory = [_Unit(*unit, Counter(unit[2])) for unit in units if unit[2]]
        return self._memory

    def terms(self, text: str) -> list[TermAid]:
        aids = []
        for entry in terms_in(text):
            found, translation = (
                (entry.term_en, entry.term_zh_hans) if self.target == CHINESE else (entry.term_zh_hans, entry.term_en)
            )
            if found and translation and TermAid(found, translation) not in aids:
                aids.append(TermAid(found, translation))
        return aids

    def remembered(self, text: str, *, earlier: tuple[str, str] | None = None) -> list[MemoryAid]:
        """Earlier translations of the text or of its sentences, most similar first. `earlier`:
        (the text's former source, its translation then), offered when still near."""
        pieces = [text, *(piece for piece in sentences(text) if piece != text.strip())]
        found: dict[str, MemoryAid] = {}
        for piece in pieces:
            wanted = _tokens(piece)
            counts = Counter(wanted)
            for unit in self.memory:
                ratio = _similarity(wanted, counts, unit)
                if ratio >= NEAR and round(ratio * 100) > getattr(found.get(unit.source), "similarity", -1):
                    found[unit.source] = MemoryAid(unit.source, unit.translation, round(ratio * 100))
        if earlier and earlier[0].strip() and earlier[1].strip():
            ratio = difflib.SequenceMatcher(None, _tokens(earlier[0]), _tokens(text), autojunk=False).ratio()
            if ratio >= NEAR / 2:  # a product's own earlier translation is worth a look even when changed more
                found[earlier[0]] = MemoryAid(earlier[0], earlier[1], round(ratio * 100), earlier=True)
        ranked = sorted(found.values(), key=lambda aid: (-aid.similarity, not aid.earlier, aid.source))
        return ranked[:MEMORY_SHOWN]

    def aids(
        self, text: str, *, current: str = "", earlier: tuple[str, str] | None = None, suggest: bool = True
    ) -> Aids:
        """Everything that helps translate `text` into the target language (empty for no text).
        `current`: the translation in the box now; memory offering just that is left out."""
        if not (text or "").strip():
            return Aids()
        suggestion = ""
        if suggest and not self._machine_failed:
            suggestion = machine.suggest(text, target=self.target)
            self._machine_failed = not suggestion
        memory = [
            aid
            for aid in self.remembered(text, earlier=earlier)
            if aid.earlier or _key(aid.translation) != _key(current)
        ]
        return Aids(terms=self.terms(text), memory=memory, suggestion=suggestion)


def aids_for(text: str, *, target: str = CHINESE, earlier: tuple[str, str] | None = None) -> Aids:
    """The aids for one text (a page with several boxes shares one Translator)."""
    return Translator(target).aids(text, earlier=earlier)


def translator_for(request, target: str = CHINESE) -> Translator:
    """The request's Translator for `target`: every box of a page reads the memory once."""
    translators = request.__dict__.setdefault("_translators", {}) if request is not None else {}
    if target not in translators:
        translators[target] = Translator(target)
    return translators[target]
