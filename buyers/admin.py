"""Back office for buyers: read mostly. WeChat identifiers stay on the server: the
session key is never shown, the openid only masked."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buyers.models import Buyer, Favourite, PrivacyPolicy
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
    list_filter = ("avatar_check", "consented_policy_version", ("deleted_at", admin.EmptyFieldListFilter))
    search_fields = ("display_name", "company")
    date_hierarchy = "created_at"
    fields = (
        "display_name",
        "masked_openid",
        ("avatar", "avatar_check"),
        "company",
        ("phone_country_code", "phone"),
        ("consented_policy_version", "consented_at"),
        ("created_at", "last_seen_at", "deleted_at"),
    )
    readonly_fields = (
        "display_name",
        "masked_openid",
        "avatar",
        "avatar_check",
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


@admin.register(PrivacyPolicy)
class PrivacyPolicyAdmin(admin.ModelAdmin):
    """Staff publish a new version; one in force is never edited, because buyers consented to its words."""

    list_display = ("version", "title_zh_hans", "title_en", "published_at", "in_force")
    search_fields = ("version", "title_zh_hans", "title_en")
    fieldsets = (
        (
            None,
            {
                "fields": ("version", ("title_zh_hans", "title_en"), ("text_zh_hans", "text_en"), "published_at"),
                "classes": ("pti-bilingual",),
            },
        ),
    )

    @admin.display(description=_("in force"), boolean=True)
    def in_force(self, obj):
        current = PrivacyPolicy.objects.current()
        return current is not None and current.pk == obj.pk

    def _already_published(self, obj) -> bool:
        return obj is not None and obj.pk is not None and obj.published_at <= timezone.now()

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._already_published(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._already_published(obj)
