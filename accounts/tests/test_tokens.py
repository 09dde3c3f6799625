"""API tokens end MOTCUA_API_TOKEN_DAYS days after their issue (accounts/tokens.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import Membership, Role, Unit, User

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
    Token.objects.filter(key=key).update(created=timezone.now() - timedelta(days=31))
    refused = _read(key)
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "token_expired"
    assert "hết hạn" in refused.json()["error"]["message"]
    assert "expired" in refused.json()["error"]["message_en"]
    fresh = _issue()
    assert fresh != key and _read(fresh).status_code == 200
    # Within its days the same token is given again (an integration keeps one key).
    assert _issue() == fresh


def test_no_end_when_the_setting_is_zero(specialist, settings):
    settings.MOTCUA_API_TOKEN_DAYS = 0
    key = _issue()
    Token.objects.filter(key=key).update(created=timezone.now() - timedelta(days=3650))
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
    assert not Token.objects.filter(user=specialist).exists()
    assert _read(key).status_code == 401
