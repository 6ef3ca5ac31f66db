"""The buyer as the Mini Program sees it. WeChat's openid, unionid and session_key are never fields."""

from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from buyers.models import AvatarCheck, Buyer, PrivacyPolicy
from catalogue.serializers import ImageSerializer
from pti_bridge.api.negotiation import is_chinese_language
from pti_bridge.storage import public_url


def mask_phone(phone: str) -> str:
    """ "13812345678" -> "138****5678": enough to recognise, not to call."""
    if len(phone) <= 4:
        return "*" * len(phone)
    keep = 3 if len(phone) >= 11 else 2
    return phone[:keep] + "*" * (len(phone) - keep - 4) + phone[-4:]


class BuyerSerializer(serializers.ModelSerializer):
    """`<buyer>`. The phone is whole for its owner (context `owner=True`), masked otherwise;
    others see the avatar only once WeChat's media check passed it, its owner at once."""

    avatar = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    consent_current = serializers.SerializerMethodField(
        help_text="True when the buyer consented to the current privacy policy (needed for inquiries)."
    )

    class Meta:
        model = Buyer
        fields = [
            "id",
            "display_name",
            "avatar",
            "company",
            "phone",
            "consented_policy_version",
            "consent_current",
            "created_at",
        ]
        read_only_fields = fields

    def get_avatar(self, buyer) -> ImageSerializer(allow_null=True):
        if not buyer.avatar:
            return None
        if not self.context.get("owner") and buyer.avatar_check != AvatarCheck.PASS:
            return None  # others see an avatar only once WeChat's check passed it
        return {
            "url": public_url(buyer.avatar.name, absolute=True),
            "width": buyer.avatar_width,
            "height": buyer.avatar_height,
        }

    def get_phone(self, buyer) -> str:
        if self.context.get("owner"):
            return buyer.full_phone
        return mask_phone(buyer.full_phone)

    def get_consent_current(self, buyer) -> bool:
        policy = self.context.get("policy")
        return policy is not None and buyer.consented_policy_version == policy.version


class SignInSerializer(serializers.Serializer):
    # min_length declares in the schema what allow_blank=False enforces (schemathesis sent "").
    code = serializers.CharField(min_length=1, max_length=128, help_text="The code from wx.login().")


class SignInResultSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Bearer <token>`.")
    expires_at = serializers.DateTimeField(help_text="Pushed on each time the token is used (sliding).")
    buyer = BuyerSerializer()
    created = serializers.BooleanField(help_text="True when this sign-in created the account.")


class AvatarField(serializers.FileField):
    """An uploaded image (multipart), or null or "" to remove the avatar."""

    def __init__(self, **kwargs):
        super().__init__(**{"required": False, "allow_null": True, **kwargs})

    def validate_empty_values(self, data):
        return super().validate_empty_values(None if data == "" else data)


class ProfileUpdateSerializer(serializers.Serializer):
    """PATCH /me/: what is given changes; `avatar` null or empty removes the avatar."""

    display_name = serializers.CharField(max_length=64, required=False, allow_blank=True)
    company = serializers.CharField(max_length=200, required=False, allow_blank=True)
    avatar = AvatarField()


# Schema only: the avatar as each body PATCH /me/ reads can carry it.


@extend_schema_field(
    {"type": "string", "format": "binary", "description": "JPEG, PNG or WebP; an empty value removes the avatar."}
)
class AvatarUploadField(AvatarField):
    pass


@extend_schema_field(
    {
        "type": "string",
        "nullable": True,
        "maxLength": 0,
        "description": 'null or "" removes the avatar (an upload is multipart).',
    }
)
class AvatarRemovalField(AvatarField):
    pass


class ProfileFormSerializer(ProfileUpdateSerializer):
    avatar = AvatarUploadField(allow_null=False)  # a form has no null: its empty value removes


class ProfileJsonSerializer(ProfileUpdateSerializer):
    avatar = AvatarRemovalField()


class PhoneSerializer(serializers.Serializer):
    code = serializers.CharField(min_length=1, max_length=128, help_text="The code from the getPhoneNumber button.")


class ConsentSerializer(serializers.Serializer):
    policy_version = serializers.CharField(max_length=20)


class PrivacyPolicySerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()
    text = serializers.SerializerMethodField()

    class Meta:
        model = PrivacyPolicy
        fields = ["version", "title", "text", "updated_at"]

    @staticmethod
    def _chinese() -> bool:
        return is_chinese_language(get_language())

    def get_title(self, policy) -> str:
        return policy.title_zh_hans if self._chinese() else policy.title_en

    def get_text(self, policy) -> str:
        return policy.text_zh_hans if self._chinese() else policy.text_en


class SupportSerializer(serializers.Serializer):
    email = serializers.CharField(help_text="PTI's support e-mail address (empty: none to show).")
    phone = serializers.CharField(help_text="PTI's support phone number (empty: none to show).")
    hours = serializers.CharField(help_text="When support answers, in the request's language.")


class AppConfigSerializer(serializers.Serializer):
    subscribe_templates = serializers.DictField(
        child=serializers.CharField(),
        help_text="WeChat subscribe-message template ids by purpose (`inquiry_reply`, `inquiry_status`), "
        "for wx.requestSubscribeMessage; only the purposes configured on the server appear.",
    )
    privacy_policy_version = serializers.CharField(
        allow_null=True, help_text="The version of the privacy policy in force (null before one is)."
    )
    support = SupportSerializer()
