"""The Content-Security-Policy in a real browser (Debian's Chromium, Playwright).

A superuser walks every admin changelist and add page, the change forms with date pickers,
autocomplete and inline forms, the front page's charts, an admin action, the exporter portal
and /api/docs/ with the policy enforced; every `securitypolicyviolation` event and every
CSP message on the console is collected, and the test fails on any. Screenshots of the
charts and of a change form with its calendar open go to test-artifacts/.
"""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from exporters.models import Exporter
from pti_bridge.models import Notification
from tests import factories
from tests.e2e.test_admin_reports import demo_like_year
from tests.e2e.test_portal import ARTIFACTS, PASSWORD, browser, new_page, staff_sign_in  # noqa: F401 - fixture
from tests.exporters.paperwork import accept_required_documents

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Runs before any page script (Playwright's init scripts are not subject to the page's CSP).
WATCH_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__csp.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} `
    + `at ${event.sourceFile || location.pathname}:${event.lineNumber} (${(event.sample || "").slice(0, 60)})`);
});
"""


class ViolationLog:
    """Every CSP violation a page reported, by page address."""

    def __init__(self, page):
        self.page, self.found = page, []
        page.context.add_init_script(WATCH_VIOLATIONS)
        page.on("console", self._console)

    def _console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.found.append(f"{self.page.url}: console: {message.text}")

    def collect(self):
        """Read the current page's events (call before leaving it)."""
        for event in self.page.evaluate("window.__csp || []"):
            self.found.append(f"{self.page.url}: {event}")
        self.page.evaluate("window.__csp = []")

    def visit(self, url, *, ready="body"):
        response = self.page.goto(url)
        assert response.status < 400, f"{url} answered {response.status}"
        assert "Content-Security-Policy" in response.headers or "content-security-policy" in response.headers
        self.page.wait_for_selector(ready)
        self.page.wait_for_load_state("networkidle")
        self.collect()


@pytest.fixture
def superuser():
    return factories.StaffFactory(email="root@pti.example", is_superuser=True)


@pytest.fixture
def back_office(verified_exporter, alice, pending_exporter):
    """A year of inquiries for the charts, a company with a document, a failed notification,
    a category tree: something on every admin page."""
    demo_like_year(timezone.now())
    factories.ExporterDocumentFactory(exporter=verified_exporter)
    parent = factories.CategoryFactory(slug="produce", name_en="Produce")
    factories.CategoryFactory(slug="root-crops", name_en="Root crops", parent=parent)
    product = factories.ProductFactory(exporter=verified_exporter, category=parent, published=True)
    inquiry = factories.InquiryFactory(product=product, status="forwarded", forwarded_at=timezone.now())
    factories.MessageFactory(inquiry=inquiry, text="请问有现货吗？", translation="In stock?")
    Notification.objects.create(
        channel="email", kind="inquiry_forwarded", recipient="alice@vanua.example", status="failed", last_error="SMTP"
    )
    return {"product": product, "inquiry": inquiry}


def _screenshot_around(page, selectors: list[str], name: str) -> None:
    """A screenshot of the page's area holding all `selectors` (a popup sticks out of its form)."""
    page.evaluate("window.scrollTo(0, 0)")
    boxes = [page.locator(selector).bounding_box() for selector in selectors]
    left, top = min(b["x"] for b in boxes), min(b["y"] for b in boxes)
    right, bottom = max(b["x"] + b["width"] for b in boxes), max(b["y"] + b["height"] for b in boxes)
    clip = {"x": max(0, left - 10), "y": max(0, top - 10), "width": right - left + 20, "height": bottom - top + 20}
    page.screenshot(path=str(ARTIFACTS / name), full_page=True, clip=clip)


def _admin_pages(live_server, user) -> list[str]:
    """Every changelist, and every add page the admin offers (some models are added elsewhere)."""
    request = RequestFactory().get("/admin/")
    request.user = user
    pages = []
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        pages.append(live_server.url + reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        if model_admin.has_add_permission(request):
            pages.append(live_server.url + reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    return pages


def test_the_admin_runs_under_the_policy(browser, live_server, superuser, back_office, pending_exporter):  # noqa: F811
    page = staff_sign_in(browser, live_server, superuser)
    log = ViolationLog(page)

    # The front page's charts are drawn.
    log.visit(f"{live_server.url}/admin/", ready="svg.pti-chart")
    assert page.locator("svg.pti-chart").count() == 3
    assert page.locator("svg.pti-chart rect").count() > 30
    assert page.locator(".pti-legend .pti-swatch").count() > 3
    box = page.locator("#pti-figure-country svg.pti-chart").bounding_box()
    assert box["width"] > 600 and 150 < box["height"] < 320
    page.locator("#pti-reports").screenshot(path=str(ARTIFACTS / "csp-admin-charts.png"))

    for url in _admin_pages(live_server, superuser):
        log.visit(url)

    # Change forms: the product, the inquiry thread, the category tree list.
    product, inquiry = back_office["product"], back_office["inquiry"]
    log.visit(f"{live_server.url}{reverse('admin:catalogue_product_change', args=[product.pk])}")
    log.visit(f"{live_server.url}{reverse('admin:inquiries_inquiry_change', args=[inquiry.pk])}", ready=".sides")
    log.visit(f"{live_server.url}{reverse('admin:inquiries_inquiry_changelist')}", ready="#result_list")

    # An exporter: autocomplete (select2), an inline row added by inlines.js, its date picker.
    exporter = pending_exporter
    page.set_viewport_size({"width": 1600, "height": 1000})  # the documents inline is wide
    log.visit(f"{live_server.url}{reverse('admin:exporters_exporter_change', args=[exporter.pk])}")
    page.click("#exporter_form .field-country .select2-selection")
    page.fill(".select2-search__field", "Ton")
    page.click(".select2-results__option:has-text('Tonga')")
    assert page.locator("#id_country").input_value() == "TO"
    page.screenshot(path=str(ARTIFACTS / "csp-admin-change-form.png"))
    page.click("#documents-group .add-row a")
    page.wait_for_selector("#documents-0 .datetimeshortcuts")
    page.click("#documents-0 .datetimeshortcuts a:has(.date-icon)")
    calendar = page.locator(".calendarbox:visible")
    assert calendar.count() == 1
    _screenshot_around(page, ["#documents-group", ".calendarbox:visible"], "csp-admin-change-form-calendar.png")
    calendar.locator(".calendar-shortcuts a", has_text="Today").click()
    # calendar.js counts "today" on the server's clock (Beijing), as the admin's own inputs do.
    assert page.locator("#id_documents-0-expires_on").input_value() == timezone.localdate().isoformat()
    log.collect()

    # An admin action through actions.js: the counter follows the ticks, the action runs
    # (verification asks for the company's documents accepted).
    accept_required_documents(exporter)
    changelist = f"{live_server.url}{reverse('admin:exporters_exporter_changelist')}"
    log.visit(changelist, ready="#result_list")
    page.check(f"input[name=_selected_action][value='{exporter.pk}']")
    assert "1 of" in page.locator(".action-counter").inner_text()
    page.select_option("select[name=action]", "verify_selected")
    page.click("button[name=index]")
    page.wait_for_selector(".messagelist .success")
    log.collect()
    exporter.refresh_from_db()
    assert exporter.verification_status == Exporter.VerificationStatus.VERIFIED

    assert log.found == []


def test_the_portal_and_the_api_docs_run_under_the_policy(browser, live_server, alice, back_office):  # noqa: F811
    page = new_page(browser, width=1280, height=900)
    log = ViolationLog(page)
    for name in ("portal:register", "portal:password_reset", "portal:resend_confirmation", "portal:login"):
        log.visit(live_server.url + reverse(name))

    page.fill("#id_username", alice.email)
    page.fill("#id_password", PASSWORD)
    page.click("main form button.btn")
    page.wait_for_url(f"{live_server.url}/portal/")
    log.collect()
    product, inquiry = back_office["product"], back_office["inquiry"]
    for url in (
        reverse("portal:dashboard"),
        reverse("portal:product_list"),
        reverse("portal:product_create"),
        reverse("portal:product_detail", args=[product.pk]),
        reverse("portal:product_edit", args=[product.pk]),
        reverse("portal:product_photos", args=[product.pk]),
        reverse("portal:inbox"),
        reverse("portal:inquiry_thread", args=[inquiry.pk]),
        reverse("portal:profile"),
        reverse("portal:members"),
        reverse("portal:password_change"),
    ):
        log.visit(live_server.url + url)

    # Swagger UI (drf-spectacular-sidecar): its start-up script comes from a file, and it draws.
    log.visit(f"{live_server.url}/api/docs/", ready=".swagger-ui .opblock")
    assert "PTI Bridge Mini Program API" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".swagger-ui .opblock").count() > 10
    log.collect()

    assert log.found == []
