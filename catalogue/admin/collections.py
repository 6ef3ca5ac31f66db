"""Collections: curated products, added, removed and ordered through catalogue.services."""

from django.contrib import admin, messages
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from catalogue.models import Collection, CollectionItem, Product
from catalogue.services import (
    collection_add_product,
    collection_remove_product,
    collection_reorder,
)
from pti_bridge.admin import REFUSALS, AuditTrailMixin, CleanImagesMixin, refusal_text

LAST = 10**6


class CollectionItemInline(admin.TabularInline):
    model = CollectionItem
    fields = ("product", "position")
    autocomplete_fields = ("product",)
    ordering = ("position", "id")
    extra = 1


@admin.register(Collection)
class CollectionAdmin(CleanImagesMixin, AuditTrailMixin, admin.ModelAdmin):
    clean_images = {"cover": "cover"}
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
                ),
                "classes": ("pti-bilingual",),
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
            # A new row left at position 0 goes to the end, as the service does without a position.
            position = data.get("position") or None
            sort_position = position if position is not None else LAST
            if existing and original.pk == product.pk:
                wanted.append((sort_position, row, product.pk))
                if item_form.has_changed():
                    formset.changed_objects.append((existing, item_form.changed_data))
                continue
            item = self._call(
                request, product, collection_add_product, collection=collection, product=product, position=position
            )
            if item is None:
                if existing:  # the new choice was refused: the row keeps its product
                    wanted.append((sort_position, row, original.pk))
                continue
            wanted.append((sort_position, row, product.pk))
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
