"""The buyer's inquiries through the API, content security through the WeChat stand-in."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from catalogue.models import Product
from inquiries.models import Inquiry, Message
from inquiries.services import message_translate
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def product(verified_exporter):
    return factories.ProductFactory(published=True, exporter=verified_exporter)


def body(product_obj, **overrides):
    return {
        "product": product_obj.pk,
        "quantity": "500",
        "unit": "kg",
        "message": "请问每公斤的到岸价是多少？",
        "target_price": "150.00",
        "currency": "USD",
        "destination": "上海",
        **overrides,
    }


# Creating inquiries.


def test_clean_inquiry_is_created_and_visible(sign_in, product, wechat):
    client, buyer, token = sign_in("wang")

    response = client.post("/api/v1/inquiries/", body(product), format="json")

    assert response.status_code == 201, response.content
    data = response.json()
    inquiry = Inquiry.objects.get()
    assert data["id"] == inquiry.pk
    assert data["status"] == "new"
    assert data["product"]["id"] == product.pk
    assert (data["quantity"], data["unit"], data["target_price"], data["currency"]) == ("500.00", "kg", "150.00", "USD")
    assert [(m["author"], m["text"], m["in_review"]) for m in data["messages"]] == [
        ("buyer", "请问每公斤的到岸价是多少？", False)
    ]
    assert inquiry.messages.get().screening == Message.Screening.PASSED
    assert inquiry.exporter_id == product.exporter_id
    product.refresh_from_db()
    assert product.inquiry_count == 1
    [check] = wechat.requests("/wxa/msg_sec_check")
    assert check["json"]["version"] == 2 and check["json"]["scene"] == 2 and check["json"]["openid"] == buyer.openid
    assert all(not entry["flags"]["v1_used"] for entry in wechat.requests())


def test_risky_inquiry_is_rejected_and_nothing_is_written(sign_in, product):
    client, buyer, token = sign_in("wang")
    response = client.post("/api/v1/inquiries/", body(product, message="违规内容 [[risky:20006]]"), format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "content_rejected"
    assert Inquiry.objects.count() == 0 and Message.objects.count() == 0
    product.refresh_from_db()
    assert product.inquiry_count == 0


def test_inquiry_wechat_wants_reviewed_waits_for_staff(sign_in, product):
    client, buyer, token = sign_in("wang")
    response = client.post("/api/v1/inquiries/", body(product, message="需要审核 [[review]]"), format="json")
    assert response.status_code == 201
    assert response.json()["messages"][0]["in_review"] is True
    message = Message.objects.get()
    assert message.screening == Message.Screening.REVIEW
    # What the exporter's inbox shows: nothing held by the content check.
    assert not Message.objects.filter(
        inquiry__in=Inquiry.objects.for_exporter(product.exporter), screening="passed"
    ).exists()


def test_inquiry_of_a_user_wechat_cannot_judge_goes_to_review(sign_in, product, wechat):
    client, buyer, token = sign_in("wang")
    wechat.call("POST", "activity", {"openid": buyer.openid, "seconds_ago": 999999})
    response = client.post("/api/v1/inquiries/", body(product), format="json")
    assert response.status_code == 201
    assert Message.objects.get().screening == Message.Screening.REVIEW
    assert [e["errcode"] for e in wechat.requests("/wxa/msg_sec_check")] == [61010]


def test_inquiry_when_wechat_is_down_is_a_503_and_nothing_is_written(sign_in, product, wechat, settings):
    client, buyer, token = sign_in("wang")
    settings.WECHAT_TIMEOUT_SECONDS = 0.5
    wechat.fault("/wxa/msg_sec_check", "hang")
    response = client.post("/api/v1/inquiries/", body(product), format="json")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "wechat_unavailable"
    assert Inquiry.objects.count() == 0


def test_inquiry_needs_consent_to_the_current_policy(sign_in, product, policy):
    client, buyer, token = sign_in("wang", consent=False)
    response = client.post("/api/v1/inquiries/", body(product), format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "consent_required"
    assert Inquiry.objects.count() == 0

    # A new policy version needs a new consent.
    client.post("/api/v1/me/consent/", {"policy_version": policy.version}, format="json")
    factories_policy = type(policy).objects.create(
        version="2027-01", title_zh_hans="新", title_en="New", text_zh_hans="新", text_en="New"
    )
    assert factories_policy == type(policy).objects.current()
    assert client.post("/api/v1/inquiries/", body(product), format="json").status_code == 409


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"quantity": "0"}, "quantity"),
        ({"quantity": "abc"}, "quantity"),
        ({"unit": "bushel"}, "unit"),
        ({"message": ""}, "message"),
        ({"message": "字" * 2001}, "message"),
        ({"target_price": "-1"}, "target_price"),
        ({"currency": ""}, "currency"),
        ({"product": 999999}, "product"),
    ],
)
def test_invalid_inquiries_are_400(sign_in, product, overrides, field, wechat):
    client, buyer, token = sign_in("wang")
    response = client.post("/api/v1/inquiries/", body(product, **overrides), format="json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert Inquiry.objects.count() == 0
    assert wechat.requests("/wxa/msg_sec_check") == []


def test_inquiry_about_an_unpublished_product_is_400(sign_in, verified_exporter):
    client, buyer, token = sign_in("wang")
    draft = factories.ProductFactory(exporter=verified_exporter)
    response = client.post("/api/v1/inquiries/", body(draft), format="json")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["product"]


# Idempotency.


def test_same_idempotency_key_returns_the_first_inquiry(sign_in, product, wechat):
    client, buyer, token = sign_in("wang")
    first = client.post("/api/v1/inquiries/", body(product), format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    again = client.post("/api/v1/inquiries/", body(product), format="json", HTTP_IDEMPOTENCY_KEY="key-1")

    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert Inquiry.objects.count() == 1 and Message.objects.count() == 1
    assert len(wechat.requests("/wxa/msg_sec_check")) == 1  # the replay calls nobody


def test_same_key_with_a_different_body_is_refused(sign_in, product):
    client, buyer, token = sign_in("wang")
    client.post("/api/v1/inquiries/", body(product), format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    response = client.post(
        "/api/v1/inquiries/", body(product, quantity="600"), format="json", HTTP_IDEMPOTENCY_KEY="key-1"
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_conflict"
    assert Inquiry.objects.get().quantity == Decimal("500")


def test_keys_are_per_buyer(sign_in, product):
    wang, _, _ = sign_in("wang")
    chen, _, _ = sign_in("chen")
    a = wang.post("/api/v1/inquiries/", body(product), format="json", HTTP_IDEMPOTENCY_KEY="same")
    b = chen.post("/api/v1/inquiries/", body(product), format="json", HTTP_IDEMPOTENCY_KEY="same")
    assert a.status_code == b.status_code == 201
    assert a.json()["id"] != b.json()["id"]


def test_bad_idempotency_key_is_400(sign_in, product):
    client, buyer, token = sign_in("wang")
    response = client.post("/api/v1/inquiries/", body(product), format="json", HTTP_IDEMPOTENCY_KEY="x" * 65)
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["Idempotency-Key"]


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_posts_with_one_key_make_one_inquiry(postgres, sign_in, product):
    client, buyer, token = sign_in("wang")
    barrier = threading.Barrier(20)
    responses = []

    def post():
        try:
            barrier.wait()
            responses.append(
                client.post("/api/v1/inquiries/", body(product), format="json", HTTP_IDEMPOTENCY_KEY="parallel-1")
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [r.status_code for r in responses] == [201] * 20
    assert len({r.json()["id"] for r in responses}) == 1
    assert Inquiry.objects.count() == 1
    assert Message.objects.count() == 1
    assert Product.objects.get(pk=product.pk).inquiry_count == 1
    assert sum(1 for r in responses if r.has_header("Idempotent-Replayed")) == 19


# Reading.


def test_list_shows_unread_replies_and_the_last_visible_message(sign_in, product, staff):
    client, buyer, token = sign_in("wang")
    inquiry_id = client.post("/api/v1/inquiries/", body(product), format="json").json()["id"]
    inquiry = Inquiry.objects.get(pk=inquiry_id)

    listing = client.get("/api/v1/inquiries/").json()
    assert listing["count"] == 1
    [item] = listing["results"]
    assert item["unread"] is False
    assert item["last_message"]["text"] == "请问每公斤的到岸价是多少？"
    assert item["product"]["id"] == product.pk

    # The buyer last read it ten seconds ago; the exporter answered five seconds ago.
    read_at = timezone.now() - timedelta(seconds=10)
    Inquiry.objects.filter(pk=inquiry_id).update(buyer_read_at=read_at, created_at=read_at)
    Message.objects.filter(inquiry_id=inquiry_id).update(created_at=read_at)
    later = read_at + timedelta(seconds=5)
    factories.MessageFactory(
        inquiry=inquiry,
        author_role="exporter",
        text="USD 180/kg FOB.",
        language="en",
        translation="每公斤180美元，离岸价。",
        created_at=later,
    )
    factories.MessageFactory(
        inquiry=inquiry,
        author_role="staff",
        text="内部：买家可靠",
        language="zh-hans",
        is_internal=True,
        created_at=later,
    )
    item = client.get("/api/v1/inquiries/").json()["results"][0]
    assert item["unread"] is True
    assert (item["last_message"]["author"], item["last_message"]["text"], item["last_message"]["translated"]) == (
        "exporter",
        "每公斤180美元，离岸价。",
        True,
    )

    detail = client.get(f"/api/v1/inquiries/{inquiry_id}/").json()
    assert [(m["author"], m["text"], m["translated"]) for m in detail["messages"]] == [
        ("buyer", "请问每公斤的到岸价是多少？", False),
        ("exporter", "每公斤180美元，离岸价。", True),
    ]
    english = client.get(f"/api/v1/inquiries/{inquiry_id}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["messages"][1]["text"] == "USD 180/kg FOB."
    assert english["messages"][1]["translated"] is False
    assert client.get("/api/v1/inquiries/").json()["results"][0]["unread"] is False


def test_inquiry_list_has_a_fixed_number_of_queries(sign_in, django_assert_num_queries):
    client, buyer, token = sign_in("wang")

    def add_inquiries(n):
        for _ in range(n):
            inquiry = factories.InquiryFactory(buyer=buyer)
            factories.MessageFactory(inquiry=inquiry)

    add_inquiries(2)
    with django_assert_num_queries(5):  # token, count, page, product cards, last messages
        assert client.get("/api/v1/inquiries/").status_code == 200
    add_inquiries(6)
    with django_assert_num_queries(5):
        assert len(client.get("/api/v1/inquiries/").json()["results"]) == 8


# Posting messages.


def test_buyer_posts_a_message(sign_in, product, wechat):
    client, buyer, token = sign_in("wang")
    inquiry_id = client.post("/api/v1/inquiries/", body(product), format="json").json()["id"]

    response = client.post(f"/api/v1/inquiries/{inquiry_id}/messages/", {"text": "能否提供样品？"}, format="json")

    assert response.status_code == 201
    assert (response.json()["author"], response.json()["text"]) == ("buyer", "能否提供样品？")
    assert Message.objects.filter(inquiry_id=inquiry_id).count() == 2
    assert len(wechat.requests("/wxa/msg_sec_check")) == 2


@pytest.mark.parametrize("status", ["closed_won", "closed_lost", "spam"])
def test_no_message_on_a_closed_inquiry(sign_in, product, status, wechat):
    client, buyer, token = sign_in("wang")
    inquiry = factories.InquiryFactory(buyer=buyer, product=product, status=status)
    response = client.post(f"/api/v1/inquiries/{inquiry.pk}/messages/", {"text": "还在吗？"}, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "inquiry_closed"
    assert inquiry.messages.count() == 0
    assert wechat.requests("/wxa/msg_sec_check") == []


def test_risky_and_review_messages(sign_in, product):
    client, buyer, token = sign_in("wang")
    inquiry = factories.InquiryFactory(buyer=buyer, product=product)
    risky = client.post(f"/api/v1/inquiries/{inquiry.pk}/messages/", {"text": "[[risky]]"}, format="json")
    assert risky.status_code == 400
    assert risky.json()["error"]["code"] == "content_rejected"
    assert inquiry.messages.count() == 0
    review = client.post(f"/api/v1/inquiries/{inquiry.pk}/messages/", {"text": "[[review]] 你好"}, format="json")
    assert review.status_code == 201
    assert review.json()["in_review"] is True
    assert inquiry.messages.get().screening == "review"


# Who may see what: owner, another buyer, anonymous, expired token, revoked token.

CALLERS = ["other_buyer", "anonymous", "expired", "revoked"]


@pytest.fixture
def owned(sign_in, product):
    """The owner's client and inquiry, with one message."""
    client, buyer, token = sign_in("wang")
    inquiry_id = client.post("/api/v1/inquiries/", body(product), format="json").json()["id"]
    return client, buyer, Inquiry.objects.get(pk=inquiry_id)


@pytest.fixture
def caller(request, sign_in, api):
    def make(kind):
        from buyers.models import BuyerToken

        if kind == "anonymous":
            return api
        client, buyer, token = sign_in("chen")
        if kind == "expired":
            BuyerToken.objects.filter(buyer=buyer).update(expires_at=timezone.now() - timedelta(seconds=1))
        if kind == "revoked":
            BuyerToken.objects.filter(buyer=buyer).update(revoked_at=timezone.now())
        return client

    return make


@pytest.mark.parametrize("kind", CALLERS)
def test_inquiry_matrix(owned, caller, kind):
    owner, buyer, inquiry = owned
    client = caller(kind)
    expected = 404 if kind == "other_buyer" else 401
    before = (Message.objects.count(), Inquiry.objects.get(pk=inquiry.pk).buyer_read_at)

    assert client.get(f"/api/v1/inquiries/{inquiry.pk}/").status_code == expected
    assert (
        client.post(f"/api/v1/inquiries/{inquiry.pk}/messages/", {"text": "我的"}, format="json").status_code
        == expected
    )
    listing = client.get("/api/v1/inquiries/")
    if kind == "other_buyer":
        assert listing.json()["count"] == 0
    else:
        assert listing.status_code == 401
    assert (Message.objects.count(), Inquiry.objects.get(pk=inquiry.pk).buyer_read_at) == before
    # The owner still sees it.
    assert owner.get(f"/api/v1/inquiries/{inquiry.pk}/").status_code == 200


@pytest.mark.parametrize("kind", CALLERS)
def test_account_matrix(owned, caller, kind):
    owner, buyer, inquiry = owned
    owner.patch("/api/v1/me/", {"display_name": "王经理"}, format="json")
    owner.put(f"/api/v1/favourites/{inquiry.product_id}/")
    client = caller(kind)

    if kind == "other_buyer":
        # Another buyer reaches only their own account: nothing of the owner's shows or changes.
        assert client.get("/api/v1/me/").json()["display_name"] == ""
        assert client.get("/api/v1/favourites/").json()["count"] == 0
        assert client.get("/api/v1/me/data/").json()["inquiries"] == []
        assert client.delete(f"/api/v1/favourites/{inquiry.product_id}/").status_code == 204
    else:
        for method, path in [
            ("get", "/api/v1/me/"),
            ("patch", "/api/v1/me/"),
            ("delete", "/api/v1/me/"),
            ("get", "/api/v1/me/data/"),
            ("post", "/api/v1/me/phone/"),
            ("post", "/api/v1/me/consent/"),
            ("get", "/api/v1/favourites/"),
            ("put", f"/api/v1/favourites/{inquiry.product_id}/"),
            ("delete", f"/api/v1/favourites/{inquiry.product_id}/"),
        ]:
            assert getattr(client, method)(path, {}, format="json").status_code == 401, (method, path)
    buyer.refresh_from_db()
    assert buyer.display_name == "王经理" and buyer.deleted_at is None
    assert buyer.favourites.count() == 1


def test_inquiry_detail_has_a_fixed_number_of_queries(sign_in, django_assert_num_queries):
    client, buyer, token = sign_in("wang")
    inquiry = factories.InquiryFactory(buyer=buyer)
    factories.MessageFactory(inquiry=inquiry)
    with django_assert_num_queries(5):  # token, inquiry, product card, mark read, messages
        assert client.get(f"/api/v1/inquiries/{inquiry.pk}/").status_code == 200
    for _ in range(6):
        factories.MessageFactory(inquiry=inquiry, author_role="exporter", language="en", text="Hello")
    with django_assert_num_queries(5):
        assert len(client.get(f"/api/v1/inquiries/{inquiry.pk}/").json()["messages"]) == 7


def test_a_translation_written_after_the_buyer_read_the_thread_is_unread(sign_in, product, staff):
    client, buyer, token = sign_in("wang")
    inquiry_id = client.post("/api/v1/inquiries/", body(product), format="json").json()["id"]
    inquiry = Inquiry.objects.get(pk=inquiry_id)
    answer = factories.MessageFactory(inquiry=inquiry, author_role="exporter", text="USD 180/kg FOB.", language="en")
    # The buyer opens the thread while the answer is still in English only.
    client.get(f"/api/v1/inquiries/{inquiry_id}/")
    assert client.get("/api/v1/inquiries/").json()["results"][0]["unread"] is False

    message_translate(message=answer, translation="每公斤180美元，离岸价。", actor=staff)

    item = client.get("/api/v1/inquiries/").json()["results"][0]
    assert item["unread"] is True
    assert item["last_message"]["text"] == "每公斤180美元，离岸价。"
    client.get(f"/api/v1/inquiries/{inquiry_id}/")
    assert client.get("/api/v1/inquiries/").json()["results"][0]["unread"] is False


# Every text the buyer writes passes WeChat's content check, not only the message.

RISKY_WORD = "违禁品"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_risky_destination_is_refused_like_a_risky_message_and_nothing_is_written(sign_in, product, wechat, language):
    client, buyer, token = sign_in("wang")
    wechat.call("POST", "config", {"risky_words": [RISKY_WORD]})
    risky_message = client.post(
        "/api/v1/inquiries/",
        body(product, message=f"{RISKY_WORD} 多少钱"),
        format="json",
        HTTP_ACCEPT_LANGUAGE=language,
    )

    response = client.post(
        "/api/v1/inquiries/",
        body(product, destination=f"上海 {RISKY_WORD}"),
        format="json",
        HTTP_ACCEPT_LANGUAGE=language,
    )

    assert response.status_code == 400
    assert response.json() == risky_message.json()
    assert response.json()["error"]["code"] == "content_rejected"
    assert not Inquiry.objects.exists() and not Message.objects.exists()
    product.refresh_from_db()
    assert product.inquiry_count == 0
    checked = [entry["json"]["content"] for entry in wechat.requests("/wxa/msg_sec_check")]
    assert any(f"上海 {RISKY_WORD}" in content for content in checked)


def test_a_destination_wechat_wants_reviewed_holds_the_inquiry_for_staff(sign_in, product, settings):
    client, buyer, token = sign_in("wang")

    response = client.post("/api/v1/inquiries/", body(product, destination="上海 [[review]]"), format="json")

    assert response.status_code == 201
    assert Inquiry.objects.get().messages.get().screening == Message.Screening.REVIEW
    assert response.json()["messages"][0]["in_review"] is True
