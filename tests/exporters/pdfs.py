"""PDFs made with pypdf for the document tests: a plain one, and one per kind of active content."""

import io
import zipfile

from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, StreamObject, TextStringObject


def _javascript() -> DictionaryObject:
    return DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
    )


def make_pdf(change=None) -> bytes:
    """A one-page PDF; `change(writer)` adds what a test needs before it is written."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    if change is not None:
        change(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def with_javascript(writer: PdfWriter) -> None:
    """Document-level JavaScript: the /Names /JavaScript tree viewers run on opening."""
    script = writer._add_object(_javascript())
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {
            NameObject("/JavaScript"): DictionaryObject(
                {NameObject("/Names"): ArrayObject([TextStringObject("x"), script])}
            )
        }
    )


def with_open_action_javascript(writer: PdfWriter) -> None:
    writer._root_object[NameObject("/OpenAction")] = _javascript()


def with_page_launch_action(writer: PdfWriter) -> None:
    """/AA on the page: start a program when the page opens."""
    launch = DictionaryObject({NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")})
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): launch})


def with_embedded_file(writer: PdfWriter) -> None:
    writer.add_attachment("invoice.exe", b"MZ\x90\x00")


def with_xfa_form(writer: PdfWriter) -> None:
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject(), NameObject("/XFA"): TextStringObject("<xdp:xdp/>")}
    )


def with_open_at_first_page(writer: PdfWriter) -> None:
    """A harmless /OpenAction: show page one, fitted (what many office programs write)."""
    writer._root_object[NameObject("/OpenAction")] = ArrayObject(
        [writer.pages[0].indirect_reference, NameObject("/Fit")]
    )


def with_html_in_page(writer: PdfWriter) -> None:
    """A well-formed PDF whose bytes also hold a web page (a PDF/HTML polyglot): the page's
    content stream, uncompressed, is a PDF comment that a browser would read as markup."""
    contents = StreamObject()
    contents.set_data(b"% <html><body><script>alert(document.cookie)</script></body></html>\n")
    writer.pages[0][NameObject("/Contents")] = writer._add_object(contents)


def zip_archive() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.html", "<script>alert(1)</script>")
    return buffer.getvalue()


def with_escaped_names(pdf: bytes) -> bytes:
    """The same file with /JS and /JavaScript spelled with #xx escapes (/J#53): a byte search
    misses them, a parser reads the same names."""
    return pdf.replace(b"/JS ", b"/J#53 ").replace(b"/JavaScript", b"/J#61vaScript")
