"""The agency's CSV export of inquiries and deals, for staff (served under /admin/reports/).

The file is streamed: rows are read from the database in chunks and written as they come,
so a long period never sits in memory. It starts with a UTF-8 byte order mark, which Excel
needs to read Chinese text correctly. Buyers' personal data stays out: no name, phone or
WeChat id; the buyer's company only when the buyer agreed to share contact details.
"""

import csv
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.models import Unit
from inquiries.models import Inquiry

BOM = "\ufeff"
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)
# A cell Excel would read as a formula is written as text (a leading apostrophe).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_ROWS = 1000
BATCH_ROWS = 100

COLUMNS = [
    ("id", gettext_lazy("id")),
    ("received", gettext_lazy("received")),
    ("status", gettext_lazy("status")),
    ("country", gettext_lazy("country")),
    ("exporter", gettext_lazy("exporter")),
    ("product", gettext_lazy("product")),
    ("category", gettext_lazy("category")),
    ("quantity", gettext_lazy("quantity")),
    ("unit", gettext_lazy("unit")),
    ("target_price", gettext_lazy("target price")),
    ("currency", gettext_lazy("currency")),
    ("destination", gettext_lazy("destination")),
    ("forwarded_at", gettext_lazy("forwarded at")),
    ("answered_at", gettext_lazy("answered at")),
    ("closed_at", gettext_lazy("closed at")),
    ("deal_value", gettext_lazy("deal value")),
    ("deal_currency", gettext_lazy("deal currency")),
    ("deal_volume", gettext_lazy("deal volume")),
    ("buyer_company", gettext_lazy("buyer company (if shared)")),
]

FIELDS = (
    "pk",
    "created_at",
    "status",
    "exporter__country__name_en",
    "exporter__country__name_zh_hans",
    "exporter__name",
    "exporter__name_zh_hans",
    "product__name_en",
    "product__name_zh_hans",
    "product__category__name_en",
    "product__category__name_zh_hans",
    "quantity",
    "unit",
    "target_price",
    "currency",
    "destination",
    "forwarded_at",
    "answered_at",
    "closed_at",
    "deal_value",
    "deal_currency",
    "deal_volume",
    "share_contact",
    "buyer__company",
)


class ExportForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("From"),
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": gettext_lazy("Give the first day, as YYYY-MM-DD.")},
    )
    end = forms.DateField(
        label=gettext_lazy("To (inclusive)"),
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": gettext_lazy("Give the last day, as YYYY-MM-DD.")},
    )

    @classmethod
    def for_front_page(cls) -> "ExportForm":
        today = timezone.localdate()
        return cls(initial={"start": date(today.year, 1, 1), "end": today})

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        for name, day in (("start", start), ("end", end)):
            if day is not None and not EARLIEST <= day <= LATEST:
                self.add_error(
                    name,
                    _("Give a day between %(earliest)s and %(latest)s.") % {"earliest": EARLIEST, "latest": LATEST},
                )
        if start and end and start > end and not self.errors:
            raise forms.ValidationError(_("The first day comes after the last day."))
        return cleaned


def period_filter(start: date, end: date) -> Q:
    """Inquiries received from `start` to `end` (both days included, office clock), and deals closed then."""
    zone = ZoneInfo(settings.TIME_ZONE)
    since = datetime.combine(start, time(0), tzinfo=zone)
    until = datetime.combine(end + timedelta(days=1), time(0), tzinfo=zone)
    return Q(created_at__gte=since, created_at__lt=until) | Q(
        status=Inquiry.Status.CLOSED_WON, closed_at__gte=since, closed_at__lt=until
    )


def _text(value) -> str:
    value = "" if value is None else str(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


class _Echo:
    """csv.writer's file: hands each written line back instead of storing it."""

    def write(self, value: str) -> str:
        return value


class _Rows:
    """Turns value rows into CSV lines in one language; words are looked up once per export,
    not once per row, and the thread's language is never changed while rows stream."""

    def __init__(self, language: str):
        with translation.override(language):
            self.header = [str(label) for _key, label in COLUMNS]
            self.statuses = {value: str(label) for value, label in Inquiry.Status.choices}
            self.units = {value: str(label) for value, label in Unit.choices}
        self.chinese = language.startswith("zh")
        self.zone = ZoneInfo(settings.TIME_ZONE)
        self.writer = csv.writer(_Echo())

    def name(self, english: str, chinese: str) -> str:
        return chinese if self.chinese and chinese else english

    def moment(self, value) -> str:
        return value.astimezone(self.zone).strftime("%Y-%m-%d %H:%M") if value else ""

    def line(self, inquiry: dict) -> str:
        return self.writer.writerow(
            [
                inquiry["pk"],
                self.moment(inquiry["created_at"]),
                self.statuses.get(inquiry["status"], inquiry["status"]),
                self.name(inquiry["exporter__country__name_en"], inquiry["exporter__country__name_zh_hans"]),
                _text(self.name(inquiry["exporter__name"], inquiry["exporter__name_zh_hans"])),
                _text(self.name(inquiry["product__name_en"], inquiry["product__name_zh_hans"])),
                self.name(inquiry["product__category__name_en"], inquiry["product__category__name_zh_hans"]),
                inquiry["quantity"],
                self.units.get(inquiry["unit"]) or _text(inquiry["unit"]),
                "" if inquiry["target_price"] is None else inquiry["target_price"],
                inquiry["currency"],
                _text(inquiry["destination"]),
                self.moment(inquiry["forwarded_at"]),
                self.moment(inquiry["answered_at"]),
                self.moment(inquiry["closed_at"]),
                "" if inquiry["deal_value"] is None else inquiry["deal_value"],
                inquiry["deal_currency"],
                _text(inquiry["deal_volume"]),
                _text(inquiry["buyer__company"]) if inquiry["share_contact"] else "",
            ]
        )


def csv_lines(start: date, end: date, *, language: str):
    """The export in pieces: the byte order mark and header, then rows in batches (1 query)."""
    rows = _Rows(language)
    yield BOM + rows.writer.writerow(rows.header)
    inquiries = Inquiry.objects.filter(period_filter(start, end)).order_by("created_at", "pk").values(*FIELDS)
    batch = []
    for inquiry in inquiries.iterator(chunk_size=CHUNK_ROWS):
        batch.append(rows.line(inquiry))
        if len(batch) == BATCH_ROWS:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


def inquiries_csv(request):
    (
        """GET ?start=YYYY-MM-DD&end=YYYY-MM-DD: the CSV; bad dates: the form again with the reason (400).
    Staff only, past the second factor: pti_bridge/urls.py serves it through the admin's gate."""
        ""
    )
    if not request.user.has_perm("inquiries.view_inquiry"):
        raise PermissionDenied
    form = ExportForm(request.GET)
    if not form.is_valid():
        context = {
            **admin.site.each_context(request),
            "title": _("Export inquiries and deals (CSV)"),
            "form": form,
        }
        return TemplateResponse(request, "admin/reports/export_error.html", context, status=400)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    response = StreamingHttpResponse(
        csv_lines(start, end, language=translation.get_language()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="pti-inquiries-{start}-{end}.csv"'
    response["Cache-Control"] = "no-store"
    return response
