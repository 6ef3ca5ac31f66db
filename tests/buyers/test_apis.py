"""Sign-in and the buyer account through the API, against the WeChat stand-in over HTTP."""

import io
import json
import time
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone
from PIL import Image

from buyers.models import AvatarCheck, Buyer, BuyerToken, Favourite, ShareCode
from pti_bridge.models import AuditEntry, Notification
from pti_bridge.wechat.standin import png_text
from tests import factories

pytestmark = pytest.mark.django_db


# Sign-in.


def test_new_buyer_signs_in(api, wechat, policy):
    response = api.post("/api/v1/auth/wechat/", {"code": "valid-alice#1"}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert body["created"] is True
    assert set(body) == {"token", "expires_at", "buyer", "created"}
    assert set(body["buyer"]) == {
        "id",
        "display_name",
        "avatar",
        "company",
        "phone",
        "consented_policy_version",
        "consent_current",
        "created_at",
    }
    buyer = Buyer.objects.get()
    identity = wechat.identity("alice")
    assert buyer.openid == identity["openid"]
    assert buyer.unionid == identity["unionid"]
    assert buyer.session_key == ""  # never stored
    token = BuyerToken.objects.get()
    assert token.key_hash != body["token"] and len(token.key_hash) == 64  # only the hash is kept
    assert abs(token.expires_at - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)
    assert wechat.token_fetches() == 0  # code2Session needs no access token


def test_returning_buyer_gets_the_same_account(api, wechat, policy):
    first = api.post("/api/v1/auth/wechat/", {"code": "valid-alice#1"}, format="json").json()
    second = api.post("/api/v1/auth/wechat/", {"code": "valid-alice#2"}, format="json").json()

    assert second["created"] is False
    assert second["buyer"]["id"] == first["buyer"]["id"]
    assert second["token"] != first["token"]
    assert Buyer.objects.count() == 1
    assert BuyerToken.objects.count() == 2


@pytest.mark.parametrize(
    ("code", "status", "error_code"),
    [
        ("used-x", 400, "wechat_invalid_code"),
        ("invalid-x", 400, "wechat_invalid_code"),
        ("expired-x", 400, "wechat_invalid_code"),
        ("ratelimit-x", 503, "wechat_unavailable"),
        ("busy-x", 503, "wechat_unavailable"),
        ("blocked-x", 403, "wechat_blocked"),
    ],
)
def test_bad_codes_and_unavailable_wechat(api, code, status, error_code):
    response = api.post("/api/v1/auth/wechat/", {"code": code}, format="json")
    assert response.status_code == status
    assert response.json()["error"]["code"] == error_code
    assert Buyer.objects.count() == 0
    assert BuyerToken.objects.count() == 0


def test_replayed_code_is_refused(api):
    assert api.post("/api/v1/auth/wechat/", {"code": "valid-alice#9"}, format="json").status_code == 200
    response = api.post("/api/v1/auth/wechat/", {"code": "valid-alice#9"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "wechat_invalid_code"
    assert BuyerToken.objects.count() == 1


@pytest.mark.parametrize("mode", ["hang", "http500", "badjson", "reset"])
def test_failing_wechat_is_a_503_within_the_timeout(api, wechat, settings, mode):
    settings.WECHAT_TIMEOUT_SECONDS = 0.5
    wechat.fault("/sns/jscode2session", mode)
    started = time.monotonic()
    response = api.post("/api/v1/auth/wechat/", {"code": "valid-alice#1"}, format="json")
    assert time.monotonic() - started < 1.5
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "wechat_unavailable"
    assert Buyer.objects.count() == 0


def test_sign_in_without_a_code_is_a_400(api):
    response = api.post("/api/v1/auth/wechat/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"code": ["该字段是必填项。"]}


def test_a_stale_token_does_not_stop_a_new_sign_in(api):
    api.credentials(HTTP_AUTHORIZATION="Bearer stale-token")
    assert api.post("/api/v1/auth/wechat/", {"code": "valid-alice#1"}, format="json").status_code == 200


# Tokens.


def test_me_with_and_without_a_valid_token(sign_in, api):
    client, buyer, token = sign_in("wang")
    response = client.get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["id"] == buyer.pk

    assert api.get("/api/v1/me/").status_code == 401
    api.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    response = api.get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_expired_and_revoked_tokens_are_401(sign_in):
    client, buyer, token = sign_in("wang")
    BuyerToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/me/").status_code == 401

    client, buyer, token = sign_in("wang")
    BuyerToken.objects.filter(revoked_at__isnull=True, expires_at__gt=timezone.now()).update(revoked_at=timezone.now())
    assert client.get("/api/v1/me/").status_code == 401


def test_token_expiry_slides_on_use(sign_in):
    client, buyer, token = sign_in("wang")
    long_ago = timezone.now() - timedelta(days=20)
    BuyerToken.objects.update(last_used_at=long_ago, expires_at=long_ago + timedelta(days=30))

    assert client.get("/api/v1/me/").status_code == 200

    stored = BuyerToken.objects.get()
    assert abs(stored.expires_at - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)


def test_an_expired_token_on_a_public_read_is_401(sign_in, policy):
    client, buyer, token = sign_in("wang")
    BuyerToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    product = factories.ProductFactory(published=True)
    assert client.get(f"/api/v1/products/{product.pk}/").status_code == 401


# Profile.


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (400, 300), (200, 100, 50))
    exif = Image.Exif()
    exif[0x8825] = {2: (39.0, 54.0, 0.0), 1: "N"}  # GPSInfo
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def test_buyer_changes_name_company_and_avatar(sign_in):
    client, buyer, token = sign_in("wang")
    response = client.patch("/api/v1/me/", {"display_name": "王经理", "company": "上海贸易"}, format="json")
    assert response.status_code == 200
    assert (response.json()["display_name"], response.json()["company"]) == ("王经理", "上海贸易")

    upload = io.BytesIO(jpeg_with_gps())
    upload.name = "me.jpg"
    response = client.patch("/api/v1/me/", {"avatar": upload}, format="multipart")
    assert response.status_code == 200, response.content
    avatar = response.json()["avatar"]
    assert avatar["width"] == 256 and avatar["height"] == 192
    buyer.refresh_from_db()
    with buyer.avatar.open("rb") as handle:
        stored = Image.open(io.BytesIO(handle.read()))
        assert stored.getexif().get(0x8825) is None  # GPS stripped by the image pipeline


@pytest.mark.parametrize(
    ("body", "format"), [({"avatar": None}, "json"), ({"avatar": ""}, "json"), ({"avatar": ""}, "multipart")]
)
def test_an_empty_avatar_removes_the_avatar_as_the_schema_says(
    sign_in, body, format, django_capture_on_commit_callbacks
):
    client, buyer, token = sign_in("wang")
    upload = io.BytesIO(jpeg_with_gps())
    upload.name = "me.jpg"
    assert client.patch("/api/v1/me/", {"avatar": upload, "display_name": "王"}, format="multipart").status_code == 200
    buyer.refresh_from_db()
    stored = buyer.avatar.name
    assert buyer.avatar_check == AvatarCheck.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        response = client.patch("/api/v1/me/", body, format=format)

    assert response.status_code == 200, response.content
    assert response.json()["avatar"] is None
    buyer.refresh_from_db()
    assert (buyer.avatar.name, buyer.avatar_check, buyer.avatar_width, buyer.display_name) == ("", "", None, "王")
    assert not default_storage.exists(stored)


def test_not_an_image_is_refused(sign_in):
    client, buyer, token = sign_in("wang")
    upload = io.BytesIO(b"GIF89a not really")
    upload.name = "me.jpg"
    response = client.patch("/api/v1/me/", {"avatar": upload}, format="multipart")
    assert response.status_code == 400
    assert "avatar" in response.json()["error"]["fields"]
    buyer.refresh_from_db()
    assert not buyer.avatar


def test_too_large_avatar_is_413(sign_in, settings):
    client, buyer, token = sign_in("wang")
    settings.IMAGE_UPLOAD_MAX_BYTES = 1000
    upload = io.BytesIO(jpeg_with_gps() + b"\0" * 2000)
    upload.name = "me.jpg"
    response = client.patch("/api/v1/me/", {"avatar": upload}, format="multipart")
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    buyer.refresh_from_db()
    assert not buyer.avatar


@pytest.mark.parametrize(
    ("language", "message"),
    [("zh-hans", "请求内容不是有效的 multipart 表单。"), ("en", "The request body is not a valid multipart form.")],
)
def test_a_broken_profile_form_is_refused_in_the_request_language(sign_in, language, message):
    client, buyer, token = sign_in("wang")
    body = b'--zz\r\nContent-Disposition: form-data; name="display_name"\r\n\r\nWang\r\n--zz--\r\n'

    response = client.patch("/api/v1/me/", data=body, content_type="multipart/form-data", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 400
    assert response.json() == {"error": {"code": "parse_error", "message": message}}
    buyer.refresh_from_db()
    assert buyer.display_name == ""


def test_risky_display_name_is_rejected_and_nothing_changes(sign_in, wechat):
    client, buyer, token = sign_in("wang")
    response = client.patch("/api/v1/me/", {"display_name": "坏名字 [[risky]]"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "content_rejected"
    buyer.refresh_from_db()
    assert buyer.display_name == ""
    [check] = wechat.requests("/wxa/msg_sec_check")
    assert check["json"]["scene"] == 1 and check["json"]["version"] == 2


@pytest.mark.parametrize("field", ["display_name", "company"])
def test_a_risky_word_in_any_profile_text_is_refused_and_nothing_changes(sign_in, wechat, field):
    client, buyer, token = sign_in("wang")
    assert client.patch("/api/v1/me/", {"display_name": "王", "company": "海鲜贸易"}, format="json").status_code == 200
    wechat.call("POST", "config", {"risky_words": ["违禁品"]})

    response = client.patch("/api/v1/me/", {field: "违禁品公司"}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "content_rejected"
    buyer.refresh_from_db()
    assert (buyer.display_name, buyer.company) == ("王", "海鲜贸易")


# Phone.


def test_phone_binding(sign_in, wechat):
    client, buyer, token = sign_in("wang")
    code = wechat.phone_code("13800000000", openid=buyer.openid)

    response = client.post("/api/v1/me/phone/", {"code": code}, format="json")
    assert response.status_code == 200
    assert response.json()["phone"] == "13800000000"
    buyer.refresh_from_db()
    assert (buyer.phone, buyer.phone_country_code) == ("13800000000", "86")

    again = client.post("/api/v1/me/phone/", {"code": code}, format="json")
    assert again.status_code == 400
    assert again.json()["error"]["code"] == "wechat_invalid_code"


def test_international_phone_keeps_its_country_code(sign_in):
    client, buyer, token = sign_in("wang")
    response = client.post("/api/v1/me/phone/", {"code": "phone-679-7012345"}, format="json")
    assert response.json()["phone"] == "+679 7012345"
    buyer.refresh_from_db()
    assert (buyer.phone, buyer.phone_country_code) == ("7012345", "679")


def test_phone_code_of_another_user_is_refused(sign_in, wechat):
    client, buyer, token = sign_in("wang")
    code = wechat.phone_code("13800000000", openid="o-someone-else")
    assert client.post("/api/v1/me/phone/", {"code": code}, format="json").status_code == 400
    buyer.refresh_from_db()
    assert buyer.phone == ""


def test_phone_when_wechat_is_busy(sign_in):
    client, buyer, token = sign_in("wang")
    response = client.post("/api/v1/me/phone/", {"code": "busy-1"}, format="json")
    assert response.status_code == 503
    buyer.refresh_from_db()
    assert buyer.phone == ""


# Privacy policy and consent.


def test_privacy_policy_in_the_request_language(api, policy):
    chinese = api.get("/api/v1/privacy-policy/")
    assert chinese.status_code == 200
    assert chinese.json()["version"] == policy.version
    assert chinese.json()["text"] == policy.text_zh_hans
    english = api.get("/api/v1/privacy-policy/", HTTP_ACCEPT_LANGUAGE="en")
    assert (english.json()["title"], english.json()["text"]) == (policy.title_en, policy.text_en)


def test_consent_only_to_the_current_version(sign_in, policy):
    client, buyer, token = sign_in("wang", consent=False)
    response = client.post("/api/v1/me/consent/", {"policy_version": "1999-01"}, format="json")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["policy_version"]
    buyer.refresh_from_db()
    assert buyer.consented_policy_version == ""

    response = client.post("/api/v1/me/consent/", {"policy_version": policy.version}, format="json")
    assert response.status_code == 200
    assert response.json()["consented_policy_version"] == policy.version
    assert response.json()["consent_current"] is True


# Export and deletion.

EXPORT_EXEMPT = {"id", "openid", "unionid", "session_key", "deleted_at", "avatar_width", "avatar_height"}


def test_export_contains_every_personal_field(sign_in, wechat):
    client, buyer, token = sign_in("wang")
    client.patch("/api/v1/me/", {"display_name": "王经理", "company": "上海贸易"}, format="json")
    client.post("/api/v1/me/phone/", {"code": "phone-13900000000"}, format="json")
    product = factories.ProductFactory(published=True)
    client.put(f"/api/v1/favourites/{product.pk}/")
    client.post(
        "/api/v1/inquiries/",
        {"product": product.pk, "quantity": "100", "unit": "kg", "message": "请报价"},
        format="json",
    )

    response = client.get("/api/v1/me/data/")

    assert response.status_code == 200
    data = response.json()
    buyer.refresh_from_db()
    personal = {f.name for f in Buyer._meta.concrete_fields} - EXPORT_EXEMPT
    assert personal <= set(data["profile"]), "a Buyer field is missing from the export"
    assert data["profile"]["display_name"] == "王经理"
    assert data["profile"]["phone"] == "13900000000"
    assert data["wechat"] == {
        "account_identifier_stored": True,
        "platform_identifier_stored": True,
        "session_secret_stored": False,
    }
    assert data["favourites"][0]["product"] == product.pk
    assert data["inquiries"][0]["messages"][0]["text"] == "请报价"
    assert len(data["sign_ins"]) == 1


def text_columns():
    """Every (table, column) of a text type in the database."""
    text_types = ("char", "text", "json", "clob")
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                try:
                    type_name = str(connection.introspection.get_field_type(column.type_code, column) or "").lower()
                except KeyError:  # no Django type (PostgreSQL's tsvector search keys, made from text columns)
                    continue
                if any(kind in type_name for kind in text_types):
                    yield table, column.name


def occurrences(value: str) -> list[tuple[str, str]]:
    found = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, column in text_columns():
            cursor.execute(
                f"SELECT COUNT(*) FROM {quote(table)} WHERE CAST({quote(column)} AS TEXT) LIKE %s", [f"%{value}%"]
            )
            if cursor.fetchone()[0]:
                found.append((table, column))
    return found


def test_account_deletion_erases_personal_data_everywhere(sign_in, wechat, staff):
    client, buyer, token = sign_in("wang")
    openid = buyer.openid
    client.patch("/api/v1/me/", {"display_name": "王经理", "company": "上海贸易"}, format="json")
    client.post("/api/v1/me/phone/", {"code": "phone-13912345678"}, format="json")
    product = factories.ProductFactory(published=True)
    client.put(f"/api/v1/favourites/{product.pk}/")
    inquiry_id = client.post(
        "/api/v1/inquiries/",
        {"product": product.pk, "quantity": "100", "unit": "kg", "message": "请报价，谢谢"},
        format="json",
    ).json()["id"]
    Notification.objects.create(channel="wechat", kind="inquiry_answered", recipient=openid, payload={"touser": openid})
    assert occurrences(openid) and occurrences("13912345678")

    response = client.delete("/api/v1/me/")

    assert response.status_code == 204
    assert occurrences(openid) == []
    assert occurrences("13912345678") == []
    assert occurrences("王经理") == []
    buyer.refresh_from_db()
    assert buyer.openid is None and buyer.deleted_at is not None
    assert (buyer.display_name, buyer.company, buyer.phone, buyer.unionid) == ("", "", "", "")
    assert Favourite.objects.count() == 0
    assert BuyerToken.objects.count() == 0
    inquiry = buyer.inquiries.get()
    assert inquiry.pk == inquiry_id
    assert inquiry.messages.get().is_erased  # the inquiry stays, what the buyer wrote does not (test_erasure.py)
    assert Notification.objects.get().status == Notification.Status.CANCELLED
    assert set(
        AuditEntry.objects.filter(object_id=str(buyer.pk), content_type__model="buyer").values_list(
            "object_repr", flat=True
        )
    ) == {f"Deleted buyer #{buyer.pk}"}
    assert client.get("/api/v1/me/").status_code == 401

    # Signing in again with the same WeChat user makes a fresh account.
    again = client.post("/api/v1/auth/wechat/", {"code": "valid-wang#again"}, format="json").json()
    assert again["created"] is True and again["buyer"]["id"] != buyer.pk


# Favourites.


def test_favourites_are_idempotent_and_listed_newest_first(sign_in):
    client, buyer, token = sign_in("wang")
    first, second = factories.ProductFactory(published=True), factories.ProductFactory(published=True)

    for product in (first, second, second):
        assert client.put(f"/api/v1/favourites/{product.pk}/").status_code == 204
    assert Favourite.objects.filter(buyer=buyer).count() == 2

    listing = client.get("/api/v1/favourites/").json()
    assert listing["count"] == 2
    assert [card["id"] for card in listing["results"]] == [second.pk, first.pk]
    assert client.get(f"/api/v1/products/{first.pk}/").json()["is_favourite"] is True

    for _ in range(2):
        assert client.delete(f"/api/v1/favourites/{first.pk}/").status_code == 204
    assert list(Favourite.objects.values_list("product_id", flat=True)) == [second.pk]
    assert client.get(f"/api/v1/products/{first.pk}/").json()["is_favourite"] is False


def test_a_signed_in_answer_is_private_and_never_cached(sign_in, settings):
    """A buyer's product detail says whether it is a favourite: it gets an ETag and a 304, but
    proxies must not keep it and the API's cache never stores it for anyone else."""
    settings.API_CACHE_SECONDS = 300
    client, buyer, token = sign_in("wang")
    product = factories.ProductFactory(published=True)
    assert client.put(f"/api/v1/favourites/{product.pk}/").status_code == 204

    mine = client.get(f"/api/v1/products/{product.pk}/")
    again = client.get(f"/api/v1/products/{product.pk}/", HTTP_IF_NONE_MATCH=mine["ETag"])
    client.credentials()
    anonymous = client.get(f"/api/v1/products/{product.pk}/")

    assert mine.json()["is_favourite"] is True
    assert mine["Cache-Control"] == "private, no-cache" and again["Cache-Control"] == "private, no-cache"
    assert again.status_code == 304 and again["ETag"] == mine["ETag"]
    assert {"Accept-Language", "Authorization"} <= {name.strip() for name in mine["Vary"].split(",")}
    assert anonymous["Cache-Control"] == "no-cache"
    assert "is_favourite" not in anonymous.json() and anonymous["ETag"] != mine["ETag"]


def test_favourite_of_an_unpublished_product_is_404(sign_in):
    client, buyer, token = sign_in("wang")
    draft = factories.ProductFactory()
    assert client.put(f"/api/v1/favourites/{draft.pk}/").status_code == 404
    assert client.put("/api/v1/favourites/999999/").status_code == 404
    assert Favourite.objects.count() == 0


def test_favourites_list_has_a_fixed_number_of_queries(sign_in, django_assert_num_queries):
    client, buyer, token = sign_in("wang")
    for _ in range(3):
        client.put(f"/api/v1/favourites/{factories.ProductFactory(published=True).pk}/")
    with django_assert_num_queries(3):  # token, count, page
        assert client.get("/api/v1/favourites/").status_code == 200
    for _ in range(5):
        client.put(f"/api/v1/favourites/{factories.ProductFactory(published=True).pk}/")
    with django_assert_num_queries(3):
        assert len(client.get("/api/v1/favourites/").json()["results"]) == 8


# Share codes.


def test_share_code_is_made_once(api, wechat):
    product = factories.ProductFactory(published=True)

    first = api.get(f"/api/v1/products/{product.pk}/share-code/")
    second = api.get(f"/api/v1/products/{product.pk}/share-code/")

    assert first.status_code == second.status_code == 200
    assert first["Content-Type"] == "image/png"
    assert first.content == second.content
    assert json.loads(png_text(first.content)) == {
        "scene": f"p={product.pk}",
        "page": "pages/product/detail",
        "env_version": "release",
        "width": 430,
    }
    assert len(wechat.requests("/wxa/getwxacodeunlimit")) == 1
    assert ShareCode.objects.count() == 1


def test_share_code_of_a_hidden_product_is_404(api, wechat):
    draft = factories.ProductFactory()
    assert api.get(f"/api/v1/products/{draft.pk}/share-code/").status_code == 404
    assert wechat.requests("/wxa/getwxacodeunlimit") == []


def test_share_code_when_wechat_is_busy(api, wechat):
    product = factories.ProductFactory(published=True)
    wechat.fault("/wxa/getwxacodeunlimit", "busy")
    response = api.get(f"/api/v1/products/{product.pk}/share-code/")
    assert response.status_code == 503
    assert ShareCode.objects.count() == 0
    assert api.get(f"/api/v1/products/{product.pk}/share-code/").status_code == 200
