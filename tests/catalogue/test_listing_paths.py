"""The listing engine's two paths give the same pages: a few hundred generated queries (filters,
searches in Chinese, pinyin and English, plans of several tiers, orderings, pages) run through
the reference path (ORM, every database) and compared with a model of the rules written in
Python; on PostgreSQL also through its own path, which must give the same ids in the same
order and the same counts. Since both databases answer as the model does, SQLite and
PostgreSQL answer alike."""

import datetime
import random

import pytest
from django.utils import timezone

from catalogue import listing
from catalogue.listing import relevance
from catalogue.listing.plan import All, Any, Key, SearchPlan, Tier
from catalogue.listing.query import ListQuery
from catalogue.models import Product
from exporters.models import Exporter
from tests.factories import (
    CategoryFactory,
    CertificationFactory,
    CollectionFactory,
    CollectionItemFactory,
    CountryFactory,
    ExporterFactory,
    ProductFactory,
)

pytestmark = pytest.mark.django_db

NAMES = [
    ("香草荚", "vanilla beans"),
    ("香草粉", "vanilla powder"),
    ("卡瓦根粉", "kava root powder"),
    ("卡瓦饮料", "kava drink"),
    ("诺丽果汁", "noni juice"),
    ("咖啡生豆", "green coffee beans"),
    ("椰子油", "coconut oil"),
    ("蜂蜜", "honey"),
    ("姜黄粉", "turmeric powder"),
]
SUMMARIES = [
    ("手工熟化的香草。", "Hand-cured vanilla."),
    ("来自海岛。", "From the islands."),
    ("含诺丽。", "With noni."),
]
SEARCHES = [
    "香草",
    "草荚",
    "香草荚",
    "卡瓦",
    "卡瓦粉",
    "咖啡豆",
    "椰",
    "蜂蜜",
    "xiangcao",
    "xc",
    "kava",
    "van",
    "noni juice",
    "powder 香草",
    "tonga",
    "汤加",
    "斐济",
    "fiji",
    "grade",
    "!!!",
    "zzz",
]
KEYS = ["香草", "草荚", "卡瓦", "粉", "xiang", "xc", "kava", "van", "noni", "powder", "fiji", "honey", "zzz"]


@pytest.fixture
def catalogue():
    """A seeded random catalogue: three countries, an unverified exporter, drafts, a category
    tree, a certification, two collections, dates and inquiry counts with ties."""
    rng = random.Random(15)
    countries = [
        CountryFactory(code="FJ", name_en="Fiji", name_zh_hans="斐济"),
        CountryFactory(code="TO", name_en="Tonga", name_zh_hans="汤加"),
        CountryFactory(code="CK", name_en="Cook Islands", name_zh_hans="库克群岛"),
    ]
    exporters = [ExporterFactory(verified=True, country=country) for country in countries for _ in range(2)]
    exporters.append(ExporterFactory(country=countries[0]))  # not verified: its products are hidden
    top = CategoryFactory(slug="food", name_en="Food", name_zh_hans="食品")
    spices = CategoryFactory(slug="spices", parent=top, name_en="Spices", name_zh_hans="香料")
    categories = [top, spices, CategoryFactory(slug="vanilla", parent=spices), CategoryFactory(slug="drinks")]
    organic = CertificationFactory(code="organic")
    now = timezone.now().replace(microsecond=0)
    products = []
    for n in range(70):
        zh, en = rng.choice(NAMES)
        summary_zh, summary_en = rng.choice(SUMMARIES)
        exporter = rng.choice(exporters)
        product = ProductFactory(
            published=rng.random() < 0.85,
            exporter=exporter,
            category=rng.choice(categories),
            name_zh_hans=f"{zh}{rng.choice(['', '特级', '一级'])}",
            name_en=f"{en} {n % 7}",
            summary_zh_hans=summary_zh,
            summary_en=summary_en,
            inquiry_count=rng.randrange(4),
            is_featured=rng.random() < 0.3,
        )
        Product.objects.filter(pk=product.pk).update(published_at=now - datetime.timedelta(hours=rng.randrange(30)))
        if rng.random() < 0.3:
            product.certifications.add(organic)
        products.append(product)
    for slug in ("expo", "harvest"):
        collection = CollectionFactory(slug=slug)
        for position, product in enumerate(rng.sample(products, 12)):
            CollectionItemFactory(collection=collection, product=product, position=rng.randrange(6) + position % 2)
    return {"countries": countries, "exporters": exporters, "categories": categories}


def random_query(rng, catalogue) -> ListQuery:
    filters = {}
    if rng.random() < 0.3:
        filters["category"] = rng.choice(["food", "spices", "vanilla", "drinks", "no-such", "987654"])
    if rng.random() < 0.3:
        filters["country"] = rng.choice(["FJ", "TO", "CK", "WS"])
    if rng.random() < 0.15:
        filters["exporter"] = rng.choice(catalogue["exporters"]).pk
    if rng.random() < 0.15:
        filters["collection"] = rng.choice(["expo", "harvest", "gone"])
    if rng.random() < 0.15:
        filters["certification"] = rng.choice(["organic", "halal"])
    if rng.random() < 0.2:
        filters["featured"] = rng.random() < 0.5
    return ListQuery(
        filters=filters,
        search=rng.choice(SEARCHES) if rng.random() < 0.6 else "",
        ordering=rng.choice(["", "", "-published_at", "name", "-inquiry_count"]),
        page=rng.choice([1, 1, 2, 3]),
        page_size=rng.choice([1, 3, 7, 20]),
        language=rng.choice(["zh-hans", "en"]),
    )


def random_condition(rng, depth=0):
    if depth > 1 or rng.random() < 0.5:
        return Key(rng.choice(KEYS), prefix=rng.random() < 0.5)
    kind = All if rng.random() < 0.5 else Any
    return kind(tuple(random_condition(rng, depth + 1) for _ in range(rng.randrange(1, 4))))


def random_plan(rng, catalogue) -> SearchPlan:
    tiers = []
    for _ in range(rng.randrange(1, 6)):
        tiers.append(
            Tier(
                field=rng.choice(["name", "text"]),
                match=random_condition(rng),
                country=rng.choice(["", "", "", "TO", "fj"]),
                exporter=rng.choice([None, None, None, rng.choice(catalogue["exporters"]).pk]),
            )
        )
    return SearchPlan(tiers=tuple(tiers), did_you_mean=rng.choice(["", "vanilla"]))


def generated(catalogue, n=300):
    """(query, plan or None) pairs: a third with plans of several tiers made directly."""
    rng = random.Random(2026)
    for _ in range(n):
        query = random_query(rng, catalogue)
        plan = random_plan(rng, catalogue) if rng.random() < 0.33 else None
        if plan is not None and query.search:
            query = ListQuery(**{**query.__dict__, "search": ""})
        yield query, plan


def uncached(name, compute):
    return compute()


# The rules written in Python: what the pages must be.


def _meets(keys: set[str], condition) -> bool:
    if isinstance(condition, Key):
        return any(key.startswith(condition.text) for key in keys) if condition.prefix else condition.text in keys
    results = (_meets(keys, item) for item in condition.items)
    return all(results) if isinstance(condition, All) else any(results)


def _tier_of(product, plan) -> int | None:
    for i, tier in enumerate(plan.tiers):
        keys = set((product.search_name if tier.field == "name" else product.search_text).split())
        if tier.match is not None and not _meets(keys, tier.match):
            continue
        if tier.country and product.origin_country_id != tier.country.upper():
            continue
        if tier.exporter is not None and product.exporter_id != tier.exporter:
            continue
        return i
    return None


def expected_page(query: ListQuery, plan: SearchPlan | None) -> tuple[list[int], int]:
    from catalogue.models import Category, Collection

    if plan is None and query.searched:
        plan = relevance.plan(query.search)
    products = list(
        Product.objects.filter(
            status=Product.Status.PUBLISHED, exporter__verification_status=Exporter.VerificationStatus.VERIFIED
        ).prefetch_related("certifications", "collection_items")
    )
    filters = query.filters
    positions = {}
    if "category" in filters:
        value = filters["category"]
        top = Category.objects.filter(**({"pk": int(value)} if value.isdigit() else {"slug": value})).first()
        ids, stack = set(), [top.pk] if top else []
        while stack:
            ids.add(stack[-1])
            stack.extend(Category.objects.filter(parent_id=stack.pop()).values_list("pk", flat=True))
        products = [p for p in products if p.category_id in ids]
    if "country" in filters:
        products = [p for p in products if p.origin_country_id == filters["country"]]
    if "exporter" in filters:
        products = [p for p in products if p.exporter_id == filters["exporter"]]
    if "collection" in filters:
        collection = Collection.objects.active().filter(slug=filters["collection"]).first()
        items = {item.product_id: item.position for item in collection.items.all()} if collection else {}
        products = [p for p in products if p.pk in items]
        positions = items
    if "certification" in filters:
        products = [p for p in products if filters["certification"] in {c.code for c in p.certifications.all()}]
    if "featured" in filters:
        products = [p for p in products if p.is_featured == filters["featured"]]

    def newest(p):
        return (-p.published_at.timestamp(), -p.pk)

    if plan is not None:
        tiers = {p.pk: _tier_of(p, plan) for p in products}
        products = [p for p in products if tiers[p.pk] is not None]
    if query.ordering == "name":
        zh = query.language.startswith("zh")
        products.sort(key=lambda p: ((p.name_pinyin if zh else p.name_en), p.pk))
    elif query.ordering == "-inquiry_count":
        products.sort(key=lambda p: (-p.inquiry_count, -p.pk))
    elif query.ordering == "-published_at":
        products.sort(key=newest)
    elif plan is not None:
        products.sort(key=lambda p: (tiers[p.pk], *newest(p)))
    elif "collection" in filters:
        products.sort(key=lambda p: (positions[p.pk], *newest(p)))
    else:
        products.sort(key=newest)
    return [p.pk for p in products[query.start : query.stop]], len(products)


def answer(page) -> tuple[list[int], int]:
    return [row["id"] for row in page.rows], page.count


def test_the_reference_path_gives_the_pages_the_rules_say(catalogue):
    # On SQLite and PostgreSQL alike.
    checked = found = 0
    for query, plan in generated(catalogue):
        page = listing.product_page(query, plan=plan, cached=uncached, use_reference=True)
        expected = expected_page(query, plan)
        assert answer(page) == expected, (query, plan)
        assert page.did_you_mean == (plan.did_you_mean if plan else "")
        checked, found = checked + 1, found + bool(expected[0])
    assert checked == 300 and found > 100  # most queries find something: the comparison is not of empty pages


def test_the_postgresql_path_gives_the_reference_paths_pages(postgres, catalogue):
    multi_tier = 0
    for query, plan in generated(catalogue):
        reference = listing.product_page(query, plan=plan, cached=uncached, use_reference=True)
        optimised = listing.product_page(query, plan=plan, cached=uncached)
        assert answer(optimised) == answer(reference), (query, plan)
        multi_tier += plan is not None and len(plan.tiers) > 2 and reference.count > 0
    assert multi_tier > 10


def test_the_postgresql_path_pages_alike_once_its_statements_are_prepared(postgres, catalogue):
    # psycopg prepares a statement on its sixth run: the same queries again, prepared.
    queries = list(generated(catalogue, n=60))
    first = [answer(listing.product_page(q, plan=p, cached=uncached)) for q, p in queries]
    for _ in range(6):
        again = [answer(listing.product_page(q, plan=p, cached=uncached)) for q, p in queries]
    assert again == first
