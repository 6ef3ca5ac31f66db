"""Bearer tokens for the Mini Program API: `Authorization: Bearer <token>`.

No header: anonymous (public reads stay public). A header with an unknown, expired or
revoked token: 401, and the Mini Program signs in again silently (docs/api.md).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission

from buyers.models import Buyer
from buyers.services import token_authenticate


class BuyerTokenAuthentication(BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Malformed Authorization header."))
        try:
            plain = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        token = token_authenticate(plain)
        if token is None:
            raise exceptions.AuthenticationFailed(_("The token is invalid or has expired. Please sign in again."))
        return token.buyer, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class IsBuyer(BasePermission):
    """Signed in as a buyer with a bearer token."""

    def has_permission(self, request, view):
        return isinstance(request.user, Buyer) and request.user.deleted_at is None


class BuyerTokenScheme(OpenApiAuthenticationExtension):
    """The bearer scheme in the OpenAPI schema (drf-spectacular finds it by the class path)."""

    target_class = "buyers.authentication.BuyerTokenAuthentication"
    name = "buyerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "The token from POST /api/v1/auth/wechat/; sliding expiry of about 30 days.",
        }
