"""Fixtures for the buyer API tests (imported by the test modules that use them).

`api` is an API client that scans every response it gets for WeChat secrets: the
session keys and openids/unionids the stand-in issued, the test buyers' openids, and the
keys `openid`, `unionid`, `session_key`. Every API test of buyers and inquiries goes
through it, so a leak anywhere in the suite fails the test that caused it.
"""

import itertools
import re

import pytest
from rest_framework.test import APIClient

from buyers.models import PrivacyPolicy

FORBIDDEN_KEYS = ('"openid"', '"unionid"', '"session_key"')
FACTORY_OPENID = re.compile(r"o-test-openid-\d+")
_codes = itertools.count(1)


class ScanningClient(APIClient):
    def __init__(self, standin, **kwargs):
        super().__init__(**kwargs)
        self.standin = standin
        self.scanned = 0

    def _secrets(self) -> list[str]:
        state = self.standin.state
        with state.lock:
            users = list(state.known_openids.items())
            session_keys = list(state.session_keys.values())
        return [*session_keys, *(openid for openid, _ in users), *(state.unionid(user) for _, user in users)]

    def request(self, **kwargs):
        response = super().request(**kwargs)
        if not getattr(response, "streaming", False):
            body = response.content.decode("utf-8", "ignore")
            for key in FORBIDDEN_KEYS:
                assert key not in body, f"{key} in a response to {kwargs.get('PATH_INFO')}"
            for secret in self._secrets():
                assert secret not in body, f"a WeChat secret in a response to {kwargs.get('PATH_INFO')}"
            assert not FACTORY_OPENID.search(body), f"an openid in a response to {kwargs.get('PATH_INFO')}"
            self.scanned += 1
        return response


@pytest.fixture
def api(wechat_standin):
    return ScanningClient(wechat_standin)


@pytest.fixture
def policy(db):
    """The current privacy policy (made by a data migration; made again after a flush)."""
    policy, _ = PrivacyPolicy.objects.get_or_create(
        version="2026-11",
        defaults={
            "title_zh_hans": "隐私政策",
            "title_en": "Privacy policy",
            "text_zh_hans": "中文",
            "text_en": "English",
        },
    )
    return policy


@pytest.fixture
def sign_in(wechat_standin, policy):
    """sign_in("wang") -> (client with the bearer token, buyer, plain token), consented unless consent=False."""

    def sign_in(user: str, *, consent: bool = True):
        from buyers.models import Buyer

        client = ScanningClient(wechat_standin)
        response = client.post("/api/v1/auth/wechat/", {"code": f"valid-{user}#{next(_codes)}"}, format="json")
        assert response.status_code == 200, response.content
        token = response.json()["token"]
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        if consent:
            assert (
                client.post("/api/v1/me/consent/", {"policy_version": policy.version}, format="json").status_code == 200
            )
        return client, Buyer.objects.get(pk=response.json()["buyer"]["id"]), token

    return sign_in
