"""Back office for inquiries: read-only for now (the inquiry workflow is a later issue)."""

from django.contrib import admin

from inquiries.models import Inquiry, Message
from pti_bridge.admin import ReadOnlyAdminMixin


class MessageInline(ReadOnlyAdminMixin, admin.StackedInline):
    model = Message
    fields = (
        ("author_role", "author_user", "language", "created_at"),
        "text",
        "translation",
        ("is_internal", "screening"),
    )
    readonly_fields = (
        "author_role",
        "author_user",
        "language",
        "created_at",
        "text",
        "translation",
        "is_internal",
        "screening",
    )
    ordering = ("created_at", "id")
    extra = 0


@admin.register(Inquiry)
class InquiryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "__str__",
        "exporter",
        "buyer",
        "quantity",
        "unit",
        "destination",
        "status",
        "assigned_to",
        "created_at",
        "last_activity_at",
    )
    list_filter = ("status", "exporter__country", "product__category", "assigned_to")
    search_fields = (
        "product__name_en",
        "product__name_zh_hans",
        "exporter__name",
        "buyer__display_name",
        "buyer__company",
        "destination",
        "messages__text",
        "messages__translation",
    )
    list_select_related = ("product", "exporter", "buyer", "assigned_to")
    date_hierarchy = "created_at"
    inlines = (MessageInline,)
    exclude = ("idempotency_key", "request_fingerprint")
    readonly_fields = (
        "buyer",
        "product",
        "exporter",
        "quantity",
        "unit",
        "target_price",
        "currency",
        "destination",
        "share_contact",
        "status",
        "assigned_to",
        "deal_value",
        "deal_currency",
        "deal_volume",
        "lost_reason",
        "created_at",
        "screening_at",
        "forwarded_at",
        "answered_at",
        "closed_at",
        "last_activity_at",
        "buyer_read_at",
    )
