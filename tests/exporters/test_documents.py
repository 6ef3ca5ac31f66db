"""Verification documents: the company uploads them in the portal, staff accept or refuse each
one (a refusal says why, in English, by e-mail through the outbox), and verification asks for
the required ones accepted and current. Denied actions change nothing."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from exporters import services
from exporters.models import Exporter, ExporterDocument
from pti_bridge import outbox
from pti_bridge.audit import audit_trail
from pti_bridge.errors import InvalidTransition, RuleViolation
from pti_bridge.models import AuditEntry, Notification
from tests import factories, smtp_server
from tests.conftest import sign_in_staff
from tests.exporters import pdfs
from tests.exporters.paperwork import accept_required_documents
from tests.exporters.test_admin_documents import _change_form_data
from tests.exporters.test_admin_documents import _stored_files as stored_files

smtp = smtp_server.smtp  # the fixture: a real SMTP server on loopback

pytestmark = pytest.mark.django_db

Kind = ExporterDocument.Kind
S = ExporterDocument.Status
DOCUMENTS = reverse("portal:documents")


def pdf_upload(name="licence.pdf", content=None):
    return SimpleUploadedFile(name, content or pdfs.make_pdf(), content_type="application/pdf")


@pytest.fixture
def owner(pending_exporter):
    return factories.ExporterMemberFactory(exporter=pending_exporter, user__email="owner@bula.example").user


@pytest.fixture
def colleague(pending_exporter):
    return factories.ExporterMemberFactory(
        exporter=pending_exporter, role="colleague", user__email="sales@bula.example"
    ).user


def upload(exporter, actor, kind=Kind.BUSINESS_LICENCE, **extra):
    return services.document_upload(exporter=exporter, actor=actor, kind=kind, file=pdf_upload(), **extra)


# What is required


def test_food_and_drink_companies_need_gacc_registration_others_do_not(pending_exporter):
    assert services.required_document_kinds(pending_exporter) == [Kind.BUSINESS_LICENCE, Kind.EXPORT_LICENCE, Kind.GACC]
    crafts = factories.ExporterFactory(sector="handicrafts")
    assert services.required_document_kinds(crafts) == [Kind.BUSINESS_LICENCE, Kind.EXPORT_LICENCE]


# Uploading


@pytest.mark.parametrize("who", ["owner", "colleague"])
def test_the_owner_and_colleagues_upload_and_the_document_waits(request, pending_exporter, who):
    user = request.getfixturevalue(who)

    document = upload(pending_exporter, user, title="BR 2026/114", expires_on=date(2027, 6, 30))

    document.refresh_from_db()
    assert (document.status, document.uploaded_by, document.title) == (S.WAITING, user, "BR 2026/114")
    assert document.file.name.endswith(".pdf") and stored_files() == [document.file.name]
    entry = audit_trail(pending_exporter).get()
    assert (entry.action, entry.actor, entry.to_status, entry.note) == (
        "document_upload",
        user,
        "",
        "BR 2026/114",
    )


def test_another_companys_user_cannot_upload_and_nothing_is_stored(pending_exporter, bob):
    with pytest.raises(PermissionDenied):
        upload(pending_exporter, bob)

    assert not ExporterDocument.objects.exists()
    assert stored_files() == []
    assert not AuditEntry.objects.exists()


def test_another_companys_user_cannot_list_the_documents(pending_exporter, owner, bob):
    upload(pending_exporter, owner)

    with pytest.raises(PermissionDenied):
        services.documents_of(exporter=pending_exporter, actor=bob)
    assert [d.uploaded_by for d in services.documents_of(exporter=pending_exporter, actor=owner)] == [owner]


def test_a_removed_colleague_cannot_upload(pending_exporter, colleague):
    colleague.is_active = False
    colleague.save()

    with pytest.raises(PermissionDenied):
        upload(pending_exporter, colleague)
    assert not ExporterDocument.objects.exists()


def test_a_hostile_file_is_refused_by_the_service_and_nothing_is_stored(pending_exporter, owner):
    with pytest.raises(ValidationError) as refused:
        services.document_upload(
            exporter=pending_exporter,
            actor=owner,
            kind=Kind.BUSINESS_LICENCE,
            file=pdf_upload(content=pdfs.make_pdf(pdfs.with_javascript)),
        )

    assert "active content" in refused.value.messages[0]
    assert not ExporterDocument.objects.exists() and stored_files() == []


def test_an_unknown_kind_is_refused(pending_exporter, owner):
    with pytest.raises(ValidationError):
        upload(pending_exporter, owner, kind="passport")
    assert not ExporterDocument.objects.exists() and stored_files() == []


def test_a_company_keeps_at_most_so_many_documents(pending_exporter, owner, monkeypatch):
    monkeypatch.setattr(services, "DOCUMENTS_MAX", 2)
    upload(pending_exporter, owner)
    upload(pending_exporter, owner, kind=Kind.EXPORT_LICENCE)

    with pytest.raises(RuleViolation):
        upload(pending_exporter, owner, kind=Kind.GACC)
    assert pending_exporter.documents.count() == 2


# Accepting and refusing


def test_staff_accept_a_waiting_document(pending_exporter, owner, staff):
    document = upload(pending_exporter, owner)

    services.document_accept(document=document, actor=staff)

    document.refresh_from_db()
    assert (document.status, document.reviewed_by) == (S.ACCEPTED, staff)
    assert document.reviewed_at is not None
    entry = audit_trail(pending_exporter).filter(action="document_accept").get()
    assert (entry.actor, entry.note) == (staff, "Business licence")


def test_a_company_user_cannot_accept_its_own_document(pending_exporter, owner):
    document = upload(pending_exporter, owner)

    with pytest.raises(PermissionDenied):
        services.document_accept(document=document, actor=owner)
    document.refresh_from_db()
    assert (document.status, document.reviewed_by) == (S.WAITING, None)
    assert not audit_trail(pending_exporter).filter(action="document_accept").exists()


def test_a_reviewed_document_is_not_reviewed_again(pending_exporter, owner, staff):
    document = upload(pending_exporter, owner)
    services.document_accept(document=document, actor=staff)

    with pytest.raises(InvalidTransition):
        services.document_refuse(document=document, actor=staff, reason="Blurred.")
    document.refresh_from_db()
    assert (document.status, document.refusal_reason) == (S.ACCEPTED, "")
    assert not Notification.objects.exists()


@pytest.mark.parametrize("reason", ["", "   ", "营业执照模糊，请重新上传。"])
def test_a_refusal_without_a_reason_in_english_is_refused(pending_exporter, owner, staff, reason):
    document = upload(pending_exporter, owner)

    with pytest.raises(ValidationError) as refused:
        services.document_refuse(document=document, actor=staff, reason=reason)

    assert "reason" in refused.value.message_dict
    document.refresh_from_db()
    assert (document.status, document.refusal_reason, document.reviewed_by) == (S.WAITING, "", None)
    assert not Notification.objects.exists()
    assert not audit_trail(pending_exporter).filter(action="document_refuse").exists()


def test_staff_refuse_with_a_reason_and_a_new_copy_waits_again(pending_exporter, owner, colleague, staff):
    document = upload(pending_exporter, owner)

    services.document_refuse(document=document, actor=staff, reason="  The scan is cut off at the bottom.  ")

    document.refresh_from_db()
    assert (document.status, document.refusal_reason) == (S.REFUSED, "The scan is cut off at the bottom.")
    entry = audit_trail(pending_exporter).filter(action="document_refuse").get()
    assert entry.note == "Business licence: The scan is cut off at the bottom."
    assert sorted(Notification.objects.values_list("kind", "recipient")) == [
        ("exporter_document_refused", "owner@bula.example"),
        ("exporter_document_refused", "sales@bula.example"),
    ]
    [row, *_] = services.document_checklist(pending_exporter)
    assert (row.kind, row.state) == (Kind.BUSINESS_LICENCE, "refused")

    replacement = upload(pending_exporter, colleague)

    assert replacement.status == S.WAITING
    [row, *_] = services.document_checklist(pending_exporter)
    assert (row.state, row.document) == ("waiting", replacement)


def test_the_checklist_counts_accepted_current_documents_only(pending_exporter, owner, staff):
    old = upload(pending_exporter, owner, kind=Kind.EXPORT_LICENCE, expires_on=date(2026, 1, 31))
    services.document_accept(document=old, actor=staff)
    licence = upload(pending_exporter, owner)
    services.document_accept(document=licence, actor=staff)
    upload(pending_exporter, owner, title="renewal")  # a newer copy waits: the accepted one still counts

    states = {row.kind: row.state for row in services.document_checklist(pending_exporter, today=date(2026, 12, 6))}

    assert states == {Kind.BUSINESS_LICENCE: "accepted", Kind.EXPORT_LICENCE: "expired", Kind.GACC: "missing"}


# Verifying


def test_verification_without_the_documents_is_refused_and_says_what_is_missing(pending_exporter, owner, staff):
    document = upload(pending_exporter, owner, kind=Kind.EXPORT_LICENCE)
    services.document_refuse(document=document, actor=staff, reason="Expired in 2024.")

    with translation.override("zh-hans"), pytest.raises(RuleViolation) as refused:
        services.exporter_verify(exporter=pending_exporter, actor=staff)

    assert refused.value.message == (
        "暂不能核实：营业执照未上传；出口许可证已退回；中国海关（GACC）注册未上传。"
        "请先接受这些文件，或写明你以其他方式核实该公司的情况。"
    )
    pending_exporter.refresh_from_db()
    assert (pending_exporter.verification_status, pending_exporter.verified_by) == ("pending", None)
    assert not audit_trail(pending_exporter).filter(action="verify").exists()
    assert not Notification.objects.filter(kind="exporter_verified").exists()


def test_an_expired_document_stops_reinstating_a_suspended_company(staff):
    exporter = factories.ExporterFactory(suspended=True, sector="handicrafts")
    documents = accept_required_documents(exporter, staff)
    documents[0].expires_on = timezone.localdate() - timedelta(days=1)
    documents[0].save()

    with pytest.raises(RuleViolation):
        services.exporter_verify(exporter=exporter, actor=staff)
    exporter.refresh_from_db()
    assert exporter.verification_status == "suspended"


def test_with_the_documents_accepted_staff_verify(pending_exporter, staff):
    accept_required_documents(pending_exporter, staff)

    services.exporter_verify(exporter=pending_exporter, actor=staff)

    pending_exporter.refresh_from_db()
    assert pending_exporter.verification_status == "verified"


def test_without_documents_staff_verify_only_saying_how_they_checked(pending_exporter, staff):
    services.exporter_verify(exporter=pending_exporter, actor=staff, note="Licences seen at the Suva trade fair.")

    pending_exporter.refresh_from_db()
    assert pending_exporter.verification_status == "verified"
    assert audit_trail(pending_exporter).get().note == "Licences seen at the Suva trade fair."


# The refusal e-mail, over a real SMTP server on loopback


def test_the_refusal_emails_each_active_user_once_in_english(
    smtp, pending_exporter, owner, colleague, staff, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://bridge.pti.example"
    factories.ExporterMemberFactory(exporter=pending_exporter, user__email="gone@bula.example", user__is_active=False)
    factories.ExporterMemberFactory(user__email="someone@elsewhere.example")
    document = upload(pending_exporter, owner, kind=Kind.GACC, title="GACC CFJ0123")

    with django_capture_on_commit_callbacks(execute=True), translation.override("zh-hans"):
        services.document_refuse(document=document, actor=staff, reason="The registration number is not readable.")

    assert set(Notification.objects.values_list("status", flat=True)) == {Notification.Status.SENT}
    messages = sorted(smtp.inbox.messages, key=lambda m: m["To"])
    assert [m["To"] for m in messages] == ["owner@bula.example", "sales@bula.example"]
    message = messages[0]
    assert message["Subject"] == "China customs (GACC) registration: please upload a new copy"
    body = {
        part.get_content_type(): part.get_payload(decode=True).decode().replace("\r\n", "\n")
        for part in message.walk()
        if not part.is_multipart()
    }
    for text in (body["text/plain"], body["text/html"]):
        assert "The registration number is not readable." in text
        assert "GACC CFJ0123" in text
        assert "https://bridge.pti.example/portal/company/documents/" in text
    assert outbox.dispatch_due(now=timezone.now() + timedelta(days=1)) == {}  # nothing sent twice
    assert len(smtp.inbox.messages) == 2


def test_smtp_down_the_refusal_stands_and_the_email_follows_once(
    smtp, pending_exporter, owner, staff, django_capture_on_commit_callbacks
):
    document = upload(pending_exporter, owner)
    smtp.stop()
    with django_capture_on_commit_callbacks(execute=True):
        services.document_refuse(document=document, actor=staff, reason="Wrong company name.")
    document.refresh_from_db()
    assert document.status == S.REFUSED
    assert list(Notification.objects.values_list("status", "attempts")) == [(Notification.Status.PENDING, 1)]

    smtp.start()
    later = timezone.now() + timedelta(hours=3)
    assert outbox.dispatch_due(now=later) == {"sent": 1}
    assert outbox.dispatch_due(now=later + timedelta(days=2)) == {}
    assert [m["To"] for m in smtp.inbox.messages] == ["owner@bula.example"]


# The portal's documents page


def test_the_page_lists_what_is_needed_and_every_upload_with_its_status(client, pending_exporter, owner, staff):
    refused = upload(pending_exporter, owner, title="Old scan")
    services.document_refuse(document=refused, actor=staff, reason="The scan is cut off at the bottom.")
    accepted = upload(pending_exporter, owner, kind=Kind.EXPORT_LICENCE)
    services.document_accept(document=accepted, actor=staff)
    client.force_login(owner)

    response = client.get(DOCUMENTS, HTTP_ACCEPT_LANGUAGE="zh-hans")  # the portal stays English

    assert response.status_code == 200
    checklist = {row.kind: row.state for row in response.context["checklist"]}
    assert checklist == {Kind.BUSINESS_LICENCE: "refused", Kind.EXPORT_LICENCE: "accepted", Kind.GACC: "missing"}
    page = response.content.decode()
    assert "PTI could not accept it:</strong> The scan is cut off at the bottom." in page
    assert "China customs (GACC) registration" in page and "营业执照" not in page
    assert "A PDF, or a clear JPEG or PNG photo or scan, at most 10 MB." in page
    assert 'accept="application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"' in page
    assert reverse("exporter_document", args=[refused.pk]) in page


def test_a_colleague_uploads_from_the_page(client, pending_exporter, colleague):
    client.force_login(colleague)

    response = client.post(DOCUMENTS, {"kind": "gacc", "title": "CFJ0123", "file": pdf_upload()})

    assert response.status_code == 302 and response["Location"] == DOCUMENTS
    document = ExporterDocument.objects.get()
    assert (document.exporter, document.kind, document.status) == (pending_exporter, "gacc", "waiting")
    page = client.get(DOCUMENTS).content.decode()
    assert "is uploaded. PTI will review it" in page and "Waiting for review" in page


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"MZ\x90\x00 a renamed program", "Upload the document as a PDF, JPEG or PNG file."),
        (pdfs.make_pdf(pdfs.with_javascript), "This PDF contains active content"),
        (b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024), "This file is 10.0 MB; documents may be at most 10 MB."),
    ],
    ids=["not-a-document", "active-pdf", "too-large"],
)
def test_a_refused_file_is_a_clear_error_on_the_page_and_nothing_is_kept(
    client, pending_exporter, owner, content, error
):
    client.force_login(owner)

    response = client.post(DOCUMENTS, {"kind": "business_licence", "file": pdf_upload(content=content)})

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not ExporterDocument.objects.exists() and stored_files() == []


def test_a_missing_kind_or_file_is_a_form_error(client, pending_exporter, owner):
    client.force_login(owner)

    response = client.post(DOCUMENTS, {"kind": ""})

    assert set(response.context["form"].errors) == {"kind", "file"}
    assert not ExporterDocument.objects.exists()


def test_the_page_shows_only_the_users_own_company(client, pending_exporter, owner, bob, staff):
    upload(pending_exporter, owner, title="Bula licence")
    client.force_login(bob)

    page = client.get(DOCUMENTS).content.decode()
    assert "Bula licence" not in page
    document = ExporterDocument.objects.get()
    assert client.get(reverse("exporter_document", args=[document.pk])).status_code == 404

    client.force_login(staff)  # staff have no company: the portal sends them to the back office
    assert client.get(DOCUMENTS).status_code == 403
    client.logout()
    assert client.get(DOCUMENTS)["Location"].startswith(reverse("portal:login"))


def test_the_dashboard_says_what_is_still_needed(client, pending_exporter, owner, staff):
    document = upload(pending_exporter, owner, kind=Kind.EXPORT_LICENCE)
    services.document_refuse(document=document, actor=staff, reason="Expired.")
    client.force_login(owner)

    page = client.get(reverse("portal:dashboard")).content.decode()

    assert "3 documents still needed" in page
    assert "Business licence: not uploaded yet" in page
    assert "Export licence: refused, upload a new copy" in page
    assert "China customs (GACC) registration: not uploaded yet" in page

    accept_required_documents(pending_exporter, staff)
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert "still needed" not in page and "Your documents are all accepted" in page


def test_a_verified_company_is_not_asked_for_documents(client, alice):
    client.force_login(alice)

    page = client.get(reverse("portal:dashboard")).content.decode()

    assert "Verified by PTI" in page and "still needed" not in page


# The exporter's admin page


@pytest.fixture
def staff_client(client, staff):
    return sign_in_staff(client, staff)


def _document_url(document, action):
    return reverse(f"admin:exporters_exporter_document_{action}", args=[document.exporter_id, document.pk])


def test_staff_accept_from_the_exporters_page(staff_client, pending_exporter, owner, staff):
    document = upload(pending_exporter, owner)
    change = reverse("admin:exporters_exporter_change", args=[pending_exporter.pk])
    page = staff_client.get(change, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert _document_url(document, "accept") in page and _document_url(document, "refuse") in page
    assert "待审核" in page and "营业执照" in page

    confirm = staff_client.get(_document_url(document, "accept"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "请先打开文件" in confirm.content.decode()
    document.refresh_from_db()
    assert document.status == S.WAITING  # looking changes nothing

    response = staff_client.post(_document_url(document, "accept"), HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 302 and response["Location"].startswith(change)
    document.refresh_from_db()
    assert (document.status, document.reviewed_by) == (S.ACCEPTED, staff)
    page = staff_client.get(change, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "已接受“营业执照”。" in page
    assert "接受文件" in page  # the audit trail's label


def test_staff_refuse_from_the_exporters_page_only_with_a_reason_in_english(staff_client, pending_exporter, owner):
    document = upload(pending_exporter, owner)
    url = _document_url(document, "refuse")

    page = staff_client.post(url, {"reason": ""}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200 and "该字段是必填项。" in page.content.decode()
    chinese = staff_client.post(url, {"reason": "看不清楚"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert chinese.status_code == 200
    assert "请用英文填写原因：出口商会原样看到。" in chinese.content.decode()
    assert "看不清楚</textarea>" in chinese.content.decode()  # what staff typed is kept
    document.refresh_from_db()
    assert (document.status, document.refusal_reason) == (S.WAITING, "")
    assert not Notification.objects.exists()

    response = staff_client.post(url, {"reason": "Blurred: scan again."})

    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.status, document.refusal_reason) == (S.REFUSED, "Blurred: scan again.")
    assert Notification.objects.get().recipient == "owner@bula.example"


def test_exporter_users_cannot_reach_the_review_pages(client, pending_exporter, owner):
    document = upload(pending_exporter, owner)
    client.force_login(owner)

    for url in (
        _document_url(document, "accept"),
        reverse("admin:exporters_exporter_verify", args=[pending_exporter.pk]),
    ):
        response = client.post(url, {"post": "yes", "reason": "x", "note": "x"})
        assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    document.refresh_from_db()
    pending_exporter.refresh_from_db()
    assert (document.status, pending_exporter.verification_status) == (S.WAITING, "pending")


def test_a_document_of_another_company_is_not_found_under_this_one(staff_client, pending_exporter, verified_exporter):
    document = factories.ExporterDocumentFactory(exporter=verified_exporter)
    url = reverse("admin:exporters_exporter_document_accept", args=[pending_exporter.pk, document.pk])

    assert staff_client.post(url).status_code == 404
    document.refresh_from_db()
    assert document.status == S.WAITING


def test_the_verify_button_explains_in_chinese_what_is_missing(staff_client, pending_exporter, owner, staff):
    upload(pending_exporter, owner)
    change = reverse("admin:exporters_exporter_change", args=[pending_exporter.pk])
    verify = reverse("admin:exporters_exporter_verify", args=[pending_exporter.pk])
    assert verify in staff_client.get(change, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    page = staff_client.post(verify, {"note": ""}, HTTP_ACCEPT_LANGUAGE="zh-hans")

    content = page.content.decode()
    assert page.status_code == 200
    assert "暂不能核实：营业执照待审核；出口许可证未上传；中国海关（GACC）注册未上传。" in content
    assert "文件不全时必填" in content
    pending_exporter.refresh_from_db()
    assert pending_exporter.verification_status == "pending"
    assert not audit_trail(pending_exporter).filter(action="verify").exists()


def test_the_verify_button_verifies_once_the_documents_are_accepted(staff_client, pending_exporter, staff):
    accept_required_documents(pending_exporter, staff)
    verify = reverse("admin:exporters_exporter_verify", args=[pending_exporter.pk])
    assert "所有必需文件均已接受" in staff_client.get(verify, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    response = staff_client.post(verify, {"note": ""})

    assert response.status_code == 302
    pending_exporter.refresh_from_db()
    assert (pending_exporter.verification_status, pending_exporter.verified_by) == ("verified", staff)


def test_the_bulk_action_names_the_missing_documents_in_chinese(staff_client, pending_exporter):
    response = staff_client.post(
        reverse("admin:exporters_exporter_changelist"),
        {"action": "verify_selected", "_selected_action": [pending_exporter.pk]},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
        follow=True,
    )

    assert "暂不能核实：营业执照未上传" in response.content.decode()
    assert Exporter.objects.get().verification_status == "pending"


def test_a_document_staff_add_in_the_admin_waits_for_review_and_is_audited(staff_client, staff, pending_exporter):
    url = reverse("admin:exporters_exporter_change", args=[pending_exporter.pk])
    page = staff_client.get(url)
    data = _change_form_data(page.context["adminform"].form, page.context["inline_admin_formsets"])
    data["documents-TOTAL_FORMS"] = "1"
    data.update({"documents-0-kind": "export_licence", "documents-0-title": "Sent by e-mail"})

    response = staff_client.post(url, {**data, "documents-0-file": pdf_upload()})

    assert response.status_code == 302
    document = ExporterDocument.objects.get()
    assert (document.kind, document.status, document.uploaded_by) == ("export_licence", S.WAITING, staff)
    assert audit_trail(pending_exporter).filter(action="document_upload", actor=staff).exists()


def test_staff_find_the_companies_with_documents_waiting(
    staff_client, pending_exporter, verified_exporter, owner, staff
):
    reviewed = upload(pending_exporter, owner, kind=Kind.EXPORT_LICENCE)
    services.document_accept(document=reviewed, actor=staff)
    changelist = reverse("admin:exporters_exporter_changelist")
    assert [e.name for e in staff_client.get(changelist, {"documents": "waiting"}).context["cl"].result_list] == []

    upload(pending_exporter, owner)
    response = staff_client.get(changelist, {"documents": "waiting"}, HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert [e.name for e in response.context["cl"].result_list] == ["Bula Coconut Ltd"]
    assert "待审核" in response.content.decode()


def test_a_document_staff_delete_in_the_admin_is_audited_and_its_file_removed(
    staff_client, staff, pending_exporter, django_capture_on_commit_callbacks
):
    document = services.document_upload(
        exporter=pending_exporter, actor=staff, kind=Kind.OTHER, file=pdf_upload(), title="Wrong company's licence"
    )
    url = reverse("admin:exporters_exporter_change", args=[pending_exporter.pk])
    page = staff_client.get(url)
    data = _change_form_data(page.context["adminform"].form, page.context["inline_admin_formsets"])
    data.update({"documents-0-id": document.pk, "documents-0-exporter": pending_exporter.pk})
    data.update({"documents-0-title": document.title, "documents-0-DELETE": "on"})

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, data)

    assert response.status_code == 302
    assert not ExporterDocument.objects.exists() and stored_files() == []
    entry = audit_trail(pending_exporter).filter(action="document_delete").get()
    assert (entry.actor, entry.note) == (staff, "Wrong company's licence")


def test_the_documents_page_stays_light_for_a_slow_connection(client, pending_exporter, owner, staff):
    """The page with a few documents, its stylesheet and its one small script: under 20 kB."""
    from django.contrib.staticfiles import finders

    for kind in (Kind.BUSINESS_LICENCE, Kind.EXPORT_LICENCE, Kind.GACC):
        services.document_refuse(
            document=upload(pending_exporter, owner, kind=kind), actor=staff, reason="Please scan it again."
        )
    client.force_login(owner)

    page = len(client.get(DOCUMENTS).content)
    assets = sum(
        len(open(finders.find(name), "rb").read()) for name in ("portal/portal.css", "exporters/document_upload.js")
    )
    assert page + assets < 20_000
