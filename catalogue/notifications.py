"""E-mails to the exporter about its listings' review, written to the outbox.

Called inside the catalogue services' transactions (see exporters/notifications.py for the
rules every e-mail to an exporter follows): a listing published (or restored to the
catalogue), rejected with the staff's reason quoted, or its changes applied, with the names
of the fields that changed.
"""

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.urls import reverse
from django.utils import translation

from catalogue.models import Product
from exporters.notifications import email_exporter
from pti_bridge.models import Notification

KIND_PUBLISHED = "product_published"
KIND_REJECTED = "product_rejected"
KIND_CHANGES_APPLIED = "product_changes_applied"

PHOTOS = "photos"  # catalogue.services.PHOTOS: the pending_changes entry for new photos
PHOTO_TEXTS = "photo_texts"  # catalogue.services.PHOTO_TEXTS: new descriptions of shown photos


def _email(product: Product, *, kind: str, extra: dict | None = None) -> list[Notification]:
    return email_exporter(
        product.exporter,
        kind=kind,
        template=kind,
        context={
            "product": product,
            "product_url": settings.SITE_URL + reverse("portal:product_detail", args=[product.pk]),
            **(extra or {}),
        },
    )


def notify_product_published(product: Product, *, restored: bool = False) -> list[Notification]:
    return _email(product, kind=KIND_PUBLISHED, extra={"restored": restored})


def notify_product_rejected(product: Product, *, reason: str) -> list[Notification]:
    return _email(product, kind=KIND_REJECTED, extra={"reason": reason})


def _field_label(name: str) -> str:
    if name == PHOTOS:
        return "new photos"
    if name == PHOTO_TEXTS:
        return "photo descriptions"
    try:
        return str(Product._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name.replace("_", " ")


def notify_product_changes_applied(product: Product, *, fields: list[str]) -> list[Notification]:
    """`fields`: the names in the pending changes that went live, named in English in the e-mail."""
    with translation.override("en"):
        labels = [_field_label(name) for name in sorted(fields)]
    return _email(product, kind=KIND_CHANGES_APPLIED, extra={"changed": labels})
