"""The glossary of trade terms: what staff agreed a product is called in English and in
Chinese, with its synonyms. Search reads it for synonyms (kava finds 卡瓦 and 卡法胡椒) and
suggestions (kind `term`); translators read it for the agreed words (`selectors`)."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from pti_bridge.api.caching import bump_version
from pti_bridge.text import pinyin

# Synonyms are typed in one box, separated by commas (either width), 、, semicolons or lines.
SEPARATORS_RE = re.compile(r"[,，、;；\n\r]+")
SEPARATOR_EN = ", "
SEPARATOR_ZH = "、"


def split_synonyms(text: str) -> list[str]:
    """The values of a synonyms box, trimmed (inner spaces collapsed), in order, without
    repeats (compared case-insensitively, the first spelling kept)."""
    seen, out = set(), []
    for part in SEPARATORS_RE.split(text or ""):
        value = " ".join(part.split())
        if value and value.casefold() not in seen:
            seen.add(value.casefold())
            out.append(value)
    return out


def pinyin_of(chinese: str) -> str:
    """The pinyin of a Chinese term, syllables run together (卡瓦 -> "kawa"), as the
    catalogue's search computes it (`pti_bridge.text.pinyin`)."""
    return "".join(pinyin(chinese))


def glossary_changed() -> None:
    """Suggestions (kind `term`) and search's synonyms are cached under the catalogue's
    version: a term added, changed or deleted makes them stale once the transaction commits."""
    bump_version("catalogue")


class Term(models.Model):
    term_en = models.CharField(_("term (English)"), max_length=100, blank=True)
    term_zh_hans = models.CharField(_("term (Chinese)"), max_length=100, blank=True)
    pinyin = models.CharField(
        _("pinyin"), max_length=200, blank=True, help_text=_("Filled in from the Chinese term when left empty.")
    )
    synonyms_en = models.TextField(
        _("synonyms (English)"), blank=True, help_text=_("Separated by commas, e.g. kava root, awa.")
    )
    synonyms_zh_hans = models.TextField(
        _("synonyms (Chinese)"), blank=True, help_text=_("Separated by 、 or commas, e.g. 卡法胡椒、卡瓦胡椒.")
    )
    hs_heading = models.CharField(
        _("HS heading"),
        max_length=4,
        blank=True,
        validators=[RegexValidator(r"^\d{4}$", _("Four digits, e.g. 0905."))],
    )
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive terms are kept but not used by search or translation.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")
        ordering = ["term_en", "term_zh_hans"]
        constraints = [
            models.UniqueConstraint(
                Lower("term_en"),
                "term_zh_hans",
                name="glossary_term_unique_pair",
                violation_error_message=_("This English and Chinese pair is already in the glossary."),
            ),
            models.CheckConstraint(
                condition=~models.Q(term_en="", term_zh_hans=""),
                name="glossary_term_not_empty",
                violation_error_message=_("Give the term in English, in Chinese, or both."),
            ),
        ]

    def __str__(self):
        if self.term_en and self.term_zh_hans:
            return f"{self.term_en} / {self.term_zh_hans}"
        return self.term_en or self.term_zh_hans

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        glossary_changed()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        glossary_changed()
        return result

    def clean(self):
        self.term_en = " ".join((self.term_en or "").split())
        self.term_zh_hans = " ".join((self.term_zh_hans or "").split())
        self.pinyin = " ".join((self.pinyin or "").split()).lower()
        if not self.term_en and not self.term_zh_hans:
            raise ValidationError(_("Give the term in English, in Chinese, or both."))
        if not self.pinyin and self.term_zh_hans:
            self.pinyin = pinyin_of(self.term_zh_hans)[:200]
        # A synonym repeating the term itself adds nothing.
        english = [s for s in split_synonyms(self.synonyms_en) if s.casefold() != self.term_en.casefold()]
        chinese = [s for s in split_synonyms(self.synonyms_zh_hans) if s != self.term_zh_hans]
        self.synonyms_en = SEPARATOR_EN.join(english)
        self.synonyms_zh_hans = SEPARATOR_ZH.join(chinese)

    @property
    def synonym_list_en(self) -> list[str]:
        return split_synonyms(self.synonyms_en)

    @property
    def synonym_list_zh_hans(self) -> list[str]:
        return split_synonyms(self.synonyms_zh_hans)

    @property
    def forms_en(self) -> list[str]:
        """The English term and its synonyms."""
        return [form for form in [self.term_en, *self.synonym_list_en] if form]

    @property
    def forms_zh_hans(self) -> list[str]:
        """The Chinese term and its synonyms."""
        return [form for form in [self.term_zh_hans, *self.synonym_list_zh_hans] if form]
