"""What the inquiry workflow tells people outside the back office, written to the outbox.

Every function here is called inside a service's transaction: it only writes outbox rows
(pti_bridge.outbox), which commit or roll back with the change and are sent after commit.

- The exporter's active company users get an e-mail (English, text and HTML) when staff
  forward an inquiry, when staff pass on a new message of the buyer (translated or sent as
  written), and when staff write to the exporter, with a link to the portal thread. The e-mail
  names the buyer (in the English staff wrote) only when the buyer agreed to share contact
  details, and never carries staff notes.
- The buyer gets a WeChat subscribe message when an answer is published (staff translated or
  passed on the exporter's reply) and when staff write to the buyer. The row's recipient is "buyer:<id>", resolved to the
  openid only at send time (buyers/notifications.py), so the outbox never holds an openid
  and a deleted account leaves none behind.
"""

import re

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from inquiries.models import Inquiry, Message
from pti_bridge import outbox
from pti_bridge.models import Notification

KIND_FORWARDED = "inquiry_forwarded"
KIND_BUYER_WROTE = "inquiry_buyer_wrote"
KIND_ANSWERED = "inquiry_answered"
KIND_STAFF_WROTE = "inquiry_staff_wrote"


def buyer_recipient(buyer_id: int) -> str:
    return f"buyer:{buyer_id}"


def _exporter_addresses(inquiry: Inquiry) -> list[str]:
    from django.contrib.auth import get_user_model

    users = (
        get_user_model()
        .objects.filter(exporter_membership__exporter_id=inquiry.exporter_id, is_active=True)
        .exclude(email="")
    )
    return sorted({user.email for user in users.only("email")})


def _email_exporter(inquiry: Inquiry, *, kind: str, template: str, extra: dict | None = None) -> list[Notification]:
    # Exporters read English whatever language the staff member acting uses.
    with translation.override("en"):
        context = {
            "inquiry": inquiry,
            "product": inquiry.product,
            "exporter": inquiry.exporter,
            "buyer": inquiry.buyer if inquiry.share_contact else None,
            "thread_url": settings.SITE_URL + reverse("portal:inquiry_thread", args=[inquiry.pk]),
            "inbox_url": settings.SITE_URL + reverse("portal:inbox"),
            **(extra or {}),
        }
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    return [
        outbox.enqueue_email(kind=kind, to=address, subject=subject, text=text, html=html)
        for address in _exporter_addresses(inquiry)
    ]


def forget_exporter_emails(inquiry_ids: list[int]) -> None:
    """The e-mails about these inquiries quote the buyer (destination, name when shared): their
    text is dropped, and one not sent yet is cancelled (the buyer deleted what it would say).
    One being sent right now is left to finish. The row stays, as the record of the send."""
    for inquiry_id in inquiry_ids:
        thread_url = settings.SITE_URL + reverse("portal:inquiry_thread", args=[inquiry_id])
        emails = Notification.objects.filter(
            channel=Notification.Channel.EMAIL,
            kind__in=[KIND_FORWARDED, KIND_BUYER_WROTE, KIND_STAFF_WROTE],
            payload__text__icontains=thread_url,
        ).exclude(status=Notification.Status.SENDING)
        emails.filter(status=Notification.Status.PENDING).update(status=Notification.Status.CANCELLED)
        emails.update(payload={})


def notify_exporter_forwarded(inquiry: Inquiry) -> list[Notification]:
    # Whether PTI translated the buyer's words, or the buyer wrote English and PTI sent it as written.
    as_written = not inquiry.messages.filter(
        author_role=Message.AuthorRole.BUYER, sent_as_written=False, screening=Message.Screening.PASSED
    ).exists()
    return _email_exporter(
        inquiry, kind=KIND_FORWARDED, template="inquiry_forwarded", extra={"sent_as_written": as_written}
    )


def notify_exporter_staff_wrote(inquiry: Inquiry, message: Message) -> list[Notification]:
    return _email_exporter(inquiry, kind=KIND_STAFF_WROTE, template="inquiry_staff_wrote", extra={"message": message})


def notify_exporter_buyer_wrote(inquiry: Inquiry) -> list[Notification]:
    return _email_exporter(inquiry, kind=KIND_BUYER_WROTE, template="inquiry_buyer_wrote")


# WeChat subscribe messages. Each data key's prefix decides WeChat's rule for its value
# (docs/wechat.md 1.4); the values below are cut or cleaned to fit it.

CHARACTER_STRING = re.compile(r"[^0-9A-Za-z!-/:-@\[-`{-~]")


def _fit(key: str, value: str) -> str:
    prefix = re.sub(r"\d+$", "", key)
    value = " ".join(str(value).split())
    if prefix == "thing":
        return value if len(value) <= 20 else value[:19] + "…"
    if prefix == "character_string":
        return CHARACTER_STRING.sub("", value)[:32]
    if prefix == "phrase":
        return value[:5]
    return value[:64]


def _answer_values(inquiry: Inquiry, message: Message) -> dict[str, str]:
    """Everything a template may show, by the names WECHAT_TEMPLATE_INQUIRY_ANSWERED_FIELDS uses."""
    when = timezone.localtime(message.created_at)
    return {
        "product": inquiry.product.name_zh_hans or inquiry.product.name_en,
        "exporter": inquiry.exporter.name,
        "answer": message.translation or message.text,
        "answered_at": when.strftime("%Y-%m-%d %H:%M"),
        "date": when.strftime("%Y-%m-%d"),
        "inquiry": f"#{inquiry.pk}",
        "status": "已回复",
    }


def notify_buyer_answered(inquiry: Inquiry, message: Message) -> Notification | None:
    """A subscribe message to the buyer: their inquiry has an answer (or PTI's message) to read.

    Nothing is written when no template is configured or the account is deleted.
    """
    template_id = settings.WECHAT_TEMPLATE_INQUIRY_ANSWERED
    if not template_id or inquiry.buyer.deleted_at is not None:
        return None
    values = _answer_values(inquiry, message)
    data = {
        key: _fit(key, values.get(source, source))
        for key, source in settings.WECHAT_TEMPLATE_INQUIRY_ANSWERED_FIELDS.items()
    }
    page = settings.WECHAT_INQUIRY_PAGE
    return outbox.enqueue(
        channel=Notification.Channel.WECHAT,
        kind=KIND_ANSWERED,
        recipient=buyer_recipient(inquiry.buyer_id),
        payload={
            "template_id": template_id,
            "data": data,
            "page": f"{page}?id={inquiry.pk}" if page else "",
            "lang": "zh_CN",
        },
    )
