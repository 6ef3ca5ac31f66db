"""A product's page (`GET /api/v1/products/<id>/`) as plain rows and one hand-written mapping.

The page is the card (catalogue.serializers.card_from_row) plus DETAIL_FIELDS; a field is one
line there, and the columns to read follow from it. On PostgreSQL the product, its photos and
its certifications are one prepared statement compiled once; elsewhere three ORM reads (the
reference path, which tests hold the other to).
"""

import datetime
from types import SimpleNamespace

import orjson
from django.contrib.postgres.aggregates import JSONBAgg
from django.db import connection
from django.db.models import JSONField, OuterRef, Subquery
from django.db.models.functions import JSONObject
from django.http import Http404
from rest_framework import serializers

from catalogue.listing.postgres import Templates
from catalogue.models import Certification, ProductImage
from catalogue.selectors import CARD_VALUES, visible_products, with_thumbnail
from catalogue.serializers import card_from_row, logo, rendition
from exporters.models import Exporter
from pti_bridge.db import prepared_cursor

_SQL = Templates()
_JSON_COLUMNS: dict = {}  # key: the template's JSON columns (psycopg reads them as text, as Django has it)


def compiled_rows(key, build, values: dict) -> list[dict]:
    """The rows of `build(**values)`, a `.values()` queryset: on PostgreSQL from its SQL
    compiled once per `key` with stand-ins for `values` (listing.postgres.Templates, as the
    list's pages) and run prepared; elsewhere the ORM's. Building and compiling a queryset
    costs more than PostgreSQL takes to answer these reads. JSON columns come back decoded."""
    if connection.vendor != "postgresql":
        return list(build(**values))
    stand_ins = {name: _stand_in(value) for name, value in values.items()}

    def template():
        queryset = build(**stand_ins)
        _JSON_COLUMNS[key] = [
            name
            for name, expression in queryset.query.annotations.items()
            if isinstance(getattr(expression, "output_field", None), JSONField)
        ] + [name for name in queryset.query.values_select if isinstance(_field(queryset.model, name), JSONField)]
        return queryset

    sql, params = Templates.bind(_SQL.get(key, template, stand_ins), values)
    with prepared_cursor(dict_rows=True) as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for row in rows:
        for name in _JSON_COLUMNS[key]:
            if isinstance(row[name], str):
                row[name] = orjson.loads(row[name])
    return rows


def _field(model, path: str):
    """The model field a `.values()` path ("exporter__logo_renditions") reads."""
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return model._meta.get_field(name)


def _stand_in(value):
    """A value no request sends, of `value`'s type, for a template's placeholder."""
    if isinstance(value, datetime.date):
        return datetime.date(1111, 11, 11)
    if isinstance(value, int):
        return 7_000_000_101
    return "\x00pti:stand-in\x00"


# --- the page's fields, after the card's -------------------------------------------------------

_as_datetime = serializers.DateTimeField()  # DRF's own format, as the schema's serializer writes it


def translated(row: dict, english: str, chinese: str, zh: bool) -> str:
    """The Chinese text when wanted and written, else the English (TranslatedField's rule)."""
    return (row[chinese] if zh and row[chinese] else row[english]) or ""


def _text(english: str, chinese: str):
    def text(row, zh):
        return translated(row, english, chinese, zh)

    text.columns = (english, chinese)
    return text


def _column(name: str):
    def value(row, zh):
        return row[name]

    value.columns = (name,)
    return value


def _images(row, zh) -> list[dict]:
    images = []
    for image in row["image_rows"] or ():  # shown ones, in order
        detail = rendition(image["renditions"], "detail")
        if detail is not None:  # not made yet: a phone never gets the original
            alt = translated(image, "alt_text", "alt_text_zh_hans", zh)
            images.append({**detail, "alt": alt, "zoom": rendition(image["renditions"], "zoom")})
    return images


_images.columns = ()


def _certifications(row, zh) -> list[dict]:
    return [{"code": c["code"], "name": _name(c, zh)} for c in row["certification_rows"] or ()]


_certifications.columns = ()


def _published_at(row, zh):
    value = row["published_at"]
    return None if value is None else _as_datetime.to_representation(value)


_published_at.columns = ("published_at",)
_name = _text("name_en", "name_zh_hans")
_exporter_country = _text("exporter__country__name_en", "exporter__country__name_zh_hans")

# The page's fields after the card's, in the schema's order (ProductDetailSerializer): output
# name -> function (row, Chinese wanted) with the `columns` it reads.
DETAIL_FIELDS = {
    "description": _text("description_en", "description_zh_hans"),
    "images": _images,
    "hs_code": _column("hs_code"),
    "packaging": _text("packaging", "packaging_zh_hans"),
    "shelf_life": _text("shelf_life", "shelf_life_zh_hans"),
    "supply_capacity": _text("supply_capacity", "supply_capacity_zh_hans"),
    "lead_time": _text("lead_time", "lead_time_zh_hans"),
    "certifications": _certifications,
    "market_access": _text("market_access_en", "market_access_zh_hans"),
    "published_at": _published_at,
}
# The exporter's card on the page (ExporterCardSerializer), in place of the product card's.
EXPORTER_VALUES = (
    "exporter__country_id",
    "exporter__country__name_en",
    "exporter__country__name_zh_hans",
    "exporter__logo",
    "exporter__logo_renditions",
    "exporter__verification_status",
    "exporter__gacc_registration_number",
)
DETAIL_VALUES = tuple(
    dict.fromkeys([*CARD_VALUES, *EXPORTER_VALUES, *(column for f in DETAIL_FIELDS.values() for column in f.columns)])
)


def _exporter(row, zh: bool, card: dict) -> dict:
    """ExporterCardSerializer's fields, from the product card's exporter (`card`) and the row."""
    return {
        **card,
        "country": {"code": row["exporter__country_id"], "name": _exporter_country(row, zh)},
        "logo": logo(SimpleNamespace(logo=row["exporter__logo"], logo_renditions=row["exporter__logo_renditions"])),
        "verified": row["exporter__verification_status"] == Exporter.VerificationStatus.VERIFIED,
        "gacc_registration_number": row["exporter__gacc_registration_number"],
    }


def product_page(row: dict, zh: bool) -> dict:
    """The page's JSON of a row of product_row()."""
    page = card_from_row(row, zh)
    page["exporter"] = _exporter(row, zh, page["exporter"])
    for name, field in DETAIL_FIELDS.items():
        page[name] = field(row, zh)
    return page


# --- reading the row ------------------------------------------------------------------------


def _shown_images():
    return ProductImage.objects.shown().order_by("position", "id")


def _certifications_of():
    return Certification.objects.order_by("name_en", "id")


def _one_query(pk: int):
    """The product with its photos and certifications as JSON arrays (PostgreSQL)."""
    images = (
        _shown_images()
        .filter(product=OuterRef("pk"))
        .order_by()  # the aggregate orders them
        .values("product")
        .annotate(
            json=JSONBAgg(
                JSONObject(renditions="renditions", alt_text="alt_text", alt_text_zh_hans="alt_text_zh_hans"),
                order_by=("position", "id"),
            )
        )
        .values("json")
    )
    certifications = (
        _certifications_of()
        .filter(products=OuterRef("pk"))
        .order_by()
        .values("products")
        .annotate(
            json=JSONBAgg(
                JSONObject(code="code", name_en="name_en", name_zh_hans="name_zh_hans"), order_by=("name_en", "id")
            )
        )
        .values("json")
    )
    return with_thumbnail(
        visible_products()
        .filter(pk=pk)
        .annotate(
            image_rows=Subquery(images, output_field=JSONField()),
            certification_rows=Subquery(certifications, output_field=JSONField()),
        )
    ).values(*DETAIL_VALUES, "image_rows", "certification_rows")


def product_row(pk: int) -> dict:
    """A visible product's row (DETAIL_VALUES, `image_rows` and `certification_rows`: lists of
    dicts), in one query on PostgreSQL; Http404 when there is none."""
    if connection.vendor != "postgresql":
        return reference_row(pk)
    rows = compiled_rows("detail", _one_query, {"pk": pk})
    if not rows:
        raise Http404
    return rows[0]


def reference_row(pk: int) -> dict:
    """product_row() in three plain ORM reads, on any database: the reference the one query
    is held to (tests/catalogue/test_listing_detail_home.py)."""
    row = with_thumbnail(visible_products().filter(pk=pk)).values(*DETAIL_VALUES).first()
    if row is None:
        raise Http404
    row["image_rows"] = list(_shown_images().filter(product=pk).values("renditions", "alt_text", "alt_text_zh_hans"))
    row["certification_rows"] = list(_certifications_of().filter(products=pk).values("code", "name_en", "name_zh_hans"))
    return row


def product_detail(pk: int, zh: bool) -> dict:
    """`GET /api/v1/products/<pk>/` for everyone (the viewer's own fields aside)."""
    return product_page(product_row(pk), zh)
