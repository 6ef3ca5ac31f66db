"""The Content-Security-Policy header (django-csp), on every page but the Mini Program's API.

The policy itself is CONTENT_SECURITY_POLICY in settings. The API's JSON answers are read by
the Mini Program, never rendered by a browser (and carry nosniff), so the header would only
cost time on the busiest addresses; the API docs page (/api/docs/) does get it.
"""

from csp.middleware import CSPMiddleware

API_PREFIX = "/api/v1/"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def process_request(self, request):
        if not request.path_info.startswith(API_PREFIX):
            super().process_request(request)

    def process_response(self, request, response):
        if request.path_info.startswith(API_PREFIX):
            return response
        return super().process_response(request, response)
