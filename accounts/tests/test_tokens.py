"""API tokens end MOTCUA_API_TOKEN_DAYS days after their issue and are kept as a digest only
(accounts/tokens.py)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import ApiToken, Membership, Role, Unit, User
from accounts.tokens import TOKENS_PER_ACCOUNT, token_digest

PASSWORD = "Mot-cua-2026!"


@pytest.fixture
def specialist(db):
    unit = Unit.objects.create(code="000.00.15.H99", name="Sở Tư pháp",
                               kind=Unit.Kind.DEPARTMENT, receives_dossiers=True)
    user = User.objects.create_user(username="chuyenvien", password=PASSWORD,
                                    kind=User.Kind.STAFF)
    Membership.objects.create(user=user, unit=unit, role=Role.SPECIALIST)
    return user


def _issue() -> str:
    answer = APIClient().post("/api/v1/auth/token/", {"username": "chuyenvien",
                                                      "password": PASSWORD}, format="json")
    assert answer.status_code == 200
    return answer.json()["token"]


def _read(key: str, language: str = "vi"):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api.get("/api/v1/dossiers/", HTTP_ACCEPT_LANGUAGE=language)


def test_a_token_ends_after_its_days_and_a_new_one_is_issued(specialist, settings):
    settings.MOTCUA_API_TOKEN_DAYS = 30
    key = _issue()
    assert _read(key).status_code == 200
    ApiToken.objects.filter(digest=token_digest(key)).update(
        created=timezone.now() - timedelta(days=31))
    refused = _read(key)
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "token_expired"
    assert "hết hạn" in refused.json()["error"]["message"]
    assert "expired" in refused.json()["error"]["message_en"]
    fresh = _issue()
    assert fresh != key and _read(fresh).status_code == 200
    # The expired one is gone from the table with the new issue.
    assert list(ApiToken.objects.values_list("digest", flat=True)) == [token_digest(fresh)]


def test_no_end_when_the_setting_is_zero(specialist, settings):
    settings.MOTCUA_API_TOKEN_DAYS = 0
    key = _issue()
    ApiToken.objects.filter(digest=token_digest(key)).update(
        created=timezone.now() - timedelta(days=3650))
    assert _read(key).status_code == 200


def test_an_unknown_or_disabled_token_is_refused(specialist):
    key = _issue()
    assert _read(key).status_code == 200
    unknown = _read("0" * 40)
    assert unknown.status_code == 401
    assert unknown.json()["error"] == {"code": "authentication_failed",
                                       "message": "Thông tin xác thực không đúng.",
                                       "message_en": "Invalid credentials."}
    specialist.is_active = False
    specialist.save(update_fields=["is_active"])
    disabled = _read(key)
    assert disabled.status_code == 401
    assert disabled.json()["error"]["code"] == "authentication_failed"


def test_no_admin_page_shows_a_token_and_an_administrator_revokes_them(specialist):
    """audit9: DRF's token admin listed every key (a head's token, got with the head's second
    factor, called the API as the head, each read logged in the head's name) and made new ones
    for any account. No page shows a token; an action on the accounts list revokes them."""
    from django.test import Client

    key = _issue()
    root = User.objects.create_superuser("quantri", "quantri@example.vn", PASSWORD)
    admin = Client()
    admin.force_login(root)
    index = admin.get("/admin/").content.decode()
    assert "/admin/authtoken/" not in index
    for url in ("/admin/authtoken/tokenproxy/", "/admin/authtoken/tokenproxy/add/",
                f"/admin/authtoken/tokenproxy/{specialist.pk}/change/"):
        answer = admin.get(url)
        assert answer.status_code == 404 and key not in answer.content.decode(), url
    accounts = admin.get("/admin/accounts/user/").content.decode()
    assert key not in accounts and "revoke_api_tokens" in accounts
    admin.post("/admin/accounts/user/", {"action": "revoke_api_tokens",
                                         "_selected_action": [specialist.pk]})
    assert not ApiToken.objects.filter(user=specialist).exists()
    assert _read(key).status_code == 401


def test_the_database_keeps_no_key_only_its_digest(specialist):
    """audit10: DRF kept each key in the clear, so a copy of the database (a backup, a dump)
    called the API as every account holding a token. The key is shown once, in the answer that
    issues it; the table holds its SHA-256 digest, which opens nothing."""
    key = _issue()
    assert len(key) == 40 and _read(key).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_apitoken")
        stored = [str(value) for row in cursor.fetchall() for value in row]
    assert key not in " ".join(stored)
    assert token_digest(key) in stored
    assert not Token.objects.exists()
    # Whoever has the table's copy sends the digest: refused.
    assert _read(token_digest(key)).status_code == 401
    # A key is never given again: a second issue is another token, the first still works (an
    # integration on two hosts keeps one each).
    second = _issue()
    assert second != key and _read(key).status_code == 200 and _read(second).status_code == 200


def test_an_account_keeps_a_bounded_number_of_tokens(specialist, settings):
    """Each issue adds a token (the key cannot be shown again): the oldest end past the bound,
    even when tokens never expire."""
    settings.MOTCUA_API_TOKEN_DAYS = 0
    keys = [_issue() for _ in range(TOKENS_PER_ACCOUNT + 2)]
    assert ApiToken.objects.filter(user=specialist).count() == TOKENS_PER_ACCOUNT
    assert _read(keys[0]).status_code == 401 and _read(keys[1]).status_code == 401
    assert _read(keys[2]).status_code == 200 and _read(keys[-1]).status_code == 200


def test_the_migration_digests_the_tokens_clients_already_hold(specialist):
    """A client holding a DRF token from before keeps working after the migration, and the
    clear key leaves the database."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("accounts.migrations.0012_api_token_digest")
    old = Token.objects.create(user=specialist)
    created = old.created
    migration.digest_tokens(apps, None)
    assert not Token.objects.exists()
    (kept,) = ApiToken.objects.all()
    assert (kept.digest, kept.user_id, kept.created) == (token_digest(old.key), specialist.pk,
                                                         created)
    assert _read(old.key).status_code == 200


def test_the_token_read_is_one_query(specialist, django_assert_num_queries):
    """Every API request authenticates (issue #18): one indexed read by the digest."""
    key = _issue()
    from accounts.tokens import ExpiringTokenAuthentication

    with django_assert_num_queries(1) as captured:
        user, token = ExpiringTokenAuthentication().authenticate_credentials(key)
    assert user == specialist
    assert "accounts_apitoken" in captured.captured_queries[0]["sql"]
