"""Who may act: small checks the services share."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def require_staff(actor) -> None:
    """Refuse anyone but active PTI staff."""
    if actor is None or not actor.is_active or not actor.is_staff:
        raise PermissionDenied(_("Only PTI staff may do this."))
