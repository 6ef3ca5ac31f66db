"""Back office for countries and exporting companies: verification and documents."""

from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.db.models import Count
from django.http import Http404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from exporters.documents import clean_document_upload, document_response, get_document_for_user
from exporters.models import Country, Exporter, ExporterDocument, ExporterMember
from exporters.services import exporter_renamed, exporter_suspend, exporter_verify
from pti_bridge.admin import AuditTrailMixin, CleanImagesMixin, ask_reason, run_per_object


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "name_zh_hans", "is_active")
    list_editable = ("name_en", "name_zh_hans", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "name_en", "name_zh_hans")

    def get_readonly_fields(self, request, obj=None):
        # The ISO code is the key exporters and products point at.
        return ("code",) if obj is not None else ()


class ExporterMemberInline(admin.TabularInline):
    model = ExporterMember
    fields = ("user", "role", "job_title", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("user",)
    extra = 0


class ExporterDocumentForm(forms.ModelForm):
    class Meta:
        model = ExporterDocument
        fields = ("kind", "title", "file", "expires_on")
        # A plain file input: the clearable one would print the file's storage URL,
        # and documents are private (downloaded through the staff-only view below).
        widgets = {"file": forms.FileInput}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if isinstance(upload, UploadedFile):  # a new file, not the one already stored
            return clean_document_upload(upload)  # checked bytes, named by their detected type
        return upload


class ExporterDocumentInline(admin.TabularInline):
    model = ExporterDocument
    form = ExporterDocumentForm
    fields = ("kind", "title", "download", "file", "expires_on", "uploaded_by", "uploaded_at")
    readonly_fields = ("download", "uploaded_by", "uploaded_at")
    extra = 0

    @admin.display(description=_("document"))
    def download(self, obj):
        if obj is None or not obj.pk or not obj.file:
            return "-"
        url = reverse("admin:exporters_exporter_document", args=[obj.exporter_id, obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download"))


@admin.register(Exporter)
class ExporterAdmin(CleanImagesMixin, AuditTrailMixin, admin.ModelAdmin):
    clean_images = {"logo": "logo"}
    list_display = ("name", "name_zh_hans", "country", "sector", "verification_status", "verified_at", "product_count")
    list_filter = ("verification_status", "country", "sector")
    search_fields = ("name", "name_zh_hans", "gacc_registration_number", "members__user__email")
    list_select_related = ("country",)
    autocomplete_fields = ("country",)
    date_hierarchy = "created_at"
    inlines = (ExporterMemberInline, ExporterDocumentInline)
    # Company websites are typed without a scheme; https is today's default (and Django 6's).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ("verify_selected", "suspend_selected")
    readonly_fields = (
        "verification_status",
        "verified_at",
        "verified_by",
        "created_at",
        "updated_at",
        "audit_trail_display",
    )
    fieldsets = (
        (None, {"fields": (("name", "name_zh_hans"), ("country", "sector"), "logo"), "classes": ("pti-bilingual",)}),
        (
            _("Profile"),
            {
                "classes": ("pti-bilingual",),
                "fields": (
                    ("description_en", "description_zh_hans"),
                    "address",
                    "phone",
                    "website",
                    "year_founded",
                    "export_markets",
                ),
            },
        ),
        (_("China market access"), {"fields": ("gacc_registration_number",)}),
        (
            _("Verification"),
            {"fields": ("verification_status", ("verified_at", "verified_by"), ("created_at", "updated_at"))},
        ),
        (_("Audit trail"), {"fields": ("audit_trail_display",)}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(product_total=Count("products", distinct=True))

    @admin.display(description=_("products"), ordering="product_total")
    def product_count(self, obj):
        return obj.product_total

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"name", "name_zh_hans"}.intersection(form.changed_data):
            exporter_renamed(exporter=obj)  # its products' search keys, after commit

    def save_formset(self, request, form, formset, change):
        if formset.model is ExporterDocument:
            for document_form in formset.forms:
                if document_form.instance.pk is None and document_form.has_changed():
                    document_form.instance.uploaded_by = request.user
        super().save_formset(request, form, formset, change)

    def get_urls(self):
        return [
            path(
                "<int:exporter_id>/documents/<int:document_id>/",
                self.admin_site.admin_view(self.document_view),
                name="exporters_exporter_document",
            ),
            *super().get_urls(),
        ]

    def document_view(self, request, exporter_id, document_id):
        """A private document, for staff who may view documents (one rule with /documents/<pk>/)."""
        document = get_document_for_user(request.user, document_id)
        if document.exporter_id != exporter_id:
            raise Http404
        return document_response(document)

    @admin.action(description=_("Verify the selected exporters"), permissions=["change"])
    def verify_selected(self, request, queryset):
        run_per_object(
            self,
            request,
            queryset,
            lambda exporter: exporter_verify(exporter=exporter, actor=request.user),
            success_message=lambda count: (
                ngettext("%(count)d exporter verified.", "%(count)d exporters verified.", count) % {"count": count}
            ),
        )

    @admin.action(description=_("Suspend the selected exporters…"), permissions=["change"])
    def suspend_selected(self, request, queryset):
        exporters = list(queryset)
        reason, page = ask_reason(
            self,
            request,
            exporters,
            title=_("Suspend exporters"),
            intro=_("Suspended companies' products disappear from the catalogue at once. Suspend these exporters?"),
            required=False,
            help_text=_("Kept in the audit trail."),
            action="suspend_selected",
        )
        if page is not None:
            return page
        run_per_object(
            self,
            request,
            exporters,
            lambda exporter: exporter_suspend(exporter=exporter, actor=request.user, reason=reason),
            success_message=lambda count: (
                ngettext("%(count)d exporter suspended.", "%(count)d exporters suspended.", count) % {"count": count}
            ),
        )
        return None
