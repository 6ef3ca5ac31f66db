from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import Product
from pti_bridge.storage import upload_to


class AvatarCheck(models.TextChoices):
    """WeChat's asynchronous media check of an avatar (docs/wechat.md 1.3)."""

    NONE = "", _("no avatar")
    PENDING = "pending", _("waiting for WeChat")
    PASS = "pass", _("passed")
    REVIEW = "review", _("needs review")
    RISKY = "risky", _("removed as risky")


class Buyer(models.Model):
    """A Chinese buyer signed in through the WeChat Mini Program.

    `openid` and `session_key` identify the buyer to WeChat and never leave the
    server. Deleting an account erases personal fields and keeps the row, so
    inquiries stay readable for the exporter and the agency, anonymised.
    """

    openid = models.CharField(_("WeChat openid"), max_length=64, null=True, blank=True, unique=True)
    unionid = models.CharField(_("WeChat unionid"), max_length=64, blank=True)
    session_key = models.CharField(_("WeChat session key"), max_length=64, blank=True, editable=False)
    display_name = models.CharField(_("display name"), max_length=64, blank=True)
    avatar = models.ImageField(
        _("avatar"),
        upload_to=upload_to("avatars"),
        blank=True,
        width_field="avatar_width",
        height_field="avatar_height",
    )
    avatar_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    avatar_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    avatar_check = models.CharField(
        _("avatar check"),
        max_length=10,
        choices=AvatarCheck.choices,
        blank=True,
        default=AvatarCheck.NONE,
        help_text=_("WeChat's verdict on the avatar; others see the avatar only once it passed."),
    )
    # WeChat's trace id of the submitted check (empty: not submitted yet) and when it was
    # submitted (a claim: a sweep resubmits what was never submitted or never answered).
    avatar_check_trace_id = models.CharField(_("avatar check trace id"), max_length=64, blank=True, db_index=True)
    avatar_check_submitted_at = models.DateTimeField(_("avatar check submitted"), null=True, blank=True)
    company = models.CharField(_("company"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    phone_country_code = models.CharField(_("phone country code"), max_length=6, blank=True)
    consented_policy_version = models.CharField(_("privacy policy version consented"), max_length=20, blank=True)
    consented_at = models.DateTimeField(_("consented at"), null=True, blank=True)
    created_at = models.DateTimeField(_("joined"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("account deleted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("buyer")
        verbose_name_plural = _("buyers")
        ordering = ["-created_at"]
        constraints = [
            # A live account always has its openid; a deleted one has none.
            models.CheckConstraint(
                condition=Q(deleted_at__isnull=True, openid__isnull=False)
                | Q(deleted_at__isnull=False, openid__isnull=True),
                name="buyer_openid_unless_deleted",
            )
        ]

    # A buyer is the API's `request.user` when signed in with a bearer token (buyers.authentication).
    is_authenticated = True
    is_anonymous = False

    def __str__(self):
        if self.deleted_at:
            return _("Deleted buyer #%(id)s") % {"id": self.pk}
        return self.display_name or _("Buyer #%(id)s") % {"id": self.pk}

    @property
    def full_phone(self) -> str:
        """The phone as the buyer knows it: "13800000000", or "+679 7012345" outside mainland China."""
        if not self.phone:
            return ""
        if self.phone_country_code and self.phone_country_code != "86":
            return f"+{self.phone_country_code} {self.phone}"
        return self.phone


class Favourite(models.Model):
    buyer = models.ForeignKey(Buyer, verbose_name=_("buyer"), on_delete=models.CASCADE, related_name="favourites")
    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="favourites")
    created_at = models.DateTimeField(_("saved"), default=timezone.now)

    class Meta:
        verbose_name = _("favourite")
        verbose_name_plural = _("favourites")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["buyer", "product"], name="favourite_unique")]

    def __str__(self):
        return f"{self.buyer}: {self.product}"


class BuyerToken(models.Model):
    """A bearer token of the Mini Program API. Only the SHA-256 of the token is stored, so a
    copy of the database signs nobody in. Sliding expiry: each use pushes `expires_at` on."""

    buyer = models.ForeignKey(Buyer, verbose_name=_("buyer"), on_delete=models.CASCADE, related_name="tokens")
    key_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return _("Token of %(buyer)s") % {"buyer": self.buyer}


class PrivacyPolicyQuerySet(models.QuerySet):
    def current(self):
        """The policy in force: the latest one already published, or None."""
        return self.filter(published_at__lte=timezone.now()).order_by("-published_at", "-id").first()


class PrivacyPolicy(models.Model):
    """One version of the buyers' privacy policy. Buyers consent to a version; a new
    version needs a new consent before they may send inquiries."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    title_zh_hans = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    text_zh_hans = models.TextField(_("text (Chinese)"))
    text_en = models.TextField(_("text (English)"))
    published_at = models.DateTimeField(_("in force from"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PrivacyPolicyQuerySet.as_manager()

    class Meta:
        verbose_name = _("privacy policy")
        verbose_name_plural = _("privacy policies")
        ordering = ["-published_at", "-id"]

    def __str__(self):
        return self.version


class ShareCode(models.Model):
    """A product's Mini Program code, made once through WeChat and kept in the default storage."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="share_codes"
    )
    page = models.CharField(_("page"), max_length=200)
    build = models.CharField(_("Mini Program build"), max_length=10)
    image = models.FileField(_("image"), upload_to=upload_to("share-codes"))
    created_at = models.DateTimeField(_("made"), default=timezone.now)

    class Meta:
        verbose_name = _("share code")
        verbose_name_plural = _("share codes")
        constraints = [models.UniqueConstraint(fields=["product", "page", "build"], name="share_code_unique")]

    def __str__(self):
        return f"{self.product} ({self.page})"
