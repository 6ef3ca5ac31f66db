"""Search over the published catalogue in Chinese, English and pinyin.

Each product keeps two denormalised columns, written by `Product.save()` through
`search_columns()`: `search_name` (keys made from the product's names) and
`search_text` (those plus the summaries, the exporter's, category's and country's
names). Both are space-separated keys, lower case:

- every run of Latin letters and digits (accents removed): ``vanilla``, ``0905``;
- every run of Chinese characters whole (``大溪地香草荚``), its overlapping two-character
  pieces (``大溪 溪地 地香 香草 草荚``) and its last character (``荚``);
- for names (product, exporter, category), the pinyin of each Chinese run from every
  syllable to the end, in full and as initials (``daxidixiangcaojia xidixiangcaojia
  ... xiangcaojia caojia jia`` and ``dxdxcj ... xcj cj j``).

On PostgreSQL a GIN index over `array_to_tsvector(string_to_array(search_text, ' '))`
(stored as the generated column `search_text_keys`, migration 0006) makes a query a few index look-ups whatever the catalogue's size: a
Latin or pinyin term is a prefix look-up (``xc:*`` finds ``xcj``), a Chinese term of two
or more characters the AND of its two-character pieces, a single character a prefix
look-up. Elsewhere (SQLite) each term is a substring test on `search_text`, which finds
the same products and more (e.g. the middle of an English word).

Results are ranked: products whose name matches every term first, then the newest. The
name's keys are also held in a btree index of the published products, newest first
(`product_newest_name_keys_idx`, migration 0010), so that a page of name matches can be
walked in that index alone; they are capped to fit its entries (NAME_KEYS_BYTES).
"""

from django.db import connection
from django.db.models import BooleanField, Case, Func, Q, Value, When
from django.utils.functional import cached_property
from pypinyin import lazy_pinyin

from pti_bridge.db import unindexed_ordering, walk_is_cheaper
from pti_bridge.text import CJK, CJK_RE, RUN_RE, is_chinese, normalise, pinyin, runs  # noqa: F401 - used as search.*

# Keys longer than this are cut; a query term is cut the same way, so prefixes still meet.
MAX_KEY = 32
MAX_TERMS = 8


def keys(text: str, *, pinyin: bool = False) -> list[str]:
    """The search keys of one text (see the module docstring)."""
    out = []
    for run in runs(text):
        out.append(run)
        if not is_chinese(run):
            continue
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
        out.append(run[-1])
        if pinyin:
            syllables = [s for s in lazy_pinyin(run) if s]
            for i in range(len(syllables)):
                full = "".join(syllables[i:])
                out.append(full if i == 0 else full[:MAX_KEY])
                out.append("".join(s[0] for s in syllables[i:])[:MAX_KEY])
    return out


def _unique(parts: list[str]) -> list[str]:
    return list(dict.fromkeys(part for part in parts if part))


# The name's keys are also stored in a btree index (migration 0010: the newest products with
# their name keys, walked without reading the table), whose entries PostgreSQL caps at 2,704
# bytes. So search_name keeps the keys whose tsvector fits in NAME_KEYS_BYTES, in the order
# made, and drops the rest: only a long Chinese name (over about 35 characters) loses some,
# the pinyin of its last syllables first. search_text keeps every key, so such a product is
# still found by them, ranked with the other matches rather than the name matches.
NAME_KEYS_BYTES = 2400


def capped_name_keys(name_keys: list[str]) -> list[str]:
    """The distinct keys, in order, as many as fit in NAME_KEYS_BYTES (see there): a tsvector
    without positions is an 8-byte header, then per key a 4-byte entry and its UTF-8 bytes."""
    kept, size = [], 8
    for key in _unique(name_keys):
        size += 4 + len(key.encode())
        if size > NAME_KEYS_BYTES:
            break
        kept.append(key)
    return kept


def search_columns(*, names: list[str], other_names: list[str], texts: list[str]) -> tuple[str, str]:
    """(search_name, search_text) for a product: its own names, names of what it belongs
    to (with pinyin), and plain texts (summaries, country names; no pinyin)."""
    name_keys = [key for name in names for key in keys(name, pinyin=True)]
    other_keys = [key for name in other_names for key in keys(name, pinyin=True)]
    text_keys = [key for text in texts for key in keys(text)]
    return " ".join(capped_name_keys(name_keys)), " ".join(_unique(name_keys + other_keys + text_keys))


def query_terms(query: str) -> list[str]:
    return runs(query)[:MAX_TERMS]


def tsquery(terms: list[str]) -> str:
    """PostgreSQL tsquery text for the terms (keys are plain letters, digits or Chinese,
    so quoting them needs no escaping)."""
    parts = []
    for term in terms:
        if is_chinese(term) and len(term) > 1:
            parts.extend(f"'{term[i : i + 2]}'" for i in range(len(term) - 1))
        else:
            parts.append(f"'{term[:MAX_KEY]}':*")
    return " & ".join(parts)


class KeysMatch(Func):
    """`<keys column> @@ <query>::tsquery` on one of the stored tsvector columns of migration
    0006 (`search_name_keys`, `search_text_keys`: the keys of `search_name` and `search_text`,
    kept by PostgreSQL and GIN-indexed), on the queryset's own Product table.

    `indexed=False` writes the same test as a function call, `ts_match_vq(<keys>, <query>)`,
    which no index answers: for a query that should walk another index (the newest
    products) and test each row, whatever the planner guesses of an unknown term."""

    output_field = BooleanField()

    def __init__(self, column: str, query, *, indexed: bool = True, **extra):
        if column not in ("search_name_keys", "search_text_keys"):
            raise ValueError(column)
        self.column, self.indexed = column, indexed
        super().__init__(query, **extra)

    def as_sql(self, compiler, connection, **extra):
        query_sql, query_params = compiler.compile(self.source_expressions[0])
        # The columns are PostgreSQL's own (no model field), so named against the alias of the
        # query's base table (catalogue_product, or U0 inside a subquery).
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        keys = f"{table}.{connection.ops.quote_name(self.column)}"
        if not self.indexed:
            return f"ts_match_vq({keys}, ({query_sql})::tsquery)", query_params
        return f"{keys} @@ ({query_sql})::tsquery", query_params


def search(queryset, query: str, *, rank: bool = True):
    """Filter a Product queryset by `query`; ranked (name matches first, then newest) unless
    rank is False. An empty query (nothing searchable in it) finds nothing."""
    terms = query_terms(query)
    if not terms:
        return queryset.none()
    if connection.vendor == "postgresql":
        queryset = queryset.filter(KeysMatch("search_text_keys", Value(tsquery(terms))))
    else:
        for term in terms:
            queryset = queryset.filter(search_text__contains=term)
    if not rank:
        return queryset
    return queryset.annotate(search_rank=Case(When(name_matches(query), then=Value(0)), default=Value(1))).order_by(
        "search_rank", "-published_at", "-id"
    )


class RankedSearch:
    """Search results ranked as `search()` ranks them (name matches first, then the newest),
    on PostgreSQL, a page at a time, at a cost that follows the page rather than the number
    of matches.

    Sorting every match by a rank expression reads them all before the first page. Here the
    name matches and the other matches are each their own query, the other matches read
    only for a page past the name matches. How each is read is decided here from the counts
    rather than by the planner (prefix terms and the NOT in the other matches' filter defeat
    its estimates; it once read a quarter of the catalogue for one page, or walked all of it
    for a handful of rows): by walking the newest products and testing each, when the
    matches are common enough for the page's end to come soon, else through the search
    index, sorting what it finds. The counts (all matches, name matches, and the products
    searched) come from one query, cached under the catalogue's version by the caller's
    `cached` function.

    Since the way is decided here, each part's SQL can be a prepared statement, planned once
    for any term (catalogue.selectors). Each part of a page is a function (base, tsquery,
    start, stop) -> card rows queryset. `compiled(part, make)`, when given, returns a function
    (start, stop) -> card rows that runs that part's SQL compiled once per shape of request;
    without it the part runs through the ORM. `base` may be a function returning the
    queryset: it is then built only if a part or the counts need it.
    """

    ordered = True

    def __init__(self, base, query: str, *, rows, cached, compiled=None):
        self._base, self.ts = base, Value(tsquery(query_terms(query)))
        self.rows, self.cached, self.compiled = rows, cached, compiled

    @cached_property
    def base(self):
        return self._base() if callable(self._base) else self._base

    @cached_property
    def _counts(self) -> tuple[int, int, int]:
        return self.counts()

    def counts(self) -> tuple[int, int, int]:
        """(all matches, name matches, products searched): one query, the matches each counted
        through its own index."""

        def compute():
            querysets = (matches(self.base, self.ts), name_matches_of(self.base, self.ts), self.base)
            parts = [qs.order_by().values("pk").query.sql_with_params() for qs in querysets]
            sql = ", ".join(f"(SELECT COUNT(*) FROM ({part}) AS counted)" for part, _params in parts)
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {sql}", [param for _part, params in parts for param in params])
                return tuple(cursor.fetchone())

        return self.cached(compute)

    def count(self) -> int:
        return self._counts[0]

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, int):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        total, names, searched = self._counts
        page = []
        if start < names:
            page += self._read("names", names, searched, start, min(stop, names))
        if stop > names:
            page += self._read("others", total - names, searched, max(start - names, 0), stop - names)
        return page

    def _read(self, part: str, matching: int, searched: int, start: int, stop: int) -> list:
        """Rows start:stop of a part, `matching` products of the `searched` matching it."""
        cheaper = walk_is_cheaper(matching, stop, searched, walked_row_cost=self.WALKED_ROW_COST[part])
        how = "walk" if cheaper else "index"
        make = getattr(self, f"_newest_{part}_{how}")
        if self.compiled is None:
            return list(make(self.base, self.ts, start, stop))
        return self.compiled(f"{part}-{how}", make)(start, stop)

    # What testing a walked row costs against reading a match through the search index (its
    # table row, then a sort). The name matches are walked in an index that holds the name's
    # keys (product_newest_name_keys_idx), without reading the table: measured at 10,000
    # products, about a tenth of a match read the other way; a quarter here, as a margin (a
    # row changed since the table's last vacuum is also checked in the table: with the 300
    # newest changed, a 香草 page's ids took 0.25 ms, not 0.21). The other matches' walk reads
    # the table's rows: about the cost of a match.
    WALKED_ROW_COST = {"names": 0.25, "others": 1.0}
    NEWEST = ("-published_at", "-id")

    def _page(self, base, found, ordering, start, stop):
        """The cards of rows start:stop of `found` in `ordering`: the page's ids first, then
        the cards of those ids only."""
        chosen = found.order_by(*ordering).values("pk")[start:stop]
        return self.rows(base.model.objects.filter(pk__in=chosen).order_by(*self.NEWEST))

    def _newest_names_walk(self, base, ts, start, stop):
        return self._page(base, name_matches_of(base, ts, indexed=False), self.NEWEST, start, stop)

    def _newest_names_index(self, base, ts, start, stop):
        return self._newest_by_index(base, name_matches_of(base, ts), start, stop)

    def _others(self, base, ts, *, indexed: bool):
        # Each match's own name keys are tested as its row is read: an anti-join with the name
        # matches would find them all first (at 100,000 products, 0.3 of the 0.7 ms of a page).
        return matches(base, ts, indexed=indexed).filter(~KeysMatch("search_name_keys", ts, indexed=False))

    def _newest_others_walk(self, base, ts, start, stop):
        return self._page(base, self._others(base, ts, indexed=False), self.NEWEST, start, stop)

    def _newest_others_index(self, base, ts, start, stop):
        return self._newest_by_index(base, self._others(base, ts, indexed=True), start, stop)

    def _newest_by_index(self, base, found, start, stop):
        # Sorted by an expression no index provides, so that the matches are read through the
        # search index.
        return self._page(base, found, unindexed_ordering(self.NEWEST, base.model), start, stop)


def matches(base, ts, *, indexed: bool = True):
    """Products of `base` whose search keys (names, summaries, what they belong to) match `ts`."""
    return base.filter(KeysMatch("search_text_keys", ts, indexed=indexed))


def name_matches_of(base, ts, *, indexed: bool = True):
    """Products of `base` whose own names' keys match `ts`."""
    return base.filter(KeysMatch("search_name_keys", ts, indexed=indexed))


def name_matches(query: str) -> Q:
    """Products whose own name (either language, or its pinyin) holds every term."""
    condition = Q()
    for term in query_terms(query):
        condition &= Q(search_name__contains=term)
    return condition


def sort_key(name: str) -> str:
    """A Chinese name's pinyin (香草荚 -> "xiang cao jia"), so ordering by name reads like a
    Chinese dictionary rather than by code point."""
    return " ".join(pinyin(name))


def refresh_search_columns(products, *, batch_size: int = 500) -> int:
    """Recompute the search columns of many products (after an exporter or a category is
    renamed; `manage.py catalogue_refresh_search` runs it over the whole catalogue)."""
    model = products.model
    count = 0
    batch = []
    for product in products.select_related("exporter", "category__parent", "origin_country").iterator(
        chunk_size=batch_size
    ):
        product.refresh_search()
        batch.append(product)
        if len(batch) >= batch_size:
            model.objects.bulk_update(batch, model.SEARCH_FIELDS)
            count += len(batch)
            batch = []
    if batch:
        model.objects.bulk_update(batch, model.SEARCH_FIELDS)
        count += len(batch)
    return count
