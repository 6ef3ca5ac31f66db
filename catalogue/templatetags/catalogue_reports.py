"""The catalogue's part of the back office's front page (templates/admin/index.html)."""

from django import template
from django.db.models import Prefetch
from django.urls import reverse

from catalogue.admin.products import stale_labels
from catalogue.models import Product, ProductImage

register = template.Library()

STALE_ROWS = 20


@register.simple_tag
def stale_translations():
    """Live listings whose English changed since staff reviewed their Chinese, latest first."""
    products = (
        Product.objects.exclude(stale_translations=[])
        .select_related("exporter")
        .prefetch_related(Prefetch("images", queryset=ProductImage.objects.only("pk", "product_id", "position")))
        .order_by("-updated_at", "-id")
    )
    rows = [
        {
            "product": product,
            "labels": stale_labels(product),
            "url": reverse("admin:catalogue_product_change", args=[product.pk]),
        }
        for product in products[:STALE_ROWS]
    ]
    changelist = reverse("admin:catalogue_product_changelist")
    return {"count": products.count(), "rows": rows, "url": f"{changelist}?stale=yes"}
