"""Record who changed what, for the audit trail staff read in the admin."""

from django.contrib.contenttypes.models import ContentType

from pti_bridge.models import AuditEntry


def audit_record(
    *, obj, action: str, actor=None, from_status: str = "", to_status: str = "", note: str = ""
) -> AuditEntry:
    """Write one audit row for `obj`. Call it inside the service's transaction."""
    return AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )


def audit_trail(obj):
    """The audit rows of one object, newest first."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True), object_id=str(obj.pk)
    ).select_related("actor")
