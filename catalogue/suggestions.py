"""Search suggestions: completions of what a buyer is typing (Chinese, English or pinyin).

A suggestion is the name of something that leads to visible products (published products
of verified exporters, `selectors.visible_products()`): a product, a category, a country or
an exporter, or a glossary term (`glossary`), in the request's language, ranked by how many
visible products it leads to. A term leads to the visible products whose names search finds
by it (`relevance.term_condition`: any of its forms); its pinyin completes it too.

A name completes the query when each of the query's terms (`search.query_terms`) begins one
of the name's search keys (`search.keys`: its words, and for Chinese its characters' pinyin
in full and as initials, from every syllable): ``van`` completes "Vanilla beans", ``xiangc``
and ``xc`` complete 香草荚. A Chinese term completes a name that contains it. The same rule
runs in Python on both databases; the database only narrows the products first, with the
product search's own name match (`relevance.exact` on the name keys), which finds the same
products on both.
"""

from functools import lru_cache

from django.db.models import Count

from catalogue import search, selectors
from catalogue.listing import relevance
from catalogue.listing.plan import All, Tier
from exporters.models import Exporter
from glossary import selectors as glossary
from pti_bridge.api.caching import cached_under_version

LIMIT = 10
KINDS = ("product", "category", "country", "exporter", "term")
# Product names read from the database per query, the most common first; the suggestions
# keep at most LIMIT of them.
PRODUCT_CANDIDATES = 50
# The suffix changes with the value's shape, so a deploy never reads what older code cached.
NAMES_MEMO = "suggestion-names:3"
# Glossary terms counted per query (one aggregate each).
TERMS_PER_QUERY = 50


def _keys(*names: str) -> tuple[list[str], str]:
    """The search keys of the names, and their Chinese text (for Chinese terms)."""
    keys = [key for name in names for key in search.keys(name, pinyin=True)]
    chinese = " ".join(search.normalise(name) for name in names)
    return keys, chinese


@lru_cache(maxsize=4096)
def _product_keys(english: str, chinese: str) -> tuple[list[str], str]:
    """_keys() of a product's name: names recur from query to query, their pinyin is made once."""
    return _keys(english, chinese)


def completes(terms: list[str], keys: list[str], chinese: str) -> bool:
    """True when every term begins one of `keys` (a Chinese term: appears in `chinese`)."""
    for term in terms:
        if search.is_chinese(term):
            if term not in chinese:
                return False
        elif not any(key.startswith(term[: search.MAX_KEY]) for key in keys):
            return False
    return True


def _names() -> list[tuple]:
    """(kind, English, Chinese, visible products, keys, Chinese text) of every category,
    country, exporter and glossary term that leads to a visible product."""
    rows = []
    for category in selectors.categories():
        if category.product_count:
            rows.append(("category", category.name_en, category.name_zh_hans, category.product_count))
    for country in selectors.countries():
        rows.append(("country", country.name_en, country.name_zh_hans, country.product_count))
    per_exporter = dict(selectors.visible_products().values_list("exporter").annotate(n=Count("id")).order_by())
    for exporter in Exporter.objects.filter(pk__in=per_exporter).only("pk", "name", "name_zh_hans"):
        rows.append(("exporter", exporter.name, exporter.name_zh_hans, per_exporter[exporter.pk]))
    rows = [(*row, *_keys(row[1], row[2])) for row in rows]
    return rows + _terms()


def _terms() -> list[tuple]:
    """The name rows of the glossary's active terms that lead to a visible product; their
    keys come from the English, the Chinese, the synonyms (海巴 completes to 诺丽) and the pinyin. The English text falls back to
    the Chinese for a term kept in Chinese only."""

    entries = glossary.entries()
    counts: dict[int, int] = {}
    for start in range(0, len(entries), TERMS_PER_QUERY):
        chunk = entries[start : start + TERMS_PER_QUERY]
        found = selectors.visible_products().aggregate(
            **{
                f"term_{entry.id}": Count(
                    "id", filter=relevance.keys_filter(Tier("name", relevance.term_condition(entry)))
                )
                for entry in chunk
            }
        )
        counts.update({entry.id: found[f"term_{entry.id}"] for entry in chunk})
    rows = []
    for entry in entries:
        if counts.get(entry.id):
            keys, chinese = _keys(*entry.forms, entry.pinyin)
            english = entry.term_en or entry.term_zh_hans
            rows.append(("term", english, entry.term_zh_hans, counts[entry.id], keys, chinese))
    return rows


def _product_names(terms: list[str]) -> list[tuple]:
    """(kind, English, Chinese, visible products of that name) of the products whose name
    matches the query as the product search matches names, the most common names first."""

    named = Tier("name", All(tuple(relevance.exact(term) for term in terms)))
    found = selectors.visible_products().filter(relevance.keys_filter(named))
    rows = (
        found.values_list("name_en", "name_zh_hans")
        .annotate(n=Count("id"))
        .order_by("-n", "name_en", "name_zh_hans")[:PRODUCT_CANDIDATES]
    )
    return [("product", english, chinese, count) for english, chinese, count in rows]


def suggestions(query: str, *, language: str) -> list[dict]:
    """Up to LIMIT `{"text", "kind"}` completions of `query`, the text in `language` (Chinese
    for zh-*, else English), the ones leading to the most visible products first. An empty
    query (nothing searchable in it) has none."""
    terms = search.query_terms(query)
    if not terms:
        return []
    chinese_wanted = (language or "").startswith("zh")
    named = cached_under_version("catalogue", NAMES_MEMO, _names)
    candidates = [row for row in named if completes(terms, row[4], row[5])]
    candidates += [row for row in _product_names(terms) if completes(terms, *_product_keys(row[1], row[2]))]
    # One suggestion per text: products of one name add up; across kinds the one leading to
    # more products stays (then the earlier kind).
    found: dict[tuple[str, str], dict] = {}
    for kind, english, chinese, count, *_ in candidates:
        text = chinese if chinese_wanted and chinese else english
        entry = found.setdefault((text.casefold(), kind), {"text": text, "kind": kind, "count": 0})
        entry["count"] += count
    best: dict[str, dict] = {}
    for (folded, _kind), entry in found.items():
        kept = best.get(folded)
        if kept is None or _rank(entry) < _rank(kept):
            best[folded] = entry
    ranked = sorted(best.values(), key=_rank)[:LIMIT]
    return [{"text": entry["text"], "kind": entry["kind"]} for entry in ranked]


def _rank(entry: dict) -> tuple:
    return (-entry["count"], KINDS.index(entry["kind"]), entry["text"].casefold(), entry["text"])
