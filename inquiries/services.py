"""Inquiries' writes: the buyer's side (create an inquiry, post a message), the exporter's reply,
and (from inquiries/workflow.py, imported here so every door calls `inquiries.services`) the
staff's status machine, assignment, translations and notes.

Buyer text passes WeChat's content security check (msgSecCheck v2) before it is stored
as visible: risky text is refused (400 content_rejected) and nothing is written; text
WeChat wants reviewed is stored with `screening=review`, which staff see and the exporter
does not. WeChat is called before the transaction opens, never inside it.
"""

import hashlib
import json
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buyers.models import Buyer
from buyers.services import SCENE_COMMENT, buyer_text_screen, require_consent
from catalogue.models import Product
from inquiries import notifications
from inquiries.mediation import (  # noqa: F401 - the staff actions' public home is this module
    english_missing,
    english_suggestions,
    inquiry_set_english,
    message_post_by_staff,
    message_send_as_written,
)
from inquiries.models import Inquiry, Message
from inquiries.workflow import (  # noqa: F401 - the staff actions' public home is this module
    ALLOWED_FROM,
    inquiry_assign,
    inquiry_close_lost,
    inquiry_close_won,
    inquiry_forward,
    inquiry_mark_spam,
    inquiry_policy_set,
    inquiry_reopen,
    inquiry_screen,
    message_review,
    message_translate,
    note_add,
)
from pti_bridge.audit import audit_record
from pti_bridge.errors import DomainError, InvalidTransition

CLOSED = frozenset({Inquiry.Status.CLOSED_WON, Inquiry.Status.CLOSED_LOST, Inquiry.Status.SPAM})
MESSAGE_MAX_LENGTH = 2000  # WeChat checks at most 2500 characters per call


class IdempotencyConflict(DomainError):
    """The Idempotency-Key was used before with a different request (409)."""

    code = "idempotency_conflict"
    status_code = 409
    default_message = _("This Idempotency-Key was already used for a different inquiry.")


def _screen(*, buyer: Buyer, texts: list[str]) -> str:
    """The Message.screening for what the buyer wrote, or ContentRejected. Calls WeChat: never in a transaction."""
    suggest = buyer_text_screen(buyer=buyer, texts=texts, scene=SCENE_COMMENT)
    return Message.Screening.PASSED if suggest == "pass" else Message.Screening.REVIEW


def _fingerprint(**fields) -> str:
    canonical = json.dumps({k: str(v) if isinstance(v, Decimal) else v for k, v in fields.items()}, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _replay(*, buyer: Buyer, idempotency_key: str, fingerprint: str) -> Inquiry | None:
    existing = Inquiry.objects.filter(buyer=buyer, idempotency_key=idempotency_key).first()
    if existing is not None and existing.request_fingerprint != fingerprint:
        raise IdempotencyConflict()
    return existing


def inquiry_create(
    *,
    buyer: Buyer,
    product: Product,
    quantity: Decimal,
    unit: str,
    message: str,
    target_price: Decimal | None = None,
    currency: str = "",
    destination: str = "",
    share_contact: bool = False,
    language: str = Message.Language.ZH_HANS,
    idempotency_key: str = "",
) -> tuple[Inquiry, bool]:
    """A buyer's inquiry about a published product, with its first message: (inquiry, created).

    With an `idempotency_key`, the same request again returns the first inquiry (created
    False) and a different request with the same key raises IdempotencyConflict, however
    many arrive at once (the unique constraint on (buyer, idempotency_key) decides).

    It waits (`new`) until staff put it into English: the exporter reads nothing the buyer
    wrote untranslated. Without staff screening (InquiryPolicy) it is forwarded by itself then.
    """
    require_consent(buyer)
    if not Product.objects.published().filter(pk=product.pk).exists():
        raise ValidationError({"product": [_("This product is not available.")]})
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": [_("Write a message to the exporter.")]})
    if len(message) > MESSAGE_MAX_LENGTH:
        raise ValidationError({"message": [_("At most %(n)d characters.") % {"n": MESSAGE_MAX_LENGTH}]})
    fingerprint = _fingerprint(
        product=product.pk,
        quantity=Decimal(quantity).normalize(),
        unit=unit,
        message=message,
        target_price=Decimal(target_price).normalize() if target_price is not None else None,
        currency=currency,
        destination=destination,
        share_contact=share_contact,
    )
    if idempotency_key:
        existing = _replay(buyer=buyer, idempotency_key=idempotency_key, fingerprint=fingerprint)
        if existing is not None:
            return existing, False
    # The destination is the buyer's free text too: the exporter reads it.
    screening = _screen(buyer=buyer, texts=[message, destination])
    now = timezone.now()
    inquiry = Inquiry(
        buyer=buyer,
        product=product,
        exporter_id=product.exporter_id,
        quantity=quantity,
        unit=unit,
        target_price=target_price,
        currency=currency,
        destination=destination,
        share_contact=share_contact,
        idempotency_key=idempotency_key,
        request_fingerprint=fingerprint if idempotency_key else "",
        created_at=now,
        last_activity_at=now,
        buyer_read_at=now,
    )
    inquiry.full_clean(exclude=["idempotency_key"])
    try:
        with transaction.atomic():
            inquiry.save()
            first = Message(
                inquiry=inquiry,
                author_role=Message.AuthorRole.BUYER,
                text=message,
                language=language,
                screening=screening,
                created_at=now,
            )
            first.full_clean()
            first.save()
            Product.objects.filter(pk=product.pk).update(inquiry_count=F("inquiry_count") + 1)
            audit_record(obj=inquiry, action="inquiry_created", to_status=inquiry.status, note=f"screening={screening}")
    except IntegrityError:
        if not idempotency_key:
            raise
        # Another request with the same key won the race; it has committed by now.
        existing = _replay(buyer=buyer, idempotency_key=idempotency_key, fingerprint=fingerprint)
        if existing is None:
            raise
        return existing, False
    return inquiry, True


def message_post_by_buyer(
    *, buyer: Buyer, inquiry: Inquiry, text: str, language: str = Message.Language.ZH_HANS
) -> Message:
    """The buyer writes in their inquiry's thread. A closed inquiry (won, lost, spam) takes none (409).

    The exporter is told once staff translated it (or sent it as written), not before."""
    if inquiry.buyer_id != buyer.pk:
        raise InvalidTransition(_("This inquiry is not yours."))
    if inquiry.status in CLOSED:
        raise InvalidTransition(_("This inquiry is closed; it takes no more messages."), code="inquiry_closed")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Write a message.")]})
    if len(text) > MESSAGE_MAX_LENGTH:
        raise ValidationError({"text": [_("At most %(n)d characters.") % {"n": MESSAGE_MAX_LENGTH}]})
    screening = _screen(buyer=buyer, texts=[text])
    with transaction.atomic():
        inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
        if inquiry.status in CLOSED:  # closed while WeChat was checking the text
            raise InvalidTransition(_("This inquiry is closed; it takes no more messages."), code="inquiry_closed")
        now = timezone.now()
        message = Message(
            inquiry=inquiry,
            author_role=Message.AuthorRole.BUYER,
            text=text,
            language=language,
            screening=screening,
            created_at=now,
        )
        message.full_clean()
        message.save()
        Inquiry.objects.filter(pk=inquiry.pk).update(last_activity_at=now, buyer_read_at=now)
        audit_record(obj=inquiry, action="message_posted_by_buyer", note=f"screening={screening}")
    return message


def buyer_texts_erase(*, buyer_id: int) -> None:
    """Erase what a deleted buyer wrote (hook "buyer_deleting", inside buyers.services.buyer_delete's
    transaction): their messages' text and its staff translation, each inquiry's destination and
    the English staff wrote for it and for the buyer's name and company, the key and fingerprint of its request (a hash of the text), and the exporter e-mails that
    quoted them. The business facts stay for the agency's reports: product, quantity, unit, target
    price, dates, status, outcome, deal. Staff and the exporter see that the buyer deleted it."""
    inquiries = Inquiry.objects.filter(buyer_id=buyer_id)
    Message.objects.filter(inquiry__in=inquiries, author_role=Message.AuthorRole.BUYER).update(text="", translation="")
    notifications.forget_exporter_emails(list(inquiries.values_list("pk", flat=True)))
    inquiries.update(
        destination="",
        destination_en="",
        buyer_name_en="",
        buyer_company_en="",
        idempotency_key="",
        request_fingerprint="",
    )


def translation_pairs(limit: int = 2000):
    """(English, Chinese) of the newest messages staff translated: translation memory for the
    next ones (glossary.aids)."""
    rows = Message.objects.exclude(translation="").order_by("-pk").values_list("text", "language", "translation")
    for text, language, translation in rows[:limit]:
        yield (text, translation) if language == Message.Language.EN else (translation, text)


def inquiry_mark_read_by_buyer(*, inquiry: Inquiry) -> None:
    """The buyer opened the thread: everything in it so far counts as read."""
    Inquiry.objects.filter(pk=inquiry.pk).update(buyer_read_at=timezone.now())


# The exporter's side (the portal's inbox).

EXPORTER_MESSAGE_MAX_LENGTH = 5000


def message_post_by_exporter(*, inquiry: Inquiry, text: str, actor) -> Message:
    """A user of the company the inquiry was forwarded to answers in English.

    Records the message, moves a forwarded inquiry to answered (answered_at, first answer
    only), touches last_activity_at and audits. The buyer reads it once staff translated it
    (mediation.on_release). Refused
    for another company's user (PermissionDenied), for an inquiry not (or no longer) open
    to the exporter (409), and for empty or overlong text (ValidationError on "text").
    """
    membership = getattr(actor, "exporter_membership", None) if actor is not None and actor.is_active else None
    if membership is None or membership.exporter_id != inquiry.exporter_id:
        raise PermissionDenied(_("This inquiry was sent to another company."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Write a reply before sending.")]})
    if len(text) > EXPORTER_MESSAGE_MAX_LENGTH:
        raise ValidationError({"text": [_("At most %(n)d characters.") % {"n": EXPORTER_MESSAGE_MAX_LENGTH}]})
    with transaction.atomic():
        inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
        from_status = inquiry.status
        if from_status not in (Inquiry.Status.FORWARDED, Inquiry.Status.ANSWERED):
            raise InvalidTransition(
                _("This inquiry is %(status)s; it takes no replies.")
                % {"status": inquiry.get_status_display().lower()},
                code="inquiry_closed" if from_status in CLOSED else "invalid_state",
            )
        now = timezone.now()
        message = Message(
            inquiry=inquiry,
            author_role=Message.AuthorRole.EXPORTER,
            author_user=actor,
            text=text,
            language=Message.Language.EN,
            created_at=now,
        )
        message.full_clean()
        message.save()
        inquiry.last_activity_at = now
        if from_status == Inquiry.Status.FORWARDED:
            inquiry.status = Inquiry.Status.ANSWERED
            inquiry.answered_at = now
        inquiry.save(update_fields=["status", "answered_at", "last_activity_at"])
        audit_record(
            obj=inquiry,
            action="message_posted_by_exporter",
            actor=actor,
            from_status=from_status,
            to_status=inquiry.status,
            note=f"message #{message.pk}",
        )
    return message
