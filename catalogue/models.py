from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exporters.models import Country, Exporter
from pti_bridge.api.caching import bump_version
from pti_bridge.renditions import RenditionSpec
from pti_bridge.storage import get_private_storage, public_url, upload_to
from pti_bridge.text import localized


def catalogue_changed() -> None:
    """What buyers see changed: cached API answers are stale once this transaction commits."""
    bump_version("catalogue")


class Category(models.Model):
    """A node of the product category tree (kept shallow: sectors and their products)."""

    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_zh_hans = models.CharField(_("name (Chinese)"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    icon = models.CharField(_("icon"), max_length=40, blank=True, help_text=_("Icon name used by the Mini Program."))

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "name_en"]
        constraints = [models.CheckConstraint(condition=~Q(parent=F("id")), name="category_not_own_parent")]

    def __str__(self):
        # Staff read Chinese names in the admin's drop-downs and filters; exporters read English.
        name = localized(self.name_en, self.name_zh_hans)
        return f"{self.parent} › {name}" if self.parent_id else name

    def save(self, *args, **kwargs):
        renamed = (
            self.pk is None
            or Category.objects.filter(pk=self.pk)
            .exclude(name_en=self.name_en, name_zh_hans=self.name_zh_hans, parent_id=self.parent_id)
            .exists()
        )
        super().save(*args, **kwargs)
        if renamed:
            from catalogue.search import refresh_search_columns

            refresh_search_columns(Product.objects.filter(Q(category__in=self.descendant_ids())))
        catalogue_changed()

    def descendant_ids(self) -> list[int]:
        """This category's id and every id below it (the tree is small; one query per level)."""
        ids, level = [self.pk], [self.pk]
        while level:
            level = list(Category.objects.filter(parent_id__in=level).values_list("pk", flat=True))
            ids.extend(level)
        return ids


class Certification(models.Model):
    """A certification buyers look for: organic, HACCP, halal, fair trade..."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_zh_hans = models.CharField(_("name (Chinese)"), max_length=100)

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["name_en"]

    def __str__(self):
        return localized(self.name_en, self.name_zh_hans)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        catalogue_changed()  # its names show in the API; its code is a filter (catalogue.listing.lookups)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        catalogue_changed()
        return result


class Currency(models.TextChoices):
    USD = "USD", "USD"
    CNY = "CNY", "CNY"
    AUD = "AUD", "AUD"
    NZD = "NZD", "NZD"
    FJD = "FJD", "FJD"


class Incoterm(models.TextChoices):
    EXW = "EXW", "EXW"
    FOB = "FOB", "FOB"
    CFR = "CFR", "CFR"
    CIF = "CIF", "CIF"
    DAP = "DAP", "DAP"
    DDP = "DDP", "DDP"


class Unit(models.TextChoices):
    KG = "kg", _("kg")
    TONNE = "tonne", _("tonne")
    LITRE = "litre", _("litre")
    PIECE = "piece", _("piece")
    CARTON = "carton", _("carton")
    BOTTLE = "bottle", _("bottle")
    CONTAINER_20 = "container_20ft", _("20 ft container")
    CONTAINER_40 = "container_40ft", _("40 ft container")


def visible_q(prefix: str = "") -> Q:
    """What buyers may see (published products of verified exporters) as a condition, across a
    relation when `prefix` is given ("products__", "items__product__"), for counts of them."""
    return Q(**{f"{prefix}status": Product.Status.PUBLISHED}) & Q(
        **{f"{prefix}exporter__verification_status": Exporter.VerificationStatus.VERIFIED}
    )


class ProductQuerySet(models.QuerySet):
    def published(self):
        """What buyers may see: published products of verified exporters."""
        return self.filter(visible_q())

    def for_exporter(self, exporter):
        return self.filter(exporter=exporter)

    def needs_translation(self):
        """Products a buyer would partly read in English: the Chinese name or summary empty, or
        the Chinese of another text written in English, or of a shown photo's description
        (the rule catalogue.services.missing_translations words for publishing)."""
        missing = Q()
        for english, chinese in Product.TRANSLATED_TEXTS:
            empty = Q(**{chinese: ""})
            missing |= empty if chinese in Product.ALWAYS_TRANSLATED else empty & ~Q(**{english: ""})
        photos = ProductImage.objects.filter(product=models.OuterRef("pk"), awaiting_review=False, alt_text_zh_hans="")
        return self.filter(missing | models.Exists(photos.exclude(alt_text="")))


class Product(models.Model):
    """A listing written by an exporter in English, translated and vouched for by staff."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")
        ARCHIVED = "archived", _("Archived")

    exporter = models.ForeignKey(
        Exporter, verbose_name=_("exporter"), on_delete=models.CASCADE, related_name="products"
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="products"
    )
    origin_country = models.ForeignKey(
        Country, verbose_name=_("origin country"), on_delete=models.PROTECT, related_name="products"
    )
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh_hans = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    summary_en = models.CharField(_("summary (English)"), max_length=300, blank=True)
    summary_zh_hans = models.CharField(_("summary (Chinese)"), max_length=300, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_zh_hans = models.TextField(_("description (Chinese)"), blank=True)
    hs_code = models.CharField(
        _("HS code"),
        max_length=12,
        blank=True,
        validators=[RegexValidator(r"^\d{4}(\.?\d{2}){0,3}$", _("An HS code is 4 to 10 digits, e.g. 0905.10."))],
    )
    moq_quantity = models.DecimalField(
        _("minimum order quantity"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0.01)],
    )
    moq_unit = models.CharField(_("MOQ unit"), max_length=20, choices=Unit.choices, blank=True)
    packaging = models.CharField(_("packaging"), max_length=300, blank=True)
    packaging_zh_hans = models.CharField(_("packaging (Chinese)"), max_length=300, blank=True)
    shelf_life = models.CharField(_("shelf life"), max_length=100, blank=True)
    shelf_life_zh_hans = models.CharField(_("shelf life (Chinese)"), max_length=100, blank=True)
    supply_capacity = models.CharField(_("supply capacity"), max_length=200, blank=True)
    supply_capacity_zh_hans = models.CharField(_("supply capacity (Chinese)"), max_length=200, blank=True)
    lead_time = models.CharField(_("lead time"), max_length=100, blank=True)
    lead_time_zh_hans = models.CharField(_("lead time (Chinese)"), max_length=100, blank=True)
    price_currency = models.CharField(_("price currency"), max_length=3, choices=Currency.choices, blank=True)
    price_min = models.DecimalField(_("price from"), max_digits=12, decimal_places=2, null=True, blank=True)
    price_max = models.DecimalField(_("price to"), max_digits=12, decimal_places=2, null=True, blank=True)
    price_unit = models.CharField(_("price per"), max_length=20, choices=Unit.choices, blank=True)
    incoterm = models.CharField(_("incoterm"), max_length=3, choices=Incoterm.choices, blank=True)
    certifications = models.ManyToManyField(
        Certification, verbose_name=_("certifications"), blank=True, related_name="products"
    )
    market_access_en = models.TextField(
        _("China market access (English)"),
        blank=True,
        help_text=_("Import permits, GACC registration, protocols that allow this product into China."),
    )
    market_access_zh_hans = models.TextField(_("China market access (Chinese)"), blank=True)

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    rejection_reason = models.TextField(_("rejection reason"), blank=True)
    is_featured = models.BooleanField(_("featured"), default=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    pending_changes = models.JSONField(
        _("changes waiting for review"),
        default=dict,
        blank=True,
        help_text=_(
            "Edits the exporter made to a published product; the published text stays until staff accept them."
        ),
    )
    stale_translations = models.JSONField(
        _("translations out of date"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("The Chinese texts whose English changed since staff last reviewed them."),
    )
    view_count = models.PositiveIntegerField(_("views"), default=0)
    inquiry_count = models.PositiveIntegerField(_("inquiries"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Written by save() from the texts above (catalogue/search.py); never edited by hand.
    search_name = models.TextField(_("search keys of the name"), blank=True, editable=False)
    search_text = models.TextField(_("search keys"), blank=True, editable=False)
    name_pinyin = models.CharField(_("name in pinyin"), max_length=200, blank=True, editable=False)

    objects = ProductQuerySet.as_manager()

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-published_at"]),
            # The API's orderings; the search index (PostgreSQL only) is in migration 0004.
            models.Index(fields=["name_en", "id"], name="product_name_en_idx"),
            models.Index(fields=["name_pinyin", "id"], name="product_name_pinyin_idx"),
            models.Index(fields=["-inquiry_count", "-id"], name="product_inquiry_count_idx"),
            # A country's published products in the two orders its list pages walk (buyers
            # filter by country most): a page walks that country's products only
            # (catalogue.selectors._estimate).
            models.Index(
                fields=["origin_country", "-published_at", "-id"],
                condition=Q(status="published"),
                name="product_country_newest_idx",
            ),
            models.Index(
                fields=["origin_country", "-inquiry_count", "-id"],
                condition=Q(status="published"),
                name="product_country_asked_idx",
            ),
            # The featured products (home, `featured=true`): a few among all, read without a scan.
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(status="published", is_featured=True),
                name="product_featured_newest_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted", "published", "rejected", "archived"]),
                name="product_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(moq_quantity__isnull=True) | Q(moq_quantity__gt=0), name="product_moq_positive"
            ),
            models.CheckConstraint(
                condition=(Q(price_min__isnull=True) | Q(price_min__gte=0))
                & (Q(price_max__isnull=True) | Q(price_max__gte=0)),
                name="product_price_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(price_min__isnull=True) | Q(price_max__isnull=True) | Q(price_min__lte=F("price_max")),
                name="product_price_range_ordered",
            ),
        ]

    def __str__(self):
        return self.name_en

    # Every text a buyer reads, as (English field, Chinese field): the exporter writes the
    # English, staff the Chinese; publishing needs the Chinese of each English written.
    TRANSLATED_TEXTS = (
        ("name_en", "name_zh_hans"),
        ("summary_en", "summary_zh_hans"),
        ("description_en", "description_zh_hans"),
        ("market_access_en", "market_access_zh_hans"),
        ("packaging", "packaging_zh_hans"),
        ("shelf_life", "shelf_life_zh_hans"),
        ("supply_capacity", "supply_capacity_zh_hans"),
        ("lead_time", "lead_time_zh_hans"),
    )
    ALWAYS_TRANSLATED = ("name_zh_hans", "summary_zh_hans")

    # The texts the search keys are made of; a save touching none of them leaves the keys be.
    SEARCHED_FIELDS = frozenset(
        {"name_en", "name_zh_hans", "summary_en", "summary_zh_hans", "exporter", "category", "origin_country"}
    )
    SEARCH_FIELDS = ("search_name", "search_text", "name_pinyin")

    def save(self, *args, **kwargs):
        """Every door saves through here, so the search keys and the API's cache follow each edit."""
        update_fields = kwargs.get("update_fields")
        if update_fields is None or self.SEARCHED_FIELDS.intersection(update_fields):
            self.refresh_search()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, *self.SEARCH_FIELDS}
        super().save(*args, **kwargs)
        catalogue_changed()

    def refresh_search(self) -> None:
        """Recompute the search columns (catalogue/search.py) from the texts; does not save."""
        from catalogue import search

        exporter, category, country = self.exporter, self.category, self.origin_country
        category_names = [category.name_en, category.name_zh_hans]
        if category.parent_id:
            category_names += [category.parent.name_en, category.parent.name_zh_hans]
        self.search_name, self.search_text = search.search_columns(
            names=[self.name_en, self.name_zh_hans],
            other_names=[exporter.name, exporter.name_zh_hans, *category_names],
            texts=[self.summary_en, self.summary_zh_hans, country.name_en, country.name_zh_hans],
        )
        self.name_pinyin = search.sort_key(self.name_zh_hans or self.name_en)[:200]

    @property
    def needs_translation(self) -> bool:
        return not (self.name_zh_hans.strip() and self.summary_zh_hans.strip())


class ProductImageQuerySet(models.QuerySet):
    def shown(self):
        """The photos buyers may see: not those waiting for staff review."""
        return self.filter(awaiting_review=False)


class ProductImage(models.Model):
    """A product photo: the cleaned original (private) and its renditions (public)."""

    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="images")
    original = models.ImageField(
        _("photo"),
        upload_to=upload_to("originals/products"),
        storage=get_private_storage,
        width_field="width",
        height_field="height",
    )
    width = models.PositiveIntegerField(_("width"), null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True, editable=False)
    renditions = models.JSONField(
        _("renditions"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_("Resized copies for phones: {size: {format: {name, width, height, bytes}}}."),
    )
    alt_text = models.CharField(_("alt text"), max_length=200, blank=True)
    alt_text_zh_hans = models.CharField(_("alt text (Chinese)"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    awaiting_review = models.BooleanField(
        _("awaiting review"),
        default=False,
        help_text=_(
            "Added by the exporter to a listing already reviewed: buyers see it once staff apply the listing's changes."
        ),
    )
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    objects = ProductImageQuerySet.as_manager()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["position", "id"]
        indexes = [
            # A card's thumbnail is its product's first shown photo: one probe of this index,
            # no sort, for each card of a list (catalogue.selectors.with_thumbnail).
            models.Index(
                fields=["product", "position", "id"],
                condition=models.Q(awaiting_review=False),
                name="productimage_shown_order_idx",
            ),
        ]

    def __str__(self):
        return self.alt_text or _("%(product)s: photo %(number)d") % {
            "product": self.product,
            "number": self.position + 1,
        }

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        catalogue_changed()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        catalogue_changed()
        return result

    def rendition(self, size: str = "thumb", fmt: str = "webp") -> dict | None:
        """`{"url", "width", "height"}` of one rendition (sizes: thumb, detail, zoom;
        formats: webp, jpeg), or None while it is not made yet. Never the original."""
        return self.rendition_of(self.renditions, size, fmt)

    @staticmethod
    def rendition_of(renditions: dict | None, size: str, fmt: str, *, absolute: bool = False) -> dict | None:
        """rendition() of a `renditions` value (lists fetch only that column, no instance);
        `absolute`: an absolute URL (the API's), see pti_bridge.storage.public_url."""
        entry = ((renditions or {}).get(size) or {}).get(fmt)
        if not entry:
            return None
        return {"url": public_url(entry["name"], absolute=absolute), "width": entry["width"], "height": entry["height"]}


class CollectionQuerySet(models.QuerySet):
    def active(self, *, today=None):
        today = today or timezone.localdate()
        return self.filter(is_active=True).filter(
            Q(starts_on__isnull=True) | Q(starts_on__lte=today), Q(ends_on__isnull=True) | Q(ends_on__gte=today)
        )


class Collection(models.Model):
    """A curated, ordered group of published products: a trade show, a season."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_zh_hans = models.CharField(_("title (Chinese)"), max_length=200)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_zh_hans = models.TextField(_("description (Chinese)"), blank=True)
    cover = models.ImageField(_("cover"), upload_to=upload_to("covers"), blank=True)
    cover_renditions = models.JSONField(
        _("cover renditions"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_("Resized copies of the cover for phones: {size: {format: {name, width, height, bytes}}}."),
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    products = models.ManyToManyField(
        Product, verbose_name=_("products"), through="CollectionItem", related_name="collections", blank=True
    )

    objects = CollectionQuerySet.as_manager()

    # The cover's renditions (pti_bridge.renditions): shown across a phone's width (750 px at 2x).
    RENDITIONS = RenditionSpec(file_field="cover", renditions_field="cover_renditions", sizes={"detail": 750})

    class Meta:
        verbose_name = _("collection")
        verbose_name_plural = _("collections")
        ordering = ["position", "-starts_on", "title_en"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(ends_on__isnull=True) | Q(starts_on__lte=F("ends_on")),
                name="collection_dates_ordered",
            )
        ]

    def __str__(self):
        return self.title_en

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        catalogue_changed()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        catalogue_changed()
        return result


class CollectionItem(models.Model):
    collection = models.ForeignKey(
        Collection, verbose_name=_("collection"), on_delete=models.CASCADE, related_name="items"
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="collection_items"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("collection product")
        verbose_name_plural = _("collection products")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["collection", "product"], name="collection_item_unique")]

    def __str__(self):
        return f"{self.collection}: {self.product}"
