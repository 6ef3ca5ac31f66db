"""Search suggestions: completions of what a buyer is typing (Chinese, English or pinyin).

A suggestion is the name of something that leads to visible products (published products
of verified exporters, `selectors.visible_products()`): a product, a category, a country or
an exporter, or a glossary term (`glossary`), in the request's language, ranked by how many
visible products it leads to. A term leads to the visible products whose names search finds
by it (`relevance.term_condition`: any of its forms); its pinyin completes it too. A product
name counts among the newest PRODUCT_CANDIDATES products it matches: exact for a prefix that
matches no more than those, and a broad prefix is led by categories and terms anyway.

A name completes the query when each of the query's terms (`search.query_terms`) begins one
of the name's search keys (`search.keys`: its words, and for Chinese its characters' pinyin
in full and as initials, from every syllable): ``van`` completes "Vanilla beans", ``xiangc``
and ``xc`` complete 香草荚. A Chinese term completes a name that contains it. Product names
are found by the product search's own name match (`relevance.exact` on the name keys, the same
on both databases); the other names in an index each process builds once per catalogue
version (`NameIndex`), so neither costs more as the catalogue grows.
"""

from bisect import bisect_left
from collections import Counter

from django.db.models import Count

from catalogue import listing, search, selectors
from catalogue.listing import relevance
from catalogue.listing.plan import All, SearchPlan, Tier
from exporters.models import Exporter
from glossary import selectors as glossary
from pti_bridge.api.caching import cached_under_version, held_under_version
from pti_bridge.api.negotiation import is_chinese_language

LIMIT = 10
KINDS = ("product", "category", "country", "exporter", "term")
# Matching products whose names are read per query, the newest: the walk of a search's first
# page (20 products), whatever the catalogue's size.
PRODUCT_CANDIDATES = 20
# The suffix changes with the value's shape, so a deploy never reads what older code cached.
NAMES_MEMO = "suggestion-names:3"
# Glossary terms counted per query (one aggregate each).
TERMS_PER_QUERY = 50


def _keys(*names: str) -> tuple[list[str], str]:
    """The search keys of the names, and their text (where a Chinese term is looked for)."""
    return [key for name in names for key in search.keys(name, pinyin=True)], _text(*names)


def _text(*names: str) -> str:
    return " ".join(search.normalise(name) for name in names)


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


def _name_search(terms: list[str]) -> tuple[listing.ListQuery, SearchPlan]:
    """The product search for names the terms complete, as the listing engine runs it: one tier,
    the name match of the product search, newest first."""
    query = listing.ListQuery(search=" ".join(terms), page_size=PRODUCT_CANDIDATES)
    return query, SearchPlan((Tier("name", All(tuple(relevance.exact(term) for term in terms))),))


def _cached(name: str, compute):
    # Apart from the product list's counts for the same text, which come from another plan.
    return cached_under_version("catalogue", f"suggestions:{name}", compute)


def memo_names(query: str) -> list[str]:
    """The cached values suggestions(query) reads (a request reads them ahead in one round trip)."""
    terms = search.query_terms(query)
    if not terms:
        return []
    return [f"suggestions:{name}" for name in listing.memo_names(_name_search(terms)[0], planned=True)]


def _product_names(terms: list[str]) -> list[tuple]:
    """(kind, English, Chinese, products of that name) of the names of the newest products
    whose name completes the query. The product search's name match finds them (the same
    keys), but for a Chinese phrase, whose two-character pieces may lie apart there."""
    query, plan = _name_search(terms)
    page = listing.product_page(query, plan=plan, cached=_cached, counted=False)
    counts = Counter((row["name_en"], row["name_zh_hans"]) for row in page.rows)
    phrases = [term for term in terms if search.is_chinese(term) and len(term) > 1]
    return [
        ("product", english, chinese, count)
        for (english, chinese), count in counts.items()
        if all(phrase in _text(english, chinese) for phrase in phrases)
    ]


def _entries(rows, chinese: bool) -> list[list]:
    """One entry per text and kind of the rows (kind, English, Chinese, products, ...), its
    products summed: [-products, kind, folded text, text], which sorts best first."""
    entries: dict[tuple[str, str], list] = {}
    for kind, english, zh, count, *_ in rows:
        text = _shown(english, zh, chinese)
        folded = text.casefold()
        entry = entries.get((folded, kind))
        if entry is None:
            entries[folded, kind] = [-count, KINDS.index(kind), folded, text]
        else:
            entry[0] -= count
    return list(entries.values())


def _shown(english: str, zh: str, chinese: bool) -> str:
    return zh if chinese and zh else english


def _best(entries, limit: int) -> list[list]:
    """The first `limit` of the ranked entries, one per text (the best of its kinds)."""
    found, texts = [], set()
    for entry in entries:
        if entry[2] not in texts:
            texts.add(entry[2])
            found.append(entry)
            if len(found) == limit:
                break
    return found


class NameIndex:
    """The rows of _names() that complete a query (each term begins one of a row's keys; a
    Chinese term is in its text), found by bisecting the sorted keys and by the Chinese
    characters each row holds, not by reading every row; and their entries (_entries()) in
    each language, ranked once."""

    def __init__(self, rows: list[tuple]):
        self.rows = rows
        self.keys = sorted({(key, i) for i, row in enumerate(rows) for key in row[4]})
        self.characters: dict[str, set[int]] = {}
        for i, row in enumerate(rows):
            for character in row[5]:
                self.characters.setdefault(character, set()).add(i)
        self.ranked = {}  # {Chinese or not: (entries best first, each row's entry)}
        for chinese in (True, False):
            entries = sorted(_entries(rows, chinese))
            position = {(entry[2], entry[1]): e for e, entry in enumerate(entries)}
            of_row = [position[_shown(row[1], row[2], chinese).casefold(), KINDS.index(row[0])] for row in rows]
            self.ranked[chinese] = (entries, of_row)

    def best(self, terms: list[str], *, chinese: bool, limit: int) -> list[list]:
        """The first `limit` entries completing `terms`, best first, one per text."""
        found = None
        for term in terms:
            ids = self._holding(term) if search.is_chinese(term) else self._beginning(term[: search.MAX_KEY])
            found = ids if found is None else found & ids
            if not found:
                return []
        entries, of_row = self.ranked[chinese]
        return _best((entries[e] for e in sorted({of_row[i] for i in found})), limit)

    def _beginning(self, prefix: str) -> set[int]:
        ids, keys = set(), self.keys
        for position in range(bisect_left(keys, (prefix,)), len(keys)):
            key, i = keys[position]
            if not key.startswith(prefix):
                break
            ids.add(i)
        return ids

    def _holding(self, term: str) -> set[int]:
        ids = set.intersection(*(self.characters.get(character, set()) for character in term))
        return {i for i in ids if term in self.rows[i][5]}


def _name_index() -> NameIndex:
    return NameIndex(cached_under_version("catalogue", NAMES_MEMO, _names))


def suggestions(query: str, *, language: str) -> list[dict]:
    """Up to LIMIT `{"text", "kind"}` completions of `query`, the text in `language` (Chinese
    for zh-*, else English), the ones leading to the most visible products first; one per text
    (products of one name add up; across kinds the one leading to more products stays, then the
    earlier kind). An empty query (nothing searchable in it) has none."""
    terms = search.query_terms(query)
    if not terms:
        return []
    chinese = is_chinese_language(language)
    names = held_under_version("catalogue", NAMES_MEMO, _name_index).best(terms, chinese=chinese, limit=LIMIT)
    ranked = sorted(names + _entries(_product_names(terms), chinese))
    return [{"text": text, "kind": KINDS[kind]} for _count, kind, _folded, text in _best(ranked, LIMIT)]
