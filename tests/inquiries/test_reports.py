"""The agency's reports on the admin front page: exact figures for a known data set, fixed queries."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from inquiries import reports
from tests.inquiries import reports_data
from tests.inquiries.reports_data import NOW

pytestmark = pytest.mark.django_db

Z = [0] * 12


def series_of(figure):
    return [(item.label, list(item.values)) for item in figure.series]


def test_months_are_the_last_twelve_on_the_office_clock():
    assert reports.month_starts(NOW) == [date(2025, 7, 1)] + [date(2025, m, 1) for m in range(8, 13)] + [
        date(2026, m, 1) for m in range(1, 7)
    ]
    # 16:30 UTC on 30 June is already July in Beijing.
    assert reports.month_starts(reports_data.bj(2026, 7, 1, 0, 30))[-1] == date(2026, 7, 1)


def test_waiting_counts_are_exact():
    reports_data.build()
    waiting = reports.waiting_counts(NOW)
    assert {key: item["count"] for key, item in waiting.items()} == {
        "products_submitted": 3,
        "exporters_pending": 2,
        "inquiries_to_screen": 3,  # 11, 12, 13
        "inquiries_overdue": 3,  # 7, 10, 8 (9 is due at 11:00)
        "notifications_failed": 2,
    }
    assert waiting["products_submitted"]["url"] == "/admin/catalogue/product/?status__exact=submitted"
    assert waiting["exporters_pending"]["url"] == "/admin/exporters/exporter/?verification_status__exact=pending"
    assert waiting["inquiries_to_screen"]["url"] == "/admin/inquiries/inquiry/?status__in=new%2Cscreening"
    assert waiting["inquiries_overdue"]["url"] == "/admin/inquiries/inquiry/?queue=overdue&status__exact=forwarded"
    assert waiting["notifications_failed"]["url"] == "/admin/pti_bridge/notification/?status__exact=failed"


def test_overdue_follows_the_response_target(settings):
    reports_data.build()
    settings.INQUIRY_RESPONSE_TARGET_WORKING_DAYS = 3  # Friday -> Wednesday 10:00: due exactly now, not late
    assert reports.waiting_counts(NOW)["inquiries_overdue"]["count"] == 0
    settings.INQUIRY_RESPONSE_TARGET_WORKING_DAYS = 1
    assert reports.waiting_counts(NOW)["inquiries_overdue"]["count"] == 4


def test_overdue_list_oldest_first_with_due_time_and_lateness():
    data = reports_data.build()
    rows = reports.overdue_inquiries(NOW)
    assert [(row["pk"], row["due_at"], row["working_days_late"], row["product"]) for row in rows] == [
        (data.inquiries[7][0].pk, reports_data.bj(2026, 6, 16, 10, 0), 1, "Vanilla beans"),
        (data.inquiries[10][0].pk, reports_data.bj(2026, 6, 17, 0, 0), 0, "Vanilla beans"),
        (data.inquiries[8][0].pk, reports_data.bj(2026, 6, 17, 9, 0), 0, "Kava powder"),
    ]


def test_inquiries_per_month_by_country_and_category():
    reports_data.build()
    figures = {figure.key: figure for figure in reports.dashboard(NOW)["figures"]}
    assert series_of(figures["country"]) == [
        ("Fiji", [1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3]),
        ("Tonga", [0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 2]),
        ("Samoa", [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 2]),
    ]
    assert figures["country"].totals == [1, 0, 0, 0, 0, 0, 0, 1, 2, 1, 2, 7]
    # Categories count at the top of the tree (Vanilla is under Spices, Kava under Beverages).
    assert series_of(figures["category"]) == [
        ("Beverages", [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2]),
        ("Spices", [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 3]),
        ("Seafood", [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 2]),
    ]


def test_deals_won_per_month_with_their_value_by_currency():
    reports_data.build()
    deals = {figure.key: figure for figure in reports.dashboard(NOW)["figures"]}["deals"]
    assert series_of(deals) == [
        ("USD", [0] * 8 + [Decimal("20000.50"), 0, 0, Decimal("1000")]),
        ("CNY", [0] * 8 + [Decimal("50000"), 0, 0, 0]),
    ]
    assert deals.totals == [0] * 8 + [3, 0, 0, 1]  # the number of deals
    assert [(str(month), values, total) for month, values, total in deals.rows][8] == (
        "Mar 2026",
        [Decimal("20000.50"), Decimal("50000")],
        3,
    )


def test_countries_beyond_the_limit_share_an_other_series(monkeypatch):
    reports_data.build()
    monkeypatch.setattr(reports, "MAX_SERIES", 1)
    figure = reports.dashboard(NOW)["figures"][0]
    assert series_of(figure) == [
        ("Fiji", [1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3]),
        ("Other", [0, 0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 4]),
    ]
    assert [item.colour for item in figure.series] == ["#0072B2", "#8A8A8A"]


def test_names_and_months_in_chinese():
    reports_data.build()
    with translation.override("zh-hans"):
        figures = reports.dashboard(NOW)["figures"]
    assert [item.label for item in figures[0].series] == ["斐济", "汤加", "萨摩亚"]
    assert [item.label for item in figures[1].series] == ["饮料", "香料", "海产"]
    assert [(label.short, label.year) for label in figures[0].months][:2] == [("7月", "2025"), ("8月", "")]
    assert (figures[0].months[6].short, figures[0].months[6].year) == ("1月", "2026")


def test_the_dashboard_costs_the_same_queries_whatever_the_data():
    data = reports_data.build()
    with CaptureQueriesContext(connection) as small:
        reports.dashboard(NOW)
    reports_data.add_inquiries(data, copies=4)
    with CaptureQueriesContext(connection) as large:
        figures = reports.dashboard(NOW)["figures"]
    assert len(small) == len(large) == 9
    assert figures[0].totals[-1] == 7 * 5  # the large data set was counted


def test_empty_database_draws_empty_charts():
    dashboard = reports.dashboard(NOW)
    assert {key: item["count"] for key, item in dashboard["waiting"].items()} == dict.fromkeys(
        ["products_submitted", "exporters_pending", "inquiries_to_screen", "inquiries_overdue", "notifications_failed"],
        0,
    )
    assert [figure.series for figure in dashboard["figures"]] == [[], [], []]
    assert dashboard["overdue_rows"] == []
