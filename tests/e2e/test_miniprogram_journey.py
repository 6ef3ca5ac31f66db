"""One buyer's visit to the Mini Program, in the order issue 14 lists it, as the H5 build in
headless Chromium at 390x844 against the live API and the WeChat stand-in: home, a search for
香草 and for its pinyin, a country filter, a product with its photos, saving it, finding it in
收藏, and a shared code opening it. The screens' own tests (test_miniprogram_browse.py,
test_miniprogram_product.py) go into each step's details."""

import pytest

from buyers.models import Favourite
from tests.e2e.test_miniprogram_browse import (
    SEARCH_BOX,
    VANILLA,
    card_names,
    filter_button,
    filter_option,
    screen,
    shot,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_buyer_finds_saves_and_reopens_a_product(h5, h5_catalogue):
    vanilla = h5_catalogue.products["vanilla"]
    buyer = h5_catalogue.buyer
    assert not Favourite.objects.filter(buyer=buyer).exists()

    # Home, then a search in Chinese.
    h5.open()
    screen(h5).get_by_text("精选好物", exact=True).wait_for()
    screen(h5).get_by_text(SEARCH_BOX).click()
    search = screen(h5).locator(".search__input input")
    search.fill("香草")
    search.press("Enter")
    h5.page.wait_for_url("**/pages/results/index?q=*")
    assert set(card_names(h5)) == VANILLA
    shot(h5, "journey-1-chinese")

    # The same in pinyin, then only Tonga's.
    h5.page.go_back()
    search.fill("xiangcao")
    search.press("Enter")
    h5.page.wait_for_url("**/pages/results/index?q=xiangcao")
    assert set(card_names(h5)) == VANILLA
    filter_button(h5, "产地").click()
    filter_option(h5, "汤加").click()
    screen(h5).get_by_text("共 1 件商品", exact=True).wait_for()
    assert card_names(h5) == ["汤加香草荚 A级"]
    shot(h5, "journey-2-pinyin-tonga")

    # The product, whose photos load.
    screen(h5).get_by_text("汤加香草荚 A级", exact=True).click()
    h5.page.wait_for_url(f"**/pages/product/detail?id={vanilla.pk}")
    screen(h5).locator(".summary__price").wait_for()
    h5.page.wait_for_load_state("networkidle")
    photos = [url for _status, url in h5.media_answers if "-detail-" in url]
    assert photos and all(status == 200 for status, url in h5.media_answers if url in photos)
    shot(h5, "journey-3-product")

    # Saved (signing in silently), then found in 收藏.
    with h5.page.expect_response(lambda answer: answer.request.method == "PUT") as saved:
        screen(h5).get_by_role("button", name="收藏").click()
    assert saved.value.status == 204
    screen(h5).get_by_role("button", name="已收藏").wait_for()
    assert list(Favourite.objects.filter(buyer=buyer).values_list("product", flat=True)) == [vanilla.pk]
    h5.open()
    h5.tab("收藏")
    screen(h5).get_by_text("汤加香草荚 A级", exact=True).wait_for()
    assert card_names(h5) == ["汤加香草荚 A级"]
    shot(h5, "journey-4-favourites")

    # A Mini Program code's scene (p=<id>, URL-encoded as WeChat passes it) opens the product.
    h5.page.goto(h5.url("pages/product/detail", scene=f"p={vanilla.pk}"))
    screen(h5).locator(".summary__price").wait_for()
    assert screen(h5).get_by_text("汤加香草荚 A级", exact=True).is_visible()
    assert screen(h5).get_by_role("button", name="已收藏").is_visible()
    shot(h5, "journey-5-shared-code")
    h5.assert_clean()
