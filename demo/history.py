"""A year of past inquiries for the demo, so the back office's reports have something to show.

Deterministic (seeded): the same rows on every machine, looked up by idempotency key,
so loading again creates nothing. The buyers are made-up companies with made-up openids
that no WeChat account has.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

HISTORY_SIZE = 72
SEED = 20261127

BUYERS = [
    ("demo-history-buyer-01", "刘总", "广州南沙跨境供应链有限公司"),
    ("demo-history-buyer-02", "赵女士", "杭州优选进口食品有限公司"),
    ("demo-history-buyer-03", "孙经理", "北京京味烘焙原料有限公司"),
    ("demo-history-buyer-04", "周先生", "成都天府健康饮品有限公司"),
    ("demo-history-buyer-05", "吴经理", "深圳前海海产贸易有限公司"),
]

# (status, weight): most leads are answered or closed; a few are still open or spam.
OUTCOMES = [
    ("closed_won", 16),
    ("closed_lost", 18),
    ("answered", 10),
    ("forwarded", 6),
    ("screening", 3),
    ("spam", 4),
]

BUYER_LINES = [
    (
        "我们对贵司的{product}很感兴趣，请报{quantity}{unit}的CIF上海价格。",
        "We are interested in your {product_en}; please quote CIF Shanghai for {quantity} {unit}.",
    ),
    (
        "请问{product}的交货期多久？能否提供中文标签和检验检疫证书？",
        "What is the lead time for {product_en}? Can you provide Chinese labels and the inspection certificate?",
    ),
    (
        "首单想订{quantity}{unit}试销，能否先寄样品？",
        "For a first trial order of {quantity} {unit}, could you send samples first?",
    ),
]
LOST_REASONS = ["价格高于目标价", "交货期太长", "买家未再回复", "无法提供所需证书"]


def history_specs(products: list, *, now=None) -> list[dict]:
    """The inquiries to create, oldest first: buyer, product, dates and outcome of each."""
    rng = random.Random(SEED)
    now = now or timezone.now()
    statuses = [status for status, weight in OUTCOMES for _ in range(weight)]
    specs = []
    for number in range(1, HISTORY_SIZE + 1):
        product = rng.choice(products)
        days_ago = rng.randint(3, 360)
        status = rng.choice(statuses)
        if days_ago < 20 and status in ("closed_won", "closed_lost"):
            status = "answered"
        elif days_ago > 30 and status in ("forwarded", "screening"):
            status = "closed_lost"  # months-old leads are settled by now, not still waiting
        quantity = Decimal(rng.choice([20, 50, 100, 200, 500, 1000, 2000]))
        deal_value = None
        if status == "closed_won":
            unit_price = product.price_min or Decimal(rng.randint(3, 40))
            deal_value = (quantity * unit_price).quantize(Decimal("1"))
        specs.append(
            {
                "key": f"demo-history-{number:03d}",
                "buyer": BUYERS[number % len(BUYERS)],
                "product": product,
                "quantity": quantity,
                "created_at": now - datetime.timedelta(days=days_ago, hours=rng.randint(0, 23)),
                "status": status,
                "line": BUYER_LINES[number % len(BUYER_LINES)],
                "deal_value": deal_value,
                "lost_reason": LOST_REASONS[number % len(LOST_REASONS)] if status == "closed_lost" else "",
                "share_contact": rng.random() < 0.5,
            }
        )
    return sorted(specs, key=lambda spec: spec["created_at"])
