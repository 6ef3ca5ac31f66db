"""What the review workflow tells the exporter, written to the outbox (pti_bridge.outbox).

Every function here is called inside a service's transaction: it only writes outbox rows,
which commit or roll back with the change and are sent after commit (a refused or rolled-back
change e-mails nobody; an SMTP outage delays the e-mail, the outbox retries it, and a row
once sent is never sent again).

The company's active users get one e-mail each, in English (exporters read English whatever
language the staff member acting uses), plain text and HTML, with a link into the portal:
- `exporter_verified` when staff verify the company (or reinstate a suspended one);
- `exporter_document_refused` when staff refuse one of its documents (the reason quoted);
- `product_published`, `product_rejected` (the reason quoted) and `product_changes_applied`
  (which fields changed), sent by catalogue/notifications.py through `email_exporter`.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from exporters.models import Exporter, ExporterDocument
from pti_bridge import outbox
from pti_bridge.models import Notification

KIND_VERIFIED = "exporter_verified"
KIND_DOCUMENT_REFUSED = "exporter_document_refused"


def exporter_addresses(exporter_id: int) -> list[str]:
    """The e-mail addresses of the company's active portal users, each once."""
    users = (
        get_user_model().objects.filter(exporter_membership__exporter_id=exporter_id, is_active=True).exclude(email="")
    )
    return sorted({user.email for user in users.only("email")})


def email_exporter(exporter: Exporter, *, kind: str, template: str, context: dict) -> list[Notification]:
    """One outbox e-mail per active user of the company, from emails/<template>{_subject.txt,.txt,.html}."""
    with translation.override("en"):
        context = {"exporter": exporter, "dashboard_url": settings.SITE_URL + reverse("portal:dashboard"), **context}
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    return [
        outbox.enqueue_email(kind=kind, to=address, subject=subject, text=text, html=html)
        for address in exporter_addresses(exporter.pk)
    ]


def notify_exporter_verified(exporter: Exporter, *, reinstated: bool = False) -> list[Notification]:
    return email_exporter(
        exporter,
        kind=KIND_VERIFIED,
        template="exporter_verified",
        context={
            "reinstated": reinstated,
            "profile_url": settings.SITE_URL + reverse("portal:profile"),
            "products_url": settings.SITE_URL + reverse("portal:product_list"),
        },
    )


def notify_document_refused(document: ExporterDocument) -> list[Notification]:
    with translation.override("en"):
        kind = str(document.get_kind_display())
    return email_exporter(
        document.exporter,
        kind=KIND_DOCUMENT_REFUSED,
        template="document_refused",
        context={
            "document": document,
            "kind": kind,
            "reason": document.refusal_reason,
            "documents_url": settings.SITE_URL + reverse("portal:documents"),
        },
    )
