import pytest
from django.core.exceptions import PermissionDenied

from catalogue.models import Product
from exporters.models import Exporter
from exporters.services import exporter_suspend, exporter_verify
from pti_bridge.audit import audit_trail
from pti_bridge.errors import InvalidTransition
from tests.exporters.paperwork import accept_required_documents
from tests.factories import ExporterFactory, ProductFactory

pytestmark = pytest.mark.django_db

V = Exporter.VerificationStatus


@pytest.mark.parametrize(
    ("service", "start", "expected"),
    [
        (exporter_verify, V.PENDING, V.VERIFIED),
        (exporter_verify, V.SUSPENDED, V.VERIFIED),
        (exporter_verify, V.VERIFIED, None),
        (exporter_suspend, V.PENDING, V.SUSPENDED),
        (exporter_suspend, V.VERIFIED, V.SUSPENDED),
        (exporter_suspend, V.SUSPENDED, None),
    ],
)
def test_verification_transitions(service, start, expected, staff):
    exporter = ExporterFactory(verification_status=start)
    accept_required_documents(exporter, staff)

    if expected is None:
        with pytest.raises(InvalidTransition):
            service(exporter=exporter, actor=staff)
        exporter.refresh_from_db()
        assert exporter.verification_status == start
        assert not audit_trail(exporter).exists()
    else:
        service(exporter=exporter, actor=staff)
        exporter.refresh_from_db()
        assert exporter.verification_status == expected
        entry = audit_trail(exporter).get()
        assert (entry.actor, entry.from_status, entry.to_status) == (staff, start, expected)


def test_verify_records_who_and_when(staff, pending_exporter):
    exporter_verify(exporter=pending_exporter, actor=staff, note="Licence checked")

    pending_exporter.refresh_from_db()
    assert pending_exporter.verified_by == staff
    assert pending_exporter.verified_at is not None
    assert audit_trail(pending_exporter).get().note == "Licence checked"


def test_exporter_users_cannot_verify_their_own_company(alice, verified_exporter):
    exporter_pending = ExporterFactory()
    with pytest.raises(PermissionDenied):
        exporter_verify(exporter=exporter_pending, actor=alice)
    exporter_pending.refresh_from_db()
    assert exporter_pending.verification_status == V.PENDING


def test_suspending_hides_the_companys_products_from_buyers(staff, verified_exporter):
    product = ProductFactory(exporter=verified_exporter, published=True)
    assert list(Product.objects.published()) == [product]

    exporter_suspend(exporter=verified_exporter, actor=staff, reason="Licence expired")

    assert not Product.objects.published().exists()
