"""django-axes locks a username out from an address after repeated wrong passwords."""

import pytest
from rest_framework.test import APIClient

from accounts.models import User

PASSWORD = "Dung-mat-khau-2026"


@pytest.fixture
def people(db, settings):
    settings.AXES_FAILURE_LIMIT = 3
    staff = User.objects.create_user(username="tiepnhan", password=PASSWORD,
                                     kind=User.Kind.STAFF)
    citizen = User.objects.create_user(username="0912345678", password=PASSWORD,
                                       kind=User.Kind.CITIZEN)
    return staff, citizen


def _login(client, username, password, ip="10.1.2.3"):
    return client.post("/tai-khoan/dang-nhap/", {"username": username, "password": password},
                       REMOTE_ADDR=ip)


@pytest.mark.parametrize("username", ["tiepnhan", "0912345678"])
def test_lockout_after_repeated_failures(client, people, username):
    for _ in range(2):
        r = _login(client, username, "sai")
        assert r.status_code == 200 and "mật khẩu chính xác" in r.content.decode()
    r = _login(client, username, "sai")
    assert r.status_code == 429 and "Tạm khóa đăng nhập" in r.content.decode()
    # Even the right password is refused now…
    r = _login(client, username, PASSWORD)
    assert r.status_code == 429
    assert "_auth_user_id" not in client.session
    # …but only for that username from that address: the officer elsewhere still logs in.
    r = _login(client, username, PASSWORD, ip="10.9.9.9")
    assert r.status_code == 302


def test_phone_written_differently_counts_as_one_username(client, people):
    for variant in ("0912345678", "+84912345678", "84 912 345 678"):
        _login(client, variant, "sai")
    assert _login(client, "0912 345 678", PASSWORD).status_code == 429


def test_success_resets_the_count(client, people):
    for _ in range(2):
        _login(client, "tiepnhan", "sai")
    assert _login(client, "tiepnhan", PASSWORD).status_code == 302
    client.post("/tai-khoan/dang-xuat/")
    for _ in range(2):
        assert _login(client, "tiepnhan", "sai").status_code == 200
    assert _login(client, "tiepnhan", PASSWORD).status_code == 302


def test_api_token_login_still_works(people):
    r = APIClient().post("/api/v1/auth/token/", {"username": "tiepnhan", "password": PASSWORD})
    assert r.status_code == 200 and r.json()["token"]
