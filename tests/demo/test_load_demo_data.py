"""The demo data command: a full catalogue on an empty database, and nothing new on a second run."""

import io
from base64 import b32decode
from collections import Counter
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from PIL import Image

from buyers.models import Buyer, Favourite, PrivacyPolicy
from catalogue import services as catalogue_services
from catalogue.models import Category, Collection, CollectionItem, Product, ProductImage
from demo import data as demo_data
from demo import history as demo_history
from demo.photos import KINDS, PHOTO_SIZE, product_photo
from demo.products import PRODUCTS
from exporters import services as exporter_services
from exporters.models import Country, Exporter, ExporterMember
from exporters.seed import COUNTRIES_CSV, seed_countries
from inquiries.models import Inquiry, Message
from pti_bridge import outbox
from pti_bridge.models import Notification
from pti_bridge.roles import STAFF_GROUP_NAME
from tests import smtp_server

smtp = smtp_server.smtp  # the fixture: a real SMTP server on loopback

pytestmark = pytest.mark.django_db


def load(*args) -> str:
    out = io.StringIO()
    call_command("load_demo_data", *args, stdout=out)
    return out.getvalue()


def model_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def stored_files(settings) -> list[str]:
    roots = [Path(settings.STORAGES[name]["OPTIONS"]["location"]) for name in ("default", "private")]
    return sorted(str(path) for root in roots if root.exists() for path in root.rglob("*") if path.is_file())


def test_demo_data_fills_an_empty_database():
    assert Product.objects.count() == 0

    output = load()

    csv_rows = COUNTRIES_CSV.read_text(encoding="utf-8").strip().splitlines()[1:]
    assert Country.objects.count() == len(csv_rows) == 16
    assert Country.objects.get(code="FJ").name_zh_hans == "斐济"

    exporters = Exporter.objects.all()
    assert exporters.count() == len(demo_data.EXPORTERS) == 17
    assert len({exporter.country_id for exporter in exporters}) == 8
    assert Counter(exporters.values_list("verification_status", flat=True)) == {
        "verified": 15,
        "pending": 1,
        "suspended": 1,
    }
    assert all(
        exporter.verified_by.email == "staff@pti-bridge.local"
        for exporter in exporters.exclude(verification_status="pending")
    )
    assert all(exporter.name_zh_hans and exporter.description_zh_hans for exporter in exporters)
    assert ExporterMember.objects.filter(role="owner").count() == 17
    assert exporters.exclude(logo="").count() == sum(1 for spec in demo_data.EXPORTERS if spec.get("logo")) == 8

    products = Product.objects.all()
    assert products.count() == len(PRODUCTS) == 47
    assert Counter(products.values_list("status", flat=True)) == {
        "published": 38,
        "submitted": 5,
        "draft": 2,
        "rejected": 1,
        "archived": 1,
    }
    published = products.filter(status="published")
    for product in published:
        assert product.name_zh_hans.strip() and product.summary_zh_hans.strip(), product.name_en
        # Every text a buyer reads has its Chinese: trade details and photo descriptions too.
        assert catalogue_services.missing_translations(product) == [], product.name_en
        assert product.packaging_zh_hans and product.lead_time_zh_hans, product.name_en
        assert product.images.exists(), product.name_en
        assert product.reviewed_by.email == "staff@pti-bridge.local"
    assert ProductImage.objects.count() == sum(len(spec["photos"]) for spec in PRODUCTS) == 58
    assert ProductImage.objects.filter(alt_text="").count() == 0
    first = ProductImage.objects.first()
    assert (first.width, first.height) == PHOTO_SIZE
    rejected = products.get(status="rejected")
    assert rejected.rejection_reason.startswith("Please add the shelf life")
    assert products.filter(is_featured=True).count() == 6

    # Buyers see what is published by verified companies: all but the suspended company's product.
    visible = Product.objects.published()
    assert visible.count() == 37
    assert set(visible) == set(published.exclude(exporter__verification_status="suspended"))
    assert not visible.filter(exporter__name="Malaita Shell Crafts").exists()

    categories = Category.objects.all()
    assert categories.filter(parent=None).count() == 8
    assert categories.get(slug="vanilla").name_zh_hans == "香草荚"  # from glossary/data/product_terms.csv
    assert categories.get(slug="vanilla").parent.slug == "spices-botanicals"

    assert Collection.objects.count() == 2
    ciie = Collection.objects.get(slug="ciie-2026")
    assert ciie.title_zh_hans == "2026中国国际进口博览会精选"
    assert list(ciie.items.values_list("position", flat=True)) == [1, 2, 3, 4, 5, 6, 7]
    assert ciie.items.first().product.name_en == "Grade A gourmet vanilla beans (Vanilla planifolia)"
    assert not CollectionItem.objects.exclude(product__status="published").exists()
    assert Collection.objects.get(slug="pacific-superfoods").items.count() == 6

    User = get_user_model()
    staff = User.objects.get(email="staff@pti-bridge.local")
    assert staff.is_staff and not staff.is_superuser
    assert list(staff.groups.values_list("name", flat=True)) == [STAFF_GROUP_NAME]
    assert staff.check_password("pti-staff-demo")
    admin = User.objects.get(email="admin@pti-bridge.local")
    assert admin.is_superuser and admin.check_password("pti-admin-demo")
    exporter_user = User.objects.get(email="exporter@pti-bridge.local")
    assert exporter_user.exporter_membership.exporter.name == "Taveuni Gold Coconut Co."
    assert exporter_user.check_password("pti-exporter-demo")

    buyer = Buyer.objects.get(openid=demo_data.BUYER["openid"])
    assert (buyer.display_name, buyer.company) == ("王经理", "上海浦江进口食品贸易有限公司")
    assert buyer.consented_policy_version == PrivacyPolicy.objects.current().version
    assert Favourite.objects.filter(buyer=buyer).count() == 3
    answered = Inquiry.objects.get(buyer=buyer, status="answered")
    assert answered.exporter.name == "Taveuni Gold Coconut Co."
    assert answered.product.inquiry_count == Inquiry.objects.filter(product=answered.product).count() >= 1
    assert list(answered.messages.values_list("author_role", flat=True)) == ["buyer", "staff", "exporter"]
    assert answered.messages.get(author_role="exporter").translation.startswith("您好")
    assert Inquiry.objects.filter(buyer=buyer, status="new").count() == 1
    assert Message.objects.count() == 4 + demo_history.HISTORY_SIZE
    history = Inquiry.objects.filter(idempotency_key__startswith="demo-history-")
    assert history.count() == demo_history.HISTORY_SIZE
    assert {i.created_at.date() for i in history} and len(
        {(i.created_at.year, i.created_at.month) for i in history}
    ) >= 10
    assert all(i.deal_value and i.deal_currency for i in history.filter(status="closed_won"))
    assert history.filter(status="closed_won").count() >= 5
    assert not history.exclude(product__status="published").exists()

    assert "Demo data loaded" in output
    assert "http://127.0.0.1:8000/admin/" in output
    assert "staff@pti-bridge.local" in output and "pti-staff-demo" in output
    assert "exporter@pti-bridge.local" in output and "pti-exporter-demo" in output


def test_second_run_creates_nothing_and_leaves_changes_alone(settings):
    load()
    # Staff change things between runs: the demo loader must not undo them.
    staff = get_user_model().objects.get(email="staff@pti-bridge.local")
    vanilla = Product.objects.get(name_en="Grade A gourmet vanilla beans (Vanilla planifolia)")
    catalogue_services.product_archive(product=vanilla, actor=staff)
    Country.objects.filter(code="FJ").update(name_en="Republic of Fiji")
    staff.set_password("changed-by-staff")
    staff.save()
    counts, files = model_counts(), stored_files(settings)
    statuses = dict(Product.objects.values_list("pk", "status"))
    verification = dict(Exporter.objects.values_list("pk", "verification_status"))

    output = load()

    assert "nothing changed" in output
    assert model_counts() == counts
    assert stored_files(settings) == files
    assert dict(Product.objects.values_list("pk", "status")) == statuses
    assert dict(Exporter.objects.values_list("pk", "verification_status")) == verification
    assert Product.objects.get(pk=vanilla.pk).status == "archived"
    assert Country.objects.get(code="FJ").name_en == "Republic of Fiji"
    staff.refresh_from_db()
    assert staff.check_password("changed-by-staff")

    output = load("--reset-passwords")

    assert "Demo passwords reset." in output
    assert model_counts() == counts
    staff.refresh_from_db()
    assert staff.check_password("pti-staff-demo")

    # A demo product deleted meanwhile comes back; under a company suspended meanwhile it waits in review.
    vavau = Exporter.objects.get(name="Vava'u Vanilla Estate")
    exporter_services.exporter_suspend(exporter=vavau, actor=staff, reason="Export licence expired.")
    grade_b = Product.objects.get(name_en="Grade B extraction vanilla beans")
    grade_b.inquiries.all().delete()  # its past inquiries go first (they protect the product)
    grade_b.delete()

    output = load()

    assert "created 1 products, 1 photos" in output
    assert Product.objects.get(name_en="Grade B extraction vanilla beans").status == "submitted"
    assert Exporter.objects.get(pk=vavau.pk).verification_status == "suspended"


def test_seed_countries_adds_only_what_is_missing():
    assert seed_countries() == 16
    Country.objects.filter(code="TO").update(is_active=False)
    Country.objects.filter(code="WS").delete()

    assert seed_countries() == 1

    assert Country.objects.count() == 16
    assert Country.objects.get(code="TO").is_active is False
    assert Country.objects.get(code="WS").name_zh_hans == "萨摩亚"


@pytest.mark.django_db(False)
def test_demo_photos_are_deterministic_jpegs_of_every_kind_used():
    used = {kind for spec in PRODUCTS for kind, _alt in spec["photos"]}
    used |= {collection["cover"] for collection in demo_data.COLLECTIONS}
    assert used <= set(KINDS)

    first, again, other = product_photo("vanilla", 7), product_photo("vanilla", 7), product_photo("vanilla", 8)

    assert first == again
    assert first != other
    image = Image.open(io.BytesIO(first))
    assert (image.format, image.size) == ("JPEG", PHOTO_SIZE)


def test_the_demo_buyer_signs_in_through_the_local_wechat_stand_in(client, wechat):
    load()
    buyer = Buyer.objects.get(display_name="王经理")

    response = client.post(
        "/api/v1/auth/wechat/", {"code": demo_data.DEMO_BUYER_LOGIN_CODE}, content_type="application/json"
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["created"], body["buyer"]["id"], body["buyer"]["display_name"]) == (False, buyer.pk, "王经理")
    assert Buyer.objects.filter(display_name="王经理").count() == 1


def test_a_newcomer_passes_the_demo_staffs_second_factor_with_the_printed_key(client):
    output = load()
    spec = demo_data.SECOND_FACTOR[demo_data.STAFF["email"]]
    assert spec["key"] in output and spec["recovery_codes"][0] in output

    client.post("/admin/login/", {"username": demo_data.STAFF["email"], "password": demo_data.STAFF["password"]})
    code = TOTP(b32decode(spec["key"])).token()
    response = client.post("/admin/second-factor/", {"code": f"{code:06d}", "next": "/admin/"})

    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_resetting_the_demo_passwords_restores_the_recovery_codes(client):
    load()
    spec = demo_data.SECOND_FACTOR[demo_data.ADMIN["email"]]
    client.post("/admin/login/", {"username": demo_data.ADMIN["email"], "password": demo_data.ADMIN["password"]})
    client.post("/admin/second-factor/", {"code": spec["recovery_codes"][0]})
    assert StaticToken.objects.filter(token=spec["recovery_codes"][0]).count() == 0

    load("--reset-passwords")

    assert StaticToken.objects.filter(token=spec["recovery_codes"][0]).count() == 1


def test_the_demo_companies_are_not_emailed(smtp, django_capture_on_commit_callbacks):
    """The workflow writes the review e-mails as for a real company; the loader cancels them,
    so nothing goes to the invented .example addresses, and the rows stay as the record."""
    with django_capture_on_commit_callbacks(execute=True):
        load()
    assert outbox.dispatch_due() == {}
    assert smtp.inbox.messages == []

    emails = Notification.objects.filter(channel="email")
    assert set(emails.values_list("status", flat=True)) == {"cancelled"}
    assert {"exporter_verified", "product_published", "product_rejected"} <= set(emails.values_list("kind", flat=True))
