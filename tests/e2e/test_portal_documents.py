"""Verification documents in a real browser: the owner uploads on a phone (390x844) over a
slow connection, staff refuse and accept from the exporter's admin page in Chinese at
1280 px, the owner reads the refusal and uploads a new copy, staff verify with the button.
Screenshots go to test-artifacts/."""

import pytest
from django.urls import reverse

from exporters.models import Exporter, ExporterDocument
from pti_bridge.models import Notification
from tests.e2e.test_portal import ARTIFACTS, PASSWORD, browser, new_page, staff_sign_in  # noqa: F401 - fixture
from tests.exporters import pdfs
from tests.exporters.paperwork import accept_required_documents
from tests.factories import ExporterMemberFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# A slow mobile connection (Chrome's "Slow 3G"-like figures): 400 ms round trips, ~50 KB/s.
SLOW = {"offline": False, "latency": 400, "downloadThroughput": 50 * 1024, "uploadThroughput": 50 * 1024}


def fits_the_width(page) -> bool:
    """No sideways scrolling: nothing is wider than the window."""
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def fits(page, selector) -> bool:
    """`selector`'s box and everything in it end inside the window."""
    return page.evaluate(
        "s => [document.querySelector(s), ...document.querySelectorAll(s + ' *')]"
        ".every(e => e.getBoundingClientRect().right <= document.documentElement.clientWidth)",
        selector,
    )


def test_documents_from_upload_to_verification(browser, live_server, settings, staff, pending_exporter, tmp_path):  # noqa: F811
    settings.SITE_URL = live_server.url
    owner = ExporterMemberFactory(exporter=pending_exporter, user__email="mere@bula.example").user
    licence = tmp_path / "business-licence.pdf"
    licence.write_bytes(pdfs.make_pdf())
    huge = tmp_path / "scan-600dpi.pdf"
    huge.write_bytes(b"%PDF-1.7\n" + b"0" * (11 * 1024 * 1024))

    # The owner signs in on a phone over a slow connection: the dashboard says what is needed.
    phone = new_page(browser)
    phone.context.new_cdp_session(phone).send("Network.emulateNetworkConditions", SLOW)
    phone.set_default_timeout(60_000)
    phone.goto(f"{live_server.url}/portal/sign-in/")
    phone.fill("#id_username", owner.email)
    phone.fill("#id_password", PASSWORD)
    phone.click("button:has-text('Sign in')")
    phone.wait_for_selector("text=Waiting for verification")
    assert "3 documents still needed" in phone.inner_text("main")
    assert "Business licence: not uploaded yet" in phone.inner_text(".msg")
    phone.screenshot(path=str(ARTIFACTS / "portal-documents-dashboard.png"), full_page=True)
    assert fits_the_width(phone)

    phone.click("nav a:has-text('Documents')")
    phone.wait_for_selector("h1:has-text('Documents')")
    phone.wait_for_load_state("load")  # the deferred size check, on a slow line
    assert fits_the_width(phone)
    phone.screenshot(path=str(ARTIFACTS / "portal-documents-empty.png"), full_page=True)

    # An 11 MB scan is named at once, before minutes of uploading: nothing is sent.
    posts = []
    phone.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    phone.select_option("#id_kind", "business_licence")
    phone.set_input_files("#id_file", str(huge))
    error = phone.locator("#id_file_client_error")
    assert error.inner_text() == (
        "This file is 11.0 MB; documents may be at most 10 MB. Scan it at a lower resolution or save it as a smaller PDF."
    )
    phone.click("#upload button:has-text('Upload')")
    assert posts == [] and not ExporterDocument.objects.exists()
    phone.locator("#upload").screenshot(path=str(ARTIFACTS / "portal-documents-too-large.png"))

    # A real PDF goes up; the button says it is working meanwhile.
    phone.set_input_files("#id_file", str(licence))
    assert error.is_hidden()
    phone.fill("#id_title", "BR 2026/114")
    phone.click("#upload button:has-text('Upload')")
    phone.wait_for_selector("text=is uploaded. PTI will review it")
    document = ExporterDocument.objects.get()
    assert (document.kind, document.status, document.uploaded_by) == ("business_licence", "waiting", owner)
    assert "Waiting for review" in phone.inner_text("#needed-business_licence")
    phone.screenshot(path=str(ARTIFACTS / "portal-documents-uploaded.png"), full_page=True)
    assert fits_the_width(phone)

    # Staff, in Chinese at 1280 px, refuse it from the exporter's page with a reason.
    admin = staff_sign_in(browser, live_server, staff, locale="zh-CN")
    change = f"{live_server.url}{reverse('admin:exporters_exporter_change', args=[pending_exporter.pk])}"
    admin.goto(change)
    admin.wait_for_selector("#documents-group")
    # The documents and their review fit the laptop's width (the bilingual boxes above are issue 16's admin walk).
    for part in ("#documents-group", ".pti-checklist"):
        assert fits(admin, part), part
    checklist = admin.inner_text(".pti-checklist")
    assert "营业执照" in checklist and "待审核" in checklist and "未上传" in checklist
    admin.locator("#documents-group").screenshot(path=str(ARTIFACTS / "admin-exporter-documents-waiting.png"))
    admin.click("#documents-group a:has-text('退回…')")
    admin.fill("#id_reason", "营业执照看不清")  # the exporter reads English: refused, and what was typed stays
    admin.click("input[type=submit][value='退回']")
    admin.wait_for_selector(".errorlist")
    assert "请用英文填写原因" in admin.inner_text(".errorlist") and admin.input_value("#id_reason") == "营业执照看不清"
    admin.screenshot(path=str(ARTIFACTS / "admin-exporter-document-refuse.png"), full_page=True)
    admin.fill("#id_reason", "The scan is cut off at the bottom: the licence number cannot be read.")
    admin.click("input[type=submit]")
    admin.wait_for_selector(".messagelist .success")
    document.refresh_from_db()
    assert document.status == "refused"
    assert Notification.objects.filter(kind="exporter_document_refused", recipient=owner.email).count() == 1
    admin.screenshot(path=str(ARTIFACTS / "admin-exporter-document-refused.png"), full_page=True)

    # The owner reads why, and uploads a new copy: it waits again.
    phone.goto(f"{live_server.url}/portal/company/documents/")
    needed = phone.locator("#needed-business_licence")
    assert "the licence number cannot be read" in needed.inner_text()
    phone.screenshot(path=str(ARTIFACTS / "portal-documents-refused.png"), full_page=True)
    needed.locator("a:has-text('Upload a new copy')").click()
    assert phone.locator("#id_kind").input_value() == "business_licence"
    phone.set_input_files("#id_file", str(licence))
    phone.click("#upload button:has-text('Upload')")
    phone.wait_for_selector("text=is uploaded. PTI will review it")
    assert "Waiting for review" in phone.inner_text("#needed-business_licence")
    new_copy = ExporterDocument.objects.get(status="waiting")

    # Staff accept the new copy after a look at it.
    admin.goto(change)
    admin.click(f"#documents-group a[href$='/documents/{new_copy.pk}/accept/']")
    admin.wait_for_selector("text=请先打开文件")
    admin.screenshot(path=str(ARTIFACTS / "admin-exporter-document-accept.png"), full_page=True)
    admin.click("input[type=submit][value='接受']")
    admin.wait_for_selector(".messagelist .success")
    new_copy.refresh_from_db()
    assert new_copy.status == "accepted"

    # The verify button says, in Chinese, what is still missing, and verifies nothing.
    admin.click(".object-tools a:has-text('核实…')")
    admin.wait_for_selector(".pti-confirm-intro")
    assert admin.inner_text(".pti-confirm-intro").startswith(
        "暂不能核实：出口许可证未上传；中国海关（GACC）注册未上传。"
    )
    admin.click("input[type=submit][value='核实']")
    admin.wait_for_selector(".errorlist")
    assert fits(admin, "#content")
    admin.screenshot(path=str(ARTIFACTS / "admin-exporter-verify-missing.png"), full_page=True)
    assert Exporter.objects.get().verification_status == "pending"

    # Once the other two are accepted (set up here), the button verifies.
    accept_required_documents(pending_exporter, staff)
    admin.goto(f"{live_server.url}{reverse('admin:exporters_exporter_verify', args=[pending_exporter.pk])}")
    assert "所有必需文件均已接受" in admin.inner_text(".pti-confirm-intro")
    admin.click("input[type=submit][value='核实']")
    admin.wait_for_selector(".messagelist .success")
    assert Exporter.objects.get().verification_status == "verified"
    admin.screenshot(path=str(ARTIFACTS / "admin-exporter-verified.png"), full_page=True)

    phone.goto(f"{live_server.url}/portal/")
    assert "Verified by PTI" in phone.inner_text("main") and "still needed" not in phone.inner_text("main")
