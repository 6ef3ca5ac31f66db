"""The "back in a minute" pages in a real browser (Debian's Chromium, Playwright).

The project is served by gunicorn with its database out of reach (a closed port), so the
signed-in exporter's portal and the Chinese staff's admin meet the outage while their
session is read. Screenshots: test-artifacts/503-portal.png and 503-admin-zh.png.
"""

import sys

import pytest

from tests.conftest import free_port
from tests.e2e.test_portal import ARTIFACTS, browser  # noqa: F401 - `browser` is a fixture
from tests.servers import Served, project_env

pytestmark = pytest.mark.e2e

# A session cookie: reading it is the first thing that needs the database.
SESSION = {"name": "sessionid", "value": "s" * 32}


@pytest.fixture
def site_without_database(tmp_path):
    env = project_env(tmp_path, DATABASE_URL=f"postgres://postgres@127.0.0.1:{free_port()}/gone", DJANGO_DEBUG="true")
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "pti_bridge.wsgi", "-b", f"127.0.0.1:{port}", "--no-control-socket"]
    with Served(command, env, tmp_path / "server.log") as server:
        server.wait_for(f"http://127.0.0.1:{port}/static/portal/portal.css")
        yield f"http://127.0.0.1:{port}"


def open_page(browser, base: str, path: str, *, locale: str, width: int, height: int):  # noqa: F811
    context = browser.new_context(locale=locale, viewport={"width": width, "height": height})
    context.add_cookies([{**SESSION, "url": base}])
    page = context.new_page()
    response = page.goto(base + path)
    return page, response


def test_the_portal_says_back_in_a_minute_in_english(browser, site_without_database):  # noqa: F811
    page, response = open_page(browser, site_without_database, "/portal/", locale="en-GB", width=390, height=844)

    assert (response.status, response.headers["retry-after"]) == (503, "60")
    assert page.locator("h1").inner_text() == "Back in a minute"
    # The portal's own look (its stylesheet loaded): the teal bar.
    assert page.locator("header.top").evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(0, 95, 115)"
    page.screenshot(path=str(ARTIFACTS / "503-portal.png"), full_page=True)

    page.get_by_role("link", name="Try again").click()
    assert page.locator("h1").inner_text() == "Back in a minute"


def test_the_admin_says_it_in_the_staffs_language(browser, site_without_database):  # noqa: F811
    page, response = open_page(browser, site_without_database, "/admin/", locale="zh-CN", width=1280, height=720)

    assert (response.status, response.headers["retry-after"]) == (503, "60")
    assert page.locator("h1").inner_text() == "请稍候片刻"
    assert page.locator("#site-name").inner_text() == "PTI Bridge 后台"
    assert page.get_by_role("link", name="重试").is_visible()
    page.screenshot(path=str(ARTIFACTS / "503-admin-zh.png"), full_page=True)
