"""Back office for buyers: read mostly. WeChat identifiers stay on the server: the
session key is never shown, the openid only masked."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from buyers.models import Buyer, Favourite
from pti_bridge.admin import ReadOnlyAdminMixin


def mask(value: str | None) -> str:
    """Enough of an identifier to tell two apart in a conversation, not enough to use it."""
    if not value:
        return "-"
    if len(value) <= 8:
        return "•" * len(value)
    return f"{value[:4]}…{value[-4:]}"


@admin.register(Buyer)
class BuyerAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "__str__",
        "company",
        "masked_openid",
        "consented_policy_version",
        "created_at",
        "last_seen_at",
        "deleted_at",
    )
    list_filter = ("consented_policy_version", ("deleted_at", admin.EmptyFieldListFilter))
    search_fields = ("display_name", "company")
    date_hierarchy = "created_at"
    fields = (
        "display_name",
        "masked_openid",
        "company",
        ("phone_country_code", "phone"),
        ("consented_policy_version", "consented_at"),
        ("created_at", "last_seen_at", "deleted_at"),
    )
    readonly_fields = (
        "display_name",
        "masked_openid",
        "company",
        "phone_country_code",
        "phone",
        "consented_policy_version",
        "consented_at",
        "created_at",
        "last_seen_at",
        "deleted_at",
    )

    @admin.display(description=_("WeChat openid"))
    def masked_openid(self, obj):
        return mask(obj.openid)


@admin.register(Favourite)
class FavouriteAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("buyer", "product", "created_at")
    list_select_related = ("buyer", "product")
    search_fields = ("product__name_en", "product__name_zh_hans", "buyer__display_name", "buyer__company")
    date_hierarchy = "created_at"
