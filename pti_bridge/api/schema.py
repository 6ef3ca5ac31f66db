"""OpenAPI pieces every endpoint uses: the error shape, its documented responses, the
language header (DEFAULT_SCHEMA_CLASS is this module's AutoSchema)."""

from django.core.validators import RegexValidator
from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework import serializers


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="A machine code: not_found, invalid, throttled, ...")
    message = serializers.CharField(help_text="Human text in the request's language.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Validation errors by field (only for validation errors).",
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


ERROR_DESCRIPTIONS = {
    400: "Invalid input (`invalid`, with `fields`).",
    401: "Not signed in or the token expired (`not_authenticated`, `authentication_failed`).",
    403: "Not allowed (`permission_denied`).",
    404: "Not found, or not yours to see (`not_found`).",
    405: "Method not allowed (`method_not_allowed`).",
    409: "The object's state forbids the action.",
    413: "Upload too large (`too_large`).",
    415: "Unsupported media type (`unsupported_media_type`).",
    429: "Throttled (`throttled`); `Retry-After` says when to try again.",
    503: "WeChat or another upstream service unavailable.",
}


def error_responses(*statuses: int) -> dict:
    """`responses=` entries for extend_schema: {404: OpenApiResponse(ErrorSerializer, ...)}."""
    return {
        status: OpenApiResponse(
            ErrorSerializer,
            description=ERROR_DESCRIPTIONS[status],
            examples=[
                OpenApiExample(
                    f"error {status}",
                    value={"error": {"code": "not_found" if status == 404 else "invalid", "message": "..."}},
                    status_codes=[str(status)],
                )
            ]
            if status in (400, 404)
            else None,
        )
        for status in statuses
    }


# Read as a browser's header (pti_bridge.api.negotiation.api_language), not refused when
# it names another language: WeChat sends its own forms (zh_CN, "zh-CN,zh;q=0.9,en;q=0.8").
LANGUAGE_PARAMETER = OpenApiParameter(
    "Accept-Language",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "The answer's language, text fields and error messages alike: `en`, or `zh-hans` (the default; "
        "also for `zh`, `zh-CN` and any language the API does not speak). A standard Accept-Language "
        "value with q-weights is read in order."
    ),
)


NO_NUL = "^[^\\u0000]*$"


class AutoSchema(openapi.AutoSchema):
    """Every operation declares the language header and the errors any such operation can
    answer whatever its view says: a throttle's 429; a body's 400 (unreadable), 413 and 415;
    a page's 400 (bad number) and 404 (past the end)."""

    def get_override_parameters(self):
        return [LANGUAGE_PARAMETER, *super().get_override_parameters()]

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        # DRF refuses a NUL in any text it reads (PostgreSQL cannot store one): say so.
        if (
            direction == "request"
            and isinstance(field, serializers.CharField)
            and schema.get("type") == "string"
            and not {"pattern", "format", "enum"} & set(schema)
            and not any(isinstance(validator, RegexValidator) for validator in field.validators)
        ):
            schema["pattern"] = NO_NUL
        return schema

    def _implied_errors(self) -> list[int]:
        statuses = [429] if self.view.get_throttles() else []
        if self.method in ("POST", "PUT", "PATCH") and self.get_request_serializer() is not None:
            statuses += [400, 413, 415]
        if self.method == "GET" and self._is_list_view() and self._get_paginator() is not None:
            statuses += [400, 404]
        return statuses

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for status, response in error_responses(*self._implied_errors()).items():
            if str(status) not in responses:
                responses[str(status)] = self._get_response_for_code(response, str(status), direction=direction)
        return dict(sorted(responses.items()))

    def get_paginated_name(self, serializer_name: str) -> str:
        # A paginator with fields of its own (did_you_mean) names its own envelope.
        own = getattr(self._get_paginator(), "envelope_name", None)
        return own or super().get_paginated_name(serializer_name)
