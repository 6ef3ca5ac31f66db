"""Documents staff upload in the admin: PDF, JPEG or PNG by content, at most 10 MB."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from exporters.admin import ExporterDocumentForm
from exporters.models import ExporterDocument
from tests.storage import corpus

pytestmark = pytest.mark.django_db


def _form(exporter, name, content):
    return ExporterDocumentForm(
        data={"kind": "business_licence", "title": "Licence"},
        files={"file": SimpleUploadedFile(name, content)},
        instance=ExporterDocument(exporter=exporter),
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("licence.pdf", b"MZ\x90\x00 this is a renamed executable"),
        ("licence.pdf", corpus.svg()),
        ("licence.jpg", b"<html><script>alert(1)</script></html>"),
    ],
)
def test_a_document_that_is_not_a_pdf_jpeg_or_png_is_refused(verified_exporter, name, content):
    form = _form(verified_exporter, name, content)

    assert not form.is_valid()
    assert form.errors["file"] == ["Upload the document as a PDF, JPEG or PNG file."]
    assert not ExporterDocument.objects.exists()


def test_a_document_over_ten_megabytes_is_refused(verified_exporter):
    form = _form(verified_exporter, "licence.pdf", b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024))

    assert not form.is_valid()
    assert form.errors["file"] == ["This file is 10.0 MB; documents may be at most 10 MB."]


@pytest.mark.parametrize(
    ("name", "content"), [("licence.pdf", b"%PDF-1.7\n%%EOF\n"), ("scan.png", corpus.png(corpus.two_colour()))]
)
def test_a_pdf_or_a_scan_is_kept(verified_exporter, name, content):
    form = _form(verified_exporter, name, content)

    assert form.is_valid(), form.errors
    document = form.save()
    assert document.file.name.startswith("documents/") and name not in document.file.name
