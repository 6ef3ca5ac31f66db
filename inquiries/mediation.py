"""Mediation: what crosses between the buyer's Chinese and the exporter's English, and when.

- A buyer's message reaches the exporter, and an exporter's message the buyer, only once staff
  translated it or sent it as written (`message_send_as_written`: it was already in the
  reader's language). That moment, the release, is when the other side is told (once).
- Staff write to one side in that side's language (`message_post_by_staff`); internal notes
  stay with staff.
- What the exporter reads about the buyer (destination, name, company) has an English form staff
  fill (`inquiry_set_english`, pinyin offered by `english_suggestions`); an inquiry is forwarded
  only once nothing is missing (`english_missing`).

Every function here runs inside the caller's transaction or opens its own.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inquiries import notifications
from inquiries.models import Inquiry, InquiryPolicy, Message, released_q
from pti_bridge.audit import audit_record
from pti_bridge.errors import InvalidTransition, RuleViolation
from pti_bridge.permissions import require_staff
from pti_bridge.text import CJK_RE, pinyin

Status = Inquiry.Status
Role = Message.AuthorRole
WITH_EXPORTER = frozenset({Status.FORWARDED, Status.ANSWERED})
CLOSED = frozenset({Status.CLOSED_WON, Status.CLOSED_LOST, Status.SPAM})
STAFF_MESSAGE_MAX_LENGTH = 5000
# The English fields and the buyer's words each one puts into English.
ENGLISH_FIELDS = {
    "destination_en": (_("the destination in English"), lambda inquiry: inquiry.destination),
    "buyer_name_en": (_("the buyer's name in English"), lambda inquiry: _shared(inquiry, "display_name")),
    "buyer_company_en": (_("the buyer's company in English"), lambda inquiry: _shared(inquiry, "company")),
}


def _shared(inquiry: Inquiry, field: str) -> str:
    """The buyer's own words the exporter sees: only with contact details shared, never once deleted."""
    buyer = inquiry.buyer
    if not inquiry.share_contact or buyer.deleted_at is not None:
        return ""
    return getattr(buyer, field)


def has_chinese(text: str) -> bool:
    return bool(CJK_RE.search(text or ""))


def transliterate(text: str) -> str:
    """A default English form: pinyin for the Chinese (上海洋山港 -> Shang Hai Yang Shan Gang), the rest kept."""
    if not has_chinese(text):
        return " ".join(text.split())
    return " ".join(syllable.capitalize() for syllable in pinyin(text))


def english_suggestions(inquiry: Inquiry) -> dict[str, str]:
    """Each English field's value for the form: what staff wrote, else a transliteration."""
    return {
        name: getattr(inquiry, name) or transliterate(original(inquiry))
        for name, (_label, original) in ENGLISH_FIELDS.items()
    }


def english_missing(inquiry: Inquiry) -> list[str]:
    """What must still be put into English before the exporter sees the inquiry (empty: ready)."""
    missing = []
    untranslated = (
        inquiry.messages.filter(author_role=Role.BUYER, screening=Message.Screening.PASSED)
        .exclude(text="")  # erased with the buyer's account
        .exclude(released_q())
    )
    if untranslated.exists():
        missing.append(_("the buyer's messages (translate them, or send as written if the buyer wrote in English)"))
    for name, (label, original) in ENGLISH_FIELDS.items():
        if original(inquiry) and not getattr(inquiry, name):
            missing.append(label)
    return missing


def require_english(inquiry: Inquiry) -> None:
    """Refuse to forward while the exporter would read untranslated words (RuleViolation, 409)."""
    missing = english_missing(inquiry)
    if missing:
        raise RuleViolation(
            _("Inquiry #%(id)s cannot be forwarded yet: the exporter reads English only. Still missing: %(missing)s.")
            % {"id": inquiry.pk, "missing": str(_("; ")).join(str(item) for item in missing)},
            code="translation_missing",
        )


def forward_now(inquiry: Inquiry, now) -> None:
    """Make `inquiry` forwarded and e-mail the exporter; inside the caller's transaction."""
    inquiry.status = Status.FORWARDED
    inquiry.forwarded_at = now
    notifications.notify_exporter_forwarded(inquiry)


def forward_if_ready(inquiry: Inquiry, *, actor) -> bool:
    """Without staff screening (InquiryPolicy), a new inquiry goes to the exporter by itself as
    soon as everything in it is in English. `inquiry` is locked by the caller."""
    held = inquiry.messages.filter(author_role=Role.BUYER, screening=Message.Screening.REVIEW)
    if (
        inquiry.status not in (Status.NEW, Status.SCREENING)
        or InquiryPolicy.screening_required_now()
        or held.exists()
        or english_missing(inquiry)
    ):
        return False
    from_status = inquiry.status
    forward_now(inquiry, timezone.now())
    inquiry.save(update_fields=["status", "forwarded_at"])
    audit_record(
        obj=inquiry,
        action="inquiry_forward",
        actor=actor,
        from_status=from_status,
        to_status=inquiry.status,
        note="by itself, once in English (no staff screening)",
    )
    return True


def on_release(inquiry: Inquiry, message: Message) -> bool:
    """The message just reached the other side: tell that side (once). True when someone was told."""
    if message.screening != Message.Screening.PASSED:
        return False  # the content check still holds it; releasing it from review tells them
    if message.author_role == Role.BUYER:
        if inquiry.status not in WITH_EXPORTER:
            return False  # the forwarding e-mail will bring the exporter to it
        return bool(notifications.notify_exporter_buyer_wrote(inquiry))
    if message.author_role == Role.EXPORTER and inquiry.status != Status.SPAM:
        Inquiry.objects.filter(pk=inquiry.pk).update(last_activity_at=timezone.now())
        notifications.notify_buyer_answered(inquiry, message)
        return True
    return False


def _locked(message: Message) -> tuple[Inquiry, Message]:
    inquiry = Inquiry.objects.select_for_update().select_related("product", "exporter", "buyer")
    inquiry = inquiry.get(pk=message.inquiry_id)
    return inquiry, Message.objects.select_for_update().get(pk=message.pk)


def message_send_as_written(*, message: Message, actor) -> Message:
    """Staff pass a message on untranslated because it is already in the reader's language
    (the buyer wrote in English). A buyer's text with Chinese in it must be translated."""
    require_staff(actor)
    with transaction.atomic():
        inquiry, message = _locked(message)
        if message.author_role == Role.STAFF:
            raise InvalidTransition(_("PTI's own messages are written in the reader's language already."))
        if message.is_erased:
            raise InvalidTransition(
                _("The buyer deleted this message with their account; there is nothing to translate.")
            )
        if message.is_released:
            raise InvalidTransition(
                _("Message #%(id)s has already been passed on to the other side.") % {"id": message.pk}
            )
        if message.author_role == Role.BUYER and message.has_chinese:
            raise RuleViolation(
                _("Message #%(id)s contains Chinese: translate it; the exporter reads English only.")
                % {"id": message.pk},
                code="translation_missing",
            )
        message.sent_as_written = True
        message.translated_by = actor
        message.translated_at = timezone.now()
        message.save(update_fields=["sent_as_written", "translated_by", "translated_at"])
        told = on_release(inquiry, message)
        audit_record(
            obj=inquiry,
            action="message_send_as_written",
            actor=actor,
            note=f"message #{message.pk}" + (", the other side told" if told else ""),
        )
        forward_if_ready(inquiry, actor=actor)
    return message


def message_post_by_staff(*, inquiry: Inquiry, addressed_to: str, text: str, actor) -> Message:
    """Staff write to the buyer (in Chinese; a WeChat subscribe message tells them) or to the
    exporter (in English; e-mailed). The other side never sees it. Closed inquiries take none (409)."""
    require_staff(actor)
    text = (text or "").strip()
    if addressed_to not in (Role.BUYER, Role.EXPORTER):
        raise ValidationError({"addressed_to": [_("Choose whether the message is for the buyer or the exporter.")]})
    if not text:
        raise ValidationError({"text": [_("Write the message.")]})
    if len(text) > STAFF_MESSAGE_MAX_LENGTH:
        raise ValidationError({"text": [_("At most %(n)d characters.") % {"n": STAFF_MESSAGE_MAX_LENGTH}]})
    if addressed_to == Role.EXPORTER and has_chinese(text):
        raise ValidationError({"text": [_("The exporter reads English: write this message in English.")]})
    if addressed_to == Role.BUYER and not has_chinese(text):
        raise ValidationError({"text": [_("The buyer reads Chinese: write this message in Chinese.")]})
    with transaction.atomic():
        inquiry = Inquiry.objects.select_for_update().select_related("product", "exporter", "buyer").get(pk=inquiry.pk)
        if inquiry.status in CLOSED:
            raise InvalidTransition(
                _("Inquiry #%(id)s is %(status)s; it takes no more messages.")
                % {"id": inquiry.pk, "status": inquiry.get_status_display().lower()},
                code="inquiry_closed",
            )
        if addressed_to == Role.EXPORTER and inquiry.status not in WITH_EXPORTER:
            raise InvalidTransition(
                _("Inquiry #%(id)s is not with the exporter yet: forward it first.") % {"id": inquiry.pk}
            )
        now = timezone.now()
        message = Message(
            inquiry=inquiry,
            author_role=Role.STAFF,
            author_user=actor,
            addressed_to=addressed_to,
            text=text,
            language=Message.Language.EN if addressed_to == Role.EXPORTER else Message.Language.ZH_HANS,
            created_at=now,
        )
        message.full_clean()
        message.save()
        Inquiry.objects.filter(pk=inquiry.pk).update(last_activity_at=now)
        if addressed_to == Role.EXPORTER:
            notifications.notify_exporter_staff_wrote(inquiry, message)
        else:
            notifications.notify_buyer_answered(inquiry, message)
        audit_record(
            obj=inquiry, action="message_posted_by_staff", actor=actor, note=f"message #{message.pk} → {addressed_to}"
        )
    return message


def _english_value(name: str, value: str, errors: dict) -> str:
    value = " ".join((value or "").split())
    limit = Inquiry._meta.get_field(name).max_length
    if has_chinese(value):
        errors[name] = [_("The exporter reads English: write this without Chinese characters.")]
    elif len(value) > limit:
        errors[name] = [_("At most %(n)d characters.") % {"n": limit}]
    return value


def inquiry_set_english(*, inquiry: Inquiry, actor, **values: str) -> Inquiry:
    """Staff write the English the exporter reads for the buyer's destination, name and company
    (ValidationError for Chinese left in). Without staff screening, this may forward the inquiry."""
    require_staff(actor)
    unknown = set(values) - set(ENGLISH_FIELDS)
    if unknown:
        raise ValueError(f"not English fields: {sorted(unknown)}")
    errors = {}
    cleaned = {name: _english_value(name, value, errors) for name, value in values.items()}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Inquiry.objects.select_for_update().select_related("product", "exporter", "buyer").get(pk=inquiry.pk)
        before = {name: getattr(locked, name) for name in cleaned}
        for name, value in cleaned.items():
            setattr(locked, name, value)
        locked.full_clean(exclude=["idempotency_key"])
        locked.save(update_fields=list(cleaned))
        # Field names only: the values are the buyer's words, erased with their account.
        changed = ", ".join(name for name, value in cleaned.items() if before[name] != value)
        audit_record(obj=locked, action="inquiry_english_set", actor=actor, note=changed)
        forward_if_ready(locked, actor=actor)
    return locked
