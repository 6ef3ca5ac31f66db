"""`make run` (scripts/run_local.py): the sign-in hint it prints signs in as the demo buyer, with the demo's inquiries."""

import importlib.util
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from buyers.models import Buyer
from inquiries.models import Inquiry

pytestmark = pytest.mark.django_db

RUN_LOCAL = Path(__file__).resolve().parents[2] / "scripts" / "run_local.py"


def run_local():
    spec = importlib.util.spec_from_file_location("run_local", RUN_LOCAL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sign_in(client, code: str):
    return client.post("/api/v1/auth/wechat/", {"code": code}, content_type="application/json")


def test_the_printed_hint_signs_in_as_the_demo_buyer_with_its_inquiries(client, wechat):
    call_command("load_demo_data", stdout=io.StringIO())
    wechat.call("POST", "config", {"accept_any_code": True})  # as make run starts the stand-in
    demo_buyer = Buyer.objects.get(display_name="王经理")
    buyers_before = Buyer.objects.count()
    hint = run_local().sign_in_hint(8081)
    code = re.search(r'"code": "([^"]+)"', hint).group(1)

    response = sign_in(client, code)

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["created"], body["buyer"]["id"]) == (False, demo_buyer.pk)
    inquiries = client.get("/api/v1/inquiries/", HTTP_AUTHORIZATION=f"Bearer {body['token']}").json()
    assert inquiries["count"] == Inquiry.objects.filter(buyer=demo_buyer).count() > 0
    assert Buyer.objects.count() == buyers_before


def test_the_hint_says_the_code_is_single_use_and_names_the_next_one(client, wechat):
    call_command("load_demo_data", stdout=io.StringIO())
    hint = run_local().sign_in_hint(8081)
    code = re.search(r'"code": "([^"]+)"', hint).group(1)
    assert sign_in(client, code).status_code == 200

    again = sign_in(client, code)
    following = sign_in(client, "valid-demo-buyer#2")

    assert again.status_code == 400
    assert again.json()["error"]["code"] == "wechat_invalid_code"
    assert "single-use" in hint and "valid-demo-buyer#2" in hint
    assert following.json()["buyer"]["display_name"] == "王经理"
