"""Every change to a listing or a collection goes through these functions.

The portal, the admin, the API and management commands all call them, so the
review workflow is the same whatever the door:

    draft ──submit──▶ submitted ──publish──▶ published ──archive──▶ archived
      ▲                 │    │                                        │
      └────withdraw─────┘    └──reject──▶ rejected ──submit──▶ ...    └─publish (restore)
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.models import Collection, CollectionItem, Product
from pti_bridge.audit import audit_record
from pti_bridge.errors import InvalidTransition, RuleViolation
from pti_bridge.permissions import require_staff

Status = Product.Status

# How each action reads in a refusal ("… cannot be published").
ACTION_PAST = {
    "submit": gettext_lazy("submitted"),
    "withdraw": gettext_lazy("withdrawn"),
    "publish": gettext_lazy("published"),
    "reject": gettext_lazy("rejected"),
    "archive": gettext_lazy("archived"),
}


def _require_staff_or_member(actor, product: Product) -> None:
    """Staff, or a user of the company that owns the product."""
    if actor is None or not actor.is_active:
        raise PermissionDenied(_("Sign in to do this."))
    if actor.is_staff:
        return
    membership = getattr(actor, "exporter_membership", None)
    if membership is None or membership.exporter_id != product.exporter_id:
        raise PermissionDenied(_("This product belongs to another company."))


def _transition(
    *, product: Product, actor, action: str, allowed_from: set[str], to_status: str, note: str = "", check=None
) -> Product:
    """Lock the row, check the state and the rules, apply, audit. One transaction."""
    with transaction.atomic():
        product = Product.objects.select_for_update().select_related("exporter").get(pk=product.pk)
        from_status = product.status
        if from_status not in allowed_from:
            raise InvalidTransition(
                _("“%(name)s” is %(status)s and cannot be %(action)s.")
                % {"name": product.name_en, "status": product.get_status_display().lower(), "action": ACTION_PAST[action]}
            )
        if check is not None:
            check(product)
        product.status = to_status
        now = timezone.now()
        if to_status == Status.SUBMITTED:
            product.submitted_at = now
            product.rejection_reason = ""
        elif to_status == Status.PUBLISHED:
            product.published_at = product.published_at if from_status == Status.ARCHIVED else now
            product.archived_at = None
            product.rejection_reason = ""
        elif to_status == Status.REJECTED:
            product.rejection_reason = note
            product.is_featured = False
        elif to_status == Status.ARCHIVED:
            product.archived_at = now
            product.is_featured = False
        if to_status in (Status.PUBLISHED, Status.REJECTED):
            product.reviewed_at = now
            product.reviewed_by = actor
        product.full_clean()
        product.save()
        audit_record(obj=product, action=action, actor=actor, from_status=from_status, to_status=to_status, note=note)
    return product


def _check_submittable(product: Product) -> None:
    missing = [
        label
        for label, value in ((_("English name"), product.name_en), (_("English summary"), product.summary_en))
        if not value.strip()
    ]
    if missing:
        raise ValidationError(_("Add the %(fields)s before submitting.") % {"fields": ", ".join(missing)})


def _check_publishable(product: Product) -> None:
    if not product.exporter.is_verified:
        raise RuleViolation(
            _("%(exporter)s is not verified; verify the company before publishing its products.")
            % {"exporter": product.exporter.name},
            code="exporter_not_verified",
        )
    missing = [
        label
        for label, value in ((_("Chinese name"), product.name_zh_hans), (_("Chinese summary"), product.summary_zh_hans))
        if not value.strip()
    ]
    if missing:
        raise RuleViolation(
            _("“%(name)s” needs its %(fields)s before it can be published.")
            % {"name": product.name_en, "fields": _(" and ").join(missing)},
            code="translation_missing",
        )


def product_submit(*, product: Product, actor) -> Product:
    """The exporter (or staff for them) asks for review of a draft or rejected product."""
    _require_staff_or_member(actor, product)
    return _transition(
        product=product,
        actor=actor,
        action="submit",
        allowed_from={Status.DRAFT, Status.REJECTED},
        to_status=Status.SUBMITTED,
        check=_check_submittable,
    )


def product_withdraw(*, product: Product, actor) -> Product:
    """The exporter takes a submitted product back to draft before staff review it."""
    _require_staff_or_member(actor, product)
    return _transition(
        product=product, actor=actor, action="withdraw", allowed_from={Status.SUBMITTED}, to_status=Status.DRAFT
    )


def product_publish(*, product: Product, actor) -> Product:
    """Staff publish a submitted product (or restore an archived one) to the catalogue.

    Refused for an unverified exporter and without the Chinese name and summary.
    """
    require_staff(actor)
    return _transition(
        product=product,
        actor=actor,
        action="publish",
        allowed_from={Status.SUBMITTED, Status.ARCHIVED},
        to_status=Status.PUBLISHED,
        check=_check_publishable,
    )


def product_reject(*, product: Product, actor, reason: str) -> Product:
    """Staff send a submitted product back with a reason the exporter reads."""
    require_staff(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the product is rejected; the exporter will read it.")})
    return _transition(
        product=product,
        actor=actor,
        action="reject",
        allowed_from={Status.SUBMITTED},
        to_status=Status.REJECTED,
        note=reason,
    )


def product_archive(*, product: Product, actor) -> Product:
    """Take a published product off the catalogue (staff, or its own company)."""
    _require_staff_or_member(actor, product)
    return _transition(
        product=product, actor=actor, action="archive", allowed_from={Status.PUBLISHED}, to_status=Status.ARCHIVED
    )


def product_set_featured(*, product: Product, actor, featured: bool = True) -> Product:
    """Staff feature a published product on the Mini Program's home screen (or stop)."""
    require_staff(actor)
    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=product.pk)
        if featured and product.status != Status.PUBLISHED:
            raise InvalidTransition(
                _("Only published products can be featured; “%(name)s” is %(status)s.")
                % {"name": product.name_en, "status": product.get_status_display().lower()}
            )
        if product.is_featured != featured:
            product.is_featured = featured
            product.save(update_fields=["is_featured", "updated_at"])
            audit_record(obj=product, action="feature" if featured else "unfeature", actor=actor)
    return product


def collection_add_product(*, collection: Collection, product: Product, actor, position: int | None = None) -> CollectionItem:
    """Put a published product in a collection (at the end unless a position is given)."""
    require_staff(actor)
    with transaction.atomic():
        collection = Collection.objects.select_for_update().get(pk=collection.pk)
        if product.status != Status.PUBLISHED:
            raise InvalidTransition(
                _("Only published products can join a collection; “%(name)s” is %(status)s.")
                % {"name": product.name_en, "status": product.get_status_display().lower()}
            )
        if position is None:
            position = (collection.items.aggregate(last=Max("position"))["last"] or 0) + 1
        item, created = CollectionItem.objects.get_or_create(
            collection=collection, product=product, defaults={"position": position}
        )
        if created:
            audit_record(obj=collection, action="add_product", actor=actor, note=product.name_en)
    return item


def collection_remove_product(*, collection: Collection, product: Product, actor) -> None:
    require_staff(actor)
    with transaction.atomic():
        deleted, _rows = CollectionItem.objects.filter(collection=collection, product=product).delete()
        if deleted:
            audit_record(obj=collection, action="remove_product", actor=actor, note=product.name_en)


def collection_reorder(*, collection: Collection, product_ids: list[int], actor) -> None:
    """Set the order of a collection's products; the ids must be exactly its products."""
    require_staff(actor)
    with transaction.atomic():
        items = {item.product_id: item for item in CollectionItem.objects.select_for_update().filter(collection=collection)}
        if sorted(items) != sorted(product_ids):
            raise ValidationError(_("The new order must list every product of the collection exactly once."))
        for position, product_id in enumerate(product_ids, start=1):
            items[product_id].position = position
        CollectionItem.objects.bulk_update(items.values(), ["position"])
        audit_record(obj=collection, action="reorder", actor=actor)
