"""One error shape for every API answer that is not a success.

    {"error": {"code": "<machine_code>", "message": "<human text>", "fields": {"<field>": ["..."]}}}

`fields` is present only for validation errors. Whatever raised the error (DRF,
Django's Http404 / PermissionDenied / ValidationError, a service's DomainError, a body
too large), the client gets this shape with the right status code.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings

from pti_bridge.errors import DomainError

GENERIC_CODES = {"invalid", "required", "null", "blank"}


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The request body is too large.")
    default_code = "too_large"


def error_body(code: str, message, fields: dict | None = None) -> dict:
    error = {"code": code, "message": force_str(message)}
    if fields is not None:
        error["fields"] = fields
    return {"error": error}


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """{"price": {"min": ["..."]}} -> {"price.min": ["..."]}; lists of dicts get their index."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            out.update(_flatten(value, name))
    elif isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        for index, value in enumerate(detail):
            out.update(_flatten(value, f"{prefix}.{index}" if prefix else str(index)))
    elif isinstance(detail, list):
        out.setdefault(prefix or api_settings.NON_FIELD_ERRORS_KEY, []).extend(force_str(item) for item in detail)
    else:
        out.setdefault(prefix or api_settings.NON_FIELD_ERRORS_KEY, []).append(force_str(detail))
    return out


def _first_code(detail) -> str | None:
    if isinstance(detail, dict):
        detail = next(iter(detail.values()), None)
    if isinstance(detail, list):
        detail = detail[0] if detail else None
    return getattr(detail, "code", None)


def _validation_response(exc: exceptions.ValidationError) -> Response:
    detail = exc.detail
    non_field_key = api_settings.NON_FIELD_ERRORS_KEY
    fields = _flatten(detail)
    general = fields.pop(non_field_key, [])
    # A named refusal (e.g. "content_rejected") keeps its code; plain field errors are "invalid".
    code = _first_code(detail.get(non_field_key) if isinstance(detail, dict) else detail)
    if not code or code in GENERIC_CODES:
        code = "invalid"
    if general:
        message = " ".join(general)
    elif len(fields) == 1:
        name, messages = next(iter(fields.items()))
        message = f"{name}: {messages[0]}"
    else:
        message = _("Some fields are not valid: %(names)s.") % {"names": ", ".join(fields)}
    return Response(error_body(code, message, fields), status=exc.status_code)


def _from_django(exc):
    """Django's own exceptions as their DRF equivalents (DRF's handler ignores ValidationError)."""
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(*([str(exc)] if str(exc) else []))
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {
                (api_settings.NON_FIELD_ERRORS_KEY if key == "__all__" else key): [
                    exceptions.ErrorDetail(force_str(m), code=e.code or "invalid") for e in errors for m in e.messages
                ]
                for key, errors in exc.error_dict.items()
            }
        else:
            detail = [
                exceptions.ErrorDetail(force_str(m), code=e.code or "invalid")
                for e in exc.error_list
                for m in e.messages
            ]
        return exceptions.ValidationError(detail)
    if isinstance(exc, RequestDataTooBig):
        return PayloadTooLarge()
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        # Django's SuspiciousOperation: left alone, an HTML "Bad Request (400)" page.
        return exceptions.ParseError(_("The form has too many fields or files."), code="too_many_fields")
    return exc


def exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: every known error in the one shape; anything else is a bug (500)."""
    if isinstance(exc, DomainError):
        return Response(error_body(exc.code, exc.message), status=exc.status_code)
    exc = _from_django(exc)
    if not isinstance(exc, exceptions.APIException):
        return None
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    if isinstance(exc, exceptions.ValidationError):
        response = _validation_response(exc)
    else:
        code = getattr(exc.detail, "code", None) or exc.default_code
        response = Response(error_body(code, exc.detail), status=exc.status_code)
    for name, value in headers.items():
        response[name] = value
    if context.get("view") is not None and isinstance(exc, exceptions.MethodNotAllowed):
        response["Allow"] = ", ".join(context["view"].allowed_methods)
    return response
