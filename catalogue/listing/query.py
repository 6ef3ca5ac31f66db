"""What a product list asks for: a typed query, and its filters declared once (FILTERS).

Each filter's row gives its API parameter (validation and the OpenAPI schema), the condition
it puts on the products (the SQL of both paths) and the stand-in its value takes in the
PostgreSQL path's compiled SQL; a query's cache names are made from the same rows.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q, Subquery
from rest_framework import serializers

from catalogue.models import Collection, CollectionItem, Product
from pti_bridge.api.parameters import QueryTextField, reusable

ORDERINGS = ("-published_at", "name", "-inquiry_count")
DEFAULT_PAGE_SIZE = 20


def is_id(value) -> bool:
    """Ids are ASCII digits (at most 18, so never past a bigint; "³".isdigit() is true too)."""
    return isinstance(value, int) or (value.isascii() and value.isdigit() and len(value) <= 18)


def _categories(ids, today) -> Q:
    # One array parameter on PostgreSQL: the same SQL whatever the number of categories.
    return Q(category__any_of=ids) if connection.vendor == "postgresql" else Q(category__in=ids)


def _collection(value, today) -> Q:
    active = Collection.objects.active(today=today).filter(Q(pk=int(value)) if is_id(value) else Q(slug=value))
    items = CollectionItem.objects.filter(collection__in=Subquery(active.values("pk")))
    return Q(pk__in=Subquery(items.values("product_id")))


def _certification(certification_id, today) -> Q:
    through = Product.certifications.through.objects.filter(certification_id=certification_id)
    return Q(pk__in=Subquery(through.values("product_id")))


@dataclass(frozen=True)
class Filter:
    """One filter of the list. `parameter`: the API's field; `where(value, today)`: its
    condition on products, the value as lookups.resolved gives it; `stand_in(value)`: (the
    value standing for any such value in SQL compiled once (listing.postgres), the parameter
    it becomes there), or None to write the value itself into that SQL."""

    name: str
    parameter: Callable[[], serializers.Field]
    where: Callable
    stand_in: Callable | None = None


def _same(stand_in):
    return lambda value: (stand_in, stand_in)


FILTERS = (
    Filter(
        "category",
        lambda: QueryTextField(max_length=80, help_text="Category id or slug; includes its sub-categories."),
        _categories,
        _same([7_000_000_001]),
    ),
    Filter(
        "country",
        lambda: serializers.RegexField(
            r"^[A-Za-z]{2}$", required=False, allow_blank=True, help_text="ISO code of the origin country, e.g. FJ."
        ),
        lambda code, today: Q(origin_country_id=code),
        _same("\x00PTI:COUNTRY\x00"),
    ),
    Filter(
        "exporter",
        lambda: serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1, help_text="Exporter id."),
        lambda pk, today: Q(exporter_id=pk),
        _same(7_000_000_003),
    ),
    Filter(
        "collection",
        lambda: QueryTextField(max_length=80, help_text="Collection slug (or id)."),
        _collection,
        lambda value: ("7000000002", 7_000_000_002) if is_id(value) else ("\x00pti:collection\x00",) * 2,
    ),
    Filter(
        "certification",
        lambda: QueryTextField(max_length=40, help_text="Certification code, e.g. organic."),
        _certification,
        _same(7_000_000_004),
    ),
    Filter(
        "featured",
        lambda: serializers.BooleanField(required=False, allow_null=True, default=None),
        lambda featured, today: Q(is_featured=featured),
    ),
)
FILTER_NAMES = tuple(f.name for f in FILTERS)


def _query_serializer_class():
    fields = {
        "q": QueryTextField(
            max_length=100, help_text="Search: Chinese, English or pinyin (香草, vanilla, xiangcao, xc)."
        ),
        **{f.name: f.parameter() for f in FILTERS},
        "ordering": serializers.ChoiceField(
            choices=list(ORDERINGS),
            required=False,
            allow_blank=True,
            help_text="Default: relevance when searching (best matches first, then the newest), else -published_at.",
        ),
    }
    doc = "The product list's filters (all optional, combined with AND)."
    return type("ProductListQuerySerializer", (serializers.Serializer,), {**fields, "__doc__": doc})


ProductListQuerySerializer = _query_serializer_class()


@dataclass(frozen=True)
class ListQuery:
    """A page of the product list: `filters` ({name of FILTERS: value}, only those given),
    `search` (the buyer's text), `ordering` (ORDERINGS or "": by relevance when searching,
    else the newest first), the page (from 1) and its size, and the language of the cards."""

    filters: dict = field(default_factory=dict)
    search: str = ""
    ordering: str = ""
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    language: str = "zh-hans"

    @property
    def start(self) -> int:
        return (self.page - 1) * self.page_size

    @property
    def stop(self) -> int:
        return self.page * self.page_size

    @property
    def searched(self) -> bool:
        return bool(self.search.strip())

    def filter_name(self) -> str:
        """The filters and search as text, in FILTERS' order: what a count is cached under."""
        parts = tuple((name, self.filters[name]) for name in FILTER_NAMES if name in self.filters)
        return repr((parts, self.search if self.searched else ""))  # repr: no value can pass for another


_VALIDATOR = reusable(ProductListQuerySerializer())


def parse(params, *, language: str, page: int = 1, page_size: int = DEFAULT_PAGE_SIZE) -> ListQuery:
    """The ListQuery of an API request's parameters; a ValidationError naming a bad one."""
    valid = _VALIDATOR.run_validation(params)
    filters = {}
    for name in FILTER_NAMES:
        value = valid.get(name)
        if value is None or value == "":
            continue
        filters[name] = value.upper() if name == "country" else value
    return ListQuery(
        filters=filters,
        search=valid.get("q", ""),
        ordering=valid.get("ordering", ""),
        page=page,
        page_size=page_size,
        language=language,
    )
