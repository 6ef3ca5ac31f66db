"""Verification documents uploaded in the portal, stored in S3-compatible object storage (a real
server on loopback): private, waiting for review, a signed link for the company only; a store
that is down is a clear error and leaves nothing behind."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from exporters.models import ExporterDocument
from pti_bridge.models import AuditEntry
from tests import factories
from tests.conftest import sign_in_staff
from tests.exporters import pdfs
from tests.exporters.test_admin_documents import _change_form_data
from tests.storage.conftest import free_port, s3_storages, use_storages

pytestmark = pytest.mark.django_db

DOCUMENTS = reverse("portal:documents")


@pytest.fixture
def owner(pending_exporter):
    return factories.ExporterMemberFactory(exporter=pending_exporter, user__email="owner@bula.example").user


def _upload(client, content):
    return client.post(
        DOCUMENTS,
        {"kind": "export_licence", "file": SimpleUploadedFile("IMG_0042.pdf", content, content_type="application/pdf")},
    )


def test_a_portal_upload_is_private_in_the_bucket_and_reaches_only_its_company(
    s3_bucket, client, owner, bob, pending_exporter
):
    content = pdfs.make_pdf()
    client.force_login(owner)

    response = _upload(client, content)

    assert response.status_code == 302
    document = ExporterDocument.objects.get()
    assert (document.exporter, document.status) == (pending_exporter, "waiting")
    assert s3_bucket.keys() == [f"private/{document.file.name}"]  # nothing public, no uploaded name
    assert "IMG_0042" not in document.file.name
    assert s3_bucket.body(f"private/{document.file.name}") == content
    download = client.get(reverse("exporter_document", args=[document.pk]))
    assert download.status_code == 302 and "Signature=" in download["Location"]

    client.force_login(bob)
    assert client.get(reverse("exporter_document", args=[document.pk])).status_code == 404


def test_the_store_down_is_a_clear_error_and_leaves_no_row(settings, client, owner, staff):
    use_storages(settings, s3_storages(endpoint=f"http://127.0.0.1:{free_port()}", bucket="pti-nowhere"))
    client.force_login(owner)

    response = _upload(client, pdfs.make_pdf())

    assert response.status_code == 200
    assert "file storage is not reachable. Nothing was saved" in response.content.decode()
    assert not ExporterDocument.objects.exists()
    assert not AuditEntry.objects.filter(action="document_upload").exists()

    # Staff adding a document in the admin get a form error, not a server error.
    sign_in_staff(client, staff)
    url = reverse("admin:exporters_exporter_change", args=[owner.exporter_membership.exporter_id])
    page = client.get(url)
    data = _change_form_data(page.context["adminform"].form, page.context["inline_admin_formsets"])
    data.update({"documents-TOTAL_FORMS": "1", "documents-0-kind": "gacc"})
    data["documents-0-file"] = SimpleUploadedFile("gacc.pdf", pdfs.make_pdf(), content_type="application/pdf")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "file storage is not reachable" in response.content.decode()
    assert not ExporterDocument.objects.exists()
