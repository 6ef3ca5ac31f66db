"""The buyer's inquiries in the Mini Program API, and the buyer's data export.

Every inquiry is fetched through `get_inquiry_for_buyer`, so another buyer's inquiry is
a 404 exactly like one that does not exist.
"""

import re

from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from buyers.apis import BuyerApi
from buyers.services import buyer_export
from catalogue import selectors as catalogue_selectors
from catalogue.models import Product
from inquiries import services
from inquiries.models import Inquiry, Message, released_q
from inquiries.serializers import (
    BuyerMessageSerializer,
    InquiryCreateSerializer,
    InquiryListSerializer,
    InquirySerializer,
    MessageCreateSerializer,
    buyer_language,
)
from pti_bridge.api.pagination import PageNumberPagination
from pti_bridge.api.schema import error_responses

IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,64}$")  # printable ASCII, no spaces, at most 64


def _from_others(last_read) -> Q:
    """What others wrote for the buyer since `last_read`: the exporter's once released (translated
    or sent as written), PTI's messages to the buyer when written."""
    released = Q(author_role=Message.AuthorRole.EXPORTER) & released_q()
    return (released & (Q(created_at__gt=last_read) | Q(translated_at__gt=last_read))) | Q(
        author_role=Message.AuthorRole.STAFF,
        is_internal=False,
        addressed_to=Message.AuthorRole.BUYER,
        created_at__gt=last_read,
    )


def _product_cards():
    return Prefetch("product", queryset=catalogue_selectors.as_cards(Product.objects.all()))


def buyer_inquiries(buyer):
    """The buyer's inquiries with `unread` and `last_message_id`, newest activity first."""
    visible = Message.objects.visible_to_buyer().filter(inquiry=OuterRef("pk")).order_by("-created_at", "-id")
    # Unread: written, or first passed on to the buyer, since the buyer last opened the thread.
    last_read = Coalesce(OuterRef("buyer_read_at"), OuterRef("created_at"))
    unread = Message.objects.filter(_from_others(last_read), inquiry=OuterRef("pk"))
    return (
        Inquiry.objects.for_buyer(buyer)
        .annotate(last_message_id=Subquery(visible.values("id")[:1]), unread=Exists(unread))
        .prefetch_related(_product_cards())
        .order_by("-last_activity_at", "-id")
    )


def get_inquiry_for_buyer(buyer, pk) -> Inquiry:
    """The buyer's own inquiry `pk`, or Http404 (also for another buyer's)."""
    inquiry = Inquiry.objects.for_buyer(buyer).filter(pk=pk).prefetch_related(_product_cards()).first()
    if inquiry is None:
        raise Http404
    return inquiry


def inquiry_data(inquiry) -> dict:
    messages = list(inquiry.messages.visible_to_buyer().order_by("created_at", "id"))
    return InquirySerializer(inquiry, context={"messages": messages}).data


IDEMPOTENCY_PARAMETER = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "Up to 64 printable ASCII characters. The same key with the same body returns the first inquiry "
        "(201, header `Idempotent-Replayed: true`) and never creates a second; the same key with a different "
        "body is refused with 409 `idempotency_conflict`."
    ),
)


class InquiryListApi(BuyerApi):
    pagination_class = PageNumberPagination  # also what makes the schema declare the page envelope

    @extend_schema(
        tags=["inquiries"],
        summary="The buyer's inquiries, newest activity first",
        responses={200: InquiryListSerializer(many=True), **error_responses(401)},
    )
    def get(self, request):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(buyer_inquiries(request.user), request, view=self)
        last_messages = Message.objects.in_bulk(
            [inquiry.last_message_id for inquiry in page if inquiry.last_message_id]
        )
        data = InquiryListSerializer(page, many=True, context={"last_messages": last_messages}).data
        return paginator.get_paginated_response(data)

    @extend_schema(
        tags=["inquiries"],
        summary="Send an inquiry about a product",
        parameters=[IDEMPOTENCY_PARAMETER],
        request=InquiryCreateSerializer,
        responses={201: InquirySerializer, **error_responses(400, 401, 409, 503)},
        description=(
            "400 `content_rejected` when WeChat's content check refuses the message; 409 `consent_required` "
            "before the buyer consented to the current privacy policy; 409 `idempotency_conflict` for a reused key."
        ),
    )
    def post(self, request):
        key = request.headers.get("Idempotency-Key", "")
        if key and not IDEMPOTENCY_KEY.match(key):
            raise ValidationError({"Idempotency-Key": [_("At most 64 printable ASCII characters, no spaces.")]})
        serializer = InquiryCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        product = Product.objects.filter(pk=data["product"]).first()
        if product is None:
            raise ValidationError({"product": [_("This product is not available.")]})
        inquiry, created = services.inquiry_create(
            buyer=request.user,
            product=product,
            quantity=data["quantity"],
            unit=data["unit"],
            message=data["message"],
            target_price=data.get("target_price"),
            currency=data.get("currency", ""),
            destination=data.get("destination", ""),
            share_contact=data.get("share_contact", False),
            language=buyer_language(),
            idempotency_key=key,
        )
        inquiry = get_inquiry_for_buyer(request.user, inquiry.pk)
        response = Response(inquiry_data(inquiry), status=status.HTTP_201_CREATED)
        if not created:
            response["Idempotent-Replayed"] = "true"
        return response


@extend_schema(
    tags=["inquiries"],
    summary="One of the buyer's inquiries, with the messages the buyer may see",
    responses={200: InquirySerializer, **error_responses(401, 404)},
)
class InquiryDetailApi(BuyerApi):
    def get(self, request, pk):
        inquiry = get_inquiry_for_buyer(request.user, pk)
        services.inquiry_mark_read_by_buyer(inquiry=inquiry)
        return Response(inquiry_data(inquiry))


@extend_schema(
    tags=["inquiries"],
    summary="Write in an inquiry's thread",
    request=MessageCreateSerializer,
    responses={201: BuyerMessageSerializer, **error_responses(400, 401, 404, 409, 503)},
    description="409 `inquiry_closed` when the inquiry is closed (won, lost or spam); 400 `content_rejected`.",
)
class InquiryMessageApi(BuyerApi):
    def post(self, request, pk):
        inquiry = get_inquiry_for_buyer(request.user, pk)
        serializer = MessageCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        message = services.message_post_by_buyer(
            buyer=request.user, inquiry=inquiry, text=serializer.validated_data["text"], language=buyer_language()
        )
        return Response(BuyerMessageSerializer(message).data, status=status.HTTP_201_CREATED)


def export_inquiries(buyer) -> list[dict]:
    """Every inquiry of the buyer, with every message they wrote (in review too) and the
    others' messages they may read."""
    inquiries = (
        Inquiry.objects.for_buyer(buyer)
        .order_by("created_at", "id")
        .prefetch_related(
            Prefetch(
                "messages",
                # The exporter's words are the buyer's to keep once PTI passed them on, not before.
                queryset=Message.objects.visible_to_buyer()
                .exclude(Q(author_role=Message.AuthorRole.EXPORTER) & ~released_q())
                .order_by("created_at", "id"),
            )
        )
    )
    return [
        {
            "id": inquiry.pk,
            "product": inquiry.product_id,
            "status": inquiry.status,
            "quantity": str(inquiry.quantity),
            "unit": inquiry.unit,
            "target_price": str(inquiry.target_price) if inquiry.target_price is not None else None,
            "currency": inquiry.currency,
            "destination": inquiry.destination,
            "share_contact": inquiry.share_contact,
            "created_at": inquiry.created_at.isoformat(),
            "messages": [
                {
                    "author": message.author_role,
                    "text": message.text,
                    "translation": message.translation,
                    "language": message.language,
                    "screening": message.screening if message.author_role == Message.AuthorRole.BUYER else "",
                    "created_at": message.created_at.isoformat(),
                }
                for message in inquiry.messages.all()
            ],
        }
        for inquiry in inquiries
    ]


@extend_schema(
    tags=["buyers"],
    summary="Everything stored about the buyer",
    responses={200: dict, **error_responses(401)},
    description=(
        "Profile, sign-ins, favourites, inquiries and messages. WeChat's openid and unionid are stored "
        "but never shown; session_key is never stored."
    ),
)
class MyDataApi(BuyerApi):
    def get(self, request):
        return Response({**buyer_export(buyer=request.user), "inquiries": export_inquiries(request.user)})
