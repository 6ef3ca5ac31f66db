"""The daily digest for staff: new inquiries, what waits for screening, answers overdue.

`send_staff_digest()` writes one e-mail per active staff user with an address into the
outbox (pti_bridge.outbox), at most once per recipient per day on the office's clock: the
row carries the day (`payload["digest_date"]`) and a recipient who already has that day's
row is skipped, so Celery beat firing twice or someone running `manage.py
send_staff_digest` again the same day sends nothing more. A day with nothing to report
sends nothing.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalogue.models import Unit
from inquiries.models import Inquiry
from inquiries.reports import TO_SCREEN, localized, overdue_filter
from pti_bridge import outbox
from pti_bridge.models import Notification
from pti_bridge.workdays import response_due_at, working_days_between

KIND = "staff_digest"
# Staff work in Beijing; the digest is written in Chinese unless asked otherwise.
DEFAULT_LANGUAGE = "zh-hans"
# Rows listed per section; the rest are counted and linked.
LIST_LIMIT = 30
ROW_FIELDS = (
    "pk",
    "status",
    "created_at",
    "forwarded_at",
    "quantity",
    "unit",
    "destination",
    "exporter__name",
    "exporter__country__name_en",
    "exporter__country__name_zh_hans",
    "product__name_en",
    "product__name_zh_hans",
)


@dataclass
class DigestResult:
    day: str
    sent: list[str] = field(default_factory=list)
    already_sent: list[str] = field(default_factory=list)
    nothing_to_report: bool = False


def _admin_url(name: str, *args, **params) -> str:
    url = settings.SITE_URL + reverse(name, args=args)
    return f"{url}?{urlencode(params)}" if params else url


def _rows(queryset, now: datetime) -> list[dict]:
    rows = list(queryset.values(*ROW_FIELDS)[:LIST_LIMIT])
    for row in rows:
        row["product"] = localized(row["product__name_en"], row["product__name_zh_hans"])
        row["country"] = localized(row["exporter__country__name_en"], row["exporter__country__name_zh_hans"])
        row["status_label"] = Inquiry.Status(row["status"]).label
        row["unit"] = Unit(row["unit"]).label if row["unit"] in Unit.values else row["unit"]
        row["url"] = _admin_url("admin:inquiries_inquiry_change", row["pk"])
        if row["forwarded_at"]:
            row["due_at"] = response_due_at(row["forwarded_at"])
            row["working_days_late"] = working_days_between(row["due_at"], now)
    return rows


def digest_context(now: datetime) -> dict:
    """What the digest says at `now` (6 queries), in the active language."""
    new = Inquiry.objects.filter(created_at__gte=now - timedelta(days=1), created_at__lt=now).order_by(
        "created_at", "pk"
    )
    to_screen = Inquiry.objects.filter(status__in=TO_SCREEN).order_by("created_at", "pk")
    overdue = Inquiry.objects.filter(overdue_filter(now)).order_by("forwarded_at", "pk")
    context = {
        "now": now,
        "day": timezone.localdate(now),
        "target_days": settings.INQUIRY_RESPONSE_TARGET_WORKING_DAYS,
        "new_rows": _rows(new, now),
        "new_total": new.count(),
        "to_screen_rows": _rows(to_screen, now),
        "to_screen_total": to_screen.count(),
        "overdue_rows": _rows(overdue, now),
        "overdue_total": overdue.count(),
        "limit": LIST_LIMIT,
        "admin_url": _admin_url("admin:index"),
        "to_screen_url": _admin_url("admin:inquiries_inquiry_changelist", status__in=",".join(TO_SCREEN)),
        "overdue_url": _admin_url(
            "admin:inquiries_inquiry_changelist", queue="overdue", status__exact=Inquiry.Status.FORWARDED
        ),
    }
    context["empty"] = not (context["new_total"] or context["to_screen_total"] or context["overdue_total"])
    return context


def render_digest(context: dict) -> tuple[str, str, str]:
    """(subject, text, html) of the digest, in the active language."""
    subject = _("PTI Bridge daily digest %(day)s: %(new)s, %(to_screen)s, %(overdue)s") % {
        "day": context["day"].isoformat(),
        "new": ngettext("%(n)s new inquiry", "%(n)s new inquiries", context["new_total"]) % {"n": context["new_total"]},
        "to_screen": ngettext("%(n)s to screen", "%(n)s to screen", context["to_screen_total"])
        % {"n": context["to_screen_total"]},
        "overdue": ngettext("%(n)s answer overdue", "%(n)s answers overdue", context["overdue_total"])
        % {"n": context["overdue_total"]},
    }
    text = render_to_string("emails/staff_digest.txt", context).strip() + "\n"
    html = render_to_string("emails/staff_digest.html", context)
    return subject, text, html


def staff_recipients():
    """Active staff users with an e-mail address."""
    return get_user_model().objects.filter(is_staff=True, is_active=True).exclude(email="").order_by("pk")


def send_staff_digest(*, now: datetime | None = None, language: str = DEFAULT_LANGUAGE) -> DigestResult:
    """Write today's digest to the outbox for every staff recipient who has not had it today."""
    now = now or timezone.now()
    day = timezone.localdate(now).isoformat()
    result = DigestResult(day=day)
    with translation.override(language):
        context = digest_context(now)
        if context["empty"]:
            result.nothing_to_report = True
            return result
        subject, text, html = render_digest(context)
    with transaction.atomic():
        # Locking the recipients' rows makes two runs at once take turns: the second sees
        # the first one's rows and skips those recipients.
        addresses = [user.email for user in staff_recipients().select_for_update()]
        already = set(
            Notification.objects.filter(kind=KIND, recipient__in=addresses, payload__digest_date=day).values_list(
                "recipient", flat=True
            )
        )
        for address in addresses:
            if address in already:
                result.already_sent.append(address)
                continue
            outbox.enqueue(
                channel=Notification.Channel.EMAIL,
                kind=KIND,
                recipient=address,
                payload={"subject": subject, "text": text, "html": html, "digest_date": day},
            )
            result.sent.append(address)
    return result
