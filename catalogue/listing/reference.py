"""The reference implementation of the product list: plain ORM, on every database. The
PostgreSQL path (listing.postgres) is an optimisation of it and must give the same pages."""

from django.db.models import Case, IntegerField, OuterRef, Q, Subquery, Value, When

from catalogue.listing.plan import SearchPlan, tier_q
from catalogue.listing.query import FILTERS, ListQuery, is_id
from catalogue.models import Collection, CollectionItem
from catalogue.selectors import card_rows, visible_products
from pti_bridge.api.negotiation import is_chinese_language

NEWEST = ("-published_at", "-id")


def ordering_keys(query: ListQuery) -> tuple | None:
    """The columns a chosen ordering sorts by (the id last, so pages are stable); None: the
    default (by relevance when searching, the collection's order, else the newest)."""
    if query.ordering == "name":
        return ("name_pinyin" if is_chinese_language(query.language) else "name_en", "id")
    if query.ordering == "-inquiry_count":
        return ("-inquiry_count", "-id")
    if query.ordering == "-published_at":
        return NEWEST
    return None


def filtered(values: dict, today=None):
    """Visible products meeting the filters (`values`: as lookups.resolved gives them)."""
    products = visible_products()
    for each in FILTERS:
        if each.name in values:
            products = products.filter(each.where(values[each.name], today))
    return products


def searched(products, plan: SearchPlan):
    """The products meeting any tier of the plan."""
    found = Q()
    for tier in plan.tiers:
        found |= tier_q(tier)
    return products.filter(found)


def ranked(products, plan: SearchPlan):
    """The plan's products, each in the first tier it meets, the newest first within a tier."""
    rank = Case(*(When(tier_q(tier), then=Value(i)) for i, tier in enumerate(plan.tiers)), output_field=IntegerField())
    return searched(products, plan).annotate(search_rank=rank).order_by("search_rank", *NEWEST)


def in_collection_order(products, collection, today=None):
    active = Collection.objects.active(today=today).filter(
        Q(pk=int(collection)) if is_id(collection) else Q(slug=collection)
    )
    position = CollectionItem.objects.filter(collection__in=Subquery(active.values("pk")), product=OuterRef("pk"))
    return products.annotate(
        collection_position=Subquery(position.values("position")[:1], output_field=IntegerField())
    ).order_by("collection_position", *NEWEST)


def ordered(query: ListQuery, values: dict, plan: SearchPlan | None, today=None):
    """The query's products in its order."""
    products = filtered(values, today)
    keys = ordering_keys(query)
    if plan is not None:
        return searched(products, plan).order_by(*keys) if keys else ranked(products, plan)
    if keys is None and "collection" in values:
        return in_collection_order(products, values["collection"], today)
    return products.order_by(*(keys or NEWEST))


class Listing:
    """The query's count and its rows start:stop as card rows (selectors.CARD_VALUES);
    `cached(name, compute)` keeps the count until the catalogue changes."""

    def __init__(self, query: ListQuery, values: dict, plan: SearchPlan | None, *, cached):
        self.query, self.values, self.plan, self.cached = query, values, plan, cached

    @staticmethod
    def counts_name(query: ListQuery) -> str:
        return f"list-count:{query.filter_name()}"

    def count(self) -> int:
        def compute():
            products = filtered(self.values)
            return (products if self.plan is None else searched(products, self.plan)).count()

        return self.cached(self.counts_name(self.query), compute)

    def rows(self, start: int, stop: int) -> list[dict]:
        return list(card_rows(ordered(self.query, self.values, self.plan)[start:stop]))
