"""The one door to WeChat's server API: a small layer over wechatpy (1.8.18).

What it adds to wechatpy (docs/wechat.md 1.6):
- every call, the token fetch included, has a timeout (WECHAT_TIMEOUT_SECONDS);
- wechatpy's unbounded automatic retry is off; on a token error (40001/40014/42001) the
  gateway drops the cached token, fetches a new one and retries once, then gives up;
- the access token lives in Django's cache (Redis when REDIS_URL is set), with its expiry,
  shared by every worker and process; one fetcher at a time holds a cache lock, the others
  wait for its token, so N workers cause one fetch, not N;
- the token comes from /cgi-bin/stable_token by default (stable while valid, so concurrent
  fetchers cannot invalidate each other's token), from WECHAT_API_BASE_URL, not the URL
  wechatpy hard-codes;
- WeChat's error codes become our errors (DomainError: machine code, message, HTTP status);
- calls wechatpy lacks or gets wrong (msgSecCheck v2, phone number on 1.8, getwxacodeunlimit
  with env_version/check_path, subscribe send with miniprogram_state/lang) go through the
  same client, so they get the same timeouts, retry and error handling.

Call sites use `get_gateway()`; nothing outside this module touches wechatpy.
"""

import hashlib
import hmac
import json
import logging
import re
import threading
import time
import uuid
from dataclasses import dataclass

import requests
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from wechatpy.client import WeChatClient
from wechatpy.exceptions import WeChatClientException
from wechatpy.session import SessionStorage

from pti_bridge.errors import DomainError
from pti_bridge.redis_outage import redis_down

logger = logging.getLogger(__name__)

# 40001 invalid credential, 40014 invalid access_token, 42001 access_token expired.
TOKEN_ERRORS = frozenset({40001, 40014, 42001})
# Busy, rate limits: WeChat may answer later.
TRANSIENT_ERRORS = frozenset({-1, 45009, 45011})
# Refetch the token this many seconds before WeChat says it expires (wechatpy uses 60 too).
TOKEN_MARGIN_SECONDS = 60


# Our errors. All are DomainErrors, so the API renders them in its one error shape.


class WeChatError(DomainError):
    """WeChat could not do what we asked. `errcode` is WeChat's code (None: no answer)."""

    code = "wechat_unavailable"
    status_code = 503
    default_message = _("WeChat is not available at the moment. Please try again shortly.")

    def __init__(self, message=None, *, code: str | None = None, errcode: int | None = None):
        super().__init__(message, code=code)
        self.errcode = errcode


class WeChatUnavailable(WeChatError):
    """Busy, rate-limited, failing, hanging or misconfigured: try again later (503)."""


class WeChatInvalidCode(WeChatError):
    """A login or phone code that is bad, used or expired (400)."""

    code = "wechat_invalid_code"
    status_code = 400
    default_message = _("The WeChat code is invalid or has expired. Please try again.")


class WeChatCodeBlocked(WeChatError):
    """WeChat refuses this user's code as high-risk (40226) (403)."""

    code = "wechat_blocked"
    status_code = 403
    default_message = _("WeChat refused this sign-in.")


class WeChatRefused(WeChatError):
    """WeChat refused a request we made (bad template, page, scene ...): retrying will not help."""

    code = "wechat_refused"
    status_code = 503


class SubscribeMessageInvalid(WeChatRefused):
    """A subscribe message whose data breaks WeChat's value rules (found here or by WeChat, 47003)."""

    code = "wechat_message_invalid"

    def __init__(self, message=None, *, field: str = "", errcode: int | None = None):
        super().__init__(message or _("Invalid subscribe message field: %(field)s") % {"field": field}, errcode=errcode)
        self.field = field


class SubscribeRefused(WeChatRefused):
    """The user refused or used up the subscription (43101): do not send again."""

    code = "wechat_subscribe_refused"


# What the gateway returns.


@dataclass(frozen=True)
class WeChatSession:
    """code2Session's answer. `session_key` must never leave the server."""

    openid: str
    unionid: str
    session_key: str


@dataclass(frozen=True)
class PhoneNumber:
    phone_number: str  # with the "+cc " prefix for numbers outside mainland China
    pure_phone_number: str
    country_code: str


@dataclass(frozen=True)
class ContentVerdict:
    """msgSecCheck v2's verdict: `suggest` is pass, review or risky.

    `checked` is False when WeChat could not judge (61010: the user was not active
    recently); the verdict is then `review`, so staff decide.
    """

    suggest: str
    label: int | None
    trace_id: str = ""
    checked: bool = True

    @property
    def passed(self) -> bool:
        return self.suggest == "pass"


class CacheTokenStorage(SessionStorage):
    """wechatpy's session storage over Django's cache (Redis when REDIS_URL is set).

    While Redis is away (pti_bridge.redis_outage) it keeps what it is given in this process:
    each process then fetches its own token (the stable token is the same for every fetcher)
    and holds its own fetch lock, rather than failing every call to WeChat."""

    def __init__(self, prefix: str):
        self.prefix = prefix
        self._local: dict[str, tuple] = {}  # key: (value, expires at, time.monotonic(), or None)
        self._local_lock = threading.Lock()

    def key_name(self, key: str) -> str:
        return f"{self.prefix}:{key}"

    def _local_get(self, key):
        value, expires_at = self._local.get(key, (None, None))
        return None if expires_at is not None and expires_at <= time.monotonic() else value

    def _local_set(self, key, value, ttl) -> None:
        self._local[key] = (value, time.monotonic() + ttl if ttl else None)

    def get(self, key, default=None):
        value = cache.get(self.key_name(key))
        if value is None and redis_down():
            value = self._local_get(key)
        return default if value is None else value

    def set(self, key, value, ttl=None):
        self._local_set(key, value, ttl)
        cache.set(self.key_name(key), value, timeout=ttl)

    def delete(self, key):
        self._local.pop(key, None)
        cache.delete(self.key_name(key))

    def add(self, key, value, ttl) -> bool:
        added = cache.add(self.key_name(key), value, timeout=ttl)
        if not redis_down():
            return added
        with self._local_lock:
            if self._local_get(key) is not None:
                return False
            self._local_set(key, value, ttl)
            return True


class ProjectWeChatClient(WeChatClient):
    """wechatpy's client pointed at a configurable base URL, with timeouts, no auto-retry,
    and a token (with its expiry) kept in shared storage."""

    def __init__(
        self, appid, secret, *, base_url: str, timeout: float, session: CacheTokenStorage, use_stable_token=True
    ):
        super().__init__(appid, secret, session=session, timeout=(min(3.05, timeout), timeout), auto_retry=False)
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.wait_seconds = timeout
        self.use_stable_token = use_stable_token
        # Instance-level base URLs: API objects are per client (wechatpy's __new__), so this is safe.
        self.API_BASE_URL = self.base_url + "cgi-bin/"
        self.wxa.API_BASE_URL = self.base_url

    @property
    def expires_at_key(self) -> str:
        return f"{self.appid}_access_token_expires_at"

    @property
    def lock_key(self) -> str:
        return f"{self.appid}_access_token_lock"

    def fetch_access_token(self):
        """Fetch a token from WeChat and store it with its expiry (no lock: see access_token)."""
        if self.use_stable_token:
            response = self._http.post(
                self.base_url + "cgi-bin/stable_token",
                json={
                    "grant_type": "client_credential",
                    "appid": self.appid,
                    "secret": self.secret,
                    "force_refresh": False,
                },
                timeout=self.timeout,
            )
        else:
            response = self._http.get(
                self.base_url + "cgi-bin/token",
                params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
                timeout=self.timeout,
            )
        if response.status_code != 200:
            raise WeChatUnavailable(errcode=None)
        try:
            result = response.json()
        except ValueError as error:
            raise WeChatUnavailable() from error
        if not isinstance(result, dict) or result.get("errcode") or not result.get("access_token"):
            errcode = result.get("errcode") if isinstance(result, dict) else None
            logger.error("WeChat refused an access token: errcode %s", errcode)
            raise WeChatUnavailable(errcode=errcode)
        expires_in = int(result.get("expires_in") or 7200)
        self.session.set(self.access_token_key, result["access_token"], expires_in)
        self.session.set(self.expires_at_key, time.time() + expires_in, expires_in)
        self.expires_at = time.time() + expires_in
        return result

    def _valid_token(self):
        token = self.session.get(self.access_token_key)
        expires_at = self.session.get(self.expires_at_key)
        if token and expires_at and expires_at - time.time() > TOKEN_MARGIN_SECONDS:
            return token
        return None

    @property
    def access_token(self):
        """A valid token from shared storage, fetched by exactly one caller when missing."""
        deadline = time.monotonic() + self.wait_seconds * 2 + 1
        while True:
            token = self._valid_token()
            if token:
                return token
            owner = uuid.uuid4().hex
            if self.session.add(self.lock_key, owner, int(self.wait_seconds * 2) + 2):
                try:
                    token = self._valid_token()  # someone may have stored one since we looked
                    if token:
                        return token
                    self.fetch_access_token()
                    return self.session.get(self.access_token_key)
                finally:
                    if self.session.get(self.lock_key) == owner:
                        self.session.delete(self.lock_key)
            if time.monotonic() > deadline:
                raise WeChatUnavailable()
            time.sleep(0.02)

    def invalidate_token(self, token: str) -> None:
        """Forget `token` if it is still the stored one (another worker may have replaced it)."""
        if self.session.get(self.access_token_key) == token:
            self.session.delete(self.access_token_key)
            self.session.delete(self.expires_at_key)


# Subscribe-message value rules per data key prefix (docs/wechat.md 1.4).
_CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _subscribe_value_valid(prefix: str, value: str) -> bool:
    if prefix == "thing":
        return len(value) <= 20
    if prefix == "number":
        return len(value) <= 32 and re.fullmatch(r"\d+(\.\d+)?", value) is not None
    if prefix == "letter":
        return len(value) <= 32 and re.fullmatch(r"[A-Za-z]+", value) is not None
    if prefix == "symbol":
        return len(value) <= 5 and re.fullmatch(r"[^\w\s]+", value) is not None
    if prefix == "character_string":
        return len(value) <= 32 and re.fullmatch(r"[0-9A-Za-z!-/:-@\[-`{-~]+", value) is not None
    if prefix in ("time", "date"):
        return len(value) <= 64 and re.search(r"\d", value) is not None
    if prefix == "amount":
        return re.fullmatch(r"[¥$€£]?\d{1,10}(\.\d{1,2})?元?", value) is not None
    if prefix == "phone_number":
        return len(value) <= 17 and re.fullmatch(r"[\d+\-() ]+", value) is not None
    if prefix == "car_number":
        return len(value) <= 8
    if prefix == "name":
        chinese = len(_CHINESE.findall(value))
        if chinese:
            return chinese == len(value) and chinese <= 10
        return len(value) <= 20 and re.fullmatch(r"[A-Za-z .'-]+", value) is not None
    if prefix == "phrase":
        return len(value) <= 5 and len(_CHINESE.findall(value)) == len(value)
    return True  # enum and future prefixes: WeChat decides


def validate_subscribe_data(data: dict) -> dict:
    """Check each `key: value` against WeChat's rule for the key's prefix; returns the body's `data`."""
    body = {}
    for key, raw in data.items():
        value = raw.get("value") if isinstance(raw, dict) else raw
        match = re.fullmatch(r"([a-z_]+?)(\d+)", key)
        if match is None or not isinstance(value, str) or not value:
            raise SubscribeMessageInvalid(field=key)
        if not _subscribe_value_valid(match.group(1), value):
            raise SubscribeMessageInvalid(field=key)
        body[key] = {"value": value}
    return body


SCENE_PATTERN = re.compile(r"^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}$")


class WeChatGateway:
    """Every call the project makes to WeChat. Build it with `get_gateway()`."""

    def __init__(self, *, appid: str, secret: str, base_url: str, timeout: float, use_stable_token: bool = True):
        digest = hashlib.sha256(base_url.encode()).hexdigest()[:8]
        storage = CacheTokenStorage(prefix=f"wechat:{digest}")
        self.client = ProjectWeChatClient(
            appid, secret, base_url=base_url, timeout=timeout, session=storage, use_stable_token=use_stable_token
        )

    # The one way calls are made.

    def _call(self, method: str, path: str, *, params=None, data=None, token=True, code_call=False):
        """One request with the bounded token retry; returns the JSON dict or, for images, bytes."""
        attempts = 2 if token else 1
        for attempt in range(1, attempts + 1):
            query = dict(params or {})
            used_token = None
            try:
                if token:
                    used_token = self.client.access_token
                    query["access_token"] = used_token
                else:
                    # wechatpy adds a token when the key is absent; None keeps the key and
                    # requests drops it, so login does not depend on the token endpoint.
                    query["access_token"] = None
                kwargs = {"params": query}
                if data is not None:
                    kwargs["data"] = data
                result = self.client._request(method, self.client.base_url + path, **kwargs)
            except WeChatClientException as error:
                errcode = error.errcode
                if errcode in TOKEN_ERRORS and attempt < attempts:
                    logger.info("WeChat token rejected (%s); fetching a new one and retrying once", errcode)
                    self.client.invalidate_token(used_token)
                    continue
                raise self._translate(errcode, path, code_call) from error
            except requests.RequestException as error:
                logger.warning("WeChat call %s failed: %s", path, error.__class__.__name__)
                raise WeChatUnavailable() from error
            if isinstance(result, requests.Response):
                content_type = result.headers.get("Content-Type", "")
                if content_type.startswith("image/") or result.content[:4] in (b"\x89PNG", b"\xff\xd8\xff\xe0"):
                    return result.content
                raise WeChatUnavailable()  # neither JSON nor an image: a truncated or garbled answer
            return result
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _translate(errcode, path, code_call) -> WeChatError:
        if errcode is None or errcode in TRANSIENT_ERRORS or errcode in TOKEN_ERRORS:
            return WeChatUnavailable(errcode=errcode)
        if code_call and errcode in (40029, 40163, 47001, 41008):
            return WeChatInvalidCode(errcode=errcode)
        if code_call and errcode == 40226:
            return WeChatCodeBlocked(errcode=errcode)
        if errcode in (40013, 40125, 41002, 41004, 40164, 40243, 48001):
            logger.error("WeChat refused our credentials or IP on %s: errcode %s", path, errcode)
            return WeChatUnavailable(errcode=errcode)
        if errcode == 43101:
            return SubscribeRefused(errcode=errcode)
        if errcode == 47003:
            return SubscribeMessageInvalid(errcode=errcode)
        logger.error("WeChat refused a call to %s: errcode %s", path, errcode)
        return WeChatRefused(errcode=errcode)

    # Sign-in and the user.

    def code_to_session(self, code: str) -> WeChatSession:
        """Exchange a wx.login() code. No access token is needed (nor fetched)."""
        if not code or len(code) > 128:
            raise WeChatInvalidCode()
        result = self._call(
            "get",
            "sns/jscode2session",
            params={
                "appid": self.client.appid,
                "secret": self.client.secret,
                "js_code": code,
                "grant_type": "authorization_code",
            },
            token=False,
            code_call=True,
        )
        if not isinstance(result, dict) or not result.get("openid"):
            raise WeChatUnavailable()
        return WeChatSession(
            openid=result["openid"], unionid=result.get("unionid") or "", session_key=result.get("session_key") or ""
        )

    def get_phone_number(self, code: str, *, openid: str = "") -> PhoneNumber:
        """The phone number behind a getPhoneNumber button code (single use, 5 minutes)."""
        if not code or len(code) > 128:
            raise WeChatInvalidCode()
        body = {"code": code}
        if openid:
            body["openid"] = openid
        result = self._call("post", "wxa/business/getuserphonenumber", data=body, code_call=True)
        info = result.get("phone_info") if isinstance(result, dict) else None
        if not isinstance(info, dict) or not info.get("purePhoneNumber"):
            raise WeChatUnavailable()
        return PhoneNumber(
            phone_number=str(info.get("phoneNumber") or info["purePhoneNumber"]),
            pure_phone_number=str(info["purePhoneNumber"]),
            country_code=str(info.get("countryCode") or ""),
        )

    # Content security.

    def check_text(
        self, *, openid: str, content: str, scene: int = 2, nickname: str = "", title: str = ""
    ) -> ContentVerdict:
        """msgSecCheck v2 (wechatpy's check_text_security sends the frozen v1)."""
        body = {"version": 2, "openid": openid, "scene": scene, "content": content}
        if nickname:
            body["nickname"] = nickname
        if title:
            body["title"] = title
        try:
            result = self._call("post", "wxa/msg_sec_check", data=body)
        except WeChatRefused as error:
            if error.errcode == 61010:
                # The user was not active recently enough for WeChat to judge: staff will.
                return ContentVerdict(suggest="review", label=None, checked=False)
            raise
        verdict = result.get("result") if isinstance(result, dict) else None
        if not isinstance(verdict, dict) or verdict.get("suggest") not in ("pass", "review", "risky"):
            raise WeChatUnavailable()
        return ContentVerdict(
            suggest=verdict["suggest"], label=verdict.get("label"), trace_id=result.get("trace_id", "")
        )

    def check_media_async(self, *, openid: str, media_url: str, scene: int = 1, media_type: int = 2) -> str:
        """Submit an image (media_type 2) or audio (1) to mediaCheckAsync v2; returns WeChat's
        trace_id. The verdict comes later, pushed as a `wxa_media_check` event
        (`parse_media_check_push`). `media_url` must be https and publicly downloadable;
        scene 1 is a profile (avatar), 2 a comment, 3 a forum post, 4 social log."""
        if not media_url.startswith("https://"):
            raise WeChatRefused(_("WeChat only checks media at an https address."), errcode=47001)
        body = {"media_url": media_url, "media_type": media_type, "version": 2, "scene": scene, "openid": openid}
        result = self._call("post", "wxa/media_check_async", data=body)
        trace_id = (result.get("trace_id") or result.get("traceId")) if isinstance(result, dict) else None
        if not trace_id:
            raise WeChatUnavailable()
        return str(trace_id)

    # Messages, codes.

    def send_subscribe_message(
        self,
        *,
        openid: str,
        template_id: str,
        data: dict,
        page: str = "",
        miniprogram_state: str | None = None,
        lang: str = "zh_CN",
    ) -> int:
        """Send one subscribe message; returns WeChat's msgid.

        `data` maps keys such as `thing1` to a string (or {"value": ...}); each value is
        checked against WeChat's rule for its prefix first (SubscribeMessageInvalid), so a
        bad value is caught before WeChat's 47003. 43101 raises SubscribeRefused.
        """
        if not openid:
            raise WeChatRefused(_("The buyer has no WeChat account any more."), errcode=40003)
        state = miniprogram_state or settings.WECHAT_MINIPROGRAM_STATE
        if state not in ("developer", "trial", "formal"):
            raise SubscribeMessageInvalid(field="miniprogram_state")
        if lang not in ("zh_CN", "en_US", "zh_HK", "zh_TW"):
            raise SubscribeMessageInvalid(field="lang")
        body = {
            "touser": openid,
            "template_id": template_id,
            "data": validate_subscribe_data(data),
            "miniprogram_state": state,
            "lang": lang,
        }
        if page:
            body["page"] = page
        result = self._call("post", "cgi-bin/message/subscribe/send", data=body)
        return int(result.get("msgid") or 0)

    def get_unlimited_code(self, *, scene: str, page: str, width: int = 430) -> bytes:
        """A Mini Program code (PNG/JPEG bytes) that opens `page` with `scene`."""
        if not SCENE_PATTERN.match(scene or ""):
            raise WeChatRefused(_("The share code's scene is not valid."), errcode=40169)
        env_version = {"formal": "release", "trial": "trial", "developer": "develop"}[settings.WECHAT_MINIPROGRAM_STATE]
        body = {"scene": scene, "page": page, "width": width, "env_version": env_version}
        if env_version != "release":
            body["check_path"] = False  # unreleased pages exist only in trial and development builds
        result = self._call("post", "wxa/getwxacodeunlimit", data=body)
        if not isinstance(result, bytes):
            raise WeChatUnavailable()
        return result


# What WeChat pushes to our message-push URL.


@dataclass(frozen=True)
class MediaCheckVerdict:
    """A `wxa_media_check` event (v2). `checked` is False when WeChat could not judge the
    media (a detail's errcode is not 0, e.g. -1008: the file could not be downloaded)."""

    trace_id: str
    openid: str
    suggest: str
    label: int | None
    checked: bool = True


def push_signature_valid(*, token: str, signature: str, timestamp: str, nonce: str) -> bool:
    """WeChat's message-push signature: sha1 of token, timestamp and nonce sorted and joined."""
    if not (token and signature and timestamp and nonce):
        return False
    expected = hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()
    return hmac.compare_digest(expected, signature.lower())


def parse_push(body: bytes) -> dict | None:
    """A push body (JSON, or XML in the console's XML mode) as a dict, or None if unreadable."""
    text = body.decode("utf-8", "replace").strip()
    if text.startswith("<"):
        import xmltodict

        try:
            parsed = xmltodict.parse(text, disable_entities=True)
        except Exception:  # expat errors and their kin: unreadable is all we need to know
            return None
        parsed = parsed.get("xml") if isinstance(parsed, dict) else None
        return parsed if isinstance(parsed, dict) else None
    try:
        parsed = json.loads(text)
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) else None


def parse_media_check_push(event: dict) -> MediaCheckVerdict | None:
    """The verdict in a push, or None when the push is not a (readable) v2 media check."""
    if event.get("Event") != "wxa_media_check":
        return None
    result = event.get("result")
    trace_id = event.get("trace_id")
    if not isinstance(result, dict) or not isinstance(trace_id, str) or not trace_id or len(trace_id) > 64:
        return None
    suggest = result.get("suggest")
    if suggest not in ("pass", "review", "risky"):
        return None
    try:
        label = int(result.get("label"))
    except (TypeError, ValueError):
        label = None
    detail = event.get("detail") or []
    if isinstance(detail, dict):  # XML: <detail><item>...</item></detail>, one item or several
        detail = detail.get("item", detail)
    if isinstance(detail, dict):
        detail = [detail]
    checked = True
    for entry in detail if isinstance(detail, list) else []:
        if isinstance(entry, dict) and str(entry.get("errcode", "0")) != "0":
            checked = False
    openid = event.get("FromUserName")
    return MediaCheckVerdict(
        trace_id=trace_id,
        openid=openid if isinstance(openid, str) else "",
        suggest=suggest,
        label=label,
        checked=checked,
    )


_local = threading.local()


def get_gateway() -> WeChatGateway:
    """The gateway for the current settings (one per thread: requests sessions are not shared)."""
    config = (
        settings.WECHAT_APP_ID,
        settings.WECHAT_APP_SECRET,
        settings.WECHAT_API_BASE_URL,
        settings.WECHAT_TIMEOUT_SECONDS,
        settings.WECHAT_USE_STABLE_TOKEN,
    )
    gateway = getattr(_local, "gateway", None)
    if gateway is None or _local.config != config:
        appid, secret, base_url, timeout, stable = config
        gateway = WeChatGateway(appid=appid, secret=secret, base_url=base_url, timeout=timeout, use_stable_token=stable)
        _local.gateway, _local.config = gateway, config
    return gateway
