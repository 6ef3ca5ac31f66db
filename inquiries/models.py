from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buyers.models import Buyer
from catalogue.models import Currency, Product, Unit
from exporters.models import Exporter
from pti_bridge.text import CJK_RE


class InquiryQuerySet(models.QuerySet):
    def for_buyer(self, buyer):
        return self.filter(buyer=buyer)

    def for_exporter(self, exporter):
        """What an exporter may see: inquiries staff forwarded to it."""
        return self.filter(exporter=exporter).exclude(
            status__in=[Inquiry.Status.NEW, Inquiry.Status.SCREENING, Inquiry.Status.SPAM]
        )


class Inquiry(models.Model):
    """A buyer's request about a product, mediated by PTI staff."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        SCREENING = "screening", _("Screening")
        FORWARDED = "forwarded", _("Forwarded to exporter")
        ANSWERED = "answered", _("Answered")
        CLOSED_WON = "closed_won", _("Closed: deal won")
        CLOSED_LOST = "closed_lost", _("Closed: lost")
        SPAM = "spam", _("Spam")

    buyer = models.ForeignKey(Buyer, verbose_name=_("buyer"), on_delete=models.PROTECT, related_name="inquiries")
    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="inquiries")
    exporter = models.ForeignKey(
        Exporter, verbose_name=_("exporter"), on_delete=models.PROTECT, related_name="inquiries"
    )
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices)
    target_price = models.DecimalField(_("target price"), max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, blank=True)
    destination = models.CharField(_("destination"), max_length=200, blank=True)
    # What the exporter reads instead of the buyer's own words (staff translate or transliterate them).
    destination_en = models.CharField(_("destination in English"), max_length=200, blank=True)
    buyer_name_en = models.CharField(_("buyer's name in English"), max_length=100, blank=True)
    buyer_company_en = models.CharField(_("buyer's company in English"), max_length=200, blank=True)
    share_contact = models.BooleanField(_("buyer agrees to share contact details"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NEW)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_inquiries",
        limit_choices_to={"is_staff": True},
    )
    deal_value = models.DecimalField(_("deal value"), max_digits=14, decimal_places=2, null=True, blank=True)
    deal_currency = models.CharField(_("deal currency"), max_length=3, choices=Currency.choices, blank=True)
    deal_volume = models.CharField(_("deal volume"), max_length=100, blank=True)
    lost_reason = models.TextField(_("reason lost"), blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=64, blank=True, editable=False)
    request_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    screening_at = models.DateTimeField(_("screening since"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("forwarded at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now, db_index=True)
    buyer_read_at = models.DateTimeField(_("buyer last read"), null=True, blank=True)

    objects = InquiryQuerySet.as_manager()

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-last_activity_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="inquiry_quantity_positive"),
            models.CheckConstraint(
                condition=Q(target_price__isnull=True) | Q(target_price__gte=0),
                name="inquiry_target_price_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(deal_value__isnull=True) | Q(deal_value__gte=0), name="inquiry_deal_value_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["new", "screening", "forwarded", "answered", "closed_won", "closed_lost", "spam"]
                ),
                name="inquiry_status_valid",
            ),
            models.UniqueConstraint(
                fields=["buyer", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="inquiry_idempotency_key_unique",
            ),
        ]

    def __str__(self):
        return _("Inquiry #%(id)s: %(product)s") % {"id": self.pk, "product": self.product}


def released_q() -> Q:
    """Messages staff passed on to the other side: translated, or sent as written."""
    return ~Q(translation="") | Q(sent_as_written=True)


class MessageQuerySet(models.QuerySet):
    def released(self):
        return self.filter(released_q())

    def visible_to_buyer(self):
        """The buyer's own messages, the exporter's (released or, until then, a placeholder) and
        PTI's messages to the buyer; never internal notes, never what the content check holds."""
        return self.filter(
            Q(author_role=Message.AuthorRole.BUYER)
            | Q(author_role=Message.AuthorRole.EXPORTER, screening=Message.Screening.PASSED)
            | Q(author_role=Message.AuthorRole.STAFF, is_internal=False, addressed_to=Message.AuthorRole.BUYER)
        )

    def visible_to_exporter(self):
        """The buyer's messages that passed the content check (their English once released, until
        then a placeholder), the company's own, and PTI's messages to the exporter."""
        return self.filter(
            Q(author_role=Message.AuthorRole.BUYER, screening=Message.Screening.PASSED)
            | Q(author_role=Message.AuthorRole.EXPORTER)
            | Q(author_role=Message.AuthorRole.STAFF, is_internal=False, addressed_to=Message.AuthorRole.EXPORTER)
        )


class Message(models.Model):
    """One message of an inquiry's thread, as written and as translated by staff.

    A buyer's or exporter's message reaches the other side only once staff translated it or
    sent it as written (`released()`); staff write to one side in its language (`addressed_to`).
    """

    class AuthorRole(models.TextChoices):
        BUYER = "buyer", _("Buyer")
        EXPORTER = "exporter", _("Exporter")
        STAFF = "staff", _("PTI staff")

    class Language(models.TextChoices):
        ZH_HANS = "zh-hans", _("Chinese")
        EN = "en", _("English")

    class Screening(models.TextChoices):
        PASSED = "passed", _("Passed")
        REVIEW = "review", _("Waiting for staff review")
        REJECTED = "rejected", _("Rejected")

    inquiry = models.ForeignKey(Inquiry, verbose_name=_("inquiry"), on_delete=models.CASCADE, related_name="messages")
    author_role = models.CharField(_("author"), max_length=10, choices=AuthorRole.choices)
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("text as written"))
    language = models.CharField(_("language"), max_length=7, choices=Language.choices)
    translation = models.TextField(_("translation"), blank=True)
    translated_at = models.DateTimeField(
        _("translated at"),
        null=True,
        blank=True,
        help_text=_("When the message first reached the other side (translated, or sent as written)."),
    )
    sent_as_written = models.BooleanField(
        _("sent as written"),
        default=False,
        help_text=_("Staff passed the text on untranslated: it was already in the reader's language."),
    )
    addressed_to = models.CharField(
        _("addressed to"),
        max_length=10,
        blank=True,
        choices=[("buyer", _("Buyer")), ("exporter", _("Exporter"))],
        help_text=_("For PTI's messages: the side that reads it, in its own language."),
    )
    translated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("translated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_internal = models.BooleanField(_("internal note"), default=False, help_text=_("Seen by staff only."))
    screening = models.CharField(_("content check"), max_length=10, choices=Screening.choices, default=Screening.PASSED)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(author_role__in=["buyer", "exporter", "staff"]), name="message_author_role_valid"
            ),
            models.CheckConstraint(condition=Q(language__in=["zh-hans", "en"]), name="message_language_valid"),
            models.CheckConstraint(
                condition=Q(is_internal=False) | Q(author_role="staff"), name="message_internal_only_staff"
            ),
            models.CheckConstraint(
                condition=Q(addressed_to="")
                | Q(author_role="staff", is_internal=False, addressed_to__in=["buyer", "exporter"]),
                name="message_addressed_only_staff",
            ),
        ]

    def __str__(self):
        return f"{self.get_author_role_display()}: {self.text[:60]}"

    @property
    def is_erased(self) -> bool:
        """The buyer's text, erased with their account (a buyer's message is never empty otherwise)."""
        return self.author_role == self.AuthorRole.BUYER and not self.text

    @property
    def has_chinese(self) -> bool:
        """Chinese characters in the text: it must be translated before an exporter reads it."""
        return bool(CJK_RE.search(self.text))

    @property
    def is_released(self) -> bool:
        """Staff passed it on to the other side (PTI's own messages need no translation)."""
        return self.author_role == self.AuthorRole.STAFF or bool(self.translation) or self.sent_as_written


class InquiryPolicy(models.Model):
    """How new inquiries are handled, one row staff edit in the admin (`InquiryPolicy.current()`)."""

    screening_required = models.BooleanField(
        _("staff screen new inquiries"),
        default=True,
        help_text=_(
            "On: a new inquiry waits for PTI staff to screen and forward it. Off: it goes to the exporter "
            "by itself as soon as staff have put everything the buyer wrote into English."
        ),
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("inquiry policy")
        verbose_name_plural = _("inquiry policy")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="inquiry_policy_singleton")]

    def __str__(self):
        return str(_("Inquiry policy"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def screening_required_now(cls) -> bool:
        """The policy in force, read without writing (staff screen when no row was saved yet)."""
        required = cls.objects.filter(pk=1).values_list("screening_required", flat=True).first()
        return True if required is None else required

    @classmethod
    def current(cls) -> "InquiryPolicy":
        """The one policy row (made with the defaults the first time it is asked for)."""
        policy, _created = cls.objects.get_or_create(pk=1)
        return policy
