"""Private exporter documents (licences, certificates): only their company and PTI staff.

With object storage the response is a redirect to a short-lived signed URL
(S3_SIGNED_URL_SECONDS), so the file never passes through a web worker; with
local storage the file is streamed. Anyone else gets a 404, as if the document
did not exist.
"""

from pathlib import PurePosixPath

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from exporters.models import ExporterDocument
from pti_bridge import second_factor
from pti_bridge.images import STORAGE_ERRORS

DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
# What a licence or certificate may be: a PDF or a photo of it, known by its first bytes.
DOCUMENT_SIGNATURES = {b"%PDF-": "PDF", b"\xff\xd8\xff": "JPEG", b"\x89PNG\r\n\x1a\n": "PNG"}


def validate_document_upload(upload) -> None:
    """Refuse a document upload that is too big or is not a PDF, JPEG or PNG (by content, not name)."""
    if upload.size > DOCUMENT_MAX_BYTES:
        raise ValidationError(
            gettext_lazy("This file is %(size)s MB; documents may be at most %(limit)s MB."),
            params={"size": round(upload.size / 1024 / 1024, 1), "limit": DOCUMENT_MAX_BYTES // 1024 // 1024},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(signature) for signature in DOCUMENT_SIGNATURES):
        raise ValidationError(gettext_lazy("Upload the document as a PDF, JPEG or PNG file."), code="invalid_document")


def get_document_for_user(user, pk: int) -> ExporterDocument:
    """The document if `user` is active staff past the second factor, or a user of its company;
    otherwise 404."""
    document = ExporterDocument.objects.select_related("exporter").filter(pk=pk).first()
    if document is None or not user.is_active:
        raise Http404
    if user.is_staff and second_factor.passed(user):
        return document
    membership = getattr(user, "exporter_membership", None)
    if membership is None or membership.exporter_id != document.exporter_id:
        raise Http404
    return document


def _download_name(document: ExporterDocument) -> str:
    suffix = PurePosixPath(document.file.name).suffix.lower()[:8]
    return f"{document.exporter_id}-{document.kind}-{document.pk}{suffix}"


@login_required
@require_GET
def document_download(request, pk: int):
    document = get_document_for_user(request.user, pk)
    storage = document.file.storage
    filename = _download_name(document)
    try:
        if getattr(storage, "querystring_auth", False):
            url = storage.url(
                document.file.name,
                parameters={"ResponseContentDisposition": f'attachment; filename="{filename}"'},
            )
            response = HttpResponseRedirect(url)
        else:
            response = FileResponse(document.file.open("rb"), as_attachment=True, filename=filename)
    except STORAGE_ERRORS:
        return HttpResponse(_("The document store is not reachable; please try again in a few minutes."), status=503)
    # The signed link is personal and short-lived: no cache may keep or share it.
    response["Cache-Control"] = "private, no-store"
    return response
