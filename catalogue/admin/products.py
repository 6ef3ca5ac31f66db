"""Products: review, translation, publishing and featuring through catalogue.services."""

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from catalogue.admin.categories import CategoryTreeFilter
from catalogue.forms import ProductImageForm, ProductImageInlineFormSet
from catalogue.models import Product, ProductImage
from catalogue.services import (
    PHOTO_TEXTS,
    PHOTOS,
    product_apply_pending_changes,
    product_archive,
    product_discard_pending_changes,
    product_publish,
    product_reject,
    product_set_featured,
)
from pti_bridge.admin import REFUSALS, AuditTrailMixin, ask_reason, refusal_text, run_per_object
from pti_bridge.audit import audit_record


def thumbnail_html(image: ProductImage | None, *, size: int = 48):
    """An <img> of the image's thumbnail rendition, or "" while none is made.

    Only renditions are public; the uploaded original is private and never linked.
    """
    if image is None:
        return ""
    rendition = image.rendition("thumb", "webp") or image.rendition("thumb", "jpeg")
    if rendition is None:
        return ""
    return format_html(
        '<img class="pti-thumb" src="{}" alt="{}" width="{}" height="{}" loading="lazy">',
        rendition["url"],
        image.alt_text,
        size,
        round(size * rendition["height"] / rendition["width"]) if rendition["width"] else size,
    )


def localized_name(obj) -> str:
    """The Chinese name of a country or category when the page is in Chinese (and one exists)."""
    if get_language().startswith("zh") and getattr(obj, "name_zh_hans", ""):
        return obj.name_zh_hans
    return obj.name_en


def pending_row(product: Product, name: str, proposed):
    """(label, published value, proposed value) of one waiting change, in words staff read."""
    if name == PHOTOS:
        photos = ProductImage.objects.filter(product=product, pk__in=proposed or []).order_by("position", "id")
        return _("new photos"), "", format_html_join(" ", "{}", ((thumbnail_html(photo, size=96),) for photo in photos))
    if name == PHOTO_TEXTS:
        photos = ProductImage.objects.filter(product=product, pk__in=[int(pk) for pk in proposed or {}])
        photos = list(photos.order_by("position", "id"))
        line = "<p>{} {}</p>"
        return (
            _("photo descriptions"),
            format_html_join("", line, ((thumbnail_html(photo), photo.alt_text) for photo in photos)),
            format_html_join("", line, ((thumbnail_html(photo), proposed[str(photo.pk)]) for photo in photos)),
        )
    try:
        field = Product._meta.get_field(name)
    except FieldDoesNotExist:
        return name, "", json.dumps(proposed, ensure_ascii=False)
    if field.many_to_many:
        current = ", ".join(str(item) for item in getattr(product, name).all())
        proposed = ", ".join(str(item) for item in field.related_model.objects.filter(pk__in=proposed or []))
    elif field.is_relation:
        current = getattr(product, name)
        proposed = field.related_model.objects.filter(pk=proposed).first() or proposed
    elif field.choices:
        current = getattr(product, f"get_{name}_display")()
        proposed = dict(field.flatchoices).get(proposed, proposed)
    else:
        current = getattr(product, name)
    return field.verbose_name, "" if current is None else current, "" if proposed is None else proposed


# Products.


class NeedsTranslationFilter(admin.SimpleListFilter):
    title = _("Chinese translation")
    parameter_name = "needs_translation"

    def lookups(self, request, model_admin):
        return (("yes", _("Needs Chinese translation")), ("no", _("Translated")))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.needs_translation()
        if self.value() == "no":
            return queryset.exclude(pk__in=Product.objects.needs_translation().values("pk"))
        return queryset


class AdminProductImageForm(ProductImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "original" in self.fields:
            # The clearable input would print the original's URL; originals are private.
            self.fields["original"].widget = forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})


class ProductImageInline(admin.TabularInline):
    model = ProductImage
    form = AdminProductImageForm
    # Deleting a photo here deletes its files too, after commit.
    formset = ProductImageInlineFormSet
    fields = ("preview", "original", "alt_text", "alt_text_zh_hans", "position", "awaiting_review")
    readonly_fields = ("preview", "awaiting_review")
    ordering = ("position", "id")
    extra = 0

    @admin.display(description=_("preview"))
    def preview(self, obj):
        return thumbnail_html(obj, size=96) or "-"


@admin.register(Product)
class ProductAdmin(AuditTrailMixin, admin.ModelAdmin):
    change_form_template = "admin/catalogue/product/change_form.html"
    list_display = (
        "thumbnail",
        "name_en",
        "name_zh_hans",
        "status",
        "exporter",
        "origin_country_name",
        "category_name",
        "is_featured",
        "updated_at",
    )
    list_display_links = ("name_en",)
    list_filter = ("status", NeedsTranslationFilter, CategoryTreeFilter, "origin_country", "is_featured")
    search_fields = (
        "name_en",
        "name_zh_hans",
        "exporter__name",
        "exporter__name_zh_hans",
        "category__name_en",
        "category__name_zh_hans",
        "hs_code",
    )
    list_select_related = ("exporter", "origin_country", "category")
    autocomplete_fields = ("exporter", "category", "origin_country", "certifications")
    date_hierarchy = "updated_at"
    inlines = (ProductImageInline,)
    actions = (
        "publish_selected",
        "reject_selected",
        "feature_selected",
        "unfeature_selected",
        "archive_selected",
        "apply_changes_selected",
        "discard_changes_selected",
    )
    readonly_fields = (
        "status",
        "rejection_reason",
        "pending_changes_display",
        "is_featured",
        "submitted_at",
        "reviewed_at",
        "reviewed_by",
        "published_at",
        "archived_at",
        "view_count",
        "inquiry_count",
        "created_at",
        "updated_at",
        "audit_trail_display",
    )
    fieldsets = (
        (None, {"fields": ("exporter", ("category", "origin_country"))}),
        (
            _("Text (English and Chinese)"),
            {
                # Each text a buyer reads, its English (the exporter's) beside its Chinese (staff's).
                "fields": Product.TRANSLATED_TEXTS,
                "classes": ("pti-bilingual",),
            },
        ),
        (
            _("Trade details"),
            {
                "fields": (
                    "hs_code",
                    ("moq_quantity", "moq_unit"),
                    ("price_currency", "price_min", "price_max", "price_unit", "incoterm"),
                    "certifications",
                )
            },
        ),
        (
            _("Review"),
            {
                "fields": (
                    ("status", "is_featured"),
                    "rejection_reason",
                    "pending_changes_display",
                    ("submitted_at", "reviewed_at", "reviewed_by"),
                    ("published_at", "archived_at"),
                    ("view_count", "inquiry_count"),
                    ("created_at", "updated_at"),
                )
            },
        ),
        (_("Audit trail"), {"fields": ("audit_trail_display",)}),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("images", queryset=ProductImage.objects.order_by("position", "id")))
        )

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # Only published products may join a collection: offer only those in its autocomplete.
        if request.GET.get("model_name") == "collectionitem" and request.GET.get("field_name") == "product":
            queryset = queryset.filter(status=Product.Status.PUBLISHED)
        return queryset, may_have_duplicates

    @admin.display(description=_("photo"))
    def thumbnail(self, obj):
        images = list(obj.images.all())
        return thumbnail_html(images[0] if images else None)

    @admin.display(description=_("category"), ordering="category__name_en")
    def category_name(self, obj):
        return localized_name(obj.category)

    @admin.display(description=_("origin country"), ordering="origin_country__name_en")
    def origin_country_name(self, obj):
        return localized_name(obj.origin_country)

    @admin.display(description=_("changes waiting for review"))
    def pending_changes_display(self, obj):
        changes = obj.pending_changes if obj is not None else None
        if not changes:
            return "-"
        if not isinstance(changes, dict):
            return format_html("<pre>{}</pre>", json.dumps(changes, ensure_ascii=False, indent=2))
        return format_html(
            '<table class="pti-pending"><thead><tr><th></th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>',
            _("published"),
            _("proposed"),
            format_html_join(
                "", "<tr><th>{}</th><td>{}</td><td>{}</td></tr>", (pending_row(obj, k, v) for k, v in changes.items())
            ),
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and form.changed_data:
            # Translations and edits by staff belong in the product's story too.
            audit_record(obj=obj, action="edit", actor=request.user, note=", ".join(form.changed_data))

    # Per-object buttons on the change page.

    def get_urls(self):
        return [
            path(
                "<int:object_id>/reject/",
                self.admin_site.admin_view(self.reject_view),
                name="catalogue_product_reject",
            ),
            *super().get_urls(),
        ]

    def response_change(self, request, obj):
        if "_publish" in request.POST:
            if self.has_change_permission(request, obj):
                try:
                    product_publish(product=obj, actor=request.user)
                except REFUSALS as error:
                    self.message_user(
                        request,
                        _("“%(object)s”: %(error)s") % {"object": obj, "error": refusal_text(error)},
                        messages.ERROR,
                    )
                else:
                    self.message_user(request, _("“%(object)s” is published.") % {"object": obj}, messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:catalogue_product_change", args=[obj.pk]))
        return super().response_change(request, obj)

    def reject_view(self, request, object_id):
        product = get_object_or_404(Product, pk=object_id)
        if not self.has_change_permission(request, product):
            raise PermissionDenied
        reason, page = ask_reason(
            self,
            request,
            [product],
            title=_("Reject product"),
            intro=_("The exporter reads the reason in the portal and may submit the product again."),
            help_text=_("Say what to change, in English."),
        )
        if page is not None:
            return page
        try:
            product_reject(product=product, actor=request.user, reason=reason)
        except REFUSALS as error:
            self.message_user(
                request,
                _("“%(object)s”: %(error)s") % {"object": product, "error": refusal_text(error)},
                messages.ERROR,
            )
        else:
            self.message_user(request, _("“%(object)s” is rejected.") % {"object": product}, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:catalogue_product_change", args=[product.pk]))

    # Bulk actions: one service call per product.

    def _run(self, request, products, apply, success_message):
        run_per_object(self, request, products, apply, success_message=success_message)

    @admin.action(description=_("Publish the selected products"), permissions=["change"])
    def publish_selected(self, request, queryset):
        self._run(
            request,
            queryset.select_related("exporter"),
            lambda product: product_publish(product=product, actor=request.user),
            lambda count: (
                ngettext("%(count)d product published.", "%(count)d products published.", count) % {"count": count}
            ),
        )

    @admin.action(description=_("Reject the selected products…"), permissions=["change"])
    def reject_selected(self, request, queryset):
        products = list(queryset)
        reason, page = ask_reason(
            self,
            request,
            products,
            title=_("Reject products"),
            intro=_(
                "The exporter reads the reason in the portal and may submit the product again. Reject these products?"
            ),
            help_text=_("Say what to change, in English."),
            action="reject_selected",
        )
        if page is not None:
            return page
        self._run(
            request,
            products,
            lambda product: product_reject(product=product, actor=request.user, reason=reason),
            lambda count: (
                ngettext("%(count)d product rejected.", "%(count)d products rejected.", count) % {"count": count}
            ),
        )
        return None

    @admin.action(description=_("Feature the selected products"), permissions=["change"])
    def feature_selected(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda product: product_set_featured(product=product, actor=request.user, featured=True),
            lambda count: (
                ngettext("%(count)d product featured.", "%(count)d products featured.", count) % {"count": count}
            ),
        )

    @admin.action(description=_("Stop featuring the selected products"), permissions=["change"])
    def unfeature_selected(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda product: product_set_featured(product=product, actor=request.user, featured=False),
            lambda count: (
                ngettext("%(count)d product no longer featured.", "%(count)d products no longer featured.", count)
                % {"count": count}
            ),
        )

    @admin.action(description=_("Archive the selected products"), permissions=["change"])
    def archive_selected(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda product: product_archive(product=product, actor=request.user),
            lambda count: (
                ngettext("%(count)d product archived.", "%(count)d products archived.", count) % {"count": count}
            ),
        )

    @admin.action(description=_("Apply the exporters' waiting changes"), permissions=["change"])
    def apply_changes_selected(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda product: product_apply_pending_changes(product=product, actor=request.user),
            lambda count: (
                ngettext(
                    "Waiting changes applied to %(count)d product.",
                    "Waiting changes applied to %(count)d products.",
                    count,
                )
                % {"count": count}
            ),
        )

    @admin.action(description=_("Discard the exporters' waiting changes…"), permissions=["change"])
    def discard_changes_selected(self, request, queryset):
        products = list(queryset)
        reason, page = ask_reason(
            self,
            request,
            products,
            title=_("Discard waiting changes"),
            intro=_("The published text stays as it is. Discard the exporters' waiting changes of these products?"),
            required=False,
            help_text=_("Kept in the audit trail."),
            action="discard_changes_selected",
        )
        if page is not None:
            return page
        self._run(
            request,
            products,
            lambda product: product_discard_pending_changes(product=product, actor=request.user, reason=reason),
            lambda count: (
                ngettext(
                    "Waiting changes discarded for %(count)d product.",
                    "Waiting changes discarded for %(count)d products.",
                    count,
                )
                % {"count": count}
            ),
        )
        return None
