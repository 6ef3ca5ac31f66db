"""WeChat is never called inside a database transaction: a slow WeChat must not hold locks.

The gateway's one request method is wrapped by a spy that records whether a transaction
was open at each call and then does the real call over HTTP to the stand-in (observation,
not a mock). A transactional test, so "in a transaction" means the code under test opened one.
"""

import pytest
from django.db import connection

from pti_bridge.wechat.gateway import WeChatGateway
from tests import factories


@pytest.fixture
def calls(monkeypatch):
    seen = []
    real_call = WeChatGateway._call

    def spy(self, method, path, **kwargs):
        seen.append((path, connection.in_atomic_block))
        return real_call(self, method, path, **kwargs)

    monkeypatch.setattr(WeChatGateway, "_call", spy)
    return seen


@pytest.mark.django_db(transaction=True)
def test_every_wechat_call_happens_outside_a_transaction(calls, sign_in, wechat):
    client, buyer, token = sign_in("wang")
    product = factories.ProductFactory(published=True)
    client.patch("/api/v1/me/", {"display_name": "王经理"}, format="json")
    client.post("/api/v1/me/phone/", {"code": "phone-13800000000"}, format="json")
    inquiry = client.post(
        "/api/v1/inquiries/", {"product": product.pk, "quantity": "5", "unit": "kg", "message": "你好"}, format="json"
    ).json()
    client.post(f"/api/v1/inquiries/{inquiry['id']}/messages/", {"text": "再问一下"}, format="json")
    client.get(f"/api/v1/products/{product.pk}/share-code/")

    assert [path for path, _ in calls] == [
        "sns/jscode2session",
        "wxa/msg_sec_check",
        "wxa/business/getuserphonenumber",
        "wxa/msg_sec_check",
        "wxa/msg_sec_check",
        "wxa/getwxacodeunlimit",
    ]
    assert [in_transaction for _, in_transaction in calls] == [False] * 6
