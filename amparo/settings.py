"""Amparo's one settings module. Everything that differs between machines comes from the
environment; docs/configuration.md lists every variable.

Without AMPARO_DEMO, this is production: it refuses to start without SECRET_KEY and
AMPARO_KEYRING, and turns on every HTTPS protection.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from amparo.crypto.keyring import KeyringError, generate_entry, parse_keyring

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0 (true/false), not {value!r}.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def demo_secret(path: Path, make) -> str:
    """A secret kept in var/ so that a demo restarts with the same one. Demo only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(make(), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


AMPARO_DEMO = env_bool("AMPARO_DEMO", False)
# Tracebacks with local variables: its own setting, never implied by the demo.
DEBUG = env_bool("AMPARO_DEBUG", False)
VAR_DIR = Path(os.environ.get("AMPARO_VAR_DIR", BASE_DIR / "var"))
# Hosts a demo or a debugging server may answer as: this machine only.
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]", "testserver"}

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not AMPARO_DEMO:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production needs a long random value "
            "(for example: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'); "
            "for a local demo set AMPARO_DEMO=1."
        )
    SECRET_KEY = demo_secret(VAR_DIR / "demo-secret-key", lambda: secrets.token_urlsafe(50))
elif not AMPARO_DEMO and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5
                          or "change-me" in SECRET_KEY.lower()
                          or SECRET_KEY.startswith("django-insecure-")):
    # Sessions, password-reset links and the e-mail confirmations are signed with it: the
    # example's value, or a short one, would let anyone who reads the guide forge them.
    raise ImproperlyConfigured(
        "SECRET_KEY is the example's, or too weak (it needs at least 50 characters, not a "
        "placeholder). Generate one: python3 -c 'import secrets; "
        "print(secrets.token_urlsafe(50))'."
    )

_keyring_value = os.environ.get("AMPARO_KEYRING", "")
if not _keyring_value:
    if not AMPARO_DEMO:
        raise ImproperlyConfigured(
            "AMPARO_KEYRING is not set. Production needs its encryption keys from outside the "
            "database: generate one with `amparo keys generate` and keep it in a secret store."
        )
    _keyring_value = demo_secret(VAR_DIR / "demo-keyring", lambda: generate_entry("demo1"))
try:
    AMPARO_KEYRING = parse_keyring(_keyring_value)
except KeyringError as exc:
    raise ImproperlyConfigured(str(exc)) from None

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if AMPARO_DEMO else "")
if AMPARO_DEMO or DEBUG:
    # The demo turns off the second factor and secure cookies and seeds known passwords;
    # DEBUG shows tracebacks with local variables. Neither may answer outside this machine.
    _outside = sorted(set(ALLOWED_HOSTS) - LOCAL_HOSTS)
    if _outside:
        raise ImproperlyConfigured(
            f"{'AMPARO_DEMO' if AMPARO_DEMO else 'AMPARO_DEBUG'}=1 answers only on this machine "
            f"(127.0.0.1, localhost), not on {', '.join(_outside)}. For a server, unset it and "
            "configure production (docs/deploy.md).")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "rest_framework",
    "drf_spectacular",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "simple_history",
    "csp",
    "amparo.core",
    "amparo.accounts",
    "amparo.audit",
    "amparo.reference",
    "amparo.crypto",
    "amparo.cases",
    "amparo.referrals",
    "amparo.legal",
    "amparo.monitoring",
    "amparo.imports",
    "amparo.linkage",
    "amparo.prevention",
    "amparo.policy",
    "amparo.results",
    "amparo.research",
    "amparo.home",
    "amparo.api",
    "amparo.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "amparo.core.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Everything below runs in one transaction with the audit events it records.
    "amparo.audit.middleware.AuditedTransactionMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "amparo.accounts.middleware.SessionPolicyMiddleware",
    "amparo.accounts.middleware.RequireMFAMiddleware",
]

ROOT_URLCONF = "amparo.urls"
FORM_RENDERER = "amparo.core.forms.FormRenderer"
WSGI_APPLICATION = "amparo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "amparo.core.context_processors.shell",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'amparo.sqlite3'}"),
        conn_max_age=int(os.environ.get("AMPARO_DB_CONN_MAX_AGE", "60")),
    )
}
if AMPARO_DEMO:
    _db = DATABASES["default"]
    _name = Path(_db["NAME"] or "").resolve() if _db["NAME"] not in ("", ":memory:") else None
    if _db["ENGINE"] != "django.db.backends.sqlite3" or (
            _name is not None and not _name.is_relative_to(VAR_DIR.resolve())):
        raise ImproperlyConfigured(
            "Demo mode (AMPARO_DEMO=1) runs only on its own SQLite database under "
            f"{VAR_DIR}: it seeds accounts with a known password and turns off the second "
            "factor. Unset DATABASE_URL for the demo, or unset AMPARO_DEMO for a real "
            "database.")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # Writers queue instead of failing: every request may write an audit event.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds login throttles, so it must be shared by every worker.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "amparo_cache",
    }
}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: user-name login, no public sign-up, TOTP for everyone.
ACCOUNT_ADAPTER = "amparo.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
# A password reset never signs in: she signs in afterwards, with her second factor.
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
# The person is told by e-mail when her password, e-mail address or second factors change.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_PRESERVE_USERNAME_CASING = False
AMPARO_LOGIN_FAILURES_PER_USER = int(os.environ.get("AMPARO_LOGIN_FAILURES_PER_USER", "5"))
AMPARO_LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("AMPARO_LOGIN_FAILURES_PER_ADDRESS", "50"))
AMPARO_LOGIN_LOCKOUT_SECONDS = int(os.environ.get("AMPARO_LOGIN_LOCKOUT_SECONDS", "900"))
ACCOUNT_RATE_LIMITS = {
    # An office shares one public address, so the per-address limit is generous; the
    # per-user-name limit is what locks out a guessed account.
    "login_failed": (
        f"{AMPARO_LOGIN_FAILURES_PER_ADDRESS}/{AMPARO_LOGIN_LOCKOUT_SECONDS}s/ip,"
        f"{AMPARO_LOGIN_FAILURES_PER_USER}/{AMPARO_LOGIN_LOCKOUT_SECONDS}s/key"
    ),
    "login": "60/m/ip",
    "reset_password": "20/m/ip,3/m/key",
}
MFA_ADAPTER = "amparo.accounts.adapter.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "Amparo"
# Security keys and passkeys (WebAuthn) as a second factor; administrators and the direction
# must have one (`accounts.passkeys`). Browsers allow WebAuthn on http only for localhost,
# which the tests and the demo use.
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not env_bool("AMPARO_HTTPS", not AMPARO_DEMO)
USERSESSIONS_ADAPTER = "amparo.accounts.adapter.UserSessionsAdapter"
USERSESSIONS_TRACK_ACTIVITY = True
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("AMPARO_CLIENT_IP_HEADER") or None

# Sessions: 30 minutes idle, 12 hours at most, ended when the browser closes.
AMPARO_SESSION_IDLE_SECONDS = int(os.environ.get("AMPARO_SESSION_IDLE_SECONDS", str(30 * 60)))
AMPARO_SESSION_MAX_SECONDS = int(os.environ.get("AMPARO_SESSION_MAX_SECONDS", str(12 * 3600)))
SESSION_COOKIE_AGE = AMPARO_SESSION_MAX_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# HTTPS protections: on in production, off for a local demo or tests over plain HTTP.
AMPARO_HTTPS = env_bool("AMPARO_HTTPS", not AMPARO_DEMO)
SESSION_COOKIE_SECURE = AMPARO_HTTPS
CSRF_COOKIE_SECURE = AMPARO_HTTPS
SECURE_SSL_REDIRECT = AMPARO_HTTPS
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if AMPARO_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = AMPARO_HTTPS
SECURE_HSTS_PRELOAD = AMPARO_HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("AMPARO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy: nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Languages: Spanish (Peru) first, English second.
LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Spanish")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "America/Lima"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# The layout's own files (Bootstrap, HTMX, app.css) live beside the settings, in no app: the
# finders (demo, tests) and `collectstatic` (production) both need to be told where.
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or AMPARO_DEMO
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = env_bool("AMPARO_STATIC_FROM_SOURCES", DEBUG or AMPARO_DEMO)
MEDIA_ROOT = Path(os.environ.get("AMPARO_MEDIA_ROOT", VAR_DIR / "media"))
# Uploads (case documents, at most 20 MB) stay in memory until they are sealed: a plaintext copy
# must never land in a temporary file.
FILE_UPLOAD_MAX_MEMORY_SIZE = 21 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 21 * 1024 * 1024

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if AMPARO_DEMO
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Amparo <no-reply@localhost>")

# Links in e-mails (reminders, digests) point here; e-mails carry case codes, never names.
AMPARO_BASE_URL = os.environ.get(
    "AMPARO_BASE_URL", "http://127.0.0.1:8000" if AMPARO_DEMO else "").rstrip("/")
# Days an institution has to answer a referral before its referrer is reminded.
AMPARO_REFERRAL_ANSWER_DAYS = int(os.environ.get("AMPARO_REFERRAL_ANSWER_DAYS", "15"))
# Days a calendar (iCal) address works before its owner must make a new one.
AMPARO_FEED_DAYS = int(os.environ.get("AMPARO_FEED_DAYS", "90"))
# Where `amparo audit anchor` appends the access log's head: a place the database's writers
# cannot rewrite (another disk, an append-only mount, a file shipped off the server).
AMPARO_AUDIT_ANCHOR = Path(os.environ.get("AMPARO_AUDIT_ANCHOR", VAR_DIR / "audit-anchors.jsonl"))
# Local hour at which the daily monitoring job (alerts, digests, reminders) runs.
AMPARO_ALERTS_HOUR = int(os.environ.get("AMPARO_ALERTS_HOUR", "5"))

# Background tasks (imports, record linkage, the daily job): in the database by default
# (`amparo db_worker`), or on Redis with RQ when the organisation grows (AMPARO_TASKS=rq,
# REDIS_URL; run `amparo rqworker default` instead). Same tasks, same code: a setting.
AMPARO_TASKS = os.environ.get("AMPARO_TASKS", "db")
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if AMPARO_TASKS == "rq":
    if not os.environ.get("REDIS_URL"):
        raise ImproperlyConfigured("AMPARO_TASKS=rq needs REDIS_URL (redis://host:6379/0).")
    import importlib.util

    if importlib.util.find_spec("django_tasks_rq") is None:
        raise ImproperlyConfigured("AMPARO_TASKS=rq needs the rq extra: pip install 'amparo[rq]'.")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif AMPARO_TASKS != "db":
    raise ImproperlyConfigured(f"AMPARO_TASKS is db or rq, not {AMPARO_TASKS!r}.")
# Record linkage's working memory (DuckDB), beyond which it spills to VAR_DIR/linkage-spill:
# a national file (1,000,000 alerts) then fits a small server. Empty: DuckDB's own (80 % of RAM).
AMPARO_LINKAGE_MEMORY = os.environ.get("AMPARO_LINKAGE_MEMORY", "2GB")
# Record linkage on DuckDB (one machine) or on Spark when the files outgrow it (`pyspark` and
# Java 17 installed; AMPARO_SPARK_MASTER a cluster's address, or empty for a local Spark).
AMPARO_LINKAGE_ENGINE = os.environ.get("AMPARO_LINKAGE_ENGINE", "duckdb")
AMPARO_SPARK_MASTER = os.environ.get("AMPARO_SPARK_MASTER", "")
# A run (import, matching) whose worker was killed is taken back at once when the worker ran on
# this host; one started on another host, after this many hours (no run lasts that long).
AMPARO_RUN_ABANDON_HOURS = float(os.environ.get("AMPARO_RUN_ABANDON_HOURS", "8"))
RQ_QUEUES = {"default": {"URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
                         "DEFAULT_TIMEOUT": 6 * 3600}}  # a national linkage run is long

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "amparo.api.tokens.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "EXCEPTION_HANDLER": "amparo.api.exceptions.handler",
    # The API speaks JSON only (no file goes through it): a form body is a 415 with a message,
    # and the schema promises no encoding the serializers cannot read (nested objects, lists).
    "DEFAULT_PARSER_CLASSES": ["amparo.api.parsers.BoundedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "amparo.api.schema.AmparoSchema",
    # Per signed-in user or token (the cache is shared by every worker).
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": os.environ.get("AMPARO_API_RATE", "600/minute")},
}
SPECTACULAR_SETTINGS = {"TITLE": "Amparo API", "VERSION": "1", "SERVE_INCLUDE_SCHEMA": False,
                        # The schema names every field Amparo keeps: only for signed-in users.
                        "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
                        # One name for a choice set used by fields of different names.
                        "ENUM_NAME_OVERRIDES": {
                            "PreventionAudienceEnum": "amparo.prevention.choices.Audience"}}

AMPARO_DEMO_PASSWORD = os.environ.get("AMPARO_DEMO_PASSWORD", "Amparo-demo-2026")
# The privacy loss (ε) the organisation accepts in a calendar year over every research release
# (each year's row in research.YearBudget starts from it and can be changed there).
AMPARO_RESEARCH_EPSILON_PER_YEAR = float(os.environ.get("AMPARO_RESEARCH_EPSILON_PER_YEAR", "3"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("AMPARO_LOG_LEVEL", "WARNING")},
}
