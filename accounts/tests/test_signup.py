"""Self sign-up with an e-mail or a phone, the verification code, then logging in."""

import logging
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import User, VerificationCode
from accounts.services import account_signup, verification_confirm, verification_issue
from motcua.errors import DomainError

PASSWORD = "Mot-cua-2026!"


def _signup(client, **fields):
    data = {"kind": "citizen", "identifier": "an.nguyen@example.vn", "full_name": "Nguyễn Văn An",
            "personal_id": "", "organization_name": "", "tax_code": "",
            "password": PASSWORD, "password2": PASSWORD} | fields
    return client.post("/tai-khoan/dang-ky/", data)


def _code_from(text: str) -> str:
    return re.search(r"\b(\d{6})\b", text).group(1)


def _wrong_code(user: User) -> str:
    """A code that is not the one waiting: the sent code is random, so a fixed "000000" is the
    right one once in a million runs and the "wrong" try then succeeds."""
    from accounts.services.verification import _hash

    waiting = VerificationCode.objects.filter(user=user).first().code_hash
    return next(c for c in ("000000", "111111") if _hash(user, c) != waiting)


@pytest.mark.django_db
def test_email_signup_verify_and_login(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        r = _signup(client, personal_id="079195000123")
    assert r.status_code == 302 and r["Location"] == "/tai-khoan/xac-minh/"
    user = User.objects.get(username="an.nguyen@example.vn")
    assert user.awaiting_verification and user.kind == User.Kind.CITIZEN
    assert user.email == "an.nguyen@example.vn" and user.personal_id == "079195000123"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["an.nguyen@example.vn"]
    assert "Mã xác minh" in mail.outbox[0].body
    code = _code_from(mail.outbox[0].body)
    # Not logged in before the code is entered.
    assert "_auth_user_id" not in client.session

    r = client.post("/tai-khoan/xac-minh/", {"code": code})
    assert r.status_code == 302 and r["Location"] == "/tai-khoan/thong-tin-ca-nhan/"
    user.refresh_from_db()
    assert not user.awaiting_verification
    assert int(client.session["_auth_user_id"]) == user.pk
    assert VerificationCode.objects.get(user=user).used_at is not None

    client.post("/tai-khoan/dang-xuat/")
    r = client.post("/tai-khoan/dang-nhap/", {"username": "An.Nguyen@Example.vn",
                                              "password": PASSWORD})
    assert r.status_code == 302 and r["Location"] == "/tai-khoan/thong-tin-ca-nhan/"
    assert int(client.session["_auth_user_id"]) == user.pk


@pytest.mark.django_db
def test_phone_signup_code_goes_to_the_log_channel(client, settings, caplog,
                                                   django_capture_on_commit_callbacks):
    settings.MOTCUA_SMS_URL = ""  # no gateway: the code is logged (DEBUG only)
    settings.DEBUG = True
    with caplog.at_level(logging.WARNING, logger="motcua.accounts.sms"), \
            django_capture_on_commit_callbacks(execute=True):
        r = _signup(client, identifier="+84 912 345 678")
    assert r.status_code == 302
    user = User.objects.get(username="0912345678")
    assert user.phone == "0912345678" and user.email == ""
    assert mail.outbox == []
    record = next(r for r in caplog.records if r.name == "motcua.accounts.sms")
    assert "0912345678" in record.getMessage()
    code = _code_from(record.getMessage().split(":", 1)[1])
    assert client.post("/tai-khoan/xac-minh/", {"code": code}).status_code == 302
    client.post("/tai-khoan/dang-xuat/")
    # Logs in with the number written another way.
    r = client.post("/tai-khoan/dang-nhap/", {"username": "84912345678", "password": PASSWORD})
    assert r.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


@pytest.mark.django_db
def test_business_signup_checks_the_enterprise_code(client):
    r = _signup(client, kind="business", organization_name="Công ty TNHH Một Cửa",
                tax_code="0100109105")
    assert r.status_code == 422
    assert "Mã số doanh nghiệp (mã số thuế) không hợp lệ" in r.content.decode()
    r = _signup(client, kind="business", organization_name="Công ty TNHH Một Cửa",
                tax_code="0100109106")
    assert r.status_code == 302
    user = User.objects.get(username="an.nguyen@example.vn")
    assert user.kind == User.Kind.BUSINESS and user.tax_code == "0100109106"


@pytest.mark.django_db
def test_signup_refuses_bad_identifier_weak_password_and_duplicates(client):
    r = _signup(client, identifier="0123")
    assert r.status_code == 422 and "số điện thoại di động" in r.content.decode()
    r = _signup(client, password="123", password2="123")
    assert r.status_code == 422
    assert User.objects.count() == 0
    assert _signup(client).status_code == 302
    r = _signup(client)
    assert r.status_code == 422 and "đã được dùng cho một tài khoản khác" in r.content.decode()
    r = _signup(client, password2="khac-han-2026")
    assert "Hai mật khẩu không khớp." in r.content.decode()


@pytest.mark.django_db
def test_abandoned_signup_frees_its_identifier():
    old = account_signup(kind="citizen", identifier="0987654321", password=PASSWORD,
                         full_name="Người Bỏ Dở")
    User.objects.filter(pk=old.pk).update(date_joined=timezone.now() - timedelta(days=2))
    new = account_signup(kind="citizen", identifier="0987654321", password=PASSWORD,
                         full_name="Chủ Thật")
    assert new.pk != old.pk and not User.objects.filter(pk=old.pk).exists()


@pytest.mark.django_db
def test_wrong_expired_and_exhausted_codes(settings):
    settings.MOTCUA_VERIFICATION_MAX_ATTEMPTS = 3
    user = account_signup(kind="citizen", identifier="binh@example.vn", password=PASSWORD,
                          full_name="Trần Thị Bình")
    wrong = _wrong_code(user)
    with pytest.raises(DomainError, match="còn 2 lần thử"):
        verification_confirm(user=user, code=wrong)
    for _ in range(2):
        with pytest.raises(DomainError):
            verification_confirm(user=user, code=wrong)
    # The wrong tries were recorded even though each one raised.
    assert VerificationCode.objects.get(user=user).attempts == 3
    with pytest.raises(DomainError, match="quá số lần"):
        verification_confirm(user=user, code=wrong)
    # A new code may not be asked for within the minute…
    with pytest.raises(DomainError, match="chờ một phút"):
        verification_issue(user=user)
    VerificationCode.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    verification_issue(user=user)
    # …and only the newest code is valid; an expired one is refused.
    assert VerificationCode.objects.filter(user=user, expires_at__gt=timezone.now()).count() == 1
    VerificationCode.objects.update(expires_at=timezone.now())
    with pytest.raises(DomainError, match="hết hạn"):
        verification_confirm(user=user, code="123456")
    user.refresh_from_db()
    assert user.awaiting_verification


@pytest.mark.django_db
def test_unverified_account_is_sent_to_verification_on_login(client,
                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = account_signup(kind="citizen", identifier="cuong@example.vn", password=PASSWORD,
                              full_name="Lê Văn Cường")
    VerificationCode.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/tai-khoan/dang-nhap/", {"username": "cuong@example.vn",
                                                  "password": PASSWORD})
    assert r.status_code == 302 and r["Location"] == "/tai-khoan/xac-minh/"
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 2  # a fresh code was sent
    assert client.post("/tai-khoan/xac-minh/",
                       {"code": _code_from(mail.outbox[0].body)}).status_code == 422
    r = client.post("/tai-khoan/xac-minh/", {"code": _code_from(mail.outbox[1].body)})
    assert r.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


@pytest.mark.django_db
def test_login_page_links_to_vneid_and_signup(client):
    html = client.get("/tai-khoan/dang-nhap/").content.decode()
    assert "Đăng nhập bằng VNeID" in html and 'href="/oidc/authenticate/' in html
    assert "Đăng ký tài khoản" in html and 'href="/tai-khoan/dang-ky/"' in html
