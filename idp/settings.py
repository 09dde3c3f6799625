"""Settings of the local VNeID identity provider: a separate Django site, never part of motcua.

Start it with `make idp` (or `python manage.py runserver 127.0.0.1:8100 --settings=idp.settings`
after `migrate` and `idp_setup` with the same settings). It keeps its own SQLite file, secret key
and RS256 signing key in IDP_DATA_DIR (default var/idp/), creating the keys on first start.
It exists for the demo and the tests only: it signs anyone in who knows a demo password.
"""

import os
import secrets
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("IDP_DATA_DIR", BASE_DIR / "var" / "idp"))
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _kept(name: str, make) -> str:
    """A secret made once and kept in DATA_DIR, so restarts keep sessions and the JWKS key."""
    path = DATA_DIR / name
    if not path.exists():
        # Written to a temporary name first: two processes starting together never read half.
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(make())
        tmp.chmod(0o600)
        os.replace(tmp, path)
    return path.read_text()


def _rsa_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


SECRET_KEY = os.environ.get("IDP_SECRET_KEY") or _kept("secret-key",
                                                      lambda: secrets.token_urlsafe(50))
DEBUG = os.environ.get("IDP_DEBUG", "1") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("IDP_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
                 if h]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "oauth2_provider",
    "idp",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "idp.urls"
WSGI_APPLICATION = "idp.wsgi.application"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3",
                         "NAME": DATA_DIR / "idp.sqlite3"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Its own cookie names, so that running it beside motcua on 127.0.0.1 clashes with nothing.
SESSION_COOKIE_NAME = "idp_sessionid"
CSRF_COOKIE_NAME = "idp_csrftoken"
LOGIN_URL = "idp-login"
LANGUAGE_CODE = "vi"
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
USE_I18N = True

OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": _kept("oidc-rsa.pem", _rsa_pem),
    # Empty: the issuer is this server's address as the request names it (…/o).
    "OIDC_ISS_ENDPOINT": os.environ.get("IDP_ISSUER", ""),
    "PKCE_REQUIRED": True,
    "SCOPES": {
        "openid": "Định danh",
        "profile": "Họ tên, ngày sinh, số định danh cá nhân",
        "email": "Thư điện tử",
        "phone": "Số điện thoại",
    },
    "DEFAULT_SCOPES": ["openid"],
    "OAUTH2_VALIDATOR_CLASS": "idp.validators.CitizenClaimsValidator",
    "ACCESS_TOKEN_EXPIRE_SECONDS": 600,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https"],
}

# The tests sign in many times; a deliberately slow hash would cost them seconds each time.
if os.environ.get("IDP_FAST_HASHING") == "1":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
