"""The product list on PostgreSQL: the reference path's pages (listing.reference), read at a
cost that follows the page rather than the catalogue.

- A page's SQL is compiled once per shape of query (which filters, which tiers, which way
  it is read) with stand-ins for the values (Templates), and run as a prepared statement.
- How a page is read is decided here from cached counts, not by the planner: by walking the
  ordering's index and testing each row when matches are common (the page ends soon), else
  through the filters' or the search keys' own indexes, sorting what they find.
- A search reads tier by tier (tier i: its condition and none of the earlier ones'), each
  tier's part of the page walked or read through the GIN index of its keys.
"""

import datetime
import re

import orjson
from django.db import connection
from django.db.models import DateTimeField, F, Func, Q, Value
from django.utils import timezone
from django.utils.functional import cached_property

from catalogue.listing import reference
from catalogue.listing.lookups import estimate
from catalogue.listing.plan import TS_COLUMNS, SearchPlan, Tier, tsquery
from catalogue.listing.query import FILTERS, ListQuery
from catalogue.models import Product
from catalogue.search import KeysMatch
from catalogue.selectors import card_rows
from pti_bridge.api.negotiation import is_chinese_language
from pti_bridge.db import prepared_cursor

NEWEST = reference.NEWEST
TODAY_STAND_IN = datetime.date(1111, 11, 11)
# Slicing a template's queryset with these gives SQL whose LIMIT and OFFSET are written per
# call: as parameters, PostgreSQL cannot tell a page of 20 from the whole table.
SLICE_START, SLICE_STOP = 900_000_001, 909_000_003
SLICE_MARK = f"LIMIT {SLICE_STOP - SLICE_START} OFFSET {SLICE_START}"
_PLACEHOLDER = re.compile(r"%%|%s")


def inline_constants(sql: str, params: list, keep: set[int]) -> tuple[str, list[int]]:
    """`sql` with every parameter but those at positions `keep` written in as a literal, and
    the positions of the placeholders left: a prepared statement's one plan is only as good
    as a fresh one when PostgreSQL sees the code's constants (statuses, JSON keys)."""
    positions = iter(range(len(params)))
    left = []

    def replace(match):
        if match.group() == "%%":
            return "%%"
        position = next(positions)
        if position in keep:
            left.append(position)
            return "%s"
        # A literal's own "%" doubled, to stay literal for the cursor's placeholder parsing.
        return connection.ops.compose_sql("%s", [params[position]]).replace("%", "%%")

    return _PLACEHOLDER.sub(replace, sql), left


class Templates:
    """SQL compiled once per key from a queryset built with stand-ins for the request's values;
    the stand-ins become its placeholders, every other parameter is written in."""

    def __init__(self):
        self._made: dict = {}

    def get(self, key, build, stand_ins: dict) -> tuple[str, list[str], list]:
        """(SQL, the name of each placeholder, the stand-in of each) of `build()`;
        `stand_ins`: {name: the parameter it becomes}."""
        template = self._made.get(key)
        if template is None:
            sql, params = build().query.sql_with_params()
            slots = {}
            for index, param in enumerate(params):
                for name, stand_in in stand_ins.items():
                    if type(param) is type(stand_in) and param == stand_in:
                        slots[index] = name
            sql, left = inline_constants(sql, list(params), set(slots))
            template = self._made[key] = (sql, [slots[i] for i in left], [params[i] for i in left])
        return template

    @staticmethod
    def bind(template, values: dict, start: int | None = None, stop: int | None = None) -> tuple[str, list]:
        """(SQL, parameters) for the request's `values`; the page's LIMIT and OFFSET in place of
        the slice marks when `start` is given."""
        sql, names, stand_ins = template
        params = [int(values[n]) if isinstance(s, int) else values[n] for n, s in zip(names, stand_ins, strict=True)]
        if start is not None:
            sql = sql.replace(SLICE_MARK, f"LIMIT {int(stop - start)} OFFSET {int(start)}")
        return sql, params


TEMPLATES = Templates()


def fetch_cards(sql: str, params: list) -> list[dict]:
    """Card rows (selectors.CARD_VALUES), read with a prepared statement."""
    with prepared_cursor(dict_rows=True) as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for row in rows:
        if isinstance(row["thumbnail_rendition"], str):
            row["thumbnail_rendition"] = orjson.loads(row["thumbnail_rendition"])
    return rows


def walk_is_cheaper(matches: float, stop: int, total: int, walked_row_cost: float = 1.0) -> bool:
    """Whether rows 0:stop of `matches` among `total` cost less by walking an index in the
    page's order (about stop x total / matches rows, each `walked_row_cost` against a match
    read the other way) than by reading every match and sorting them."""
    return matches * matches > stop * total * walked_row_cost


class Unindexed(Func):
    """A column hidden from the planner's index matching (`published_at + interval '0
    seconds'`, `inquiry_count + 0`, `name_en || ''`): ordering by it makes PostgreSQL find the
    rows through a filter's index and sort them, not walk the column's index."""

    def __init__(self, name: str):
        field = Product._meta.get_field(name)
        if isinstance(field, DateTimeField):
            template = "(%(expressions)s + interval '0 seconds')"
        elif field.get_internal_type() in ("CharField", "TextField", "SlugField"):
            template = "(%(expressions)s || '')"
        else:
            template = "(%(expressions)s + 0)"
        super().__init__(F(name), template=template, output_field=field)


def unindexed(keys) -> list:
    """order_by() arguments with every column but the id Unindexed: the same order."""
    ordering = []
    for key in keys:
        name = key.lstrip("-")
        if name in ("id", "pk"):
            ordering.append(key)
        else:
            ordering.append(Unindexed(name).desc() if key.startswith("-") else Unindexed(name).asc())
    return ordering


def _stand_ins(values: dict) -> tuple[tuple, dict, dict]:
    """(the shape of the filters, their stand-in values, {name: the parameter each becomes})."""
    shape, arguments, params = [], {}, {"today": TODAY_STAND_IN}
    for each in FILTERS:
        if each.name not in values:
            continue
        if each.stand_in is None:
            arguments[each.name] = values[each.name]
        else:
            arguments[each.name], params[each.name] = each.stand_in(values[each.name])
        shape.append((each.name, repr(arguments[each.name])))
    return tuple(shape), arguments, params


def _bound(values: dict, extra: dict | None = None) -> dict:
    """The request's values for a template's placeholders."""
    return {**values, "today": timezone.localdate(), **(extra or {})}


class CardPage:
    """An unsearched list: its count, and its pages walked in the ordering's index when the
    filters leave many products, else read through the filters' own indexes and sorted."""

    def __init__(self, query: ListQuery, values: dict, found: dict | None, *, cached):
        self.query, self.values, self.cached = query, values, cached
        self.estimate = estimate(query, found)

    @staticmethod
    def counts_name(query: ListQuery) -> str:
        return f"list-count:{query.filter_name()}"

    def count(self) -> int:
        return self.cached(self.counts_name(self.query), lambda: reference.filtered(self.values).count())

    def walks(self, stop: int) -> bool:
        return self.estimate is None or walk_is_cheaper(self.estimate[0], stop, self.estimate[1])

    def rows(self, start: int, stop: int) -> list[dict]:
        shape, arguments, params = _stand_ins(self.values)
        walk, ordering = self.walks(stop), self.query.ordering
        name_order = is_chinese_language(self.query.language) if ordering == "name" else None
        key = ("cards", walk, shape, ordering, name_order)

        def build():
            products = reference.ordered(self.query, arguments, None, today=TODAY_STAND_IN)
            if walk:
                return card_rows(products)[SLICE_START:SLICE_STOP]
            keys = reference.ordering_keys(self.query)
            if keys is None:  # a collection's order: no index walks it anyway
                return card_rows(products)[SLICE_START:SLICE_STOP]
            chosen = products.order_by(*unindexed(keys)).values("pk")[SLICE_START:SLICE_STOP]
            return card_rows(Product.objects.filter(pk__in=chosen).order_by(*keys))

        template = TEMPLATES.get(key, build, params)
        return fetch_cards(*Templates.bind(template, _bound(self.values), start, stop))


def _tier_stand_ins(i: int) -> dict:
    return {f"ts{i}": f"\x00pti:ts{i}\x00", f"country{i}": f"\x00PTI:C{i}\x00", f"exporter{i}": 7_100_000_000 + i}


def tier_condition(tier: Tier, ts, country, exporter, *, indexed: bool) -> Q:
    """The tier as a Q on products, its keys' test through their GIN index or row by row."""
    condition = Q()
    if tier.match is not None:
        condition &= Q(KeysMatch(TS_COLUMNS[tier.field], ts, indexed=indexed))
    if tier.country:
        condition &= Q(origin_country_id=country)
    if tier.exporter is not None:
        condition &= Q(exporter_id=exporter)
    return condition


def _tier_values(plan: SearchPlan) -> dict:
    values = {}
    for i, tier in enumerate(plan.tiers):
        values[f"ts{i}"] = tsquery(tier.match) if tier.match is not None else ""
        values[f"country{i}"] = tier.country.upper()
        values[f"exporter{i}"] = tier.exporter or 0
    return values


def tier_part(base, plan_tiers, i: int, values: dict, *, indexed: bool):
    """Products of `base` in tier i: its condition, and none of the earlier tiers'."""

    def condition(j, indexed):
        return tier_condition(
            plan_tiers[j], Value(values[f"ts{j}"]), values[f"country{j}"], values[f"exporter{j}"], indexed=indexed
        )

    found = base.filter(condition(i, indexed))
    for j in range(i):
        found = found.exclude(condition(j, False))
    return found


class RankedSearch:
    """A search ranked by its plan's tiers, newest first within each: the tiers' counts (one
    query, cached), then each tier's part of the page walked or read through its index."""

    def __init__(self, query: ListQuery, values: dict, plan: SearchPlan, *, cached):
        self.query, self.values, self.plan, self.cached = query, values, plan, cached

    @staticmethod
    def counts_name(query: ListQuery) -> str:
        return f"list-tiers:{query.filter_name()}"

    @cached_property
    def counts(self) -> tuple:
        """(products in each tier, products searched)."""

        def compute():
            base = reference.filtered(self.values)
            values = _tier_values(self.plan)
            parts = [tier_part(base, self.plan.tiers, i, values, indexed=True) for i in range(len(self.plan.tiers))]
            compiled = [qs.order_by().values("pk").query.sql_with_params() for qs in [*parts, base]]
            sql = ", ".join(f"(SELECT COUNT(*) FROM ({part}) AS counted)" for part, _params in compiled)
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {sql}", [param for _part, params in compiled for param in params])
                return tuple(cursor.fetchone())

        return self.cached(self.counts_name(self.query), compute)

    def count(self) -> int:
        return sum(self.counts[:-1])

    def rows(self, start: int, stop: int) -> list[dict]:
        *tiers, searched = self.counts
        page, before = [], 0
        for i, matching in enumerate(tiers):
            first, last = max(start, before), min(stop, before + matching)  # the page's rows in this tier
            if first < last:
                page += self._read(i, matching, searched, first - before, last - before)
            before += matching
        return page

    def _walked_row_cost(self, i: int) -> float:
        # The first tier's name keys are walked in an index holding them (migration 0010),
        # without reading the table: a quarter of a match read the other way, as a margin.
        tier = self.plan.tiers[i]
        return 0.25 if i == 0 and tier.field == "name" and not tier.country and tier.exporter is None else 1.0

    def _read(self, i: int, matching: int, searched: int, start: int, stop: int) -> list[dict]:
        walk = walk_is_cheaper(matching, stop, searched, self._walked_row_cost(i))
        shape, arguments, params = _stand_ins(self.values)
        tiers = self.plan.tiers[: i + 1]
        tier_shape = tuple((t.field, t.match is not None, bool(t.country), t.exporter is not None) for t in tiers)
        stand_ins = {k: v for j in range(i + 1) for k, v in _tier_stand_ins(j).items()}

        def build():
            base = reference.filtered(arguments, today=TODAY_STAND_IN)
            found = tier_part(base, tiers, i, stand_ins, indexed=not walk)
            chosen = found.order_by(*(NEWEST if walk else unindexed(NEWEST))).values("pk")[SLICE_START:SLICE_STOP]
            return card_rows(Product.objects.filter(pk__in=chosen).order_by(*NEWEST))

        template = TEMPLATES.get(("search", shape, tier_shape, walk), build, {**params, **stand_ins})
        return fetch_cards(*Templates.bind(template, _bound(self.values, _tier_values(self.plan)), start, stop))


class OrderedSearch(reference.Listing):
    """A search in a chosen ordering: the reference path's query, the tiers' keys tested
    through their GIN indexes."""

    def _matching(self):
        values = _tier_values(self.plan)
        found = Q()
        for i, tier in enumerate(self.plan.tiers):
            found |= tier_condition(
                tier, Value(values[f"ts{i}"]), values[f"country{i}"], values[f"exporter{i}"], indexed=True
            )
        return reference.filtered(self.values).filter(found)

    def count(self) -> int:
        return self.cached(self.counts_name(self.query), lambda: self._matching().count())

    def rows(self, start: int, stop: int) -> list[dict]:
        return list(card_rows(self._matching().order_by(*reference.ordering_keys(self.query))[start:stop]))


def listing(query: ListQuery, values: dict, plan: SearchPlan | None, found: dict | None, *, cached):
    """The PostgreSQL path's reader of the query (count() and rows(start, stop))."""
    if plan is None:
        return CardPage(query, values, found, cached=cached)
    if query.ordering:
        return OrderedSearch(query, values, plan, cached=cached)
    return RankedSearch(query, values, plan, cached=cached)
