"""Private exporter documents (licences, certificates): only their company and PTI staff
who may view documents.

Uploads are checked by their structure (exporters/document_checks.py) and stored under
the detected type's extension. With object storage the download is a redirect to a
short-lived signed URL (S3_SIGNED_URL_SECONDS), so the file never passes through a web
worker; with local storage the file is streamed. Either way it is an attachment with
the stored type's Content-Type and `nosniff`, so no browser renders it as a page.
Another company gets a 404, as if the document did not exist; staff without the
permission to view documents get a 403.
"""

from pathlib import PurePosixPath

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from exporters.document_checks import DOCUMENT_TYPES, inspect_document
from exporters.models import ExporterDocument
from pti_bridge import second_factor
from pti_bridge.images import STORAGE_ERRORS

VIEW_PERMISSION = "exporters.view_exporterdocument"
_UNKNOWN_TYPE = "application/octet-stream"  # files stored before the checks: never rendered


def clean_document_upload(upload) -> ContentFile:
    """The bytes to store for an uploaded document, named by their detected type (never the
    uploaded name). Raises ValidationError with a message for the uploader."""
    return inspect_document(upload).content


def get_document_for_user(user, pk: int) -> ExporterDocument:
    """The document if `user` is active staff past the second factor and allowed to view
    documents, or a user of its company. Staff without the permission: PermissionDenied (403);
    anyone else: 404."""
    document = ExporterDocument.objects.select_related("exporter").filter(pk=pk).first()
    if document is None or not user.is_active:
        raise Http404
    if user.is_staff and second_factor.passed(user):
        if not user.has_perm(VIEW_PERMISSION):
            raise PermissionDenied
        return document
    membership = getattr(user, "exporter_membership", None)
    if membership is None or membership.exporter_id != document.exporter_id:
        raise Http404
    return document


def _stored_type(document: ExporterDocument) -> tuple[str, str]:
    """(extension, Content-Type) by the stored name, which the checks chose."""
    extension = PurePosixPath(document.file.name).suffix.lower().lstrip(".")
    kind = DOCUMENT_TYPES.get(extension)
    return (kind.extension, kind.content_type) if kind else ("bin", _UNKNOWN_TYPE)


def document_response(document: ExporterDocument) -> HttpResponse:
    """The document as a download: a signed link on object storage, streamed otherwise."""
    storage = document.file.storage
    extension, content_type = _stored_type(document)
    filename = f"{document.exporter_id}-{document.kind}-{document.pk}.{extension}"
    disposition = f'attachment; filename="{filename}"'
    try:
        if getattr(storage, "querystring_auth", False):
            parameters = {"ResponseContentDisposition": disposition, "ResponseContentType": content_type}
            response = HttpResponseRedirect(storage.url(document.file.name, parameters=parameters))
        else:
            response = FileResponse(document.file.open("rb"), content_type=content_type)
            response["Content-Disposition"] = disposition
    except FileNotFoundError as error:
        raise Http404 from error
    except STORAGE_ERRORS:
        return HttpResponse(_("The document store is not reachable; please try again in a few minutes."), status=503)
    response["X-Content-Type-Options"] = "nosniff"
    # The signed link is personal and short-lived: no cache may keep or share it.
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def document_download(request, pk: int):
    return document_response(get_document_for_user(request.user, pk))
