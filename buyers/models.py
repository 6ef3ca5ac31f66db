from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import Product
from pti_bridge.storage import upload_to


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
    avatar = models.ImageField(_("avatar"), upload_to=upload_to("avatars"), blank=True)
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
                condition=Q(deleted_at__isnull=True, openid__isnull=False) | Q(deleted_at__isnull=False, openid__isnull=True),
                name="buyer_openid_unless_deleted",
            )
        ]

    def __str__(self):
        if self.deleted_at:
            return _("Deleted buyer #%(id)s") % {"id": self.pk}
        return self.display_name or _("Buyer #%(id)s") % {"id": self.pk}


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
