"""Settings for motcua. Every deployment-specific value comes from an environment variable."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from motcua.production import (
    DEMO_PAYGATE_SECRET,
    secret_key_production,
    secrets_refuse_published,
)

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Production unless asked: `make run` and the tests set DJANGO_DEBUG=1 (docs/deployment.md).
DEBUG = env_bool("DJANGO_DEBUG", default=False)
# Production refuses to start without its own key, or with one published in this repository.
SECRET_KEY = secret_key_production(os.environ.get("DJANGO_SECRET_KEY", ""), debug=DEBUG)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# --- HTTPS, cookies and browser policies (docs/deployment.md, docs/security.md) --------------
# Behind nginx, which terminates TLS: the header it sets and the value meaning HTTPS, e.g.
# DJANGO_SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https. Set it only with a proxy that
# overwrites the header; otherwise a client could claim HTTPS.
_proxy_header = env_list("DJANGO_SECURE_PROXY_SSL_HEADER")
SECURE_PROXY_SSL_HEADER = tuple(_proxy_header) if len(_proxy_header) == 2 else None
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=False)
# HSTS is remembered by browsers for this long: switch it on once HTTPS works for good.
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
# Cookies travel over HTTPS only, unless DEBUG (the demo runs on plain http://127.0.0.1).
SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", default=not DEBUG)
# How long a log-in lasts, in hours, counted from the sign-in or the last request that changed
# the session: reading pages does not extend it (SESSION_SAVE_EVERY_REQUEST is off, so no
# session write per request). Production unset: one working day (10 hours), as
# docs/deployment.md's environment sets it — a desk officer's session left open on a shared
# counter computer must not read citizens' data for two weeks; the demo keeps 14 days.
SESSION_COOKIE_AGE = int(float(os.environ.get(
    "MOTCUA_SESSION_HOURS", str(14 * 24) if DEBUG else "10")) * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("MOTCUA_SESSION_EXPIRE_AT_BROWSER_CLOSE")
# An API token's life from its issue, in days (accounts/tokens.py); 0 keeps tokens for ever.
MOTCUA_API_TOKEN_DAYS = int(os.environ.get("MOTCUA_API_TOKEN_DAYS", "30"))
X_FRAME_OPTIONS = "DENY"
# Every page: scripts, styles and images from this site only (htmx is served from static/),
# no inline script or style attribute, no plug-ins, never framed. data: images are the QR codes
# and the icons of Swagger UI's stylesheet.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "mozilla_django_oidc",
    "accounts",
    "catalog",
    "dossiers",
    "sync",
    "metrics",
    "results",
    "notifications",
    "evaluations",
    "payments",
    "feedback",
    "regulations",
    "reform",
]

MIDDLEWARE = [
    # First: a NUL character in the path, query string, form fields or cookies is refused (or the
    # cookie dropped) before anything reads them; PostgreSQL cannot store or compare it.
    "motcua.nul.NulRefusalMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy header of every page (SECURE_CSP below).
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in person's pages and API answers are never kept by a browser's cache or a proxy
    # (Back after sign-out on a shared desk PC showed them): motcua/no_store.py.
    "motcua.no_store.PrivateNoStoreMiddleware",
    # The staff second factor (accounts/second_factor.py): whether the session passed it, and
    # the pages a signed-in account that still owes it may reach.
    "django_otp.middleware.OTPMiddleware",
    "accounts.second_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # An evaluation screen's account (a tablet facing the applicant) opens nothing else.
    "evaluations.middleware.ScreenConfinementMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that it turns a lockout raised anywhere into the lockout page (docs/identity.md).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "motcua" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "motcua.navigation.navigation",
            ],
        },
    },
]

# SQLite is the embedded default so that `make run` needs nothing else; production sets
# DATABASE_URL=postgres://… .
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and os.environ.get(
        "DATABASE_SERVER_SIDE_BINDING", "") == "1":
    # psycopg 3 binds the parameters on the server and prepares a statement once a connection
    # has run it `prepare_threshold` times (issue #18: the database's CPU per filing 7.8 → 4.7 ms
    # in the prototype). Off by default: PostgreSQL then sees a GROUP BY over an expression with
    # parameters (a report's month of a moment in a time zone) as two different expressions and
    # refuses the query, and a transaction-mode pooler in front drops prepared statements.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "server_side_binding": True,
        "prepare_threshold": int(os.environ.get("DATABASE_PREPARE_THRESHOLD", "5")),
    })
# The hot paths' statements whose text is built once (motcua/prepared.py `hot_cursor`: the
# actions' and the filing's reads and writes) are bound on the server and prepared once per
# connection, whatever DATABASE_SERVER_SIDE_BINDING says (issue #18). Turn off (0) behind a
# pooler in transaction mode that does not keep prepared statements (PgBouncer before 1.21, or
# without max_prepared_statements).
MOTCUA_PREPARE_HOT_STATEMENTS = os.environ.get("DATABASE_PREPARE_HOT", "1") == "1"
# How many rows each service-index counter key (day or month, unit, procedure) is spread over on
# PostgreSQL, so that concurrent filings and returns of one procedure rarely wait on one another's
# row lock (metrics/counters.py `slot_sql`, issue #18). 1: one row a key, as before.
MOTCUA_COUNTER_SLOTS = max(1, int(os.environ.get("MOTCUA_COUNTER_SLOTS", "8")))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and a management command write side by side;
    # IMMEDIATE transactions take the write lock up front so counters never deadlock.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not shared-cache memory, so that tests with concurrent writers see real locking.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test-{os.getpid()}.sqlite3")}
    (BASE_DIR / "var").mkdir(exist_ok=True)
    # The warning lists' and the settled lists' indexes carry extra columns on PostgreSQL so that
    # they answer without the dossier rows; SQLite builds them without, which is what it should do.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dossiers:inbox"
LOGOUT_REDIRECT_URL = "accounts:login"
# Axes first: it refuses a locked-out person before any backend checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "accounts.vneid.VNeIDBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "motcua" / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MOTCUA_MEDIA_ROOT", BASE_DIR / "media"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # limit is capped at MOTCUA_API_MAX_PAGE_SIZE; an offset no list can reach is a 400.
    "DEFAULT_PAGINATION_CLASS": "motcua.pagination.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "motcua.api_errors.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "motcua API",
    "DESCRIPTION": "API của hệ thống một cửa điện tử: thủ tục hành chính, hồ sơ và xử lý hồ sơ.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Every operation's 400/401/403/404/405/406/409/415/429 in the one error format.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "motcua.api_errors.error_answers_hook",
    ],
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI assets ship inside the package: the docs page works without the internet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ChannelEnum": "catalog.models.Channel",
        "TimeUnitEnum": "catalog.models.TimeUnit",
        "DossierStateEnum": "dossiers.models.State",
        "ApplicantKindEnum": "dossiers.models.ApplicantKind",
        "EvaluationRatingEnum": "evaluations.criteria.Rating",
        # Each of the 9 criteria is answered 2 / 1 / 0 points (domain.md §7).
        "CriterionPointsEnum": "evaluations.models.POINTS",
        "PaymentStateEnum": "payments.models.PaymentState",
        "PaymentMethodEnum": "payments.models.Method",
        "PaymentSourceEnum": "payments.models.Source",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("MOTCUA_LOG_LEVEL", "WARNING")},
}

# Office hours used where a unit has none of its own (domain.md §6: 07:30–11:30, 13:00–17:00).
MOTCUA_DEFAULT_OFFICE_HOURS = os.environ.get(
    "MOTCUA_DEFAULT_OFFICE_HOURS", "07:30-11:30,13:00-17:00"
)
# Which dossier-code generator to use (dotted path to a callable); see dossiers/codes.py.
MOTCUA_DOSSIER_CODE_GENERATOR = os.environ.get(
    "MOTCUA_DOSSIER_CODE_GENERATOR", "dossiers.codes.unit_daily_counter_code"
)
# Uploaded papers (dossiers/uploads.py, docs/online.md): limits per file and per dossier, in MB.
MOTCUA_UPLOAD_MAX_FILE_MB = float(os.environ.get("MOTCUA_UPLOAD_MAX_FILE_MB", "10"))
MOTCUA_UPLOAD_MAX_DOSSIER_MB = float(os.environ.get("MOTCUA_UPLOAD_MAX_DOSSIER_MB", "50"))
# The public lookup (/tra-cuu/, /danh-gia/ho-so/): wrong tries allowed within the window per
# dossier code (with the 4 phone digits) and per client address (dossiers/services/lookup.py).
MOTCUA_LOOKUP_MAX_FAILURES_PER_CODE = int(
    os.environ.get("MOTCUA_LOOKUP_MAX_FAILURES_PER_CODE", "5"))
MOTCUA_LOOKUP_MAX_FAILURES_PER_ADDRESS = int(
    os.environ.get("MOTCUA_LOOKUP_MAX_FAILURES_PER_ADDRESS", "30"))
MOTCUA_LOOKUP_WINDOW_SECONDS = int(os.environ.get("MOTCUA_LOOKUP_WINDOW_SECONDS", "900"))
# The public verification of a signed PDF (/xac-thuc/ and its API): uploads checked per client
# address within the window (results/verification_limits.py).
MOTCUA_VERIFY_MAX_PER_ADDRESS = int(os.environ.get("MOTCUA_VERIFY_MAX_PER_ADDRESS", "30"))
MOTCUA_VERIFY_WINDOW_SECONDS = int(os.environ.get("MOTCUA_VERIFY_WINDOW_SECONDS", "900"))
# Codes sent to a typed phone or e-mail without an account signed in (sign-up, a code sent
# again, a forgotten password): at most this many requests from one client address in the
# window, then 429 (accounts/code_send_limits.py, audit11).
MOTCUA_CODE_SEND_MAX_PER_ADDRESS = int(os.environ.get("MOTCUA_CODE_SEND_MAX_PER_ADDRESS", "20"))
MOTCUA_CODE_SEND_WINDOW_SECONDS = int(os.environ.get("MOTCUA_CODE_SEND_WINDOW_SECONDS", "3600"))
# What one DOCX/XLSX may inflate to, and the largest image decoded (an A4 page at 600 dpi is
# about 35 megapixels): past these an upload is refused before it costs a worker its memory.
MOTCUA_UPLOAD_MAX_UNPACKED_MB = float(os.environ.get("MOTCUA_UPLOAD_MAX_UNPACKED_MB", "100"))
MOTCUA_UPLOAD_MAX_MEGAPIXELS = float(os.environ.get("MOTCUA_UPLOAD_MAX_MEGAPIXELS", "36"))
# The most rows one API list answer holds, whatever `limit` asks (motcua/pagination.py).
MOTCUA_API_MAX_PAGE_SIZE = int(os.environ.get("MOTCUA_API_MAX_PAGE_SIZE", "200"))
# Functions called with every dossier event inside the transaction of the change
# (dossiers/events.py): the national-portal outbox and the service-index counters.
MOTCUA_EVENT_CONSUMERS: list[str] = [
    "sync.outbox.outbox_record",
    # The result is issued inside the approving transaction: signed there (or just before), or,
    # when no one signs, numbered and stored there and rendered after the commit (results/,
    # docs/results.md).
    "results.services.results_on_event",
    "notifications.outbox.notification_record",
    # A demand for payment is made in the transaction that puts the dossier in status 6.
    "payments.consumers.payment_events_apply",
    # Last: its day and month rows are shared by every filing of a unit and procedure, so they
    # are locked from here to the commit, just after (docs/architecture.md, the filing path).
    "metrics.counters.counters_apply",
]
# The consumers above that put a new dossier's code only into rows written in the filing's
# transaction (or do not read it): with each consumer listed here, a filing on PostgreSQL takes
# its code by its last statement, the rows built before carrying a token that statement replaces
# by the code (dossiers/codes.py `dossier_code_last`, issue #18: the desk's counter row locked
# for that statement and its COMMIT only). A consumer not listed sees the code itself: the
# filing then takes it before the consumers run, one statement earlier.
MOTCUA_CODE_LATE_CONSUMERS: frozenset[str] = frozenset({
    "sync.outbox.outbox_record", "results.services.results_on_event",
    "notifications.outbox.notification_record", "payments.consumers.payment_events_apply",
    "metrics.counters.counters_apply",
})
# Functions called with (dossier=, by=) when a person entitled to a dossier opens its page: the
# public lookup after the code and secret were checked, an officer's dossier page (dossiers/
# opened.py). They run in the view, before the page is rendered: a template only reads.
MOTCUA_DOSSIER_OPENED: list[str] = [
    # The payment page's link, renewed when past half its life (payments/services/link.py).
    "payments.consumers.payment_links_on_open",
]
# Demo data of the apps above accounts (reform, feedback, …): functions called by `load_demo`
# after the province, its staff, procedures and dossiers exist, each returning {label: count}.
# accounts/ cannot import them (an arrow never runs up), so each app names its loader here.
MOTCUA_DEMO_EXTRAS: list[str] = ["reform.demo_par.load"]

# The catalogue search's popularity prior: a function returning {procedure code: dossiers
# received lately} (catalog/search/popularity.py). Empty: the shipped prior only.
MOTCUA_CATALOG_POPULARITY = os.environ.get(
    "MOTCUA_CATALOG_POPULARITY", "metrics.popularity.procedure_dossier_counts")

# --- National Public Service Portal sync (sync/, docs/sync.md) ------------------------------
# "province": this installation records dossier changes in the outbox and `manage.py sync_worker`
# delivers them to MOTCUA_PORTAL_URL. "national": this installation is the receiving side (the
# national portal's two services, lookup and counts per province) and records no outbox.
MOTCUA_MODE = os.environ.get("MOTCUA_MODE", "province")
# Base URL of the portal's sync services, with a trailing slash; the client posts to
# `<url>token/` for the session and `<url>dich-vu/` for DongBoHoSoMC / CapNhatTienDoHoSoMC.
# With DJANGO_DEBUG on, the defaults are the demo's national side (`make national`, port 8001,
# which registers the demo province with these credentials).
MOTCUA_PORTAL_URL = os.environ.get(
    "MOTCUA_PORTAL_URL", "http://127.0.0.1:8001/api/v1/cong-quoc-gia/" if DEBUG else ""
)
MOTCUA_PORTAL_USERNAME = os.environ.get("MOTCUA_PORTAL_USERNAME", "khanhhoa" if DEBUG else "")
MOTCUA_PORTAL_PASSWORD = os.environ.get(
    "MOTCUA_PORTAL_PASSWORD", "motcua-demo" if DEBUG else "")
# The province's unit code at the portal (madonvi), e.g. 000.00.00.H56.
MOTCUA_PORTAL_UNIT_CODE = os.environ.get(
    "MOTCUA_PORTAL_UNIT_CODE", "000.00.00.H56" if DEBUG else "")
MOTCUA_PORTAL_TIMEOUT = float(os.environ.get("MOTCUA_PORTAL_TIMEOUT", "10"))
# After this many failed attempts a message is parked as failed until an operator re-sends it.
MOTCUA_SYNC_MAX_TRIES = int(os.environ.get("MOTCUA_SYNC_MAX_TRIES", "12"))
# Back-off between attempts: base * 2^(tries-1) seconds, capped, with jitter.
MOTCUA_SYNC_BACKOFF_BASE = float(os.environ.get("MOTCUA_SYNC_BACKOFF_BASE", "5"))
MOTCUA_SYNC_BACKOFF_MAX = float(os.environ.get("MOTCUA_SYNC_BACKOFF_MAX", "900"))
# A message claimed by a worker that neither succeeded nor failed within this many seconds (the
# worker died) is claimed again; keep it well above MOTCUA_PORTAL_TIMEOUT.
MOTCUA_SYNC_LEASE_SECONDS = float(os.environ.get("MOTCUA_SYNC_LEASE_SECONDS", "120"))
# National mode only: lifetime of a province's session token, and the switches that make the
# receiving side fail, slow down or answer "already exists" (tests and drills, never production).
MOTCUA_NATIONAL_TOKEN_TTL = int(os.environ.get("MOTCUA_NATIONAL_TOKEN_TTL", "3600"))
# Empty: switches off. Otherwise the secret that a request to the switch endpoint must carry in
# its X-Motcua-Switches header.
MOTCUA_NATIONAL_TEST_SWITCHES = os.environ.get("MOTCUA_NATIONAL_TEST_SWITCHES", "")
# Population database (sync/population.py): "simulator" answers from synthetic test citizens;
# "http" posts to MOTCUA_POPULATION_URL with MOTCUA_POPULATION_TOKEN as a bearer token.
# The simulator is the default only with DJANGO_DEBUG on, so production never answers from it.
MOTCUA_POPULATION_ADAPTER = os.environ.get(
    "MOTCUA_POPULATION_ADAPTER", "simulator" if DEBUG else "http"
)
MOTCUA_POPULATION_URL = os.environ.get("MOTCUA_POPULATION_URL", "")
MOTCUA_POPULATION_TOKEN = os.environ.get("MOTCUA_POPULATION_TOKEN", "")
MOTCUA_POPULATION_TIMEOUT = float(os.environ.get("MOTCUA_POPULATION_TIMEOUT", "5"))

# --- Notifications to applicants and staff (notifications/, docs/notifications.md) -------------
# E-mail goes through Django's mailers (Django 6.1 MAILERS): the console in DEBUG (the demo
# prints the mails), SMTP otherwise, configured by EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
# EMAIL_HOST_PASSWORD, EMAIL_USE_TLS (environment variables).
_MAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {"default": {"BACKEND": _MAIL_BACKEND}}
if _MAIL_BACKEND.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("EMAIL_PORT", "25")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS"),
        "timeout": int(os.environ.get("EMAIL_TIMEOUT", "10")),
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "motcua@localhost")
# The SMS gateway's HTTP endpoint and credentials (notifications/sms.py). Empty URL: no SMS is
# written. In DEBUG it points at the local simulator (`manage.py sms_simulator --port 8200`).
MOTCUA_SMS_URL = os.environ.get(
    "MOTCUA_SMS_URL", "http://127.0.0.1:8200/api/sms/" if DEBUG else ""
)
MOTCUA_SMS_USER = os.environ.get("MOTCUA_SMS_USER", "motcua")
MOTCUA_SMS_PASSWORD = os.environ.get("MOTCUA_SMS_PASSWORD", "motcua-sms-demo" if DEBUG else "")
MOTCUA_SMS_TIMEOUT = float(os.environ.get("MOTCUA_SMS_TIMEOUT", "5"))
# The public address of this site, for the links written in messages (lookup, evaluation).
MOTCUA_SITE_URL = os.environ.get("MOTCUA_SITE_URL", "http://127.0.0.1:8000")
# Try to send right after the change commits; the rest is `manage.py notifications_send`.
MOTCUA_NOTIFY_ON_COMMIT = env_bool("MOTCUA_NOTIFY_ON_COMMIT", default=True)
# After this many failed attempts a message is parked as failed; back-off between attempts is
# base * 2^(tries-1) seconds, capped.
MOTCUA_NOTIFY_MAX_TRIES = int(os.environ.get("MOTCUA_NOTIFY_MAX_TRIES", "10"))
MOTCUA_NOTIFY_BACKOFF_BASE = float(os.environ.get("MOTCUA_NOTIFY_BACKOFF_BASE", "60"))
MOTCUA_NOTIFY_BACKOFF_MAX = float(os.environ.get("MOTCUA_NOTIFY_BACKOFF_MAX", "3600"))

# --- Evaluation by the applicant (evaluations/, docs/evaluation.md) --------------------------
# Bands for the total of the 9 criteria (0-18 points): not set by any text we could confirm
# (domain.md section 7), hence configuration; the default is labelled as the software's own.
MOTCUA_EVALUATION_BANDS_LABEL = os.environ.get(
    "MOTCUA_EVALUATION_BANDS_LABEL",
    "Thang xếp loại mặc định của phần mềm (chưa đối chiếu văn bản chính thức)",
)
MOTCUA_EVALUATION_BANDS: list[dict] = [
    {"name": "Tốt", "min": 16},
    {"name": "Khá", "min": 12},
    {"name": "Trung bình", "min": 9},
    {"name": "Kém", "min": 0},
]

# --- Signed results and the citizen's data store (results/, docs/results.md) -----------------
# `manage.py results_demo_pki` writes a test CA and certificates here; with DJANGO_DEBUG on they
# are the defaults below, so the demo signs out of the box. Production names its own files.
MOTCUA_PKI_DIR = Path(os.environ.get("MOTCUA_PKI_DIR", BASE_DIR / "var" / "pki"))
# The agency seal: PKCS#12 file and its password (never committed; mode 600 on the server).
MOTCUA_SIGNING_PKCS12 = os.environ.get(
    "MOTCUA_SIGNING_PKCS12", str(MOTCUA_PKI_DIR / "unit.p12") if DEBUG else "")
MOTCUA_SIGNING_PKCS12_PASSWORD = os.environ.get(
    "MOTCUA_SIGNING_PKCS12_PASSWORD", "motcua-demo" if DEBUG else "")
# Optional folder of per-unit seals, `<unit code>.p12` (same password); a unit without its own
# file signs with MOTCUA_SIGNING_PKCS12.
MOTCUA_SIGNING_UNIT_DIR = os.environ.get("MOTCUA_SIGNING_UNIT_DIR", "")
# Optional second signature, the head's own (results/signing.py, docs/results.md). It signs
# only for the person it is issued to (Decree 130/2018/NĐ-CP art. 9 cl. 1): the installation's
# file for its holder alone; another head signs through their signature block's remote signing,
# or with their own file `<MOTCUA_SIGNING_HEAD_DIR>/<username>.p12` (same password). Empty: the
# seal alone signs.
MOTCUA_SIGNING_HEAD_PKCS12 = os.environ.get(
    "MOTCUA_SIGNING_HEAD_PKCS12", str(MOTCUA_PKI_DIR / "head.p12") if DEBUG else "")
MOTCUA_SIGNING_HEAD_DIR = os.environ.get(
    "MOTCUA_SIGNING_HEAD_DIR", str(MOTCUA_PKI_DIR / "heads") if DEBUG else "")
MOTCUA_SIGNING_HEAD_PKCS12_PASSWORD = os.environ.get(
    "MOTCUA_SIGNING_HEAD_PKCS12_PASSWORD", "motcua-demo" if DEBUG else "")
# Without a usable signing certificate: DEBUG stores the result unsigned (and says so on every
# page); production refuses the approval, because an unsigned e-result has no legal value.
MOTCUA_SIGNING_REQUIRED = env_bool("MOTCUA_SIGNING_REQUIRED", default=not DEBUG)
# RFC 3161 time-stamping authority; empty: no timestamp (the signing time is the server clock).
MOTCUA_TSA_URL = os.environ.get("MOTCUA_TSA_URL", "")
MOTCUA_TSA_TIMEOUT = float(os.environ.get("MOTCUA_TSA_TIMEOUT", "10"))
# PEM files of the CAs whose signatures the verification page trusts (comma-separated).
MOTCUA_TRUST_ROOTS = env_list(
    "MOTCUA_TRUST_ROOTS", str(MOTCUA_PKI_DIR / "ca.pem") if DEBUG else "")

# --- Fees and payments (payments/, docs/payments.md) ------------------------------------------
# The online payment gateway: base URL, our merchant code and the shared secret that signs
# orders and authenticates callbacks (HMAC-SHA256). The bank's statement feed signs with the same
# secret. With DJANGO_DEBUG on they point at `manage.py paygate_simulator --port 8300`.
MOTCUA_PAYGATE_URL = os.environ.get(
    "MOTCUA_PAYGATE_URL", "http://127.0.0.1:8300/" if DEBUG else "")
MOTCUA_PAYGATE_MERCHANT = os.environ.get("MOTCUA_PAYGATE_MERCHANT", "MOTCUA-DEMO")
MOTCUA_PAYGATE_SECRET = os.environ.get(
    "MOTCUA_PAYGATE_SECRET", DEMO_PAYGATE_SECRET if DEBUG else "")
MOTCUA_PAYGATE_TIMEOUT = float(os.environ.get("MOTCUA_PAYGATE_TIMEOUT", "10"))

# --- Citizen accounts, VNeID log-in and login hardening (accounts/, docs/identity.md) --------
# Lockout (django-axes): after MOTCUA_LOGIN_FAILURE_LIMIT wrong passwords for one username from
# one address, that pair is refused for MOTCUA_LOGIN_COOLOFF_MINUTES. By pair, not by username
# alone, so nobody can lock an officer out from elsewhere by typing their username.
AXES_FAILURE_LIMIT = int(os.environ.get("MOTCUA_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=float(os.environ.get("MOTCUA_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_CALLABLE = "accounts.lockout.lockout_username"
# Behind a reverse proxy, the META key of the header it puts the client address in (e.g.
# HTTP_X_REAL_IP); empty: the connection's address (REMOTE_ADDR).
MOTCUA_CLIENT_IP_HEADER = os.environ.get("MOTCUA_CLIENT_IP_HEADER", "")
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.lockout_client_ip"
# Staff who sign (heads), administer (admins, superusers) or read personal data at a desk
# confirm every sign-in with a second factor (accounts/second_factor.py, docs/security.md).
MOTCUA_SECOND_FACTOR_REQUIRED = env_bool("MOTCUA_SECOND_FACTOR_REQUIRED", default=True)
# The admin never shows an authenticator's key, its QR code or the recovery codes (audit9).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
MOTCUA_SECOND_FACTOR_ROLES = env_list("MOTCUA_SECOND_FACTOR_ROLES", "head,admin,receiving")
# The name an authenticator app shows beside the code.
OTP_TOTP_ISSUER = os.environ.get("MOTCUA_OTP_ISSUER", "Một cửa điện tử")
# A verification code for a new account: lifetime and wrong tries allowed.
MOTCUA_VERIFICATION_CODE_MINUTES = int(os.environ.get("MOTCUA_VERIFICATION_CODE_MINUTES", "15"))
MOTCUA_VERIFICATION_MAX_ATTEMPTS = int(os.environ.get("MOTCUA_VERIFICATION_MAX_ATTEMPTS", "5"))
# Dotted path of a callable (phone, text) that sends an SMS; empty: logged (accounts/delivery.py).
MOTCUA_ACCOUNTS_SMS_SENDER = os.environ.get("MOTCUA_ACCOUNTS_SMS_SENDER", "")

# VNeID by OpenID Connect (mozilla-django-oidc, authorization code flow with PKCE). The
# endpoints default to the layout of the local identity provider (`make idp`, idp/) under the
# issuer; set each one for the real provider. An empty client id hides "Đăng nhập bằng VNeID".
MOTCUA_OIDC_ISSUER = os.environ.get("MOTCUA_OIDC_ISSUER", "http://127.0.0.1:8100/o").rstrip("/")
OIDC_RP_CLIENT_ID = os.environ.get("MOTCUA_OIDC_CLIENT_ID", "motcua-demo" if DEBUG else "")
OIDC_RP_CLIENT_SECRET = os.environ.get(
    "MOTCUA_OIDC_CLIENT_SECRET", "motcua-demo-secret-khong-dung-that" if DEBUG else "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get(
    "MOTCUA_OIDC_AUTHORIZATION_ENDPOINT", f"{MOTCUA_OIDC_ISSUER}/authorize/")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("MOTCUA_OIDC_TOKEN_ENDPOINT",
                                        f"{MOTCUA_OIDC_ISSUER}/token/")
OIDC_OP_USER_ENDPOINT = os.environ.get("MOTCUA_OIDC_USERINFO_ENDPOINT",
                                       f"{MOTCUA_OIDC_ISSUER}/userinfo/")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("MOTCUA_OIDC_JWKS_ENDPOINT",
                                       f"{MOTCUA_OIDC_ISSUER}/.well-known/jwks.json")
OIDC_RP_SIGN_ALGO = os.environ.get("MOTCUA_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("MOTCUA_OIDC_SCOPES", "openid profile email phone")
# The claim that carries the 12-digit personal ID (the stable identifier of a citizen).
MOTCUA_OIDC_CLAIM_PERSONAL_ID = os.environ.get("MOTCUA_OIDC_CLAIM_PERSONAL_ID", "personal_id")
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_TIMEOUT = float(os.environ.get("MOTCUA_OIDC_TIMEOUT", "10"))
OIDC_CALLBACK_CLASS = "accounts.vneid.VNeIDCallbackView"
OIDC_REDIRECT_REQUIRE_HTTPS = not DEBUG

# Production never starts with a secret anyone can read in this repository (motcua/production.py).
secrets_refuse_published({
    "MOTCUA_PAYGATE_SECRET": MOTCUA_PAYGATE_SECRET,
    "MOTCUA_OIDC_CLIENT_SECRET": OIDC_RP_CLIENT_SECRET,
    "MOTCUA_SMS_PASSWORD": MOTCUA_SMS_PASSWORD,
    "MOTCUA_PORTAL_PASSWORD": MOTCUA_PORTAL_PASSWORD,
    "MOTCUA_SIGNING_PKCS12_PASSWORD": MOTCUA_SIGNING_PKCS12_PASSWORD,
    "MOTCUA_SIGNING_HEAD_PKCS12_PASSWORD": MOTCUA_SIGNING_HEAD_PKCS12_PASSWORD,
}, debug=DEBUG)

# Feedback on regulations (PAKN, feedback/, docs/feedback.md). Decree 20/2008/ND-CP as amended
# by Decree 92/2017/ND-CP: an item outside the receiver's authority is forwarded within 5
# working days (the decree's figure, kept a setting so an amendment needs no release).
MOTCUA_FEEDBACK_FORWARD_WORKING_DAYS = int(
    os.environ.get("MOTCUA_FEEDBACK_FORWARD_WORKING_DAYS", "5"))
# Working days to answer, per class, counted from when the competent unit takes the item. NOT
# CONFIRMED against the amended decree's text (docs/feedback.md): operators set their own
# regulation's figures, e.g. MOTCUA_FEEDBACK_ANSWER_DAYS="difficulty=10,within=30,outside=30".
MOTCUA_FEEDBACK_ANSWER_DAYS: dict[str, int] = {
    key.strip(): int(value) for key, value in (
        part.split("=", 1) for part in os.environ.get(
            "MOTCUA_FEEDBACK_ANSWER_DAYS", "difficulty=10,within=30,outside=30").split(",")
        if "=" in part)
}
# The unit an item sent from the public page goes to when the sender names none (a unit code);
# empty: the first province unit.
# Items sent from the public form and API (feedback/services/sending.py): each sends a receipt
# by SMS and e-mail to the contact typed, from the authority, and goes on to the national PAKN
# system. At most this many per client address within its window (a shared address — a commune
# office, a mobile carrier's NAT — stays far below it) and per phone number or e-mail address
# within its window (a person rarely sends more than a few items a day).
MOTCUA_FEEDBACK_SEND_MAX_PER_ADDRESS = int(
    os.environ.get("MOTCUA_FEEDBACK_SEND_MAX_PER_ADDRESS", "30"))
MOTCUA_FEEDBACK_SEND_ADDRESS_WINDOW_SECONDS = int(
    os.environ.get("MOTCUA_FEEDBACK_SEND_ADDRESS_WINDOW_SECONDS", "3600"))
MOTCUA_FEEDBACK_SEND_MAX_PER_CONTACT = int(
    os.environ.get("MOTCUA_FEEDBACK_SEND_MAX_PER_CONTACT", "5"))
MOTCUA_FEEDBACK_SEND_CONTACT_WINDOW_SECONDS = int(
    os.environ.get("MOTCUA_FEEDBACK_SEND_CONTACT_WINDOW_SECONDS", "86400"))
MOTCUA_FEEDBACK_DEFAULT_UNIT = os.environ.get("MOTCUA_FEEDBACK_DEFAULT_UNIT", "")
# The national PAKN system (feedback/national.py). Empty URL: nothing is sent or fetched (the
# outbox keeps what is owed). In DEBUG it points at the local simulator
# (`manage.py feedback_national_simulator --port 8230`).
MOTCUA_FEEDBACK_NATIONAL_URL = os.environ.get(
    "MOTCUA_FEEDBACK_NATIONAL_URL", "http://127.0.0.1:8230" if DEBUG else "").rstrip("/")
MOTCUA_FEEDBACK_NATIONAL_USER = os.environ.get("MOTCUA_FEEDBACK_NATIONAL_USER", "motcua")
MOTCUA_FEEDBACK_NATIONAL_PASSWORD = os.environ.get(
    "MOTCUA_FEEDBACK_NATIONAL_PASSWORD", "motcua-pakn-demo" if DEBUG else "")
MOTCUA_FEEDBACK_NATIONAL_TIMEOUT = float(os.environ.get("MOTCUA_FEEDBACK_NATIONAL_TIMEOUT", "5"))
secrets_refuse_published({
    "MOTCUA_FEEDBACK_NATIONAL_PASSWORD": MOTCUA_FEEDBACK_NATIONAL_PASSWORD}, debug=DEBUG)
# The API schema's names for the feedback choices (feedback/models.py).
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update({
    "FeedbackStateEnum": "feedback.models.State",
    "FeedbackKindEnum": "feedback.models.Kind",
    "FeedbackChannelEnum": "feedback.models.Channel",
    "FeedbackRatingEnum": "feedback.models.Rating",
})
# Feedback's demo loader (feedback/demo.py): officers and items in every state.
MOTCUA_DEMO_EXTRAS.append("feedback.demo.load")
# --- The yearly CCHC plan (reform/, docs/reform.md) -------------------------------------------
# Its demo: the Department of Home Affairs, its reform officer, a leader and a plan of 30 tasks.
MOTCUA_DEMO_EXTRAS.append("reform.demo_plans.load")
# How many days ahead `manage.py reform_warn` warns a lead unit of a task's deadline. No legal
# text fixes it; provinces' plans usually ask for reports a week before the deadline.
MOTCUA_REFORM_WARN_DAYS = int(os.environ.get("MOTCUA_REFORM_WARN_DAYS", "7"))
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update({
    "ReformTaskStatusEnum": "reform.models.plans.Task.Status",
})
# --- Regulation review (regulations/, docs/regulations.md) ---------------------------------
# Resolution 68/NQ-CP of 12/05/2020: cut or simplify at least 20 % of business regulations and
# of their compliance cost; the summaries measure every round against this share.
MOTCUA_REGULATIONS_TARGET_PERCENT = float(
    os.environ.get("MOTCUA_REGULATIONS_TARGET_PERCENT", "20"))
# The function listing citizens' feedback (PAKN) about a procedure code, shown on its review
# row; empty or not importable: the register says it is not connected.
MOTCUA_REGULATIONS_FEEDBACK_FOR_PROCEDURE = os.environ.get(
    "MOTCUA_REGULATIONS_FEEDBACK_FOR_PROCEDURE", "feedback.selectors.feedback_for_procedure")
MOTCUA_DEMO_EXTRAS += ["regulations.demo.load"]
# After both the plan and the round exist: the plan's review task points at the demo round.
MOTCUA_DEMO_EXTRAS.append("reform.demo_plans.link_review_rounds")
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update({
    "ProvisionKindEnum": "regulations.models.Provision.Kind",
    "ProvisionActionEnum": "regulations.models.Provision.Action",
    "ProvisionStateEnum": "regulations.models.Provision.State",
    "ReviewRoundStatusEnum": "regulations.models.ReviewRound.Status",
})
# --- PAR Index and SIPAS (reform/par, reform/sipas; docs/reform.md) ---------------------------
# The PAR Index groups by the share of the maximum reached: Decision 876/QĐ-BNV publishes A from
# 90 %, B 80–< 90 %, C 70–< 80 % (domain.md §12); the lower bound of D is not confirmed, hence
# a setting: "A:90,B:80,C:70,D:0".
MOTCUA_PAR_GROUPS = [
    (name.strip(), float(low)) for name, low in
    (item.split(":") for item in os.environ.get("MOTCUA_PAR_GROUPS", "A:90,B:80,C:70,D:0")
     .split(","))]
# The SIPAS overall index: "mean" of the five element indices, or "pooled" over every
# satisfaction answer (Decision 1001/QĐ-BNV; the exact formula is to be confirmed).
MOTCUA_SIPAS_OVERALL = os.environ.get("MOTCUA_SIPAS_OVERALL", "mean")

# --- Result drafting and remote signing (results/, docs/results.md) --------------------------
# The remote-signing service a head's signature block may name instead of the local PKCS#12
# (results/remote_signing.py). With DJANGO_DEBUG on it points at the local simulator
# (`manage.py results_remote_signing_simulator --port 8500`).
MOTCUA_REMOTE_SIGNING_URL = os.environ.get(
    "MOTCUA_REMOTE_SIGNING_URL", "http://127.0.0.1:8500/" if DEBUG else "")
MOTCUA_REMOTE_SIGNING_TOKEN = os.environ.get(
    "MOTCUA_REMOTE_SIGNING_TOKEN", "motcua-remote-signing-demo" if DEBUG else "")
MOTCUA_REMOTE_SIGNING_TIMEOUT = float(os.environ.get("MOTCUA_REMOTE_SIGNING_TIMEOUT", "15"))
# Demo signature blocks of each Decree 30/2020 form (results/demo.py).
MOTCUA_DEMO_EXTRAS.append("results.demo.load")
