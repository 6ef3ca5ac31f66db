"""The back office as a whole: every page loads for PTI staff, nobody else gets in."""

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from catalogue.models import Product
from pti_bridge.models import AuditEntry, Notification
from tests import factories
from tests.conftest import sign_in_staff

pytestmark = pytest.mark.django_db

BACK_OFFICE_APPS = {"pti_bridge", "exporters", "catalogue", "buyers", "inquiries"}
MODELS = sorted(
    (model._meta.app_label, model._meta.model_name)
    for model in admin.site._registry
    if model._meta.app_label in BACK_OFFICE_APPS
)


@pytest.fixture
def populated(alice, staff, buyer, other_exporter):
    """One of everything, with Chinese text, so the pages render real rows."""
    product = factories.ProductFactory(
        exporter=alice.exporter_membership.exporter, published=True, name_en="Vanilla beans", name_zh_hans="香草荚"
    )
    factories.ProductImageFactory(product=product)
    factories.ExporterDocumentFactory(exporter=product.exporter)
    factories.CollectionItemFactory(product=product)
    factories.FavouriteFactory(buyer=buyer, product=product)
    inquiry = factories.InquiryFactory(buyer=buyer, product=product)
    factories.MessageFactory(inquiry=inquiry)
    factories.CertificationFactory()
    factories.CategoryFactory(parent=product.category, name_en="Spices", name_zh_hans="香料")
    Notification.objects.create(channel="email", kind="product_published", recipient="alice@vanua.example")
    AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Product),
        object_id=str(product.pk),
        object_repr=product.name_en,
        action="publish",
        actor=staff,
    )
    return product


def test_every_back_office_model_is_registered():
    registered = {label for label, _name in MODELS}
    assert registered == BACK_OFFICE_APPS
    assert ("catalogue", "product") in MODELS and ("inquiries", "inquiry") in MODELS


@pytest.mark.parametrize(("app_label", "model_name"), MODELS)
@pytest.mark.parametrize("query", ["", "vanilla", "香草"])
def test_changelist_loads_for_staff(client, staff, populated, app_label, model_name, query):
    sign_in_staff(client, staff)
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    response = client.get(url, {"q": query} if query else {})
    assert response.status_code == 200


@pytest.mark.parametrize(("app_label", "model_name"), MODELS)
def test_add_page_loads_for_staff_where_adding_is_allowed(client, staff, populated, app_label, model_name, rf):
    sign_in_staff(client, staff)
    model = next(m for m in admin.site._registry if (m._meta.app_label, m._meta.model_name) == (app_label, model_name))
    request = rf.get("/")
    request.user = staff
    url = reverse(f"admin:{app_label}_{model_name}_add")
    response = client.get(url)
    if admin.site._registry[model].has_add_permission(request):
        assert response.status_code == 200
    else:
        # Read-only records (buyers, inquiries, the audit trail, the outbox) are written by code only.
        assert response.status_code == 403


@pytest.mark.parametrize(("app_label", "model_name"), MODELS)
def test_change_page_loads_for_staff(client, staff, populated, app_label, model_name):
    sign_in_staff(client, staff)
    model = next(m for m in admin.site._registry if (m._meta.app_label, m._meta.model_name) == (app_label, model_name))
    obj = model._default_manager.first()
    assert obj is not None, f"the fixture made no {model_name}"
    response = client.get(reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("who", ["alice", "anonymous"])
@pytest.mark.parametrize(("app_label", "model_name"), MODELS)
def test_back_office_refuses_non_staff(client, alice, app_label, model_name, who):
    if who == "alice":
        client.force_login(alice)
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_is_not_superuser_and_holds_the_group(staff):
    assert staff.is_staff and not staff.is_superuser
    assert list(staff.groups.values_list("name", flat=True)) == ["PTI staff"]


def test_staff_cannot_grant_superuser(client, staff, alice):
    sign_in_staff(client, staff)
    url = reverse("admin:pti_bridge_user_change", args=[alice.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.content.decode()
    data = {
        "username": alice.username,
        "email": alice.email,
        "first_name": "Alice",
        "last_name": alice.last_name,
        "is_active": "on",
        "is_superuser": "on",
        "groups": [],
        "user_permissions": [],
    }
    response = client.post(url, data)
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.first_name == "Alice"
    assert not alice.is_superuser


def test_staff_creates_a_user_with_case_insensitively_unique_email(client, staff, alice):
    sign_in_staff(client, staff)
    url = reverse("admin:pti_bridge_user_add")
    data = {
        "username": "new.colleague",
        "email": "ALICE@vanua.example",
        "usable_password": "true",
        "password1": "Tr0pical-fruit-42",
        "password2": "Tr0pical-fruit-42",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not type(staff).objects.filter(username="new.colleague").exists()
    data["email"] = "new.colleague@pti.example"
    response = client.post(url, data)
    assert response.status_code == 302
    assert type(staff).objects.get(username="new.colleague").email == "new.colleague@pti.example"


def test_audit_entry_admin_is_read_only_and_filters(client, staff, populated):
    sign_in_staff(client, staff)
    url = reverse("admin:pti_bridge_auditentry_changelist")
    response = client.get(url, {"action": "publish", "q": "Vanilla"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    entry = AuditEntry.objects.get()
    response = client.post(reverse("admin:pti_bridge_auditentry_change", args=[entry.pk]), {"action": "tamper"})
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.action == "publish"


def test_language_switcher_is_on_every_page(client, staff):
    sign_in_staff(client, staff)
    response = client.get(reverse("admin:index"))
    content = response.content.decode()
    assert f'action="{reverse("set_language")}"' in content
    assert '<option value="zh-hans"' in content
    assert "简体中文" in content
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("admin:index")})
    assert response.status_code == 302
    response = client.get(reverse("admin:index"))
    content = response.content.decode()
    assert '<html lang="zh-hans"' in content
    assert "修改密码" in content  # Django's own "Change password"
    assert "PTI Bridge 后台" in content  # our site header


def test_staff_cannot_take_over_a_superuser(client, staff):
    root = factories.UserFactory(email="root@pti.example", is_staff=True, is_superuser=True)
    sign_in_staff(client, staff)
    change = reverse("admin:pti_bridge_user_change", args=[root.pk])
    response = client.post(change, {"username": root.username, "email": "attacker@example.com", "is_active": "on"})
    assert response.status_code == 403
    response = client.post(
        reverse("admin:auth_user_password_change", args=[root.pk]),
        {"password1": "Tr0pical-fruit-42", "password2": "Tr0pical-fruit-42", "usable_password": "true"},
    )
    assert response.status_code == 403
    root.refresh_from_db()
    assert root.email == "root@pti.example"
    assert root.check_password("correct-horse-battery")
