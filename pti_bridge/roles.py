"""The staff role of the back office, as a Django group with the permissions it needs."""

from django.contrib.auth.models import Group, Permission

STAFF_GROUP_NAME = "PTI staff"
BACK_OFFICE_APPS = ("pti_bridge", "exporters", "catalogue", "buyers", "inquiries", "glossary")


def ensure_staff_group() -> Group:
    """Create or refresh the "PTI staff" group: every permission of the back-office apps."""
    group, _created = Group.objects.get_or_create(name=STAFF_GROUP_NAME)
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=BACK_OFFICE_APPS))
    return group
