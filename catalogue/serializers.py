"""The catalogue as the Mini Program reads it: read-only, in the request's language."""

from django.db import models
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalogue.models import ProductImage
from catalogue.selectors import CARD_VALUES
from catalogue.suggestions import KINDS
from pti_bridge.api.negotiation import is_chinese_language
from pti_bridge.api.parameters import QueryTextField


def _chinese() -> bool:
    return is_chinese_language(get_language())


@extend_schema_field(OpenApiTypes.STR)
class TranslatedField(serializers.Field):
    """The Chinese or English text of a pair of fields, by the request's language; the
    English text when the Chinese one is empty."""

    def __init__(self, english: str, chinese: str, **kwargs):
        self.english, self.chinese = english, chinese
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        return _text(obj, self.english, self.chinese, _chinese())


class ImageSerializer(serializers.Serializer):
    """A rendition sized for phones, never the uploaded original."""

    url = serializers.CharField()
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)


def rendition(renditions: dict | None, size: str) -> dict | None:
    """WebP where made, else the JPEG fallback, else None (renditions not made yet), with an
    absolute URL (pti_bridge.storage.absolute_url): a Mini Program cannot load a path."""
    return ProductImage.rendition_of(renditions, size, "webp", absolute=True) or ProductImage.rendition_of(
        renditions, size, "jpeg", absolute=True
    )


def logo(exporter) -> dict | None:
    """The logo's rendition (Exporter.RENDITIONS), never the stored file; None while it has none."""
    return rendition(exporter.logo_renditions if exporter.logo else None, "thumb")


def cover(collection) -> dict | None:
    """The cover's rendition (Collection.RENDITIONS), never the stored file; None while it has none."""
    return rendition(collection.cover_renditions if collection.cover else None, "detail")


class CategoryRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = TranslatedField("name_en", "name_zh_hans")


class CountryRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = TranslatedField("name_en", "name_zh_hans")


class ExporterRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = TranslatedField("name", "name_zh_hans")


class PriceSerializer(serializers.Serializer):
    currency = serializers.CharField()
    min = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    max = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    incoterm = serializers.CharField(help_text="EXW, FOB, CIF, ... or empty.")
    unit = serializers.CharField(help_text="What the price is per (kg, carton, ...) or empty.")


class MoqSerializer(serializers.Serializer):
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2)
    unit = serializers.CharField()


def _text(obj, english: str, chinese: str, chinese_wanted: bool) -> str:
    """The one language choice: the Chinese text when wanted and written, else the English."""
    if chinese_wanted:
        text = getattr(obj, chinese, "")
        if text:
            return text
    return getattr(obj, english, "")


def _money(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def price(product) -> dict | None:
    if not product.price_currency:
        return None
    return {
        "currency": product.price_currency,
        "min": _money(product.price_min),
        "max": _money(product.price_max),
        "incoterm": product.incoterm,
        "unit": product.price_unit,
    }


def moq(product) -> dict | None:
    if product.moq_quantity is None:
        return None
    return {"quantity": _money(product.moq_quantity), "unit": product.moq_unit}


def thumbnail(product) -> dict | None:
    if hasattr(product, "thumbnail_rendition"):  # catalogue.selectors.as_cards
        return rendition({"thumb": product.thumbnail_rendition}, "thumb")
    images = list(product.images.all())  # as a Prefetch fetched them: shown ones only, in order
    return rendition(images[0].renditions, "thumb") if images else None


def card_from_row(row: dict, zh: bool) -> dict:
    """A card from a row of catalogue.selectors.CARD_VALUES."""

    def text(english: str, chinese: str) -> str:
        return (row[chinese] if zh and row[chinese] else row[english]) or ""

    currency, quantity = row["price_currency"], row["moq_quantity"]
    return {
        "id": row["id"],
        "name": text("name_en", "name_zh_hans"),
        "summary": text("summary_en", "summary_zh_hans"),
        "thumbnail": rendition({"thumb": row["thumbnail_rendition"]}, "thumb"),
        "category": {"id": row["category_id"], "name": text("category__name_en", "category__name_zh_hans")},
        "country": {
            "code": row["origin_country_id"],
            "name": text("origin_country__name_en", "origin_country__name_zh_hans"),
        },
        "exporter": {"id": row["exporter_id"], "name": text("exporter__name", "exporter__name_zh_hans")},
        "price": {
            "currency": currency,
            "min": _money(row["price_min"]),
            "max": _money(row["price_max"]),
            "incoterm": row["incoterm"],
            "unit": row["price_unit"],
        }
        if currency
        else None,
        "moq": {"quantity": _money(quantity), "unit": row["moq_unit"]} if quantity is not None else None,
        "featured": row["is_featured"],
    }


class ProductCardFields(serializers.Serializer):
    """The card's fields, as the schema describes them."""

    id = serializers.IntegerField()
    name = TranslatedField("name_en", "name_zh_hans")
    summary = TranslatedField("summary_en", "summary_zh_hans")
    thumbnail = serializers.SerializerMethodField()
    category = CategoryRefSerializer()
    country = CountryRefSerializer(source="origin_country")
    exporter = ExporterRefSerializer()
    price = serializers.SerializerMethodField()
    moq = serializers.SerializerMethodField()
    featured = serializers.BooleanField(source="is_featured")

    @extend_schema_field(ImageSerializer(allow_null=True))
    def get_thumbnail(self, product):
        return thumbnail(product)

    @extend_schema_field(PriceSerializer(allow_null=True))
    def get_price(self, product):
        return price(product)

    @extend_schema_field(MoqSerializer(allow_null=True))
    def get_moq(self, product):
        return moq(product)


class ProductCardListSerializer(serializers.ListSerializer):
    """Cards of a list: the language looked up once, not once per card."""

    def to_representation(self, data):
        items = data.all() if isinstance(data, models.manager.BaseManager) else data
        return product_cards(items, self.child.card)


def product_cards(items, card=None) -> list[dict]:
    """`ProductCardSerializer(items, many=True).data`, without making the serializers (the
    product list, every request); `card`: a subclass's, if not ProductCardSerializer's."""
    card, zh = card or ProductCardSerializer.card, _chinese()
    return [card(item, zh) for item in items]


class ProductCardSerializer(ProductCardFields):
    """A product card. Lists show 20 to 50 of them, so they are written directly rather than
    field by field (several times faster); the fields above still describe them, and the
    tests and schemathesis hold the two together."""

    class Meta:
        list_serializer_class = ProductCardListSerializer

    def to_representation(self, product):
        return self.card(product, _chinese())

    @staticmethod
    def card(product, zh: bool) -> dict:
        """A card from a row of catalogue.selectors.CARD_VALUES or from a product of as_cards()."""
        return card_from_row(product if isinstance(product, dict) else card_row(product), zh)


def card_row(product) -> dict:
    """A product as a card row (CARD_VALUES); one of catalogue.selectors.as_cards() needs no
    further query."""
    row = {}
    for name in CARD_VALUES:
        if name == "thumbnail_rendition" and not hasattr(product, name):
            images = list(product.images.all())  # as selectors.get_product fetched them: shown ones only
            row[name] = (images[0].renditions or {}).get("thumb") if images else None
            continue
        value = product
        for part in name.split("__"):
            value = getattr(value, part)
        row[name] = value
    return row


class ProductImageSerializer(ImageSerializer):
    alt = serializers.CharField(help_text="What the photo shows, in the request's language.")
    zoom = ImageSerializer(allow_null=True, help_text="A larger rendition for pinch-zoom.")


class CertificationSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = TranslatedField("name_en", "name_zh_hans")


class ExporterCardSerializer(ExporterRefSerializer):
    country = CountryRefSerializer()
    logo = serializers.SerializerMethodField()
    verified = serializers.BooleanField(source="is_verified")
    gacc_registration_number = serializers.CharField(
        help_text="China customs (GACC) registration number of the overseas food producer; empty when none."
    )

    @extend_schema_field(ImageSerializer(allow_null=True))
    def get_logo(self, exporter):
        return logo(exporter)


class ProductDetailSerializer(ProductCardFields):
    """A product's page as the schema describes it; the API writes it from a row
    (catalogue.listing.detail), and the tests hold the two together."""

    description = TranslatedField("description_en", "description_zh_hans")
    images = serializers.SerializerMethodField()
    hs_code = serializers.CharField()
    packaging = TranslatedField("packaging", "packaging_zh_hans")
    shelf_life = TranslatedField("shelf_life", "shelf_life_zh_hans")
    supply_capacity = TranslatedField("supply_capacity", "supply_capacity_zh_hans")
    lead_time = TranslatedField("lead_time", "lead_time_zh_hans")
    certifications = CertificationSerializer(many=True)
    market_access = TranslatedField("market_access_en", "market_access_zh_hans")
    exporter = ExporterCardSerializer()
    published_at = serializers.DateTimeField()

    @extend_schema_field(ProductImageSerializer(many=True))
    def get_images(self, product):
        images, zh = [], _chinese()
        for image in product.images.all():  # shown ones only, in order
            detail = rendition(image.renditions, "detail")
            if detail is None:
                continue  # not made yet: a phone never gets the original
            alt = _text(image, "alt_text", "alt_text_zh_hans", zh)
            images.append({**detail, "alt": alt, "zoom": rendition(image.renditions, "zoom")})
        return images


class ProductDetailWithViewerSerializer(ProductDetailSerializer):
    is_favourite = serializers.BooleanField(
        required=False, help_text="Only when signed in: whether the product is among the buyer's favourites."
    )


class ExporterSerializer(ExporterCardSerializer):
    description = TranslatedField("description_en", "description_zh_hans")
    founded = serializers.IntegerField(source="year_founded", allow_null=True)
    sector = serializers.CharField(source="get_sector_display")
    certifications = CertificationSerializer(source="certification_list", many=True)
    product_count = serializers.IntegerField()


class CategorySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = TranslatedField("name_en", "name_zh_hans")
    parent = serializers.IntegerField(source="parent_id", allow_null=True)
    icon = serializers.CharField()
    product_count = serializers.IntegerField(help_text="Visible products, sub-categories included.")


class CountrySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = TranslatedField("name_en", "name_zh_hans")
    product_count = serializers.IntegerField()


class CollectionSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = TranslatedField("title_en", "title_zh_hans")
    description = TranslatedField("description_en", "description_zh_hans")
    cover = serializers.SerializerMethodField()
    starts_on = serializers.DateField(allow_null=True)
    ends_on = serializers.DateField(allow_null=True)
    product_count = serializers.IntegerField()

    @extend_schema_field(ImageSerializer(allow_null=True))
    def get_cover(self, collection):
        return cover(collection)


class CollectionDetailSerializer(CollectionSerializer):
    products = ProductCardSerializer(
        source="product_cards",
        many=True,
        help_text="Its first 50 products in the collection's order; "
        "`GET /api/v1/products/?collection=<slug>` pages through them all.",
    )


class HomeSerializer(serializers.Serializer):
    """Home as the schema describes it; the API writes it from rows (catalogue.listing.home)."""

    featured = ProductCardSerializer(many=True)
    collections = CollectionSerializer(many=True)
    categories = CategorySerializer(many=True, help_text="Top-level categories.")
    countries = CountrySerializer(many=True)


class SuggestionQuerySerializer(serializers.Serializer):
    q = QueryTextField(
        max_length=100,
        help_text="What the buyer has typed so far: Chinese, English or pinyin (香, van, xiangc, xc). "
        "Empty or missing: no suggestions.",
    )


class SuggestionSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="The completion, in the request's language.")
    kind = serializers.ChoiceField(
        choices=KINDS,
        help_text="What the text names; `term`: a trade term of PTI's glossary.",
    )
