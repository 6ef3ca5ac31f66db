"""Avatar moderation (docs/wechat.md 1.3): an uploaded avatar goes to WeChat's
asynchronous media check after commit; WeChat (here the stand-in) pushes the verdict to
/api/v1/wechat/push/, signed; pass shows the avatar to others, risky removes it.

The stand-in pushes over real HTTP to pytest-django's live server, so these tests use
committed transactions (live_server); uploads happen through the API test client.
"""

import hashlib
import io
import json
import secrets
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image
from rest_framework.test import APIClient

from buyers.models import AvatarCheck, Buyer
from buyers.serializers import BuyerSerializer
from pti_bridge.models import AuditEntry

PUSH_TOKEN = "fake-push-token"  # the stand-in signs with its launch token (FAKE_WX_PUSH_TOKEN's default)
PUSH_PATH = "/api/v1/wechat/push/"


@pytest.fixture(autouse=True)
def _avatar_settings(settings):
    settings.WECHAT_PUSH_TOKEN = PUSH_TOKEN
    settings.SITE_URL = "https://pti.example.test"  # WeChat fetches media over https only
    # The REDIS_URL run would queue the submission for a worker: submit in this process after commit.
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def push_to(wechat, live_server):
    """Point the stand-in's pushes at this test's live server."""
    wechat.call("POST", "config", {"push_url": live_server.url + PUSH_PATH})
    return live_server


def avatar_upload(name="me.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (300, 300), (20, 120, 200)).save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = name
    return buffer


def upload(client):
    response = client.patch("/api/v1/me/", {"avatar": avatar_upload()}, format="multipart")
    assert response.status_code == 200, response.content
    return response


def media_files(settings) -> list[str]:
    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def seen_by_others(buyer) -> dict | None:
    return BuyerSerializer(Buyer.objects.get(pk=buyer.pk), context={"owner": False}).data["avatar"]


def signed_query(token=PUSH_TOKEN) -> dict:
    timestamp, nonce = str(int(time.time())), secrets.token_hex(6)
    signature = hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()
    return {"signature": signature, "timestamp": timestamp, "nonce": nonce}


def push(body: dict, query: dict):
    from urllib.parse import urlencode

    return APIClient().post(f"{PUSH_PATH}?{urlencode(query)}", json.dumps(body), content_type="application/json")


def media_check_requests(wechat) -> list[dict]:
    return wechat.requests("/wxa/media_check_async")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_avatar_passes_and_others_see_it(sign_in, wechat, push_to, settings, fmt):
    client, buyer, token = sign_in("wang")

    response = upload(client)

    assert response.json()["avatar"]["width"] == 256  # its owner sees it at once
    buyer.refresh_from_db()
    assert buyer.avatar_check == AvatarCheck.PENDING
    assert seen_by_others(buyer) is None  # others do not, until WeChat's verdict
    (request,) = media_check_requests(wechat)  # submitted once, after commit
    assert request["errcode"] == 0
    assert request["json"] == {
        "media_url": f"https://pti.example.test/media/{buyer.avatar.name}",
        "media_type": 2,
        "version": 2,
        "scene": 1,
        "openid": buyer.openid,
    }
    (check,) = wechat.call("GET", "media-checks")
    assert buyer.avatar_check_trace_id == check["trace_id"]

    outcome = wechat.call("POST", f"media-checks/{check['trace_id']}/deliver", format=fmt)

    assert (outcome["delivered"], outcome["push_status"]) == (True, 200)
    buyer.refresh_from_db()
    assert buyer.avatar_check == AvatarCheck.PASS
    assert seen_by_others(buyer)["url"] == f"https://pti.example.test/media/{buyer.avatar.name}"
    assert client.get("/api/v1/me/").json()["avatar"]["url"] == f"https://pti.example.test/media/{buyer.avatar.name}"
    assert AuditEntry.objects.get(action="buyer_avatar_checked").note == "pass, label 100"
    assert media_files(settings) == [buyer.avatar.name]


def test_risky_avatar_is_removed_with_its_file(sign_in, wechat, push_to, settings):
    settings.SITE_URL = "https://risky.example.test"  # the stand-in's marker for a risky verdict
    client, buyer, token = sign_in("wang")
    upload(client)
    buyer.refresh_from_db()
    name = buyer.avatar.name
    assert media_files(settings) == [name]

    outcome = wechat.call("POST", f"media-checks/{buyer.avatar_check_trace_id}/deliver")

    assert outcome["push_status"] == 200
    buyer.refresh_from_db()
    assert (buyer.avatar.name, buyer.avatar_width, buyer.avatar_height) == ("", None, None)
    assert buyer.avatar_check == AvatarCheck.RISKY
    assert media_files(settings) == []  # deleted after commit
    assert client.get("/api/v1/me/").json()["avatar"] is None
    assert AuditEntry.objects.get(action="buyer_avatar_checked").note == "risky, label 20002"


def test_review_and_unchecked_verdicts_keep_the_avatar_hidden(sign_in, wechat, push_to, settings):
    settings.SITE_URL = "https://review.example.test"
    client, buyer, token = sign_in("wang")
    upload(client)
    buyer.refresh_from_db()

    wechat.call("POST", f"media-checks/{buyer.avatar_check_trace_id}/deliver")

    buyer.refresh_from_db()
    assert buyer.avatar_check == AvatarCheck.REVIEW
    assert buyer.avatar and seen_by_others(buyer) is None
    assert client.get("/api/v1/me/").json()["avatar"] is not None

    # WeChat could not download the file: its "pass" is no verdict.
    settings.SITE_URL = "https://undownloadable.example.test"
    upload(client)
    buyer.refresh_from_db()
    wechat.call("POST", f"media-checks/{buyer.avatar_check_trace_id}/deliver")
    buyer.refresh_from_db()
    assert buyer.avatar_check == AvatarCheck.REVIEW
    assert seen_by_others(buyer) is None


def test_a_repeated_or_stale_verdict_changes_nothing(sign_in, wechat, push_to, settings):
    client, buyer, token = sign_in("wang")
    upload(client)
    buyer.refresh_from_db()
    first_trace = buyer.avatar_check_trace_id
    upload(client)  # a new avatar before WeChat answered about the first one
    buyer.refresh_from_db()
    assert buyer.avatar_check_trace_id != first_trace and buyer.avatar_check == AvatarCheck.PENDING

    assert wechat.call("POST", f"media-checks/{first_trace}/deliver")["push_status"] == 200

    buyer.refresh_from_db()
    assert buyer.avatar_check == AvatarCheck.PENDING  # the old avatar's verdict is not the new one's
    assert not AuditEntry.objects.filter(action="buyer_avatar_checked").exists()

    wechat.call("POST", f"media-checks/{buyer.avatar_check_trace_id}/deliver")
    wechat.call("POST", f"media-checks/{buyer.avatar_check_trace_id}/deliver")  # WeChat pushes again
    buyer.refresh_from_db()
    assert buyer.avatar_check == AvatarCheck.PASS
    assert AuditEntry.objects.filter(action="buyer_avatar_checked").count() == 1
    assert media_files(settings) == [buyer.avatar.name]  # the first avatar's file went with its upload


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {},
        {"timestamp": "1", "nonce": "x"},
        "wrong-token",
        "tampered",
    ],
)
def test_forged_push_is_refused_and_changes_nothing(sign_in, wechat, query, django_capture_on_commit_callbacks):
    client, buyer, token = sign_in("wang")
    with django_capture_on_commit_callbacks(execute=True):
        upload(client)
    buyer.refresh_from_db()
    if query == "wrong-token":
        query = signed_query("not-our-token")
    elif query == "tampered":
        query = signed_query() | {"nonce": "other"}
    before = Buyer.objects.values().get(pk=buyer.pk)
    event = {
        "Event": "wxa_media_check",
        "MsgType": "event",
        "FromUserName": buyer.openid,
        "trace_id": buyer.avatar_check_trace_id,
        "version": 2,
        "result": {"suggest": "risky", "label": 20002},
        "detail": [],
    }

    response = push(event, query)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert Buyer.objects.values().get(pk=buyer.pk) == before
    assert not AuditEntry.objects.filter(action="buyer_avatar_checked").exists()


@pytest.mark.django_db
def test_no_push_token_refuses_every_push(settings):
    settings.WECHAT_PUSH_TOKEN = ""
    query = signed_query("")
    assert APIClient().get(PUSH_PATH, {**query, "echostr": "abc"}).status_code == 403
    assert push({"Event": "other"}, query).status_code == 403


@pytest.mark.django_db
def test_url_check_echoes_echostr_when_signed():
    response = APIClient().get(PUSH_PATH, {**signed_query(), "echostr": "8094752210"})
    assert response.status_code == 200
    assert response.content == b"8094752210"
    assert response["Cache-Control"] == "no-store"

    response = APIClient().get(PUSH_PATH, {**signed_query("forged"), "echostr": "8094752210"})
    assert response.status_code == 403
    assert b"8094752210" not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body, status",
    [
        (b"not json nor xml", 400),
        (b"<xml><unclosed>", 400),
        (b'<!DOCTYPE x [<!ENTITY e "boom">]><xml><Event>&e;</Event></xml>', 400),
        (b"[1, 2]", 400),
        (b'{"Event": "subscribe_msg_popup_event"}', 200),  # other events: acknowledged, ignored
        (b'{"Event": "wxa_media_check", "trace_id": "unknown", "result": {"suggest": "pass", "label": 100}}', 200),
        (b'{"Event": "wxa_media_check", "trace_id": ["x"], "result": "pass"}', 200),
    ],
)
def test_bad_or_foreign_pushes_never_500(body, status):
    from urllib.parse import urlencode

    response = APIClient().post(f"{PUSH_PATH}?{urlencode(signed_query())}", body, content_type="application/json")

    assert response.status_code == status
    if status == 200:
        assert response.content == b"success"


@pytest.mark.django_db
def test_verdict_arriving_before_its_trace_id_is_stored_asks_wechat_to_push_again(sign_in, wechat):
    client, buyer, token = sign_in("wang")
    upload(client)  # in a test transaction: nothing commits, so nothing is submitted
    assert media_check_requests(wechat) == []
    Buyer.objects.filter(pk=buyer.pk).update(avatar_check_submitted_at="2026-11-27T05:00:00Z")  # in flight
    event = {
        "Event": "wxa_media_check",
        "FromUserName": buyer.openid,
        "trace_id": "fake-0123456789abcdef",
        "version": 2,
        "result": {"suggest": "pass", "label": 100},
        "detail": [{"strategy": "content_model", "errcode": 0, "suggest": "pass", "label": 100, "prob": 90}],
    }

    response = push(event, signed_query())

    assert response.status_code == 503
    buyer.refresh_from_db()
    assert buyer.avatar_check == AvatarCheck.PENDING


def test_wechat_down_at_upload_then_the_sweep_submits_once(sign_in, wechat, push_to, settings):
    client, buyer, token = sign_in("wang")
    wechat.fault("/wxa/media_check_async", "http500")

    response = upload(client)  # the upload itself succeeds

    assert response.json()["avatar"] is not None
    buyer.refresh_from_db()
    assert (buyer.avatar_check, buyer.avatar_check_trace_id, buyer.avatar_check_submitted_at) == (
        AvatarCheck.PENDING,
        "",
        None,
    )
    assert len(media_check_requests(wechat)) == 1  # tried once, failed

    out = io.StringIO()
    call_command("resubmit_avatar_checks", stdout=out)

    assert out.getvalue().strip() == "Submitted 1 of 1 avatar checks due."
    buyer.refresh_from_db()
    assert buyer.avatar_check_trace_id and buyer.avatar_check_submitted_at
    assert len(media_check_requests(wechat)) == 2

    out = io.StringIO()
    call_command("resubmit_avatar_checks", stdout=out)  # nothing due: nothing sent twice
    assert out.getvalue().strip() == "Submitted 0 of 0 avatar checks due."
    assert len(media_check_requests(wechat)) == 2

    wechat.call("POST", f"media-checks/{buyer.avatar_check_trace_id}/deliver")
    buyer.refresh_from_db()
    assert buyer.avatar_check == AvatarCheck.PASS


def test_a_check_wechat_never_answered_is_submitted_again(sign_in, wechat, push_to):
    from datetime import timedelta

    from django.utils import timezone

    client, buyer, token = sign_in("wang")
    upload(client)
    buyer.refresh_from_db()
    lost_trace = buyer.avatar_check_trace_id
    Buyer.objects.filter(pk=buyer.pk).update(avatar_check_submitted_at=timezone.now() - timedelta(hours=3))

    call_command("resubmit_avatar_checks", stdout=io.StringIO())

    buyer.refresh_from_db()
    assert buyer.avatar_check_trace_id not in ("", lost_trace)
    assert len(media_check_requests(wechat)) == 2
    wechat.call("POST", f"media-checks/{lost_trace}/deliver")  # the lost verdict turns up late: ignored
    buyer.refresh_from_db()
    assert buyer.avatar_check == AvatarCheck.PENDING


def test_deleting_the_account_forgets_the_check(sign_in, wechat, push_to, settings):
    client, buyer, token = sign_in("wang")
    upload(client)
    buyer.refresh_from_db()
    trace = buyer.avatar_check_trace_id

    assert client.delete("/api/v1/me/").status_code == 204

    buyer.refresh_from_db()
    assert (buyer.avatar_check, buyer.avatar_check_trace_id, buyer.avatar_check_submitted_at) == ("", "", None)
    assert wechat.call("POST", f"media-checks/{trace}/deliver")["push_status"] == 200
    assert Buyer.objects.get(pk=buyer.pk).avatar_check == ""
    assert media_files(settings) == []


@pytest.mark.django_db
def test_gateway_refuses_a_non_https_address_before_calling_wechat(wechat):
    from pti_bridge.wechat.gateway import WeChatRefused, get_gateway

    with pytest.raises(WeChatRefused) as caught:
        get_gateway().check_media_async(openid="o-anyone", media_url="http://pti.example.test/a.png")

    assert caught.value.errcode == 47001
    assert media_check_requests(wechat) == []


def test_an_address_that_is_not_https_leaves_the_avatar_pending_for_the_sweep(sign_in, wechat, push_to, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"  # a development machine: WeChat could not fetch it
    client, buyer, token = sign_in("wang")

    upload(client)

    buyer.refresh_from_db()
    assert (buyer.avatar_check, buyer.avatar_check_trace_id, buyer.avatar_check_submitted_at) == ("pending", "", None)
    assert media_check_requests(wechat) == []
    settings.SITE_URL = "https://pti.example.test"
    call_command("resubmit_avatar_checks", stdout=io.StringIO())
    buyer.refresh_from_db()
    assert buyer.avatar_check_trace_id
    assert len(media_check_requests(wechat)) == 1
