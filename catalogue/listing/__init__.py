"""The catalogue's listing engine: product lists, searched or not, a page of cards at a time.

    page = listing.product_page(ListQuery(filters={"country": "FJ"}, search="香草", page=2))

The reference path (listing.reference, plain ORM) runs on every database; on PostgreSQL the
same pages come from listing.postgres, its optimisation. Search: listing.relevance makes a
query's plan (listing.plan), which both paths run.
"""

from dataclasses import dataclass

from django.db import connection

from catalogue.listing import postgres, reference, relevance
from catalogue.listing.lookups import LOOKUPS_MEMO, lookups, needs_lookups, resolved
from catalogue.listing.query import ListQuery
from pti_bridge.api.caching import cached_under_version

__all__ = ["ListQuery", "Page", "memo_names", "product_page"]


@dataclass(frozen=True)
class Page:
    """Card rows (catalogue.selectors.CARD_VALUES) of the page, how many products the query
    finds in all, and a near spelling to offer when the search found none ("" if none)."""

    rows: list
    count: int | None
    did_you_mean: str = ""


def _cached(name: str, compute):
    return cached_under_version("catalogue", name, compute)


def reader(query: ListQuery, values: dict, plan, found, *, cached=_cached, use_reference: bool = False):
    """What reads the query's count and rows: the PostgreSQL path there, else (or when
    `use_reference`) the reference path."""
    if connection.vendor == "postgresql" and not use_reference:
        return postgres.listing(query, values, plan, found, cached=cached)
    return reference.Listing(query, values, plan, cached=cached)


def product_page(
    query: ListQuery, *, plan=None, cached=_cached, use_reference: bool = False, counted: bool = True
) -> Page:
    """The query's page of cards. `plan`: the search's, if not relevance.plan(query.search);
    `cached(name, compute)`: where counts are kept (by default the cache, until the catalogue
    changes); `use_reference`: the ORM path on any database; `counted=False`: the rows only
    (the page's count is then None)."""
    if plan is None and query.searched:
        plan = relevance.plan(query.search)
    did_you_mean = plan.did_you_mean if plan is not None else ""
    found = lookups() if needs_lookups(query) else None
    values = resolved(query, found)
    if values is None or (plan is not None and not plan.tiers):
        return Page([], 0, did_you_mean)
    read = reader(query, values, plan, found, cached=cached, use_reference=use_reference)
    count = read.count() if counted else None
    # The first page is read even when the count says empty: the count may be a cached one.
    rows = read.rows(query.start, query.stop) if not counted or query.start < count or query.page == 1 else []
    return Page(rows, count, did_you_mean)


def memo_names(query: ListQuery, *, planned: bool = False) -> list[str]:
    """The cached values product_page(query) reads (a request reads them ahead in one round trip);
    `planned`: the search's plan is given, not read."""
    names = [LOOKUPS_MEMO] if needs_lookups(query) else []
    if query.searched and not planned:
        names.append(relevance.plan_memo(query.search))
    if connection.vendor != "postgresql":
        kind = reference.Listing
    elif query.searched:
        kind = postgres.OrderedSearch if query.ordering else postgres.RankedSearch
    else:
        kind = postgres.CardPage
    return [*names, kind.counts_name(query)]
