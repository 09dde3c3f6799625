"""Issue #17, production-safe by default: DEBUG off unless asked, no published secret accepted,
`check --deploy` clean under the environment docs/deployment.md documents, no demo data.

Each case starts a fresh process: settings are read once per process, as in production.
"""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from motcua.production import DEVELOPMENT_SECRET_KEY

ROOT = Path(__file__).resolve().parents[2]


def documented_environment() -> dict[str, str]:
    """The variables of docs/deployment.md's `/etc/motcua/motcua.env` block."""
    text = (ROOT / "docs" / "deployment.md").read_text()
    block = re.search(r"```sh\n# /etc/motcua/motcua.env\n(.*?)```", text, re.S).group(1)
    pairs = (line.split("=", 1) for line in block.splitlines()
             if line.strip() and not line.startswith("#"))
    return {name: value for name, value in pairs}


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # Only the variables given, plus what Python needs to run: nothing from the test's DEBUG.
    base = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=base | env,
                          capture_output=True, text=True, timeout=120)


def settings_value(name: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return run("-c", "import django; django.setup(); from django.conf import settings; "
               f"print(repr(settings.{name}))",
               env=env | {"DJANGO_SETTINGS_MODULE": "motcua.settings"})


def production_env(**extra: str) -> dict[str, str]:
    return documented_environment() | {"DJANGO_SECRET_KEY": secrets.token_urlsafe(50)} | extra


def test_check_deploy_is_clean_with_the_documented_environment():
    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING",
                 env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout and "WARNING" not in result.stderr


def test_debug_is_off_unless_asked():
    assert settings_value("DEBUG", production_env()).stdout.strip() == "False"
    asked = settings_value("DEBUG", {"DJANGO_DEBUG": "1"})
    assert asked.stdout.strip() == "True", asked.stderr


@pytest.mark.parametrize("key", ["", DEVELOPMENT_SECRET_KEY, "short-key",
                                 documented_environment()["DJANGO_SECRET_KEY"]])
def test_production_refuses_a_missing_short_or_published_secret_key(key):
    result = settings_value("DEBUG", production_env(DJANGO_SECRET_KEY=key))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize("name, value", [
    ("MOTCUA_PAYGATE_SECRET", "motcua-demo-paygate-secret"),
    ("MOTCUA_OIDC_CLIENT_SECRET", "motcua-demo-secret-khong-dung-that"),
    ("MOTCUA_SMS_PASSWORD", "motcua-sms-demo"),
])
def test_production_refuses_a_published_integration_secret(name, value):
    result = settings_value("DEBUG", production_env(**{name: value}))
    assert result.returncode != 0 and name in result.stderr
    assert settings_value("DEBUG", production_env(**{name: "mot-bi-mat-rieng-cua-tinh"})
                          ).returncode == 0


def test_session_lifetime_is_a_setting():
    hours = settings_value("SESSION_COOKIE_AGE", production_env(MOTCUA_SESSION_HOURS="8"))
    assert hours.stdout.strip() == str(8 * 3600)
    default = settings_value("SESSION_COOKIE_AGE", {"DJANGO_DEBUG": "1"})
    assert default.stdout.strip() == str(14 * 24 * 3600)
    # audit9: production without the variable keeps a log-in one working day, not two weeks.
    unset = {k: v for k, v in production_env().items() if k != "MOTCUA_SESSION_HOURS"}
    assert settings_value("SESSION_COOKIE_AGE", unset).stdout.strip() == str(10 * 3600)


def test_cookies_are_secure_in_production():
    for name in ("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
        assert settings_value(name, production_env()).stdout.strip() == "True"



def test_a_migrations_check_runs_bare_and_nothing_else_does():
    """`manage.py makemigrations --check` compares models and migrations and signs nothing: it
    runs from a bare checkout (no DJANGO_DEBUG, no key). Anything else still needs the key."""
    bare = {"DATABASE_URL": "sqlite:///:memory:"}
    checked = run("manage.py", "makemigrations", "--check", "--dry-run", env=bare)
    assert checked.returncode == 0, checked.stderr
    assert "No changes detected" in checked.stdout
    for command in (["check"], ["migrate", "--check"], ["runserver", "--noreload"]):
        refused = run("manage.py", *command, env=bare)
        assert refused.returncode != 0 and "DJANGO_SECRET_KEY" in refused.stderr, command
