"""The exporter portal in a real browser (Debian's Chromium, driven by Playwright).

One exporter registers, confirms the e-mail, signs in, lists a product with a photo and
submits it; staff verify the company, add the Chinese text and publish it with the
admin's bulk action; the exporter sees it published. Another run: staff reject a
product and the exporter reads the reason. Screenshots go to test-artifacts/.
"""

import re
import shutil
from pathlib import Path

import pytest
from django.core import mail

from catalogue.models import Product
from exporters.models import Exporter
from tests.conftest import authenticator_code, require_service
from tests.factories import CategoryFactory, CountryFactory, ExporterMemberFactory, ProductFactory, image_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "correct-horse-battery"


@pytest.fixture
def browser(monkeypatch, settings):
    require_service(
        "Chromium", Path(CHROMIUM).is_file() and shutil.which(CHROMIUM) is not None, "apt-get install -y chromium"
    )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the test's own ORM calls
    # are still plain synchronous code, so Django's async-safety guard does not apply.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


def new_page(browser, *, width=390, height=844, locale=None):
    """A phone-sized page (the exporters' usual screen)."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale=locale)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def staff_sign_in(browser, live_server, staff, *, locale=None):
    """The password, then a code from the staff member's authenticator (set up here if none);
    `locale` is the browser's language (zh-CN for staff in Beijing; the default is Chromium's)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=staff, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=staff, name="Authenticator", confirmed=True)
    page = new_page(browser, width=1280, height=900, locale=locale)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", staff.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r".*/admin/second-factor/.*"))
    page.fill("#id_code", authenticator_code(device))
    page.click("#second-factor-form input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return page


def exporter_sign_in(browser, live_server, user):
    """A phone-sized page signed in to the portal as `user` (of a verified company)."""
    page = new_page(browser)
    page.goto(f"{live_server.url}/portal/sign-in/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_selector("text=Verified by PTI")
    return page


def run_admin_action(page, changelist_url, object_pk, action):
    page.goto(changelist_url)
    page.check(f"input[name=_selected_action][value='{object_pk}']")
    page.select_option("select[name=action]", action)
    page.click("button[name=index]")


def test_exporter_registers_lists_a_product_and_sees_it_published(browser, live_server, settings, staff, tmp_path):
    settings.SITE_URL = live_server.url
    CountryFactory(code="FJ", name_en="Fiji", name_zh_hans="斐济")
    category = CategoryFactory(slug="spices", name_en="Spices", name_zh_hans="香料")
    page = new_page(browser)

    # Register.
    page.goto(f"{live_server.url}/")
    page.click("a:has-text('Register your company')")
    page.fill("#id_name", "Taveuni Vanilla Growers")
    page.select_option("#id_country", "FJ")
    page.select_option("#id_sector", "agriculture")
    page.fill("#id_address", "Somosomo, Taveuni")
    page.fill("#id_phone", "+679 888 1234")
    page.fill("#id_description_en", "Family-grown vanilla from Taveuni.")
    page.fill("#id_first_name", "Litia")
    page.fill("#id_last_name", "Vunibola")
    page.fill("#id_email", "litia@taveuni-vanilla.example")
    page.fill("#id_password1", "Vanilla-Taveuni-2026")
    page.fill("#id_password2", "Vanilla-Taveuni-2062")
    page.click("button:has-text('Register')")
    # A typo is forgiven: the error is next to the field and nothing else must be typed again.
    page.wait_for_selector("#id_password2_error >> text=The two passwords differ.")
    assert page.input_value("#id_name") == "Taveuni Vanilla Growers"
    assert page.input_value("#id_description_en") == "Family-grown vanilla from Taveuni."
    page.screenshot(path=str(ARTIFACTS / "portal-register-error.png"), full_page=True)
    assert not Exporter.objects.exists()
    page.fill("#id_password1", "Vanilla-Taveuni-2026")
    page.fill("#id_password2", "Vanilla-Taveuni-2026")
    page.click("button:has-text('Register')")
    page.wait_for_selector("text=Almost done: check your e-mail")

    # Confirm through the mailed link, then sign in.
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/portal/confirm/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    page.wait_for_selector("text=your e-mail address is confirmed")
    page.fill("#id_username", "litia@taveuni-vanilla.example")
    page.fill("#id_password", "Vanilla-Taveuni-2026")
    page.click("button:has-text('Sign in')")
    page.wait_for_selector("text=PTI staff are checking your company.")
    page.screenshot(path=str(ARTIFACTS / "portal-dashboard.png"), full_page=True)

    # Write a product.
    page.click("text=Add a product")
    page.wait_for_selector("h1:has-text('New product')")
    page.fill("#id_name_en", "Taveuni bourbon vanilla beans")
    page.fill("#id_summary_en", "Grade A gourmet beans, 16-18 cm, cured for six months.")
    page.select_option("#id_category", str(category.pk))
    page.fill("#id_hs_code", "0905.10")
    page.fill("#id_moq_quantity", "10")
    page.select_option("#id_moq_unit", "kg")
    page.fill("#id_packaging", "1 kg vacuum bags")
    page.fill("#id_shelf_life", "24 months")
    page.fill("#id_price_min", "220")
    page.fill("#id_price_max", "260")
    page.select_option("#id_price_currency", "USD")
    page.select_option("#id_price_unit", "kg")
    page.select_option("#id_incoterm", "FOB")
    page.screenshot(path=str(ARTIFACTS / "portal-product-form.png"), full_page=True)
    page.click("button:has-text('Save draft')")

    # Add a photo, then submit.
    page.wait_for_selector("h1:has-text('Photos')")
    photo = tmp_path / "beans.jpg"
    photo.write_bytes(image_bytes(size=(1200, 900)))
    page.set_input_files("#id_original", str(photo))
    page.fill("#id_alt_text", "Cured vanilla beans in a bundle")
    page.click("button:has-text('Upload')")
    page.wait_for_selector("text=The photo is added.")
    page.screenshot(path=str(ARTIFACTS / "portal-product-photos.png"), full_page=True)
    page.click("text=Done: see the listing")
    page.click("button:has-text('Submit for review')")
    page.wait_for_selector("text=Submitted. PTI will review the listing")
    product = Product.objects.get()
    assert (product.status, product.images.count()) == ("submitted", 1)

    # Staff verify the company, write the Chinese text and publish with the bulk action.
    exporter = Exporter.objects.get()
    admin = staff_sign_in(browser, live_server, staff)
    run_admin_action(admin, f"{live_server.url}/admin/exporters/exporter/", exporter.pk, "verify_selected")
    admin.wait_for_selector(".messagelist")
    admin.goto(f"{live_server.url}/admin/catalogue/product/{product.pk}/change/")
    admin.fill("#id_name_zh_hans", "塔韦乌尼波旁香草荚")
    admin.fill("#id_summary_zh_hans", "A级美食级香草荚，长16-18厘米，熟化六个月。")
    admin.click("input[name=_continue]")
    admin.wait_for_selector(".messagelist")
    run_admin_action(admin, f"{live_server.url}/admin/catalogue/product/", product.pk, "publish_selected")
    admin.wait_for_selector(".messagelist")
    product.refresh_from_db()
    assert product.status == "published", admin.inner_text(".messagelist")

    # The exporter sees it published.
    page.goto(f"{live_server.url}/portal/products/")
    badge = page.locator(".products .badge").first
    assert badge.inner_text() == "Published"
    page.goto(f"{live_server.url}/portal/")
    assert "Verified by PTI" in page.inner_text("main")


def test_rejected_product_shows_the_reason(browser, live_server, staff):
    fiji = CountryFactory(code="FJ", name_en="Fiji", name_zh_hans="斐济")
    exporter_user = ExporterMemberFactory(
        exporter__name="Lau Islands Coconut", exporter__country=fiji, user__email="ana@lau.example"
    ).user
    product = ProductFactory(
        exporter=exporter_user.exporter_membership.exporter, name_en="Virgin coconut oil", submitted=True
    )

    admin = staff_sign_in(browser, live_server, staff)
    run_admin_action(admin, f"{live_server.url}/admin/catalogue/product/", product.pk, "reject_selected")
    admin.fill("textarea[name=reason]", "Please add a photo of the label and the shelf life.")
    admin.locator("#content form [type=submit]").first.click()
    admin.wait_for_selector(".messagelist")
    product.refresh_from_db()
    assert product.status == "rejected"

    page = new_page(browser)
    page.goto(f"{live_server.url}/portal/sign-in/")
    page.fill("#id_username", "ana@lau.example")
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_selector("h1:has-text('Lau Islands Coconut')")
    page.goto(f"{live_server.url}/portal/products/")
    assert "Please add a photo of the label and the shelf life." in page.inner_text(".products")
    page.click("text=Virgin coconut oil")
    assert "PTI sent this back: Please add a photo of the label and the shelf life." in page.inner_text("[role=alert]")
    page.screenshot(path=str(ARTIFACTS / "portal-rejected-product.png"), full_page=True)


def test_page_weight_in_the_browser(browser, live_server, alice):
    """Bytes the browser receives (headers and bodies, nothing cached) for two key pages."""
    page = exporter_sign_in(browser, live_server, alice)
    cookies = page.context.cookies()

    def weigh(path):
        fresh = new_page(browser)
        fresh.context.add_cookies(cookies)
        finished = []
        fresh.on("requestfinished", lambda request: finished.append(request))
        fresh.goto(f"{live_server.url}{path}")
        fresh.wait_for_load_state("networkidle")
        names = sorted(request.url.rstrip("/").rsplit("/", 1)[-1] for request in finished)
        total = 0
        for request in finished:
            sizes = request.sizes()
            total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        return names, total

    dashboard_files, dashboard = weigh("/portal/")
    form_files, product_form = weigh("/portal/products/new/")

    print(f"\npage weight: dashboard {dashboard} bytes, product form {product_form} bytes (all requests, uncompressed)")
    assert dashboard_files == ["portal", "portal.css"]
    assert form_files == ["new", "portal.css"]
    assert dashboard < 12_000
    assert product_form < 20_000
