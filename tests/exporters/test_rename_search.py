"""Renaming an exporter refreshes its products' search keys (through pti_bridge.hooks:
exporters cannot import the catalogue) and the API's cache, through every door."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from catalogue.models import Product
from exporters.services import exporter_update_profile
from pti_bridge import hooks
from tests.conftest import sign_in_staff
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def found(query: str) -> list[int]:
    response = APIClient().get("/api/v1/products/", {"q": query})
    assert response.status_code == 200, response.content
    return sorted(card["id"] for card in response.json()["results"])


def profile(exporter, **changes) -> dict:
    data = {
        "name": exporter.name,
        "country": exporter.country,
        "sector": exporter.sector,
        "address": exporter.address,
        "phone": exporter.phone,
        "website": exporter.website,
        "description_en": exporter.description_en,
        "year_founded": exporter.year_founded,
        "export_markets": exporter.export_markets,
        "gacc_registration_number": exporter.gacc_registration_number,
    }
    return data | changes


def test_renamed_exporter_is_found_by_its_new_name(
    alice, verified_exporter, other_exporter, django_capture_on_commit_callbacks
):
    mine = sorted(ProductFactory(exporter=verified_exporter, published=True).pk for _ in range(3))
    theirs = ProductFactory(exporter=other_exporter, published=True)
    assert found("Lautoka") == []  # also fills the API's cache

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        exporter_update_profile(
            exporter=verified_exporter, data=profile(verified_exporter, name="Lautoka Spice Traders"), actor=alice
        )

    assert callbacks  # the refresh waited for the commit
    assert found("Lautoka") == mine
    assert found("Vanua") == []
    stored = Product.objects.get(pk=theirs.pk)
    assert "lautoka" not in stored.search_text.lower()


def test_refresh_waits_for_the_commit_and_a_rollback_refreshes_nothing(
    alice, verified_exporter, django_capture_on_commit_callbacks
):
    product = ProductFactory(exporter=verified_exporter, published=True)
    before = Product.objects.values_list("search_name", "search_text").get(pk=product.pk)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        exporter_update_profile(
            exporter=verified_exporter, data=profile(verified_exporter, name="Lautoka Spice Traders"), actor=alice
        )

    assert Product.objects.values_list("search_name", "search_text").get(pk=product.pk) == before
    assert len(callbacks) >= 1  # the refresh is among them, not yet run


def test_unchanged_name_refreshes_nothing(alice, verified_exporter, django_capture_on_commit_callbacks):
    calls = []

    def spy(**kwargs):
        calls.append(kwargs)

    hooks.register("exporter_renamed", spy)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            exporter_update_profile(
                exporter=verified_exporter, data=profile(verified_exporter, phone="+679 123 4567"), actor=alice
            )
        assert calls == []
        with django_capture_on_commit_callbacks(execute=True):
            exporter_update_profile(
                exporter=verified_exporter, data=profile(verified_exporter, name="Nadi Kava"), actor=alice
            )
        assert calls == [{"exporter_id": verified_exporter.pk}]
    finally:
        hooks._registry["exporter_renamed"].remove(spy)


def form_data(html: str) -> dict:
    """The values a browser would post back from the admin change form, unchanged."""
    import re
    from html import unescape

    form = html[html.index('id="exporter_form"') :]
    form = form[: form.index("</form>")]
    data = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        kind = re.search(r'type="([^"]+)"', tag)
        if not name or (kind and kind.group(1) in ("submit", "file", "button")):
            continue
        if kind and kind.group(1) == "checkbox" and "checked" not in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data[name.group(1)] = (
            unescape(value.group(1)) if value else ("on" if kind and kind.group(1) == "checkbox" else "")
        )
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.findall(r'<option value="([^"]*)"[^>]*selected', body)
        data[name] = chosen if len(chosen) > 1 else (chosen[0] if chosen else "")
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        data[name] = unescape(body).lstrip("\n")
    return data


def test_staff_rename_in_the_admin_refreshes_the_search(
    client, staff, verified_exporter, django_capture_on_commit_callbacks
):
    product = ProductFactory(exporter=verified_exporter, published=True)
    sign_in_staff(client, staff)
    url = reverse("admin:exporters_exporter_change", args=[verified_exporter.pk])
    data = form_data(client.get(url).content.decode())
    data["name_zh_hans"] = "劳托卡香料"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    assert found("劳托卡") == [product.pk]
