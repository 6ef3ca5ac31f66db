"""GET /api/v1/app-config/: what the Mini Program reads before a buyer signs in."""

import datetime

import pytest
from django.utils import timezone

from buyers.models import PrivacyPolicy

pytestmark = pytest.mark.django_db

URL = "/api/v1/app-config/"


def test_the_configured_templates_the_policy_in_force_and_support_in_chinese(api, policy, settings):
    settings.WECHAT_TEMPLATE_INQUIRY_ANSWERED = "tmpl-answer-1"
    settings.WECHAT_TEMPLATE_INQUIRY_STATUS = "tmpl-status-2"
    settings.SUPPORT_EMAIL = "china@pti.example"
    settings.SUPPORT_PHONE = "+86 10 6532 0000"

    response = api.get(URL)

    assert response.status_code == 200
    assert response.json() == {
        "subscribe_templates": {"inquiry_reply": "tmpl-answer-1", "inquiry_status": "tmpl-status-2"},
        "privacy_policy_version": policy.version,
        "support": {
            "email": "china@pti.example",
            "phone": "+86 10 6532 0000",
            "hours": settings.SUPPORT_HOURS_ZH_HANS,
        },
    }


def test_a_template_not_configured_is_not_offered_and_hours_follow_the_language(api, policy, settings):
    settings.WECHAT_TEMPLATE_INQUIRY_ANSWERED = "tmpl-answer-1"
    settings.WECHAT_TEMPLATE_INQUIRY_STATUS = ""
    settings.SUPPORT_HOURS = "Weekdays 9-17 Beijing time"

    answer = api.get(URL, HTTP_ACCEPT_LANGUAGE="en").json()

    assert answer["subscribe_templates"] == {"inquiry_reply": "tmpl-answer-1"}
    assert answer["support"]["hours"] == "Weekdays 9-17 Beijing time"


def test_the_version_is_the_one_in_force_and_null_before_any(api, policy, settings):
    PrivacyPolicy.objects.create(
        version="2027-01",
        title_zh_hans="隐私政策",
        title_en="Privacy policy",
        text_zh_hans="新",
        text_en="New",
        published_at=timezone.now() + datetime.timedelta(days=30),  # not in force yet
    )
    assert api.get(URL).json()["privacy_policy_version"] == policy.version

    PrivacyPolicy.objects.all().delete()

    assert api.get(URL).json()["privacy_policy_version"] is None


def test_public_even_with_a_stale_token(api, policy):
    response = api.get(URL, HTTP_AUTHORIZATION="Bearer not-a-token")

    assert response.status_code == 200
    assert response.json()["privacy_policy_version"] == policy.version
