"""The home screen (`GET /api/v1/home/`) as plain rows and hand-written mappings.

The featured cards are a page of the product list (its card rows, read as the list reads
them); collections and categories are rows from SQL compiled once (catalogue.listing.detail
compiled_rows); the counts come from the catalogue's cached counts.
"""

from types import SimpleNamespace

from django.utils import timezone
from rest_framework import serializers

from catalogue import listing, selectors
from catalogue.listing.detail import compiled_rows, translated
from catalogue.listing.query import ListQuery
from catalogue.models import Category
from catalogue.serializers import cover, product_cards
from pti_bridge.api.negotiation import is_chinese_language

HOME_FEATURED = 10
# The cached counts home reads: pti_bridge.api.caching reads them ahead, with the throttle's count.
MEMOS = [selectors.CATEGORY_COUNTS_MEMO, selectors.COUNTRIES_MEMO]

_as_date = serializers.DateField()  # DRF's own format, as the schema's serializer writes it
COLLECTION_VALUES = (
    "slug",
    "title_en",
    "title_zh_hans",
    "description_en",
    "description_zh_hans",
    "cover",
    "cover_renditions",
    "starts_on",
    "ends_on",
    "product_count",
)
CATEGORY_VALUES = ("id", "slug", "name_en", "name_zh_hans", "parent_id", "icon")


def _date(value):
    return None if value is None else _as_date.to_representation(value)


def _collection(row, zh: bool) -> dict:
    """CollectionSerializer's fields."""
    return {
        "slug": row["slug"],
        "title": translated(row, "title_en", "title_zh_hans", zh),
        "description": translated(row, "description_en", "description_zh_hans", zh),
        "cover": cover(SimpleNamespace(cover=row["cover"], cover_renditions=row["cover_renditions"])),
        "starts_on": _date(row["starts_on"]),
        "ends_on": _date(row["ends_on"]),
        "product_count": row["product_count"],
    }


def featured_cards(language: str) -> list[dict]:
    """The newest featured products' cards: the product list's first page of `featured=true`."""
    query = ListQuery(filters={"featured": True}, page_size=HOME_FEATURED, language=language)
    return product_cards(listing.product_page(query, counted=False).rows)


def home(language: str) -> dict:
    """`GET /api/v1/home/` (HomeSerializer's fields)."""
    zh = is_chinese_language(language)
    collections = compiled_rows(
        "home-collections",
        lambda today: selectors.collections(today=today).values(*COLLECTION_VALUES),
        {"today": timezone.localdate()},
    )
    categories = compiled_rows("home-categories", lambda: Category.objects.values(*CATEGORY_VALUES), {})
    counts = selectors.category_product_counts({row["id"]: row["parent_id"] for row in categories})
    return {
        "featured": featured_cards(language),
        "collections": [_collection(row, zh) for row in collections],
        "categories": [
            {
                "id": row["id"],
                "slug": row["slug"],
                "name": translated(row, "name_en", "name_zh_hans", zh),
                "parent": None,
                "icon": row["icon"],
                "product_count": counts[row["id"]],
            }
            for row in categories
            if row["parent_id"] is None
        ],
        "countries": [
            {
                "code": country.code,
                "name": translated(vars(country), "name_en", "name_zh_hans", zh),
                "product_count": country.product_count,
            }
            for country in selectors.countries()
        ],
    }
