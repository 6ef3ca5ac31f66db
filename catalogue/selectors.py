"""What buyers may read from the catalogue, in a fixed number of queries.

Every read starts from `Product.objects.published()` (published products of verified
exporters); anything else does not exist for the API. Filters are subqueries, never
separate look-ups, so a list is two queries (count and page) whatever its filters.
"""

import datetime

import orjson
from django.db import connection
from django.db.models import (
    BigIntegerField,
    Count,
    Exists,
    IntegerField,
    JSONField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from catalogue import search
from catalogue.models import Category, Certification, Collection, CollectionItem, Product, ProductImage
from exporters.models import Country, Exporter
from pti_bridge.api.caching import cached_under_version
from pti_bridge.db import (
    SLICE_MARK_START,
    SLICE_MARK_STOP,
    SqlTemplates,
    prepared_cursor,
    unindexed_ordering,
    walk_is_cheaper,
)

ORDERINGS = {
    "-published_at": ("-published_at", "-id"),
    "name": None,  # by language: see product_list()
    "-inquiry_count": ("-inquiry_count", "-id"),
}
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


def _id_or_slug(value: str) -> Q:
    return Q(pk=int(value)) if _is_id(value) else Q(slug=value)


# The suffix changes with the value's shape, so a deploy never reads what older code cached.
LOOKUPS_MEMO = "lookups:3"


def lookups(prefetched: dict | None = None) -> dict:
    """What the list's filters name, as ids, and how many visible products each has (cached
    until the catalogue changes): {"category_ids": {id: ids of it and every category below},
    "category_slugs": {slug: id}, "category_products": {id: visible products, those below
    included}, "certifications": {code: id}, "certification_products": {id: visible
    products}, "country_products": {code: visible products}, "visible": visible products}.

    Filters by ids the database's statistics know, not by a subquery on a slug, and the
    counts tell how many products a page's filters leave (CardPage decides from them how
    the page is read). A name that matches nothing is an empty page without a query."""
    return cached_under_version("catalogue", LOOKUPS_MEMO, _lookups, prefetched=prefetched)


def _lookups() -> dict:
    # One query for all three (a cold list with filters stays within its 3 queries).
    visible = Q(products__status=Product.Status.PUBLISHED) & Q(
        products__exporter__verification_status=Exporter.VerificationStatus.VERIFIED
    )
    categories = Category.objects.annotate(kind=Value("category"), n=Count("products", filter=visible)).values_list(
        "kind", "pk", "slug", "parent_id", "n"
    )
    no_id = Value(None, output_field=BigIntegerField())
    certifications = Certification.objects.annotate(
        kind=Value("certification"), parent=no_id, n=Count("products", filter=visible)
    ).values_list("kind", "pk", "code", "parent", "n")
    countries = Country.objects.annotate(
        kind=Value("country"), no_id=no_id, parent=no_id, n=Count("products", filter=visible)
    ).values_list("kind", "no_id", "code", "parent", "n")
    both = list(categories.order_by().union(certifications.order_by(), countries.order_by(), all=True))
    rows = [row[1:] for row in both if row[0] == "category"]
    children: dict[int | None, list[int]] = {}
    for pk, _slug, parent, _n in rows:
        children.setdefault(parent, []).append(pk)
    own = {pk: n for pk, _slug, _parent, n in rows}
    below = {}
    for pk, _slug, _parent, _n in rows:
        ids, stack = set(), [pk]
        while stack:
            current = stack.pop()
            if current not in ids:
                ids.add(current)
                stack.extend(children.get(current, ()))
        below[pk] = sorted(ids)
    return {
        "category_ids": below,
        "category_slugs": {slug: pk for pk, slug, _parent, _n in rows},
        "category_products": {pk: sum(own[i] for i in ids) for pk, ids in below.items()},
        "certifications": {code: pk for kind, pk, code, _parent, _n in both if kind == "certification"},
        "certification_products": {pk: n for kind, pk, _code, _parent, n in both if kind == "certification"},
        "country_products": {code: n for kind, _pk, code, _parent, n in both if kind == "country"},
        "visible": sum(own.values()),
    }


def _category_pk(value: str, found: dict) -> int | None:
    """The id a `category` filter (id or slug) names, by lookups()."""
    return int(value) if _is_id(value) else found["category_slugs"].get(value)


def category_ids(value: str, found: dict) -> list[int]:
    """The ids a `category` filter (id or slug) stands for, with its sub-categories; [] for none."""
    return found["category_ids"].get(_category_pk(value, found), [])


def _is_id(value) -> bool:
    # Ids are ASCII digits (at most 18, so never past a bigint; "³".isdigit() is true too);
    # anything else is a slug.
    return isinstance(value, int) or (value.isascii() and value.isdigit() and len(value) <= 18)


def active_collections(*, today=None):
    return Collection.objects.active(today=today)


def product_list(
    *,
    language: str,
    q: str = "",
    category: str = "",
    country: str = "",
    exporter: int | None = None,
    collection: str = "",
    certification: str = "",
    featured: bool | None = None,
    ordering: str = "",
    prefetched: dict | None = None,
    counts_memo: str = "",
):
    """Visible products as cards, filtered and ordered; see the API's `GET /products/`.
    `prefetched`: what the request already read from the cache (lookups(), a search's counts).
    `counts_memo`: the name a search's counts are kept under (catalogue.search.RankedSearch),
    one per query and filters; by default made from them (_product_list)."""
    filters = {
        "country": country,
        "exporter": exporter,
        "collection": collection,
        "featured": featured,
        "ordering": ordering,
    }
    if category or certification:
        found = lookups(prefetched)
        if category:
            filters["category_ids"] = category_ids(category, found)
        if certification:
            filters["certification_id"] = found["certifications"].get(certification)
        if filters.get("category_ids") == [] or (certification and filters["certification_id"] is None):
            return []  # a category or certification that does not exist: nothing to ask the database
    if connection.vendor == "postgresql" and not q.strip():
        return CardPage(language=language, estimate=_estimate(filters, category, prefetched), **filters)
    return _product_list(language=language, q=q, prefetched=prefetched, counts_memo=counts_memo, **filters)


# Orderings an index walks within one country (Product.Meta.indexes).
_COUNTRY_WALKS = ("", "-published_at", "-inquiry_count")


def _estimate(filters: dict, category: str, prefetched: dict | None) -> tuple[float, int] | None:
    """(about how many visible products the filters leave, how many products a walk in the
    page's order passes: every visible one, or the country's), taking the filters as
    independent; None when nothing filters. A single exporter, a collection or the featured
    products count as few."""
    if filters.get("exporter") is not None or filters.get("collection") or filters.get("featured"):
        return (0.0, 1)
    if filters.get("category_ids") is None and filters.get("certification_id") is None and not filters["country"]:
        return None
    found = lookups(prefetched)
    visible = max(found["visible"], 1)
    share = 1.0
    if filters.get("category_ids") is not None:
        share *= found["category_products"].get(_category_pk(category, found), 0) / visible
    if filters.get("certification_id") is not None:
        share *= found["certification_products"].get(filters["certification_id"], 0) / visible
    walked = visible
    if filters["country"]:
        in_country = found["country_products"].get(filters["country"].upper(), 0)
        share *= in_country / visible
        if filters.get("ordering", "") in _COUNTRY_WALKS:
            walked = max(in_country, 1)
    return (share * visible, walked)


def _filtered(
    *,
    category_ids: list[int] | None = None,
    country: str = "",
    exporter: int | None = None,
    collection: str = "",
    certification_id: int | None = None,
    featured: bool | None = None,
    today=None,
):
    """(visible products with the list's filters, the collection's items or None)."""
    products = visible_products()
    if category_ids is not None:
        # One array parameter on PostgreSQL: the same SQL whatever the number of categories.
        lookup = "category__any_of" if connection.vendor == "postgresql" else "category__in"
        products = products.filter(**{lookup: category_ids})
    if country:
        products = products.filter(origin_country_id=country.upper())
    if exporter is not None:
        products = products.filter(exporter_id=exporter)
    collection_items = None
    if collection:
        collection_items = CollectionItem.objects.filter(
            collection__in=Subquery(Collection.objects.active(today=today).filter(_id_or_slug(collection)).values("pk"))
        )
        products = products.filter(pk__in=Subquery(collection_items.values("product_id")))
    if certification_id is not None:
        products = products.filter(
            pk__in=Subquery(
                Product.certifications.through.objects.filter(certification_id=certification_id).values("product_id")
            )
        )
    if featured is not None:
        products = products.filter(is_featured=featured)
    return products, collection_items


def _product_list(
    *,
    language: str,
    q: str = "",
    ordering: str = "",
    today=None,
    prefetched=None,
    counts_memo="",
    by_index: bool = False,
    **filters,
):
    """The list's card rows. `by_index` (unsearched lists, for CardPage): the page's ids are
    chosen first, sliced with the slice marks (pti_bridge.db.SLICE_MARK), in an order that
    no column's index gives, so that PostgreSQL reads the filters' rows through their own
    indexes and sorts them; then the cards of those ids."""
    if q.strip() and not ordering and search.query_terms(q) and connection.vendor == "postgresql":
        name = counts_memo or f"search-counts:{q}:" + ":".join(f"{k}={filters[k]}" for k in sorted(filters))
        return search.RankedSearch(
            lambda: _filtered(today=today, **filters)[0],  # built only if the counts are not cached
            q,
            rows=card_rows,
            cached=lambda compute: cached_under_version("catalogue", name, compute, prefetched=prefetched),
            compiled=_SearchParts(filters, q).compiled,
        )
    products, collection_items = _filtered(today=today, **filters)
    if q.strip():
        products = search.search(products, q, rank=not ordering)
    keys = None
    if ordering == "name":
        keys = ("name_pinyin" if language.startswith("zh") else "name_en", "id")
    elif ordering:
        keys = ORDERINGS[ordering]
    elif collection_items is not None and not q.strip():
        position = collection_items.filter(product=OuterRef("pk")).values("position")[:1]
        products = products.annotate(collection_position=Subquery(position, output_field=IntegerField())).order_by(
            "collection_position", "-published_at", "-id"
        )
    elif not q.strip():
        keys = ORDERINGS["-published_at"]
    if keys is not None and by_index:
        chosen = products.order_by(*unindexed_ordering(keys, Product)).values("pk")[SLICE_MARK_START:SLICE_MARK_STOP]
        return card_rows(Product.objects.filter(pk__in=chosen).order_by(*keys))
    if keys is not None:
        products = products.order_by(*keys)
    if by_index:
        products = products[SLICE_MARK_START:SLICE_MARK_STOP]  # a collection's order: no index walks it anyway
    return card_rows(products)


# A list's SQL per shape (which filters, a collection's id or slug, ordering), made once per
# process with stand-ins for the request's values (pti_bridge.db.SqlTemplates). The code's own
# constants (statuses, the thumbnail's JSON key) are written into the SQL; the request's
# values stay parameters.
#
# The unsearched page's query runs as a prepared statement (pti_bridge/db.py), planned once
# per connection for any value: CardPage decides how it is read, walking the ordering's index
# (the first page, common filters) or through the filters' own indexes (rare filters), so the
# one plan of each way suits every value. Searches: catalogue.search.RankedSearch.
_SQL = SqlTemplates()
_STAND_INS = {  # the value each filter gets in the template, and the parameter it becomes
    "category_ids": ([7_000_000_001], [7_000_000_001]),
    "certification_id": (7_000_000_004, 7_000_000_004),
    "country": ("\x00PTI:COUNTRY\x00", "\x00PTI:COUNTRY\x00"),
    "exporter": (7_000_000_003, 7_000_000_003),
}
_COLLECTION_STAND_INS = {True: ("7000000002", 7_000_000_002), False: ("\x00pti:collection\x00",) * 2}
_TODAY_STAND_IN = datetime.date(1111, 11, 11)
_TSQUERY_STAND_IN = "\x00pti:tsquery\x00"


def _present(filters: dict, name: str) -> bool:
    value = filters.get(name)
    return value is not None if name in ("category_ids", "certification_id", "exporter") else bool(value)


def _stand_ins(filters: dict) -> tuple[tuple, dict, dict]:
    """(the shape of the filters, the stand-in arguments for _product_list, {name: the
    parameter each becomes}) of a request's filters."""
    present = tuple(name for name in _STAND_INS if _present(filters, name))
    collection_kind = _is_id(filters["collection"]) if filters.get("collection") else None
    arguments = {name: _STAND_INS[name][0] for name in present}
    params = {name: _STAND_INS[name][1] for name in present}
    if collection_kind is not None:
        arguments["collection"], params["collection"] = _COLLECTION_STAND_INS[collection_kind]
    params["today"] = _TODAY_STAND_IN
    return (present, collection_kind, filters.get("featured")), arguments, params


def _values(filters: dict) -> dict:
    """The request's values for the templates' placeholders."""
    values = {**filters, "today": timezone.localdate()}
    if values.get("country"):
        values["country"] = values["country"].upper()
    return values


def _fetch_cards(sql: str, params: list) -> list[dict]:
    """A page's card rows (dicts of CARD_VALUES), read with a prepared statement."""
    with prepared_cursor(dict_rows=True) as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for row in rows:
        if isinstance(row["thumbnail_rendition"], str):
            row["thumbnail_rendition"] = orjson.loads(row["thumbnail_rendition"])
    return rows


class CardPage:
    """The unsearched product list on PostgreSQL as the paginator reads it: `count()` and a
    slice of card rows (dicts of CARD_VALUES), the slice one prepared statement from SQL made
    once per shape of the request.

    `estimate`: (about how many products the filters leave, how many a walk passes: every
    visible one, or the country's), or None for no filter. A page is read by walking the
    ordering's index, testing each product, when that reads fewer rows than the filters'
    matches (about stop x walked / matches against matches), else through the filters'
    indexes (_product_list's `by_index`): a rare category walked in date order would read the
    whole catalogue for its few products."""

    ordered = True

    def __init__(self, *, language: str, estimate: tuple[float, int] | None = None, **filters):
        self.language, self.estimate = language, estimate
        self.filters = {"category_ids": None, "certification_id": None, **filters}

    def _queryset(self, **values):
        return _product_list(language=self.language, **{**self.filters, **values})

    def count(self) -> int:
        return self._queryset().count()

    def __len__(self) -> int:
        return self.count()

    def walks(self, stop: int) -> bool:
        if self.estimate is None:
            return True
        matches, walked = self.estimate
        return walk_is_cheaper(matches, stop, walked)

    def __getitem__(self, index):
        if isinstance(index, int):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        shape, arguments, params = _stand_ins(self.filters)
        ordering, walk = self.filters["ordering"], self.walks(stop)
        key = ("cards", walk, shape, ordering, self.language.startswith("zh") if ordering == "name" else None)

        def build():
            queryset = self._queryset(today=_TODAY_STAND_IN, by_index=not walk, **arguments)
            return queryset[SLICE_MARK_START:SLICE_MARK_STOP] if walk else queryset

        template = _SQL.get(key, build, params)
        # LIMIT and OFFSET written in: with them as parameters PostgreSQL cannot tell a page of
        # 20 from the whole table and plans for the worst.
        sql, values = SqlTemplates.bind(template, _values(self.filters), start=start, stop=stop)
        return _fetch_cards(sql, values)


class _SearchParts:
    """The parts of a ranked search's page (catalogue.search.RankedSearch) from SQL made once
    per shape of the request and part, prepared: RankedSearch decides how each part is read."""

    def __init__(self, filters: dict, query: str):
        self.filters, self.ts = filters, search.tsquery(search.query_terms(query))

    def compiled(self, part: str, make):
        shape, arguments, params = _stand_ins(self.filters)

        def build():
            products, _items = _filtered(today=_TODAY_STAND_IN, **{**self.filters, **arguments})
            return make(products, Value(_TSQUERY_STAND_IN), SLICE_MARK_START, SLICE_MARK_STOP)

        template = _SQL.get(("search", shape, part), build, {**params, "ts": _TSQUERY_STAND_IN})

        def fetch(start: int, stop: int) -> list[dict]:
            sql, values = SqlTemplates.bind(template, {**_values(self.filters), "ts": self.ts}, start=start, stop=stop)
            # Prepared: RankedSearch chose how the part is read, so one plan serves every term.
            return _fetch_cards(sql, values)

        return fetch


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


def category_product_counts(parents: dict[int, int | None], *, prefetched: dict | None = None) -> dict[int, int]:
    """{category id: visible products, those of its sub-categories included} of the tree
    `parents` ({category id: parent id}); the products per category are cached until the
    catalogue changes. `prefetched`: what the request already read from the cache."""
    own = cached_under_version(
        "catalogue",
        CATEGORY_COUNTS_MEMO,
        lambda: dict(visible_products().values_list("category").annotate(n=Count("id")).order_by()),
        prefetched=prefetched,
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


def countries(*, prefetched: dict | None = None) -> list[Country]:
    """Countries with visible products, with `product_count` (1 query, then cached until the
    catalogue changes: it counts every visible product). `prefetched`: as lookups()."""
    return cached_under_version("catalogue", COUNTRIES_MEMO, lambda: list(_countries()), prefetched=prefetched)


def _countries():
    visible = Q(products__status=Product.Status.PUBLISHED) & Q(
        products__exporter__verification_status=Exporter.VerificationStatus.VERIFIED
    )
    return (
        Country.objects.annotate(product_count=Count("products", filter=visible))
        .filter(product_count__gt=0)
        .order_by("name_en")
    )


def collections(*, today=None):
    """Active collections (on `today`, by default the current date) with their visible-product count (1 query)."""
    visible = Q(items__product__status=Product.Status.PUBLISHED) & Q(
        items__product__exporter__verification_status=Exporter.VerificationStatus.VERIFIED
    )
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
