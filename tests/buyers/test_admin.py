"""The buyers back office: readable, and WeChat identifiers never shown."""

import pytest
from django.urls import reverse

from tests import factories
from tests.conftest import sign_in_staff

pytestmark = pytest.mark.django_db


def test_buyer_pages_mask_the_openid_and_never_show_the_session_key(client, staff, buyer):
    buyer.session_key = "SESSIONKEY-SECRET-abc123"
    buyer.save()
    sign_in_staff(client, staff)
    for url in (reverse("admin:buyers_buyer_changelist"), reverse("admin:buyers_buyer_change", args=[buyer.pk])):
        content = client.get(url).content.decode()
        assert buyer.openid not in content
        assert "SESSIONKEY-SECRET-abc123" not in content
        assert f"{buyer.openid[:4]}…{buyer.openid[-4:]}" in content
        assert "王经理" in content


def test_buyers_are_read_only(client, staff, buyer):
    sign_in_staff(client, staff)
    url = reverse("admin:buyers_buyer_change", args=[buyer.pk])
    response = client.post(url, {"display_name": "改名", "company": "x"})
    assert response.status_code == 403
    buyer.refresh_from_db()
    assert buyer.display_name == "王经理"
    assert client.post(reverse("admin:buyers_buyer_delete", args=[buyer.pk]), {"post": "yes"}).status_code == 403
    buyer.refresh_from_db()


def test_buyer_search_in_chinese(client, staff, buyer, other_buyer):
    sign_in_staff(client, staff)
    response = client.get(reverse("admin:buyers_buyer_changelist"), {"q": "上海进口"})
    assert list(response.context["cl"].result_list) == [buyer]


def test_favourites_are_listed_and_searchable(client, staff, buyer):
    favourite = factories.FavouriteFactory(
        buyer=buyer, product__name_en="Vanilla beans", product__name_zh_hans="诺丽果汁"
    )
    factories.FavouriteFactory()
    sign_in_staff(client, staff)
    response = client.get(reverse("admin:buyers_favourite_changelist"), {"q": "诺丽"})
    assert list(response.context["cl"].result_list) == [favourite]


def test_privacy_policy_in_force_is_read_only_and_a_new_version_can_be_added(client, staff):
    from datetime import timedelta

    from django.utils import timezone

    from buyers.models import PrivacyPolicy

    in_force = PrivacyPolicy.objects.create(
        version="2026-01",
        title_zh_hans="隐私政策",
        title_en="Privacy policy",
        text_zh_hans="旧",
        text_en="old",
        published_at=timezone.now() - timedelta(days=1),
    )
    sign_in_staff(client, staff)
    response = client.post(
        reverse("admin:buyers_privacypolicy_change", args=[in_force.pk]),
        {
            "version": "2026-01",
            "title_zh_hans": "改",
            "title_en": "x",
            "text_zh_hans": "新",
            "text_en": "new",
            "published_at_0": "2026-01-01",
            "published_at_1": "00:00:00",
        },
    )
    assert response.status_code == 403
    in_force.refresh_from_db()
    assert in_force.text_zh_hans == "旧"

    response = client.post(
        reverse("admin:buyers_privacypolicy_add"),
        {
            "version": "2099-01",
            "title_zh_hans": "隐私政策",
            "title_en": "Privacy policy",
            "text_zh_hans": "新",
            "text_en": "new",
            "published_at_0": "2099-01-01",
            "published_at_1": "00:00:00",
        },
    )
    assert response.status_code == 302
    future = PrivacyPolicy.objects.get(version="2099-01")
    assert client.get(reverse("admin:buyers_privacypolicy_change", args=[future.pk])).status_code == 200
    assert PrivacyPolicy.objects.current() != future
