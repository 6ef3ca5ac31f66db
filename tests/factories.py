"""factory_boy factories for every model; personas live in conftest.py."""

import io
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from buyers.models import Buyer, Favourite
from catalogue.models import Category, Certification, Collection, CollectionItem, Product, ProductImage
from exporters.models import Country, Exporter, ExporterDocument, ExporterMember
from inquiries.models import Inquiry, Message
from pti_bridge.roles import ensure_staff_group


def image_bytes(*, size=(64, 48), color=(200, 160, 60), fmt="JPEG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt)
    return buffer.getvalue()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.LazyAttribute(lambda o: o.email)
    email = factory.Sequence(lambda n: f"user{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("correct-horse-battery")


class StaffFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def staff_group(obj, create, extracted, **kwargs):
        if create:
            obj.groups.add(ensure_staff_group())


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("code",)

    code = factory.Iterator(["FJ", "WS", "TO", "VU", "PG", "SB", "CK", "NU"])
    name_en = factory.LazyAttribute(
        lambda o: {"FJ": "Fiji", "WS": "Samoa", "TO": "Tonga", "VU": "Vanuatu"}.get(o.code, o.code)
    )
    name_zh_hans = factory.LazyAttribute(
        lambda o: {"FJ": "斐济", "WS": "萨摩亚", "TO": "汤加", "VU": "瓦努阿图"}.get(o.code, o.code)
    )


class ExporterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exporter

    class Params:
        verified = factory.Trait(
            verification_status=Exporter.VerificationStatus.VERIFIED, verified_at=factory.LazyFunction(timezone.now)
        )
        suspended = factory.Trait(verification_status=Exporter.VerificationStatus.SUSPENDED)

    name = factory.Sequence(lambda n: f"Pacific Produce {n} Ltd")
    country = factory.SubFactory(CountryFactory, code="FJ")
    description_en = "A family business exporting Pacific produce."


class ExporterMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExporterMember

    user = factory.SubFactory(UserFactory)
    exporter = factory.SubFactory(ExporterFactory)


class ExporterDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExporterDocument

    exporter = factory.SubFactory(ExporterFactory)
    kind = ExporterDocument.Kind.BUSINESS_LICENCE
    title = "Business licence 2026"
    file = factory.LazyFunction(lambda: ContentFile(b"%PDF-1.4 licence", name="licence.pdf"))


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"category-{n}")
    name_en = factory.Sequence(lambda n: f"Category {n}")
    name_zh_hans = factory.Sequence(lambda n: f"类别{n}")


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification
        django_get_or_create = ("code",)

    code = "organic"
    name_en = "Organic"
    name_zh_hans = "有机"


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    class Params:
        submitted = factory.Trait(status=Product.Status.SUBMITTED, submitted_at=factory.LazyFunction(timezone.now))
        published = factory.Trait(
            status=Product.Status.PUBLISHED,
            submitted_at=factory.LazyFunction(timezone.now),
            published_at=factory.LazyFunction(timezone.now),
        )
        untranslated = factory.Trait(name_zh_hans="", summary_zh_hans="")

    exporter = factory.SubFactory(ExporterFactory, verified=True)
    category = factory.SubFactory(CategoryFactory)
    origin_country = factory.SelfAttribute("exporter.country")
    name_en = factory.Sequence(lambda n: f"Vanilla beans grade {n}")
    name_zh_hans = factory.Sequence(lambda n: f"香草荚{n}级")
    summary_en = "Hand-cured Tahitensis vanilla beans."
    summary_zh_hans = "手工熟化的大溪地香草荚。"
    description_en = "Grown on small family plots and cured for six months."
    description_zh_hans = "种植于家庭小园地，熟化六个月。"
    hs_code = "0905.10"
    moq_quantity = Decimal("20")
    moq_unit = "kg"
    price_currency = "USD"
    price_min = Decimal("180")
    price_max = Decimal("240")
    price_unit = "kg"
    incoterm = "FOB"


class ProductImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductImage

    product = factory.SubFactory(ProductFactory)
    original = factory.LazyFunction(lambda: ContentFile(image_bytes(), name="photo.jpg"))
    alt_text = "Vanilla pods on a tray"
    alt_text_zh_hans = "托盘上的香草荚"


class CollectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Collection

    slug = factory.Sequence(lambda n: f"collection-{n}")
    title_en = factory.Sequence(lambda n: f"Collection {n}")
    title_zh_hans = factory.Sequence(lambda n: f"专题{n}")


class CollectionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CollectionItem

    collection = factory.SubFactory(CollectionFactory)
    product = factory.SubFactory(ProductFactory, published=True)
    position = factory.Sequence(lambda n: n)


class BuyerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Buyer

    openid = factory.Sequence(lambda n: f"o-test-openid-{n:06d}")
    display_name = factory.Sequence(lambda n: f"买家{n}")
    company = "深圳市海港贸易有限公司"


class FavouriteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Favourite

    buyer = factory.SubFactory(BuyerFactory)
    product = factory.SubFactory(ProductFactory, published=True)


class InquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inquiry

    buyer = factory.SubFactory(BuyerFactory)
    product = factory.SubFactory(ProductFactory, published=True)
    exporter = factory.SelfAttribute("product.exporter")
    quantity = Decimal("500")
    unit = "kg"
    destination = "上海"
    destination_en = "Shanghai"


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    inquiry = factory.SubFactory(InquiryFactory)
    author_role = Message.AuthorRole.BUYER
    text = "请问每公斤的到岸价是多少？"
    language = Message.Language.ZH_HANS
