"""The admin front page shows the agency's reports above the app list, in English or Chinese."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import sign_in_staff
from tests.inquiries import reports_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def now_is_the_data_sets_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: reports_data.NOW)


def count_of(html: str, key: str) -> int:
    match = re.search(rf'id="pti-count-{key}">\s*<a href="[^"]*"><span class="pti-count-number">(\d+)</span>', html)
    return int(match.group(1))


def test_staff_see_counts_charts_tables_and_the_app_list(client, staff, now_is_the_data_sets_now):
    data = reports_data.build()
    sign_in_staff(client, staff)
    response = client.get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    assert {
        key: count_of(html, key)
        for key in [
            "products_submitted",
            "exporters_pending",
            "inquiries_to_screen",
            "inquiries_overdue",
            "notifications_failed",
        ]
    } == {
        "products_submitted": 3,
        "exporters_pending": 2,
        "inquiries_to_screen": 3,
        "inquiries_overdue": 3,
        "notifications_failed": 2,
    }
    assert 'href="/admin/catalogue/product/?status__exact=submitted"' in html
    # Three charts, each an image with a title and a description, each with its table.
    assert html.count('<svg class="pti-chart"') == 3
    assert '<title id="pti-chart-country-title">Inquiries per month by country</title>' in html
    assert '<desc id="pti-chart-deals-desc">Grouped bars: value of the deals closed as won each month' in html
    assert html.count('<table class="pti-report-table">') == 3
    assert (
        '<desc id="pti-chart-country-desc">Stacked bars: inquiries received each month from Jul 2025 to Jun 2026,'
        " by the exporter&#x27;s country.</desc>" in html
    )
    tight = re.sub(r">\s+<", "><", html)
    assert (
        '<th scope="row">Mar 2026</th><td class="pti-number">20,000.50</td><td class="pti-number">50,000</td>'
        '<td class="pti-number">3</td>' in tight
    )
    assert "<title>USD, Mar 2026: 20,000.50</title>" in html
    # The overdue list links to each inquiry.
    assert f'href="/admin/inquiries/inquiry/{data.inquiries[7][0].pk}/change/"' in html
    # The export form, and the app list below it all.
    assert 'action="/admin/reports/inquiries.csv"' in html
    assert 'class="app-inquiries module' in html and 'class="app-catalogue module' in html
    assert html.index('id="pti-reports"') < html.index('class="app-catalogue module')


def test_each_count_links_to_the_admin_list_of_exactly_those_objects(client, staff, now_is_the_data_sets_now):
    data = reports_data.build()
    sign_in_staff(client, staff)
    html = client.get("/admin/").content.decode()
    for key, expected in [
        ("inquiries_overdue", [data.inquiries[n][0].pk for n in (7, 8, 10)]),
        ("inquiries_to_screen", [data.inquiries[n][0].pk for n in (11, 12, 13)]),
    ]:
        url = re.search(rf'id="pti-count-{key}">\s*<a href="([^"]*)"', html).group(1).replace("&amp;", "&")
        response = client.get(url)
        assert response.status_code == 200
        listed = sorted(obj.pk for obj in response.context["cl"].result_list)
        assert listed == sorted(expected), key


def test_front_page_in_chinese(client, staff, now_is_the_data_sets_now):
    reports_data.build()
    sign_in_staff(client, staff)
    html = client.get("/admin/", headers={"accept-language": "zh-hans"}).content.decode()
    assert "<title>斐济, 2026年3月: 0</title>" not in html  # zero bars are not drawn
    assert "<title>汤加, 2026年3月: 1</title>" in html
    assert '<th scope="col">饮料</th>' in html
    assert '<th scope="row">2026年3月</th>' in html
    assert "等待处理" in html  # "Waiting for the agency"
    # Figures grouped by thousands, as in English and in the charts (Django's zh-hans would not).
    tight = re.sub(r">\s+<", "><", html)
    assert (
        '<th scope="row">2026年3月</th><td class="pti-number">20,000.50</td><td class="pti-number">50,000</td>' in tight
    )
    assert "<title>USD, 2026年3月: 20,000.50</title>" in html


def test_front_page_queries_do_not_grow_with_the_data(client, staff, now_is_the_data_sets_now):
    data = reports_data.build()
    sign_in_staff(client, staff)
    with CaptureQueriesContext(connection) as small:
        assert client.get("/admin/").status_code == 200
    reports_data.add_inquiries(data, copies=5)
    with CaptureQueriesContext(connection) as large:
        html = client.get("/admin/").content.decode()
    assert len(small) == len(large)
    assert count_of(html, "inquiries_to_screen") == 3 * 6


def test_exporter_users_do_not_reach_the_front_page(client, alice):
    reports_data.build()
    client.force_login(alice)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_front_page_of_an_empty_back_office(client, staff):
    sign_in_staff(client, staff)
    html = client.get("/admin/").content.decode()
    assert html.count("Nothing in the last twelve months.") == 3
    assert "<svg" not in html.split('id="pti-reports"')[1].split('id="content-main"')[0]
    assert count_of(html, "inquiries_overdue") == 0
    assert 'id="pti-overdue"' not in html
