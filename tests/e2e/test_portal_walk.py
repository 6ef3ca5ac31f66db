"""Every exporter portal page on a phone, with axe-core (issue 16, hole 7).

An exporter whose phone is set to Chinese walks the portal: first signed out (sign-in,
registration, password reset), then signed in, every page the portal's links lead to (one
per address pattern) with data on each. Each page fails on axe-core's critical or serious
violations, sideways scrolling, overlapping form boxes, and Chinese text not marked
lang="zh-Hans" (the pages are English; a buyer's company in Chinese is read as Chinese).
Screenshots go to test-artifacts/portal-walk/.
"""

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import Resolver404, resolve
from django.utils import timezone

from tests import factories
from tests.e2e.page_checks import axe_violations, overlapping_boxes, sideways_scroll, unmarked_chinese
from tests.e2e.test_portal import ARTIFACTS, PASSWORD, new_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = ARTIFACTS / "portal-walk"
# Addresses not followed: signing out ends the walk.
NOT_WALKED = {"logout"}


def an_exporter_with_a_bit_of_everything():
    fiji = factories.CountryFactory(code="FJ", name_en="Fiji", name_zh_hans="斐济")
    spices = factories.CategoryFactory(slug="spices", name_en="Spices", name_zh_hans="香料")
    exporter = factories.ExporterFactory(
        name="Vanua Vanilla Co", name_zh_hans="瓦努阿香草公司", country=fiji, verified=True
    )
    alice = factories.ExporterMemberFactory(exporter=exporter, user__email="alice@vanua.example").user
    factories.ExporterMemberFactory(exporter=exporter, role="colleague", user__email="tevita@vanua.example")
    product = factories.ProductFactory(
        exporter=exporter,
        category=spices,
        name_en="Tahitian vanilla beans",
        name_zh_hans="大溪地香草荚",
        published=True,
    )
    factories.ProductImageFactory(product=product)
    factories.ProductFactory(exporter=exporter, category=spices, name_en="Black pepper", untranslated=True)
    factories.ProductFactory(
        exporter=exporter,
        category=spices,
        name_en="Ginger",
        status="rejected",
        rejection_reason="The photo is blurred.",
    )
    buyer = factories.BuyerFactory(display_name="王经理", company="上海进口贸易有限公司")
    inquiry = factories.InquiryFactory(
        buyer=buyer,
        product=product,
        status="forwarded",
        forwarded_at=timezone.now(),
        destination="上海洋山港",
        share_contact=True,
    )
    factories.MessageFactory(inquiry=inquiry, translation="What is the CIF price per kilogram?")
    return alice


def portal_route(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.url_name if "portal" in match.namespaces else None


def walk(page, origin: str, start: str, visited: dict, problems: dict, *, stop_at=()) -> None:
    """Visit `start` and every portal page its links lead to, once per address pattern."""
    queue = deque([start])
    while queue:
        path = queue.popleft()
        name = portal_route(urlsplit(path).path)
        if name is None or name in visited or name in stop_at:
            continue
        answer = page.request.get(origin + path, max_redirects=0)
        if answer.status == 405:  # a button's target, not a page
            visited[name] = path
            continue
        visited[name] = path
        page.goto(origin + path)
        found = []
        if (wider := sideways_scroll(page)) > 0:
            found.append(f"scrolls sideways: the page is {wider} px wider than the phone")
        found += [f"overlap: {text}" for text in overlapping_boxes(page)]
        found += [f"Chinese not marked lang=zh-Hans: {text}" for text in unmarked_chinese(page)]
        found += [
            f"axe {v['impact']} {v['rule']}: {v['help']} at {v['target']}: {v['html']}" for v in axe_violations(page)
        ]
        shot = re.sub(r"[^a-z0-9]+", "-", urlsplit(page.url).path.casefold()).strip("-")
        page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)
        if found:
            problems[path] = found
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
            target = urlsplit(urljoin(page.url, href))
            if target.netloc == urlsplit(origin).netloc and target.path.startswith("/portal/"):
                queue.append(target.path)


def test_every_portal_page_passes_axe_on_a_phone(browser, live_server):
    alice = an_exporter_with_a_bit_of_everything()
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("*.png"):
        old.unlink()
    origin = live_server.url
    visited: dict[str, str] = {}
    problems: dict[str, list[str]] = {}

    # Signed out: the sign-in page and what it links to (not the signed-in pages it would redirect to).
    page = new_page(browser, locale="zh-CN")
    walk(page, origin, "/portal/sign-in/", visited, problems)
    signed_out = set(visited)

    page.goto(f"{origin}/portal/sign-in/")
    page.fill("#id_username", alice.email)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"{origin}/portal/")
    for name in signed_out - {"login"}:
        visited.pop(name)
    walk(page, origin, "/portal/", visited, problems, stop_at=NOT_WALKED)

    report = [f"{path}\n  " + "\n  ".join(found) for path, found in problems.items()]
    (SHOTS / "report.txt").write_text("\n".join(report) or "no problems\n", encoding="utf-8")
    for must in ("dashboard", "product_list", "product_detail", "product_edit", "inbox", "inquiry_thread", "members"):
        assert must in visited, f"the walk did not reach portal:{must}"
    # The page is English for an exporter whose phone is in Chinese: the countries too.
    page.goto(f"{origin}/portal/company/")
    assert page.locator("#id_country option:checked").inner_text() == "Fiji"
    assert problems == {}, "\n".join(report)
