"""Benchmark of the catalogue API, served as in production, beside a bare Django view.

Run (PostgreSQL and Redis on loopback, wrk installed: `apt-get install -y wrk`):

    .venv/bin/python bench/api_bench.py                      # 10,000 products
    .venv/bin/python bench/api_bench.py --products 10000 100000   # both sizes, and the growth between them

Options: --database-url-template (default postgres://postgres@127.0.0.1:5432/pti_bench_{n}),
--redis-url (default redis://127.0.0.1:6379/15), --workers, --connections, --duration, --rounds,
--regenerate (rebuild the catalogue even if the database already holds it), --only REGEX (the
endpoints whose name matches, e.g. --only 'first page'), --modes uncached|cached.

For each catalogue size it builds a database of that many products (once; kept for the
next run), serves the project with gunicorn (sync workers, DJANGO_DEBUG=false, Redis cache,
as in production), loads each URL with wrk on loopback, and prints requests/s and p50/p99
latency for the product list (first page, a filtered page, a Chinese search, a pinyin
search), a product detail and home, and a bare DRF detail of a flat model, each beside a bare Django view answering a JSON body of
the same size through the same middleware, and the ratio of the two:

- "uncached": the server runs with API_CACHE_SECONDS=0, so every request is answered from
  the database; only counts (a list's `count`, products per category and country), which
  change only with the catalogue, come from the cache under the catalogue's version;
- "cached": API_CACHE_SECONDS=300 and the same anonymous request repeated (answered from the
  response cache); "304": the same with If-None-Match.
"""

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
SECRET = "bench-only-secret-key-" + "x" * 40

# name (Chinese, English), sector slug
BASES = [
    ("香草荚", "vanilla beans", "spices"),
    ("香草粉", "vanilla powder", "spices"),
    ("姜黄粉", "turmeric powder", "spices"),
    ("黑胡椒", "black pepper", "spices"),
    ("肉桂棒", "cinnamon sticks", "spices"),
    ("生姜片", "dried ginger slices", "spices"),
    ("丁香", "cloves", "spices"),
    ("豆蔻", "nutmeg", "spices"),
    ("卡瓦根粉", "kava root powder", "beverages"),
    ("卡瓦饮料", "kava drink", "beverages"),
    ("诺丽果汁", "noni juice", "beverages"),
    ("椰子水", "coconut water", "beverages"),
    ("矿泉水", "artesian water", "beverages"),
    ("咖啡豆", "coffee beans", "beverages"),
    ("可可豆", "cocoa beans", "beverages"),
    ("红茶", "black tea", "beverages"),
    ("初榨椰子油", "virgin coconut oil", "oils"),
    ("椰子粉", "desiccated coconut", "oils"),
    ("椰奶", "coconut milk", "oils"),
    ("坚果油", "tamanu oil", "oils"),
    ("卡纳利坚果", "canarium nuts", "nuts"),
    ("夏威夷果", "macadamia nuts", "nuts"),
    ("花生", "peanuts", "nuts"),
    ("木瓜干", "dried papaya", "fruit"),
    ("菠萝干", "dried pineapple", "fruit"),
    ("芒果干", "dried mango", "fruit"),
    ("香蕉片", "banana chips", "fruit"),
    ("百香果", "passion fruit", "fruit"),
    ("芋头", "taro", "fruit"),
    ("木薯粉", "cassava flour", "fruit"),
    ("金枪鱼罐头", "canned tuna", "seafood"),
    ("冷冻金枪鱼", "frozen tuna loins", "seafood"),
    ("海参", "sea cucumber", "seafood"),
    ("海藻", "sea grapes", "seafood"),
    ("龙虾", "rock lobster", "seafood"),
    ("鱿鱼", "squid", "seafood"),
    ("蜂蜜", "honey", "health"),
    ("诺丽胶囊", "noni capsules", "health"),
    ("椰子油香皂", "coconut oil soap", "health"),
    ("身体乳", "body lotion", "health"),
    ("精油", "essential oil", "health"),
    ("卡瓦胶囊", "kava capsules", "health"),
    ("木雕", "wood carving", "crafts"),
    ("编织篮", "woven basket", "crafts"),
    ("塔帕布", "tapa cloth", "crafts"),
    ("贝壳首饰", "shell jewellery", "crafts"),
    ("珍珠", "black pearls", "crafts"),
    ("蔗糖", "cane sugar", "fruit"),
    ("黑糖", "brown sugar", "fruit"),
    ("辣椒酱", "chilli sauce", "spices"),
]
ADJECTIVES = [
    ("有机", "Organic"),
    ("精选", "Premium"),
    ("野生", "Wild"),
    ("手工", "Hand-made"),
    ("天然", "Natural"),
    ("特级", "Extra"),
    ("传统", "Traditional"),
    ("新鲜", "Fresh"),
]
SECTORS = [
    ("spices", "Spices", "香料"),
    ("beverages", "Beverages", "饮品"),
    ("oils", "Oils and coconut", "油脂与椰子"),
    ("nuts", "Nuts", "坚果"),
    ("fruit", "Fruit and staples", "水果与主食"),
    ("seafood", "Seafood", "海产"),
    ("health", "Health and beauty", "健康与美容"),
    ("crafts", "Handicrafts", "手工艺品"),
]
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
CERTIFICATIONS = [
    ("organic", "Organic", "有机"),
    ("haccp", "HACCP", "危害分析与关键控制点"),
    ("halal", "Halal", "清真"),
    ("fairtrade", "Fairtrade", "公平贸易"),
    ("iso22000", "ISO 22000", "ISO 22000"),
    ("gacc", "GACC registered", "海关总署注册"),
]


def renditions(name: str) -> dict:
    return {
        size: {
            fmt: {"name": f"renditions/{name}-{size}.{fmt}", "width": box, "height": box * 3 // 4, "bytes": box * 40}
            for fmt in ("webp", "jpeg")
        }
        for size, box in (("thumb", 240), ("detail", 750), ("zoom", 1500))
    }


# --- building the catalogue ------------------------------------------------------------


def setup_django(database_url: str, redis_url: str) -> None:
    os.environ.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        DJANGO_SETTINGS_MODULE="api_bench_settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_BEHIND_HTTPS_PROXY="false",
        API_THROTTLE_ANON="100000000/min",
        LOG_LEVEL="WARNING",
    )
    sys.path[:0] = [str(ROOT), str(BENCH)]
    import django

    django.setup()


def ensure_database(database_url: str) -> None:
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def catalogue_size() -> int:
    from catalogue.models import Product

    return Product.objects.count()


def generate(n: int, *, seed: int = 20261127) -> None:
    """n products from a vocabulary of 50 kinds x 8 adjectives, 85% published, over ~n/100
    exporters (90% verified), 48 categories, 8 countries; 1-3 photos each."""
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from catalogue.models import Category, Certification, Collection, CollectionItem, Product, ProductImage
    from exporters.models import Country, Exporter

    rng = random.Random(seed)
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE catalogue_collectionitem, catalogue_collection, catalogue_productimage, "
            "catalogue_product_certifications, catalogue_product, catalogue_category, catalogue_certification, "
            "exporters_exportermember, exporters_exporterdocument, exporters_exporter CASCADE"
        )
    now = timezone.now()
    with transaction.atomic():
        countries = []
        for code, en, zh in COUNTRIES:
            country, _created = Country.objects.update_or_create(
                code=code, defaults={"name_en": en, "name_zh_hans": zh}
            )
            countries.append(country)
        certifications = Certification.objects.bulk_create(
            [Certification(code=code, name_en=en, name_zh_hans=zh) for code, en, zh in CERTIFICATIONS]
        )
        sectors = {}
        for position, (slug, en, zh) in enumerate(SECTORS):
            sectors[slug] = Category(slug=slug, name_en=en, name_zh_hans=zh, position=position)
        Category.objects.bulk_create(sectors.values())
        children = {}
        for slug, sector in sectors.items():
            children[slug] = [
                Category(
                    slug=f"{slug}-{k}",
                    name_en=f"{sector.name_en} {k}",
                    name_zh_hans=f"{sector.name_zh_hans}{k}类",
                    parent=sector,
                    position=k,
                )
                for k in range(1, 6)
            ]
        Category.objects.bulk_create([c for group in children.values() for c in group])

        statuses = ["verified"] * 18 + ["pending", "suspended"]
        exporters = Exporter.objects.bulk_create(
            [
                Exporter(
                    name=f"Pacific Producers {i:05d} Ltd",
                    name_zh_hans=f"{rng.choice(COUNTRIES)[2]}{rng.choice(['香料', '椰子', '卡瓦', '海产', '天然', '手工'])}公司{i}",
                    country=rng.choice(countries),
                    description_en="A family business exporting Pacific produce.",
                    description_zh_hans="一家出口太平洋特产的家族企业。",
                    verification_status=statuses[i % len(statuses)],
                    verified_at=now,
                    year_founded=1950 + i % 70,
                )
                for i in range(max(50, n // 100))
            ]
        )
        status_pool = ["published"] * 85 + ["draft"] * 5 + ["submitted"] * 4 + ["rejected"] * 3 + ["archived"] * 3
        batch, made = [], 0
        for i in range(n):
            base_zh, base_en, sector = rng.choice(BASES)
            adjective_zh, adjective_en = rng.choice(ADJECTIVES)
            exporter = exporters[rng.randrange(len(exporters))]
            status = rng.choice(status_pool)
            product = Product(
                exporter=exporter,
                category=rng.choice(children[sector]),
                origin_country=exporter.country,
                name_en=f"{adjective_en} {base_en} No. {i % 997}",
                name_zh_hans=f"{adjective_zh}{base_zh}{i % 997}号",
                summary_en=f"{adjective_en} {base_en} from {exporter.country.name_en}, packed for export.",
                summary_zh_hans=f"来自{exporter.country.name_zh_hans}的{adjective_zh}{base_zh}，出口包装。",
                description_en="Grown and processed by a family business; samples on request. " * 4,
                description_zh_hans="由家族企业种植和加工；可提供样品。" * 4,
                hs_code="0905.10",
                moq_quantity=Decimal(rng.choice([10, 20, 50, 100, 500])),
                moq_unit="kg",
                packaging="25 kg cartons",
                shelf_life="24 months",
                supply_capacity="5 tonnes a month",
                lead_time="4 weeks",
                price_currency="USD",
                price_min=Decimal(rng.randint(5, 200)),
                price_max=None,
                price_unit="kg",
                incoterm="FOB",
                status=status,
                is_featured=status == "published" and rng.random() < 0.002,
                submitted_at=now,
                published_at=now - timedelta(minutes=rng.randint(0, 2 * 365 * 24 * 60))
                if status in ("published", "archived")
                else None,
                inquiry_count=rng.randint(0, 200),
                created_at=now,
            )
            product.price_max = product.price_min + rng.randint(0, 50)
            product.refresh_search()
            batch.append(product)
            if len(batch) == 5000 or i == n - 1:
                Product.objects.bulk_create(batch)
                images = [
                    ProductImage(
                        product=p,
                        original=f"originals/products/{p.pk}-{k}.jpg",
                        width=1500,
                        height=1125,
                        renditions=renditions(f"{p.pk}-{k}"),
                        position=k,
                        alt_text=p.name_en,
                    )
                    for p in batch
                    for k in range(1, 1 + rng.randint(1, 3))
                ]
                ProductImage.objects.bulk_create(images, batch_size=5000)
                through = Product.certifications.through
                through.objects.bulk_create(
                    [
                        through(product_id=p.pk, certification_id=c.pk)
                        for p in batch
                        for c in rng.sample(certifications, rng.randint(0, 2))
                    ],
                    batch_size=5000,
                )
                made += len(batch)
                print(f"  {made:,} products", end="\r", flush=True)
                batch = []
        published_ids = list(Product.objects.published().values_list("pk", flat=True)[:400])
        for k in range(6):
            collection = Collection.objects.create(
                slug=f"collection-{k}", title_en=f"Collection {k}", title_zh_hans=f"专题{k}", position=k
            )
            CollectionItem.objects.bulk_create(
                [
                    CollectionItem(collection=collection, product_id=pk, position=p)
                    for p, pk in enumerate(published_ids[k * 40 : k * 40 + 40])
                ]
            )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"  {made:,} products generated")


# --- serving and loading -----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(*, database_url: str, redis_url: str, workers: int, cache_seconds: int):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "api_bench_settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_BEHIND_HTTPS_PROXY": "false",
        "API_CACHE_SECONDS": str(cache_seconds),
        "API_THROTTLE_ANON": "100000000/min",
        "LOG_LEVEL": "WARNING",
    }
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    process = subprocess.Popen(
        [
            gunicorn,
            "pti_bridge.wsgi:application",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--chdir",
            str(ROOT),
            "--pythonpath",
            f"{ROOT},{BENCH}",
            "--log-level",
            "warning",
        ],
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(f"{base}/bench/bare/10/", timeout=1).read()
            return process, base
        except OSError:
            time.sleep(0.1)
    stop(process)
    raise SystemExit("gunicorn did not start")


def stop(process) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def fetch(url: str, headers: dict | None = None) -> tuple[int, bytes, dict]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, *, connections: int, duration: int, headers: dict | None = None) -> dict:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout

    def latency(percent: str) -> float:
        value, unit = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
        return float(value) * UNITS[unit]

    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": latency("50"),
        "p99": latency("99"),
        "errors": int(non_2xx.group(1)) if non_2xx else 0,
    }


def median_run(runs: list[dict]) -> dict:
    """The run with the median requests/s (of an odd number of runs; the lower middle of an even one)."""
    return dict(sorted(runs, key=lambda run: run["rps"])[(len(runs) - 1) // 2])


def in_process(path: str, headers: dict, size: int, *, cache_seconds: int, repeat: int = 200) -> tuple[float, float]:
    """Median milliseconds per request of `path` and of the bare view of `size` bytes, called in
    this process through Django's full handler (middleware included, no HTTP, no gunicorn): a
    second measure, less moved by the rest of the machine than wrk's."""
    from django.test import Client, override_settings

    client = Client()

    def median(url, extra):
        times = []
        for k in range(repeat + 20):
            start = time.perf_counter()
            client.get(url, headers=extra)
            if k >= 20:  # the first ones warm up
                times.append(time.perf_counter() - start)
        return statistics.median(times) * 1000

    with override_settings(API_CACHE_SECONDS=cache_seconds):
        return median(path, headers), median(f"/bench/bare/{size}/", {})


def endpoints(base: str) -> dict[str, str]:
    from catalogue.models import Product

    product = Product.objects.published().order_by("-inquiry_count", "pk").first()
    return {
        "list: first page": "/api/v1/products/",
        "list: filtered page": "/api/v1/products/?category=spices&country=FJ&ordering=-inquiry_count",
        "list: Chinese search 香草": "/api/v1/products/?q=%E9%A6%99%E8%8D%89",
        "list: pinyin search xiangcao": "/api/v1/products/?q=xiangcao",
        # A category's name (a quarter of the catalogue) and no product's: every match is past
        # the name matches, and the common term must not read them all.
        "list: category-name search 香料": "/api/v1/products/?q=%E9%A6%99%E6%96%99",
        "list: typo search vanila": "/api/v1/products/?q=vanila",  # near spellings
        "list: place search 汤加": "/api/v1/products/?q=%E6%B1%A4%E5%8A%A0",  # a country's products first
        "suggestions xiang": "/api/v1/search/suggestions/?q=xiang",
        "suggestions 香": "/api/v1/search/suggestions/?q=%E9%A6%99",  # one character, in many names
        "product detail": f"/api/v1/products/{product.pk}/",
        "home": "/api/v1/home/",
        # The yardstick of the product detail: DRF's own detail of a flat model (api_bench_urls.py).
        "bare DRF detail (a country)": "/bench/drf/countries/FJ/",
    }


def run_size(n: int, args) -> dict:
    database_url = args.database_url_template.format(n=n)
    print(f"\n== {n:,} products: {database_url}")
    ensure_database(database_url)
    if "django" not in sys.modules:
        setup_django(database_url, args.redis_url)
    else:  # a second size: point the ORM at the other database
        from django.db import connections

        connections["default"].close()
        connections["default"].settings_dict["NAME"] = database_url.rsplit("/", 1)[1]
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # As a deploy does (README): WhiteNoise serves what collectstatic gathered.
    call_command("collectstatic", interactive=False, verbosity=0)
    if args.regenerate or catalogue_size() != n:
        generate(n)
    from catalogue.models import Product

    visible = Product.objects.published().count()
    from django.core.cache import cache

    # One Redis for every size: what was cached for another database must not answer here.
    cache.clear()
    results = {"products": n, "visible": visible, "rows": {}}
    for mode, cache_seconds in (("uncached", 0), ("cached", 300)):
        if mode not in args.modes:
            continue
        process, base = serve(
            database_url=database_url, redis_url=args.redis_url, workers=args.workers, cache_seconds=cache_seconds
        )
        try:
            for name, path in endpoints(base).items():
                if args.only and not re.search(args.only, name):
                    continue
                status, body, headers = fetch(base + path)
                assert status == 200, (path, status, body[:300])
                found = json.loads(body)
                matches = found.get("count") if isinstance(found, dict) else len(found)
                variants = [(mode, {})]
                if mode == "cached":
                    variants.append(("304", {"If-None-Match": headers["ETag"]}))
                    assert fetch(base + path, variants[1][1])[0] == 304
                for label, extra in variants:
                    # Warm every worker (its connections, prepared statements, compiled SQL), not
                    # just the one a single request reaches: the runs measure the steady state.
                    wrk(base + path, connections=args.connections, duration=1, headers=extra)
                    # Alternate the URL and the bare view and keep the median of each one's runs, so
                    # a burst of other work on the machine does not decide the ratio.
                    runs, bare_runs = [], []
                    for _round in range(args.rounds):
                        runs.append(
                            wrk(base + path, connections=args.connections, duration=args.duration, headers=extra)
                        )
                        bare_runs.append(
                            wrk(f"{base}/bench/bare/{len(body)}/", connections=args.connections, duration=args.duration)
                        )
                    measured, bare = median_run(runs), median_run(bare_runs)
                    measured["in_process"], bare["in_process"] = in_process(
                        path, extra, len(body), cache_seconds=cache_seconds
                    )
                    row = {**measured, "bytes": len(body), "matches": matches, "bare": bare}
                    results["rows"][f"{name} [{label}]"] = row
                    print(
                        f"  {name + ' [' + label + ']':45} {row['rps']:8.0f} req/s  p50 {row['p50']:6.2f} ms  "
                        f"p99 {row['p99']:6.2f} ms | bare {bare['rps']:8.0f} req/s  ratio {row['rps'] / bare['rps']:5.0%}"
                        f" | in-process {row['in_process']:5.2f} ms, bare {bare['in_process']:5.2f} ms, "
                        f"ratio {bare['in_process'] / row['in_process']:5.0%}",
                        flush=True,
                    )
        finally:
            stop(process)
    return results


def report(all_results: list[dict], args) -> None:
    print(
        f"\nCatalogue API benchmark: gunicorn {args.workers} sync workers, DJANGO_DEBUG=false, PostgreSQL, "
        f"Redis cache; wrk -t1 -c{args.connections} -d{args.duration}s, median of {args.rounds} alternating "
        f"with the bare view, on loopback; in-process: median ms of 200 calls through Django's handler; {os.cpu_count()} CPUs shared by all (load average now {os.getloadavg()[0]:.1f})."
    )
    for results in all_results:
        print(f"\n{results['products']:,} products ({results['visible']:,} visible)")
        print(
            f"{'endpoint':47} {'bytes':>6} {'count':>6} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'bare req/s':>10} {'ratio':>6}"
            f" {'ms in-p':>8} {'bare ms':>8} {'ratio':>6}"
        )
        for name, row in results["rows"].items():
            count = "" if row["matches"] is None else row["matches"]
            print(
                f"{name:47} {row['bytes']:6} {count:>6} {row['rps']:8.0f} {row['p50']:7.2f} {row['p99']:7.2f} "
                f"{row['bare']['rps']:10.0f} {row['rps'] / row['bare']['rps']:6.0%}"
                f" {row['in_process']:8.2f} {row['bare']['in_process']:8.2f} {row['bare']['in_process'] / row['in_process']:6.0%}"
                + (f"  ({row['errors']} non-2xx/3xx!)" if row["errors"] else "")
            )
    for results in all_results:
        rows = results["rows"]
        for name, yardstick in (
            ("product detail [uncached]", "bare DRF detail (a country) [uncached]"),
            ("home [uncached]", "list: first page [uncached]"),
        ):
            if name in rows and yardstick in rows:
                print(
                    f"{results['products']:,} products: {name} / {yardstick}: "
                    f"req/s {rows[name]['rps'] / rows[yardstick]['rps']:.0%}, "
                    f"in-process {rows[yardstick]['in_process'] / rows[name]['in_process']:.0%}"
                )
    if len(all_results) > 1:
        small, large = all_results[0], all_results[-1]
        print(f"\nGrowth from {small['products']:,} to {large['products']:,} products (p99, uncached):")
        for name, row in small["rows"].items():
            if name.endswith("[uncached]") and name in large["rows"]:
                growth = large["rows"][name]["p99"] / row["p99"]
                print(f"  {name:47} {row['p99']:7.2f} -> {large['rows'][name]['p99']:7.2f} ms   x{growth:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, nargs="+", default=[10_000])
    parser.add_argument("--database-url-template", default="postgres://postgres@127.0.0.1:5432/pti_bench_{n}")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/15")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--duration", type=int, default=5, help="seconds of each wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each URL (the median counts)")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--only", help="a regular expression: measure only the endpoints whose name matches")
    parser.add_argument("--modes", nargs="+", choices=["uncached", "cached"], default=["uncached", "cached"])
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install -y wrk")
    all_results = [run_size(n, args) for n in args.products]
    report(all_results, args)


if __name__ == "__main__":
    main()
