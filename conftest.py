import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Tests create many accounts; the production hasher would spend seconds on each one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path_factory):
    # Uploaded papers and signed results of a test go to a temporary folder, never the checkout's
    # media/; and no test signs with the demo keys that `load_demo` may have left in var/pki
    # (tests that sign set up their own test PKI), so a run behaves the same on a clean clone.
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    settings.MOTCUA_SIGNING_PKCS12 = ""
    settings.MOTCUA_SIGNING_HEAD_PKCS12 = ""
    settings.MOTCUA_SIGNING_HEAD_DIR = ""
    settings.MOTCUA_SIGNING_UNIT_DIR = ""
    # No SMS leaves a test unless the test starts its own simulator (the demo default points
    # at a local port that something else may be listening on).
    settings.MOTCUA_SMS_URL = ""


@pytest.fixture(autouse=True)
def _vietnamese_first():
    # Each test starts in the site's default language; a request that chose English (the
    # language tests) must not leave it active for the next test's messages.
    from django.utils import translation

    translation.activate("vi")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _second_factor_off(settings):
    # Tests of other features sign staff in with force_login, without an authenticator; the
    # second factor itself is tested with it switched on (accounts/tests/test_second_factor.py),
    # and the browser journeys sign in through it (e2e/conftest.py switches it back on).
    settings.MOTCUA_SECOND_FACTOR_REQUIRED = False


@pytest.fixture(autouse=True)
def _reference_cache_cleared():
    # Each test builds its own catalogue, whose ids a previous test's rolled-back rows may have
    # had: filing's per-worker cache (dossiers/reference.py) starts empty.
    from dossiers.reference import reference_clear
    from results.signature_blocks import signature_blocks_forget

    reference_clear()
    # The signature blocks an approval prints, cached under the same version.
    signature_blocks_forget()


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], None]:
    """Copies of one SQLite file with every migration applied, made once per run, for the tests
    that start this project as another process on a database of its own (the national portal of
    sync/tests, the API fuzzing on SQLite): migrating a new file takes about 10 s of CPU each.

    The copy goes through SQLite's backup API, which reads what the write-ahead log still holds.
    """
    template = tmp_path_factory.mktemp("migrated") / "migrated.sqlite3"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {
        "DATABASE_URL": f"sqlite:///{template}", "DJANGO_DEBUG": "1"}
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v0"],
                   cwd=ROOT, env=env, check=True, timeout=600)

    def copy(target: Path) -> None:
        source, copied = sqlite3.connect(template), sqlite3.connect(target)
        try:
            source.backup(copied)
        finally:
            copied.close()
            source.close()

    return copy
