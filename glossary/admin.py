"""Staff keep the glossary here; saves go through the services (checked, audited)."""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from glossary.models import Term
from glossary.services import FIELDS, term_create, term_update
from pti_bridge.admin import AuditTrailMixin


class HsHeadingFilter(admin.AllValuesFieldListFilter):
    """The HS headings in use; a term without one is not a choice (Django lists "" as a link without text)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lookup_choices = [value for value in self.lookup_choices if value]


@admin.register(Term)
class TermAdmin(AuditTrailMixin, admin.ModelAdmin):
    list_display = ("term_zh_hans", "term_en", "pinyin", "synonyms_zh_hans", "synonyms_en", "hs_heading", "is_active")
    list_display_links = ("term_zh_hans", "term_en")
    list_filter = ("is_active", ("hs_heading", HsHeadingFilter))
    search_fields = ("term_en", "term_zh_hans", "pinyin", "synonyms_en", "synonyms_zh_hans", "hs_heading")
    readonly_fields = ("created_at", "updated_at", "audit_trail_display")
    fieldsets = (
        (None, {"fields": ("term_zh_hans", "term_en", "pinyin")}),
        (_("Synonyms"), {"fields": ("synonyms_zh_hans", "synonyms_en")}),
        (None, {"fields": ("hs_heading", "notes", "is_active")}),
        (_("History"), {"fields": ("created_at", "updated_at", "audit_trail_display")}),
    )
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 60})}}

    def save_model(self, request, obj, form, change):
        fields = {name: getattr(obj, name) for name in FIELDS}
        saved = (
            term_update(term=obj, actor=request.user, **fields) if change else term_create(actor=request.user, **fields)
        )
        obj.pk, obj.created_at, obj.updated_at = saved.pk, saved.created_at, saved.updated_at

    def delete_queryset(self, request, queryset):
        # One by one, so each deletion makes the cached suggestions stale (Term.delete).
        for term in queryset:
            term.delete()
