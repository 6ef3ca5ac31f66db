"""A company's required verification documents, accepted by staff (test set-up, not the workflow)."""

from django.utils import timezone

from exporters.models import ExporterDocument
from exporters.services import required_document_kinds
from tests.factories import ExporterDocumentFactory


def accept_required_documents(exporter, staff=None) -> list[ExporterDocument]:
    return [
        ExporterDocumentFactory(
            exporter=exporter,
            kind=kind,
            title="",
            status=ExporterDocument.Status.ACCEPTED,
            reviewed_at=timezone.now(),
            reviewed_by=staff,
        )
        for kind in required_document_kinds(exporter)
    ]
