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

A query term meets keys (term_keys): a Latin or pinyin term any key it begins (``xc``
finds ``xcj``), a Chinese term of two or more characters each of its two-character pieces.
On PostgreSQL the keys are also GIN-indexed tsvector columns (`search_name_keys`,
`search_text_keys`, migration 0006); the name's keys are also in a btree index of the
newest published products (migration 0010), capped to fit its entries (NAME_KEYS_BYTES).
How the product list searches and ranks: catalogue.listing.
"""

from django.db.models import BooleanField, Func, Q
from pypinyin import lazy_pinyin

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


def term_keys(term: str) -> list[tuple[str, bool]]:
    """The keys a query term must all meet, each (key, as a prefix): a Chinese run of two or
    more characters, each of its two-character pieces; anything else, the keys it begins."""
    if is_chinese(term) and len(term) > 1:
        return [(term[i : i + 2], False) for i in range(len(term) - 1)]
    return [(term[:MAX_KEY], True)]


def tsquery(terms: list[str]) -> str:
    """PostgreSQL tsquery text for the terms (keys are plain letters, digits or Chinese,
    so quoting them needs no escaping)."""
    return " & ".join(f"'{key}':*" if prefix else f"'{key}'" for term in terms for key, prefix in term_keys(term))


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
