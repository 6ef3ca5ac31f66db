"""Back office for countries and exporting companies: verification and documents."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from exporters import services
from exporters.document_checks import inspect_document
from exporters.documents import document_response, get_document_for_user
from exporters.models import Country, Exporter, ExporterDocument, ExporterMember
from exporters.services import exporter_renamed, exporter_suspend, exporter_verify
from exporters.views import apply_service_errors
from pti_bridge.admin import (
    REFUSALS,
    AuditTrailMixin,
    CleanImagesMixin,
    ReasonForm,
    ask_reason,
    refusal_text,
    run_per_object,
)
from pti_bridge.images import StorageUnavailable, check_storage


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


def document_admin_url(document, action: str = "") -> str:
    """The staff-only download, or its accept/refuse page."""
    name = f"exporters_exporter_document_{action}" if action else "exporters_exporter_document"
    return reverse(f"admin:{name}", args=[document.exporter_id, document.pk])


class DocumentFileInput(forms.FileInput):
    """A plain file input for a new document (the clearable one would print the file's storage
    URL, and documents are private); a stored document shows its staff-only download link."""

    download_url = ""

    def render(self, name, value, attrs=None, renderer=None):
        if self.download_url:
            return format_html('<a href="{}">{}</a>', self.download_url, _("Download"))
        return super().render(name, value, attrs, renderer)


class ExporterDocumentForm(forms.ModelForm):
    class Meta:
        model = ExporterDocument
        fields = ("kind", "title", "file", "expires_on")
        widgets = {"file": DocumentFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"})}

    checked_document = None  # what the checks made of a new upload, for the service

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].widget.attrs["size"] = 16
        if self.instance.pk is not None:
            # A reviewed document stays what it was: a new file is a new document, reviewed anew.
            self.fields["kind"].disabled = True
            self.fields["file"].disabled = True
            self.fields["file"].widget.download_url = document_admin_url(self.instance)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if isinstance(upload, UploadedFile):  # a new file, not the one already stored
            try:
                check_storage(ExporterDocument._meta.get_field("file").storage)
            except StorageUnavailable as error:  # a form error, not a 500 after the company is saved
                raise forms.ValidationError(error.message, code=error.code) from error
            self.checked_document = inspect_document(upload)
            return self.checked_document.content  # checked bytes, named by their detected type
        return upload


class ExporterDocumentInline(admin.TabularInline):
    model = ExporterDocument
    form = ExporterDocumentForm
    fields = ("kind", "title", "file", "expires_on", "review", "uploaded")
    readonly_fields = ("review", "uploaded")
    extra = 0

    @admin.display(description=_("review"))
    def review(self, obj):
        if obj is None or not obj.pk:
            return "-"
        status = format_html('<strong class="pti-document-{}">{}</strong>', obj.status, obj.get_status_display())
        if obj.status == ExporterDocument.Status.REFUSED:
            return format_html("{}<br>{}", status, obj.refusal_reason)
        if obj.status == ExporterDocument.Status.ACCEPTED:
            return format_html("{}<br>{}", status, obj.reviewed_by or "")
        return format_html(
            '{}<br><a class="pti-accept" href="{}">{}</a> · <a class="pti-refuse" href="{}">{}</a>',
            status,
            document_admin_url(obj, "accept"),
            _("Accept…"),
            document_admin_url(obj, "refuse"),
            _("Refuse…"),
        )

    @admin.display(description=_("uploaded"))
    def uploaded(self, obj):
        if obj is None or not obj.pk:
            return "-"
        return format_html(
            "{}<br>{}", date_format(localtime(obj.uploaded_at), "SHORT_DATE_FORMAT"), obj.uploaded_by or "-"
        )


class DocumentsWaitingFilter(admin.SimpleListFilter):
    """Where staff find the documents exporters uploaded and nobody reviewed yet."""

    title = _("documents")
    parameter_name = "documents"

    def lookups(self, request, model_admin):
        return (("waiting", _("Waiting for review")),)

    def queryset(self, request, queryset):
        return queryset.with_documents_waiting() if self.value() == "waiting" else queryset


class VerifyForm(forms.Form):
    note = forms.CharField(
        label=_("How you checked the company"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )

    def __init__(self, *args, note_required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].required = note_required
        self.fields["note"].help_text = (
            _("Required while documents are missing: say how you checked the company instead. Kept in the audit trail.")
            if note_required
            else _("Optional. Kept in the audit trail.")
        )


def checklist_html(rows):
    """The required documents as a small table: kind, state and the deciding document's link."""
    return format_html(
        '<table class="pti-checklist"><tbody>{}</tbody></table>',
        format_html_join(
            "",
            '<tr class="pti-{}"><th scope="row">{}</th><td>{}</td><td>{}</td></tr>',
            (
                (
                    row.state,
                    row.label,
                    ("✓ " if row.done else "✗ ") + row.state_label,
                    format_html('<a href="{}">{}</a>', document_admin_url(row.document), row.document)
                    if row.document is not None
                    else "",
                )
                for row in rows
            ),
        ),
    )


@admin.register(Exporter)
class ExporterAdmin(CleanImagesMixin, AuditTrailMixin, admin.ModelAdmin):
    change_form_template = "admin/exporters/exporter/change_form.html"
    clean_images = {"logo": "logo"}
    list_display = ("name", "name_zh_hans", "country", "sector", "verification_status", "verified_at", "product_count")
    list_filter = ("verification_status", DocumentsWaitingFilter, "country", "sector")
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
        "document_checklist_display",
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
            {
                "fields": (
                    "verification_status",
                    "document_checklist_display",
                    ("verified_at", "verified_by"),
                    ("created_at", "updated_at"),
                )
            },
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

    @admin.display(description=_("required documents"))
    def document_checklist_display(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        return checklist_html(services.document_checklist(obj))

    def save_formset(self, request, form, formset, change):
        if formset.model is not ExporterDocument:
            return super().save_formset(request, form, formset, change)
        # New documents go through the service (checked, audited, waiting for review).
        for document in formset.save(commit=False):
            if document.pk is not None:
                document.save()
        for document in formset.deleted_objects:
            services.document_delete(document=document, actor=request.user)
        for document_form in formset.forms:
            new_upload = document_form.checked_document
            if (
                document_form.instance.pk is None
                and new_upload is not None
                and document_form not in formset.deleted_forms
            ):
                data = document_form.cleaned_data
                services.document_upload(
                    exporter=form.instance,
                    actor=request.user,
                    kind=data["kind"],
                    file=new_upload,
                    title=data.get("title", ""),
                    expires_on=data.get("expires_on"),
                )
        return None

    def get_urls(self):
        document = "<int:exporter_id>/documents/<int:document_id>/"
        return [
            path(document, self.admin_site.admin_view(self.document_view), name="exporters_exporter_document"),
            path(
                f"{document}accept/",
                self.admin_site.admin_view(self.accept_document_view),
                name="exporters_exporter_document_accept",
            ),
            path(
                f"{document}refuse/",
                self.admin_site.admin_view(self.refuse_document_view),
                name="exporters_exporter_document_refuse",
            ),
            path(
                "<int:exporter_id>/verify/",
                self.admin_site.admin_view(self.verify_view),
                name="exporters_exporter_verify",
            ),
            *super().get_urls(),
        ]

    # One company's page: verify it, accept or refuse each of its documents.

    def _exporter_for_change(self, request, exporter_id) -> Exporter:
        exporter = get_object_or_404(Exporter, pk=exporter_id)
        if not self.has_change_permission(request, exporter):
            raise PermissionDenied
        return exporter

    def _document_for_change(self, request, exporter_id, document_id) -> ExporterDocument:
        exporter = self._exporter_for_change(request, exporter_id)
        return get_object_or_404(ExporterDocument.objects.select_related("exporter"), pk=document_id, exporter=exporter)

    def _back_to(self, exporter) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:exporters_exporter_change", args=[exporter.pk]) + "#documents-group")

    def _refused(self, request, obj, error) -> None:
        self.message_user(
            request, _("“%(object)s”: %(error)s") % {"object": obj, "error": refusal_text(error)}, messages.ERROR
        )

    def _confirm_page(self, request, exporter, *, title, intro, form=None, document=None, checklist=None, button):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "intro": intro,
            "original": exporter,
            "document": document,
            "checklist": checklist_html(checklist) if checklist is not None else "",
            "form": form,
            "button": button,
            "opts": self.model._meta,
            "back_url": reverse("admin:exporters_exporter_change", args=[exporter.pk]),
            "media": self.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/exporters/exporter/confirm.html", context)

    def accept_document_view(self, request, exporter_id, document_id):
        document = self._document_for_change(request, exporter_id, document_id)
        if request.method == "POST":
            try:
                services.document_accept(document=document, actor=request.user)
            except REFUSALS as error:
                self._refused(request, document, error)
            else:
                self.message_user(request, _("“%(object)s” is accepted.") % {"object": document}, messages.SUCCESS)
            return self._back_to(document.exporter)
        return self._confirm_page(
            request,
            document.exporter,
            title=_("Accept document"),
            intro=_("Accept this document once you have opened it and checked it against the company's details."),
            document=document,
            button=_("Accept"),
        )

    def refuse_document_view(self, request, exporter_id, document_id):
        """The reason is asked on a page of its own; a refused reason (none, or not in English)
        comes back on it with what was typed."""
        document = self._document_for_change(request, exporter_id, document_id)
        form = ReasonForm(request.POST or None, help_text=_("Say what is wrong and what to send instead, in English."))
        if request.method == "POST" and form.is_valid():
            try:
                services.document_refuse(document=document, actor=request.user, reason=form.cleaned_data["reason"])
            except forms.ValidationError as error:
                apply_service_errors(form, error)
            except REFUSALS as error:
                self._refused(request, document, error)
                return self._back_to(document.exporter)
            else:
                self.message_user(request, _("“%(object)s” is refused.") % {"object": document}, messages.SUCCESS)
                return self._back_to(document.exporter)
        return self._confirm_page(
            request,
            document.exporter,
            title=_("Refuse document"),
            intro=_(
                "The exporter reads the reason in the portal and in an e-mail, and may upload a new copy. "
                "Refuse this document?"
            ),
            form=form,
            document=document,
            button=_("Refuse"),
        )

    def verify_view(self, request, exporter_id):
        """The verify button: the required documents' state and, if some are missing, why not yet."""
        exporter = self._exporter_for_change(request, exporter_id)
        checklist = services.document_checklist(exporter)
        gaps = [row for row in checklist if not row.done]
        form = VerifyForm(request.POST or None, note_required=bool(gaps))
        if request.method == "POST" and form.is_valid():
            try:
                exporter_verify(exporter=exporter, actor=request.user, note=form.cleaned_data["note"])
            except REFUSALS as error:
                form.add_error(None, refusal_text(error))
            else:
                self.message_user(request, _("“%(object)s” is verified.") % {"object": exporter}, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:exporters_exporter_change", args=[exporter.pk]))
        if gaps:
            intro = services.verification_gaps_text(gaps)
        else:
            intro = _("Every required document is accepted and current. Verify this company?")
        return self._confirm_page(
            request,
            exporter,
            title=_("Verify exporter"),
            intro=intro,
            form=form,
            checklist=checklist,
            button=_("Verify"),
        )

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
