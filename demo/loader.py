"""Load the demo catalogue through the same services every door uses.

Idempotent by natural keys (e-mail, company name, slug, code, openid, the
exporter's product name, the inquiry's idempotency key): what exists is left
exactly as it is, even if someone changed it since, and only what is missing is
created and taken through the workflow. A second run therefore changes nothing.
"""

import datetime
from base64 import b32decode
from collections import Counter
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import slugify
from django_otp.plugins.otp_totp.models import TOTPDevice

from buyers.models import Buyer, Favourite, PrivacyPolicy
from catalogue import services as catalogue_services
from catalogue.models import Category, Certification, Collection, Product
from demo import data as demo_data
from demo import history as demo_history
from demo.chinese import CHINESE
from demo.photos import company_logo, product_photo, seed_for
from demo.products import PRODUCTS
from exporters import services as exporter_services
from exporters.models import Exporter, ExporterMember
from exporters.seed import seed_countries
from inquiries.models import Inquiry, Message
from pti_bridge import images, second_factor
from pti_bridge.models import Notification
from pti_bridge.renditions import renditions_complete
from pti_bridge.roles import ensure_staff_group
from pti_bridge.tasks import schedule_renditions

TEXT_FIELDS = ("packaging", "shelf_life", "supply_capacity", "lead_time")


class DemoLoader:
    def __init__(self, *, reset_passwords: bool = False):
        self.reset_passwords = reset_passwords
        self.created = Counter()
        self._hashes: dict[str, str] = {}

    def run(self) -> Counter:
        # One transaction: a failure leaves no half-loaded catalogue, and SQLite writes once.
        with transaction.atomic():
            last_notification = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
            self._logo_and_cover_renditions()  # first: the rows this run creates get theirs as they are made
            self.created["countries"] += seed_countries()
            self.admin = self._user(demo_data.ADMIN, is_staff=True, is_superuser=True)
            self.staff = self._user(demo_data.STAFF, is_staff=True)
            for user in (self.admin, self.staff):
                self._authenticator(user)
            self.staff.groups.add(ensure_staff_group())
            self._categories()
            self._certifications()
            to_suspend = self._exporters()
            self._products()
            for exporter, reason in to_suspend:
                exporter_services.exporter_suspend(exporter=exporter, actor=self.staff, reason=reason)
            self._collections()
            self._buyer_and_inquiries()
            # The demo's companies are invented (.example addresses): the e-mails the workflow
            # wrote them (verified, published, rejected) are cancelled, the rows kept as the record.
            Notification.objects.filter(
                pk__gt=last_notification, channel=Notification.Channel.EMAIL, status=Notification.Status.PENDING
            ).update(status=Notification.Status.CANCELLED)
        return +self.created  # without the zero counts

    # People.

    def _hash(self, password: str) -> str:
        # Hashing is slow on purpose; demo accounts sharing a password share one hash.
        if password not in self._hashes:
            self._hashes[password] = make_password(password)
        return self._hashes[password]

    def _user(self, spec: dict, *, password: str | None = None, is_staff=False, is_superuser=False):
        User = get_user_model()
        password = password or spec["password"]
        user = User.objects.filter(email__iexact=spec["email"]).first()
        if user is None:
            user = User(
                username=spec["email"],
                email=spec["email"],
                first_name=spec["first_name"],
                last_name=spec["last_name"],
                is_staff=is_staff,
                is_superuser=is_superuser,
                password=self._hash(password),
            )
            user.full_clean()
            user.save()
            self.created["users"] += 1
        elif self.reset_passwords:
            user.password = self._hash(password)
            user.save(update_fields=["password"])
        return user

    def _authenticator(self, user):
        """The printed demo key and recovery codes (demo_data.SECOND_FACTOR), so a newcomer
        passes the back office's second factor; reset with the passwords."""
        spec = demo_data.SECOND_FACTOR[user.email]
        key = b32decode(spec["key"]).hex()
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            TOTPDevice.objects.create(user=user, name="Demo authenticator", key=key, confirmed=True)
            self.created["authenticators"] += 1
        elif self.reset_passwords:
            device.key, device.last_t = key, -1
            device.throttle_reset(commit=False)
            device.save()
        else:
            return
        second_factor.replace_recovery_codes(user, codes=spec["recovery_codes"])

    # Reference data.

    def _categories(self):
        terms = demo_data.product_terms()
        self.categories = {}
        for position, sector in enumerate(demo_data.CATEGORIES, start=1):
            parent = self._category(sector["slug"], sector["en"], sector["zh"], position, sector["icon"], None)
            for child_position, child in enumerate(sector["children"], start=1):
                zh = child.get("zh") or terms[child["term"]]["zh"]
                self._category(child["slug"], child["en"], zh, child_position, "", parent)

    def _category(self, slug, name_en, name_zh, position, icon, parent):
        category = Category.objects.filter(slug=slug).first()
        if category is None:
            category = Category(
                slug=slug, name_en=name_en, name_zh_hans=name_zh, position=position, icon=icon, parent=parent
            )
            category.full_clean()
            category.save()
            self.created["categories"] += 1
        self.categories[slug] = category
        return category

    def _certifications(self):
        existing = {c.code: c for c in Certification.objects.all()}
        for code, name_en, name_zh in demo_data.CERTIFICATIONS:
            if code not in existing:
                certification = Certification(code=code, name_en=name_en, name_zh_hans=name_zh)
                certification.full_clean()
                certification.save()
                existing[code] = certification
                self.created["certifications"] += 1
        self.certifications = existing

    # Companies.

    def _exporters(self) -> list[tuple[Exporter, str]]:
        self.exporters, self.owners = {}, {}
        to_suspend = []
        for spec in demo_data.EXPORTERS:
            owner_spec = {**spec["owner"], "password": demo_data.EXPORTER_PASSWORD}
            owner = self._user(owner_spec)
            exporter = Exporter.objects.filter(name__iexact=spec["name"]).first()
            if exporter is None:
                exporter = self._create_exporter(spec, owner)
                if spec["verification"] in ("verified", "suspended"):
                    exporter_services.exporter_verify(
                        exporter=exporter, actor=self.staff, note="Business licence and export licence checked."
                    )
                if spec["verification"] == "suspended":
                    to_suspend.append((exporter, spec["suspension"]))  # once its products are in
            self.exporters[spec["name"]] = exporter
            membership = getattr(owner, "exporter_membership", None)
            self.owners[spec["name"]] = owner if membership and membership.exporter_id == exporter.pk else self.staff
        return to_suspend

    def _create_exporter(self, spec: dict, owner) -> Exporter:
        exporter = Exporter(
            name=spec["name"],
            name_zh_hans=spec["name_zh"],
            country_id=spec["country"],
            sector=spec["sector"],
            description_en=spec["en"],
            description_zh_hans=spec["zh"],
            address=spec.get("address", ""),
            phone=spec.get("phone", ""),
            website=spec.get("website", ""),
            year_founded=spec["founded"],
            export_markets=spec.get("markets", ""),
            gacc_registration_number=spec.get("gacc", ""),
        )
        exporter.full_clean()
        exporter.save()
        self.created["exporters"] += 1
        if not hasattr(owner, "exporter_membership"):
            member = ExporterMember(
                user=owner, exporter=exporter, role=ExporterMember.Role.OWNER, job_title=spec["owner"]["title"]
            )
            member.full_clean()
            member.save()
            owner.exporter_membership = member
            self.created["company users"] += 1
        if spec.get("logo") and owner.exporter_membership.exporter_id == exporter.pk:
            logo = company_logo(spec["name"], spec["logo"], seed_for(spec["name"]))
            exporter_services.exporter_update_profile(
                exporter=exporter,
                data={},
                actor=owner,
                logo=images.clean_logo(ContentFile(logo, name=f"{slugify(spec['name'])}.png")),
            )
        return exporter

    # Listings.

    def _products(self):
        self.products = {}
        existing = {(p.exporter_id, p.name_en): p for p in Product.objects.filter(exporter__in=self.exporters.values())}
        for spec in PRODUCTS:
            exporter = self.exporters[spec["exporter"]]
            key = (spec["exporter"], spec["name"][0])
            product = existing.get((exporter.pk, spec["name"][0]))
            if product is None:
                product = self._create_product(spec, exporter, self.owners[spec["exporter"]])
            self.products[key] = product

    def _create_product(self, spec: dict, exporter: Exporter, owner) -> Product:
        currency, price_min, price_max, price_unit, incoterm = spec["price"]
        moq_quantity, moq_unit = spec["moq"]
        data = {
            "name_en": spec["name"][0],
            "summary_en": spec["summary"][0],
            "description_en": spec["description"][0],
            "category": self.categories[spec["category"]],
            "origin_country": exporter.country,
            "hs_code": spec["hs"],
            "moq_quantity": Decimal(moq_quantity) if moq_quantity else None,
            "moq_unit": moq_unit,
            "packaging": spec["packaging"],
            "shelf_life": spec["shelf_life"],
            "supply_capacity": spec["supply"],
            "lead_time": spec["lead_time"],
            "price_currency": currency,
            "price_min": Decimal(price_min) if price_min else None,
            "price_max": Decimal(price_max) if price_max else None,
            "price_unit": price_unit,
            "incoterm": incoterm,
            "market_access_en": spec["access"][0],
            "certifications": [self.certifications[code] for code in spec["certs"]],
        }
        product = catalogue_services.product_create(exporter=exporter, data=data, actor=owner)
        self.created["products"] += 1
        # The Chinese text is the reviewer's, written in the admin (not an exporter-editable field).
        translated = bool(spec["name"][1])
        chinese = {
            "name_zh_hans": spec["name"][1],
            "summary_zh_hans": spec["summary"][1],
            "description_zh_hans": spec["description"][1],
            "market_access_zh_hans": spec["access"][1],
            **{f"{name}_zh_hans": CHINESE[data[name]] if translated and data[name] else "" for name in TEXT_FIELDS},
        }
        if any(chinese.values()):
            for field, value in chinese.items():
                setattr(product, field, value)
            product.full_clean()
            product.save(update_fields=[*chinese, "updated_at"])
        for position, (kind, alt_text) in enumerate(spec["photos"], start=1):
            photo = product_photo(kind, seed_for(spec["exporter"], spec["name"][0], str(position)))
            name = f"{slugify(spec['name'][0])[:40]}-{position}.jpg"
            image = catalogue_services.product_image_add(
                product=product,
                upload=SimpleUploadedFile(name, photo, content_type="image/jpeg"),
                actor=owner,
                alt_text=alt_text,
                position=position,
            )
            if translated:
                image.alt_text_zh_hans = CHINESE[alt_text]
                image.save(update_fields=["alt_text_zh_hans"])
            self.created["photos"] += 1
        self._take_through_workflow(product, spec, owner)
        return product

    def _take_through_workflow(self, product: Product, spec: dict, owner) -> None:
        status = spec["status"]
        if status == Product.Status.DRAFT:
            return
        product = catalogue_services.product_submit(product=product, actor=owner)
        if status == Product.Status.REJECTED:
            catalogue_services.product_reject(product=product, actor=self.staff, reason=spec["rejection"])
        elif status in (Product.Status.PUBLISHED, Product.Status.ARCHIVED) and product.exporter.is_verified:
            # (A company staff suspended since an earlier run keeps its new product waiting in review.)
            product = catalogue_services.product_publish(product=product, actor=self.staff)
            if spec.get("featured"):
                catalogue_services.product_set_featured(product=product, actor=self.staff, featured=True)
            if status == Product.Status.ARCHIVED:
                catalogue_services.product_archive(product=product, actor=owner)

    # Curation.

    def _logo_and_cover_renditions(self):
        """Logos and covers loaded before they had renditions get them (after commit)."""
        for rows in (Exporter.objects.exclude(logo=""), Collection.objects.exclude(cover="")):
            for row in rows:
                if not renditions_complete(row):
                    schedule_renditions(row)

    def _collections(self):
        for spec in demo_data.COLLECTIONS:
            if Collection.objects.filter(slug=spec["slug"]).exists():
                continue
            cover = product_photo(spec["cover"], seed_for("collection", spec["slug"]))
            collection = Collection(
                slug=spec["slug"],
                title_en=spec["en"],
                title_zh_hans=spec["zh"],
                description_en=spec["description_en"],
                description_zh_hans=spec["description_zh"],
                starts_on=datetime.date.fromisoformat(spec["starts_on"]) if spec.get("starts_on") else None,
                position=spec["position"],
            )
            collection.cover = images.clean_cover(ContentFile(cover, name=f"{spec['slug']}.jpg"))
            collection.full_clean()
            collection.save()
            schedule_renditions(collection)
            self.created["collections"] += 1
            for position, key in enumerate(spec["products"], start=1):
                product = Product.objects.get(pk=self.products[key].pk)
                if product.status == Product.Status.PUBLISHED:
                    catalogue_services.collection_add_product(
                        collection=collection, product=product, actor=self.staff, position=position
                    )

    # Buyers and their threads.

    def _buyer_and_inquiries(self):
        spec = demo_data.BUYER
        buyer = Buyer.objects.filter(openid=spec["openid"]).first()
        if buyer is None:
            now = timezone.now()
            buyer = Buyer(
                openid=spec["openid"],
                unionid=spec["unionid"],
                display_name=spec["display_name"],
                company=spec["company"],
                consented_policy_version=self._policy_version(spec["policy_version"]),
                consented_at=now - datetime.timedelta(days=10),
                created_at=now - datetime.timedelta(days=10),
                last_seen_at=now - datetime.timedelta(hours=5),
            )
            buyer.full_clean()
            buyer.save()
            self.created["buyers"] += 1
            for key in spec["favourites"]:
                Favourite.objects.create(buyer=buyer, product=self.products[key])
                self.created["favourites"] += 1
        for inquiry_spec in demo_data.INQUIRIES:
            if not Inquiry.objects.filter(buyer=buyer, idempotency_key=inquiry_spec["key"]).exists():
                self._inquiry(buyer, inquiry_spec)
        self._history()

    def _history(self):
        """A year of past inquiries from other demo buyers, for the reports."""
        published = list(
            Product.objects.filter(pk__in=[p.pk for p in self.products.values()], status=Product.Status.PUBLISHED)
            .exclude(moq_unit="")
            .select_related("exporter")
            .order_by("pk")
        )
        existing = set(
            Inquiry.objects.filter(idempotency_key__startswith="demo-history-").values_list(
                "idempotency_key", flat=True
            )
        )
        buyers = {}
        for spec in demo_history.history_specs(published):
            if spec["key"] in existing:
                continue
            openid, name, company = spec["buyer"]
            if openid not in buyers:
                buyers[openid], created = Buyer.objects.get_or_create(
                    openid=openid, defaults={"display_name": name, "company": company, "created_at": spec["created_at"]}
                )
                self.created["buyers"] += created
            self._history_inquiry(buyers[openid], spec)

    def _history_inquiry(self, buyer: Buyer, spec: dict) -> None:
        product, status, start = spec["product"], spec["status"], spec["created_at"]
        steps = {
            "screening_at": start + datetime.timedelta(hours=2),
            "forwarded_at": start + datetime.timedelta(hours=20),
            "answered_at": start + datetime.timedelta(days=2),
            "closed_at": start + datetime.timedelta(days=12),
        }
        reached = {
            "screening": ["screening_at"],
            "spam": ["screening_at", "closed_at"],
            "forwarded": ["screening_at", "forwarded_at"],
            "answered": ["screening_at", "forwarded_at", "answered_at"],
            "closed_won": list(steps),
            "closed_lost": list(steps),
        }[status]
        inquiry = Inquiry(
            buyer=buyer,
            product=product,
            exporter=product.exporter,
            quantity=spec["quantity"],
            unit=product.moq_unit,
            currency=product.price_currency,
            destination="上海",
            destination_en="Shanghai",
            share_contact=spec["share_contact"],
            status=status,
            assigned_to=self.staff,
            idempotency_key=spec["key"],
            created_at=start,
            last_activity_at=max(steps[name] for name in reached),
            deal_value=spec["deal_value"],
            deal_currency=product.price_currency if spec["deal_value"] else "",
            deal_volume=f"{spec['quantity']} {product.moq_unit}" if spec["deal_value"] else "",
            lost_reason=spec["lost_reason"],
            **{name: steps[name] for name in reached},
        )
        inquiry.full_clean()
        inquiry.save()
        self.created["inquiries"] += 1
        Product.objects.filter(pk=product.pk).update(inquiry_count=F("inquiry_count") + 1)
        text_zh, text_en = spec["line"]
        words = {
            "product": product.name_zh_hans,
            "product_en": product.name_en,
            "quantity": spec["quantity"],
            "unit": product.moq_unit,
        }
        Message.objects.create(
            inquiry=inquiry,
            author_role=Message.AuthorRole.BUYER,
            text=text_zh.format(**words),
            language=Message.Language.ZH_HANS,
            translation=text_en.format(**words) if "forwarded_at" in reached else "",
            translated_by=self.staff if "forwarded_at" in reached else None,
            created_at=start,
        )
        self.created["messages"] += 1

    @staticmethod
    def _policy_version(default: str) -> str:
        """The buyer consented to the policy in force (a migration publishes the first one)."""
        current = PrivacyPolicy.objects.current()
        return current.version if current is not None else default

    def _inquiry(self, buyer: Buyer, spec: dict) -> None:
        product = self.products[spec["product"]]
        owner = self.owners[spec["product"][0]]
        start = timezone.now() - datetime.timedelta(days=spec["days_ago"])
        at = {message["hours"] for message in spec["messages"]}
        last = start + datetime.timedelta(hours=max(at))
        status = spec["status"]
        inquiry = Inquiry(
            buyer=buyer,
            product=product,
            exporter=product.exporter,
            quantity=Decimal(spec["quantity"]),
            unit=spec["unit"],
            target_price=Decimal(spec["target_price"]),
            currency=spec["currency"],
            destination=spec["destination"],
            destination_en=spec.get("destination_en", ""),
            buyer_name_en=spec.get("buyer_name_en", ""),
            buyer_company_en=spec.get("buyer_company_en", ""),
            share_contact=spec["share_contact"],
            status=status,
            idempotency_key=spec["key"],
            created_at=start,
            last_activity_at=last,
        )
        if status != Inquiry.Status.NEW:
            inquiry.assigned_to = self.staff
            inquiry.screening_at = start + datetime.timedelta(hours=1)
            inquiry.forwarded_at = start + datetime.timedelta(hours=3)
        if status == Inquiry.Status.ANSWERED:
            inquiry.answered_at = last
        inquiry.full_clean()
        inquiry.save()
        self.created["inquiries"] += 1
        Product.objects.filter(pk=product.pk).update(inquiry_count=F("inquiry_count") + 1)
        authors = {"buyer": None, "staff": self.staff, "exporter": owner}
        for message_spec in spec["messages"]:
            message = Message(
                inquiry=inquiry,
                author_role=message_spec["role"],
                author_user=authors[message_spec["role"]],
                text=message_spec["text"],
                language=message_spec["language"],
                translation=message_spec.get("translation", ""),
                translated_by=self.staff if message_spec.get("translation") else None,
                is_internal=message_spec.get("internal", False),
                created_at=start + datetime.timedelta(hours=message_spec["hours"]),
            )
            message.full_clean()
            message.save()
            self.created["messages"] += 1


def load_demo_data(*, reset_passwords: bool = False) -> Counter:
    """Load what is missing of the demo catalogue; returns how many of each thing were created."""
    return DemoLoader(reset_passwords=reset_passwords).run()
