"""How recorded codes read to staff: audit actions, outbox kinds, statuses and audit notes.

Both the admin (which shows them) and the models' __str__ use these."""

import re

from django.utils.translation import pgettext_lazy

# How the services' action codes read to staff; an unknown code shows as it is.
AUDIT_ACTION_LABELS = {
    "create": pgettext_lazy("audit action", "create"),
    "update": pgettext_lazy("audit action", "update"),
    "edit": pgettext_lazy("audit action", "edit"),
    "submit": pgettext_lazy("audit action", "submit"),
    "withdraw": pgettext_lazy("audit action", "withdraw"),
    "publish": pgettext_lazy("audit action", "publish"),
    "reject": pgettext_lazy("audit action", "reject"),
    "archive": pgettext_lazy("audit action", "archive"),
    "feature": pgettext_lazy("audit action", "feature"),
    "unfeature": pgettext_lazy("audit action", "unfeature"),
    "propose_changes": pgettext_lazy("audit action", "propose_changes"),
    "withdraw_changes": pgettext_lazy("audit action", "withdraw_changes"),
    "apply_changes": pgettext_lazy("audit action", "apply_changes"),
    "discard_changes": pgettext_lazy("audit action", "discard_changes"),
    "review_translations": pgettext_lazy("audit action", "translations reviewed"),
    "add_photo": pgettext_lazy("audit action", "add_photo"),
    "propose_photo": pgettext_lazy("audit action", "propose_photo"),
    "remove_photo": pgettext_lazy("audit action", "remove_photo"),
    "add_product": pgettext_lazy("audit action", "add_product"),
    "remove_product": pgettext_lazy("audit action", "remove_product"),
    "reorder": pgettext_lazy("audit action", "reorder"),
    "verify": pgettext_lazy("audit action", "verify"),
    "suspend": pgettext_lazy("audit action", "suspend"),
    "inquiry_created": pgettext_lazy("audit action", "inquiry received"),
    "inquiry_screen": pgettext_lazy("audit action", "screen"),
    "inquiry_forward": pgettext_lazy("audit action", "forward"),
    "inquiry_mark_spam": pgettext_lazy("audit action", "mark as spam"),
    "inquiry_close_won": pgettext_lazy("audit action", "close: deal won"),
    "inquiry_close_lost": pgettext_lazy("audit action", "close: lost"),
    "inquiry_reopen": pgettext_lazy("audit action", "reopen"),
    "inquiry_assign": pgettext_lazy("audit action", "assign"),
    "inquiry_policy_set": pgettext_lazy("audit action", "change inquiry policy"),
    "message_translate": pgettext_lazy("audit action", "translate message"),
    "note_add": pgettext_lazy("audit action", "internal note"),
    "message_posted_by_buyer": pgettext_lazy("audit action", "buyer wrote"),
    "message_posted_by_exporter": pgettext_lazy("audit action", "exporter replied"),
    "message_posted_by_staff": pgettext_lazy("audit action", "PTI wrote to one side"),
    "message_send_as_written": pgettext_lazy("audit action", "message passed on as written"),
    "inquiry_english_set": pgettext_lazy("audit action", "English for the exporter"),
    "buyer_signed_up": pgettext_lazy("audit action", "buyer signed up"),
    "buyer_profile_changed": pgettext_lazy("audit action", "buyer profile changed"),
    "buyer_phone_bound": pgettext_lazy("audit action", "phone number bound"),
    "buyer_consented": pgettext_lazy("audit action", "privacy policy accepted"),
    "buyer_deleted": pgettext_lazy("audit action", "account deleted"),
    "buyer_avatar_checked": pgettext_lazy("audit action", "avatar checked"),
    "register": pgettext_lazy("audit action", "registered"),
    "confirm_email": pgettext_lazy("audit action", "e-mail confirmed"),
    "invite_member": pgettext_lazy("audit action", "colleague invited"),
    "accept_invite": pgettext_lazy("audit action", "invitation accepted"),
    "resend_invitation": pgettext_lazy("audit action", "invitation sent again"),
    "withdraw_invitation": pgettext_lazy("audit action", "invitation cancelled"),
    "remove_member": pgettext_lazy("audit action", "colleague removed"),
    "deactivate": pgettext_lazy("audit action", "account deactivated"),
    "second_factor_enrolled": pgettext_lazy("audit action", "sign-in code set up"),
    "update_profile": pgettext_lazy("audit action", "company profile changed"),
    "document_upload": pgettext_lazy("audit action", "document uploaded"),
    "document_accept": pgettext_lazy("audit action", "document accepted"),
    "document_refuse": pgettext_lazy("audit action", "document refused"),
    "document_delete": pgettext_lazy("audit action", "document deleted"),
    "edit_photo": pgettext_lazy("audit action", "photo changed"),
    "retry": pgettext_lazy("audit action", "retry"),
    "message_release": pgettext_lazy("audit action", "held message released"),
    "message_reject": pgettext_lazy("audit action", "held message rejected"),
}


def audit_action_label(action: str):
    return AUDIT_ACTION_LABELS.get(action, action)


# How the outbox's kinds (the apps' notifications.py KIND_*) read to staff.
NOTIFICATION_KIND_LABELS = {
    "exporter_verified": pgettext_lazy("outbox kind", "exporter verified"),
    "exporter_document_refused": pgettext_lazy("outbox kind", "document refused"),
    "product_published": pgettext_lazy("outbox kind", "product published"),
    "product_rejected": pgettext_lazy("outbox kind", "product rejected"),
    "product_changes_applied": pgettext_lazy("outbox kind", "product changes applied"),
    "inquiry_forwarded": pgettext_lazy("outbox kind", "inquiry forwarded to the exporter"),
    "inquiry_buyer_wrote": pgettext_lazy("outbox kind", "buyer wrote to the exporter"),
    "inquiry_answered": pgettext_lazy("outbox kind", "buyer told of the answer"),
    "inquiry_staff_wrote": pgettext_lazy("outbox kind", "PTI wrote to the exporter"),
    "staff_digest": pgettext_lazy("outbox kind", "staff digest"),
}


def notification_kind_label(kind: str):
    return NOTIFICATION_KIND_LABELS.get(kind, kind)


def status_label(model, code: str) -> str:
    """A recorded status code in the words of the model's choices (draft -> 草稿); unknown as it is."""
    if model is not None and code:
        for field in model._meta.concrete_fields:
            label = dict(field.flatchoices or ()).get(code)
            if label is not None:
                return str(label)
    return code


# What the services write in audit notes besides names, e-mails and reasons: "photo #60",
# "message #12 (corrected), buyer notified", "screening=review", "screening_required: False → True",
# and lists of changed fields ("name_en, summary_zh_hans").
NOTE_PHRASES = {
    "photo #": pgettext_lazy("audit note", "photo #"),
    "message #": pgettext_lazy("audit note", "message #"),
    "(corrected)": pgettext_lazy("audit note", "(corrected)"),
    "buyer notified": pgettext_lazy("audit note", "buyer notified"),
    "True": pgettext_lazy("audit note", "yes"),
    "False": pgettext_lazy("audit note", "no"),
}
NOTE_RE = re.compile(
    r"photo #|message #|\(corrected\)|buyer notified|(?<=[:→] )(?:True|False)\b|\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b"
)


def audit_note_label(model, note: str) -> str:
    """An audit note in staff's words: our fixed phrases, and field names as the model labels them."""
    fields = {f.name: f.verbose_name for f in model._meta.get_fields() if hasattr(f, "verbose_name")} if model else {}
    names = note.split(", ")
    if note and all(name in fields for name in names):
        return ", ".join(str(fields[name]) for name in names)

    def word(match):
        text = match.group(0)
        return str(NOTE_PHRASES.get(text, fields.get(text, text)))

    return NOTE_RE.sub(word, note)


def audit_status_change(entry) -> str:
    if not (entry.from_status or entry.to_status):
        return ""
    model = entry.content_type.model_class()
    return f"{status_label(model, entry.from_status) or '-'} → {status_label(model, entry.to_status)}"
