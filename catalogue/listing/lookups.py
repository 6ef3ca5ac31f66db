"""What the list's filters name, as ids, and how many visible products each has: read once
per catalogue version (cached), so that a filter is an id the database's statistics know and
a name that matches nothing is an empty page without a query."""

from django.db.models import BigIntegerField, Count, Value

from catalogue.listing.query import ListQuery, is_id
from catalogue.models import Category, Certification
from catalogue.selectors import visible_q
from exporters.models import Country
from pti_bridge.api.caching import cached_under_version

# The suffix changes with the value's shape, so a deploy never reads what older code cached.
LOOKUPS_MEMO = "lookups:4"


def lookups() -> dict:
    """{"category_ids": {id: ids of it and every category below}, "category_slugs": {slug: id},
    "category_products": {id: visible products, those below included}, "certifications":
    {code: id}, "certification_products": {id: n}, "country_products": {code: n}, "visible": n}."""
    return cached_under_version("catalogue", LOOKUPS_MEMO, _lookups)


def _lookups() -> dict:
    # One query for all three.
    visible = visible_q("products__")
    no_id = Value(None, output_field=BigIntegerField())
    categories = Category.objects.annotate(kind=Value("category"), n=Count("products", filter=visible)).values_list(
        "kind", "pk", "slug", "parent_id", "n"
    )
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


def needs_lookups(query: ListQuery) -> bool:
    return any(name in query.filters for name in ("category", "certification", "country"))


def category_pk(value, found: dict) -> int | None:
    return int(value) if is_id(value) else found["category_slugs"].get(value)


def resolved(query: ListQuery, found: dict | None) -> dict | None:
    """The query's filters as the SQL takes them (a category as its ids and those below it, a
    certification as its id); None when one names nothing, so nothing is found."""
    values = dict(query.filters)
    if "category" in values:
        values["category"] = found["category_ids"].get(category_pk(values["category"], found))
        if not values["category"]:
            return None
    if "certification" in values:
        values["certification"] = found["certifications"].get(values["certification"])
        if values["certification"] is None:
            return None
    return values


def estimate(query: ListQuery, found: dict | None) -> tuple[float, int] | None:
    """(about how many visible products the filters leave, how many a walk in the page's order
    passes: every visible one, or the country's), the filters taken as independent; None when
    nothing filters. An exporter, a collection or the featured products count as few."""
    filters = query.filters
    if "exporter" in filters or "collection" in filters or filters.get("featured"):
        return (0.0, 1)
    if found is None:
        return None
    visible = max(found["visible"], 1)
    share = 1.0
    if "category" in filters:
        share *= found["category_products"].get(category_pk(filters["category"], found), 0) / visible
    if "certification" in filters:
        certification = found["certifications"].get(filters["certification"])
        share *= found["certification_products"].get(certification, 0) / visible
    walked = visible
    if "country" in filters:
        in_country = found["country_products"].get(filters["country"], 0)
        share *= in_country / visible
        if query.ordering in ("", "-published_at", "-inquiry_count"):  # the country's own indexes walk these
            walked = max(in_country, 1)
    return (share * visible, walked)
