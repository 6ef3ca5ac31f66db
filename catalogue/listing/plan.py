"""A search as the listing engine runs it: tiers of conditions on the search keys, best first.

A product's search keys (catalogue.search: `search_name` for its own names, `search_text` for
everything it is found by) are space-separated words. A condition is a tree of `Key`s (one
key, or any key starting with it), `All` and `Any`. A search is a `SearchPlan`: its tiers in
rank order; a product ranks in the first tier it meets, newest first within a tier, and a
product meeting no tier is not found.

The same condition is written two ways, which must agree: as a PostgreSQL tsquery over the
GIN-indexed key columns (the engine's optimised path), and as LIKE tests over the padded key
text (the reference path, on every database).
"""

from dataclasses import dataclass

from django.db.models import F, Q, TextField, Value
from django.db.models.functions import Concat
from django.db.models.lookups import Contains

FIELDS = {"name": "search_name", "text": "search_text"}
TS_COLUMNS = {"name": "search_name_keys", "text": "search_text_keys"}


@dataclass(frozen=True)
class Key:
    """One search key (`prefix`: any key starting with it). Keys are lower-case letters, digits
    or Chinese characters only (catalogue.search.keys), so they need no quoting."""

    text: str
    prefix: bool = False


@dataclass(frozen=True)
class All:
    items: tuple


@dataclass(frozen=True)
class Any:
    items: tuple


Condition = Key | All | Any


@dataclass(frozen=True)
class Tier:
    """Products whose `field` keys ("name" or "text") meet `match` (None: no condition on the
    keys), from `country` (a code) and of `exporter` (an id) when given."""

    field: str = "text"
    match: Condition | None = None
    country: str = ""
    exporter: int | None = None


@dataclass(frozen=True)
class SearchPlan:
    """The tiers of a search, best first; `did_you_mean`: a near spelling of the query that
    finds products, offered when the query as typed finds none."""

    tiers: tuple[Tier, ...]
    did_you_mean: str = ""


def tsquery(match: Condition) -> str:
    """The condition as PostgreSQL tsquery text."""
    if isinstance(match, Key):
        return f"'{match.text}':*" if match.prefix else f"'{match.text}'"
    joiner = " & " if isinstance(match, All) else " | "
    return "(" + joiner.join(tsquery(item) for item in match.items) + ")"


def _padded(field: str):
    return Concat(Value(" "), F(FIELDS[field]), Value(" "), output_field=TextField())


def keys_q(field: str, match: Condition) -> Q:
    """The condition as a Q of LIKE tests on the padded key text (the reference path)."""
    if isinstance(match, Key):
        pattern = f" {match.text}" if match.prefix else f" {match.text} "
        return Q(Contains(_padded(field), Value(pattern)))
    parts = [keys_q(field, item) for item in match.items]
    combined = parts[0]
    for part in parts[1:]:
        combined = combined & part if isinstance(match, All) else combined | part
    return combined


def tier_q(tier: Tier) -> Q:
    """The tier as a Q on products (the reference path)."""
    condition = Q()
    if tier.match is not None:
        condition &= keys_q(tier.field, tier.match)
    if tier.country:
        condition &= Q(origin_country_id=tier.country.upper())
    if tier.exporter is not None:
        condition &= Q(exporter_id=tier.exporter)
    return condition
