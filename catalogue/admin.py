"""Back office for the catalogue: review, translate, publish and feature listings; curate collections.

Status changes never happen by editing a field: the bulk actions and the change
page's buttons call catalogue.services, and each refusal becomes a message that
names the product.
"""

import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from catalogue.forms import ProductImageForm
from catalogue.models import Category, Certification, Collection, CollectionItem, Product, ProductImage
from catalogue.services import (
    collection_add_product,
    collection_remove_product,
    collection_reorder,
    product_archive,
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


# Categories: a small tree, shown in tree order with indentation.


class CategoryChangeList(ChangeList):
    """Orders the page by each category's chain of parents and notes its depth."""

    def get_results(self, request):
        super().get_results(request)
        nodes = {
            pk: (parent_id, position, name.lower())
            for pk, parent_id, position, name in Category.objects.values_list("pk", "parent_id", "position", "name_en")
        }

        def chain(pk):
            keys, seen = [], set()
            while pk is not None and pk in nodes and pk not in seen:
                seen.add(pk)
                parent_id, position, name = nodes[pk]
                keys.append((position, name, pk))
                pk = parent_id
            return keys[::-1]

        results = list(self.result_list)
        for category in results:
            path_keys = chain(category.pk)
            category.tree_key = path_keys
            category.tree_depth = len(path_keys) - 1
        self.result_list = sorted(results, key=lambda category: category.tree_key)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("tree_name", "name_zh_hans", "slug", "position", "product_count")
    list_display_links = ("tree_name",)
    search_fields = ("name_en", "name_zh_hans", "slug")
    autocomplete_fields = ("parent",)
    prepopulated_fields = {"slug": ("name_en",)}
    fields = ("parent", ("name_en", "name_zh_hans"), "slug", "position", "icon")
    # The tree decides the order; a page holds the whole (small) tree.
    sortable_by = ()
    list_per_page = 500

    def get_changelist(self, request, **kwargs):
        return CategoryChangeList

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(product_total=Count("products", distinct=True))

    @admin.display(description=_("name (English)"))
    def tree_name(self, obj):
        depth = getattr(obj, "tree_depth", 0)
        return format_html(
            '<span class="pti-tree" style="padding-left:{}em">{}{}</span>',
            depth * 1.5,
            "└ " if depth else "",
            obj.name_en,
        )

    @admin.display(description=_("products"))
    def product_count(self, obj):
        return obj.product_total


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "name_zh_hans")
    search_fields = ("code", "name_en", "name_zh_hans")
    fields = ("code", ("name_en", "name_zh_hans"))


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
    fields = ("preview", "original", "alt_text", "position")
    readonly_fields = ("preview",)
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
        "origin_country",
        "category_name",
        "is_featured",
        "updated_at",
    )
    list_display_links = ("name_en",)
    list_filter = ("status", NeedsTranslationFilter, "category", "origin_country", "is_featured")
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
    actions = ("publish_selected", "reject_selected", "feature_selected", "unfeature_selected", "archive_selected")
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
                "fields": (
                    ("name_en", "name_zh_hans"),
                    ("summary_en", "summary_zh_hans"),
                    ("description_en", "description_zh_hans"),
                    ("market_access_en", "market_access_zh_hans"),
                ),
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
                    "packaging",
                    "shelf_life",
                    "supply_capacity",
                    "lead_time",
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
        return obj.category.name_en

    @admin.display(description=_("changes waiting for review"))
    def pending_changes_display(self, obj):
        changes = obj.pending_changes if obj is not None else None
        if not changes:
            return "-"
        if isinstance(changes, dict):
            labels = {
                field.name: field.verbose_name for field in Product._meta.get_fields() if hasattr(field, "verbose_name")
            }
            return format_html(
                '<table class="pti-pending"><tbody>{}</tbody></table>',
                format_html_join(
                    "",
                    "<tr><th>{}</th><td>{}</td></tr>",
                    (
                        (
                            labels.get(key, key),
                            value if isinstance(value, str) else json.dumps(value, ensure_ascii=False),
                        )
                        for key, value in changes.items()
                    ),
                ),
            )
        return format_html("<pre>{}</pre>", json.dumps(changes, ensure_ascii=False, indent=2))

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


# Collections.


class CollectionItemInline(admin.TabularInline):
    model = CollectionItem
    fields = ("product", "position")
    autocomplete_fields = ("product",)
    ordering = ("position", "id")
    extra = 1


@admin.register(Collection)
class CollectionAdmin(AuditTrailMixin, admin.ModelAdmin):
    list_display = ("title_en", "title_zh_hans", "is_active", "starts_on", "ends_on", "position", "product_count")
    list_filter = ("is_active",)
    search_fields = ("title_en", "title_zh_hans", "slug")
    prepopulated_fields = {"slug": ("title_en",)}
    inlines = (CollectionItemInline,)
    readonly_fields = ("audit_trail_display",)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    ("title_en", "title_zh_hans"),
                    "slug",
                    ("description_en", "description_zh_hans"),
                    "cover",
                    ("starts_on", "ends_on"),
                    ("is_active", "position"),
                )
            },
        ),
        (_("Audit trail"), {"fields": ("audit_trail_display",)}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(product_total=Count("items", distinct=True))

    @admin.display(description=_("products"), ordering="product_total")
    def product_count(self, obj):
        return obj.product_total

    def save_formset(self, request, form, formset, change):
        if formset.model is not CollectionItem:
            return super().save_formset(request, form, formset, change)
        self._save_items(request, form.instance, formset)
        return None

    def _save_items(self, request, collection, formset):
        """Apply the inline's adds, removals and order through the collection services.

        A refused product (not published) is reported by name and left out; the rest is saved.
        """
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        deleted_forms = set(formset.deleted_forms) if formset.can_delete else set()
        wanted = []  # (position, row, product_id) of what should end up in the collection
        for row, item_form in enumerate(formset.forms):
            data = getattr(item_form, "cleaned_data", None) or {}
            existing = item_form.instance if item_form.instance.pk else None
            # The form already wrote its new choice onto the instance; the row's product is in `initial`.
            original = Product.objects.get(pk=item_form.initial["product"]) if existing else None
            if existing and item_form in deleted_forms:
                if self._call(request, original, collection_remove_product, collection=collection, product=original):
                    formset.deleted_objects.append(existing)
                continue
            product = data.get("product")
            if product is None:
                continue
            position = data.get("position") or 0
            if existing and original.pk == product.pk:
                wanted.append((position, row, product.pk))
                if item_form.has_changed():
                    formset.changed_objects.append((existing, item_form.changed_data))
                continue
            item = self._call(
                request, product, collection_add_product, collection=collection, product=product, position=position
            )
            if item is None:
                if existing:  # the new choice was refused: the row keeps its product
                    wanted.append((position, row, original.pk))
                continue
            wanted.append((position, row, product.pk))
            formset.new_objects.append(item)
            if existing:  # the row now names another product: the old one leaves
                self._call(request, original, collection_remove_product, collection=collection, product=original)
        order = [product_id for _position, _row, product_id in sorted(wanted)]
        current = list(collection.items.order_by("position", "id").values_list("product_id", flat=True))
        if order != current and sorted(order) == sorted(current):
            self._call(request, collection, collection_reorder, collection=collection, product_ids=order)

    def _call(self, request, subject, service, **kwargs):
        """Call a collection service as this user; a refusal becomes a message naming `subject`."""
        try:
            return service(actor=request.user, **kwargs) or True
        except REFUSALS as error:
            self.message_user(
                request,
                _("“%(object)s”: %(error)s") % {"object": subject, "error": refusal_text(error)},
                messages.ERROR,
            )
            return None
