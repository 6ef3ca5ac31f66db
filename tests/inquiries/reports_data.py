"""A known data set for the agency's reports, digest and export (used by test_reports*, test_digest*).

"Now" is Wednesday 17 June 2026, 10:00 in Beijing; the reports' twelve months run from July
2025 to June 2026. Every figure the tests expect follows from the comments below.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from exporters.models import Exporter
from inquiries.models import Inquiry
from pti_bridge.models import Notification
from tests import factories

BEIJING = ZoneInfo("Asia/Shanghai")
S = Inquiry.Status


def bj(year, month, day, hour=10, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BEIJING)


NOW = bj(2026, 6, 17, 10, 0)


@dataclass
class Dataset:
    inquiries: dict
    products: dict
    exporters: dict


def build(copies: int = 1) -> Dataset:
    """The data set; `copies` > 1 repeats every inquiry (for query-count tests)."""
    fiji = factories.CountryFactory(code="FJ", name_en="Fiji", name_zh_hans="斐济")
    tonga = factories.CountryFactory(code="TO", name_en="Tonga", name_zh_hans="汤加")
    samoa = factories.CountryFactory(code="WS", name_en="Samoa", name_zh_hans="萨摩亚")
    spices = factories.CategoryFactory(slug="spices", name_en="Spices", name_zh_hans="香料")
    vanilla = factories.CategoryFactory(slug="vanilla", name_en="Vanilla", name_zh_hans="香草", parent=spices)
    beverages = factories.CategoryFactory(slug="beverages", name_en="Beverages", name_zh_hans="饮料")
    kava = factories.CategoryFactory(slug="kava", name_en="Kava", name_zh_hans="卡瓦", parent=beverages)
    seafood = factories.CategoryFactory(slug="seafood", name_en="Seafood", name_zh_hans="海产")

    exporters = {
        "vanua": factories.ExporterFactory(name="Taveuni Vanilla Co", country=fiji, verified=True),
        "kava": factories.ExporterFactory(name="Vava'u Kava Growers", country=tonga, verified=True),
        "samoa": factories.ExporterFactory(
            name="Apia Fisheries", name_zh_hans="阿皮亚渔业", country=samoa, verified=True
        ),
    }
    # Two exporters wait for verification; a suspended one does not count.
    factories.ExporterFactory(name="Savusavu Coconut Ltd", country=fiji)
    factories.ExporterFactory(name="Nuku'alofa Squash", country=tonga)
    factories.ExporterFactory(name="Closed Trading", country=samoa, suspended=True)
    assert Exporter.objects.filter(verification_status="pending").count() == 2

    def product(key, exporter, category, name_en, name_zh):
        return factories.ProductFactory(
            exporter=exporters[exporter], category=category, name_en=name_en, name_zh_hans=name_zh, published=True
        )

    products = {
        "vanilla": product("vanilla", "vanua", vanilla, "Vanilla beans", "香草荚"),
        "kava_to": product("kava_to", "kava", kava, "Kava powder", "卡瓦粉"),
        "tuna": product("tuna", "samoa", seafood, "Yellowfin tuna", "黄鳍金枪鱼"),
        "kava_fj": product("kava_fj", "vanua", kava, "Kava roots", "卡瓦根"),
    }
    # Three products wait for review; a draft does not count.
    for _n in range(3):
        factories.ProductFactory(exporter=exporters["vanua"], category=vanilla, submitted=True)
    factories.ProductFactory(exporter=exporters["vanua"], category=vanilla)

    dataset = Dataset(inquiries={}, products=products, exporters=exporters)
    add_inquiries(dataset, copies)
    # The outbox: two failed notifications, one sent.
    for status in ("failed", "failed", "sent"):
        Notification.objects.create(channel="email", kind="inquiry_forwarded", recipient="x@example.com", status=status)
    return dataset


def add_inquiries(dataset: Dataset, copies: int = 1) -> None:
    """Every inquiry of the plan, `copies` times."""
    products = dataset.products
    plan = {
        # Before the twelve months: counted nowhere in the charts.
        1: dict(p="vanilla", at=bj(2025, 6, 30, 23, 30), status=S.CLOSED_LOST, closed_at=bj(2025, 7, 2)),
        16: dict(p="vanilla", at=bj(2025, 5, 1), status=S.CLOSED_WON, closed_at=bj(2025, 6, 20), deal=("999", "USD")),
        # 00:30 on 1 July in Beijing is still 30 June in UTC: July 2025 on the office's clock.
        2: dict(
            p="vanilla",
            at=bj(2025, 7, 1, 0, 30),
            status=S.ANSWERED,
            forwarded_at=bj(2025, 7, 2),
            answered_at=bj(2025, 7, 3),
        ),
        # Deals: March 2026 has three (two USD, one CNY), June one (closed 00:30 on 1 June, Beijing).
        3: dict(
            p="kava_to", at=bj(2026, 3, 3), status=S.CLOSED_WON, closed_at=bj(2026, 3, 5), deal=("12000.50", "USD")
        ),
        4: dict(p="kava_to", at=bj(2026, 2, 25), status=S.CLOSED_WON, closed_at=bj(2026, 3, 20), deal=("8000", "USD")),
        5: dict(p="tuna", at=bj(2026, 3, 12), status=S.CLOSED_WON, closed_at=bj(2026, 3, 25), deal=("50000", "CNY")),
        6: dict(
            p="kava_fj", at=bj(2026, 5, 20), status=S.CLOSED_WON, closed_at=bj(2026, 6, 1, 0, 30), deal=("1000", "USD")
        ),
        14: dict(p="kava_fj", at=bj(2026, 4, 2), status=S.SPAM),
        15: dict(p="vanilla", at=bj(2026, 6, 10), status=S.CLOSED_LOST, closed_at=bj(2026, 6, 11)),
        # Forwarded: due two working days later. Friday 10:00 -> Tuesday 10:00 (overdue, 1 day late);
        # Saturday -> Wednesday 00:00 (overdue); Monday 09:00 -> Wednesday 09:00 (overdue);
        # Monday 11:00 -> Wednesday 11:00 (not yet).
        7: dict(p="vanilla", at=bj(2026, 5, 10), status=S.FORWARDED, forwarded_at=bj(2026, 6, 12, 10, 0)),
        10: dict(p="vanilla", at=bj(2026, 6, 13), status=S.FORWARDED, forwarded_at=bj(2026, 6, 13, 12, 0)),
        8: dict(p="kava_to", at=bj(2026, 6, 14), status=S.FORWARDED, forwarded_at=bj(2026, 6, 15, 9, 0)),
        9: dict(p="tuna", at=bj(2026, 6, 14), status=S.FORWARDED, forwarded_at=bj(2026, 6, 15, 11, 0)),
        # To screen: new or screening. #13 came in the last 24 hours, as did #12.
        11: dict(p="vanilla", at=bj(2026, 6, 1), status=S.NEW),
        12: dict(p="kava_to", at=bj(2026, 6, 16, 20, 0), status=S.SCREENING),
        13: dict(p="tuna", at=bj(2026, 6, 17, 9, 30), status=S.NEW),
    }
    for _copy in range(copies):
        for key, spec in plan.items():
            deal_value, deal_currency = spec.get("deal", (None, ""))
            dataset.inquiries.setdefault(key, []).append(
                factories.InquiryFactory(
                    product=products[spec["p"]],
                    created_at=spec["at"],
                    last_activity_at=spec["at"],
                    status=spec["status"],
                    forwarded_at=spec.get("forwarded_at"),
                    answered_at=spec.get("answered_at"),
                    closed_at=spec.get("closed_at"),
                    deal_value=Decimal(deal_value) if deal_value else None,
                    deal_currency=deal_currency,
                )
            )
