"""What the agency reads on the back office's front page: what waits, and how leads and deals go.

Every figure is aggregated by the database (counts, sums, months), so the page costs a fixed
number of queries whatever the number of inquiries (see `dashboard`). Months are calendar
months on the office's clock (settings.TIME_ZONE).
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from catalogue.models import Category, Product
from exporters.models import Exporter
from inquiries.models import Inquiry
from pti_bridge.charts import BarChart, Series, bar_chart, colour_series
from pti_bridge.models import Notification
from pti_bridge.text import localized
from pti_bridge.workdays import overdue_before, response_due_at, working_days_between

__all__ = ["dashboard", "response_due_at", "overdue_inquiries", "waiting_counts", "month_starts"]

MONTHS = 12
# Countries or categories beyond this many share one grey "Other" bar segment.
MAX_SERIES = 6
OTHER = "__other__"
TO_SCREEN = [Inquiry.Status.NEW, Inquiry.Status.SCREENING]


def zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def in_chinese() -> bool:
    return (get_language() or "").startswith("zh")


def overdue_filter(now: datetime) -> Q:
    """Forwarded inquiries whose answer is past its due time (response_due_at) at `now`."""
    return Q(status=Inquiry.Status.FORWARDED, forwarded_at__lt=overdue_before(now))


def month_starts(now: datetime, months: int = MONTHS) -> list[date]:
    """The first days of the last `months` calendar months, oldest first, the current one last."""
    local = now.astimezone(zone())
    year, month = local.year, local.month
    starts = []
    for _index in range(months):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def _aware_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone())


def _month_key(value) -> date:
    if isinstance(value, datetime):
        value = value.astimezone(zone()) if timezone.is_aware(value) else value
        return date(value.year, value.month, 1)
    return date(value.year, value.month, 1)


@dataclass
class MonthLabel:
    month: date
    short: str
    year: str  # shown under January and the first month only

    @property
    def full(self) -> str:
        """The month with its year, for tables and descriptions: "Mar 2026", "2026年3月"."""
        if in_chinese():
            return f"{self.month.year}年{self.month.month}月"
        return f"{self.short} {self.month.year}"

    def __str__(self):
        return self.full


def month_labels(months: list[date]) -> list[MonthLabel]:
    labels = []
    for index, month in enumerate(months):
        short = f"{month.month}月" if in_chinese() else month.strftime("%b")
        year = str(month.year) if index == 0 or month.month == 1 else ""
        labels.append(MonthLabel(month, short, year))
    return labels


# What waits.


def waiting_counts(now: datetime) -> dict:
    """Counts of what waits for staff, each with the admin page that lists it (4 queries)."""
    inquiries = Inquiry.objects.aggregate(
        to_screen=Count("pk", filter=Q(status__in=TO_SCREEN)),
        overdue=Count("pk", filter=overdue_filter(now)),
    )
    products = Product.objects.filter(status=Product.Status.SUBMITTED).count()
    exporters = Exporter.objects.filter(verification_status=Exporter.VerificationStatus.PENDING).count()
    failed = Notification.objects.filter(status=Notification.Status.FAILED).count()

    def link(name: str, **params) -> str:
        return f"{reverse(name)}?{urlencode(params)}"

    return {
        "products_submitted": {
            "count": products,
            "label": _("Products submitted for review"),
            "url": link("admin:catalogue_product_changelist", status__exact=Product.Status.SUBMITTED),
        },
        "exporters_pending": {
            "count": exporters,
            "label": _("Exporters pending verification"),
            "url": link(
                "admin:exporters_exporter_changelist", verification_status__exact=Exporter.VerificationStatus.PENDING
            ),
        },
        "inquiries_to_screen": {
            "count": inquiries["to_screen"],
            "label": _("Inquiries to screen"),
            "url": link("admin:inquiries_inquiry_changelist", status__in=",".join(TO_SCREEN)),
        },
        "inquiries_overdue": {
            "count": inquiries["overdue"],
            "label": _("Answers overdue"),
            # The queue's "past the response target" filter, narrowed to the exporters' answers.
            "url": link("admin:inquiries_inquiry_changelist", queue="overdue", status__exact=Inquiry.Status.FORWARDED),
        },
        "notifications_failed": {
            "count": failed,
            "label": _("Failed notifications"),
            "url": link("admin:pti_bridge_notification_changelist", status__exact=Notification.Status.FAILED),
        },
    }


def overdue_inquiries(now: datetime, *, limit: int = 10) -> list[dict]:
    """The longest-waiting overdue inquiries, oldest forwarding first (1 query)."""
    rows = list(
        Inquiry.objects.filter(overdue_filter(now))
        .order_by("forwarded_at", "pk")
        .values("pk", "forwarded_at", "exporter__name", "product__name_en", "product__name_zh_hans")[:limit]
    )
    for row in rows:
        due = response_due_at(row["forwarded_at"])
        row["due_at"] = due
        row["working_days_late"] = working_days_between(due, now)
        row["product"] = localized(row["product__name_en"], row["product__name_zh_hans"])
        row["url"] = reverse("admin:inquiries_inquiry_change", args=[row["pk"]])
    return rows


# Charts.


@dataclass
class Figure:
    """One chart and its figures as a table (rows: months; columns: series)."""

    key: str
    title: str
    description: str
    chart: BarChart
    months: list[MonthLabel]
    series: list[Series]
    totals: list
    unit_note: str = ""
    total_label: str = ""

    @property
    def rows(self):
        return [
            (label, [item.values[index] for item in self.series], self.totals[index])
            for index, label in enumerate(self.months)
        ]


def _top_series(counts: dict, names: dict, months: list[date]) -> list[Series]:
    """One series per key (the MAX_SERIES biggest over the period), the rest summed as "Other"."""
    totals: dict = {}
    for (key, _month), value in counts.items():
        totals[key] = totals.get(key, 0) + value
    ranked = sorted(totals, key=lambda key: (-totals[key], names.get(key, "")))
    keep = ranked if len(ranked) <= MAX_SERIES + 1 else ranked[:MAX_SERIES]
    series = [Series(str(key), names.get(key, str(key)), [counts.get((key, m), 0) for m in months]) for key in keep]
    rest = [key for key in ranked if key not in keep]
    if rest:
        series.append(Series(OTHER, _("Other"), [sum(counts.get((key, m), 0) for key in rest) for m in months]))
    return colour_series(series, other_key=OTHER)


def _monthly(queryset, months: list[date], *groups: str):
    """Inquiries received per (month, *groups), counted by the database."""
    return (
        queryset.filter(created_at__gte=_aware_start(months[0]))
        .annotate(month=TruncMonth("created_at", tzinfo=zone()))
        .values("month", *groups)
        .annotate(n=Count("pk"))
        .order_by()
    )


def inquiries_by_country(months: list[date]) -> list[Series]:
    """Inquiries received per month, by the exporter's country (1 query)."""
    counts, names = {}, {}
    rows = _monthly(
        Inquiry.objects.all(),
        months,
        "exporter__country__code",
        "exporter__country__name_en",
        "exporter__country__name_zh_hans",
    )
    for row in rows:
        code = row["exporter__country__code"]
        key = (code, _month_key(row["month"]))
        counts[key] = counts.get(key, 0) + row["n"]
        names[code] = localized(row["exporter__country__name_en"], row["exporter__country__name_zh_hans"])
    return _top_series(counts, names, months)


def inquiries_by_category(months: list[date]) -> list[Series]:
    """Inquiries received per month, by the product's top-level category (2 queries)."""
    top = Coalesce("product__category__parent__parent", "product__category__parent", "product__category")
    rows = _monthly(Inquiry.objects.annotate(top_category=top), months, "top_category")
    counts = {}
    for row in rows:
        key = (row["top_category"], _month_key(row["month"]))
        counts[key] = counts.get(key, 0) + row["n"]
    ids = {key for key, _month in counts}
    names = (
        {
            category["pk"]: localized(category["name_en"], category["name_zh_hans"])
            for category in Category.objects.filter(pk__in=ids).values("pk", "name_en", "name_zh_hans")
        }
        if ids
        else {}
    )
    return _top_series(counts, names, months)


def deals_by_month(months: list[date]) -> tuple[list[Series], list[int]]:
    """Deals won per month (by closing date): value per currency, and the number of deals (1 query)."""
    start = _aware_start(months[0])
    rows = (
        Inquiry.objects.filter(status=Inquiry.Status.CLOSED_WON, closed_at__gte=start)
        .annotate(month=TruncMonth("closed_at", tzinfo=zone()))
        .values("month", "deal_currency")
        .annotate(n=Count("pk"), value=Sum("deal_value"))
        .order_by()
    )
    values, counts, deals_per_currency = {}, [0] * len(months), {}
    index = {month: position for position, month in enumerate(months)}
    for row in rows:
        month = _month_key(row["month"])
        if month not in index:
            continue
        counts[index[month]] += row["n"]
        currency = row["deal_currency"] or "—"
        deals_per_currency[currency] = deals_per_currency.get(currency, 0) + row["n"]
        values.setdefault(currency, [Decimal("0")] * len(months))
        values[currency][index[month]] += row["value"] or Decimal("0")
    # Most deals first (sums in different currencies cannot be compared).
    ordered = sorted(values, key=lambda currency: (-deals_per_currency[currency], currency))
    series = [Series(currency, currency, values[currency]) for currency in ordered]
    return colour_series(series), counts


def _figure(
    key, title, description, series, months, labels, *, stacked=True, totals=None, unit_note="", total_label=""
):
    if totals is None:
        totals = [sum(item.values[i] for item in series) for i in range(len(months))]
    chart = bar_chart(categories=[str(label) for label in labels], series=series, stacked=stacked)
    for x_label, label in zip(chart.x_labels, labels, strict=True):
        x_label.short, x_label.year = label.short, label.year
    return Figure(key, title, description, chart, labels, series, totals, unit_note, total_label or _("Total"))


def dashboard(now: datetime | None = None) -> dict:
    """Everything the front page shows, in 9 queries whatever the data (8 when nothing was received)."""
    now = now or timezone.now()
    months = month_starts(now)
    labels = month_labels(months)
    period = {"first": labels[0].full, "last": labels[-1].full}
    by_country = inquiries_by_country(months)
    by_category = inquiries_by_category(months)
    deal_values, deal_counts = deals_by_month(months)
    waiting = waiting_counts(now)
    figures = [
        _figure(
            "country",
            _("Inquiries per month by country"),
            _("Stacked bars: inquiries received each month from %(first)s to %(last)s, by the exporter's country.")
            % period,
            by_country,
            months,
            labels,
        ),
        _figure(
            "category",
            _("Inquiries per month by category"),
            _("Stacked bars: inquiries received each month from %(first)s to %(last)s, by product category.") % period,
            by_category,
            months,
            labels,
        ),
        _figure(
            "deals",
            _("Deals won per month"),
            _("Grouped bars: value of the deals closed as won each month from %(first)s to %(last)s, by currency.")
            % period,
            deal_values,
            months,
            labels,
            stacked=False,
            totals=deal_counts,
            unit_note=_("Values are in each deal's currency; the last column counts the deals."),
            total_label=_("Deals"),
        ),
    ]
    return {
        "now": now,
        "waiting": waiting,
        "overdue_rows": overdue_inquiries(now),
        "overdue_total": waiting["inquiries_overdue"]["count"],
        "target_days": settings.INQUIRY_RESPONSE_TARGET_WORKING_DAYS,
        "figures": figures,
    }
