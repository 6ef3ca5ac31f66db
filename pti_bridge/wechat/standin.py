"""A stand-in for WeChat's server API, for tests and local development (docs/wechat.md section 2).

Standard library only. It answers on WeChat's paths with WeChat's payloads and error codes,
with real token semantics (expiry, revocation, the 5-minute overlap of /cgi-bin/token),
magic inputs (`valid-<user>[#n]`, `used-*`, `busy-*` ...), fault injection and a request
journal under the `/__fake__/` control plane. Run it with

    python -m pti_bridge.wechat.standin --port 8765

and point WECHAT_API_BASE_URL at http://127.0.0.1:8765/. It binds to loopback only.
"""

import argparse
import base64
import hashlib
import json
import os
import re
import secrets
import socket
import struct
import sys
import threading
import time
import urllib.request
import zlib
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

DEFAULT_PAGES = "pages/index/index,pages/product/detail,pages/inquiry/detail"
# Templates known without FAKE_WX_TEMPLATES: {template_id: {data key: rule}}.
DEFAULT_TEMPLATES = {
    "tmpl-inquiry-reply": {"thing1": "thing", "time2": "time", "character_string3": "character_string"},
    "tmpl-inquiry-status": {"thing1": "thing", "phrase2": "phrase", "date3": "date"},
    "tmpl-all-rules": {
        "thing1": "thing",
        "number2": "number",
        "letter3": "letter",
        "symbol4": "symbol",
        "character_string5": "character_string",
        "time6": "time",
        "date7": "date",
        "amount8": "amount",
        "phone_number9": "phone_number",
        "car_number10": "car_number",
        "name11": "name",
        "phrase12": "phrase",
    },
}
SCENE_CHARS = re.compile(r"^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]+$")
QUERY_CHARS = re.compile(r"^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~%]*$")
TOKEN_SHAPE = re.compile(r"^FAKE_(AT|ST)_\w+$")


def _env_bool(name, default):
    return os.environ.get(name, "1" if default else "0").strip().lower() in ("1", "true", "yes", "on")


@dataclass
class Config:
    appid: str = "wxFAKEAPPID0000001"
    secret: str = "fake-secret"
    token_ttl: int = 7200
    token_grace: int = 300
    token_daily_quota: int = 2000
    stable_force_quota: int = 20
    code_ttl: int = 300
    accept_any_code: bool = False
    unionid: bool = True
    pages: tuple = tuple(DEFAULT_PAGES.split(","))
    templates: dict = field(default_factory=lambda: dict(DEFAULT_TEMPLATES))
    subscribe_mode: str = "lenient"
    active_window: int = 7200
    push_url: str = ""
    push_token: str = "fake-push-token"
    push_delay: str = "manual"
    strict: bool = True
    hang_seconds: float = 30.0
    risky_words: tuple = ()

    @classmethod
    def from_env(cls):
        templates = dict(DEFAULT_TEMPLATES)
        if os.environ.get("FAKE_WX_TEMPLATES"):
            with open(os.environ["FAKE_WX_TEMPLATES"], encoding="utf-8") as handle:
                templates = json.load(handle)
        return cls(
            appid=os.environ.get("FAKE_WX_APPID", cls.appid),
            secret=os.environ.get("FAKE_WX_SECRET", cls.secret),
            token_ttl=int(os.environ.get("FAKE_WX_TOKEN_TTL", 7200)),
            token_grace=int(os.environ.get("FAKE_WX_TOKEN_GRACE", 300)),
            token_daily_quota=int(os.environ.get("FAKE_WX_TOKEN_DAILY_QUOTA", 2000)),
            stable_force_quota=int(os.environ.get("FAKE_WX_STABLE_FORCE_QUOTA", 20)),
            code_ttl=int(os.environ.get("FAKE_WX_CODE_TTL", 300)),
            accept_any_code=_env_bool("FAKE_WX_ACCEPT_ANY_CODE", False),
            unionid=_env_bool("FAKE_WX_UNIONID", True),
            pages=tuple(p for p in os.environ.get("FAKE_WX_PAGES", DEFAULT_PAGES).split(",") if p),
            templates=templates,
            subscribe_mode=os.environ.get("FAKE_WX_SUBSCRIBE_MODE", "lenient"),
            active_window=int(os.environ.get("FAKE_WX_ACTIVE_WINDOW", 7200)),
            push_url=os.environ.get("FAKE_WX_PUSH_URL", ""),
            push_token=os.environ.get("FAKE_WX_PUSH_TOKEN", "fake-push-token"),
            push_delay=os.environ.get("FAKE_WX_PUSH_DELAY", "manual"),
            strict=_env_bool("FAKE_WX_STRICT", True),
            hang_seconds=float(os.environ.get("FAKE_WX_HANG_SECONDS", 30)),
            risky_words=tuple(w for w in os.environ.get("FAKE_WX_RISKY_WORDS", "").split(",") if w),
        )


class WxError(Exception):
    def __init__(self, errcode, errmsg, status=200):
        super().__init__(errmsg)
        self.errcode = errcode
        self.errmsg = errmsg
        self.status = status


def _b64url(digest: bytes) -> str:
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _rid() -> str:
    return f" rid: fake-{secrets.token_hex(4)}-{secrets.token_hex(4)}"


def png_with_text(text: str) -> bytes:
    """A valid 1x1 PNG whose tEXt chunk (keyword `wxacode`) holds `text`."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"tEXt", b"wxacode\x00" + text.encode("latin-1", "replace"))
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


def png_text(data: bytes) -> str | None:
    """The `wxacode` tEXt of a PNG made by png_with_text, for tests."""
    position = 8
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"tEXt" and body.startswith(b"wxacode\x00"):
            return body[len(b"wxacode\x00") :].decode("latin-1")
        position += 12 + length
    return None


class State:
    """Everything the stand-in remembers; `reset()` clears it."""

    def __init__(self, config: Config):
        self.launch_config = config
        self.lock = threading.RLock()
        self.generation = 0
        self.reset()

    def reset(self):
        with self.lock:
            self.generation += 1
            self.config = replace(self.launch_config)
            self.tokens = {}  # token -> {"kind", "expires_at", "invalid_after", "revoked"}
            self.current = {"normal": None, "stable": None}
            self.fetches = {"normal": 0, "stable": 0, "stable_forced": 0}
            self.last_force_at = None
            self.token_seq = 0
            self.used_codes = set()
            self.minted_codes = {}  # login code -> expires_at
            self.phone_codes = {}  # minted phone code -> {"phone", "country_code", "openid", "expires_at"}
            self.used_phone_codes = set()
            self.login_seq = {}
            self.session_keys = {}  # openid -> latest session_key
            self.known_openids = {}  # openid -> user
            self.foreign_openids = set()
            self.active = {}  # openid -> last activity
            self.journal = []
            self.seq = 0
            self.faults = []
            self.sticky_invalid = False
            self.credits = {}
            self.messages = []
            self.links = []
            self.media_checks = {}
            self.msgid = 1000

    # Identity (docs/wechat.md 2.2).
    def openid(self, user: str) -> str:
        return "o" + _b64url(hashlib.sha256(f"{self.config.appid}|{user}".encode()).digest())[:27]

    @staticmethod
    def unionid(user: str) -> str:
        return "u" + _b64url(hashlib.sha256(f"union|{user}".encode()).digest())[:27]

    def session_key(self, user: str, login_seq: int) -> str:
        raw = hashlib.sha256(f"sk|{self.config.appid}|{user}|{login_seq}".encode()).digest()[:16]
        return base64.b64encode(raw).decode()

    def identity(self, user: str) -> dict:
        openid = self.openid(user)
        self.known_openids[openid] = user
        return {"openid": openid, "unionid": self.unionid(user), "session_key": self.session_keys.get(openid, "")}

    def is_active(self, openid: str) -> bool:
        seen = self.active.get(openid)
        return seen is not None and time.time() - seen <= self.config.active_window

    # Tokens (docs/wechat.md 1.2).
    def mint_token(self, kind: str) -> str:
        self.token_seq += 1
        prefix = "FAKE_AT" if kind == "normal" else "FAKE_ST"
        token = f"{prefix}_{self.token_seq}_{secrets.token_hex(12)}"
        self.tokens[token] = {
            "kind": kind,
            "expires_at": time.time() + self.config.token_ttl,
            "invalid_after": None,
            "revoked": False,
        }
        self.current[kind] = token
        return token

    def check_token(self, query: dict) -> str:
        if self.sticky_invalid:
            raise WxError(40001, "invalid credential, access_token is invalid or not latest")
        token = query.get("access_token")
        if not token:
            raise WxError(41001, "access_token missing")
        if not TOKEN_SHAPE.match(token):
            raise WxError(40014, "invalid access_token")
        info = self.tokens.get(token)
        now = time.time()
        if info is None or info["revoked"] or (info["invalid_after"] is not None and now > info["invalid_after"]):
            raise WxError(40001, "invalid credential, access_token is invalid or not latest")
        if now >= info["expires_at"]:
            raise WxError(42001, "access_token expired")
        return info["kind"]

    def take_fault(self, path: str):
        for fault in self.faults:
            if fault["path"] == path and fault["count"] > 0:
                fault["count"] -= 1
                return fault["mode"]
        return None


class Handler(BaseHTTPRequestHandler):
    server_version = "WeChatStandIn/1.0"
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        if self.server.verbose:
            super().log_message(format, *args)

    @property
    def state(self) -> State:
        return self.server.state

    def do_GET(self):  # noqa: N802 - http.server's naming
        self._dispatch("GET")

    def do_POST(self):  # noqa: N802
        self._dispatch("POST")

    def _dispatch(self, method):
        parts = urlsplit(self.path)
        path = parts.path
        query = {key: values[0] for key, values in parse_qs(parts.query, keep_blank_values=True).items()}
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if path.startswith("/__fake__/"):
            self._control(method, path, query, body)
            return
        with self.state.lock:
            generation = self.state.generation
            fault = self.state.take_fault(path)
        entry = {
            "method": method,
            "path": path,
            "query": {k: ("***" if k == "secret" else v) for k, v in query.items()},
            "content_type": self.headers.get("Content-Type"),
            "json": None,
            "flags": {"token_kind": None, "v1_used": False},
        }
        parsed = None
        if body:
            try:
                parsed = json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                parsed = None
            if isinstance(parsed, dict):
                entry["json"] = {k: ("***" if k == "secret" else v) for k, v in parsed.items()}
        if fault == "reset":
            self._journal(generation, entry, None, None)
            self.close_connection = True
            try:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        if fault == "hang":
            time.sleep(self.state.config.hang_seconds)
            fault = None
        if fault in ("http500", "http502"):
            status = 500 if fault == "http500" else 502
            self._send(status, b"<html><body>Bad Gateway</body></html>", "text/html")
            self._journal(generation, entry, status, None)
            return
        if fault == "badjson":
            self._send(200, b'{"errcode":0,"errmsg":"ok","acc', "application/json; charset=utf-8")
            self._journal(generation, entry, 200, None)
            return
        try:
            if fault == "busy":
                raise WxError(-1, "system error")
            if fault == "ratelimit":
                if path == "/cgi-bin/token":
                    raise WxError(45009, "reach max api daily quota limit")
                raise WxError(45011, "api minute-quota reach limit mustslower retry next minute")
            handler = ROUTES.get(path)
            if handler is None:
                raise WxError(40066, "invalid url", status=404)
            allowed, function = handler
            if method != allowed:
                if path == "/sns/jscode2session":
                    raise WxError(41002, "appid missing")
                raise WxError(43002, "require POST method")
            with self.state.lock:
                result = function(self.state, query, body, parsed, entry["flags"])
        except WxError as error:
            payload = {"errcode": error.errcode, "errmsg": error.errmsg + _rid()}
            self._send_json(error.status, payload)
            self._journal(generation, entry, error.status, error.errcode)
            return
        if isinstance(result, bytes):
            self._send(200, result, "image/png")
            self._journal(generation, entry, 200, 0)
            return
        self._send_json(200, result)
        self._journal(generation, entry, 200, result.get("errcode", 0))

    def _journal(self, generation, entry, status, errcode):
        with self.state.lock:
            if generation != self.state.generation:
                return  # a request from before the last reset (e.g. a hang) does not pollute the new journal
            self.state.seq += 1
            entry.update(seq=self.state.seq, ts=time.time(), response_status=status, errcode=errcode)
            self.state.journal.append(entry)

    def _send(self, status, data: bytes, content_type: str):
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _send_json(self, status, payload):
        self._send(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    # The control plane (docs/wechat.md 2.3).
    def _control(self, method, path, query, body):
        try:
            data = json.loads(body.decode("utf-8")) if body else {}
        except (UnicodeDecodeError, ValueError):
            self._send_json(400, {"error": "body must be JSON"})
            return
        state = self.state
        with state.lock:
            try:
                result = control(state, method, path, query, data if isinstance(data, dict) else {})
            except KeyError as error:
                self._send_json(400, {"error": f"missing {error}"})
                return
        if result is None:
            self._send_json(404, {"error": "unknown control call"})
        else:
            self._send_json(200, result)


def _require_credentials(state, appid, secret):
    if not appid:
        raise WxError(41002, "appid missing")
    if appid != state.config.appid:
        raise WxError(40013, "invalid appid")
    if not secret:
        raise WxError(41004, "appsecret missing")
    if secret != state.config.secret:
        raise WxError(40125, "invalid appsecret")


def token(state, query, body, parsed, flags):
    if query.get("grant_type") != "client_credential":
        raise WxError(40002, "invalid grant_type")
    _require_credentials(state, query.get("appid"), query.get("secret"))
    if state.fetches["normal"] >= state.config.token_daily_quota:
        raise WxError(45009, "reach max api daily quota limit")
    previous = state.current["normal"]
    if previous and previous in state.tokens:
        state.tokens[previous]["invalid_after"] = time.time() + state.config.token_grace
    state.fetches["normal"] += 1
    flags["token_kind"] = "normal"
    return {"access_token": state.mint_token("normal"), "expires_in": state.config.token_ttl}


def stable_token(state, query, body, parsed, flags):
    if not isinstance(parsed, dict):
        raise WxError(41002, "appid missing")
    if parsed.get("grant_type") != "client_credential":
        raise WxError(40002, "invalid grant_type")
    _require_credentials(state, parsed.get("appid"), parsed.get("secret"))
    flags["token_kind"] = "stable"
    now = time.time()
    if parsed.get("force_refresh") is True:
        if state.last_force_at is not None and now - state.last_force_at < 30:
            raise WxError(45011, "api minute-quota reach limit mustslower retry next minute")
        if state.fetches["stable_forced"] >= state.config.stable_force_quota:
            raise WxError(45009, "reach max api daily quota limit")
        old = state.current["stable"]
        if old in state.tokens:
            state.tokens[old]["revoked"] = True
        state.last_force_at = now
        state.fetches["stable_forced"] += 1
        state.fetches["stable"] += 1
        return {"access_token": state.mint_token("stable"), "expires_in": state.config.token_ttl}
    state.fetches["stable"] += 1
    current = state.current["stable"]
    info = state.tokens.get(current) if current else None
    if info and not info["revoked"] and info["expires_at"] - now > 300:
        return {"access_token": current, "expires_in": int(info["expires_at"] - now)}
    return {"access_token": state.mint_token("stable"), "expires_in": state.config.token_ttl}


def jscode2session(state, query, body, parsed, flags):
    appid, secret, code = query.get("appid"), query.get("secret"), query.get("js_code")
    if not appid:
        raise WxError(41002, "appid missing")
    if not secret:
        raise WxError(41004, "appsecret missing")
    if not code:
        raise WxError(41008, "missing code")
    _require_credentials(state, appid, secret)
    if code.startswith("used-"):
        raise WxError(40163, "code been used")
    if code.startswith("ratelimit-"):
        raise WxError(45011, "api minute-quota reach limit mustslower retry next minute")
    if code.startswith("busy-"):
        raise WxError(-1, "system error")
    if code.startswith("blocked-"):
        raise WxError(40226, "code blocked")
    if code.startswith("valid-"):
        user = code[len("valid-") :].split("#", 1)[0]
    elif state.config.accept_any_code and not code.startswith(("invalid-", "expired-")):
        user = code
    else:
        raise WxError(40029, "invalid code")
    if not user:
        raise WxError(40029, "invalid code")
    if code in state.used_codes:
        raise WxError(40163, "code been used")
    expires_at = state.minted_codes.get(code)
    if expires_at is not None and time.time() > expires_at:
        raise WxError(40029, "invalid code")
    state.used_codes.add(code)
    openid = state.openid(user)
    state.known_openids[openid] = user
    state.login_seq[user] = state.login_seq.get(user, 0) + 1
    session_key = state.session_key(user, state.login_seq[user])
    state.session_keys[openid] = session_key
    state.active[openid] = time.time()
    result = {"openid": openid, "session_key": session_key}
    if state.config.unionid and not user.startswith("nounion-"):
        result["unionid"] = state.unionid(user)
    return result


def _check_signature(state, query):
    import hmac

    if query.get("sig_method") != "hmac_sha256":
        raise WxError(87008, "invalid sig_method")
    openid = query.get("openid", "")
    key = state.session_keys.get(openid)
    expected = hmac.new(base64.b64decode(key), b"", hashlib.sha256).hexdigest() if key else None
    if expected is None or query.get("signature") != expected:
        raise WxError(87009, "invalid signature")
    return openid


def checksession(state, query, body, parsed, flags):
    flags["token_kind"] = state.check_token(query)
    _check_signature(state, query)
    return {"errcode": 0, "errmsg": "ok"}


def resetusersessionkey(state, query, body, parsed, flags):
    flags["token_kind"] = state.check_token(query)
    openid = _check_signature(state, query)
    user = state.known_openids.get(openid, openid)
    state.login_seq[user] = state.login_seq.get(user, 0) + 1
    state.session_keys[openid] = state.session_key(user, state.login_seq[user])
    return {"errcode": 0, "errmsg": "ok", "openid": openid, "session_key": state.session_keys[openid]}


def _json_body(parsed, errcode=47001, errmsg="data format error"):
    if not isinstance(parsed, dict):
        raise WxError(errcode, errmsg)
    return parsed


def getuserphonenumber(state, query, body, parsed, flags):
    flags["token_kind"] = state.check_token(query)
    data = _json_body(parsed)
    code = data.get("code")
    if not code:
        raise WxError(47001, "data format error")
    if code.startswith("ratelimit-"):
        raise WxError(45011, "api minute-quota reach limit mustslower retry next minute")
    if code.startswith("busy-"):
        raise WxError(-1, "system error")
    if code in state.used_phone_codes:
        raise WxError(40029, "invalid code")
    if code in state.phone_codes:
        minted = state.phone_codes[code]
        if time.time() > minted["expires_at"]:
            raise WxError(40029, "invalid code")
        if data.get("openid") and minted["openid"] and data["openid"] != minted["openid"]:
            raise WxError(40029, "invalid code")
        country_code, digits = minted["country_code"], minted["phone"]
    else:
        match = re.fullmatch(r"phone-(?:(\d{1,4})-)?(\d{4,15})", code)
        if not match:
            raise WxError(40029, "invalid code")
        country_code, digits = match.group(1) or "86", match.group(2)
    state.used_phone_codes.add(code)
    phone_number = digits if country_code == "86" else f"+{country_code} {digits}"
    return {
        "errcode": 0,
        "errmsg": "ok",
        "phone_info": {
            "phoneNumber": phone_number,
            "purePhoneNumber": digits,
            "countryCode": country_code,
            "watermark": {"timestamp": int(time.time()), "appid": state.config.appid},
        },
    }


def _check_openid_and_scene(state, data, require_scene=True):
    openid = data.get("openid")
    if not openid or (openid not in state.known_openids and openid not in state.active):
        if openid in state.foreign_openids:
            raise WxError(43104, "appid and openid not match")
        raise WxError(40003, "invalid openid")
    if openid in state.foreign_openids:
        raise WxError(43104, "appid and openid not match")
    if require_scene and data.get("scene") not in (1, 2, 3, 4):
        raise WxError(40129, "invalid scene")
    if not state.is_active(openid):
        raise WxError(61010, "code is expired")
    return openid


def msg_sec_check(state, query, body, parsed, flags):
    flags["token_kind"] = state.check_token(query)
    data = _json_body(parsed)
    texts = " ".join(str(data.get(key) or "") for key in ("content", "title", "nickname", "signature"))
    if data.get("version") != 2:
        flags["v1_used"] = True
        if "[[risky" in texts or any(word in texts for word in state.config.risky_words):
            raise WxError(87014, "risky content")
        return {"errcode": 0, "errmsg": "ok"}
    _check_openid_and_scene(state, data)
    content = data.get("content")
    if not content:
        raise WxError(44002, "empty post data")
    if len(content) > 2500:
        raise WxError(47001, "data format error")
    if "[[busy]]" in texts:
        raise WxError(-1, "system error")
    suggest, label, keyword = "pass", 100, None
    marker = re.search(r"\[\[(risky|review)(?::(\d+))?\]\]", texts)
    if marker:
        suggest = marker.group(1)
        label = int(marker.group(2) or (20001 if suggest == "risky" else 21000))
    else:
        for word in state.config.risky_words:
            if word in texts:
                suggest, label, keyword = "risky", 20006, word
                break
    model_suggest = suggest if keyword is None else "pass"
    detail = [
        {
            "strategy": "content_model",
            "errcode": 0,
            "suggest": model_suggest,
            "label": label if keyword is None else 100,
            "prob": 90,
        },
        {"strategy": "keyword", "errcode": 0, "suggest": "risky" if keyword else "pass", "label": label, "level": 20},
    ]
    if keyword:
        detail[1]["keyword"] = keyword
    return {
        "errcode": 0,
        "errmsg": "ok",
        "trace_id": f"fake-{secrets.token_hex(8)}",
        "result": {"suggest": suggest, "label": label},
        "detail": detail,
    }


def media_check_async(state, query, body, parsed, flags):
    flags["token_kind"] = state.check_token(query)
    data = _json_body(parsed)
    url = data.get("media_url") or ""
    if data.get("version") != 2:
        flags["v1_used"] = True
    else:
        if not url.startswith("https://"):
            raise WxError(47001, "data format error")
        if data.get("media_type") not in (1, 2):
            raise WxError(47001, "data format error")
        _check_openid_and_scene(state, data)
    if "risky" in url:
        suggest, label, errcode = "risky", 20002, 0
    elif "review" in url:
        suggest, label, errcode = "review", 21000, 0
    elif "undownloadable" in url:
        suggest, label, errcode = "pass", 100, -1008
    else:
        suggest, label, errcode = "pass", 100, 0
    trace_id = f"fake-{secrets.token_hex(8)}"
    state.media_checks[trace_id] = {
        "trace_id": trace_id,
        "openid": data.get("openid"),
        "media_url": url,
        "suggest": suggest,
        "label": label,
        "errcode": errcode,
        "status": "pending",
    }
    if state.config.push_delay != "manual":
        timer = threading.Timer(float(state.config.push_delay), _deliver_media_check, args=(state, trace_id))
        timer.daemon = True
        timer.start()
    return {"errcode": 0, "errmsg": "ok", "trace_id": trace_id}


def _deliver_media_check(state, trace_id, fmt="json"):
    with state.lock:
        check = state.media_checks.get(trace_id)
        push_url, push_token, appid = state.config.push_url, state.config.push_token, state.config.appid
    if check is None:
        return {"error": "unknown trace_id"}
    event = {
        "ToUserName": "gh_fake",
        "FromUserName": check["openid"],
        "CreateTime": int(time.time()),
        "MsgType": "event",
        "Event": "wxa_media_check",
        "appid": appid,
        "trace_id": trace_id,
        "version": 2,
        "result": {"suggest": check["suggest"], "label": check["label"]},
        "detail": [
            {
                "strategy": "content_model",
                "errcode": check["errcode"],
                "suggest": check["suggest"],
                "label": check["label"],
                "prob": 90,
            }
        ],
    }
    outcome = {"delivered": False, "event": event}
    if push_url:
        timestamp, nonce = str(int(time.time())), secrets.token_hex(6)
        signature = hashlib.sha1("".join(sorted([push_token, timestamp, nonce])).encode()).hexdigest()
        separator = "&" if "?" in push_url else "?"
        url = f"{push_url}{separator}{urlencode({'signature': signature, 'timestamp': timestamp, 'nonce': nonce})}"
        if fmt == "xml":
            payload = _event_xml(event).encode("utf-8")
            content_type = "text/xml"
        else:
            payload = json.dumps(event, ensure_ascii=False).encode("utf-8")
            content_type = "application/json"
        request = urllib.request.Request(url, data=payload, headers={"Content-Type": content_type}, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback, configured URL
                outcome.update(delivered=True, push_status=response.status)
        except OSError as error:
            outcome["push_error"] = str(error)
    with state.lock:
        check["status"] = "delivered"
    return outcome


def _event_xml(event):
    def render(value):
        if isinstance(value, dict):
            return "".join(f"<{k}>{render(v)}</{k}>" for k, v in value.items())
        if isinstance(value, list):
            return "".join(f"<item>{render(v)}</item>" for v in value)
        if isinstance(value, int):
            return str(value)
        return f"<![CDATA[{value}]]>"

    return f"<xml>{render(event)}</xml>"


def img_sec_check(state, query, body, parsed, flags):
    flags["token_kind"] = state.check_token(query)
    flags["v1_used"] = True
    if b"RISKY" in body:
        raise WxError(87014, "risky content")
    return {"errcode": 0, "errmsg": "ok"}


def _chinese_count(value):
    return sum(1 for char in value if "\u4e00" <= char <= "\u9fff")


def subscribe_value_ok(rule: str, value: str) -> bool:
    """WeChat's value rule for one subscribe-message data key prefix (docs/wechat.md 1.4)."""
    if not isinstance(value, str) or value == "":
        return False
    if rule == "thing":
        return len(value) <= 20
    if rule == "number":
        return len(value) <= 32 and re.fullmatch(r"\d+(\.\d+)?", value) is not None
    if rule == "letter":
        return len(value) <= 32 and re.fullmatch(r"[A-Za-z]+", value) is not None
    if rule == "symbol":
        return len(value) <= 5 and re.fullmatch(r"[^\w\s]+", value) is not None
    if rule == "character_string":
        return len(value) <= 32 and re.fullmatch(r"[0-9A-Za-z!-/:-@\[-`{-~]+", value) is not None
    if rule in ("time", "date"):
        return re.search(r"\d", value) is not None and len(value) <= 64
    if rule == "amount":
        return re.fullmatch(r"[¥$€£]?\d{1,10}(\.\d{1,2})?元?", value) is not None
    if rule == "phone_number":
        return len(value) <= 17 and re.fullmatch(r"[\d+\-() ]+", value) is not None
    if rule == "car_number":
        return len(value) <= 8
    if rule == "name":
        chinese = _chinese_count(value)
        if chinese:
            return chinese == len(value) and chinese <= 10
        return len(value) <= 20 and re.fullmatch(r"[A-Za-z .'-]+", value) is not None
    if rule == "phrase":
        return _chinese_count(value) == len(value) and len(value) <= 5
    if rule == "enum":
        return True
    return True


def subscribe_send(state, query, body, parsed, flags):
    flags["token_kind"] = state.check_token(query)
    data = _json_body(parsed)
    touser = data.get("touser")
    if not touser:
        raise WxError(40003, "invalid openid")
    template_id = data.get("template_id")
    template = state.config.templates.get(template_id)
    if template is None:
        raise WxError(40037, "invalid template_id")
    if touser.startswith("o-refused"):
        raise WxError(43101, "user refuse to accept the msg")
    if state.config.subscribe_mode == "credits" and state.credits.get(f"{touser}|{template_id}", 0) <= 0:
        raise WxError(43101, "user refuse to accept the msg")
    values = data.get("data")
    if not isinstance(values, dict):
        raise WxError(47003, "argument invalid! data")
    for key in template:
        if key not in values:
            raise WxError(47003, f"argument invalid! data.{key}.value is empty")
    for key, item in values.items():
        if key not in template:
            raise WxError(47003, f"argument invalid! data.{key}.value not in template")
        value = item.get("value") if isinstance(item, dict) else None
        if not subscribe_value_ok(template[key], value):
            raise WxError(47003, f"argument invalid! data.{key}.value invalid")
    state_value = data.get("miniprogram_state")
    if state_value is not None and state_value not in ("developer", "trial", "formal"):
        raise WxError(47003, "argument invalid! miniprogram_state")
    if data.get("lang") is not None and data["lang"] not in ("zh_CN", "en_US", "zh_HK", "zh_TW"):
        raise WxError(47003, "argument invalid! lang")
    page = data.get("page")
    if page and state_value in (None, "formal") and page.split("?", 1)[0] not in state.config.pages:
        raise WxError(41030, "invalid page")
    if state.config.subscribe_mode == "credits":
        state.credits[f"{touser}|{template_id}"] -= 1
    state.msgid += 1
    state.messages.append({"msgid": state.msgid, **data})
    return {"errcode": 0, "errmsg": "ok", "msgid": state.msgid}


def getwxacodeunlimit(state, query, body, parsed, flags):
    flags["token_kind"] = state.check_token(query)
    data = _json_body(parsed, 40169, "invalid length for scene, or the data is not json string")
    scene = data.get("scene")
    if not isinstance(scene, str) or not scene or len(scene) > 32 or not SCENE_CHARS.match(scene):
        raise WxError(40169, "invalid length for scene, or the data is not json string")
    if scene == "ratelimit":
        raise WxError(45009, "reach max api daily quota limit")
    page = data.get("page")
    if data.get("check_path") is not False and page is not None and page not in state.config.pages:
        raise WxError(41030, "invalid page")
    env_version = data.get("env_version", "release")
    if env_version not in ("release", "trial", "develop"):
        raise WxError(47001, "data format error")
    text = json.dumps({"scene": scene, "page": page, "env_version": env_version, "width": data.get("width", 430)})
    return png_with_text(text)


def _check_link_common(state, data, path):
    if state.config.strict:
        for key in ("cloud_base", "jump_wxa"):
            if key in data and not isinstance(data[key], dict):
                raise WxError(47001, "data format error")
    expire_type = data.get("expire_type", 0)
    now = time.time()
    if expire_type == 1:
        interval = data.get("expire_interval")
        if not isinstance(interval, int) or not 1 <= interval <= 30:
            raise WxError(85401, "time limit between 1min and 1year")
    elif expire_type == 0:
        expire_time = data.get("expire_time")
        if not isinstance(expire_time, int) or not now + 60 < expire_time <= now + 30 * 86400:
            raise WxError(85401, "time limit between 1min and 1year")
    else:
        raise WxError(85401, "time limit between 1min and 1year")
    if path and path not in state.config.pages:
        raise WxError(41030, "invalid page")


def generate_urllink(state, query, body, parsed, flags):
    flags["token_kind"] = state.check_token(query)
    data = _json_body(parsed)
    _check_link_common(state, data, data.get("path"))
    link_query = data.get("query", "")
    if len(link_query) > 1024 or not QUERY_CHARS.match(link_query):
        raise WxError(40165, "invalid weapp pagepath")
    url = f"https://wxaurl.cn/fake{secrets.token_hex(5)}"
    state.links.append({"kind": "urllink", "url_link": url, **data})
    return {"errcode": 0, "errmsg": "ok", "url_link": url}


def generatescheme(state, query, body, parsed, flags):
    flags["token_kind"] = state.check_token(query)
    data = _json_body(parsed)
    jump = data.get("jump_wxa") if isinstance(data.get("jump_wxa"), dict) else {}
    _check_link_common(state, data, jump.get("path"))
    link_query = jump.get("query", "")
    if len(link_query) > 1024 or not QUERY_CHARS.match(link_query):
        raise WxError(40165, "invalid weapp pagepath")
    link = f"weixin://dl/business/?t=fake{secrets.token_hex(5)}"
    state.links.append({"kind": "scheme", "openlink": link, **data})
    return {"errcode": 0, "errmsg": "ok", "openlink": link}


ROUTES = {
    "/cgi-bin/token": ("GET", token),
    "/cgi-bin/stable_token": ("POST", stable_token),
    "/sns/jscode2session": ("GET", jscode2session),
    "/wxa/checksession": ("GET", checksession),
    "/wxa/resetusersessionkey": ("GET", resetusersessionkey),
    "/wxa/business/getuserphonenumber": ("POST", getuserphonenumber),
    "/wxa/msg_sec_check": ("POST", msg_sec_check),
    "/wxa/media_check_async": ("POST", media_check_async),
    "/wxa/img_sec_check": ("POST", img_sec_check),
    "/cgi-bin/message/subscribe/send": ("POST", subscribe_send),
    "/wxa/getwxacodeunlimit": ("POST", getwxacodeunlimit),
    "/wxa/generate_urllink": ("POST", generate_urllink),
    "/wxa/generatescheme": ("POST", generatescheme),
}
FAULT_MODES = ("http500", "http502", "hang", "busy", "ratelimit", "badjson", "reset")
CONFIG_KEYS = {
    "subscribe_mode",
    "hang_seconds",
    "active_window",
    "code_ttl",
    "token_ttl",
    "token_grace",
    "token_daily_quota",
    "accept_any_code",
    "unionid",
    "strict",
    "push_url",
    "push_delay",
    "risky_words",
}


def _kinds(data):
    kind = data.get("kind", "all")
    return ("normal", "stable") if kind == "all" else (kind,)


def control(state: State, method: str, path: str, query: dict, data: dict):
    """One control-plane call; None for an unknown one."""
    route = path[len("/__fake__/") :].rstrip("/")
    if method == "POST" and route == "reset":
        state.reset()
        return {"ok": True}
    if method == "GET" and route == "state":
        now = time.time()
        live = sum(1 for t in state.tokens.values() if not t["revoked"] and t["expires_at"] > now)
        return {
            "token_fetches": dict(state.fetches),
            "live_tokens": live,
            "active_openids": sum(1 for o in state.active if state.is_active(o)),
            "sticky_invalid": state.sticky_invalid,
            "faults": [f for f in state.faults if f["count"] > 0],
            "subscribe_mode": state.config.subscribe_mode,
            "credits": dict(state.credits),
        }
    if method == "POST" and route == "config":
        unknown = set(data) - CONFIG_KEYS
        if unknown:
            raise KeyError(f"unknown config keys {sorted(unknown)}")
        for key, value in data.items():
            setattr(state.config, key, tuple(value) if key == "risky_words" else value)
        return {"ok": True}
    if method == "POST" and route == "tokens/expire":
        now = time.time()
        for info in state.tokens.values():
            if info["kind"] in _kinds(data):
                info["expires_at"] = now
        return {"ok": True}
    if method == "POST" and route == "tokens/revoke":
        for info in state.tokens.values():
            if info["kind"] in _kinds(data):
                info["revoked"] = True
        for kind in _kinds(data):
            state.current[kind] = None
        return {"ok": True}
    if method == "POST" and route == "tokens/sticky-invalid":
        state.sticky_invalid = bool(data.get("on", True))
        return {"ok": True}
    if method == "POST" and route == "faults":
        if data["mode"] not in FAULT_MODES:
            raise KeyError(f"mode must be one of {FAULT_MODES}")
        state.faults.append({"path": data["path"], "mode": data["mode"], "count": int(data.get("count", 1))})
        return {"ok": True}
    if method == "POST" and route == "codes/login":
        code = f"valid-{data['user']}#{secrets.token_hex(6)}"
        expires_at = time.time() + state.config.code_ttl
        state.minted_codes[code] = expires_at
        return {"code": code, "expires_at": expires_at}
    if method == "POST" and route == "codes/phone":
        phone = str(data["phone"])
        country_code = str(data.get("country_code", "86"))
        code = f"phonecode-{secrets.token_hex(8)}"
        expires_at = time.time() + state.config.code_ttl
        state.phone_codes[code] = {
            "phone": phone,
            "country_code": country_code,
            "openid": data.get("openid"),
            "expires_at": expires_at,
        }
        return {"code": code, "expires_at": expires_at}
    if method == "POST" and route == "activity":
        openid = data["openid"]
        if data.get("appid") and data["appid"] != state.config.appid:
            state.foreign_openids.add(openid)
        state.known_openids.setdefault(openid, openid)
        state.active[openid] = time.time() - float(data.get("seconds_ago", 0))
        return {"ok": True}
    if method == "POST" and route == "subscriptions":
        key = f"{data['openid']}|{data['template_id']}"
        state.credits[key] = state.credits.get(key, 0) + int(data.get("count", 1))
        return {"ok": True, "credits": state.credits[key]}
    match = re.fullmatch(r"media-checks/([\w-]+)/deliver", route)
    if method == "POST" and match:
        state.lock.release()  # the push is an outbound HTTP call: never hold the lock across it
        try:
            return _deliver_media_check(state, match.group(1), query.get("format", "json"))
        finally:
            state.lock.acquire()
    if method == "GET" and route == "requests":
        since = int(query.get("since") or 0)
        return [
            entry
            for entry in state.journal
            if entry["seq"] > since and (not query.get("path") or entry["path"] == query["path"])
        ]
    if method == "GET" and route == "messages":
        return list(state.messages)
    if method == "GET" and route == "links":
        return list(state.links)
    if method == "GET" and route == "media-checks":
        return list(state.media_checks.values())
    if method == "GET" and route == "identity":
        return state.identity(query["user"])
    return None


class StandinServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # socketserver's default listen backlog is 5: twenty clients connecting at once (the
    # idempotency test, a busy `make run`) overflowed it and one got a reset. WeChat's own
    # servers never refuse a connection for that.
    request_queue_size = 128

    def __init__(self, address, config: Config | None = None, *, verbose=False):
        self.state = State(config or Config.from_env())
        self.verbose = verbose
        super().__init__(address, Handler)

    def handle_error(self, request, client_address):
        # Injected `reset` faults and clients that time out and hang up are expected here.
        if self.verbose:
            super().handle_error(request, client_address)

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/"


def start_in_thread(config: Config | None = None, host: str = "127.0.0.1", port: int = 0) -> StandinServer:
    """Start a stand-in on a free loopback port in a daemon thread (the test suite's way)."""
    server = StandinServer((host, port), config)
    thread = threading.Thread(target=server.serve_forever, name="wechat-standin", daemon=True)
    thread.start()
    return server


def main(argv=None):
    parser = argparse.ArgumentParser(description="The local stand-in for WeChat's server API.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--appid", help="accepted appid (default FAKE_WX_APPID or wxFAKEAPPID0000001)")
    parser.add_argument("--secret", help="accepted secret (default FAKE_WX_SECRET or fake-secret)")
    parser.add_argument("--accept-any-code", action="store_true", help="unknown login codes act as valid-<code>")
    parser.add_argument("--i-know", action="store_true", help="allow binding to a non-loopback address")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    if args.host not in ("127.0.0.1", "localhost", "::1") and not args.i_know:
        parser.error("the stand-in binds to loopback only; pass --i-know to bind elsewhere")
    config = Config.from_env()
    if args.appid:
        config.appid = args.appid
    if args.secret:
        config.secret = args.secret
    if args.accept_any_code:
        config.accept_any_code = True
    server = StandinServer((args.host, args.port), config, verbose=args.verbose)
    print(f"WeChat stand-in listening on {server.base_url} (appid {config.appid})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
