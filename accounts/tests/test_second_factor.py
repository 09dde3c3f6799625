"""accounts/second_factor.py: heads, administrators and desks confirm each sign-in (issue #17)."""

import re
import time
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from accounts.models import Membership, Role, Unit, User

PASSWORD = "Mot-cua-2026!"
INBOX = "/ho-so/hop/all/"


@pytest.fixture(autouse=True)
def second_factor_on(settings):
    settings.MOTCUA_SECOND_FACTOR_REQUIRED = True


@pytest.fixture
def unit(db):
    return Unit.objects.create(code="000.00.15.H99", name="Sở Tư pháp", kind=Unit.Kind.DEPARTMENT,
                               receives_dossiers=True)


def _staff(unit, username: str, role: str) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, kind=User.Kind.STAFF)
    Membership.objects.create(user=user, unit=unit, role=role)
    return user


def _code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def _sign_in(client: Client, username: str):
    return client.post("/tai-khoan/dang-nhap/", {"username": username, "password": PASSWORD})


def _set_up(client: Client) -> tuple[TOTPDevice, list[str]]:
    page = client.get("/tai-khoan/xac-thuc-hai-buoc/thiet-lap/?next=/")
    assert page.status_code == 200 and "data:image/svg+xml;base64," in page.content.decode()
    device = TOTPDevice.objects.get(confirmed=False)
    done = client.post("/tai-khoan/xac-thuc-hai-buoc/thiet-lap/",
                       {"token": _code(device), "next": "/"})
    codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", done.content.decode())
    device.refresh_from_db()
    return device, codes


def test_a_head_sets_up_then_signs_in_with_the_code(unit):
    _staff(unit, "lanhdao", Role.HEAD)
    browser = Client()
    _sign_in(browser, "lanhdao")
    # Nothing but the set-up page until the second factor is there.
    r = browser.get(INBOX)
    assert r.status_code == 302 and r["Location"].startswith("/tai-khoan/xac-thuc-hai-buoc/")
    bad = browser.post("/tai-khoan/xac-thuc-hai-buoc/thiet-lap/", {"token": "000000"})
    assert bad.status_code == 422 and "Mã không đúng" in bad.content.decode()
    device, codes = _set_up(browser)
    assert device.confirmed and len(codes) == 10
    assert browser.get(INBOX).status_code == 200
    # The next sign-in asks for the code; a wrong one keeps the door shut.
    browser.post("/tai-khoan/dang-xuat/")
    _sign_in(browser, "lanhdao")
    assert browser.get(INBOX)["Location"].startswith("/tai-khoan/xac-thuc-hai-buoc/?next=")
    # Not any code the device takes now (its tolerance is a step either side): a fixed "123456"
    # is one of them a few runs in a million, and the wrong code then opens the door.
    taken = {_code(device, steps) for steps in (-2, -1, 0, 1, 2)}
    wrong_code = next(c for c in ("123456", "654321", "111111", "222222", "333333", "444444")
                      if c not in taken)
    wrong = browser.post("/tai-khoan/xac-thuc-hai-buoc/", {"token": wrong_code, "next": "/"})
    assert wrong.status_code == 422 and browser.get(INBOX).status_code == 302
    time.sleep(1.1)  # a wrong code holds the next try back for a second (django-otp throttling)
    ok = browser.post("/tai-khoan/xac-thuc-hai-buoc/", {"token": _code(device, 1), "next": "/"})
    assert ok.status_code == 302 and browser.get(INBOX).status_code == 200


def test_a_recovery_code_works_once(unit):
    _staff(unit, "quantri", Role.ADMIN)
    browser = Client()
    _sign_in(browser, "quantri")
    _, codes = _set_up(browser)
    for attempt, expected in ((codes[0], 302), (codes[0], 422)):
        browser.post("/tai-khoan/dang-xuat/")
        _sign_in(browser, "quantri")
        r = browser.post("/tai-khoan/xac-thuc-hai-buoc/", {"token": attempt, "next": "/"})
        assert r.status_code == expected
    assert StaticToken.objects.count() == 9


def test_a_password_alone_cannot_replace_the_authenticator(unit):
    _staff(unit, "tiepnhan", Role.RECEIVING)
    owner = Client()
    _sign_in(owner, "tiepnhan")
    device, _ = _set_up(owner)
    thief = Client()
    _sign_in(thief, "tiepnhan")
    r = thief.get("/tai-khoan/xac-thuc-hai-buoc/thiet-lap/")
    assert r.status_code == 302 and r["Location"].startswith("/tai-khoan/xac-thuc-hai-buoc/?")
    assert TOTPDevice.objects.filter(confirmed=True).get() == device


def test_citizens_and_specialists_are_not_asked(unit):
    _staff(unit, "chuyenvien", Role.SPECIALIST)
    User.objects.create_user(username="congdan", password=PASSWORD, kind=User.Kind.CITIZEN)
    for name, page in (("chuyenvien", INBOX), ("congdan", "/ho-so-cua-toi/")):
        browser = Client()
        _sign_in(browser, name)
        assert browser.get(page).status_code == 200, name


def test_api_tokens_are_issued_only_with_the_second_factor(unit):
    head = _staff(unit, "lanhdao", Role.HEAD)
    api = APIClient()
    body = {"username": "lanhdao", "password": PASSWORD}
    r = api.post("/api/v1/auth/token/", body)
    assert r.status_code == 403 and r.json()["error"]["code"] == "second_factor_setup"
    browser = Client()
    _sign_in(browser, "lanhdao")
    device, _ = _set_up(browser)
    r = api.post("/api/v1/auth/token/", body)
    assert r.status_code == 400 and "otp" in r.json()["error"]["fields"]
    r = api.post("/api/v1/auth/token/", body | {"otp": _code(device, 1)})
    assert r.status_code == 200 and r.json()["token"]
    # A specialist gets a token with the password alone.
    _staff(unit, "chuyenvien", Role.SPECIALIST)
    r = api.post("/api/v1/auth/token/", {"username": "chuyenvien", "password": PASSWORD})
    assert r.status_code == 200
    # A session that has not passed the second factor is refused by the API.
    half = Client()
    half.force_login(head)
    r = half.get("/api/v1/dossiers/")
    assert r.status_code == 403 and r.json()["error"]["code"] == "second_factor_required"


def test_an_administrator_resets_a_lost_factor_with_a_reason(unit):
    head = _staff(unit, "lanhdao", Role.HEAD)
    browser = Client()
    _sign_in(browser, "lanhdao")
    _set_up(browser)
    root = User.objects.create_superuser("root", "root@example.vn", PASSWORD)
    admin = Client()
    admin.force_login(root)
    device = TOTPDevice.objects.create(user=root, name="x", confirmed=True)
    _verify(admin, device)
    url = "/admin/accounts/user/"
    ask = admin.post(url, {"action": "reset_second_factor", "_selected_action": [head.pk]})
    assert ask.status_code == 200 and "Lý do" in ask.content.decode()
    assert TOTPDevice.objects.filter(user=head).exists()  # nothing until the reason is given
    admin.post(url, {"action": "reset_second_factor", "_selected_action": [head.pk],
                     "confirmed": "1", "reason": "Mất điện thoại, đã đối chiếu căn cước"})
    assert not TOTPDevice.objects.filter(user=head).exists()
    entry = LogEntry.objects.get(object_id=str(head.pk))
    assert entry.user == root and "Mất điện thoại" in entry.change_message


def test_an_admin_user_who_may_only_view_accounts_cannot_reset_a_factor(unit):
    """Django offers an action to whoever may open the list unless it names the permission it
    needs: a help-desk account allowed to view users could remove a superuser's authenticator,
    leaving the password alone between an attacker and the whole system."""
    from django.contrib.auth.models import Permission

    root = User.objects.create_superuser("root", "root@example.vn", PASSWORD)
    TOTPDevice.objects.create(user=root, name="x", confirmed=True)
    viewer = User.objects.create_user("hotro", password=PASSWORD, kind=User.Kind.STAFF,
                                      is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_user"))
    browser = Client()
    browser.force_login(viewer)
    _verify(browser, TOTPDevice.objects.create(user=viewer, name="x", confirmed=True))
    url = "/admin/accounts/user/"
    assert browser.get(url).status_code == 200  # the list is theirs to read …
    assert "reset_second_factor" not in browser.get(url).content.decode()
    browser.post(url, {"action": "reset_second_factor", "_selected_action": [root.pk],
                       "confirmed": "1", "reason": "Mất điện thoại"})
    assert TOTPDevice.objects.filter(user=root).exists()  # … the reset is not
    assert not LogEntry.objects.exists()


def _verify(client: Client, device: TOTPDevice) -> None:
    r = client.post("/tai-khoan/xac-thuc-hai-buoc/", {"token": _code(device), "next": "/"})
    assert r.status_code == 302


def _api_token(username: str, **extra) -> str:
    answer = APIClient().post("/api/v1/auth/token/", {"username": username, "password": PASSWORD,
                                                      **extra}, format="json")
    assert answer.status_code == 200, answer.content
    return answer.json()["token"]


def _api_reads(token: str) -> int:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api.get("/api/v1/dossiers/").status_code


def test_a_token_issued_before_a_role_that_needs_the_code_stops_working(unit):
    """A specialist needs no second factor and gets a token with the password; made the unit's
    head, that token would let the API sign without the code. Granting the role revokes it."""
    user = _staff(unit, "chuyenvien2", Role.SPECIALIST)
    token = _api_token("chuyenvien2")
    assert _api_reads(token) == 200
    Membership.objects.create(user=user, unit=unit, role=Role.HEAD)
    assert _api_reads(token) == 401
    refused = APIClient().post("/api/v1/auth/token/", {"username": "chuyenvien2",
                                                        "password": PASSWORD}, format="json")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "second_factor_setup"


def test_a_token_survives_a_sign_in_but_not_being_made_staff(unit):
    user = _staff(unit, "chuyenvien3", Role.SPECIALIST)
    token = _api_token("chuyenvien3")
    Client().post("/tai-khoan/dang-nhap/", {"username": "chuyenvien3", "password": PASSWORD})
    user.refresh_from_db()
    user.full_name = "Chuyên viên Ba"
    user.save()
    assert _api_reads(token) == 200  # a sign-in and a profile change revoke nothing
    user.is_staff = True
    user.save()
    assert _api_reads(token) == 401


def test_resetting_a_lost_authenticator_ends_the_tokens_issued_with_it(unit, settings):
    """audit8: an administrator resets the second factor of a head who lost the phone; a token
    issued with that phone's code (and the password) stayed valid for 30 days."""
    from accounts.second_factor import second_factor_reset

    user = _staff(unit, "chuyenvien4", Role.SPECIALIST)
    token = _api_token("chuyenvien4")
    assert _api_reads(token) == 200
    admin = User.objects.create_superuser(username="quantri.x", password=PASSWORD)
    second_factor_reset(user=user, by=admin, reason="Mất điện thoại")
    assert _api_reads(token) == 401


def test_the_admin_shows_no_authenticator_key_or_recovery_code_and_makes_none(unit):
    """audit9: django-otp's admin showed a head's TOTP key (and its QR code) and every recovery
    code, and let an administrator add a device with a key of their choosing or move one to
    another account: the head's second factor in the administrator's hands."""
    from django_otp.plugins.otp_static.models import StaticDevice

    head = _staff(unit, "lanhdao", Role.HEAD)
    browser = Client()
    _sign_in(browser, "lanhdao")
    device, codes = _set_up(browser)
    static = StaticDevice.objects.get(user=head)
    root = User.objects.create_superuser("root", "root@example.vn", PASSWORD)
    admin = Client()
    admin.force_login(root)
    _verify(admin, TOTPDevice.objects.create(user=root, name="x", confirmed=True))
    pages = [f"/admin/otp_totp/totpdevice/{device.pk}/change/", "/admin/otp_totp/totpdevice/",
             f"/admin/otp_static/staticdevice/{static.pk}/change/"]
    for url in pages:
        page = admin.get(url)
        assert page.status_code == 200, url
        html = page.content.decode()
        assert device.key not in html and "qrcode" not in html, url
        assert not any(code in html for code in codes), url
    for url in (f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/",
                f"/admin/otp_totp/totpdevice/{device.pk}/config/"):
        assert admin.get(url).status_code == 403, url
    assert admin.get("/admin/otp_totp/totpdevice/add/").status_code == 403
    assert admin.get("/admin/otp_static/staticdevice/add/").status_code == 403
    moved = admin.post(f"/admin/otp_totp/totpdevice/{device.pk}/change/",
                       {"user": root.pk, "name": "x", "confirmed": "on", "key": "00" * 20,
                        "step": 30, "t0": 0, "digits": 6, "tolerance": 1})
    assert moved.status_code == 403
    device.refresh_from_db()
    assert device.user == head and device.key != "00" * 20


def test_the_page_asked_for_comes_back_whole_through_the_setup(unit):
    """A head without an authenticator, sent to the code's page from a page with its own query,
    is sent on to the set-up with that page whole — not cut at its "&"."""
    _staff(unit, "lanhdao", Role.HEAD)
    browser = Client()
    _sign_in(browser, "lanhdao")
    wanted = "/ho-so/?trang-thai=received&page=2"
    answer = browser.get("/tai-khoan/xac-thuc-hai-buoc/", {"next": wanted})
    assert answer.status_code == 302
    query = parse_qs(urlparse(answer["Location"]).query)
    assert urlparse(answer["Location"]).path == "/tai-khoan/xac-thuc-hai-buoc/thiet-lap/"
    assert query == {"next": [wanted]}
