"""Documents staff upload in the admin: a PDF or a scan, judged by structure, at most 10 MB.

A refused file is a form error and nothing is stored; a kept file is stored under the
detected type's extension, whatever the uploaded name.
"""

import io

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import FileField
from django.urls import reverse
from django.utils import translation
from PIL import Image

from exporters.admin import ExporterDocumentForm
from exporters.models import ExporterDocument
from tests.conftest import sign_in_staff
from tests.exporters import pdfs
from tests.storage import corpus

pytestmark = pytest.mark.django_db

WRONG_TYPE = "Upload the document as a PDF, JPEG or PNG file."
ACTIVE = (
    "This PDF contains active content (JavaScript, automatic actions, embedded files or forms), "
    "which is not accepted. Print it to a new PDF, or scan it, and upload that file."
)
DAMAGED = "This PDF is damaged or incomplete and cannot be read. Save or export it again and upload the new file."
HIDDEN = "This PDF carries data that is not part of the document. Print it to a new PDF and upload that file."


def _form(exporter, name, content):
    return ExporterDocumentForm(
        data={"kind": "business_licence", "title": "Licence"},
        files={"file": SimpleUploadedFile(name, content)},
        instance=ExporterDocument(exporter=exporter),
    )


def _stored_files() -> list[str]:
    storage = storages["private"]
    if not storage.exists("documents"):
        return []
    found, folders = [], ["documents"]
    while folders:
        folder = folders.pop()
        subfolders, files = storage.listdir(folder)
        found += [f"{folder}/{name}" for name in files]
        folders += [f"{folder}/{name}" for name in subfolders]
    return found


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("licence.pdf", b"MZ\x90\x00 this is a renamed executable", WRONG_TYPE),
        ("licence.pdf", corpus.svg(), WRONG_TYPE),
        ("licence.jpg", b"<html><script>alert(1)</script></html>", WRONG_TYPE),
        ("licence.html", b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>", DAMAGED),
        ("licence.pdf", pdfs.make_pdf(pdfs.with_javascript), ACTIVE),
        ("licence.pdf", pdfs.make_pdf(pdfs.with_open_action_javascript), ACTIVE),
        ("licence.pdf", pdfs.with_escaped_names(pdfs.make_pdf(pdfs.with_open_action_javascript)), ACTIVE),
        ("licence.pdf", pdfs.make_pdf(pdfs.with_page_launch_action), ACTIVE),
        ("licence.pdf", pdfs.make_pdf(pdfs.with_embedded_file), ACTIVE),
        ("licence.pdf", pdfs.make_pdf(pdfs.with_xfa_form), ACTIVE),
        ("licence.html", pdfs.make_pdf(pdfs.with_html_in_page), HIDDEN),
        ("licence.pdf", pdfs.make_pdf() + b"<html><script>alert(1)</script></html>", HIDDEN),
        ("licence.zip", pdfs.make_pdf() + pdfs.zip_archive(), HIDDEN),
        ("licence.pdf", pdfs.make_pdf()[:-300], DAMAGED),
        ("licence.pdf", pdfs.make_pdf()[:-6], DAMAGED),
    ],
    ids=[
        "executable",
        "svg",
        "html-named-jpg",
        "pdf-header-then-html-named-html",
        "document-javascript",
        "open-action-javascript",
        "javascript-behind-name-escapes",
        "page-launch-action",
        "embedded-file",
        "xfa-form",
        "pdf-html-polyglot",
        "html-after-the-end",
        "zip-after-the-end",
        "truncated",
        "truncated-before-eof",
    ],
)
def test_a_hostile_or_broken_document_is_refused_and_nothing_is_stored(verified_exporter, name, content, error):
    form = _form(verified_exporter, name, content)

    assert not form.is_valid()
    assert form.errors["file"] == [error]
    assert not ExporterDocument.objects.exists()
    assert _stored_files() == []


def test_a_document_over_ten_megabytes_is_refused(verified_exporter):
    form = _form(verified_exporter, "licence.pdf", b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024))

    assert not form.is_valid()
    assert form.errors["file"] == ["This file is 10.0 MB; documents may be at most 10 MB."]


@pytest.mark.parametrize("name", ["licence.pdf", "licence.html", "licence.PDF.exe", "licence"])
def test_a_good_pdf_is_stored_as_pdf_whatever_its_uploaded_name(verified_exporter, name):
    content = pdfs.make_pdf(pdfs.with_open_at_first_page)  # a harmless open action is fine
    form = _form(verified_exporter, name, content)

    assert form.is_valid(), form.errors
    document = form.save()
    assert document.file.name.startswith("documents/") and document.file.name.endswith(".pdf")
    assert document.file.read() == content  # a PDF is kept byte for byte (signatures stay valid)
    assert _stored_files() == [document.file.name]


@pytest.mark.parametrize(
    ("name", "content", "extension"),
    [
        ("scan.pdf", corpus.png(corpus.two_colour()), ".jpg"),
        ("scan.html", corpus.png_with_html(), ".jpg"),
        ("scan.png", corpus.jpeg(corpus.two_colour()), ".jpg"),
        ("logo.jpg", corpus.rgba_logo(), ".png"),
    ],
)
def test_a_scan_is_re_encoded_and_stored_under_its_detected_type(verified_exporter, name, content, extension):
    form = _form(verified_exporter, name, content)

    assert form.is_valid(), form.errors
    document = form.save()
    assert document.file.name.endswith(extension)
    stored = document.file.read()
    # Re-encoded by the image pipeline: what was hidden after the pixels is gone.
    assert b"<" + b"script" not in stored.lower() and b"<html" not in stored.lower()
    assert Image.open(io.BytesIO(stored)).format == {".jpg": "JPEG", ".png": "PNG"}[extension]


def test_the_admin_change_form_shows_the_refusal_and_stores_nothing(client, staff, verified_exporter):
    sign_in_staff(client, staff)
    url = reverse("admin:exporters_exporter_change", args=[verified_exporter.pk])
    page = client.get(url)
    data = _change_form_data(page.context["adminform"].form, page.context["inline_admin_formsets"])
    data["documents-TOTAL_FORMS"] = "1"
    data.update({"documents-0-kind": "business_licence", "documents-0-title": "Licence"})
    upload = SimpleUploadedFile("licence.html", pdfs.make_pdf(pdfs.with_javascript), content_type="text/html")

    response = client.post(url, {**data, "documents-0-file": upload})

    assert response.status_code == 200
    assert ACTIVE in response.content.decode()
    assert not ExporterDocument.objects.exists()
    assert _stored_files() == []


def _change_form_data(form, inline_formsets) -> dict:
    """What the browser would post back for the unchanged page: the main form's values and
    every inline's management form."""
    data = {name: form[name].value() for name, field in form.fields.items() if not isinstance(field, FileField)}
    data = {name: ("" if value is None else value) for name, value in data.items()}
    for inline in inline_formsets:
        management = inline.formset.management_form
        for name in management.fields:
            data[f"{inline.formset.prefix}-{name}"] = management[name].value()
    return data


def test_staff_read_the_refusal_in_chinese(verified_exporter):
    with translation.override("zh-hans"):
        form = _form(verified_exporter, "licence.pdf", pdfs.make_pdf(pdfs.with_embedded_file))
        assert not form.is_valid()
        assert form.errors["file"] == [
            "此 PDF 含有活动内容（JavaScript、自动操作、嵌入文件或表单），不予接受。请将其打印为新的 PDF 或扫描后上传该文件。"
        ]
