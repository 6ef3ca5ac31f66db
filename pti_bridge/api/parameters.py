"""Fields and helpers for an API view's query parameters."""

from django.core.validators import ProhibitNullCharactersValidator
from django.utils.text import format_lazy
from rest_framework import serializers
from rest_framework.utils.formatting import lazy_format


class QueryTextField(serializers.CharField):
    """A free-text query parameter: NUL characters (which no text holds and PostgreSQL
    refuses) are dropped rather than refused."""

    def __init__(self, **kwargs):
        super().__init__(required=False, allow_blank=True, **kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]

    def to_internal_value(self, data):
        return super().to_internal_value(str(data).replace("\x00", ""))


def reusable(serializer: serializers.Serializer) -> serializers.Serializer:
    """`serializer` made fit to validate every request's parameters (one instance per view,
    see ProductListApi). DRF words a field's limit ("no more than 100 characters") with its
    lazy_format, which keeps the text of its first use: a shared field would answer every
    later request in the first one's language. Django's format_lazy words it each time."""
    for field in serializer.fields.values():
        for validator in field.validators:
            message = getattr(validator, "message", None)
            if isinstance(message, lazy_format) and message.format_string is not None:
                validator.message = format_lazy(message.format_string, *message.args, **message.kwargs)
    return serializer
