"""How a search's text becomes tiers of conditions on the search keys (listing.plan)."""

from catalogue import search
from catalogue.listing.plan import All, Key, SearchPlan, Tier


def plan(query: str) -> SearchPlan:
    """The products whose own names meet every term, then those whose other texts do."""
    terms = search.query_terms(query)
    if not terms:
        return SearchPlan(tiers=())
    match = All(tuple(All(tuple(Key(k, prefix=p) for k, p in search.term_keys(term))) for term in terms))
    return SearchPlan(tiers=(Tier("name", match), Tier("text", match)))
