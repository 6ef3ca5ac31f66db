"""Every change to an exporting company goes through these functions."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exporters.models import Exporter
from pti_bridge.audit import audit_record
from pti_bridge.errors import InvalidTransition
from pti_bridge.permissions import require_staff

Status = Exporter.VerificationStatus


def _change_verification(*, exporter: Exporter, actor, to_status: str, allowed_from: set[str], action: str, note: str) -> Exporter:
    require_staff(actor)
    with transaction.atomic():
        exporter = Exporter.objects.select_for_update().get(pk=exporter.pk)
        from_status = exporter.verification_status
        if from_status not in allowed_from:
            raise InvalidTransition(
                _("%(name)s is already %(status)s.")
                % {"name": exporter.name, "status": exporter.get_verification_status_display().lower()}
            )
        exporter.verification_status = to_status
        if to_status == Status.VERIFIED:
            exporter.verified_at = timezone.now()
            exporter.verified_by = actor
        exporter.full_clean()
        exporter.save()
        audit_record(obj=exporter, action=action, actor=actor, from_status=from_status, to_status=to_status, note=note)
    return exporter


def exporter_verify(*, exporter: Exporter, actor, note: str = "") -> Exporter:
    """Staff vouch for a pending (or reinstate a suspended) company; its products may then be published."""
    return _change_verification(
        exporter=exporter,
        actor=actor,
        to_status=Status.VERIFIED,
        allowed_from={Status.PENDING, Status.SUSPENDED},
        action="verify",
        note=note,
    )


def exporter_suspend(*, exporter: Exporter, actor, reason: str = "") -> Exporter:
    """Staff suspend a company: its products disappear from the catalogue at once."""
    return _change_verification(
        exporter=exporter,
        actor=actor,
        to_status=Status.SUSPENDED,
        allowed_from={Status.PENDING, Status.VERIFIED},
        action="suspend",
        note=reason,
    )
