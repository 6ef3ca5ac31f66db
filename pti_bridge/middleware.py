"""The outermost middleware: what a failure looks like, whichever layer raised it.

Django turns an exception into a response at the layer that raised it (the debug page with
DJANGO_DEBUG on, whatever the address), so this middleware, first in MIDDLEWARE, learns of
the exception from Django's got_request_exception signal and answers instead:

- the database out of reach (PostgreSQL down, SQLite busy past its timeout): 503 with
  Retry-After, in the API's error shape under /api/, else a plain "try again in a minute"
  page; the connection is dropped so that the next request connects afresh;
- anything else under /api/ that is not JSON already (a bug, a 404 raised in a middleware):
  the API's error shape, with its status.
"""

import logging
import sys
from contextlib import suppress

from django.core.signals import got_request_exception
from django.db import connections
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pti_bridge.api.exceptions import error_body
from pti_bridge.api.negotiation import api_language
from pti_bridge.outage import database_unavailable, outage_log

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 60
_REQUEST_EXCEPTION = "_pti_exception"

# The error shape of a non-JSON answer under /api/, by status (DRF's own messages, translated).
_API_ERRORS = {
    403: ("permission_denied", gettext_lazy("You do not have permission to perform this action.")),
    404: ("not_found", gettext_lazy("Not found.")),
}
_CLIENT_ERROR = ("bad_request", gettext_lazy("Malformed request."))
_SERVER_ERROR = ("server_error", gettext_lazy("Something went wrong on our side; please try again later."))


def _remember_exception(sender, request=None, **kwargs) -> None:
    if request is not None:
        setattr(request, _REQUEST_EXCEPTION, sys.exc_info()[1])


got_request_exception.connect(_remember_exception, dispatch_uid="pti_bridge.middleware.remember_exception")


def _drop_connections() -> None:
    # A connection that saw the outage may be half-dead; the next request opens a new one.
    for connection in connections.all(initialized_only=True):
        with suppress(Exception):
            connection.close()


def _has_live_connection() -> bool:
    return any(connection.connection is not None for connection in connections.all(initialized_only=True))


def _api_json(body: dict, status: int) -> JsonResponse:
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False, "separators": (",", ":")})


def _page(template: str) -> str:
    try:
        return render_to_string(template)
    except Exception:  # e.g. no static files manifest: the 503 must not become a 500
        logger.exception("The page %s could not be rendered.", template)
        return "<!doctype html><title>PTI Bridge</title><p>" + _("Please try again in a minute.") + "</p>"


def unavailable_response(request) -> HttpResponse:
    """503 with Retry-After: the error shape under /api/, a plain page elsewhere (English on
    the portal, the admin's language in the admin)."""
    if request.path.startswith("/api/"):
        language = api_language(request)
        with translation.override(language):
            message = _("The service is briefly unavailable; please try again in a minute.")
        response = _api_json(error_body("service_unavailable", message), 503)
    else:
        admin = request.path.startswith("/admin/")
        language = translation.get_language_from_request(request) if admin else "en"
        with translation.override(language):
            html = _page("admin/unavailable.html" if admin else "portal/unavailable.html")
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Content-Language"] = language
    response["Cache-Control"] = "no-store"
    return response


def _api_error_response(request, response: HttpResponse) -> HttpResponse:
    status = response.status_code
    code, message = _API_ERRORS.get(status) or (_SERVER_ERROR if status >= 500 else _CLIENT_ERROR)
    language = api_language(request)
    with translation.override(language):
        answer = _api_json(error_body(code, message), status)
    answer["Content-Language"] = language
    for header in ("Allow", "Retry-After", "WWW-Authenticate"):
        if header in response:
            answer[header] = response[header]
    return answer


def _is_json(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


class ServiceErrorsMiddleware:
    """First in MIDDLEWARE: see the module's docstring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        exc = getattr(request, _REQUEST_EXCEPTION, None)
        if database_unavailable(exc):
            outage_log.down(exc)
            _drop_connections()
            answer = unavailable_response(request)
        elif request.path.startswith("/api/") and response.status_code >= 400 and not _is_json(response):
            answer = _api_error_response(request, response)
        else:
            if outage_log.active and response.status_code < 500 and _has_live_connection():
                outage_log.up()
            return response
        # Logged already where Django caught the exception (or, for an outage, once by outage_log).
        answer._has_been_logged = exc is not None or getattr(response, "_has_been_logged", False)
        return answer


class PortalInEnglishMiddleware:
    """The exporter portal is English whatever the browser asks for (the admin and the API
    follow Accept-Language): its forms' messages and the names of countries and categories."""

    PREFIX = "/portal/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(self.PREFIX):
            translation.activate("en")
            request.LANGUAGE_CODE = "en"
        return self.get_response(request)
