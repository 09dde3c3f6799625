"""Settings for motcua. Every deployment-specific value comes from an environment variable."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-for-local-demo"
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

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
    "accounts",
    "catalog",
    "dossiers",
    "sync",
    "metrics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dossiers:inbox"
LOGOUT_REDIRECT_URL = "accounts:login"

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
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "motcua.api_errors.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "motcua API",
    "DESCRIPTION": "API của hệ thống một cửa điện tử: thủ tục hành chính, hồ sơ và xử lý hồ sơ.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI assets ship inside the package: the docs page works without the internet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ChannelEnum": "catalog.models.Channel",
        "TimeUnitEnum": "catalog.models.TimeUnit",
        "DossierStateEnum": "dossiers.models.State",
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
# Functions called with every dossier event inside the transaction of the change
# (dossiers/events.py): the national-portal outbox and the service-index counters.
MOTCUA_EVENT_CONSUMERS: list[str] = [
    "metrics.counters.counters_apply",
    "sync.outbox.outbox_record",
]

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
