"""Text rules shared by the catalogue's search and the glossary: folding, runs of Latin or
Chinese characters, pinyin; and which of a record's two names the active language reads."""

import re
import unicodedata

from django.utils.translation import get_language
from pypinyin import lazy_pinyin

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
RUN_RE = re.compile(rf"[{CJK}]+|[a-z0-9]+")
CJK_RE = re.compile(rf"[{CJK}]")


def normalise(text: str) -> str:
    """Lower case, full-width folded (ＡＢＣ -> abc), accents removed (café -> cafe)."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text or "").casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def runs(text: str) -> list[str]:
    """The text's runs of Chinese characters and of Latin letters and digits, normalised."""
    return RUN_RE.findall(normalise(text))


def is_chinese(run: str) -> bool:
    return bool(CJK_RE.match(run))


def pinyin(text: str) -> list[str]:
    """The pinyin syllables of a text (香草荚 -> ["xiang", "cao", "jia"])."""
    return [syllable for syllable in lazy_pinyin(normalise(text)) if syllable.strip()]


def localized(english: str, chinese: str) -> str:
    """The Chinese name while Chinese is active (staff's admin, buyers) and one exists; else the English."""
    return chinese if chinese and (get_language() or "").startswith("zh") else english
