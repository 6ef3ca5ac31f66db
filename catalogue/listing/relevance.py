"""What a buyer's query means: its SearchPlan (catalogue.listing.plan), best tiers first.

1. A country or exporter the query names, as whole words (Chinese, English or pinyin): that
   country's or exporter's products matching the rest of the query.
2. The query as typed, on the product's own names, then on everything it is found by. A
   term that is a glossary term or synonym matches any of its forms (卡法胡椒 finds 卡瓦).
3. When those find fewer than FEW products: near matches. A Chinese phrase is matched by its
   characters and most of its two-character pieces (卡瓦粉 finds 卡瓦根粉), a Latin or pinyin
   word the catalogue does not hold by its near spellings (vanila finds vanilla); and when the
   query as typed finds nothing, `did_you_mean` names the near spelling that finds products.

A plan is cached under the catalogue's version, so a search pays one cache read. Building one
reads the places and the catalogue's words (both cached too) and counts matches through the
search keys' index.
"""

import re
from dataclasses import dataclass, replace
from functools import reduce
from itertools import combinations
from math import comb
from operator import or_

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from catalogue.listing import spelling
from catalogue.listing.plan import TS_COLUMNS, All, Any, Condition, Key, SearchPlan, Tier, tier_q, tsquery
from catalogue.models import Product
from catalogue.search import query_terms, term_keys
from exporters.models import Country, Exporter
from glossary import selectors as glossary
from pti_bridge.api.caching import cached_under_version
from pti_bridge.text import is_chinese, normalise, pinyin, runs

# Near matches are added when the query as typed finds fewer products than this (a page).
FEW = 20
# The suffixes change with the values' shapes, so a deploy never reads what older code cached.
PLAN_MEMO = "search-plan:1"
PLACES_MEMO = "search-places:1"
# Chinese phrases longer than this (a whole name pasted) have no near matches; a phrase's
# "most pieces" is any half of them while there are at most this many ways to choose.
LONGEST_NEAR_PHRASE = 12
MOST_PIECES_CHOICES = 20
# Words that end a company's name without naming it ("Nadi Bay Kava Traders" is "Nadi Bay Kava").
COMPANY_WORDS = {
    "co", "company", "corp", "corporation", "ltd", "limited", "inc", "pty", "llc", "group",
    "cooperative", "coop", "traders", "trading", "exporters", "exporter", "exports", "export",
}  # fmt: skip
COMPANY_ZH = ("股份有限公司", "有限公司", "公司", "合作社", "集团", "出口", "贸易")
# Other names buyers use for a country.
COUNTRY_ALIASES = {"PG": ("png", "巴新"), "FM": ("micronesia",), "SB": ("solomons",)}
# A particle between a place and what follows it: 斐济的卡瓦, 汤加产香草.
PARTICLES = "的产之"


@dataclass(frozen=True)
class Word:
    """A part of the query: its text, its condition as typed, and when it has near matches,
    the closer (`near`) and the looser (`loose`) of them."""

    text: str
    exact: Condition
    near: Condition | None = None
    loose: Condition | None = None
    spelled: str = ""  # the word of the best near spelling, for did_you_mean


def plan(query: str) -> SearchPlan:
    """The query's SearchPlan (see the module docstring); no tiers when nothing in it is searchable."""
    terms = query_terms(query)
    if not terms:
        return SearchPlan(tiers=())
    query = " ".join(query.split())
    return cached_under_version("catalogue", plan_memo(query), lambda: _plan(query, terms))


def plan_memo(query: str) -> str:
    """The cache name plan(query) keeps its plan under (a request reads it ahead)."""
    return f"{PLAN_MEMO}:{normalise(' '.join(query.split()))}"


def _plan(query: str, terms: list[str]) -> SearchPlan:
    place, named, rest, terms = _place(terms)
    words = _words(terms, as_typed=named)
    exact = _all(word.exact for word in words)
    tiers = []
    if place:
        rest_words = _words(rest, as_typed=set(rest))
        tiers.append(Tier("text", _all(word.exact for word in rest_words) if rest_words else None, **place))
    tiers += [Tier("name", exact), Tier("text", exact)]
    did_you_mean = ""
    if any(word.near for word in words):
        found = _found(tiers)
        if found < FEW:
            near = _all(word.near or word.exact for word in words)
            tiers += [Tier("name", near), Tier("text", near)]
            if any(word.loose for word in words):
                tiers.append(Tier("text", _all(word.loose or word.near or word.exact for word in words)))
        if found == 0:
            did_you_mean = _did_you_mean(query, words)
    return SearchPlan(tiers=tuple(dict.fromkeys(tiers)), did_you_mean=did_you_mean)


def _all(conditions) -> Condition:
    items = tuple(dict.fromkeys(conditions))
    return items[0] if len(items) == 1 else All(items)


def _any(conditions) -> Condition:
    items = tuple(dict.fromkeys(conditions))
    return items[0] if len(items) == 1 else Any(items)


def exact(term: str) -> Condition:
    """The term as typed (catalogue.search.term_keys)."""
    return _all(Key(key, prefix=prefix) for key, prefix in term_keys(term))


# Words: glossary forms, Chinese phrases, Latin words.


def _words(terms: list[str], as_typed=frozenset()) -> list[Word]:
    """The query's words: runs of terms that are a glossary form, then each other term (no
    near match for those `as_typed`: the names of places)."""
    forms = _glossary_forms()
    longest = max((len(form) for form in forms), default=1)
    words, i = [], 0
    while i < len(terms):
        for j in range(min(len(terms), i + longest), i, -1):
            matched = forms.get(tuple(terms[i:j]))
            if matched:
                words.append(Word(" ".join(terms[i:j]), _any(_form_condition(form) for form in matched)))
                i = j
                break
        else:
            words.append(Word(terms[i], exact(terms[i])) if terms[i] in as_typed else _word(terms[i]))
            i += 1
    return words


def _glossary_forms() -> dict[tuple, list[str]]:
    """Each glossary form (as query terms) -> every form of the entries it belongs to."""
    out: dict[tuple, list[str]] = {}
    for entry in glossary.entries():
        forms = _forms(entry)
        for name in {tuple(runs(form)) for form in [*forms, entry.pinyin]} - {()}:
            known = out.setdefault(name, [])
            known += [form for form in forms if form not in known]
    return out


def _forms(entry: glossary.Entry) -> list[str]:
    # Pinyin is typed with or without spaces; the products' keys hold it run together.
    joined = "".join(runs(entry.pinyin))
    return [*entry.forms, *([joined] if joined else [])]


def _form_condition(form: str) -> Condition:
    return _all(exact(term) for term in runs(form))


def term_condition(entry: glossary.Entry) -> Condition:
    """What searching a glossary term matches: any of its forms (English, Chinese, pinyin)."""
    return _any(_form_condition(form) for form in _forms(entry))


def _word(term: str) -> Word:
    if is_chinese(term):
        if not 2 <= len(term) <= LONGEST_NEAR_PHRASE:
            return Word(term, exact(term))
        return Word(term, exact(term), near=_close(term), loose=_partial(term))
    spellings = spelling.near_spellings(term, spelling.vocabulary()) if spelling.correctable(term) else []
    if not spellings:
        return Word(term, exact(term))
    near = _any([exact(term), *(Key(spelling, prefix=True) for spelling, _word in spellings)])
    return Word(term, exact(term), near=near, spelled=spellings[0][1])


def _characters(term: str) -> list[Key]:
    # A character begins a key wherever it stands: each starts a two-character piece or ends its run.
    return [Key(ch, prefix=True) for ch in dict.fromkeys(term)]


def _most_pieces(term: str) -> Condition:
    """At least half of the term's two-character pieces; of a longer term (more than
    MOST_PIECES_CHOICES ways to choose them), half of them next to each other."""
    pieces = list(dict.fromkeys(term[i : i + 2] for i in range(len(term) - 1)))
    needed = (len(pieces) + 1) // 2
    if comb(len(pieces), needed) <= MOST_PIECES_CHOICES:
        chosen = combinations(pieces, needed)
    else:
        chosen = (pieces[i : i + needed] for i in range(len(pieces) - needed + 1))
    return _any(_all(Key(piece) for piece in group) for group in chosen)


def _close(term: str) -> Condition:
    """Every character and most pieces: 卡瓦粉 in 卡瓦根粉."""
    if len(term) < 3:
        return _all(_characters(term))
    return _all([*_characters(term), _most_pieces(term)])


def _partial(term: str) -> Condition:
    """Every character, or most pieces."""
    if len(term) < 3:
        return _all(_characters(term))
    return _any([_all(_characters(term)), _most_pieces(term)])


# Places and companies.


def _place(terms: list[str]) -> tuple[dict, set[str], list[str], list[str]]:
    """({"country": code} and/or {"exporter": id} the query names, the terms naming them, the
    other terms, and the terms with a Chinese place split from what follows it)."""
    latin, chinese = cached_under_version("catalogue", PLACES_MEMO, _places)
    named: dict = {}
    names: set[str] = set()
    rest: list[str] = []
    split: list[str] = []
    i = 0
    while i < len(terms):
        term = terms[i]
        if is_chinese(term):
            hit = next(((name, place) for name, place in chinese if term.startswith(name)), None)
            if hit and hit[1][0] not in named:
                name, (kind, value) = hit
                named[kind] = value
                after = term[len(name) :].lstrip(PARTICLES)
                names.add(name)
                split.append(name)
                if after:
                    rest.append(after)
                    split.append(after)
            else:
                rest.append(term)
                split.append(term)
            i += 1
            continue
        for j in range(min(len(terms), i + 6), i, -1):
            window = terms[i:j]
            place = latin.get("".join(window)) if not any(map(is_chinese, window)) else None
            if place and place[0] not in named:
                named[place[0]] = place[1]
                names.update(window)
                split += window
                i = j
                break
        else:
            rest.append(term)
            split.append(term)
            i += 1
    return named, names, rest, split


def _names_of_exporter(english: str, chinese: str) -> tuple[set[str], set[str]]:
    """The joined Latin forms and the Chinese forms of a company's name, with and without its
    trailing company words."""
    words = runs(english)
    latin = {"".join(words)}
    while words and words[-1] in COMPANY_WORDS:
        words = words[:-1]
        if len(words) >= 2:
            latin.add("".join(words))
    chinese = normalise(chinese).strip()
    zh = {chinese} if chinese else set()
    while chinese:
        ending = next((word for word in COMPANY_ZH if chinese.endswith(word)), None)
        if not ending or len(chinese) - len(ending) < 3:
            break
        chinese = chinese[: -len(ending)]
        zh.add(chinese)
    return latin, zh


# The places the catalogue holds.


def _places() -> tuple[dict, list]:
    """(joined Latin form -> (kind, value), [(Chinese form, (kind, value))] longest first) of
    the countries and exporters with published products."""
    products = Product.objects.published()
    latin: dict = {}
    chinese: dict = {}
    countries = products.values_list("origin_country", flat=True).distinct().order_by()
    for country in Country.objects.filter(pk__in=countries):
        place = ("country", country.code)
        for form in (country.name_en, "".join(pinyin(country.name_zh_hans)), *COUNTRY_ALIASES.get(country.code, ())):
            if is_chinese(form):
                chinese.setdefault(form, place)
            elif runs(form):
                latin.setdefault("".join(runs(form)), place)
        if country.name_zh_hans:
            chinese.setdefault(normalise(country.name_zh_hans), place)
    exporters = products.values_list("exporter", flat=True).distinct().order_by()
    for exporter in Exporter.objects.filter(pk__in=exporters):
        english, zh = _names_of_exporter(exporter.name, exporter.name_zh_hans)
        for form in english:
            latin.setdefault(form, ("exporter", exporter.pk))
        for form in zh:
            chinese.setdefault(form, ("exporter", exporter.pk))
    return latin, sorted(chinese.items(), key=lambda item: (-len(item[0]), item[0]))


def _did_you_mean(query: str, words: list[Word]) -> str:
    """The query with each misspelt word replaced by the word of its best near spelling, when
    that finds products; else ""."""
    spelled = [word for word in words if word.spelled]
    if not spelled:
        return ""
    corrected = [Key(word.spelled, prefix=True) if word.spelled else word.exact for word in words]
    if not _found([Tier("text", _all(corrected))]):
        return ""
    text = normalise(query).strip()
    for word in spelled:
        text = re.sub(rf"(?<![a-z0-9]){re.escape(word.text)}(?![a-z0-9])", word.spelled, text, count=1)
    return " ".join(text.split())


# Matching products while building a plan (and for suggestions).


def _found(tiers: list[Tier]) -> int:
    """How many published products the tiers find. Counted whole: with a LIMIT, PostgreSQL
    may walk the table hoping for early matches of a word that has none."""
    return Product.objects.published().filter(reduce(or_, (keys_filter(tier) for tier in tiers))).count()


def keys_filter(tier: Tier) -> Q:
    """The tier as a Q on products: through the search keys' index on PostgreSQL, the
    reference LIKE tests elsewhere."""
    if connection.vendor != "postgresql" or tier.match is None:
        return tier_q(tier)
    column = f"catalogue_product.{TS_COLUMNS[tier.field]}"
    keys_match = RawSQL(f"{column} @@ %s::tsquery", [tsquery(tier.match)], output_field=BooleanField())
    return tier_q(replace(tier, match=None)) & Q(keys_match)
