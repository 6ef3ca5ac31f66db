"""Private exporter documents with local storage: streamed to their company and to staff
who may view documents, as attachments no browser renders."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.urls import reverse

from exporters.models import ExporterDocument
from tests import factories
from tests.conftest import sign_in_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(verified_exporter):
    return factories.ExporterDocumentFactory(
        exporter=verified_exporter,
        kind=ExporterDocument.Kind.GACC,
        file=ContentFile(b"%PDF-1.4 GACC registration", name="gacc registration.pdf"),
    )


def test_company_user_downloads_its_document_as_an_attachment(client, alice, document, verified_exporter):
    client.force_login(alice)

    response = client.get(reverse("exporter_document", args=[document.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 GACC registration"
    assert response["Content-Disposition"] == f'attachment; filename="{verified_exporter.pk}-gacc-{document.pk}.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_staff_download_any_document(client, staff, document):
    sign_in_staff(client, staff)

    response = client.get(reverse("exporter_document", args=[document.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 GACC registration"


def test_staff_without_the_permission_to_view_documents_get_403_and_no_bytes(client, document):
    clerk = factories.UserFactory(email="clerk@pti.example", is_staff=True)  # staff, in no group
    sign_in_staff(client, clerk)

    response = client.get(reverse("exporter_document", args=[document.pk]))
    admin_response = client.get(reverse("admin:exporters_exporter_document", args=[document.exporter_id, document.pk]))

    assert response.status_code == 403
    assert b"GACC registration" not in response.content
    assert "Content-Disposition" not in response
    assert admin_response.status_code == 403
    assert b"GACC registration" not in admin_response.content


def test_staff_given_only_the_permission_to_view_documents_download_them(client, document):
    clerk = factories.UserFactory(email="clerk@pti.example", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_exporterdocument"))
    sign_in_staff(client, clerk)

    response = client.get(reverse("exporter_document", args=[document.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 GACC registration"


def test_a_file_stored_before_the_checks_is_never_served_as_a_page(client, alice, verified_exporter):
    old = factories.ExporterDocumentFactory(
        exporter=verified_exporter, file=ContentFile(b"%PDF-1.4\n<script>alert(1)</script>", name="licence.html")
    )
    client.force_login(alice)

    response = client.get(reverse("exporter_document", args=[old.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'attachment; filename="{verified_exporter.pk}-{old.kind}-{old.pk}.bin"'


def test_another_company_and_a_buyer_facing_user_get_404(client, bob, document):
    client.force_login(bob)
    assert client.get(reverse("exporter_document", args=[document.pk])).status_code == 404

    plain = factories.UserFactory(email="nobody@example.com")
    client.force_login(plain)
    assert client.get(reverse("exporter_document", args=[document.pk])).status_code == 404
    assert client.get(reverse("exporter_document", args=[document.pk + 999])).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, document, settings):
    settings.LOGIN_URL = "/signin/"
    url = reverse("exporter_document", args=[document.pk])

    response = client.get(url)

    assert (response.status_code, response["Location"]) == (302, f"/signin/?next={url}")


def test_the_uploaded_file_name_is_not_the_stored_name(document):
    assert "gacc registration" not in document.file.name
    assert document.file.name.startswith("documents/")
