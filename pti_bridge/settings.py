"""PTI Bridge settings: one module, configured by the environment.

Every variable is documented once, in `.env.example`. Production differs from a
newcomer's machine only by environment values; with `DJANGO_DEBUG=false` the
settings refuse the development secret key and turn on every HTTPS protection,
so `manage.py check --deploy` has nothing to report.
"""

from pathlib import Path

import environ
from celery.schedules import crontab as _crontab
from csp import constants as csp_constants
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local `.env` file is a convenience for developers; real environments set variables.
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")

_TRUE, _FALSE = {"true", "1", "yes", "on"}, {"false", "0", "no", "off"}


def env_bool(name: str, *, default: bool) -> bool:
    """A boolean variable; a value that is neither true nor false is an error, not False."""
    raw = env.str(name, default="").strip().lower()
    if not raw:
        return default
    if raw not in _TRUE | _FALSE:
        raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")
    return raw in _TRUE


DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-pti-bridge-0000"

DEBUG = env_bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=DEV_SECRET_KEY)
if not DEBUG and (SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random value of 50 or more characters "
        "when DJANGO_DEBUG is false; the development key is refused."
    )

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# The public address of the site (https in production), used in links sent by e-mail and as the
# origin of the API's image URLs while MEDIA_URL is a path (pti_bridge.storage.absolute_url).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Django's admin, with the staff's second factor before it opens (pti_bridge/admin_site.py).
    "pti_bridge.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "storages",
    "pti_bridge.apps.AxesConfig",
    "django_otp",
    "pti_bridge.apps.AuthenticatorConfig",
    "pti_bridge.apps.RecoveryCodesConfig",
    "pti_bridge",
    "exporters",
    "catalogue",
    "buyers",
    "inquiries",
    "glossary",
    "demo",
]

MIDDLEWARE = [
    # First: catches what every other layer raises (the database away: 503; JSON under /api/).
    "pti_bridge.middleware.ServiceErrorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "pti_bridge.middleware.PortalInEnglishMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks request.user verified once a second-factor code was entered in this session.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pti_bridge.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it answers locked-out sign-ins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pti_bridge.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "pti_bridge.wsgi.application"

# Database: SQLite for a newcomer, PostgreSQL (DATABASE_URL) in CI and production.
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USING_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue instead of failing: a transaction takes the write lock when it begins
    # (a read-then-write one cannot deadlock), waits up to `timeout` seconds for it, and
    # readers never wait for writers (WAL). secure_delete zeroes erased values (a deleted
    # buyer's text) in the file, not only unlinks them.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE",
        timeout=env.float("SQLITE_BUSY_TIMEOUT_SECONDS", default=5.0),
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON",
    )
if USING_POSTGRES:
    # Server-side prepared statements for the few hot queries that ask for them (the listing
    # engine's pages, catalogue/listing/): PostgreSQL plans them once per connection instead
    # of on every request. Django's own queries use client-side binding and are unaffected.
    # Turn off behind a PgBouncer in transaction mode older than 1.21.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["prepare_threshold"] = 5 if env_bool("DATABASE_PREPARED_STATEMENTS", default=True) else None
    if _options["prepare_threshold"] is not None:
        # Each prepared query is one way of reading, chosen by the code for any value (walk an
        # index, or read the filter's own): its generic plan, always. Left to choose,
        # PostgreSQL kept planning some of them anew on every run (a custom plan looked cheaper).
        _options["options"] = f"{_options.get('options', '')} -c plan_cache_mode=force_generic_plan".strip()

# Cache, throttling and the task broker: Redis when REDIS_URL is set, else in-process.
REDIS_URL = env.str("REDIS_URL", default="")
# Without Redis the cache and the throttle fail open (pti_bridge/redis_outage.py): a connect or
# reply slower than REDIS_TIMEOUT_SECONDS counts as an outage, and Redis is tried again
# REDIS_RETRY_SECONDS after the last failure.
REDIS_TIMEOUT_SECONDS = env.float("REDIS_TIMEOUT_SECONDS", default=0.5)
REDIS_RETRY_SECONDS = env.float("REDIS_RETRY_SECONDS", default=5.0)
REDIS_CACHE_OPTIONS = {
    "SOCKET_CONNECT_TIMEOUT": REDIS_TIMEOUT_SECONDS,
    "SOCKET_TIMEOUT": REDIS_TIMEOUT_SECONDS,
    "CONNECTION_POOL_CLASS": "pti_bridge.redis_outage.ConnectionPool",
    "IGNORE_EXCEPTIONS": True,  # a read is a miss, a write is dropped
}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pti",
            "OPTIONS": REDIS_CACHE_OPTIONS,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Tasks: Celery with Redis as broker when REDIS_URL is set; otherwise work runs
# in-process after the transaction commits (see pti_bridge/tasks.py).
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
# A web request publishes a task in one short try: a broker that is down or frozen must not hold
# it (the outbox sweep sends what was not queued). The worker's own connection retries forever.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
    "socket_timeout": REDIS_TIMEOUT_SECONDS,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
# A worker waits for Redis however long it is away (at start too), rather than exiting after
# 100 tries; tasks running when the connection drops finish (an outbox send is not cut short).
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_TIMEZONE = "UTC"
# Celery beat: the outbox sweep sends rows whose task never ran (broker down, worker lost).
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {"task": "pti_bridge.outbox_tasks.sweep_outbox", "schedule": 60.0},
    # Avatars whose WeChat check was never submitted (WeChat down) or never answered.
    "avatar-checks": {"task": "buyers.tasks.sweep_avatar_checks", "schedule": 300.0},
    # The staff digest at 09:00 in Beijing: 01:00 on beat's UTC clock (China keeps no summer time).
    "staff-digest": {"task": "inquiries.tasks.send_staff_digest", "schedule": _crontab(hour=1, minute=0)},
}

AUTH_USER_MODEL = "pti_bridge.User"
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "portal:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's password check; it also tells an unconfirmed account's right password apart.
    "pti_bridge.signin.SignInBackend",
]
# Lock a username after repeated failures from one address, for a while only:
# keyed by username *and* IP so a stranger elsewhere cannot lock a victim out. One address
# trying many accounts is stopped too, at a higher count (pti_bridge/signin.py).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=30)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The client's address by the API throttle's trusted-proxy rule (NUM_PROXIES), not REMOTE_ADDR.
AXES_CLIENT_IP_CALLABLE = "pti_bridge.client_address.client_ip"
AXES_HANDLER = "pti_bridge.signin.AxesHandler"
# The "locked for N minutes" page: the admin's own at /admin/, the portal's elsewhere.
AXES_LOCKOUT_CALLABLE = "pti_bridge.signin.locked_out"
# The name staff's authenticator apps show for our codes (pti_bridge/second_factor.py).
OTP_TOTP_ISSUER = "PTI Bridge"

# Languages: English for exporters, Simplified Chinese for buyers and staff.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Figures grouped by thousands in Chinese too (pti_bridge/formats/zh_Hans).
FORMAT_MODULE_PATH = ["pti_bridge.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# Static files are served by the project itself (WhiteNoise): no third-party CDN.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# The Mini Program's H5 build (`npm run build:h5` in miniprogram/), served at /m/ (pti_bridge/miniprogram.py).
MINIPROGRAM_H5_ROOT = BASE_DIR / "miniprogram" / "dist" / "h5"

# Media. Public files (renditions, logos) and private files (uploaded originals,
# exporter documents) live in two storages, local folders by default, or an
# S3-compatible bucket (Tencent COS, Alibaba OSS, AWS S3) by endpoint URL.
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private_media")
STORAGE_BACKEND = env.str("STORAGE_BACKEND", default="local")
if STORAGE_BACKEND not in ("local", "s3"):
    raise ImproperlyConfigured("STORAGE_BACKEND must be 'local' or 's3'.")
if STORAGE_BACKEND == "s3":
    from botocore.config import Config as _BotoConfig

    _addressing_style = env.str("S3_ADDRESSING_STYLE", default="path")
    _s3 = {
        "bucket_name": env.str("S3_BUCKET_NAME"),
        "endpoint_url": env.str("S3_ENDPOINT_URL", default=None),
        "region_name": env.str("S3_REGION_NAME", default=None),
        "access_key": env.str("S3_ACCESS_KEY_ID"),
        "secret_key": env.str("S3_SECRET_ACCESS_KEY"),
        "addressing_style": _addressing_style,
        "file_overwrite": False,
        # An unreachable store fails an upload within seconds (a clear "storage unavailable"
        # error) instead of holding a web worker for botocore's default minute per attempt.
        "client_config": _BotoConfig(
            s3={"addressing_style": _addressing_style},
            connect_timeout=5,
            read_timeout=30,
            retries={"max_attempts": 3, "mode": "standard"},
        ),
    }
    _public_domain = env.str("S3_PUBLIC_DOMAIN", default=None)
    # Per-object ACLs (public-read renditions, private originals). A bucket that refuses
    # ACLs ("bucket owner enforced") sets S3_OBJECT_ACLS=false and makes public/ readable
    # by a bucket policy instead; private/ then stays private by default.
    _object_acls = env_bool("S3_OBJECT_ACLS", default=True)
    STORAGES = {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **_s3,
                "location": "public",
                "default_acl": "public-read" if _object_acls else None,
                "querystring_auth": False,
                "custom_domain": _public_domain,
                # Public names are server-made and never reused (renditions carry a hash of
                # their bytes), so browsers and the CDN may keep them for a year.
                "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
            },
        },
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **_s3,
                "location": "private",
                "default_acl": "private" if _object_acls else None,
                "querystring_auth": True,
                "querystring_expire": env.int("S3_SIGNED_URL_SECONDS", default=300),
            },
        },
    }
else:
    STORAGES = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": MEDIA_ROOT, "base_url": MEDIA_URL},
        },
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
        },
    }
# Uploaded images (pti_bridge/images.py): files over IMAGE_UPLOAD_MAX_MB megabytes or over
# IMAGE_MAX_MEGAPIXELS megapixels are refused before they are decoded.
IMAGE_UPLOAD_MAX_BYTES = env.int("IMAGE_UPLOAD_MAX_MB", default=15) * 1024 * 1024
IMAGE_MAX_PIXELS = env.int("IMAGE_MAX_MEGAPIXELS", default=40) * 1_000_000
STORAGES["staticfiles"] = {
    "BACKEND": (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
}

# E-mail: printed to the console unless EMAIL_URL says otherwise (smtp+tls://...).
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# How a buyer reaches PTI's staff, shown by the Mini Program (GET /api/v1/app-config/); an empty
# value is not shown. The opening hours in English and in Chinese.
SUPPORT_EMAIL = env.str("SUPPORT_EMAIL", default="support@pti-bridge.local")
SUPPORT_PHONE = env.str("SUPPORT_PHONE", default="")
SUPPORT_HOURS = env.str("SUPPORT_HOURS", default="Monday to Friday, 9:00-17:30 (Beijing time)")
SUPPORT_HOURS_ZH_HANS = env.str("SUPPORT_HOURS_ZH_HANS", default="周一至周五 9:00-17:30（北京时间）")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="PTI Bridge <noreply@pti-bridge.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 10

# A machine-translation service whose suggestion staff see beside a translation box, to check
# (glossary.machine); empty: off. Never called in tests (tests.machine_translation is a stand-in).
MACHINE_TRANSLATION_URL = env.str("MACHINE_TRANSLATION_URL", default="")
MACHINE_TRANSLATION_TIMEOUT_SECONDS = env.float("MACHINE_TRANSLATION_TIMEOUT_SECONDS", default=3.0)

# WeChat Mini Program. The demo values are the ones the local stand-in server accepts.
WECHAT_APP_ID = env.str("WECHAT_APP_ID", default="wxFAKEAPPID0000001")
WECHAT_APP_SECRET = env.str("WECHAT_APP_SECRET", default="fake-secret")
WECHAT_API_BASE_URL = env.str("WECHAT_API_BASE_URL", default="https://api.weixin.qq.com/")
WECHAT_TIMEOUT_SECONDS = env.float("WECHAT_TIMEOUT_SECONDS", default=5.0)
# Access tokens from /cgi-bin/stable_token (stable while valid, so concurrent fetchers never
# invalidate each other's token) rather than /cgi-bin/token.
WECHAT_USE_STABLE_TOKEN = env.bool("WECHAT_USE_STABLE_TOKEN", default=True)
# Which build of the Mini Program our subscribe messages and share codes open: formal, trial, developer.
WECHAT_MINIPROGRAM_STATE = env.str("WECHAT_MINIPROGRAM_STATE", default="formal")
# The Mini Program page a product share code opens (it receives the scene `p=<product id>`).
WECHAT_SHARE_PAGE = env.str("WECHAT_SHARE_PAGE", default="pages/product/detail")
# The subscribe message a buyer gets when an inquiry has an answer: the template's id (empty:
# none is sent) and which value fills each of its data keys ("key=value,..."; values: product,
# exporter, answer, answered_at, date, inquiry, status; each is cut to fit its key's WeChat rule).
WECHAT_TEMPLATE_INQUIRY_ANSWERED = env.str("WECHAT_TEMPLATE_INQUIRY_ANSWERED", default="tmpl-inquiry-reply")
WECHAT_TEMPLATE_INQUIRY_ANSWERED_FIELDS = env.dict(
    "WECHAT_TEMPLATE_INQUIRY_ANSWERED_FIELDS",
    default={"thing1": "product", "time2": "answered_at", "character_string3": "inquiry"},
)
# The subscribe message a buyer gets when an inquiry's status changes: the template's id (empty,
# the default: none is asked for; GET /api/v1/app-config/ lists only the templates set).
WECHAT_TEMPLATE_INQUIRY_STATUS = env.str("WECHAT_TEMPLATE_INQUIRY_STATUS", default="")
# The Mini Program page an inquiry's subscribe message opens (it receives `?id=<inquiry id>`).
WECHAT_INQUIRY_PAGE = env.str("WECHAT_INQUIRY_PAGE", default="pages/inquiry/detail")
# The token of the Mini Program's message push (console: 开发管理 > 消息推送, plaintext mode, JSON or
# XML), where WeChat sends the avatar check's verdict; each push is signed with it. Empty refuses
# every push; the default outside DEBUG is empty, in DEBUG the local stand-in's token.
WECHAT_PUSH_TOKEN = env.str("WECHAT_PUSH_TOKEN", default="fake-push-token" if DEBUG else "")
# Buyers' API bearer tokens expire this many days after their last use (sliding).
BUYER_TOKEN_DAYS = env.int("BUYER_TOKEN_DAYS", default=30)

# The API: one error shape, one pagination, one throttle policy.
REST_FRAMEWORK = {
    # Mini Program buyers: `Authorization: Bearer <token>`; no header stays anonymous.
    "DEFAULT_AUTHENTICATION_CLASSES": ["buyers.authentication.BuyerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["pti_bridge.api.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "pti_bridge.api.parsers.JSONParser",
        "pti_bridge.api.parsers.MultiPartParser",
    ],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "pti_bridge.api.negotiation.ApiContentNegotiation",
    "EXCEPTION_HANDLER": "pti_bridge.api.exceptions.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "pti_bridge.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_THROTTLE_CLASSES": [
        "pti_bridge.api.throttling.AnonRateThrottle",
        "pti_bridge.api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        # Generous per address: Chinese mobile carriers put many phones behind one address.
        "anon": env.str("API_THROTTLE_ANON", default="300/min"),
        "user": env.str("API_THROTTLE_USER", default="600/min"),
    },
    "DEFAULT_SCHEMA_CLASS": "pti_bridge.api.schema.AutoSchema",
    "COMPACT_JSON": True,
    "UNAUTHENTICATED_USER": None,
}
# Seconds an anonymous catalogue answer stays in the cache (0: never cached; changes made
# through the services show at once whatever this is).
API_CACHE_SECONDS = env.int("API_CACHE_SECONDS", default=300)
SPECTACULAR_SETTINGS = {
    "TITLE": "PTI Bridge Mini Program API",
    "DESCRIPTION": "The API the PTI Bridge WeChat Mini Program talks to.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Enums named for what they are, not "KindEnum" (a name another field could collide with).
    "ENUM_NAME_OVERRIDES": {"SuggestionKindEnum": "catalogue.suggestions.KINDS"},
}
# How many reverse proxies stand in front of the app; decides which X-Forwarded-For
# entry is the client's address for throttling and the sign-in lockout.
NUM_PROXIES = env.int("NUM_PROXIES", default=0)

# How inquiries are handled; staff may change this in the admin later.
INQUIRY_RESPONSE_TARGET_WORKING_DAYS = env.int("INQUIRY_RESPONSE_TARGET_WORKING_DAYS", default=2)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # While the database is away: one warning (pti_bridge/outage.py), not a traceback per request.
    "filters": {"no_outage_tracebacks": {"()": "pti_bridge.outage.DropOutageTracebacks"}},
    "loggers": {"django.request": {"filters": ["no_outage_tracebacks"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}


# Content-Security-Policy (django-csp) on every page: scripts, styles and frames only from
# this site, no inline script; an inline <style> needs the request's nonce (request.csp_nonce).
# Images may also come from the media origin (a CDN or the S3 endpoint) and data: URIs.
# CSP_REPORT_ONLY=true sends the same policy as Report-Only, to try it without breaking pages.
def _media_origins() -> list[str]:
    """Where public media (and signed links to private files) are served from: MEDIA_URL's
    origin when it is absolute, the S3 store (path- or virtual-style) and its public domain.
    (With a relative MEDIA_URL the API's image URLs are on SITE_URL, this site: 'self'.)"""
    from urllib.parse import urlsplit

    origins = [f"{u.scheme}://{u.netloc}" for u in [urlsplit(MEDIA_URL)] if u.scheme in ("http", "https")]
    if STORAGE_BACKEND == "s3":
        bucket, endpoint = env.str("S3_BUCKET_NAME"), urlsplit(env.str("S3_ENDPOINT_URL", default=""))
        if endpoint.netloc:
            origins += [f"{endpoint.scheme}://{endpoint.netloc}", f"{endpoint.scheme}://{bucket}.{endpoint.netloc}"]
        else:
            origins.append(f"https://{bucket}.s3.amazonaws.com")  # AWS itself
        if env.str("S3_PUBLIC_DOMAIN", default=""):
            origins.append(f"https://{env.str('S3_PUBLIC_DOMAIN')}")
    return list(dict.fromkeys(origins))


_csp = {
    "DIRECTIVES": {
        "default-src": [csp_constants.SELF],
        "script-src": [csp_constants.SELF],
        "style-src": [csp_constants.SELF, csp_constants.NONCE],
        "img-src": [csp_constants.SELF, "data:", *_media_origins()],
        "object-src": [csp_constants.NONE],
        "base-uri": [csp_constants.SELF],
        "form-action": [csp_constants.SELF],
        "frame-ancestors": [csp_constants.NONE],
        "report-uri": env.str("CSP_REPORT_URI", default="") or None,
    }
}
if env_bool("CSP_REPORT_ONLY", default=False):
    CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_REPORT_ONLY = None, _csp
else:
    CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_REPORT_ONLY = _csp, None

# HTTPS protections, all on in production (DJANGO_DEBUG=false).
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_BEHIND_HTTPS_PROXY", default=not DEBUG) else None
)
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
