"""What a production start refuses: secrets that anyone can read in this repository.

The demo (`make run`, DJANGO_DEBUG=1) works out of the box because its secrets are committed.
A server started without DJANGO_DEBUG is production, and a committed secret there would let
anyone forge sessions and password-reset links (DJANGO_SECRET_KEY) or payment callbacks
(MOTCUA_PAYGATE_SECRET): such a start stops before serving anything (docs/deployment.md).
"""

import secrets
from collections.abc import MutableMapping, Sequence

from django.core.exceptions import ImproperlyConfigured

# The development key used when DJANGO_DEBUG is on and no key is given.
DEVELOPMENT_SECRET_KEY = "insecure-development-key-only-for-local-demo"
DEMO_PAYGATE_SECRET = "motcua-demo-paygate-secret"

# Every secret value committed to this repository for the demo and its simulators.
PUBLISHED_SECRETS = frozenset({
    DEVELOPMENT_SECRET_KEY,
    DEMO_PAYGATE_SECRET,
    "motcua-demo",
    "motcua-sms-demo",
    "motcua-pakn-demo",
    "motcua-demo-secret-khong-dung-that",
    # docs/deployment.md's placeholder, in case the example file is copied as it is.
    "replace-with-the-output-of-python3-c-import-secrets-print-secrets-token-urlsafe-64",
})

# Django's own check (security.W009) wants at least this many characters.
SECRET_KEY_MIN_LENGTH = 50


def secrets_refuse_published(values: dict[str, str], *, debug: bool) -> None:
    """Raise when DEBUG is off and a setting in `values` (name → value) is a published secret.

    An empty value is not judged here: each setting says what empty means (no payments, …);
    DJANGO_SECRET_KEY is checked for presence and length by `secret_key_production`.
    """
    if debug:
        return
    published = sorted(name for name, value in values.items() if value in PUBLISHED_SECRETS)
    if published:
        raise ImproperlyConfigured(
            f"{', '.join(published)}: giá trị mẫu công khai trong mã nguồn, không được dùng khi "
            "DJANGO_DEBUG tắt (production). Đặt giá trị bí mật riêng (docs/deployment.md). / "
            "a demo value published in the repository; set your own secret.")


def secret_key_production(value: str, *, debug: bool) -> str:
    """The SECRET_KEY to use: the development key with DEBUG on and nothing set; else `value`,
    which production requires to be set, unpublished and at least 50 characters long."""
    if debug:
        return value or DEVELOPMENT_SECRET_KEY
    if len(value) < SECRET_KEY_MIN_LENGTH:
        raise ImproperlyConfigured(
            f"DJANGO_SECRET_KEY phải có ít nhất {SECRET_KEY_MIN_LENGTH} ký tự ngẫu nhiên khi "
            "DJANGO_DEBUG tắt. / DJANGO_SECRET_KEY must be set (50+ random characters) when "
            "DJANGO_DEBUG is off.")
    secrets_refuse_published({"DJANGO_SECRET_KEY": value}, debug=debug)
    return value


# Commands that compare the models with the migrations and print: they sign nothing, serve
# nothing and keep nothing a key would protect, so a checkout can run them as it is, without
# DJANGO_DEBUG and without a production key (`manage.py makemigrations --check` in a review).
OFFLINE_COMMANDS = frozenset({"makemigrations", "showmigrations", "sqlmigrate"})


def offline_command_key(argv: Sequence[str], environ: MutableMapping[str, str]) -> None:
    """For an offline command (OFFLINE_COMMANDS) run with DEBUG off and no key: a random key for
    this process only, so the settings' refusal — which every other command, and every server,
    still meets — does not stop a migrations check. Called by manage.py before the settings."""
    command = argv[1] if len(argv) > 1 else ""
    if command in OFFLINE_COMMANDS and not environ.get("DJANGO_SECRET_KEY"):
        environ["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(SECRET_KEY_MIN_LENGTH)
