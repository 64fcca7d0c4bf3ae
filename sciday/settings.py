"""sciday settings: every deployment choice is read from the environment, here and only here.

The defaults give the embedded set-up (SQLite in WAL mode, the database as cache and task queue,
files on local disk). Production sets ``DEBUG=0`` and must then give ``SECRET_KEY``; nothing secret
has a default there.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "sciday-insecure-development-key-only-for-debug-mode-0123456789"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# --- applications -----------------------------------------------------------------------------
INSTALLED_APPS = [
    "core.admin_site.SciDayAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_htmx",
    "csp",
    "django_tasks",
    "django_tasks_db",
    # sciday's own apps, one per domain concept
    "core",
    "audit",
    "accounts",
    "organisations",
    "campaigns",
    "notifications",
    "uploads",
    "activities",
    "surveys",
    "problems",
    "summaries",
    "calendars",
    "awards",
    "volunteering",
    "exhibitions",
    "idempotency",
    "transfer",
    "publicity",
    "workbench",
    "dashboard",
    "rollup",
    "public",
    "api",
    "ops",
]

MIDDLEWARE = [
    "ops.middleware.RequestIdMiddleware",  # a request id and one log line for every request, even a 413
    "uploads.middleware.RequestSizeLimitMiddleware",  # first: an over-size body is refused before it is read
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.IdleSessionMiddleware",
    "core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "core.middleware.RequestContextMiddleware",
    "public.middleware.ShareTitleMiddleware",
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "accounts.middleware.StaffOTPMiddleware",
    "accounts.login_guard.LoginThrottleMiddleware",
    "axes.middleware.AxesMiddleware",
    # last: it needs the user, and runs the view in one transaction with the key's row
    "idempotency.middleware.IdempotencyMiddleware",
]

ROOT_URLCONF = "sciday.urls"
WSGI_APPLICATION = "sciday.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.sciday",
                "public.context_processors.public_frame",
                "rollup.context_processors.level",
            ],
            # Its {% csrf_token %} adds each form's idempotency key (idempotency/templatetags).
            "builtins": ["idempotency.templatetags.idempotency_builtins"],
        },
    },
]

# --- database, cache, sessions ----------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {
                # WAL lets readers and one writer work at once; IMMEDIATE takes the write lock at
                # the start of a transaction so that concurrent writers wait instead of failing.
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=10000;"
                    "PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # Kept open between requests, as for PostgreSQL: opening a SQLite file and reading its
            # schema costs about as much as serving a cached page.
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Prometheus metrics (django-prometheus, ops.metrics) at /metrics on each app server, to the
# addresses in SCIDAY_METRICS_ALLOWED only (nginx never passes /metrics on). Off by default.
SCIDAY_METRICS = env_bool("SCIDAY_METRICS", False)
SCIDAY_METRICS_ALLOWED = env_list("SCIDAY_METRICS_ALLOWED", ["127.0.0.1/32", "::1/128"])
if SCIDAY_METRICS:
    INSTALLED_APPS.append("django_prometheus")
    MIDDLEWARE.insert(0, "django_prometheus.middleware.PrometheusBeforeMiddleware")
    MIDDLEWARE.append("django_prometheus.middleware.PrometheusAfterMiddleware")
    _engine = DATABASES["default"]["ENGINE"]
    if _engine in ("django.db.backends.postgresql", "django.db.backends.sqlite3"):
        DATABASES["default"]["ENGINE"] = _engine.replace("django.db.backends", "django_prometheus.db.backends")

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    _redis_backend = "ops.cache.MeteredRedisCache" if SCIDAY_METRICS else "django.core.cache.backends.redis.RedisCache"
    CACHES = {"default": {"BACKEND": _redis_backend, "LOCATION": REDIS_URL}}
else:
    # A database table, not process memory: several app servers must share throttles and caches.
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "sciday_cache"}
    }

# Sessions live in the database (shared by every app server); with Redis they are cached there too.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"
SCIDAY_SESSION_IDLE_MINUTES = env_int("SCIDAY_SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = SCIDAY_SESSION_IDLE_MINUTES * 60
# The idle timeout: the age counts from the last request, renewed at most once a minute by
# core.middleware.IdleSessionMiddleware (not a database write on every request and every poll).
SESSION_SAVE_EVERY_REQUEST = False
SCIDAY_SESSION_RENEW_SECONDS = env_int("SCIDAY_SESSION_RENEW_SECONDS", 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- authentication ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "accounts.login_guard.AddressThrottleBackend",
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "accounts.hashers.SciDayArgon2PasswordHasher",  # argon2id, m=19 MiB t=2 p=1 (measured: accounts/hashers.py)
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
SCIDAY_PASSWORD_MIN_LENGTH = env_int("SCIDAY_PASSWORD_MIN_LENGTH", 8)
SCIDAY_PASSWORD_MIN_CLASSES = env_int("SCIDAY_PASSWORD_MIN_CLASSES", 3)
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": SCIDAY_PASSWORD_MIN_LENGTH},
    },
    {
        "NAME": "accounts.validators.CharacterClassValidator",
        "OPTIONS": {"min_classes": SCIDAY_PASSWORD_MIN_CLASSES},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "accounts.validators.NotUsernameValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workbench:home"
LOGOUT_REDIRECT_URL = "public:home"

# Login lockout (django-axes), on every login path (web, admin, API: they all go through
# authenticate()): five failures in a row lock that username *from that address* for 30 minutes.
# Locking the username alone let anyone lock any named account out from anywhere; locking the
# address alone would lock a whole bureau behind one NAT address. The combination locks only the
# attacker out of that account; the per-address limit below stops one address spraying many
# usernames. See docs/security.md (等保 2.0 login-failure handling).
AXES_FAILURE_LIMIT = env_int("SCIDAY_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SCIDAY_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Across usernames: this many failures from one address within the window refuse that address for
# SCIDAY_ADDRESS_LOCKOUT_MINUTES (accounts.login_guard). Behind nginx set SCIDAY_TRUSTED_PROXIES=1,
# or every client has nginx's address.
SCIDAY_ADDRESS_FAILURE_LIMIT = env_int("SCIDAY_ADDRESS_FAILURE_LIMIT", 20)
SCIDAY_ADDRESS_FAILURE_WINDOW_MINUTES = env_int("SCIDAY_ADDRESS_FAILURE_WINDOW_MINUTES", 10)
SCIDAY_ADDRESS_LOCKOUT_MINUTES = env_int("SCIDAY_ADDRESS_LOCKOUT_MINUTES", 30)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout_response"
AXES_VERBOSE = False
# The address axes records: the same trust in X-Forwarded-For as core.middleware.client_ip.
_TRUSTED_PROXIES = max(0, env_int("SCIDAY_TRUSTED_PROXIES", 0))
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if _TRUSTED_PROXIES else ["REMOTE_ADDR"]
AXES_IPWARE_PROXY_COUNT = _TRUSTED_PROXIES or None

# TOTP for staff: when on, office staff and administrators must verify a TOTP device after login.
SCIDAY_REQUIRE_STAFF_OTP = env_bool("SCIDAY_REQUIRE_STAFF_OTP", False)
# A first authenticator is enrolled only with a one-time code an organiser issues (docs/security.md).
SCIDAY_OTP_ENROLMENT_CODE_HOURS = env_int("SCIDAY_OTP_ENROLMENT_CODE_HOURS", 72)
# /api/v1/docs and /api/v1/openapi.json: public when on; otherwise logged-in users and token holders.
SCIDAY_PUBLIC_API_DOCS = env_bool("SCIDAY_PUBLIC_API_DOCS", False)
OTP_TOTP_ISSUER = "sciday"

# --- internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LANGUAGE_COOKIE_NAME = "sciday_language"
# Each app keeps its own catalogue in <app>/locale/ (no project-level one).
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

# --- files ------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
]
MEDIA_URL = "/media/"
# Behind nginx, private and public files alike are sent by nginx after sciday's permission check:
# uploads' file view answers with an empty response carrying X-Accel-Redirect to
# SCIDAY_ACCEL_REDIRECT_PREFIX + the file's name, an `internal` location of nginx aliased to
# MEDIA_ROOT (deploy/nginx/sciday.conf). Only with files on the file system (not with a bucket).
SCIDAY_ACCEL_REDIRECT = env_bool("SCIDAY_ACCEL_REDIRECT", False)
SCIDAY_ACCEL_REDIRECT_PREFIX = env_str("SCIDAY_ACCEL_REDIRECT_PREFIX", "/_protected/")
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))

AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            "access_key": env_str("AWS_ACCESS_KEY_ID") or None,
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- background work --------------------------------------------------------------------------
# --- idempotency keys (idempotency.middleware, docs/api.md) --------------------------------------
IDEMPOTENCY_KEY_TTL_HOURS = env_int("IDEMPOTENCY_KEY_TTL_HOURS", 24)
IDEMPOTENCY_LOCK_TIMEOUT = env_str("IDEMPOTENCY_LOCK_TIMEOUT", "20s")  # PostgreSQL: how long a retry waits for the first

# --- resumable transfers (transfer app, tus 1.0; docs/transfer.md) --------------------------------
SCIDAY_TRANSFER_MAX_BYTES = env_int("SCIDAY_TRANSFER_MAX_BYTES", 2 * 1024**3)  # one file
SCIDAY_TRANSFER_MAX_CHUNK_BYTES = env_int("SCIDAY_TRANSFER_MAX_CHUNK_BYTES", 16 * 1024**2)  # one PATCH = nginx's cap
SCIDAY_TRANSFER_DIR = env_str("SCIDAY_TRANSFER_DIR", "")  # default MEDIA_ROOT/transfer (private: no URL serves it)
SCIDAY_TRANSFER_STALE_HOURS = env_int("SCIDAY_TRANSFER_STALE_HOURS", 24 * 7)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- e-mail -----------------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "sciday <noreply@localhost>")

# --- sciday's own -----------------------------------------------------------------------------
# Freezes sciday's clock (core.clock.now) at this instant for demonstrations, e.g.
# "2022-05-20T10:00+08:00"; empty means the real time.
SCIDAY_CLOCK = env_str("SCIDAY_CLOCK")
SCIDAY_AUDIT_RETENTION_DAYS = max(180, env_int("SCIDAY_AUDIT_RETENTION_DAYS", 365))
SCIDAY_PAGE_SIZE = env_int("SCIDAY_PAGE_SIZE", 25)
if os.environ.get("SCIDAY_UPLOAD_MAX_REQUEST_BYTES"):  # else uploads.conf.max_request_bytes() works it out
    SCIDAY_UPLOAD_MAX_REQUEST_BYTES = env_int("SCIDAY_UPLOAD_MAX_REQUEST_BYTES", 0)
SCIDAY_SITE_URL = env_str("SCIDAY_SITE_URL", "http://127.0.0.1:8000")
# The level this deployment runs at (rollup.levels): a city receives its units' work, a province its cities'
# packages, a nation its provinces'. One codebase, one data model; the level changes labels and the roll-up pages.
SCIDAY_LEVEL = env_str("SCIDAY_LEVEL", "city")
if SCIDAY_LEVEL not in ("city", "province", "nation"):
    raise ImproperlyConfigured("SCIDAY_LEVEL must be city, province or nation.")
# This deployment's own GB/T 2260 region code (e.g. 370200 for Qingdao), sent in its upward package.
SCIDAY_REGION_CODE = env_str("SCIDAY_REGION_CODE", "370200")
# A package above this is pushed by resumable upload (transfer app), else as one multipart request (rollup.client);
# the receiver refuses a package above the second (rollup.services).
SCIDAY_ROLLUP_RESUMABLE_BYTES = env_int("SCIDAY_ROLLUP_RESUMABLE_BYTES", 64 * 1024 * 1024)
SCIDAY_ROLLUP_MAX_PACKAGE_BYTES = env_int("SCIDAY_ROLLUP_MAX_PACKAGE_BYTES", 4 * 1024 ** 3)
# How many proxies stand in front of the app (nginx: 1). X-Forwarded-For is believed that many hops
# from the right and no further (core.middleware.client_ip); 0 ignores it and uses REMOTE_ADDR.
SCIDAY_TRUSTED_PROXIES = _TRUSTED_PROXIES

# --- production hardening (manage.py check --deploy reports nothing with DEBUG off) ------------
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
# Content-Security-Policy (django-csp) on every response: scripts, styles and fonts only from this
# site (no inline script, no style= attribute, no eval), nothing frames sciday (the two pages that
# frame one of ours, a PDF plan and the survey preview, relax frame-ancestors to 'self' with
# csp_update). Images may be data: URIs because Bootstrap's own stylesheet draws its icons
# (navbar toggler, check boxes, select arrows, close buttons) as data: SVGs on every page.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Permissions-Policy (core.middleware.PermissionsPolicyMiddleware): no page uses the camera, the
# microphone or the location. QR check-in is done with the phone's own camera app, which opens the
# check-in URL; a view that ever needs one of them opts in with core.decorators.permissions_policy.
SCIDAY_PERMISSIONS_POLICY = {
    "camera": "()", "microphone": "()", "geolocation": "()", "payment": "()", "usb": "()",
}
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# SCIDAY_LOG_FORMAT=json: one JSON object per line (ops.logging.JsonFormatter), with the request id,
# user id, status and duration of every request (logger sciday.request, at INFO: set
# SCIDAY_REQUEST_LOG=1 to write them).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "ops.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            **({"formatter": "json"} if env_str("SCIDAY_LOG_FORMAT") == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {"sciday.request": {"level": "INFO" if env_bool("SCIDAY_REQUEST_LOG", False) else "WARNING"}},
}
