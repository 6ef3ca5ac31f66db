"""The agency's reports in a real browser: staff open the admin front page over a year of
demo-like inquiries and deals; the charts are drawn and screenshots go to test-artifacts/."""

import random
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from inquiries.models import Inquiry
from pti_bridge.workdays import response_due_at
from tests import factories
from tests.e2e.test_portal import ARTIFACTS, browser, staff_sign_in  # noqa: F401 - `browser` is a fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

COUNTRIES = [
    ("FJ", "Fiji", "斐济"),
    ("WS", "Samoa", "萨摩亚"),
    ("TO", "Tonga", "汤加"),
    ("VU", "Vanuatu", "瓦努阿图"),
    ("PG", "Papua New Guinea", "巴布亚新几内亚"),
    ("SB", "Solomon Islands", "所罗门群岛"),
    ("CK", "Cook Islands", "库克群岛"),
    ("NU", "Niue", "纽埃"),
]
CATEGORIES = [
    ("spices", "Spices", "香料"),
    ("beverages", "Beverages", "饮料"),
    ("seafood", "Seafood", "海产"),
    ("coconut", "Coconut products", "椰子制品"),
    ("cocoa", "Cocoa and coffee", "可可与咖啡"),
]


def demo_like_year(now):
    """About 240 inquiries over twelve months, more from Fiji and for spices, rising towards now."""
    rng = random.Random(7)
    countries = [factories.CountryFactory(code=c, name_en=en, name_zh_hans=zh) for c, en, zh in COUNTRIES]
    categories = [factories.CategoryFactory(slug=s, name_en=en, name_zh_hans=zh) for s, en, zh in CATEGORIES]
    products = []
    for index, country in enumerate(countries):
        exporter = factories.ExporterFactory(name=f"{country.name_en} Export Co", country=country, verified=True)
        for category in categories[index % 3 : index % 3 + 2]:
            products.append(factories.ProductFactory(exporter=exporter, category=category, published=True))
    factories.ExporterFactory(name="Waiting Exporter Ltd", country=countries[0])
    factories.ProductFactory(exporter=products[0].exporter, category=categories[0], submitted=True)
    weights = [8 if p.exporter.country.code == "FJ" else 5 if p.category.slug == "spices" else 2 for p in products]
    buyer = factories.BuyerFactory()
    for _n in range(240):
        days_ago = int(rng.triangular(0, 360, 30))
        created = now - timedelta(days=days_ago, hours=rng.randint(0, 23))
        product = rng.choices(products, weights)[0]
        status = rng.choices(
            ["new", "screening", "forwarded", "answered", "closed_won", "closed_lost", "spam"], [2, 1, 3, 4, 3, 3, 1]
        )[0]
        if status == "forwarded" and days_ago > 3:
            status = "answered"  # most exporters answer; a few overdue ones are added below
        fields = {}
        if status not in ("new", "screening", "spam"):
            fields["forwarded_at"] = created + timedelta(hours=rng.randint(2, 30))
        if status in ("answered", "closed_won", "closed_lost"):
            fields["answered_at"] = fields["forwarded_at"] + timedelta(hours=rng.randint(4, 60))
        if status in ("closed_won", "closed_lost"):
            fields["closed_at"] = min(now, fields["answered_at"] + timedelta(days=rng.randint(1, 20)))
        if status == "closed_won":
            fields["deal_currency"] = rng.choices(["USD", "CNY", "AUD"], [6, 3, 1])[0]
            fields["deal_value"] = Decimal(rng.randrange(2_000, 60_000, 500))
        factories.InquiryFactory(buyer=buyer, product=product, created_at=created, status=status, **fields)
    # Some answers are overdue.
    for product in products[:3]:
        factories.InquiryFactory(
            buyer=buyer,
            product=product,
            created_at=now - timedelta(days=9),
            status="forwarded",
            forwarded_at=now - timedelta(days=8),
        )


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_staff_read_the_dashboard_charts(browser, live_server, staff, language):  # noqa: F811
    now = timezone.now()
    demo_like_year(now)
    page = staff_sign_in(browser, live_server, staff)
    if language != "en":
        page.select_option("#language-switcher-select", language)
        page.click(".language-switcher button")
        page.wait_for_selector("html[lang=zh-hans]")
    page.goto(f"{live_server.url}/admin/")
    assert page.locator("svg.pti-chart").count() == 3
    assert page.locator("svg.pti-chart rect").count() > 30
    # Every chart is as wide as its section, and the app list is still there.
    for box in [
        page.locator(f"#pti-figure-{key} svg.pti-chart").bounding_box() for key in ("country", "category", "deals")
    ]:
        assert box["width"] > 600 and 150 < box["height"] < 320
    assert page.locator("#content-main .app-inquiries").count() == 1
    overdue = page.locator("#pti-count-inquiries_overdue .pti-count-number").inner_text()
    forwarded = Inquiry.objects.filter(status="forwarded").values_list("forwarded_at", flat=True)
    assert int(overdue) == sum(response_due_at(moment) < now for moment in forwarded) >= 3
    page.locator("#pti-reports").screenshot(path=str(ARTIFACTS / f"admin-reports-{language}.png"))
    page.screenshot(path=str(ARTIFACTS / f"admin-front-page-{language}.png"), full_page=True)
    if language == "en":
        # The admin follows the system's dark theme; the charts' text and lines follow it too.
        page.emulate_media(color_scheme="dark")
        page.locator("#pti-reports").screenshot(path=str(ARTIFACTS / "admin-reports-dark.png"))
        page.emulate_media(color_scheme="light")
    # The figures behind a chart, as a table.
    page.click("#pti-figure-deals summary")
    assert page.locator("#pti-figure-deals table tbody tr").count() == 12
    page.locator("#pti-figure-deals").screenshot(path=str(ARTIFACTS / f"admin-reports-deals-table-{language}.png"))


def test_staff_export_a_period_from_the_front_page(browser, live_server, staff):  # noqa: F811
    now = timezone.now()
    demo_like_year(now)
    page = staff_sign_in(browser, live_server, staff)
    page.goto(f"{live_server.url}/admin/")
    # A reversed period: the form comes back with the reason, nothing is downloaded.
    page.fill("#id_start", "2026-06-30")
    page.fill("#id_end", "2026-01-01")
    page.click(".pti-export-form input[type=submit]")
    page.wait_for_selector("text=The first day comes after the last day.")
    assert page.locator(".messagelist .error").inner_text() == (
        "The export could not be made: please correct the dates below."
    )
    page.screenshot(path=str(ARTIFACTS / "admin-reports-export-error.png"), full_page=True)
    # The whole year: a CSV file with every inquiry of the period.
    page.fill("#id_start", (now - timedelta(days=400)).date().isoformat())
    page.fill("#id_end", now.date().isoformat())
    with page.expect_download() as download_info:
        page.click(".pti-export-form input[type=submit]")
    download = download_info.value
    assert download.suggested_filename.startswith("pti-inquiries-")
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"\xef\xbb\xbfid,received,status,")
    assert len(content.decode("utf-8-sig").splitlines()) == 1 + Inquiry.objects.count()
