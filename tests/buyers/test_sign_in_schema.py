"""The sign-in and phone codes: the schema declares what the serializer enforces
(schemathesis sent {"code": ""}, which the schema allowed and the API refused)."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from buyers.models import Buyer

pytestmark = pytest.mark.django_db


def test_schema_declares_the_code_lengths():
    schemas = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    for name in ("SignIn", "Phone"):
        code = schemas[name]["properties"]["code"]
        assert (code["minLength"], code["maxLength"]) == (1, 128), name
        assert schemas[name]["required"] == ["code"]


@pytest.mark.parametrize("code", ["", "x" * 129])
def test_codes_outside_the_schema_are_a_400_before_wechat_is_called(api, wechat, code):
    response = api.post("/api/v1/auth/wechat/", {"code": code}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert list(response.json()["error"]["fields"]) == ["code"]
    assert wechat.requests() == []
    assert Buyer.objects.count() == 0
