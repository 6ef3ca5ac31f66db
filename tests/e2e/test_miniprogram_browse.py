"""The buyers' browsing screens of the Mini Program (issue 14), as its H5 build in headless
Chromium at 390x844 against the live API and the WeChat stand-in (tests/e2e/h5.py): home in
one request, search in Chinese and in pinyin, filters, a product opened from the results,
collection and exporter pages, the end of an infinite list, and 收藏. Elements are found by
the Chinese a buyer reads. Screenshots: test-artifacts/miniprogram-*.png.
"""

from decimal import Decimal
from urllib.parse import urlsplit

import pytest

from buyers.models import Favourite
from tests import factories
from tests.e2e.h5 import DEMO_BUYER, HOME
from tests.servers import request

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SEARCH_BOX = "搜索商品、产地或供应商"
VANILLA = {"汤加香草荚 A级", "瓦努阿图香草粉"}


def screen(h5):
    """The page on screen, found by the address: the H5 router keeps the pages below it and the
    other tabs in the document (hidden, or still visible while the new page slides in), each
    with its route as its id ("/pages/results/index?stamp=AB")."""
    route = urlsplit(h5.page.url).fragment.split("?", 1)[0] or f"/{HOME}"
    return h5.page.locator(f'.taro_page[id^="{route}?"]:not(.taro_page_shade)').last


def open_page(h5, route: str, **query):
    """Open a page that is not a tab (h5.open waits for the tab bar, which such a page hides)."""
    h5.page.goto(h5.url(route, **query))
    h5.page.wait_for_load_state("networkidle")


def card_names(h5) -> list[str]:
    names = screen(h5).locator(".pcard__name")
    names.first.wait_for()
    return [name.strip() for name in names.all_inner_texts()]


def api_paths(h5) -> list[str]:
    return [urlsplit(url).path for _status, url in h5.api_answers]


def shot(h5, name: str) -> None:
    """test-artifacts/miniprogram-<name>.png once the page has slid in (Taro H5: about 300 ms)."""
    h5.page.wait_for_timeout(500)
    h5.screenshot(name)


def filter_option(h5, label: str):
    """An option of the open filter panel (the same text may be on a card below it)."""
    return screen(h5).locator(".filter-bar__panel").get_by_text(label, exact=True)


def filter_button(h5, label: str):
    return screen(h5).locator(".filter-bar__buttons").get_by_text(label, exact=True)


def test_home_shows_its_sections_from_one_request(h5, h5_catalogue):
    h5.open()
    screen(h5).get_by_text("精选好物", exact=True).wait_for()

    for header in ("商品类目", "专题", "产地国家", "精选好物"):
        assert screen(h5).get_by_text(header, exact=True).is_visible(), header
    assert screen(h5).get_by_text(SEARCH_BOX).is_visible()
    # Featured products (汤加香草荚, 斐济卡瓦根, 初榨椰子油), with price range and MOQ in Chinese.
    assert set(card_names(h5)) == {"汤加香草荚 A级", "斐济卡瓦根", "初榨椰子油"}
    vanilla = screen(h5).locator(".pcard", has_text="汤加香草荚 A级")
    assert vanilla.locator(".pcard__price").inner_text() == "US$220–260 / 千克"
    assert vanilla.locator(".pcard__moq").inner_text() == "起订 5 千克"
    assert vanilla.locator(".pcard__country").inner_text() == "汤加"
    assert screen(h5).get_by_text("太平洋香草", exact=True).is_visible()
    assert set(screen(h5).locator(".home__category-name").all_inner_texts()) == {
        "香料与植物原料",
        "椰子制品",
        "咖啡与可可",
    }
    assert set(screen(h5).locator(".home__country-name").all_inner_texts()) == {"斐济", "汤加", "萨摩亚", "瓦努阿图"}
    # Thumbnails sit in a fixed 4:3 box, so nothing moves as they load.
    box = vanilla.locator(".pcard__media").bounding_box()
    assert box["height"] == pytest.approx(box["width"] * 0.75, abs=1)
    h5.page.wait_for_load_state("networkidle")
    assert [path for path in api_paths(h5) if path != "/api/v1/auth/wechat/"] == ["/api/v1/home/"]
    assert [status for status, _url in h5.media_answers] and all(status == 200 for status, _url in h5.media_answers)
    shot(h5, "browse-home")
    h5.assert_clean()


def test_a_buyer_searches_in_chinese_then_in_pinyin(h5, h5_catalogue):
    h5.open()
    screen(h5).get_by_text(SEARCH_BOX).click()
    search = screen(h5).locator(".search__input input")
    search.wait_for()
    assert search.evaluate("element => element === document.activeElement")
    # Before typing: the categories with the most products, a tap away.
    assert screen(h5).get_by_text("热门类目", exact=True).is_visible()

    search.fill("香草")
    screen(h5).get_by_text("搜索“香草”", exact=True).wait_for()
    shot(h5, "browse-search-typing")
    search.press("Enter")
    h5.page.wait_for_url("**/pages/results/index?q=*")
    assert set(card_names(h5)) == VANILLA
    assert screen(h5).get_by_text("共 2 件商品", exact=True).is_visible()
    screen(h5).get_by_text("没有更多了", exact=True).wait_for()
    shot(h5, "browse-results-xiangcao-chinese")

    h5.page.go_back()  # back on the search screen, with what was typed
    assert search.input_value() == "香草"
    search.fill("")
    screen(h5).get_by_text("最近搜索", exact=True).wait_for()
    assert screen(h5).locator(".search__chip").first.inner_text() == "香草"
    search.fill("xiangcao")
    search.press("Enter")
    h5.page.wait_for_url("**/pages/results/index?q=xiangcao")
    assert set(card_names(h5)) == VANILLA
    shot(h5, "browse-results-xiangcao-pinyin")

    h5.page.go_back()
    search.fill("")
    assert screen(h5).locator(".search__chip").first.inner_text() == "xiangcao"
    screen(h5).get_by_text("清空", exact=True).click()
    assert screen(h5).get_by_text("最近搜索", exact=True).count() == 0
    h5.assert_clean()


def test_suggestions_show_as_the_buyer_types_with_their_kind(h5, h5_catalogue):
    open_page(h5, "pages/search/index")
    search = screen(h5).locator(".search__input input")
    with h5.page.expect_response(lambda answer: "/api/v1/search/suggestions/" in answer.url) as answer:
        search.press_sequentially("xiangc", delay=50)
    # Typed faster than the 250 ms pause: one request, for the whole word.
    assert "q=xiangc" in answer.value.url
    h5.page.wait_for_timeout(600)
    assert [url for _status, url in h5.api_answers if "/search/suggestions/" in url] == [answer.value.url]
    rows = screen(h5).locator(".search__suggestion")
    shown = {
        (row.locator(".search__suggestion-text").inner_text(), row.locator(".search__kind").inner_text())
        for row in rows.all()[1:]
    }
    assert rows.first.inner_text() == "搜索“xiangc”"
    assert {("香草", "类目"), ("汤加香草荚 A级", "商品")} <= shown
    shot(h5, "browse-search-suggestions")
    screen(h5).get_by_text("香草", exact=True).click()
    h5.page.wait_for_url("**/pages/results/index?q=*")
    assert set(card_names(h5)) == VANILLA
    h5.assert_clean()


def test_a_buyer_filters_by_country_and_certification_and_sorts(h5, h5_catalogue):
    h5.open()
    screen(h5).locator(".home__country", has_text="斐济").click()
    h5.page.wait_for_url("**/pages/results/index?country=FJ*")
    assert set(card_names(h5)) == {"斐济卡瓦根", "初榨椰子油"}
    assert h5.page.title() == "斐济"
    assert filter_button(h5, "斐济").is_visible()  # the chosen country names its button

    filter_button(h5, "斐济").click()
    filter_option(h5, "全部").click()
    screen(h5).get_by_text("共 6 件商品", exact=True).wait_for()
    filter_button(h5, "产地").click()
    shot(h5, "browse-filter-country")
    filter_option(h5, "汤加").click()
    screen(h5).get_by_text("共 1 件商品", exact=True).wait_for()
    assert card_names(h5) == ["汤加香草荚 A级"]

    filter_button(h5, "汤加").click()
    filter_option(h5, "全部").click()
    filter_button(h5, "认证").click()
    filter_option(h5, "HACCP").click()
    screen(h5).get_by_text("共 2 件商品", exact=True).wait_for()
    assert set(card_names(h5)) == {"斐济卡瓦根", "初榨椰子油"}

    filter_button(h5, "排序").click()
    for option in ("最新", "名称", "最多询价"):
        assert filter_option(h5, option).is_visible()
    with h5.page.expect_response(lambda answer: "ordering=name" in answer.url) as sorted_answer:
        filter_option(h5, "名称").click()
    assert "certification=haccp" in sorted_answer.value.url
    assert filter_button(h5, "HACCP").is_visible()
    assert set(card_names(h5)) == {"斐济卡瓦根", "初榨椰子油"}
    shot(h5, "browse-filter-certification")
    h5.assert_clean()


def test_a_search_that_finds_nothing_says_so_with_a_hint(h5, h5_catalogue):
    open_page(h5, "pages/results/index", q="榴莲")
    screen(h5).get_by_text("没有找到相关商品", exact=True).wait_for()
    assert screen(h5).get_by_text("换个关键词，或减少筛选条件试试", exact=True).is_visible()
    shot(h5, "browse-results-empty")
    h5.assert_clean()


def test_a_product_opens_from_the_results(h5, h5_catalogue):
    kava = h5_catalogue.products["kava"]
    open_page(h5, "pages/results/index", q="卡瓦")
    screen(h5).get_by_text("斐济卡瓦根", exact=True).click()
    h5.page.wait_for_url(f"**/pages/product/detail?id={kava.pk}")


def test_a_collection_and_an_exporter_show_their_products(h5, h5_catalogue):
    h5.open()
    screen(h5).get_by_text("太平洋香草", exact=True).click()
    h5.page.wait_for_url("**/pages/collection/index?slug=pacific-vanilla")
    assert set(card_names(h5)) == VANILLA
    shot(h5, "browse-collection")
    # Its cover is a rendition, and it loads.
    h5_catalogue.collection.refresh_from_db()
    cover = h5_catalogue.collection.cover_renditions["detail"]["webp"]["name"]
    assert any(status == 200 and url.endswith(cover) for status, url in h5.media_answers)

    exporter = h5_catalogue.products["kava"].exporter
    exporter.year_founded = 1998
    exporter.gacc_registration_number = "CFJI01234567"
    exporter.save()
    open_page(h5, "pages/exporter/index", id=exporter.pk)
    screen(h5).get_by_text("已认证", exact=True).wait_for()
    assert screen(h5).locator(".exporter__name").inner_text() == exporter.name_zh_hans
    assert screen(h5).get_by_text("成立于 1998 年", exact=True).is_visible()
    gacc = screen(h5).get_by_text("海关注册编号（GACC）：CFJI01234567", exact=True)
    assert gacc.is_visible()
    assert set(card_names(h5)) == {"斐济卡瓦根", "初榨椰子油"}
    shot(h5, "browse-exporter")  # once the page has slid in: then it is measured
    box = gacc.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # fits the phone's width
    h5.assert_clean()


def add_fiji_products(h5_catalogue, count: int) -> None:
    fiji = h5_catalogue.countries["FJ"]
    exporter = h5_catalogue.products["kava"].exporter
    for number in range(1, count + 1):
        factories.ProductFactory(
            exporter=exporter,
            origin_country=fiji,
            category=h5_catalogue.categories["coconut"],
            name_zh_hans=f"斐济椰子片 {number:02d}号",
            price_min=Decimal("3"),
            price_max=Decimal("4"),
            published=True,
        )


def scroll_to(h5, text: str):
    """Scroll down until `text` shows at the bottom of the list."""
    found = screen(h5).get_by_text(text, exact=True)
    for _ in range(20):
        if found.count():
            break
        h5.page.mouse.wheel(0, 4000)
        h5.page.wait_for_timeout(300)
    found.wait_for()
    return found


def test_results_follow_the_next_pages_to_the_end(h5, h5_catalogue):
    add_fiji_products(h5_catalogue, 23)
    open_page(h5, "pages/results/index", country="FJ", title="斐济")
    screen(h5).get_by_text("共 25 件商品", exact=True).wait_for()
    assert len(card_names(h5)) == 20  # the API's page
    scroll_to(h5, "没有更多了")
    assert len(card_names(h5)) == 25
    assert any("page=2" in url for _status, url in h5.api_answers)
    shot(h5, "browse-results-end")
    h5.assert_clean()


def test_a_next_page_that_fails_offers_a_retry_below_the_list(h5, h5_catalogue):
    add_fiji_products(h5_catalogue, 23)
    # The phone loses the network for the second page (the request module tries it three times).
    offline = {"on": True}
    h5.page.route(
        "**/api/v1/products/?*page=2*",
        lambda route: route.abort("internetdisconnected") if offline["on"] else route.continue_(),
    )
    open_page(h5, "pages/results/index", country="FJ", title="斐济")
    screen(h5).get_by_text("共 25 件商品", exact=True).wait_for()
    retry = scroll_to(h5, "加载失败，点击重试")
    assert len(card_names(h5)) == 20  # the list stays
    shot(h5, "browse-results-more-failed")

    offline["on"] = False
    retry.click()
    scroll_to(h5, "没有更多了")
    assert len(card_names(h5)) == 25
    # What the aborted requests logged is the simulated outage, not a fault of the screen.
    h5.console_errors.clear()
    h5.assert_clean()


def test_home_offers_a_retry_when_it_cannot_load(h5, h5_catalogue):
    offline = {"on": True}
    h5.page.route(
        "**/api/v1/home/",
        lambda route: route.abort("internetdisconnected") if offline["on"] else route.continue_(),
    )
    h5.open()
    screen(h5).get_by_text("网络不给力，请检查网络后重试", exact=True).wait_for()
    shot(h5, "browse-home-offline")
    offline["on"] = False
    screen(h5).get_by_text("重试", exact=True).click()
    screen(h5).get_by_text("精选好物", exact=True).wait_for()
    assert set(card_names(h5)) == {"汤加香草荚 A级", "斐济卡瓦根", "初榨椰子油"}
    h5.console_errors.clear()
    h5.assert_clean()


def test_favourites_shows_what_the_buyer_saved_and_unsaves_it(h5, h5_catalogue):
    # The buyer saved the cocoa beans (through the API, as the product page does).
    cocoa = h5_catalogue.products["cocoa"]
    signed_in = request(
        f"{h5.base_url}/api/v1/auth/wechat/", method="POST", data={"code": f"valid-{DEMO_BUYER}#e2e-favourite"}
    )
    assert signed_in.status == 200, signed_in.body
    token = signed_in.json()["token"]
    saved = request(
        f"{h5.base_url}/api/v1/favourites/{cocoa.pk}/", method="PUT", headers={"Authorization": f"Bearer {token}"}
    )
    assert saved.status == 204

    h5.open()
    h5.tab("收藏")
    screen(h5).get_by_text("萨摩亚可可豆", exact=True).wait_for()
    assert card_names(h5) == ["萨摩亚可可豆"]
    screen(h5).get_by_text("没有更多了", exact=True).wait_for()
    shot(h5, "browse-favourites")

    with h5.page.expect_response(lambda answer: answer.request.method == "DELETE") as unsaved:
        screen(h5).get_by_text("取消收藏", exact=True).click()
    assert unsaved.value.status == 204
    screen(h5).get_by_text("还没有收藏的商品", exact=True).wait_for()
    assert not Favourite.objects.filter(buyer=h5_catalogue.buyer).exists()
    shot(h5, "browse-favourites-empty")
    screen(h5).get_by_text("去首页逛逛", exact=True).click()
    screen(h5).get_by_text("精选好物", exact=True).wait_for()
    assert h5.current_tab() == "首页"
    h5.assert_clean()


def test_favourites_refresh_when_the_tab_is_shown_again(h5, h5_catalogue):
    h5.open()
    h5.tab("收藏")
    screen(h5).get_by_text("还没有收藏的商品", exact=True).wait_for()
    Favourite.objects.create(buyer=h5_catalogue.buyer, product=h5_catalogue.products["kava"])
    h5.tab("首页")
    h5.tab("收藏")
    screen(h5).get_by_text("斐济卡瓦根", exact=True).wait_for()
    assert card_names(h5) == ["斐济卡瓦根"]
    h5.assert_clean()


def test_a_misspelling_shows_the_near_spelling_and_offers_it(h5, h5_catalogue):
    # "vanila" finds nothing as typed: the products of its near spelling, and the spelling to tap.
    open_page(h5, "pages/results/index", q="vanila")
    offer = screen(h5).get_by_text("您是不是要找：vanilla", exact=True)
    offer.wait_for()
    assert set(card_names(h5)) == VANILLA
    assert screen(h5).get_by_text("共 2 件商品", exact=True).is_visible()
    shot(h5, "did-you-mean")
    # A thumb's height, on the phone's width, between the filters and the count; the spelling in the brand's green.
    box = offer.bounding_box()
    assert box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= 390
    filters = screen(h5).locator(".filter-bar__buttons").bounding_box()
    count = screen(h5).locator(".results__count").bounding_box()
    assert filters["y"] + filters["height"] <= box["y"] and box["y"] + box["height"] <= count["y"]
    word = screen(h5).locator(".results__did-you-mean-word")
    assert word.inner_text() == "vanilla"
    assert word.evaluate("element => getComputedStyle(element).color") == "rgb(11, 110, 79)"

    offer.click()
    h5.page.wait_for_url("**/pages/results/index?q=vanilla")
    screen(h5).get_by_text("共 2 件商品", exact=True).wait_for()
    assert set(card_names(h5)) == VANILLA
    assert screen(h5).locator(".results__did-you-mean").count() == 0  # found as typed: nothing to offer
    assert h5.page.title() == "vanilla"
    shot(h5, "did-you-mean-tapped")
    h5.assert_clean()


def test_a_misspelling_offers_the_spelling_in_english_too(h5, h5_catalogue):
    h5.open("pages/me/index")
    h5.page.get_by_role("radio", name="English").click()
    h5.page.wait_for_url("**/pages/home/index")
    open_page(h5, "pages/results/index", q="coconat")
    offer = screen(h5).get_by_text("Did you mean: coconut", exact=True)
    offer.wait_for()
    assert set(card_names(h5)) == {"Virgin coconut oil", "Coconut water"}
    shot(h5, "did-you-mean-english")
    assert offer.bounding_box()["height"] >= 44
    offer.click()
    h5.page.wait_for_url("**/pages/results/index?q=coconut")
    screen(h5).get_by_text("2 products", exact=True).wait_for()
    assert set(card_names(h5)) == {"Virgin coconut oil", "Coconut water"}
    h5.assert_clean()
