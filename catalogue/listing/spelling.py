"""Near spellings of a Latin or pinyin word, from the catalogue's own words (the names of its
categories, countries and exporters, and of its newest products, with the pinyin of products
and categories), for the typos search forgives (vanila, cofee, kafie). Plain Python, so every
database agrees."""

import re
from collections import Counter

from django.db.models import Count

from catalogue.models import Category, Product
from catalogue.search import MAX_KEY, keys
from exporters.models import Country, Exporter
from pti_bridge.api.caching import cached_under_version
from pti_bridge.text import is_chinese

# The suffix changes with the value's shape, so a deploy never reads what older code cached.
WORDS_MEMO = "search-spellings:1"
# Near spellings tried per word, and the words too short to correct (tea is not a typo of tee).
CORRECTIONS = 3
SHORTEST_CORRECTED = 4
# Products whose names' words are read, the newest: a word buyers misspell is a common one,
# and reading every name costs seconds at 100,000 products.
NAMED_PRODUCTS = 5000


def vocabulary() -> dict[str, int]:
    """{word: published products it leads to}, cached under the catalogue's version."""
    return cached_under_version("catalogue", WORDS_MEMO, _words)


def _words() -> dict[str, int]:
    """{Latin or pinyin word: published products it leads to (of the newest NAMED_PRODUCTS for
    the products' own names)}, from the names of products, categories, countries and exporters
    (summaries aside)."""
    products = Product.objects.published()
    keys_seen: Counter = Counter()
    for name_keys in products.order_by("-published_at", "-id").values_list("search_name", flat=True)[:NAMED_PRODUCTS]:
        keys_seen.update(name_keys.split())  # a product's name keys are distinct
    words = Counter({key: count for key, count in keys_seen.items() if is_word(key)})
    for field, model, names in (
        ("category", Category, lambda c: keys(c.name_en) + keys(c.name_zh_hans, pinyin=True)),
        ("origin_country", Country, lambda c: keys(c.name_en)),
        ("exporter", Exporter, lambda e: keys(e.name)),  # the pinyin of a thousand names costs a second
    ):
        per_row = dict(products.values_list(field).annotate(n=Count("id")).order_by())
        for row in model.objects.filter(pk__in=per_row):
            for key in filter(is_word, names(row)):
                words[key] += per_row[row.pk]
    return dict(words)


def is_word(key: str) -> bool:
    """A Latin or pinyin word worth correcting to: three letters or more, with a vowel (not
    pinyin initials such as xcj, nor a number)."""
    return len(key) >= 3 and key.isascii() and key[0].isalpha() and bool(re.search("[aeiouv]", key))


def correctable(term: str) -> bool:
    return len(term) >= SHORTEST_CORRECTED and not is_chinese(term) and not term.isdigit()


def near_spellings(term: str, words: dict[str, int]) -> list[tuple[str, str]]:
    """Up to CORRECTIONS near spellings of a Latin or pinyin term: the `words`, or beginnings
    of them, within one edit (two for terms of 8 letters or more; a swap of two letters is one
    edit), the closest first, then the ones leading to the most products; each with the word
    it most often begins (tahiten: tahitensis). None when a word begins with the term."""
    term = term[:MAX_KEY]
    if not correctable(term) or any(word.startswith(term) for word in words):
        return []
    allowed = 1 if len(term) < 8 else 2
    found: dict[str, tuple[int, int, tuple[int, int, str]]] = {}
    for word, count in words.items():
        if len(word) < len(term) - allowed or (word[0] != term[0] and word[1] != term[1]):
            continue
        best = None
        for size in range(len(term) - allowed, min(len(word), len(term) + allowed) + 1):
            distance = edits(term, word[:size], allowed)
            if distance <= allowed and (best is None or distance <= best[0]):
                best = (distance, word[:size])
        if best:
            distance, spelling = best
            kept = found.get(spelling, (distance, 0, (0, 0, word)))
            whole = min(kept[2], (-count, len(word), word))
            found[spelling] = (min(kept[0], distance), kept[1] + count, whole)
    ranked = sorted(found.items(), key=lambda item: (item[1][0], -item[1][1], item[0]))
    return [(spelling, whole[2]) for spelling, (_distance, _count, whole) in ranked[:CORRECTIONS]]


def edits(a: str, b: str, limit: int) -> int:
    """The optimal string alignment distance of a and b (insertions, deletions, substitutions,
    swaps of neighbours), or limit + 1 when over limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before, row = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, row = row, current
    return min(row[-1], limit + 1)
