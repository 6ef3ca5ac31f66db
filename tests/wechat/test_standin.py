"""The stand-in's own contract (docs/wechat.md section 2), spoken to over raw HTTP like WeChat's clients do."""

import base64
import hashlib
import hmac
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from pti_bridge.wechat import standin


def call(base_url, method, path, *, query="", body=None, raw=None):
    url = f"{base_url}{path.lstrip('/')}" + (f"?{query}" if query else "")
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(url, data=data, method=method)  # no Content-Type, like wechatpy
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - loopback
            payload = response.read()
            return response.status, response.headers.get("Content-Type"), payload
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type"), error.read()


def get_json(base_url, path, **kwargs):
    status, content_type, payload = call(base_url, kwargs.pop("method", "GET"), path, **kwargs)
    return status, json.loads(payload)


@pytest.fixture
def base(wechat_standin, wechat):
    return wechat_standin.base_url


@pytest.fixture
def creds(wechat):
    return f"appid={wechat.config.appid}&secret={wechat.config.secret}"


def normal_token(base, creds):
    return get_json(base, "/cgi-bin/token", query=f"grant_type=client_credential&{creds}")[1]["access_token"]


def test_classic_token_keeps_the_old_one_valid_for_the_grace_period(base, creds, wechat):
    first = normal_token(base, creds)
    second = normal_token(base, creds)
    assert first != second and first.startswith("FAKE_AT_")
    body = {"touser": "o-x", "template_id": "tmpl-inquiry-reply", "data": {}}
    # Both still work (the 5-minute overlap): the request gets as far as data validation.
    for token in (first, second):
        status, answer = get_json(
            base, "/cgi-bin/message/subscribe/send", method="POST", query=f"access_token={token}", body=body
        )
        assert answer["errcode"] == 47003
    wechat.call("POST", "config", {"token_grace": 0})
    normal_token(base, creds)
    time.sleep(0.01)
    _, answer = get_json(
        base, "/cgi-bin/message/subscribe/send", method="POST", query=f"access_token={second}", body=body
    )
    assert answer["errcode"] == 40001


@pytest.mark.parametrize(
    ("query", "errcode"),
    [
        ("grant_type=client_credential&appid=wxOTHER&secret=fake-secret", 40013),
        ("grant_type=client_credential&appid=wxFAKEAPPID0000001&secret=nope", 40125),
        ("grant_type=client_credential&secret=fake-secret", 41002),
        ("grant_type=password&appid=wxFAKEAPPID0000001&secret=fake-secret", 40002),
    ],
)
def test_token_errors(base, query, errcode):
    assert get_json(base, "/cgi-bin/token", query=query)[1]["errcode"] == errcode


def test_token_checks_on_api_calls(base):
    path = "/wxa/getwxacodeunlimit"
    assert get_json(base, path, method="POST", body={"scene": "a"})[1]["errcode"] == 41001
    assert get_json(base, path, method="POST", query="access_token=garbage", body={"scene": "a"})[1]["errcode"] == 40014
    assert (
        get_json(base, path, method="POST", query="access_token=FAKE_AT_9_x", body={"scene": "a"})[1]["errcode"]
        == 40001
    )


def test_stable_token_is_stable_and_json_only(base, wechat):
    body = {"grant_type": "client_credential", "appid": wechat.config.appid, "secret": wechat.config.secret}
    first = get_json(base, "/cgi-bin/stable_token", method="POST", body=body)[1]
    again = get_json(base, "/cgi-bin/stable_token", method="POST", body=body)[1]
    assert first["access_token"] == again["access_token"] and first["access_token"].startswith("FAKE_ST_")
    form = get_json(base, "/cgi-bin/stable_token", method="POST", raw=b"grant_type=client_credential")[1]
    assert form["errcode"] == 41002
    forced = get_json(base, "/cgi-bin/stable_token", method="POST", body={**body, "force_refresh": True})[1]
    assert forced["access_token"] != first["access_token"]
    too_soon = get_json(base, "/cgi-bin/stable_token", method="POST", body={**body, "force_refresh": True})[1]
    assert too_soon["errcode"] == 45011


def test_errors_carry_a_rid_and_unknown_paths_are_404(base):
    status, answer = get_json(base, "/nowhere")
    assert status == 404 and answer["errcode"] == 40066 and " rid: fake-" in answer["errmsg"]
    assert get_json(base, "/wxa/msg_sec_check")[1]["errcode"] == 43002
    assert get_json(base, "/sns/jscode2session", method="POST", body={})[1]["errcode"] == 41002


def test_journal_redacts_secrets(base, creds, wechat):
    get_json(base, "/sns/jscode2session", query=f"{creds}&js_code=valid-zoe&grant_type=authorization_code")
    [entry] = wechat.requests("/sns/jscode2session")
    assert entry["query"]["secret"] == "***"
    assert entry["errcode"] == 0 and entry["response_status"] == 200


def test_checksession_and_reset_session_key(base, creds, wechat):
    get_json(base, "/sns/jscode2session", query=f"{creds}&js_code=valid-zoe&grant_type=authorization_code")
    identity = wechat.identity("zoe")
    token = normal_token(base, creds)
    signature = hmac.new(base64.b64decode(identity["session_key"]), b"", hashlib.sha256).hexdigest()
    query = f"access_token={token}&openid={identity['openid']}&sig_method=hmac_sha256"
    assert get_json(base, "/wxa/checksession", query=f"{query}&signature={signature}")[1]["errcode"] == 0
    assert get_json(base, "/wxa/checksession", query=f"{query}&signature=bad")[1]["errcode"] == 87009
    reset = get_json(base, "/wxa/resetusersessionkey", query=f"{query}&signature={signature}")[1]
    assert reset["session_key"] != identity["session_key"]
    assert get_json(base, "/wxa/checksession", query=f"{query}&signature={signature}")[1]["errcode"] == 87009


def test_msg_sec_check_v1_is_flagged(base, creds, wechat):
    token = normal_token(base, creds)
    answer = get_json(base, "/wxa/msg_sec_check", method="POST", query=f"access_token={token}", body={"content": "hi"})[
        1
    ]
    assert answer == {"errcode": 0, "errmsg": "ok"}
    assert wechat.requests("/wxa/msg_sec_check")[0]["flags"]["v1_used"] is True


def test_url_links_and_schemes(base, creds, wechat):
    token = normal_token(base, creds)
    ok = get_json(
        base,
        "/wxa/generate_urllink",
        method="POST",
        query=f"access_token={token}",
        body={"path": "pages/product/detail", "query": "id=1", "expire_type": 1, "expire_interval": 30},
    )[1]
    assert ok["url_link"].startswith("https://wxaurl.cn/fake")
    too_long = get_json(
        base,
        "/wxa/generate_urllink",
        method="POST",
        query=f"access_token={token}",
        body={"expire_type": 1, "expire_interval": 31},
    )[1]
    assert too_long["errcode"] == 85401
    strict = get_json(
        base,
        "/wxa/generatescheme",
        method="POST",
        query=f"access_token={token}",
        body={"jump_wxa": [], "expire_type": 1, "expire_interval": 5},
    )[1]
    assert strict["errcode"] == 47001
    assert [link["kind"] for link in wechat.call("GET", "links")] == ["urllink"]


def test_media_check_verdict_is_pushed_with_a_signature(base, creds, wechat):
    received = []

    class Push(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            received.append((self.path, json.loads(self.rfile.read(int(self.headers["Content-Length"])))))
            self.send_response(200)
            self.send_header("Content-Length", "7")
            self.end_headers()
            self.wfile.write(b"success")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Push)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        wechat.call("POST", "config", {"push_url": f"http://127.0.0.1:{server.server_address[1]}/wechat/push"})
        wechat.activate("o-avatar-user")
        token = normal_token(base, creds)
        answer = get_json(
            base,
            "/wxa/media_check_async",
            method="POST",
            query=f"access_token={token}",
            body={
                "media_url": "https://cdn.example/risky.jpg",
                "media_type": 2,
                "version": 2,
                "scene": 1,
                "openid": "o-avatar-user",
            },
        )[1]
        outcome = wechat.call("POST", f"media-checks/{answer['trace_id']}/deliver")
        assert outcome["delivered"] is True
        [(path, event)] = received
        query = dict(part.split("=") for part in path.split("?")[1].split("&"))
        expected = hashlib.sha1(
            "".join(sorted(["fake-push-token", query["timestamp"], query["nonce"]])).encode()
        ).hexdigest()
        assert query["signature"] == expected
        assert (event["trace_id"], event["result"]) == (answer["trace_id"], {"suggest": "risky", "label": 20002})
    finally:
        server.shutdown()
        server.server_close()


def test_runs_as_a_module_on_a_given_port():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    root = Path(__file__).resolve().parents[2]
    process = subprocess.Popen(
        [sys.executable, "-m", "pti_bridge.wechat.standin", "--port", str(port)],
        cwd=root,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert "listening on http://127.0.0.1:" in process.stdout.readline()
        status, answer = get_json(f"http://127.0.0.1:{port}/", "/__fake__/identity?user=alice")
        assert status == 200 and answer["openid"].startswith("o") and len(answer["openid"]) == 28
    finally:
        process.terminate()
        process.wait(timeout=5)


def test_refuses_to_bind_beyond_loopback():
    with pytest.raises(SystemExit):
        standin.main(["--host", "0.0.0.0", "--port", "0"])


def test_a_burst_of_connections_waits_in_the_backlog_rather_than_being_dropped():
    """Twenty buyers posting at once reach the stand-in together; none may be turned away.

    The server is bound but not yet accepting, so every connection has to wait in the listen
    backlog, as they do while all handler threads are busy starting.
    """
    server = standin.StandinServer(("127.0.0.1", 0))
    sockets = []
    try:
        for _ in range(40):
            sockets.append(socket.create_connection(server.server_address[:2], timeout=0.5))
        assert len(sockets) == 40
    finally:
        for sock in sockets:
            sock.close()
        server.server_close()
