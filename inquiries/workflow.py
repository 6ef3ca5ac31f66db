"""The staff side of inquiries: the status machine, assignment, translations and notes.

    new -> screening -> forwarded -> answered -> closed_won / closed_lost
    (any open state) -> spam or closed_lost; a closed one may be reopened

Each action is one function (imported from `inquiries.services`, the one place every door
calls): it refuses anyone but active staff (PermissionDenied), locks the inquiry, refuses
the wrong state with InvalidTransition (409 in the API, a message in the admin), records
who and when (the `*_at` field and an audit row) and writes the outbox rows for what must
be told outside (inquiries/notifications.py), all in one transaction.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import Currency
from inquiries.mediation import forward_if_ready, forward_now, on_release, require_english
from inquiries.models import Inquiry, InquiryPolicy, Message
from pti_bridge.audit import audit_record
from pti_bridge.errors import InvalidTransition, RuleViolation
from pti_bridge.permissions import require_staff

Status = Inquiry.Status
OPEN = frozenset({Status.NEW, Status.SCREENING, Status.FORWARDED, Status.ANSWERED})
CLOSED = frozenset({Status.CLOSED_WON, Status.CLOSED_LOST, Status.SPAM})

# Which states each action starts from. The tests walk this table, allowed and refused.
ALLOWED_FROM = {
    "screen": frozenset({Status.NEW}),
    "forward": frozenset({Status.NEW, Status.SCREENING}),
    "mark_spam": OPEN,
    "close_won": frozenset({Status.FORWARDED, Status.ANSWERED}),
    "close_lost": OPEN,
    "reopen": CLOSED,
}
# How each action reads in a refusal: "Inquiry #7 is answered; it cannot be forwarded."
ACTION_WORDS = {
    "screen": _("taken up for screening"),
    "forward": _("forwarded"),
    "mark_spam": _("marked as spam"),
    "close_won": _("closed as won"),
    "close_lost": _("closed as lost"),
    "reopen": _("reopened"),
}
TRANSLATION_MAX_LENGTH = 5000
NOTE_MAX_LENGTH = 5000


def _refuse(inquiry: Inquiry, action: str) -> InvalidTransition:
    return InvalidTransition(
        _("Inquiry #%(id)s is %(status)s; it cannot be %(action)s.")
        % {"id": inquiry.pk, "status": inquiry.get_status_display().lower(), "action": ACTION_WORDS[action]}
    )


def _transition(*, inquiry: Inquiry, actor, action: str, to_status, changes=None, note="") -> Inquiry:
    """Lock, check the state against ALLOWED_FROM, apply `changes(locked, now)`, save, audit.

    `to_status` and `note` may be functions of the locked inquiry (as it was before the change).
    """
    require_staff(actor)
    with transaction.atomic():
        locked = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
        from_status = locked.status
        if from_status not in ALLOWED_FROM[action]:
            raise _refuse(locked, action)
        now = timezone.now()
        to_status = to_status(locked) if callable(to_status) else to_status
        note = note(locked) if callable(note) else note
        locked.status = to_status
        if changes is not None:
            changes(locked, now)
        locked.full_clean(exclude=["idempotency_key"])
        locked.save()
        audit_record(
            obj=locked, action=f"inquiry_{action}", actor=actor, from_status=from_status, to_status=to_status, note=note
        )
    return locked


def inquiry_screen(*, inquiry: Inquiry, actor) -> Inquiry:
    """new -> screening: a staff member takes the inquiry up (and is assigned if nobody is)."""

    def changes(locked, now):
        locked.screening_at = now
        if locked.assigned_to_id is None:
            locked.assigned_to = actor

    return _transition(inquiry=inquiry, actor=actor, action="screen", to_status=Status.SCREENING, changes=changes)


def _no_held_buyer_messages(inquiry: Inquiry) -> None:
    if inquiry.messages.filter(author_role=Message.AuthorRole.BUYER, screening=Message.Screening.REVIEW).exists():
        raise RuleViolation(
            _("Inquiry #%(id)s has a buyer message held by WeChat's content check; release or reject it first.")
            % {"id": inquiry.pk},
            code="message_held",
        )


def inquiry_forward(*, inquiry: Inquiry, actor) -> Inquiry:
    """new / screening -> forwarded: the exporter sees it in the portal and gets an e-mail.

    Refused while a buyer message waits for staff review after WeChat's content check, and
    while anything the exporter would read is not in English yet (mediation.english_missing)."""
    _no_held_buyer_messages(inquiry)

    def changes(locked, now):
        require_english(locked)
        forward_now(locked, now)

    return _transition(inquiry=inquiry, actor=actor, action="forward", to_status=Status.FORWARDED, changes=changes)


def _close(locked: Inquiry, now) -> None:
    locked.closed_at = now


def inquiry_mark_spam(*, inquiry: Inquiry, actor) -> Inquiry:
    """Any open state -> spam: closed, the buyer can write no more."""
    return _transition(inquiry=inquiry, actor=actor, action="mark_spam", to_status=Status.SPAM, changes=_close)


def inquiry_close_won(*, inquiry: Inquiry, actor, deal_value, deal_currency: str, deal_volume: str) -> Inquiry:
    """forwarded / answered -> closed_won, with the deal's value, currency and volume (for the reports)."""
    errors = {}
    try:
        value = Decimal(str(deal_value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not value.is_finite() or value <= 0:
        errors["deal_value"] = [_("Give the deal's value, a number above zero.")]
    elif value.as_tuple().exponent < -2 or value >= Decimal("1e12"):
        errors["deal_value"] = [_("At most 12 digits before the decimal point and 2 after it.")]
    if deal_currency not in Currency.values:
        errors["deal_currency"] = [_("Choose the deal's currency.")]
    deal_volume = " ".join((deal_volume or "").split())
    if not deal_volume:
        errors["deal_volume"] = [_("Give the deal's volume, e.g. 2 t or 1 container.")]
    elif len(deal_volume) > 100:
        errors["deal_volume"] = [_("At most %(n)d characters.") % {"n": 100}]
    if errors:
        raise ValidationError(errors)

    def changes(locked, now):
        _close(locked, now)
        locked.deal_value, locked.deal_currency, locked.deal_volume = value, deal_currency, deal_volume

    return _transition(
        inquiry=inquiry,
        actor=actor,
        action="close_won",
        to_status=Status.CLOSED_WON,
        changes=changes,
        note=f"{deal_currency} {value}, {deal_volume}",
    )


def inquiry_close_lost(*, inquiry: Inquiry, actor, reason: str) -> Inquiry:
    """Any open state -> closed_lost, with the reason (for the reports)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"lost_reason": [_("Say why the inquiry was lost.")]})
    if len(reason) > 2000:
        raise ValidationError({"lost_reason": [_("At most %(n)d characters.") % {"n": 2000}]})

    def changes(locked, now):
        _close(locked, now)
        locked.lost_reason = reason

    return _transition(
        inquiry=inquiry, actor=actor, action="close_lost", to_status=Status.CLOSED_LOST, changes=changes, note=reason
    )


def _reopened_status(inquiry: Inquiry) -> str:
    if inquiry.answered_at:
        return Status.ANSWERED
    if inquiry.forwarded_at:
        return Status.FORWARDED
    if inquiry.screening_at:
        return Status.SCREENING
    return Status.NEW


def inquiry_reopen(*, inquiry: Inquiry, actor) -> Inquiry:
    """closed_won / closed_lost / spam -> the step it had reached; the deal or the reason is cleared
    (the audit row keeps what it was)."""

    def was(locked):
        if locked.status == Status.CLOSED_WON:
            return f"was: {locked.deal_currency} {locked.deal_value}, {locked.deal_volume}"
        if locked.status == Status.CLOSED_LOST:
            return f"was: {locked.lost_reason}"
        return ""

    def changes(locked, now):
        locked.closed_at = None
        locked.deal_value, locked.deal_currency, locked.deal_volume, locked.lost_reason = None, "", "", ""

    return _transition(
        inquiry=inquiry, actor=actor, action="reopen", to_status=_reopened_status, changes=changes, note=was
    )


def inquiry_assign(*, inquiry: Inquiry, assignee, actor) -> Inquiry:
    """Give the inquiry to a staff member (or to nobody with `assignee=None`), in any state."""
    require_staff(actor)
    if assignee is not None and not (assignee.is_active and assignee.is_staff):
        raise ValidationError({"assigned_to": [_("Only active PTI staff can be assigned an inquiry.")]})
    with transaction.atomic():
        locked = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
        before = locked.assigned_to
        locked.assigned_to = assignee
        locked.save(update_fields=["assigned_to"])
        audit_record(
            obj=locked,
            action="inquiry_assign",
            actor=actor,
            note=f"{before or '-'} → {assignee or '-'}",
        )
    return locked


def message_translate(*, message: Message, translation: str, actor) -> Message:
    """Staff write (or correct) the translation of a buyer's or exporter's message.

    The first translation releases the message to the other side (mediation.on_release: the
    exporter's e-mail, or the buyer's WeChat subscribe message); a correction sends nothing.
    Internal notes and PTI's own messages (written in the reader's language) are not translated.
    """
    require_staff(actor)
    translation = (translation or "").strip()
    if not translation:
        raise ValidationError({"translation": [_("Write the translation.")]})
    if len(translation) > TRANSLATION_MAX_LENGTH:
        raise ValidationError({"translation": [_("At most %(n)d characters.") % {"n": TRANSLATION_MAX_LENGTH}]})
    with transaction.atomic():
        inquiry = (
            Inquiry.objects.select_for_update()
            .select_related("product", "exporter", "buyer")
            .get(pk=message.inquiry_id)
        )
        message = Message.objects.select_for_update().get(pk=message.pk)
        if message.is_internal:
            raise InvalidTransition(_("Internal notes are for staff only; they are not translated."))
        if message.author_role == Message.AuthorRole.STAFF:
            raise InvalidTransition(_("PTI's own messages are written in the reader's language already."))
        if message.is_erased:
            raise InvalidTransition(
                _("The buyer deleted this message with their account; there is nothing to translate.")
            )
        first = not message.is_released
        message.translation = translation
        message.sent_as_written = False
        message.translated_by = actor
        if first:
            message.translated_at = timezone.now()
        message.full_clean()
        message.save(update_fields=["translation", "sent_as_written", "translated_by", "translated_at"])
        told = first and on_release(inquiry, message)
        audit_record(
            obj=inquiry,
            action="message_translate",
            actor=actor,
            note=f"message #{message.pk}"
            + ("" if first else " (corrected)")
            + (
                (", buyer notified" if message.author_role == Message.AuthorRole.EXPORTER else ", exporter told")
                if told
                else ""
            ),
        )
        forward_if_ready(inquiry, actor=actor)
    return message


def note_add(*, inquiry: Inquiry, text: str, actor, language: str = Message.Language.ZH_HANS) -> Message:
    """An internal note on the thread: staff read it; the buyer and the exporter never do."""
    require_staff(actor)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Write the note.")]})
    if len(text) > NOTE_MAX_LENGTH:
        raise ValidationError({"text": [_("At most %(n)d characters.") % {"n": NOTE_MAX_LENGTH}]})
    with transaction.atomic():
        note = Message(
            inquiry_id=inquiry.pk,
            author_role=Message.AuthorRole.STAFF,
            author_user=actor,
            text=text,
            language=language,
            is_internal=True,
        )
        note.full_clean()
        note.save()
        audit_record(obj=inquiry, action="note_add", actor=actor, note=f"message #{note.pk}")
    return note


def inquiry_policy_set(*, screening_required: bool, actor) -> InquiryPolicy:
    """Staff decide whether new inquiries wait for screening or go straight to the exporter."""
    require_staff(actor)
    with transaction.atomic():
        policy = InquiryPolicy.current()
        before = policy.screening_required
        policy.screening_required = bool(screening_required)
        policy.updated_by = actor
        policy.save()
        audit_record(
            obj=policy,
            action="inquiry_policy_set",
            actor=actor,
            note=f"screening_required: {before} → {policy.screening_required}",
        )
    return policy


def message_review(*, message: Message, actor, release: bool) -> Message:
    """Staff decide on a message WeChat's content check wanted reviewed: release it to the
    thread (it reaches the exporter once translated too) or reject it for good."""
    require_staff(actor)
    with transaction.atomic():
        inquiry = Inquiry.objects.select_for_update().select_related("exporter", "product").get(pk=message.inquiry_id)
        message = Message.objects.select_for_update().get(pk=message.pk)
        if message.screening != Message.Screening.REVIEW:
            raise InvalidTransition(
                _("Message #%(id)s is not waiting for review (%(state)s).")
                % {"id": message.pk, "state": message.get_screening_display().lower()}
            )
        message.screening = Message.Screening.PASSED if release else Message.Screening.REJECTED
        message.save(update_fields=["screening"])
        if release and message.is_released:  # translated while held: it reaches the exporter now
            on_release(inquiry, message)
        if release:
            forward_if_ready(inquiry, actor=actor)
        audit_record(
            obj=inquiry,
            action="message_release" if release else "message_reject",
            actor=actor,
            note=f"message #{message.pk}",
        )
    return message
