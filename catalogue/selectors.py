"""What buyers may read from the catalogue, in a fixed number of queries: plain ORM reads.
The product list is catalogue.listing's.

Every read starts from the visible products (published products of verified exporters);
anything else does not exist for the API.
"""

from django.db.models import Count, Exists, IntegerField, JSONField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from catalogue.models import Category, Certification, Collection, CollectionItem, Product, ProductImage, visible_q
from exporters.models import Country, Exporter
from pti_bridge.api.caching import cached_under_version

# A card's columns, fetched as plain rows: lists build no model instances (the costliest
# part of a 20-card page after the query itself).
CARD_VALUES = (
    "id",
    "name_en",
    "name_zh_hans",
    "summary_en",
    "summary_zh_hans",
    "price_currency",
    "price_min",
    "price_max",
    "price_unit",
    "incoterm",
    "moq_quantity",
    "moq_unit",
    "is_featured",
    "category_id",
    "category__name_en",
    "category__name_zh_hans",
    "origin_country_id",
    "origin_country__name_en",
    "origin_country__name_zh_hans",
    "exporter_id",
    "exporter__name",
    "exporter__name_zh_hans",
    "thumbnail_rendition",
)
COLLECTION_PRODUCTS = 50


def visible_products():
    return Product.objects.published()


def with_thumbnail(queryset):
    """The thumbnail renditions ({format: {name, width, height}}) of each product's first photo,
    in the same query (no N+1)."""
    first_image = ProductImage.objects.shown().filter(product=OuterRef("pk")).order_by("position", "id")
    return queryset.annotate(
        thumbnail_rendition=Subquery(first_image.values("renditions__thumb")[:1], output_field=JSONField())
    )


def card_rows(queryset):
    """Products as card rows (dicts of CARD_VALUES), one query with their thumbnails: what the
    catalogue's own lists serialize."""
    return with_thumbnail(queryset).values(*CARD_VALUES)


def as_cards(queryset):
    """Products as model instances with what a card needs (one query, thumbnails included):
    for other apps' lists and Prefetch querysets; ProductCardSerializer takes either."""
    related = ("category", "origin_country", "exporter")
    fields = [name for name in CARD_VALUES if name != "thumbnail_rendition"] + ["published_at"]
    return with_thumbnail(queryset.select_related(*related).only(*fields))


def active_collections(*, today=None):
    return Collection.objects.active(today=today)


def get_exporter(pk: int) -> Exporter:
    """A verified exporter with its published-product count and certifications (3 queries)."""
    exporter = (
        Exporter.objects.verified()
        .select_related("country")
        .annotate(product_count=Count("products", filter=Q(products__status=Product.Status.PUBLISHED)))
        .filter(pk=pk)
        .first()
    )
    if exporter is None:
        raise Http404
    exporter.certification_list = list(
        Certification.objects.filter(
            Exists(
                Product.certifications.through.objects.filter(
                    certification=OuterRef("pk"),
                    product__exporter=exporter,
                    product__status=Product.Status.PUBLISHED,
                )
            )
        )
    )
    return exporter


def categories(*, top_level_only: bool = False) -> list[Category]:
    """Categories (tree order) with `product_count`: visible products, each category counting
    those of its sub-categories too (2 queries; the counts are cached until the catalogue changes)."""
    every = list(Category.objects.all())
    totals = category_product_counts({category.pk: category.parent_id for category in every})
    for category in every:
        category.product_count = totals[category.pk]
    return [category for category in every if category.parent_id is None] if top_level_only else every


CATEGORY_COUNTS_MEMO = "category-counts"


def category_product_counts(parents: dict[int, int | None]) -> dict[int, int]:
    """{category id: visible products, those of its sub-categories included} of the tree
    `parents` ({category id: parent id}); the products per category are cached until the
    catalogue changes."""
    own = cached_under_version(
        "catalogue",
        CATEGORY_COUNTS_MEMO,
        lambda: dict(visible_products().values_list("category").annotate(n=Count("id")).order_by()),
    )
    totals = dict.fromkeys(parents, 0)
    for category_id, count in own.items():
        seen = set()
        while category_id is not None and category_id not in seen:
            seen.add(category_id)
            totals[category_id] = totals.get(category_id, 0) + count
            category_id = parents.get(category_id)
    return totals


COUNTRIES_MEMO = "countries"


def countries() -> list[Country]:
    """Countries with visible products, with `product_count` (1 query, then cached until the
    catalogue changes: it counts every visible product)."""
    return cached_under_version("catalogue", COUNTRIES_MEMO, lambda: list(_countries()))


def _countries():
    return (
        Country.objects.annotate(product_count=Count("products", filter=visible_q("products__")))
        .filter(product_count__gt=0)
        .order_by("name_en")
    )


def collections(*, today=None):
    """Active collections (on `today`, by default the current date) with their visible-product count (1 query)."""
    visible = visible_q("items__product__")
    # Meta.ordering does not apply to aggregating queries: order explicitly, stably for paging.
    return (
        active_collections(today=today)
        .annotate(product_count=Coalesce(Count("items", filter=visible), 0))
        .order_by("position", "-starts_on", "title_en", "pk")
    )


def get_collection(slug: str) -> Collection:
    """An active collection and its first visible products as cards, in its order (3 queries)."""
    collection = collections().filter(slug=slug).first()
    if collection is None:
        raise Http404
    items = CollectionItem.objects.filter(collection=collection, product=OuterRef("pk")).values("position")[:1]
    collection.product_cards = list(
        card_rows(
            visible_products()
            .filter(pk__in=Subquery(CollectionItem.objects.filter(collection=collection).values("product_id")))
            .annotate(collection_position=Subquery(items, output_field=IntegerField()))
            .order_by("collection_position", "id")
        )[:COLLECTION_PRODUCTS]
    )
    return collection
