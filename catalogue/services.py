"""Every change to a listing or a collection goes through these functions.

The portal, the admin, the API and management commands all call them, so the
review workflow is the same whatever the door:

    draft ──submit──▶ submitted ──publish──▶ published ──archive──▶ archived
      ▲                 │    │                                        │
      └────withdraw─────┘    └──reject──▶ rejected ──submit──▶ ...    └─publish (restore)
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import DecimalField, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue import notifications
from catalogue.models import Collection, CollectionItem, Product, ProductImage, catalogue_changed
from exporters.models import Exporter
from pti_bridge import images
from pti_bridge.audit import audit_record
from pti_bridge.errors import InvalidTransition, RuleViolation
from pti_bridge.images import delete_quietly
from pti_bridge.permissions import require_staff
from pti_bridge.renditions import refresh_renditions, rendition_names
from pti_bridge.storage import private_storage
from pti_bridge.tasks import enqueue, make_renditions

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
    *,
    product: Product,
    actor,
    action: str,
    allowed_from: set[str],
    to_status: str,
    note: str = "",
    check=None,
    notify=None,
) -> Product:
    """Lock the row, check the state and the rules, apply, audit, and (`notify(product, from_status)`)
    write the e-mails to the outbox. One transaction: a refused change notifies nobody."""
    with transaction.atomic():
        product = Product.objects.select_for_update().select_related("exporter").get(pk=product.pk)
        from_status = product.status
        if from_status not in allowed_from:
            raise InvalidTransition(
                _("“%(name)s” is %(status)s and cannot be %(action)s.")
                % {
                    "name": product.name_en,
                    "status": product.get_status_display().lower(),
                    "action": ACTION_PAST[action],
                }
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
        if notify is not None:
            notify(product, from_status)
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
    missing = missing_translations(product)
    if missing:
        raise RuleViolation(
            _("“%(name)s” needs its %(fields)s before it can be published.")
            % {"name": product.name_en, "fields": _word_list(missing)},
            code="translation_missing",
        )


# How a missing Chinese text is named in a refusal (Product.TRANSLATED_TEXTS' Chinese fields).
CHINESE_LABELS = {
    "name_zh_hans": gettext_lazy("Chinese name"),
    "summary_zh_hans": gettext_lazy("Chinese summary"),
    "description_zh_hans": gettext_lazy("Chinese description"),
    "market_access_zh_hans": gettext_lazy("Chinese market-access note"),
    "packaging_zh_hans": gettext_lazy("Chinese packaging"),
    "shelf_life_zh_hans": gettext_lazy("Chinese shelf life"),
    "supply_capacity_zh_hans": gettext_lazy("Chinese supply capacity"),
    "lead_time_zh_hans": gettext_lazy("Chinese lead time"),
}


def missing_translations(product: Product) -> list[str]:
    """What a buyer would read in English: the Chinese texts (name and summary always, the
    others where the English is written, photo descriptions of shown photos) still empty."""
    missing = [
        str(CHINESE_LABELS[chinese])
        for english, chinese in Product.TRANSLATED_TEXTS
        if not getattr(product, chinese).strip()
        and (chinese in Product.ALWAYS_TRANSLATED or getattr(product, english).strip())
    ]
    shown = product.images.shown().order_by("position", "id").values_list("alt_text", "alt_text_zh_hans")
    missing += [
        _("Chinese description of photo %(number)d") % {"number": number}
        for number, (english, chinese) in enumerate(shown, start=1)
        if english.strip() and not chinese.strip()
    ]
    return missing


def _word_list(words: list[str]) -> str:
    """ "a", "a and b", "a, b and c" in the active language."""
    if len(words) <= 2:
        return _(" and ").join(words)
    return _(", ").join(words[:-1]) + _(" and ") + words[-1]


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

    Refused for an unverified exporter, and while a text buyers would read has no Chinese
    (missing_translations): the agency vouches for every text a buyer sees.
    """
    require_staff(actor)
    return _transition(
        product=product,
        actor=actor,
        action="publish",
        allowed_from={Status.SUBMITTED, Status.ARCHIVED},
        to_status=Status.PUBLISHED,
        check=_check_publishable,
        notify=lambda product, from_status: notifications.notify_product_published(
            product, restored=from_status == Status.ARCHIVED
        ),
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
        notify=lambda product, _from_status: notifications.notify_product_rejected(product, reason=reason),
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


def collection_add_product(
    *, collection: Collection, product: Product, actor, position: int | None = None
) -> CollectionItem:
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
            catalogue_changed()
    return item


def collection_remove_product(*, collection: Collection, product: Product, actor) -> None:
    require_staff(actor)
    with transaction.atomic():
        deleted, _rows = CollectionItem.objects.filter(collection=collection, product=product).delete()
        if deleted:
            audit_record(obj=collection, action="remove_product", actor=actor, note=product.name_en)
            catalogue_changed()


def collection_reorder(*, collection: Collection, product_ids: list[int], actor) -> None:
    """Set the order of a collection's products; the ids must be exactly its products."""
    require_staff(actor)
    with transaction.atomic():
        items = {
            item.product_id: item for item in CollectionItem.objects.select_for_update().filter(collection=collection)
        }
        if sorted(items) != sorted(product_ids):
            raise ValidationError(_("The new order must list every product of the collection exactly once."))
        for position, product_id in enumerate(product_ids, start=1):
            items[product_id].position = position
        CollectionItem.objects.bulk_update(items.values(), ["position"])
        audit_record(obj=collection, action="reorder", actor=actor)
        catalogue_changed()


# Editing a listing from the portal.
#
# A draft or rejected product is edited in place. A published (or archived) product keeps
# its reviewed text in the catalogue: the exporter's edit waits in `pending_changes` as
# {field name: JSON value} (foreign keys as ids, decimals as strings, certifications as a
# sorted id list) until staff apply or discard it. A submitted product is under review
# and cannot change under the reviewer's eyes: the exporter withdraws it first.

EDITABLE_FIELDS = (
    "name_en",
    "summary_en",
    "description_en",
    "category",
    "origin_country",
    "hs_code",
    "moq_quantity",
    "moq_unit",
    "packaging",
    "shelf_life",
    "supply_capacity",
    "lead_time",
    "price_currency",
    "price_min",
    "price_max",
    "price_unit",
    "incoterm",
    "market_access_en",
)
EDITABLE_M2M = ("certifications",)
EDIT_IN_PLACE = {Status.DRAFT, Status.REJECTED}
EDIT_PENDING = {Status.PUBLISHED, Status.ARCHIVED}
# pending_changes' entry for photos the exporter added to a reviewed product: their ids. They
# are stored (and their renditions made) at once, but buyers see them only once staff apply
# the changes; discarding the changes deletes them.
PHOTOS = "photos"
# pending_changes' entry for the exporter's new descriptions of photos buyers already see:
# {photo id (a string, as JSON keys are): text}. Applying the changes sets them.
PHOTO_TEXTS = "photo_texts"


def _field_to_json(product: Product, name: str):
    if name in EDITABLE_M2M:
        return sorted(getattr(product, name).values_list("pk", flat=True))
    field = Product._meta.get_field(name)
    if field.is_relation:
        return getattr(product, field.attname)
    value = getattr(product, name)
    return str(value) if isinstance(value, Decimal) else value


def _data_to_json(name: str, value):
    if name in EDITABLE_M2M:
        return sorted(item.pk if hasattr(item, "pk") else int(item) for item in (value or []))
    if hasattr(value, "pk"):
        return value.pk
    return str(value) if isinstance(value, Decimal) else value


def _apply_json(product: Product, changes: dict) -> None:
    """Set plain fields from JSON values (certifications are set after save)."""
    for name, value in changes.items():
        if name in EDITABLE_M2M or name in (PHOTOS, PHOTO_TEXTS):
            continue
        field = Product._meta.get_field(name)
        if field.is_relation:
            setattr(product, field.attname, value)
        elif isinstance(field, DecimalField) and value is not None:
            setattr(product, name, Decimal(value))
        else:
            setattr(product, name, value)


def product_pending_view(product: Product) -> dict:
    """The product's editable fields as the exporter last wrote them (pending changes on top)."""
    values = {name: _field_to_json(product, name) for name in (*EDITABLE_FIELDS, *EDITABLE_M2M)}
    values.update({key: value for key, value in (product.pending_changes or {}).items() if key in values})
    return values


def product_create(*, exporter, data: dict, actor) -> Product:
    """A company user (or staff for them) writes a new listing; it starts as a draft."""
    product = Product(exporter=exporter)
    _require_staff_or_member(actor, product)
    with transaction.atomic():
        _apply_json(product, {name: _data_to_json(name, data[name]) for name in EDITABLE_FIELDS if name in data})
        product.status = Status.DRAFT
        product.full_clean()
        product.save()
        if "certifications" in data:
            product.certifications.set(_data_to_json("certifications", data["certifications"]))
        audit_record(obj=product, action="create", actor=actor, to_status=Status.DRAFT)
    return product


def product_update(*, product: Product, data: dict, actor) -> Product:
    """Apply an edit (draft, rejected) or keep it for staff review (published, archived).

    `data` holds any of EDITABLE_FIELDS and "certifications" (model instances or ids).
    For a reviewed product the edit replaces any earlier pending edit; an edit equal to
    the reviewed text clears it. A submitted product refuses edits (withdraw it first).
    """
    _require_staff_or_member(actor, product)
    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=product.pk)
        if product.status not in EDIT_IN_PLACE | EDIT_PENDING:
            raise InvalidTransition(
                _("“%(name)s” is %(status)s; withdraw it to draft before editing it.")
                % {"name": product.name_en, "status": product.get_status_display().lower()}
            )
        wanted = {name: _data_to_json(name, data[name]) for name in (*EDITABLE_FIELDS, *EDITABLE_M2M) if name in data}
        current = {name: _field_to_json(product, name) for name in wanted}
        changes = {name: value for name, value in wanted.items() if current[name] != value}
        if product.status in EDIT_IN_PLACE:
            _apply_json(product, changes)
            product.full_clean()
            product.save()
            if "certifications" in changes:
                product.certifications.set(changes["certifications"])
            if changes:
                audit_record(obj=product, action="update", actor=actor, note=", ".join(sorted(changes)))
            return product
        # Reviewed product: check the edit as if applied, then keep it aside (beside any photos
        # waiting for review).
        probe = Product.objects.get(pk=product.pk)
        _apply_json(probe, changes)
        probe.full_clean()
        pending = dict(product.pending_changes or {})
        photo_entries = {key: pending.pop(key) for key in (PHOTOS, PHOTO_TEXTS) if pending.get(key)}
        if changes != pending:
            product.pending_changes = {**changes, **photo_entries}
            product.save(update_fields=["pending_changes", "updated_at"])
            audit_record(
                obj=product,
                action="propose_changes" if changes else "withdraw_changes",
                actor=actor,
                note=", ".join(sorted(changes)),
            )
    return product


def product_apply_pending_changes(*, product: Product, actor) -> Product:
    """Staff accept the exporter's edit of a reviewed product: it goes live at once.

    The Chinese text is not touched; staff update the translation when the English changed.
    """
    require_staff(actor)
    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=product.pk)
        changes = product.pending_changes or {}
        if not changes:
            raise InvalidTransition(_("“%(name)s” has no changes waiting for review.") % {"name": product.name_en})
        _apply_json(product, changes)
        product.pending_changes = {}
        product.full_clean()
        product.save()
        if "certifications" in changes:
            product.certifications.set(changes["certifications"])
        if PHOTOS in changes:
            product.images.filter(awaiting_review=True).update(awaiting_review=False)
        for pk, text in (changes.get(PHOTO_TEXTS) or {}).items():
            product.images.filter(pk=int(pk)).update(alt_text=text)
        audit_record(obj=product, action="apply_changes", actor=actor, note=", ".join(sorted(changes)))
        notifications.notify_product_changes_applied(product, fields=list(changes))
    return product


def product_discard_pending_changes(*, product: Product, actor, reason: str = "") -> Product:
    """Staff refuse (or the exporter cancels) a waiting edit; the reviewed text stays."""
    _require_staff_or_member(actor, product)
    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=product.pk)
        changes = product.pending_changes or {}
        if not changes:
            raise InvalidTransition(_("“%(name)s” has no changes waiting for review.") % {"name": product.name_en})
        product.pending_changes = {}
        product.save(update_fields=["pending_changes", "updated_at"])
        waiting = product.images.filter(awaiting_review=True)
        files = list(waiting.values_list("original", "renditions"))
        waiting.delete()  # never shown, so no cached answer holds them (the save above bumped anyway)
        for original, renditions in files:
            product_image_delete_files_on_commit(original=original, renditions=renditions)
        audit_record(
            obj=product,
            action="discard_changes",
            actor=actor,
            note=(reason or "").strip() or ", ".join(sorted(changes)),
        )
    return product


# Product photos. Every door (admin, portal, API) adds and removes them here; the
# upload goes through the image pipeline (pti_bridge/images.py) first.


def _set_waiting_photos(product: Product, ids: list[int]) -> None:
    _set_pending_entry(product, PHOTOS, sorted(ids))


def _set_pending_entry(product: Product, key: str, value) -> None:
    """Replace (an empty value: drop) one entry of the product's pending changes and save."""
    pending = {name: entry for name, entry in (product.pending_changes or {}).items() if name != key}
    if value:
        pending[key] = value
    product.pending_changes = pending
    product.save(update_fields=["pending_changes", "updated_at"])


def _set_waiting_photo_text(product: Product, image_pk: int, text: str | None) -> None:
    """Keep (None: forget) the exporter's new description of a photo buyers see."""
    texts = dict((product.pending_changes or {}).get(PHOTO_TEXTS) or {})
    texts.pop(str(image_pk), None)
    if text is not None:
        texts[str(image_pk)] = text
    _set_pending_entry(product, PHOTO_TEXTS, texts)


def photo_text_pending(product: Product, image_pk: int) -> str | None:
    """The description the exporter wrote for a shown photo, waiting for review; None when none waits."""
    return ((product.pending_changes or {}).get(PHOTO_TEXTS) or {}).get(str(image_pk))


def product_image_schedule_renditions(image: ProductImage) -> None:
    enqueue(make_renditions, "catalogue.ProductImage", image.pk)


def product_image_delete_files_on_commit(*, original: str, renditions: dict) -> None:
    def delete():
        delete_quietly(private_storage, [original])
        delete_quietly(default_storage, rendition_names(renditions))

    transaction.on_commit(delete)


def product_image_add(
    *, product: Product, upload, actor, alt_text: str = "", position: int | None = None
) -> ProductImage:
    """Check, clean and store a photo of `product` (staff, or a user of its company).

    The upload is refused with a ValidationError on "original" (not an image,
    too big, too many pixels, animated, damaged) and nothing is stored. The
    cleaned original goes to private storage before the row is written; if the
    store is down, StorageUnavailable is raised and no row is written. The
    renditions are made after commit (in the background when a queue is configured).
    """
    _require_staff_or_member(actor, product)
    try:
        cleaned = images.clean_image(upload, purpose="original")
    except ValidationError as error:
        raise ValidationError({"original": error}) from error
    image = ProductImage(product=product, alt_text=(alt_text or "").strip())
    field = ProductImage._meta.get_field("original")
    stored_name = images.store(private_storage, field.generate_filename(image, cleaned.content.name), cleaned.content)
    try:
        with transaction.atomic():
            product = Product.objects.select_for_update().get(pk=product.pk)
            if position is None:
                position = (product.images.aggregate(last=Max("position"))["last"] or 0) + 1
            image.product = product
            image.position = position
            image.original.name = stored_name
            image.width, image.height = cleaned.width, cleaned.height
            # The agency vouches for what buyers see: a photo the exporter adds to a reviewed
            # listing waits for staff, like an edit of its text.
            image.awaiting_review = product.status in EDIT_PENDING and not actor.is_staff
            image.full_clean()
            image.save()
            if image.awaiting_review:
                _set_waiting_photos(product, [*(product.pending_changes or {}).get(PHOTOS, []), image.pk])
            audit_record(
                obj=product,
                action="propose_photo" if image.awaiting_review else "add_photo",
                actor=actor,
                note=f"photo #{image.pk}",
            )
    except BaseException:
        images.delete_quietly(private_storage, [stored_name])
        raise
    product_image_schedule_renditions(image)
    return image


def product_image_remove(*, image: ProductImage, actor) -> None:
    """Delete a photo; its original and renditions are deleted once the deletion commits."""
    _require_staff_or_member(actor, image.product)
    with transaction.atomic():
        image = ProductImage.objects.select_for_update().select_related("product").get(pk=image.pk)
        original, renditions, pk = image.original.name, image.renditions, image.pk
        image.delete()
        product = Product.objects.select_for_update().get(pk=image.product_id)
        if image.awaiting_review:
            _set_waiting_photos(product, [i for i in (product.pending_changes or {}).get(PHOTOS, []) if i != pk])
        elif photo_text_pending(product, pk) is not None:
            _set_waiting_photo_text(product, pk, None)
        audit_record(obj=image.product, action="remove_photo", actor=actor, note=f"photo #{pk}")
        product_image_delete_files_on_commit(original=original, renditions=renditions)


def product_image_remake_renditions(*, image: ProductImage) -> dict | None:
    """Remake one photo's renditions now, in this process (the management command uses it)."""
    return refresh_renditions(image)


def product_image_update(*, image: ProductImage, actor, alt_text: str, position: int) -> ProductImage:
    """Change a photo's alt text and order (staff, or a user of its company).

    The exporter's new description of a photo buyers already see waits for review, like
    an edit of the listing's text (the order changes at once)."""
    _require_staff_or_member(actor, image.product)
    alt_text = (alt_text or "").strip()
    with transaction.atomic():
        image = ProductImage.objects.select_for_update().select_related("product").get(pk=image.pk)
        product = image.product
        if product.status in EDIT_PENDING and not image.awaiting_review and not actor.is_staff:
            product = Product.objects.select_for_update().get(pk=product.pk)
            waiting = None if alt_text == image.alt_text else alt_text
            if waiting != photo_text_pending(product, image.pk):
                _set_waiting_photo_text(product, image.pk, waiting)
                audit_record(
                    obj=product,
                    action="withdraw_changes" if waiting is None else "propose_changes",
                    actor=actor,
                    note=f"photo #{image.pk}: alt_text",
                )
            alt_text = image.alt_text
        changed = []
        for name, value in (("alt_text", alt_text), ("position", position)):
            if getattr(image, name) != value:
                setattr(image, name, value)
                changed.append(name)
        if changed:
            image.full_clean()
            image.save(update_fields=changed)
            audit_record(
                obj=image.product, action="edit_photo", actor=actor, note=f"photo #{image.pk}: {', '.join(changed)}"
            )
    return image


# What lower layers tell the catalogue (pti_bridge.hooks; registered in CatalogueConfig.ready).


def on_renditions_saved(*, model_label: str, pk: int) -> None:
    """A product photo, an exporter's logo or a collection's cover got new renditions (stored
    with update(), so no save() bumped the cache): the API's cached answers must show them now."""
    if model_label in (ProductImage._meta.label, Collection._meta.label, Exporter._meta.label):
        catalogue_changed()


def on_exporter_renamed(*, exporter_id: int) -> None:
    """An exporter's name is part of its products' search keys: recompute them."""
    from catalogue.search import refresh_search_columns

    with transaction.atomic():
        refresh_search_columns(Product.objects.filter(exporter_id=exporter_id))
        catalogue_changed()
