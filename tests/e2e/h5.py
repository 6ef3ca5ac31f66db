"""The Mini Program's H5 build in headless Chromium, for the buyers' end-to-end tests.

    def test_a_buyer_searches(h5):
        h5.open()                                  # /m/ on the live server: the home tab
        h5.page.get_by_text("香草荚").first.click()
        h5.screenshot("product")                   # test-artifacts/miniprogram-product.png
        h5.assert_clean()                          # no console error, page error, CSP violation, broken photo

    h5.open(scene=f"p={product.pk}") opens the app as a Mini Program code would (scene=p%3D<id>);
    h5.media_answers and h5.api_answers list (status, url) of the photos and API calls.

`h5` is a phone (390x844 at 2x, touch, zh-CN, Beijing time) on the live server's /m/, with
the H5 build made once a session (tests/miniprogram/project.py; skipped without Node 18+,
failed in CI). The live server talks to the WeChat stand-in (tests/conftest.py), so the app's
silent sign-in (src/platform/index.h5.ts: `valid-demo-buyer#<nonce>`) signs in the demo buyer
王经理 of `h5_catalogue`; it serves /media/, so photos load. `h5_catalogue` is a small demo-like
catalogue: published products from four countries, with real photos and their renditions.
"""

import re
import shutil
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

from tests import factories
from tests.e2e.test_csp import WATCH_VIOLATIONS
from tests.e2e.test_portal import ARTIFACTS

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "zh-CN",
    "timezone_id": "Asia/Shanghai",
}
TABS = ["首页", "收藏", "我的询价", "我的"]
HOME = "pages/home/index"
DEMO_BUYER = "demo-buyer"  # the stand-in's user behind the H5 app's default sign-in code


class H5App:
    """A page of the H5 app, watching what a buyer would not see go wrong."""

    def __init__(self, page, base_url: str):
        self.page, self.base_url = page, base_url
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.csp_violations: list[str] = []
        # (status, url) of every answer from /api/ and /media/, in order.
        self.api_answers: list[tuple[int, str]] = []
        self.media_answers: list[tuple[int, str]] = []
        page.context.add_init_script(WATCH_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("response", self._response)

    def _console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.csp_violations.append(f"console: {message.text}")
        elif message.type == "error":
            self.console_errors.append(f"{message.text} ({message.location.get('url', '')})")

    def _response(self, response):
        path = response.url.removeprefix(self.base_url)
        if path.startswith("/api/"):
            self.api_answers.append((response.status, response.url))
        elif path.startswith("/media/") or "/media/" in response.url:
            self.media_answers.append((response.status, response.url))

    def url(self, route: str = HOME, **query) -> str:
        """The address of a page of the app (hash router): /m/#/pages/product/detail?id=3."""
        suffix = f"?{urlencode(query)}" if query else ""
        return f"{self.base_url}/m/#/{route.lstrip('/')}{suffix}"

    def open(self, route: str = HOME, **query):
        """Open a page of the app and wait for the tab bar (the app has started)."""
        self.page.goto(self.url(route, **query))
        self.page.wait_for_load_state("networkidle")
        self.tab_bar().first.wait_for()
        return self.page

    def tab_bar(self):
        return self.page.locator(".weui-tabbar, .taro-tabbar__tabbar")

    def tab(self, label: str):
        """Tap a tab of the tab bar by its label (首页, 收藏, 我的询价, 我的)."""
        self.tab_bar().get_by_text(label, exact=True).click()
        self.page.wait_for_load_state("networkidle")

    def tab_labels(self) -> list[str]:
        return [text.strip() for text in self.tab_bar().locator(".weui-tabbar__label").all_inner_texts()]

    def current_tab(self) -> str:
        """The label of the tab shown as selected."""
        return self.tab_bar().locator(".weui-tabbar__item.weui-bar__item_on .weui-tabbar__label").inner_text().strip()

    def screenshot(self, name: str, *, full_page: bool = False) -> Path:
        """test-artifacts/miniprogram-<name>.png, the phone's screen as the buyer sees it."""
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"miniprogram-{name}.png"
        self.page.wait_for_load_state("networkidle")
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def collect(self) -> None:
        """Read the CSP violations the current document recorded (call before leaving it)."""
        try:
            events = self.page.evaluate("window.__csp || []")
            self.page.evaluate("window.__csp = []")
        except Exception:  # noqa: BLE001 - a page mid-navigation has no window to ask
            return
        self.csp_violations.extend(events)

    def broken_images(self) -> list[str]:
        """The address of every <img> on the page that finished loading without a picture."""
        return self.page.evaluate(
            """Array.from(document.images)
                 .filter((img) => img.getAttribute('src') && img.complete && img.naturalWidth === 0)
                 .map((img) => img.src)"""
        )

    def problems(self) -> list[str]:
        self.collect()
        return [
            *(f"CSP: {line}" for line in self.csp_violations),
            *(f"page error: {line}" for line in self.page_errors),
            *(f"console error: {line}" for line in self.console_errors),
            *(f"media {status}: {url}" for status, url in self.media_answers if status >= 400),
            *(f"broken image: {url}" for url in self.broken_images()),
        ]

    def assert_clean(self) -> None:
        """No CSP violation, uncaught error or console error; every photo answered and drawn."""
        problems = self.problems()
        assert problems == [], "\n".join(problems)


@dataclass
class Catalogue:
    """What `h5_catalogue` made, by key: products["vanilla"], countries["FJ"]..."""

    buyer: object
    products: dict = field(default_factory=dict)
    countries: dict = field(default_factory=dict)
    categories: dict = field(default_factory=dict)
    certifications: dict = field(default_factory=dict)
    collection: object = None


# Product key: (country, category, English name, Chinese name, summary zh, photos, certifications,
# price range per unit, MOQ, featured)
PRODUCTS = {
    "vanilla": (
        "TO",
        "vanilla",
        "Tongan vanilla beans, grade A",
        "汤加香草荚 A级",
        "手工熟化九个月，香兰素含量 1.8% 以上。",
        ["vanilla", "vanilla_powder"],
        ["organic"],
        ("220", "260", "kg"),
        ("5", "kg"),
        True,
    ),
    "vanilla_powder": (
        "VU",
        "vanilla",
        "Vanilla powder",
        "瓦努阿图香草粉",
        "整荚研磨，适用于烘焙和乳制品。",
        ["vanilla_powder"],
        [],
        ("180", "210", "kg"),
        ("10", "kg"),
        False,
    ),
    "kava": (
        "FJ",
        "kava",
        "Noble kava root",
        "斐济卡瓦根",
        "每批检测卡瓦内酯含量与水分。",
        ["kava_root", "kava_powder"],
        ["haccp"],
        ("28", "35", "kg"),
        ("200", "kg"),
        True,
    ),
    "coconut_oil": (
        "FJ",
        "coconut",
        "Virgin coconut oil",
        "初榨椰子油",
        "开壳后四小时内冷榨。",
        ["coconut_oil"],
        ["organic", "haccp"],
        ("6.5", "8", "litre"),
        ("1000", "litre"),
        True,
    ),
    "coconut_water": (
        "WS",
        "coconut",
        "Coconut water",
        "萨摩亚椰子水",
        "无添加，常温保存十二个月。",
        ["coconut_water"],
        [],
        ("1.2", "1.6", "litre"),
        ("5000", "litre"),
        False,
    ),
    "cocoa": (
        "WS",
        "cocoa",
        "Samoan cocoa beans",
        "萨摩亚可可豆",
        "发酵六天，日晒干燥。",
        ["cocoa_beans", "cocoa_pod"],
        ["fairtrade"],
        ("4.8", "5.6", "kg"),
        ("1", "tonne"),
        False,
    ),
}
COUNTRIES = {"FJ": ("Fiji", "斐济"), "TO": ("Tonga", "汤加"), "WS": ("Samoa", "萨摩亚"), "VU": ("Vanuatu", "瓦努阿图")}
# Every product's B2B facts (the product page shows them).
FACTS = {
    "hs_code": "0905.10",
    "packaging": "真空袋装，每箱 10 公斤",
    "shelf_life": "24 个月",
    "supply_capacity": "每月 2 吨",
    "lead_time": "收到定金后 3 周",
    "description_zh_hans": "小农户种植，手工采收，出口前逐批检验。",
    "market_access_zh_hans": "已在海关总署注册，可凭原产地证书享受中国关税优惠。",
}
CATEGORIES = {  # key: (slug, English, Chinese, parent key)
    "spices": ("spices-botanicals", "Spices and botanicals", "香料与植物原料", None),
    "vanilla": ("vanilla", "Vanilla", "香草", "spices"),
    "kava": ("kava", "Kava", "卡瓦", "spices"),
    "coconut": ("coconut-products", "Coconut products", "椰子制品", None),
    "cocoa": ("coffee-cocoa", "Coffee and cocoa", "咖啡与可可", None),
}
CERTIFICATIONS = {"organic": ("Organic", "有机"), "haccp": ("HACCP", "HACCP"), "fairtrade": ("Fairtrade", "公平贸易")}


@pytest.fixture(scope="session")
def demo_photos(tmp_path_factory):
    """Each demo photo kind drawn once a session (demo/photos.py) with its renditions:
    {kind: (photo bytes, renditions, folder holding the rendition files)}."""
    from demo.photos import product_photo, seed_for
    from pti_bridge.renditions import make_renditions

    folder = tmp_path_factory.mktemp("h5-renditions")
    storage = FileSystemStorage(location=folder, base_url="/media/")
    kinds = sorted({kind for spec in PRODUCTS.values() for kind in spec[5]})
    photos = {}
    for kind in kinds:
        photo = product_photo(kind, seed_for("e2e", kind))
        photos[kind] = (photo, make_renditions(BytesIO(photo), prefix=f"renditions/e2e/{kind}", storage=storage))
    return {"photos": photos, "folder": folder}


@pytest.fixture
def h5_catalogue(settings, wechat_standin, demo_photos) -> Catalogue:
    """Published products with photos (renditions in this test's MEDIA_ROOT), categories,
    countries, certifications, a collection, and the demo buyer 王经理 the app signs in as."""
    from catalogue.models import Product
    from pti_bridge import images
    from pti_bridge.renditions import refresh_renditions

    shutil.copytree(demo_photos["folder"], settings.MEDIA_ROOT, dirs_exist_ok=True)
    catalogue = Catalogue(
        buyer=factories.BuyerFactory(
            openid=wechat_standin.state.openid(DEMO_BUYER),
            display_name="王经理",
            company="上海浦江进口食品贸易有限公司",
        )
    )
    for code, (en, zh) in COUNTRIES.items():
        catalogue.countries[code] = factories.CountryFactory(code=code, name_en=en, name_zh_hans=zh)
    for key, (slug, en, zh, parent) in CATEGORIES.items():
        catalogue.categories[key] = factories.CategoryFactory(
            slug=slug, name_en=en, name_zh_hans=zh, parent=catalogue.categories.get(parent)
        )
    for code, (en, zh) in CERTIFICATIONS.items():
        catalogue.certifications[code] = factories.CertificationFactory(code=code, name_en=en, name_zh_hans=zh)
    exporters = {
        code: factories.ExporterFactory(
            name=f"{COUNTRIES[code][0]} Pacific Exports",
            name_zh_hans=f"{COUNTRIES[code][1]}太平洋出口公司",
            country=country,
            verified=True,
        )
        for code, country in catalogue.countries.items()
    }
    for key, (country, category, en, zh, summary, kinds, certs, price, moq, featured) in PRODUCTS.items():
        product = factories.ProductFactory(
            exporter=exporters[country],
            category=catalogue.categories[category],
            name_en=en,
            name_zh_hans=zh,
            summary_en=f"{en} from {COUNTRIES[country][0]}.",  # not the factory's, which names vanilla
            summary_zh_hans=summary,
            price_min=Decimal(price[0]),
            price_max=Decimal(price[1]),
            price_unit=price[2],
            moq_quantity=Decimal(moq[0]),
            moq_unit=moq[1],
            is_featured=featured,
            published=True,
            **FACTS,
        )
        product.full_clean()  # what the admin and the portal would accept
        product.certifications.set([catalogue.certifications[code] for code in certs])
        for position, kind in enumerate(kinds, start=1):
            factories.ProductImageFactory(
                product=product, position=position, renditions=demo_photos["photos"][kind][1], alt_text=zh
            )
        catalogue.products[key] = product
    assert Product.objects.filter(status=Product.Status.PUBLISHED).count() == len(PRODUCTS)
    collection = factories.CollectionFactory(
        slug="pacific-vanilla", title_en="Pacific vanilla", title_zh_hans="太平洋香草"
    )
    collection.cover = images.clean_cover(ContentFile(demo_photos["photos"]["vanilla"][0], name="cover.jpg"))
    collection.save()
    refresh_renditions(collection)  # what the admin's save schedules: the API shows renditions only
    for position, key in enumerate(("vanilla", "vanilla_powder"), start=1):
        factories.CollectionItemFactory(collection=collection, product=catalogue.products[key], position=position)
    catalogue.collection = collection
    return catalogue


@pytest.fixture
def h5_server(live_server, settings):
    """The live server as the H5 app needs it: /media/ served, absolute URLs on its own address."""
    settings.ROOT_URLCONF = "tests.e2e.urls_media"
    settings.SITE_URL = live_server.url
    return live_server


@pytest.fixture
def h5(browser, h5_server, h5_build, h5_catalogue):
    """A phone opened on nothing yet: call h5.open() (the home tab) or h5.open(route, **query)."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    app = H5App(page, h5_server.url)
    yield app
    context.close()


def texts(locator) -> list[str]:
    """The visible texts of `locator`'s elements, whitespace squeezed."""
    return [re.sub(r"\s+", " ", text).strip() for text in locator.all_inner_texts()]
