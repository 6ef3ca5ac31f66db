from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pti_bridge.api.caching import bump_version
from pti_bridge.renditions import RenditionSpec
from pti_bridge.storage import get_private_storage, upload_to
from pti_bridge.text import localized


class CountryQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Country(models.Model):
    """A Pacific country exporters come from; data staff may edit."""

    code = models.CharField(
        _("ISO code"),
        max_length=2,
        primary_key=True,
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Two capital letters, e.g. FJ."))],
    )
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_zh_hans = models.CharField(_("name (Chinese)"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)

    objects = CountryQuerySet.as_manager()

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name_en"]

    def __str__(self):
        # Staff read Chinese names in the admin's drop-downs and filters; exporters read English.
        return localized(self.name_en, self.name_zh_hans)


class Sector(models.TextChoices):
    AGRICULTURE = "agriculture", _("Agriculture and food")
    BEVERAGES = "beverages", _("Beverages")
    SEAFOOD = "seafood", _("Fisheries and seafood")
    HEALTH_BEAUTY = "health_beauty", _("Health and beauty")
    HANDICRAFTS = "handicrafts", _("Handicrafts")
    OTHER = "other", _("Other")


class ExporterQuerySet(models.QuerySet):
    def verified(self):
        return self.filter(verification_status=Exporter.VerificationStatus.VERIFIED)

    def with_documents_waiting(self):
        """Companies with at least one document waiting for staff's review."""
        return self.filter(pk__in=ExporterDocument.objects.filter(status="waiting").values("exporter_id"))


class Exporter(models.Model):
    """A Pacific exporting company, verified by PTI staff before its products show."""

    class VerificationStatus(models.TextChoices):
        PENDING = "pending", _("Pending verification")
        VERIFIED = "verified", _("Verified")
        SUSPENDED = "suspended", _("Suspended")

    name = models.CharField(_("company name"), max_length=200)
    name_zh_hans = models.CharField(_("company name (Chinese)"), max_length=200, blank=True)
    country = models.ForeignKey(Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="exporters")
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, default=Sector.AGRICULTURE)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_zh_hans = models.TextField(_("description (Chinese)"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    year_founded = models.PositiveSmallIntegerField(
        _("year founded"), null=True, blank=True, validators=[MinValueValidator(1800), MaxValueValidator(2100)]
    )
    export_markets = models.CharField(
        _("export markets"),
        max_length=300,
        blank=True,
        help_text=_("Where the company already sells, e.g. NZ, AU, JP."),
    )
    gacc_registration_number = models.CharField(
        _("GACC registration number"),
        max_length=40,
        blank=True,
        help_text=_("China customs registration of overseas food producers, where it applies."),
    )
    logo = models.ImageField(_("logo"), upload_to=upload_to("logos"), blank=True)
    logo_renditions = models.JSONField(
        _("logo renditions"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_("Resized copies of the logo for phones: {size: {format: {name, width, height, bytes}}}."),
    )
    verification_status = models.CharField(
        _("verification"), max_length=10, choices=VerificationStatus.choices, default=VerificationStatus.PENDING
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ExporterQuerySet.as_manager()

    # The logo's renditions (pti_bridge.renditions): a card's logo is shown at most ~120 pt wide.
    RENDITIONS = RenditionSpec(file_field="logo", renditions_field="logo_renditions", sizes={"thumb": 240})

    class Meta:
        verbose_name = _("exporter")
        verbose_name_plural = _("exporters")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="exporter_name_unique_ci"),
            models.CheckConstraint(
                condition=models.Q(verification_status__in=["pending", "verified", "suspended"]),
                name="exporter_verification_status_valid",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        adding = self._state.adding
        super().save(*args, **kwargs)
        if not adding:
            # Its name, logo and GACC number show in the catalogue API, whichever door saved it
            # (the portal, the admin, a script): cached answers are stale once this commits.
            # (A new company has no published products yet: nothing of it is shown.)
            bump_version("catalogue")

    @property
    def is_verified(self) -> bool:
        return self.verification_status == self.VerificationStatus.VERIFIED


class ExporterMember(models.Model):
    """A portal user acting for one exporting company."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        COLLEAGUE = "colleague", _("Colleague")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="exporter_membership"
    )
    exporter = models.ForeignKey(Exporter, verbose_name=_("exporter"), on_delete=models.CASCADE, related_name="members")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.OWNER)
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("joined"), default=timezone.now)

    class Meta:
        verbose_name = _("company user")
        verbose_name_plural = _("company users")

    def __str__(self):
        return f"{self.user} ({self.exporter})"


class ExporterDocument(models.Model):
    """A verification document; private, seen only by its company and staff."""

    class Kind(models.TextChoices):
        BUSINESS_LICENCE = "business_licence", _("Business licence")
        EXPORT_LICENCE = "export_licence", _("Export licence")
        GACC = "gacc", _("China customs (GACC) registration")
        CERTIFICATE = "certificate", _("Product certificate")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for review")
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")

    exporter = models.ForeignKey(
        Exporter, verbose_name=_("exporter"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    file = models.FileField(_("file"), upload_to=upload_to("documents"), storage=get_private_storage)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    refusal_reason = models.TextField(
        _("reason for refusal"), blank=True, help_text=_("Shown to the exporter in the portal and by e-mail.")
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["waiting", "accepted", "refused"]),
                name="exporterdocument_status_valid",
            ),
            # A refusal always says why: the exporter reads it.
            models.CheckConstraint(
                condition=~models.Q(status="refused") | ~models.Q(refusal_reason=""),
                name="exporterdocument_refusal_has_reason",
            ),
        ]

    def __str__(self):
        return self.title or self.get_kind_display()

    def is_current(self, today) -> bool:
        """Accepted and not past its expiry date."""
        return self.status == self.Status.ACCEPTED and (self.expires_on is None or self.expires_on >= today)
