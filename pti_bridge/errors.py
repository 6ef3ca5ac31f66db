"""The few typed domain errors every door renders its own way.

A service raises one of these (or Django's ValidationError for field errors);
the API turns it into the one JSON error shape, the admin into a message, the
portal into a form error.
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A refused action: a machine code, a human message and an HTTP status."""

    code = "refused"
    status_code = 400
    default_message = _("This action is not allowed.")

    def __init__(self, message=None, *, code: str | None = None):
        self.message = message if message is not None else self.default_message
        if code is not None:
            self.code = code
        super().__init__(str(self.message))


class InvalidTransition(DomainError):
    """The object's current state forbids the action (409 in the API)."""

    code = "invalid_state"
    status_code = 409
    default_message = _("This action is not possible in the current state.")


class RuleViolation(DomainError):
    """A business rule refuses the action, e.g. publishing without Chinese text."""

    code = "rule_violation"
    status_code = 409
