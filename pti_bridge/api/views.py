from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions
from rest_framework.views import APIView

from pti_bridge.api.exceptions import error_body
from pti_bridge.api.negotiation import api_language


class ApiNotFound(APIView):
    """Any /api/ address nothing else answers: a JSON 404 in the one error shape, whatever the method."""

    authentication_classes = []
    schema = None

    def dispatch(self, request, *args, **kwargs):
        self.args, self.kwargs, self.request = args, kwargs, self.initialize_request(request, *args, **kwargs)
        self.headers = self.default_response_headers
        try:
            self.initial(self.request, *args, **kwargs)
            raise exceptions.NotFound()
        except Exception as exc:
            response = self.handle_exception(exc)
        self.response = self.finalize_response(self.request, response, *args, **kwargs)
        return self.response


def server_error(request, *args, **kwargs):
    """handler500: a bug behind an /api/ address still answers in the one error shape."""
    if request.path.startswith("/api/"):
        from django.utils import translation

        with translation.override(api_language(request)):
            body = error_body("server_error", _("Something went wrong on our side; please try again later."))
        return JsonResponse(body, status=500, json_dumps_params={"ensure_ascii": False, "separators": (",", ":")})
    return defaults.server_error(request, *args, **kwargs)
