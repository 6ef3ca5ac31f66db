"""Inquiries as the buyer sees them in the Mini Program."""

from decimal import Decimal

from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from catalogue.models import Currency, Unit
from catalogue.serializers import ProductCardSerializer
from inquiries.models import Inquiry, Message


def buyer_language() -> str:
    return Message.Language.EN if (get_language() or "").startswith("en") else Message.Language.ZH_HANS


class BuyerMessageSerializer(serializers.ModelSerializer):
    """A message as the buyer reads it: others' messages in the buyer's language, with
    the staff translation where there is one (`translated: true`). The exporter's words
    appear once staff translated or passed them on; until then a placeholder says PTI is
    translating the answer (`awaiting_translation: true`)."""

    author = serializers.CharField(source="author_role", help_text="buyer, exporter or staff.")
    text = serializers.SerializerMethodField()
    language = serializers.SerializerMethodField(help_text="The language of `text`.")
    translated = serializers.SerializerMethodField(help_text="True when `text` is PTI's translation.")
    in_review = serializers.SerializerMethodField(
        help_text="The buyer's own message waits for PTI's review before the exporter sees it."
    )
    awaiting_translation = serializers.SerializerMethodField(
        help_text=(
            "The exporter answered and PTI is translating the answer: `text` is a placeholder saying so, "
            "in the buyer's language; the answer replaces it once translated."
        )
    )

    class Meta:
        model = Message
        fields = ["id", "author", "text", "language", "translated", "in_review", "awaiting_translation", "created_at"]

    def _use_translation(self, message) -> bool:
        return (
            message.author_role != Message.AuthorRole.BUYER
            and message.language != buyer_language()
            and bool(message.translation)
        )

    def get_awaiting_translation(self, message) -> bool:
        return message.author_role == Message.AuthorRole.EXPORTER and not message.is_released

    def get_text(self, message) -> str:
        if self.get_awaiting_translation(message):
            return gettext("The exporter has answered. PTI is translating the answer for you.")
        return message.translation if self._use_translation(message) else message.text

    def get_language(self, message) -> str:
        if self.get_awaiting_translation(message) or self._use_translation(message):
            return buyer_language()
        return message.language

    def get_translated(self, message) -> bool:
        return self._use_translation(message)

    def get_in_review(self, message) -> bool:
        return message.author_role == Message.AuthorRole.BUYER and message.screening == Message.Screening.REVIEW


class InquiryListSerializer(serializers.ModelSerializer):
    product = ProductCardSerializer()
    last_message = serializers.SerializerMethodField()
    unread = serializers.BooleanField(help_text="The exporter or PTI wrote since the buyer last opened it.")

    class Meta:
        model = Inquiry
        fields = ["id", "status", "product", "last_message", "unread", "created_at", "last_activity_at"]

    def get_last_message(self, inquiry) -> BuyerMessageSerializer(allow_null=True):
        message = self.context["last_messages"].get(inquiry.last_message_id)
        return BuyerMessageSerializer(message).data if message else None


class InquirySerializer(serializers.ModelSerializer):
    """`<inquiry>` with the messages the buyer may see."""

    product = ProductCardSerializer()
    messages = serializers.SerializerMethodField()

    class Meta:
        model = Inquiry
        fields = [
            "id",
            "status",
            "product",
            "quantity",
            "unit",
            "target_price",
            "currency",
            "destination",
            "share_contact",
            "created_at",
            "last_activity_at",
            "messages",
        ]

    def get_messages(self, inquiry) -> BuyerMessageSerializer(many=True):
        return BuyerMessageSerializer(self.context["messages"], many=True).data


class InquiryCreateSerializer(serializers.Serializer):
    product = serializers.IntegerField(min_value=1)
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    unit = serializers.ChoiceField(choices=Unit.choices)
    message = serializers.CharField(max_length=2000)
    target_price = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal("0"), required=False, allow_null=True
    )
    currency = serializers.ChoiceField(choices=Currency.choices, required=False, allow_blank=True, default="")
    destination = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    share_contact = serializers.BooleanField(
        required=False, default=False, help_text="The buyer agrees that the exporter sees their contact details."
    )

    def validate(self, data):
        if data.get("target_price") is not None and not data.get("currency"):
            raise serializers.ValidationError({"currency": [_("Give the currency of the target price.")]})
        return data


class MessageCreateSerializer(serializers.Serializer):
    # min_length declares in the schema what allow_blank=False enforces (schemathesis sent "").
    text = serializers.CharField(min_length=1, max_length=2000)
