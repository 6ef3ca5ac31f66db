"""The catalogue's texts as translation memory for staff (glossary.aids): what staff wrote in
Chinese for the English of reviewed listings."""

from catalogue.models import Product, ProductImage
from catalogue.services import photo_key

MEMORY_PRODUCTS = 300  # the most recently reviewed listings: enough to remember, quick to compare


def product_pairs():
    """(English, Chinese) of recently reviewed listings' texts and photo descriptions. A text
    marked out of date gives the English its Chinese was written from, not its new English."""
    fields = [name for pair in Product.TRANSLATED_TEXTS for name in pair]
    rows = list(
        Product.objects.exclude(reviewed_at=None)
        .order_by("-reviewed_at", "-id")
        .values("pk", "stale_translations", *fields)[:MEMORY_PRODUCTS]
    )
    was = {}
    for row in rows:
        for mark in row["stale_translations"] or []:
            was[(row["pk"], mark["field"])] = mark["was"]
        for english, chinese in Product.TRANSLATED_TEXTS:
            yield was.get((row["pk"], chinese), row[english]), row[chinese]
    photos = ProductImage.objects.filter(product__in=[row["pk"] for row in rows]).exclude(alt_text_zh_hans="")
    for product_pk, pk, english, chinese in photos.values_list("product", "pk", "alt_text", "alt_text_zh_hans"):
        yield was.get((product_pk, photo_key(pk)), english), chinese
