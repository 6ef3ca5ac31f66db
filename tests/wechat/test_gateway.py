"""The WeChat gateway against the stand-in over real HTTP (docs/wechat.md)."""

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from pti_bridge.wechat import gateway as gw
from pti_bridge.wechat.standin import png_text

TEMPLATE = "tmpl-inquiry-reply"
GOOD_DATA = {"thing1": "香草荚询价已回复", "time2": "2026年11月27日 12:00", "character_string3": "INQ-42"}


def gateway():
    return gw.get_gateway()


def test_login_returns_the_users_identity_without_fetching_a_token(wechat):
    session = gateway().code_to_session("valid-alice#1")

    identity = wechat.identity("alice")
    assert session.openid == identity["openid"]
    assert session.unionid == identity["unionid"]
    assert session.session_key == identity["session_key"]
    assert wechat.token_fetches() == 0
    [entry] = wechat.requests("/sns/jscode2session")
    assert "access_token" not in entry["query"]
    assert entry["query"]["secret"] == "***"


def test_unionid_is_optional(wechat):
    assert gateway().code_to_session("valid-nounion-bob").unionid == ""


@pytest.mark.parametrize(
    ("code", "error", "errcode"),
    [
        ("used-x", gw.WeChatInvalidCode, 40163),
        ("invalid-x", gw.WeChatInvalidCode, 40029),
        ("expired-x", gw.WeChatInvalidCode, 40029),
        ("nonsense", gw.WeChatInvalidCode, 40029),
        ("ratelimit-x", gw.WeChatUnavailable, 45011),
        ("busy-x", gw.WeChatUnavailable, -1),
        ("blocked-x", gw.WeChatCodeBlocked, 40226),
    ],
)
def test_bad_login_codes_become_our_errors(wechat, code, error, errcode):
    with pytest.raises(error) as raised:
        gateway().code_to_session(code)
    assert type(raised.value) is error
    assert raised.value.errcode == errcode


def test_a_replayed_code_is_invalid(wechat):
    gateway().code_to_session("valid-alice#7")
    with pytest.raises(gw.WeChatInvalidCode) as raised:
        gateway().code_to_session("valid-alice#7")
    assert raised.value.errcode == 40163
    assert raised.value.status_code == 400
    assert raised.value.code == "wechat_invalid_code"


def test_a_minted_code_expires(wechat):
    wechat.call("POST", "config", {"code_ttl": 0})
    code = wechat.login_code("alice")
    time.sleep(0.05)
    with pytest.raises(gw.WeChatInvalidCode):
        gateway().code_to_session(code)


@pytest.mark.parametrize("mode", ["http500", "http502", "badjson", "reset", "busy", "ratelimit"])
def test_failing_wechat_is_unavailable(wechat, mode):
    wechat.fault("/sns/jscode2session", mode)
    with pytest.raises(gw.WeChatUnavailable) as raised:
        gateway().code_to_session("valid-alice#1")
    assert raised.value.status_code == 503
    assert raised.value.code == "wechat_unavailable"


def test_hanging_wechat_gives_up_within_the_timeout(wechat, settings):
    settings.WECHAT_TIMEOUT_SECONDS = 0.5
    wechat.fault("/sns/jscode2session", "hang")
    started = time.monotonic()
    with pytest.raises(gw.WeChatUnavailable):
        gateway().code_to_session("valid-alice#1")
    assert time.monotonic() - started < 1.5


def test_a_hanging_token_fetch_gives_up_within_the_timeout(wechat, settings):
    # wechatpy's own token fetch has no timeout at all; ours must.
    settings.WECHAT_TIMEOUT_SECONDS = 0.5
    wechat.fault("/cgi-bin/stable_token", "hang")
    started = time.monotonic()
    with pytest.raises(gw.WeChatUnavailable):
        gateway().send_subscribe_message(openid="o-user", template_id=TEMPLATE, data=GOOD_DATA)
    assert time.monotonic() - started < 2.5
    assert wechat.requests("/cgi-bin/message/subscribe/send") == []


def test_token_is_fetched_once_for_many_calls(wechat):
    for _ in range(10):
        gateway().send_subscribe_message(openid="o-user", template_id=TEMPLATE, data=GOOD_DATA)
    assert wechat.token_fetches() == 1
    assert len(wechat.requests("/cgi-bin/message/subscribe/send")) == 10
    assert wechat.state()["token_fetches"]["stable"] == 1


def test_token_is_fetched_once_by_many_threads_at_once(wechat):
    # Ten workers with their own gateway (one per thread) start together on an empty cache.
    barrier = threading.Barrier(10)
    errors = []

    def work():
        try:
            barrier.wait()
            gateway().send_subscribe_message(openid="o-user", template_id=TEMPLATE, data=GOOD_DATA)
        except Exception as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert wechat.token_fetches() == 1
    assert len(wechat.requests("/cgi-bin/message/subscribe/send")) == 10


@pytest.mark.parametrize("control", ["tokens/expire", "tokens/revoke"])
def test_expired_or_revoked_token_is_refreshed_exactly_once(wechat, control):
    gateway().send_subscribe_message(openid="o-user", template_id=TEMPLATE, data=GOOD_DATA)
    wechat.call("POST", control, {"kind": "all"})

    gateway().send_subscribe_message(openid="o-user", template_id=TEMPLATE, data=GOOD_DATA)

    assert wechat.token_fetches() == 2
    sends = wechat.requests("/cgi-bin/message/subscribe/send")
    assert [entry["errcode"] for entry in sends] == [0, 42001 if control == "tokens/expire" else 40001, 0]
    assert sends[1]["query"]["access_token"] != sends[2]["query"]["access_token"]


def test_a_token_that_is_always_invalid_gives_up_after_two_tries(wechat):
    wechat.call("POST", "tokens/sticky-invalid", {"on": True})
    with pytest.raises(gw.WeChatUnavailable) as raised:
        gateway().send_subscribe_message(openid="o-user", template_id=TEMPLATE, data=GOOD_DATA)
    assert raised.value.errcode == 40001
    assert wechat.token_fetches() == 2
    assert len(wechat.requests("/cgi-bin/message/subscribe/send")) == 2


def test_classic_token_endpoint_works_too(wechat, settings):
    settings.WECHAT_USE_STABLE_TOKEN = False
    gateway().send_subscribe_message(openid="o-user", template_id=TEMPLATE, data=GOOD_DATA)
    gateway().send_subscribe_message(openid="o-user", template_id=TEMPLATE, data=GOOD_DATA)
    assert len(wechat.requests("/cgi-bin/token")) == 1
    assert wechat.requests("/cgi-bin/stable_token") == []


def test_wrong_credentials_are_unavailable_not_a_crash(wechat, settings):
    settings.WECHAT_APP_SECRET = "wrong"
    with pytest.raises(gw.WeChatUnavailable) as raised:
        gateway().send_subscribe_message(openid="o-user", template_id=TEMPLATE, data=GOOD_DATA)
    assert raised.value.errcode == 40125


def test_token_is_shared_through_redis_across_processes(wechat, settings, redis_url, wechat_standin):
    # Three separate Python processes, each making five calls, share one token through Redis.
    script = (
        "import django, os; django.setup();"
        "from pti_bridge.wechat.gateway import get_gateway;"
        "g = get_gateway();"
        "[g.send_subscribe_message(openid='o-user', template_id='tmpl-inquiry-reply', "
        "data={'thing1': 'x', 'time2': '2026-11-27 12:00', 'character_string3': 'A1'}) for _ in range(5)]"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pti_bridge.settings",
        "REDIS_URL": redis_url,
        "WECHAT_API_BASE_URL": wechat_standin.base_url,
        "WECHAT_APP_ID": settings.WECHAT_APP_ID,
        "WECHAT_APP_SECRET": settings.WECHAT_APP_SECRET,
    }
    import redis

    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter("pti:*wechat:*"):
        client.delete(key)
    root = Path(__file__).resolve().parents[2]
    processes = [
        subprocess.Popen([sys.executable, "-c", script], env=env, cwd=root, stderr=subprocess.PIPE) for _ in range(3)
    ]
    for process in processes:
        _, stderr = process.communicate(timeout=60)
        assert process.returncode == 0, stderr.decode()
    assert len(wechat.requests("/cgi-bin/message/subscribe/send")) == 15
    assert wechat.token_fetches() == 1
    for key in client.scan_iter("pti:*wechat:*"):
        client.delete(key)


# Phone numbers.


def test_phone_number_from_a_minted_code(wechat):
    code = wechat.phone_code("13800000000")
    phone = gateway().get_phone_number(code)
    assert phone == gw.PhoneNumber(phone_number="13800000000", pure_phone_number="13800000000", country_code="86")
    with pytest.raises(gw.WeChatInvalidCode):
        gateway().get_phone_number(code)


def test_international_phone_number_keeps_its_country_code(wechat):
    phone = gateway().get_phone_number("phone-679-7012345")
    assert phone == gw.PhoneNumber(phone_number="+679 7012345", pure_phone_number="7012345", country_code="679")


def test_phone_code_bound_to_another_user_is_invalid(wechat):
    code = wechat.phone_code("13800000000", openid="o-someone-else")
    with pytest.raises(gw.WeChatInvalidCode):
        gateway().get_phone_number(code, openid="o-me")


@pytest.mark.parametrize(("code", "error"), [("busy-1", gw.WeChatUnavailable), ("ratelimit-1", gw.WeChatUnavailable)])
def test_phone_number_when_wechat_is_busy(wechat, code, error):
    with pytest.raises(error):
        gateway().get_phone_number(code)


# Content security v2.


@pytest.fixture
def active_openid(wechat):
    return gateway().code_to_session("valid-carol#1").openid


@pytest.mark.parametrize(
    ("content", "suggest", "label"),
    [
        ("请问香草荚的价格", "pass", 100),
        ("违规 [[risky:20006]]", "risky", 20006),
        ("[[risky]]", "risky", 20001),
        ("需要人工 [[review]]", "review", 21000),
    ],
)
def test_text_check_verdicts(wechat, active_openid, content, suggest, label):
    verdict = gateway().check_text(openid=active_openid, content=content)
    assert (verdict.suggest, verdict.label, verdict.checked) == (suggest, label, True)
    [entry] = wechat.requests("/wxa/msg_sec_check")
    assert entry["json"]["version"] == 2
    assert entry["flags"]["v1_used"] is False


def test_text_check_of_an_inactive_user_goes_to_review(wechat):
    wechat.call("POST", "activity", {"openid": "o-quiet-user", "seconds_ago": 99999})
    verdict = gateway().check_text(openid="o-quiet-user", content="你好")
    assert verdict == gw.ContentVerdict(suggest="review", label=None, checked=False)
    assert [e["errcode"] for e in wechat.requests("/wxa/msg_sec_check")] == [61010]


def test_text_check_when_wechat_is_busy(wechat, active_openid):
    with pytest.raises(gw.WeChatUnavailable):
        gateway().check_text(openid=active_openid, content="[[busy]]")


# Subscribe messages.


def test_subscribe_message_is_sent_with_state_and_language(wechat):
    msgid = gateway().send_subscribe_message(
        openid="o-user", template_id=TEMPLATE, data=GOOD_DATA, page="pages/inquiry/detail?id=4"
    )
    [sent] = wechat.call("GET", "messages")
    assert sent["msgid"] == msgid
    assert sent["miniprogram_state"] == "formal"
    assert sent["lang"] == "zh_CN"
    assert sent["data"]["thing1"] == {"value": GOOD_DATA["thing1"]}


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("thing1", "一" * 21),
        ("number2", "12a"),
        ("letter3", "abc1"),
        ("symbol4", "%%%%%%"),
        ("character_string5", "中文"),
        ("amount8", "一百元"),
        ("phone_number9", "1" * 18),
        ("car_number10", "京A1234567"),
        ("name11", "王" * 11),
        ("phrase12", "已回复了吗啊"),
        ("time6", ""),
    ],
)
def test_subscribe_values_breaking_the_rules_are_refused_before_calling(wechat, key, value):
    data = {
        "thing1": "询价",
        "number2": "12.5",
        "letter3": "abc",
        "symbol4": "%",
        "character_string5": "INQ-1",
        "time6": "2026-11-27 12:00",
        "date7": "2026年11月27日",
        "amount8": "¥100.50",
        "phone_number9": "+86 13800000000",
        "car_number10": "京A12345",
        "name11": "王经理",
        "phrase12": "已回复",
    }
    gateway().send_subscribe_message(openid="o-user", template_id="tmpl-all-rules", data=data)
    data[key] = value
    with pytest.raises(gw.SubscribeMessageInvalid) as raised:
        gateway().send_subscribe_message(openid="o-user", template_id="tmpl-all-rules", data=data)
    assert raised.value.field == key
    assert len(wechat.requests("/cgi-bin/message/subscribe/send")) == 1  # only the valid one went out


def test_subscribe_refused_by_the_user(wechat):
    with pytest.raises(gw.SubscribeRefused) as raised:
        gateway().send_subscribe_message(openid="o-refused-1", template_id=TEMPLATE, data=GOOD_DATA)
    assert raised.value.errcode == 43101


def test_subscribe_without_a_credit_is_refused(wechat):
    wechat.call("POST", "config", {"subscribe_mode": "credits"})
    wechat.call("POST", "subscriptions", {"openid": "o-user", "template_id": TEMPLATE, "count": 1})
    gateway().send_subscribe_message(openid="o-user", template_id=TEMPLATE, data=GOOD_DATA)
    with pytest.raises(gw.SubscribeRefused):
        gateway().send_subscribe_message(openid="o-user", template_id=TEMPLATE, data=GOOD_DATA)


def test_subscribe_field_wechat_refuses_is_a_clear_error(wechat):
    # A key the template does not declare passes our prefix rules; WeChat's 47003 names it.
    with pytest.raises(gw.SubscribeMessageInvalid) as raised:
        gateway().send_subscribe_message(openid="o-user", template_id=TEMPLATE, data={**GOOD_DATA, "thing9": "x"})
    assert raised.value.errcode == 47003


def test_subscribe_unknown_template(wechat):
    with pytest.raises(gw.WeChatRefused) as raised:
        gateway().send_subscribe_message(openid="o-user", template_id="nope", data=GOOD_DATA)
    assert raised.value.errcode == 40037


def test_subscribe_page_not_released(wechat):
    with pytest.raises(gw.WeChatRefused) as raised:
        gateway().send_subscribe_message(openid="o-user", template_id=TEMPLATE, data=GOOD_DATA, page="pages/secret")
    assert raised.value.errcode == 41030


# Share codes.


def test_share_code_png_echoes_scene_and_page(wechat):
    image = gateway().get_unlimited_code(scene="p=42", page="pages/product/detail")
    assert image.startswith(b"\x89PNG")
    assert json.loads(png_text(image)) == {
        "scene": "p=42",
        "page": "pages/product/detail",
        "env_version": "release",
        "width": 430,
    }


@pytest.mark.parametrize("scene", ["x" * 33, "", "中文", "a b"])
def test_bad_scene_is_caught_before_calling(wechat, scene):
    with pytest.raises(gw.WeChatRefused):
        gateway().get_unlimited_code(scene=scene, page="pages/product/detail")
    assert wechat.requests("/wxa/getwxacodeunlimit") == []


def test_share_code_rate_limited(wechat):
    with pytest.raises(gw.WeChatUnavailable):
        gateway().get_unlimited_code(scene="ratelimit", page="pages/product/detail")
