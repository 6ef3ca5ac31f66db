"""Staff keep the glossary of trade terms in the Chinese admin, in a real browser at a laptop's
width: the seeded terms are listed and found by a synonym, a new term is added with its pinyin
filled in, and a duplicate is refused with a message. Screenshots go to test-artifacts/."""

import pytest

from glossary.models import Term
from glossary.seed import load_glossary
from tests.e2e.test_portal import ARTIFACTS, browser, staff_sign_in  # noqa: F401 - `browser` is a fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_find_a_term_by_its_synonym_and_add_one(browser, live_server, staff):  # noqa: F811
    load_glossary()
    page = staff_sign_in(browser, live_server, staff, locale="zh-CN")

    page.goto(f"{live_server.url}/admin/glossary/term/?q=卡法胡椒")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    assert "卡瓦" in rows.first.inner_text() and "kava" in rows.first.inner_text()
    page.screenshot(path=str(ARTIFACTS / "admin-glossary-search.png"), full_page=True)
    headers = [header.split("\n")[-1].strip() for header in page.locator("#result_list thead th").all_inner_texts()]
    assert headers[1:4] == ["术语（中文）", "术语（英文）", "拼音"], headers

    page.goto(f"{live_server.url}/admin/glossary/term/add/")
    page.fill("#id_term_zh_hans", "面包果")
    page.fill("#id_term_en", "breadfruit")
    page.fill("#id_synonyms_zh_hans", "面包树果、 面包果")
    page.fill("#id_hs_heading", "0810")
    page.click("input[name=_save]")
    page.locator(".messagelist .success").wait_for()
    term = Term.objects.get(term_en="breadfruit")
    assert (term.pinyin, term.synonyms_zh_hans) == ("mianbaoguo", "面包树果")

    # The same pair again: refused in Chinese, nothing added.
    count = Term.objects.count()
    page.goto(f"{live_server.url}/admin/glossary/term/add/")
    page.fill("#id_term_zh_hans", "面包果")
    page.fill("#id_term_en", "Breadfruit")
    page.click("input[name=_save]")
    page.locator(".errornote").wait_for()
    assert page.locator(".errorlist").get_by_text("术语表中已有这组英文和中文术语。").is_visible()
    assert Term.objects.count() == count
    page.screenshot(path=str(ARTIFACTS / "admin-glossary-duplicate.png"), full_page=True)
