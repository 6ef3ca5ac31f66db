from rest_framework import exceptions
from rest_framework.views import APIView


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
