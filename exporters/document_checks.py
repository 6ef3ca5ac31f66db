"""What an exporter document may be, judged by its structure, never by its name.

A PDF is parsed with pypdf (strict) and walked object by object: anything a viewer
could run or unpack (JavaScript, launch and form-submit actions, embedded files, XFA
forms, rich media) refuses it, as do a damaged or truncated file, data after its end
and HTML hidden in it (a file that is a PDF and a web page at once). A photo or scan
goes through the image pipeline (pti_bridge/images.py), which re-encodes it.

`inspect_document()` returns the bytes to store and the type they are, whose
extension names the stored file.
"""

import io
import logging
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from pti_bridge.images import clean_image

logger = logging.getLogger(__name__)

DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class DocumentType:
    extension: str
    content_type: str


PDF = DocumentType("pdf", "application/pdf")
JPEG = DocumentType("jpg", "image/jpeg")
PNG = DocumentType("png", "image/png")
DOCUMENT_TYPES = {kind.extension: kind for kind in (PDF, JPEG, PNG)}

_PDF_HEADER = re.compile(rb"%PDF-[12]\.[0-9]")
# The end of a PDF: %%EOF, then at most line ends, spaces or NULs (some scanners pad).
_PDF_END = re.compile(rb"%%EOF[\r\n\t \x00]*\Z")
# Markup a browser would render if it ever sniffed the file as a page.
_HTML_MARKERS = re.compile(rb"<(?:!doctype\s+html|html|head|body|script|iframe|svg|object|embed|meta)[\s>/]", re.I)
# Dictionary keys that only active content or embedded files carry.
_ACTIVE_KEYS = frozenset({"/JS", "/JavaScript", "/EmbeddedFile", "/EmbeddedFiles", "/EF", "/XFA", "/RichMedia"})
# Action types (/S) that run code, start programs, send form data or open embedded files.
_ACTIVE_ACTIONS = frozenset(
    {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToE", "/RichMediaExecute", "/Rendition"}
)
_MAX_OBJECTS = 100_000  # a licence has hundreds; past this the walk would only burn CPU


@dataclass(frozen=True)
class CheckedDocument:
    content: ContentFile  # named "document.<extension>"; upload_to gives it a server-made name
    type: DocumentType


def _refuse(message, code: str, **params) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)


def _wrong_type() -> ValidationError:
    return _refuse(_("Upload the document as a PDF, JPEG or PNG file."), "invalid_document")


def _unreadable() -> ValidationError:
    return _refuse(
        _("This PDF is damaged or incomplete and cannot be read. Save or export it again and upload the new file."),
        "damaged_pdf",
    )


def _active() -> ValidationError:
    return _refuse(
        _(
            "This PDF contains active content (JavaScript, automatic actions, embedded files or forms), "
            "which is not accepted. Print it to a new PDF, or scan it, and upload that file."
        ),
        "active_pdf",
    )


def _hidden_data() -> ValidationError:
    return _refuse(
        _("This PDF carries data that is not part of the document. Print it to a new PDF and upload that file."),
        "pdf_hidden_data",
    )


def inspect_document(upload) -> CheckedDocument:
    """Check `upload` as a PDF or an image; raise ValidationError with a message for the uploader."""
    size = upload.size
    if size > DOCUMENT_MAX_BYTES:
        raise _refuse(
            _("This file is %(size)s MB; documents may be at most %(limit)s MB."),
            "too_large",
            size=round(size / 1024 / 1024, 1),
            limit=DOCUMENT_MAX_BYTES // 1024 // 1024,
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if data.startswith(b"%PDF"):
        check_pdf(data)
        return CheckedDocument(ContentFile(data, name=f"document.{PDF.extension}"), PDF)
    try:
        cleaned = clean_image(upload, purpose="original")
    except ValidationError as error:
        if error.code in ("invalid_image", "empty"):
            raise _wrong_type() from error
        raise
    kind = PNG if cleaned.format == "png" else JPEG
    return CheckedDocument(ContentFile(cleaned.content.read(), name=f"document.{kind.extension}"), kind)


def check_pdf(data: bytes) -> None:
    """Refuse a PDF that is damaged, carries anything but the document, or holds active content."""
    if not _PDF_HEADER.match(data):
        raise _unreadable()
    if not _PDF_END.search(data[-1024:]):
        # Truncated, or something appended after the end (a ZIP, a web page).
        raise _hidden_data() if b"%%EOF" in data else _unreadable()
    if _HTML_MARKERS.search(data):
        raise _hidden_data()
    reader = _parse(data)
    try:
        for value in _objects(reader):
            if _is_active(value):
                raise _active()
    except ValidationError:
        raise
    except Exception as error:  # any parser failure on untrusted bytes is a refusal
        logger.info("PDF walk failed: %r", error)
        raise _unreadable() from error


def _parse(data: bytes) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise _refuse(_("This PDF is protected by a password. Upload a copy without a password."), "encrypted_pdf")
        if len(reader.pages) < 1:
            raise _unreadable()
    except ValidationError:
        raise
    except Exception as error:  # pypdf raises many types (PdfReadError, ValueError, KeyError...)
        logger.info("PDF parse failed: %r", error)
        raise _unreadable() from error
    return reader


def _objects(reader: PdfReader):
    """Every object of the file, direct or not, reachable from the trailer or listed in
    its cross-reference tables (a hidden object is refused as surely as a used one)."""
    roots = [reader.trailer]
    for generation, numbers in reader.xref.items():
        roots.extend(IndirectObject(number, generation, reader) for number in numbers)
    roots.extend(IndirectObject(number, 0, reader) for number in reader.xref_objStm)
    seen: set[tuple[int, int]] = set()
    stack = list(roots)
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            if len(seen) > _MAX_OBJECTS:
                raise _unreadable()
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            yield item
            stack.extend(dict.values(item))  # raw values: indirect references stay unresolved here
        elif isinstance(item, ArrayObject):
            stack.extend(list.__iter__(item))


def _is_active(dictionary: DictionaryObject) -> bool:
    if _ACTIVE_KEYS.intersection(dict.keys(dictionary)):
        return True
    action = dict.get(dictionary, "/S")
    if isinstance(action, IndirectObject):
        action = action.get_object()
    subtype = dict.get(dictionary, "/Subtype")
    return str(action) in _ACTIVE_ACTIONS or str(subtype) in ("/FileAttachment", "/RichMedia", "/Screen")
