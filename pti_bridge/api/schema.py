"""OpenAPI pieces every endpoint uses: the error shape and its documented responses."""

from drf_spectacular.utils import OpenApiExample, OpenApiResponse
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
