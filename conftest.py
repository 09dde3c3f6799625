import pytest


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

    reference_clear()
