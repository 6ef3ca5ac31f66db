"""The buyer's side of the Mini Program API: sign-in, the account, favourites, share codes.

Thin views: a serializer validates, a service in buyers/services.py acts. A buyer only
ever reaches their own account and favourites: there is no buyer id in any URL.
"""

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from buyers import services
from buyers.authentication import IsBuyer
from buyers.models import Buyer, Favourite
from buyers.serializers import (
    AppConfigSerializer,
    BuyerSerializer,
    ConsentSerializer,
    PhoneSerializer,
    PrivacyPolicySerializer,
    ProfileFormSerializer,
    ProfileJsonSerializer,
    ProfileUpdateSerializer,
    SignInResultSerializer,
    SignInSerializer,
)
from catalogue import selectors as catalogue_selectors
from catalogue.models import Product
from catalogue.serializers import ProductCardSerializer
from pti_bridge.api.exceptions import PayloadTooLarge
from pti_bridge.api.negotiation import is_chinese_language
from pti_bridge.api.pagination import PageNumberPagination
from pti_bridge.api.parsers import JSONParser, MultiPartParser
from pti_bridge.api.schema import error_responses
from pti_bridge.wechat import gateway


def buyer_data(buyer) -> dict:
    return BuyerSerializer(buyer, context={"owner": True, "policy": services.current_policy()}).data


class BuyerApi(APIView):
    """Views for a signed-in buyer."""

    permission_classes = [IsBuyer]


@extend_schema(
    tags=["buyers"],
    summary="Sign in with a wx.login() code",
    request=SignInSerializer,
    responses={200: SignInResultSerializer, **error_responses(400, 403, 429, 503)},
    description=(
        "Creates the account on first sign-in. 400 `wechat_invalid_code` for a bad, used or expired code; "
        "403 `wechat_blocked` when WeChat refuses the user; 503 `wechat_unavailable` when WeChat is busy or down."
    ),
)
class SignInApi(APIView):
    authentication_classes = []  # an old token sent along must not stop a fresh sign-in
    permission_classes = [AllowAny]

    def post(self, request):
        serializer = SignInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        buyer, plain, token, created = services.buyer_sign_in(code=serializer.validated_data["code"])
        return Response(
            {"token": plain, "expires_at": token.expires_at, "buyer": buyer_data(buyer), "created": created}
        )


class MeApi(BuyerApi):
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(
        tags=["buyers"], summary="The signed-in buyer", responses={200: BuyerSerializer, **error_responses(401)}
    )
    def get(self, request):
        return Response(buyer_data(request.user))

    @extend_schema(
        tags=["buyers"],
        summary="Change display name, company or avatar",
        request={"multipart/form-data": ProfileFormSerializer, "application/json": ProfileJsonSerializer},
        responses={200: BuyerSerializer, **error_responses(400, 401, 413, 503)},
        description=(
            "Names pass WeChat's content check (400 `content_rejected`); the avatar is re-encoded without "
            "metadata. `avatar: null` (JSON) or an empty `avatar` (multipart) removes the avatar."
        ),
    )
    def patch(self, request):
        serializer = ProfileUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            buyer = services.buyer_update_profile(
                buyer=request.user,
                display_name=data.get("display_name"),
                company=data.get("company"),
                avatar=data.get("avatar"),
                remove_avatar="avatar" in data and data["avatar"] is None,
            )
        except DjangoValidationError as error:
            if hasattr(error, "error_dict"):
                raise
            if getattr(error, "code", None) == "file_too_large":
                raise PayloadTooLarge(error.messages[0]) from error
            raise exceptions.ValidationError({"avatar": error.messages}) from error
        return Response(buyer_data(buyer))

    @extend_schema(
        tags=["buyers"],
        summary="Delete the account",
        responses={204: None, **error_responses(401)},
        description="Erases the buyer's personal data and signs out everywhere; inquiries stay, anonymised.",
    )
    def delete(self, request):
        services.buyer_delete(buyer=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(
    tags=["buyers"],
    summary="Bind the phone number from the getPhoneNumber button",
    request=PhoneSerializer,
    responses={200: BuyerSerializer, **error_responses(400, 401, 503)},
)
class PhoneApi(BuyerApi):
    def post(self, request):
        serializer = PhoneSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        buyer = services.buyer_bind_phone(buyer=request.user, code=serializer.validated_data["code"])
        return Response(buyer_data(buyer))


@extend_schema(
    tags=["buyers"],
    summary="Consent to the current privacy policy",
    request=ConsentSerializer,
    responses={200: BuyerSerializer, **error_responses(400, 401)},
)
class ConsentApi(BuyerApi):
    def post(self, request):
        serializer = ConsentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        buyer = services.buyer_consent(buyer=request.user, policy_version=serializer.validated_data["policy_version"])
        return Response(buyer_data(buyer))


@extend_schema(
    tags=["buyers"],
    summary="The current privacy policy, in the request's language",
    responses={200: PrivacyPolicySerializer, **error_responses(404)},
)
class PrivacyPolicyApi(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    def get(self, request):
        policy = services.current_policy()
        if policy is None:
            raise Http404
        return Response(PrivacyPolicySerializer(policy).data)


@extend_schema(
    tags=["buyers"],
    summary="What the Mini Program needs before a buyer signs in",
    responses={200: AppConfigSerializer, **error_responses(429)},
)
class AppConfigApi(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    def get(self, request):
        chinese = is_chinese_language(request.LANGUAGE_CODE)
        return Response(AppConfigSerializer(services.app_config(chinese=chinese)).data)


def _visible_product(pk) -> Product:
    product = catalogue_selectors.visible_products().filter(pk=pk).first()
    if product is None:
        raise Http404
    return product


@extend_schema(
    tags=["buyers"],
    summary="The buyer's favourite products, newest first",
    responses={200: ProductCardSerializer(many=True), **error_responses(401)},
)
class FavouriteListApi(BuyerApi):
    pagination_class = PageNumberPagination  # also what makes the schema declare the page envelope

    def get(self, request):
        products = catalogue_selectors.as_cards(
            catalogue_selectors.visible_products().filter(favourites__buyer=request.user)
        ).order_by("-favourites__created_at", "-favourites__id")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(products, request, view=self)
        return paginator.get_paginated_response(ProductCardSerializer(page, many=True).data)


class FavouriteApi(BuyerApi):
    @extend_schema(
        tags=["buyers"],
        summary="Add a favourite (idempotent)",
        request=None,
        responses={204: None, **error_responses(401, 404)},
    )
    def put(self, request, product_id):
        services.favourite_add(buyer=request.user, product=_visible_product(product_id))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        tags=["buyers"], summary="Remove a favourite (idempotent)", responses={204: None, **error_responses(401, 404)}
    )
    def delete(self, request, product_id):
        product = Product.objects.filter(pk=product_id).first()
        if product is None:
            raise Http404
        services.favourite_remove(buyer=request.user, product=product)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(
    tags=["catalogue"],
    summary="The Mini Program code that opens this product (PNG)",
    responses={(200, "image/png"): OpenApiResponse(OpenApiTypes.BINARY), **error_responses(404, 503)},
    description="Made once through WeChat (getwxacodeunlimit, scene `p=<id>`) and kept in storage.",
)
class ShareCodeApi(APIView):
    permission_classes = [AllowAny]

    def get(self, request, pk):
        share_code = services.share_code_get(product=_visible_product(pk))
        with default_storage.open(share_code.image.name, "rb") as handle:
            data = handle.read()
        response = HttpResponse(data, content_type="image/png")
        response["Cache-Control"] = "public, max-age=86400"
        return response


@extend_schema(exclude=True)  # WeChat's door, not the Mini Program's
class WeChatPushApi(APIView):
    """WeChat's message push (console: 开发管理 > 消息推送, plaintext mode, JSON or XML).

    GET is the console's URL check: it echoes `echostr` when the signature is right.
    POST carries events; `wxa_media_check` gives the verdict on an avatar. Every call is
    signed: `signature = sha1(sorted(WECHAT_PUSH_TOKEN, timestamp, nonce))`; a bad one is
    refused with 403 and changes nothing. WeChat wants "success" (or an empty body) back;
    an event we do not handle is acknowledged and ignored.
    """

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    def _verify(self, request):
        query = request.query_params
        if not gateway.push_signature_valid(
            token=settings.WECHAT_PUSH_TOKEN,
            signature=query.get("signature", ""),
            timestamp=query.get("timestamp", ""),
            nonce=query.get("nonce", ""),
        ):
            raise exceptions.PermissionDenied(_("Bad push signature."))

    def get(self, request):
        self._verify(request)
        response = HttpResponse(request.query_params.get("echostr", ""), content_type="text/plain")
        response["Cache-Control"] = "no-store"
        return response

    def post(self, request):
        self._verify(request)
        event = gateway.parse_push(request.body)
        if event is None:
            raise exceptions.ParseError(_("The push body is neither JSON nor XML."))
        verdict = gateway.parse_media_check_push(event)
        if verdict is not None:
            try:
                services.avatar_check_verdict(verdict=verdict)
            except services.AvatarCheckNotYetKnown:
                # Our submission's trace id is being stored right now: WeChat retries the push.
                return HttpResponse("retry", status=503, content_type="text/plain")
        return HttpResponse("success", content_type="text/plain")


def is_favourite_fields(request, product_id: int) -> dict:
    """`is_favourite` on the product page, for a signed-in buyer (catalogue.apis hook)."""
    if not isinstance(request.user, Buyer):
        return {}
    return {"is_favourite": Favourite.objects.filter(buyer=request.user, product_id=product_id).exists()}
