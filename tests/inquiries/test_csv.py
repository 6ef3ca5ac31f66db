"""The CSV export of inquiries and deals: exact content, inclusive dates, refusals, streaming."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inquiries import report_views
from tests import factories
from tests.conftest import sign_in_staff
from tests.inquiries import reports_data
from tests.inquiries.reports_data import bj

pytestmark = pytest.mark.django_db

URL = "/admin/reports/inquiries.csv"
HEADER = (
    "id,received,status,country,exporter,product,category,quantity,unit,target price,currency,destination,"
    "forwarded at,answered at,closed at,deal value,deal currency,deal volume,buyer company (if shared)\r\n"
)


def body(response) -> str:
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.fixture
def two_inquiries(fiji):
    exporter = factories.ExporterFactory(
        name="Taveuni Vanilla Co", name_zh_hans="塔韦乌尼香草公司", country=fiji, verified=True
    )
    category = factories.CategoryFactory(slug="spices", name_en="Spices", name_zh_hans="香料")
    product = factories.ProductFactory(
        exporter=exporter, category=category, name_en="Vanilla beans", name_zh_hans="香草荚", published=True
    )
    won = factories.InquiryFactory(
        product=product,
        buyer=factories.BuyerFactory(company="上海进口贸易有限公司", phone="13800000000"),
        share_contact=True,
        created_at=bj(2026, 1, 1, 0, 0),
        quantity=Decimal("500"),
        unit="kg",
        target_price=Decimal("180.50"),
        currency="USD",
        destination="上海",
        status="closed_won",
        forwarded_at=bj(2026, 1, 2, 9, 15),
        answered_at=bj(2026, 1, 3, 16, 40),
        closed_at=bj(2026, 2, 10, 11, 0),
        deal_value=Decimal("90250.00"),
        deal_currency="USD",
        deal_volume="500 kg, two shipments",
    )
    private = factories.InquiryFactory(
        product=product,
        buyer=factories.BuyerFactory(company="深圳秘密公司", phone="13900000000"),
        share_contact=False,
        created_at=bj(2026, 6, 30, 23, 59),
        quantity=Decimal("2"),
        unit="container_20ft",
        destination='=HYPERLINK("http://evil.example")',
        status="new",
    )
    return won, private


def test_staff_download_the_exact_csv_with_a_bom(client, staff, two_inquiries):
    won, private = two_inquiries
    sign_in_staff(client, staff)
    response = client.get(URL, {"start": "2026-01-01", "end": "2026-06-30"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="pti-inquiries-2026-01-01-2026-06-30.csv"'
    content = body(response)
    assert content == (
        "\ufeff"
        + HEADER
        + f"{won.pk},2026-01-01 00:00,Closed: deal won,Fiji,Taveuni Vanilla Co,Vanilla beans,Spices,500.00,kg,180.50,USD,上海,"
        '2026-01-02 09:15,2026-01-03 16:40,2026-02-10 11:00,90250.00,USD,"500 kg, two shipments",上海进口贸易有限公司\r\n'
        + f"{private.pk},2026-06-30 23:59,New,Fiji,Taveuni Vanilla Co,Vanilla beans,Spices,2.00,20 ft container,,,"
        '"\'=HYPERLINK(""http://evil.example"")",,,,,,,\r\n'
    )
    # No buyer personal data, and a company not shared stays out.
    for secret in ("13800000000", "13900000000", "深圳秘密公司", "o-test-openid", won.buyer.display_name):
        assert secret not in content


def test_csv_in_chinese(client, staff, two_inquiries):
    won, _private = two_inquiries
    sign_in_staff(client, staff)
    response = client.get(URL, {"start": "2026-01-01", "end": "2026-01-01"}, headers={"accept-language": "zh-hans"})
    lines = body(response).splitlines()
    assert lines[0].startswith("\ufeff")
    assert len(lines) == 2
    assert lines[1].startswith(f"{won.pk},2026-01-01 00:00,")
    assert ",斐济,塔韦乌尼香草公司,香草荚,香料,500.00," in lines[1]
    # Chinese survives the round trip through Excel's expected encoding (UTF-8 with BOM).
    assert b"".join(client.get(URL, {"start": "2026-01-01", "end": "2026-01-01"}).streaming_content).startswith(
        b"\xef\xbb\xbf"
    )


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-01-01", "2026-01-01", ["won"]),  # received at 00:00 on the first day
        ("2025-12-31", "2025-12-31", []),  # 00:00 Beijing is 16:00 UTC the day before: not that day
        ("2026-06-30", "2026-06-30", ["private"]),  # received at 23:59 on the last day
        ("2026-07-01", "2026-12-31", []),
        ("2026-02-10", "2026-02-10", ["won"]),  # the deal closed that day
        ("2026-01-02", "2026-02-09", []),  # forwarded and answered then: neither received nor closed
        ("2025-01-01", "2026-12-31", ["won", "private"]),
    ],
)
def test_date_range_is_inclusive_on_the_office_clock(client, staff, two_inquiries, start, end, expected):
    won, private = two_inquiries
    sign_in_staff(client, staff)
    lines = body(client.get(URL, {"start": start, "end": end})).splitlines()[1:]
    ids = {won.pk: "won", private.pk: "private"}
    assert [ids[int(line.split(",")[0])] for line in lines] == expected


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "Give the first day, as YYYY-MM-DD."),
        ({"start": "2026-01-01"}, "Give the last day, as YYYY-MM-DD."),
        ({"start": "yesterday", "end": "2026-01-31"}, "Enter a valid date."),
        ({"start": "2026-02-30", "end": "2026-03-01"}, "Enter a valid date."),
        ({"start": "2026-03-01", "end": "2026-02-01"}, "The first day comes after the last day."),
        ({"start": "0001-01-01", "end": "9999-12-31"}, "Give a day between 2000-01-01 and 2100-12-31."),
        ({"start": "2026-01-01\x00", "end": "2026-01-31"}, "Enter a valid date."),
    ],
)
def test_bad_dates_give_the_form_again_with_the_reason(client, staff, two_inquiries, params, message):
    sign_in_staff(client, staff)
    response = client.get(URL, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    assert message in html
    assert "please correct the dates below" in html
    assert "Vanilla beans" not in html


def test_anonymous_and_exporters_are_refused_and_get_nothing(client, alice, two_inquiries):
    response = client.get(URL, {"start": "2026-01-01", "end": "2026-06-30"})
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    client.force_login(alice)
    response = client.get(URL, {"start": "2026-01-01", "end": "2026-06-30"})
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert not response.streaming and b"Vanilla" not in response.content


def test_staff_without_the_inquiry_permission_are_refused(client, two_inquiries):
    clerk = factories.UserFactory(email="clerk@pti.example", is_staff=True)  # no group, no permission
    sign_in_staff(client, clerk)
    response = client.get(URL, {"start": "2026-01-01", "end": "2026-06-30"})
    assert response.status_code == 403
    assert not response.streaming and b"Vanilla" not in response.content


def test_the_export_is_one_query_whatever_its_size():
    data = reports_data.build()
    lines = report_views.csv_lines(bj(2025, 1, 1).date(), bj(2026, 12, 31).date(), language="en")
    with CaptureQueriesContext(connection) as small:
        assert len("".join(lines).splitlines()) == 1 + 16
    reports_data.add_inquiries(data, copies=30)  # 496 rows: several batches of 100
    lines = report_views.csv_lines(bj(2025, 1, 1).date(), bj(2026, 12, 31).date(), language="en")
    with CaptureQueriesContext(connection) as large:
        pieces = list(lines)
    assert len(small) == len(large) == 1
    assert len(pieces) == 1 + 5  # the header, then batches (rows are streamed, never all built at once)
    assert len("".join(pieces).splitlines()) == 1 + 16 * 31
