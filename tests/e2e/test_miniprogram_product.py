"""The buyers' Mini Program's product page, share poster, 我的 and 我的询价, as its H5 build in
headless Chromium on a phone (390x844), against the live API and the WeChat stand-in
(tests/e2e/h5.py), by the Chinese labels a buyer sees. Screenshots: test-artifacts/miniprogram-*.png.
"""

import re
import struct

import pytest

from buyers.models import Favourite
from catalogue.services import product_archive
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PRODUCT = "pages/product/detail"
# The MOQ's and the price's unit as the Chinese page names it (the API sends the code, kg).
KG = "千克"


@pytest.fixture
def vanilla(h5_catalogue):
    """The catalogue's vanilla with every B2B fact filled in, as an exporter would."""
    product = h5_catalogue.products["vanilla"]
    product.packaging = "Vacuum-sealed 1 kg bags in a wooden box"
    product.shelf_life = "24 months"
    product.supply_capacity = "3 tonnes a season"
    product.lead_time = "2 weeks"
    product.market_access_en = "Enters China with a phytosanitary certificate."
    product.market_access_zh_hans = "凭出口国官方植物检疫证书进入中国。"
    product.description_zh_hans = "在汤加瓦瓦乌群岛人工授粉，完全成熟后采收。"
    product.save()
    product.exporter.gacc_registration_number = "CTON12345678901"
    product.exporter.save()
    return product


def open_product(h5, name: str, **query):
    """Open the product page (not a tab: no tab bar to wait for) until the product shows."""
    h5.page.goto(h5.url(PRODUCT, **query))
    h5.page.get_by_text(name, exact=True).wait_for()
    h5.page.wait_for_load_state("networkidle")


def api_product(h5, product) -> dict:
    return h5.page.request.get(f"{h5.base_url}/api/v1/products/{product.pk}/").json()


def media_path(url: str) -> str:
    """/media/... of an image URL, absolute or not."""
    return "/media/" + url.split("/media/", 1)[1]


def answers_for(h5, url: str) -> list[int]:
    """The statuses of the app's requests for this image."""
    return [status for status, answered in h5.media_answers if answered.endswith(media_path(url))]


def test_a_product_shows_price_moq_facts_and_its_photos_first(h5, vanilla):
    open_product(h5, "汤加香草荚 A级", id=vanilla.pk)
    page = h5.page

    # What a B2B buyer looks for first: the price range with its incoterm, then the MOQ.
    assert page.locator(".summary__price").inner_text() == "US$220–260"
    assert page.locator(".summary__incoterm").inner_text() == "FOB"
    assert re.fullmatch(f"起订 5 {KG}", page.locator(".summary__moq").inner_text())
    labels, values = page.locator(".facts__label").all_inner_texts(), page.locator(".facts__value").all_inner_texts()
    facts = dict(zip(labels, values, strict=True))
    assert facts == {
        "原产地": "汤加",
        "类目": "香草",
        "HS编码": "0905.10",
        "包装": "Vacuum-sealed 1 kg bags in a wooden box",
        "保质期": "24 months",
        "供货能力": "3 tonnes a season",
        "交货期": "2 weeks",
    }
    assert page.locator(".certs__item").all_inner_texts() == ["有机"]
    assert page.get_by_text("凭出口国官方植物检疫证书进入中国。").is_visible()
    # The exporter's China customs registration, in the market-access section, whole on one line.
    assert page.locator(".gacc__label").inner_text() == "海关注册编号（GACC）"
    assert page.locator(".gacc__number").inner_text() == "CTON12345678901"
    assert page.get_by_text("海关注册编号（GACC）", exact=True).is_visible()
    assert page.get_by_text("CTON12345678901", exact=True).is_visible()
    assert page.locator(".exporter__verified").inner_text() == "✓ 已认证"
    assert page.locator(".gallery__count").inner_text() == "1/2"

    # The photos are the API's detail renditions, and they load (lazily: the first two).
    images = api_product(h5, vanilla)["images"]
    assert answers_for(h5, images[0]["url"]) == [200]
    assert answers_for(h5, images[1]["url"]) == [200]
    h5.screenshot("product")

    page.locator(".gacc").scroll_into_view_if_needed()
    label_box, number_box = page.locator(".gacc__label").bounding_box(), page.locator(".gacc__number").bounding_box()
    assert label_box["x"] >= 0 and number_box["x"] + number_box["width"] <= 390  # within the phone's width
    assert abs(label_box["y"] - number_box["y"]) < 8  # label and number on one line at 390 px
    h5.screenshot("product-gacc")

    page.get_by_text("供应商", exact=True).scroll_into_view_if_needed()
    h5.screenshot("product-scrolled")

    # A tap on the photo opens it full screen at the zoom size.
    page.get_by_text("汤加香草荚 A级", exact=True).scroll_into_view_if_needed()
    zoom_path = media_path(images[0]["zoom"]["url"])
    with page.expect_response(lambda response: response.url.endswith(zoom_path)) as zoom:
        page.locator(".gallery__image").first.click()
    assert zoom.value.status == 200
    page.locator(".preview-image").wait_for()
    h5.screenshot("product-zoom")
    page.locator(".preview-image").click()
    page.locator(".preview-image").wait_for(state="detached")
    h5.assert_clean()


@pytest.mark.parametrize("route", [PRODUCT, "pages/home/index"])
def test_a_mini_program_code_scene_opens_its_product(h5, h5_catalogue, route):
    """A code opens pages/product/detail?scene=p%3D<id>; one made for another page opens there
    and the app goes on to the product."""
    kava = h5_catalogue.products["kava"]
    h5.page.goto(f"{h5.base_url}/m/#/{route}?scene=p%3D{kava.pk}")

    # The product page's own name (the home page's cards may name it too, below it).
    h5.page.locator(".summary__name", has_text="斐济卡瓦根").wait_for()
    assert h5.page.locator(".summary__price").inner_text() == "US$28–35"
    h5.assert_clean()


def test_saving_a_product_signs_in_silently_and_the_api_keeps_it(h5, vanilla, h5_catalogue):
    buyer = h5_catalogue.buyer
    open_product(h5, "汤加香草荚 A级", id=vanilla.pk)
    assert not Favourite.objects.filter(buyer=buyer).exists()

    with h5.page.expect_response(lambda response: response.request.method == "PUT") as saved:
        h5.page.get_by_role("button", name="收藏").click()
    assert (saved.value.status, saved.value.url) == (204, f"{h5.base_url}/api/v1/favourites/{vanilla.pk}/")
    h5.page.get_by_role("button", name="已收藏").wait_for()
    assert list(Favourite.objects.filter(buyer=buyer).values_list("product_id", flat=True)) == [vanilla.pk]

    # Opened again, the page says so from the API's answer (is_favourite), not from memory.
    h5.page.reload()
    h5.page.get_by_text("汤加香草荚 A级", exact=True).wait_for()
    h5.page.get_by_role("button", name="已收藏").wait_for()
    h5.screenshot("product-saved")

    with h5.page.expect_response(lambda response: response.request.method == "DELETE") as removed:
        h5.page.get_by_role("button", name="已收藏").click()
    assert removed.value.status == 204
    h5.page.get_by_role("button", name="收藏").wait_for()
    assert not Favourite.objects.filter(buyer=buyer).exists()
    h5.assert_clean()


def test_inquire_says_honestly_that_it_is_coming(h5, vanilla):
    open_product(h5, "汤加香草荚 A级", id=vanilla.pk)
    h5.page.get_by_text("询价", exact=True).click()
    h5.page.get_by_text("询价功能即将上线").wait_for()
    assert h5.page.url.endswith(f"{PRODUCT}?id={vanilla.pk}")
    h5.assert_clean()


def test_the_poster_shows_the_mini_program_code_and_saves_as_an_image(h5, vanilla):
    open_product(h5, "汤加香草荚 A级", id=vanilla.pk)
    code_url = f"/api/v1/products/{vanilla.pk}/share-code/"
    with h5.page.expect_response(lambda response: response.url.endswith(code_url)) as code:
        h5.page.get_by_role("button", name="分享").click()  # on H5 there is no card to send: the poster
    assert code.value.status == 200
    assert code.value.headers["content-type"] == "image/png"
    assert code.value.body().startswith(b"\x89PNG\r\n\x1a\n")
    page = h5.page
    page.get_by_text("长按识别小程序码", exact=True).wait_for()
    assert page.url.endswith(f"share/poster/index?id={vanilla.pk}")
    assert page.locator(".poster__name").inner_text() == "汤加香草荚 A级"
    assert re.fullmatch(f"US\\$220–260 / {KG}", page.locator(".poster__price").inner_text())
    moq, origin = page.locator(".poster__line").all_inner_texts()
    assert re.fullmatch(f"起订 5 {KG}", moq)
    assert origin == "汤加 · 汤加太平洋出口公司"
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)  # the page has slid in (Taro H5: about 300 ms)
    h5.screenshot("poster")

    with page.expect_download() as download:
        page.get_by_text("保存图片", exact=True).click()
    png = download.value.path().read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert struct.unpack(">II", png[16:24]) == (1200, 1920)  # 600x960 drawn at 2x
    page.get_by_text("海报已下载").wait_for()
    h5.assert_clean()


def test_a_product_that_is_gone_says_so(h5, vanilla):
    product_archive(product=vanilla, actor=factories.StaffFactory())
    h5.page.goto(h5.url(PRODUCT, id=vanilla.pk))
    h5.page.get_by_text("商品已下架或不存在").wait_for()
    h5.screenshot("product-gone")
    h5.page.get_by_text("去首页逛逛", exact=True).click()
    h5.page.wait_for_url("**/pages/home/index")
    # The one failure is the API's 404, which the browser logs; nothing else went wrong.
    assert [line for line in h5.problems() if f"/products/{vanilla.pk}/" not in line] == []


def test_me_switches_to_english_and_the_product_page_follows(h5, vanilla):
    h5.open("pages/me/index")
    page = h5.page
    assert page.get_by_text("语言", exact=True).is_visible()
    assert page.get_by_text("即将上线", exact=True).count() == 3  # account, privacy policy, my data
    assert page.get_by_text("联系我们", exact=True).is_visible()
    assert page.locator(".me__version").inner_text().endswith("版本 1.0.0")
    h5.screenshot("me")

    page.get_by_role("radio", name="English").click()
    page.wait_for_url("**/pages/home/index")
    english = []
    page.on("request", lambda request: english.append(request.headers.get("accept-language")))
    open_product(h5, "Tongan vanilla beans, grade A", id=vanilla.pk)
    assert page.locator(".summary__moq").inner_text() == "MOQ 5 kg"
    assert page.get_by_text("Specifications", exact=True).is_visible()
    assert page.get_by_text("Inquire", exact=True).is_visible()
    assert set(english) >= {"en"}
    h5.screenshot("product-english")

    h5.open("pages/me/index")
    assert page.get_by_role("radio", name="English").get_attribute("aria-checked") == "true"
    h5.screenshot("me-english")
    page.get_by_role("radio", name="中文").click()
    page.wait_for_url("**/pages/home/index")
    # Until the API has app-config/ (support contacts), its 404 is the only failure allowed.
    assert [line for line in h5.problems() if "app-config" not in line] == []


def test_my_inquiries_says_what_is_coming_and_leads_to_products(h5, h5_catalogue):
    h5.open("pages/inquiries/index")
    h5.page.get_by_text("询价功能即将上线", exact=True).wait_for()
    h5.screenshot("inquiries")
    h5.page.get_by_text("先去逛逛商品", exact=True).click()
    h5.page.wait_for_url("**/pages/home/index")
    h5.assert_clean()


def test_on_a_weak_network_the_page_retries_and_shows_what_it_kept(h5, vanilla):
    page = h5.page
    answer = f"**/api/v1/products/{vanilla.pk}/"
    # No answer the first time: the error says so and offers a retry that works.
    page.route(answer, lambda route: route.abort())
    page.goto(h5.url(PRODUCT, id=vanilla.pk))
    page.get_by_text("网络不给力，请检查网络后重试").wait_for()
    h5.screenshot("product-offline")
    page.unroute(answer)
    page.get_by_text("重试", exact=True).click()
    page.get_by_text("汤加香草荚 A级", exact=True).wait_for()

    # Opened again without a network, the kept answer shows at once, with a quiet retry.
    page.route(answer, lambda route: route.abort())
    page.reload()
    page.get_by_text("汤加香草荚 A级", exact=True).wait_for()
    page.get_by_text("网络不给力，请检查网络后重试").wait_for()
    assert page.locator(".summary__price").inner_text() == "US$220–260"
    h5.screenshot("product-kept-offline")
    page.unroute(answer)
    page.locator(".product__stale").click()
    page.get_by_text("网络不给力，请检查网络后重试").wait_for(state="detached")
    # The only failures are the requests this test cut.
    assert [line for line in h5.problems() if "ERR_FAILED" not in line] == []
