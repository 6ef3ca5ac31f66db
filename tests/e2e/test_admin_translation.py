"""Staff review a live listing whose English the exporter changed, in the Chinese admin at a
laptop's width (1280 px): the front page lists it among the translations out of date, the
review page shows each Chinese box beside its English with the glossary terms, the
remembered translations and the machine's suggestion (its stand-in on loopback), a "use"
button fills the box, and saving clears the marks. Screenshots go to test-artifacts/."""

import pytest

from catalogue import services
from catalogue.models import Product
from glossary.services import term_create
from tests.e2e.test_portal import ARTIFACTS, browser, staff_sign_in  # noqa: F401 - `browser` is a fixture
from tests.factories import ProductFactory, ProductImageFactory
from tests.machine_translation import machine_translation  # noqa: F401 - fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BOX_OVERLAP = """([a, b]) => {
  const r = document.querySelector(a).getBoundingClientRect(), s = document.querySelector(b).getBoundingClientRect();
  return r.right > s.left && s.right > r.left && r.bottom > s.top && s.bottom > r.top;
}"""


def test_staff_review_the_changed_english_with_the_aids(
    browser,  # noqa: F811
    live_server,
    staff,
    alice,
    verified_exporter,
    machine_translation,  # noqa: F811
):
    term_create(term_en="kava", term_zh_hans="卡瓦")
    ProductFactory(  # reviewed earlier: its texts are the memory
        exporter=verified_exporter,
        published=True,
        reviewed_at="2026-11-01T00:00:00Z",
        packaging="500 g foil pouch, 24 per carton",
        packaging_zh_hans="500克铝箔袋，每箱24袋",
    )
    product = ProductFactory(
        exporter=verified_exporter,
        published=True,
        name_en="Kava root powder",
        name_zh_hans="卡瓦根粉",
        packaging="500 g foil pouch, 20 per carton",
        packaging_zh_hans="500克铝箔袋，每箱20袋",
        shelf_life="24 months",
        shelf_life_zh_hans="24个月",
    )
    photo = ProductImageFactory(product=product, alt_text="Kava powder in a bowl", alt_text_zh_hans="碗中的卡瓦粉")
    services.product_image_update(image=photo, actor=alice, alt_text="Fine kava powder in a wooden bowl", position=1)
    services.product_update(
        product=product,
        data={"packaging": "500 g foil pouch, 24 per carton", "lead_time": "3 weeks"},
        actor=alice,
    )
    services.product_apply_pending_changes(product=product, actor=staff)

    page = staff_sign_in(browser, live_server, staff, locale="zh-CN")
    stale = page.locator("#pti-stale-translations")
    assert "待更新的译文" in stale.inner_text() and "卡瓦根粉" in stale.inner_text()
    assert "包装（中文）" in stale.inner_text() and "第1张照片的中文描述" in stale.inner_text()
    stale.screenshot(path=str(ARTIFACTS / "admin-stale-translations-dashboard.png"))

    stale.get_by_role("link", name="卡瓦根粉").click()
    page.wait_for_url(f"**/admin/catalogue/product/{product.pk}/change/")
    assert "出口商修改了这件在架商品的英文。" in page.locator("#pti-stale").inner_text()
    packaging = page.locator(".fieldBox.field-packaging_zh_hans")
    assert "原译自：“500 g foil pouch, 20 per carton”" in page.locator("#id_packaging_zh_hans_helptext").inner_text()
    aids = packaging.locator(".pti-aids")
    # Translated before: exactly, by another listing; nearly, by this one before the change.
    assert "翻译记忆" in aids.inner_text() and "相似度 100%" in aids.inner_text()
    assert "500克铝箔袋，每箱24袋" in aids.inner_text()
    assert "本条原译文" in aids.inner_text() and "500克铝箔袋，每箱20袋" in aids.inner_text()
    assert "机器翻译建议（请核对）" in aids.inner_text()
    assert "[MT zh-hans] 500 g foil pouch, 24 per carton" in aids.inner_text()
    name_aids = page.locator(".fieldBox.field-name_zh_hans .pti-aids")
    assert "术语表" in name_aids.inner_text() and "卡瓦" in name_aids.inner_text()
    photo_aids = page.locator("#images-0 .pti-aids")
    assert "卡瓦" in photo_aids.inner_text()

    # At 1280 px: English and Chinese side by side, nothing overlapping, no sideways scrolling.
    page.screenshot(path=str(ARTIFACTS / "admin-review-chinese-aids.png"), full_page=True)
    page.locator(".pti-bilingual").screenshot(path=str(ARTIFACTS / "admin-review-bilingual-aids.png"))
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert not page.evaluate(BOX_OVERLAP, ["#id_packaging", "#id_packaging_zh_hans"])
    assert not page.evaluate(BOX_OVERLAP, ["#id_description_en", "#id_description_zh_hans"])

    # "Use" fills the box with the remembered Chinese; staff correct it and save.
    aids.locator(".pti-aids-memory li", has_text="每箱24袋").get_by_role("button", name="采用").click()
    assert page.input_value("#id_packaging_zh_hans") == "500克铝箔袋，每箱24袋"
    page.fill("#id_lead_time_zh_hans", "3周")
    page.click("input[name=_continue]")
    page.locator(".messagelist .success").first.wait_for()
    product.refresh_from_db()
    assert (product.packaging_zh_hans, product.lead_time_zh_hans) == ("500克铝箔袋，每箱24袋", "3周")
    assert [mark["field"] for mark in product.stale_translations] == [services.photo_key(photo.pk)]

    # The photo's Chinese is still right: staff confirm it.
    page.click("input[name=_translations_reviewed]")
    page.locator(".messagelist .success").first.wait_for()
    assert Product.objects.get(pk=product.pk).stale_translations == []
    page.goto(f"{live_server.url}/admin/")
    assert "所有中文均与英文一致。" in page.locator("#pti-stale-translations").inner_text()
