"""The profile page, its personal-ID checks, and the pre-fill the dossier form reads."""

import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import User, VerificationCode
from accounts.selectors import applicant_prefill
from accounts.services import profile_update
from motcua.errors import DomainError

sent: list[tuple[str, str]] = []


def sms_sender(phone: str, text: str) -> None:
    """MOTCUA_ACCOUNTS_SMS_SENDER for these tests: what a real SMS gateway would be given."""
    sent.append((phone, text))


@pytest.fixture(autouse=True)
def sms(settings):
    settings.MOTCUA_ACCOUNTS_SMS_SENDER = f"{__name__}.sms_sender"
    sent.clear()
    return sent


def _code(text: str) -> str:
    return re.search(r"\b(\d{6})\b", text).group(1)


@pytest.fixture
def citizen(db):
    return User.objects.create_user(username="an@example.vn", password="x-Test-2026",
                                    full_name="Nguyễn Văn An", kind=User.Kind.CITIZEN)


def _post(client, **fields):
    data = {"full_name": "Nguyễn Văn An", "personal_id": "", "birth_date": "", "address": "",
            "phone": "", "email": ""} | fields
    return client.post("/tai-khoan/thong-tin-ca-nhan/", data)


@pytest.mark.parametrize(("number", "message"), [
    ("07919500012", "phải gồm đúng 12 chữ số"),
    ("07919500012a", "phải gồm đúng 12 chữ số"),
    ("099195000123", "Mã tỉnh nơi đăng ký khai sinh 099 không tồn tại"),
    ("000195000123", "Mã tỉnh nơi đăng ký khai sinh 000 không tồn tại"),
    ("079399000123", "Năm sinh 2099 suy ra từ số định danh ở tương lai"),
])
def test_profile_shows_the_personal_id_problem_in_vietnamese(client, citizen, number, message):
    client.force_login(citizen)
    r = _post(client, personal_id=number)
    assert r.status_code == 422
    assert message in r.content.decode()
    citizen.refresh_from_db()
    assert citizen.personal_id is None


def test_birth_date_must_match_the_personal_id(citizen):
    with pytest.raises(DomainError, match="Năm sinh 1996 không khớp") as e:
        profile_update(user=citizen, full_name="An", personal_id="079195000123",
                       birth_date=date(1996, 1, 1))
    assert e.value.fields == {"birth_date": [e.value.message]}
    with pytest.raises(DomainError, match="tương lai"):
        profile_update(user=citizen, full_name="An", birth_date=date(2030, 1, 1),
                       today=date(2026, 12, 1))


def test_personal_id_is_unique_across_accounts(client, citizen):
    User.objects.create_user(username="khac", personal_id="079195000123")
    client.force_login(citizen)
    r = _post(client, personal_id="079195000123")
    assert r.status_code == 422 and "đã gắn với một tài khoản khác" in r.content.decode()


def test_profile_saves_and_prefills_the_applicant(client, citizen,
                                                 django_capture_on_commit_callbacks):
    client.force_login(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        r = _post(client, personal_id="079195000123", birth_date="1995-03-12",
                  address="12 Lê Lợi, phường Bến Thành, TP. Hồ Chí Minh",
                  phone="+84 912 345 678", email="An@Example.vn")
    assert r.status_code == 302
    citizen.refresh_from_db()
    # The e-mail is the one the account logs in with: used at once. The new phone waits for the
    # code sent to it.
    assert citizen.email == "an@example.vn" and citizen.phone == ""
    assert [phone for phone, _ in sent] == ["0912345678"]
    page = client.get("/tai-khoan/thong-tin-ca-nhan/").content.decode()
    assert "Mã xác minh đã gửi tới 0912345678" in page
    r = client.post("/tai-khoan/thong-tin-ca-nhan/xac-minh-lien-he/",
                    {"purpose": "contact_phone", "code": _code(sent[0][1])})
    assert r.status_code == 302
    citizen.refresh_from_db()
    assert applicant_prefill(citizen) == {
        "kind": 1, "name": "Nguyễn Văn An", "id_number": "079195000123",
        "address": "12 Lê Lợi, phường Bến Thành, TP. Hồ Chí Minh", "phone": "0912345678",
        "email": "an@example.vn", "birth_date": date(1995, 3, 12)}
    page = client.get("/tai-khoan/thong-tin-ca-nhan/").content.decode()
    assert "079195000123" in page and "Chưa xác thực" in page


def test_bad_phone_is_refused(client, citizen):
    client.force_login(citizen)
    r = _post(client, phone="12345")
    assert r.status_code == 422 and "Số điện thoại di động phải gồm 10 chữ số" in r.content.decode()


def test_business_prefill_uses_the_enterprise(db):
    user = User.objects.create_user(username="dn@example.vn", kind=User.Kind.BUSINESS,
                                    full_name="Phạm Minh Đức",
                                    organization_name="Công ty TNHH Một Cửa",
                                    tax_code="0100109106", phone="0912000123")
    data = applicant_prefill(user)
    assert data["kind"] == 2 and data["name"] == "Công ty TNHH Một Cửa"
    assert data["id_number"] == "0100109106" and data["phone"] == "0912000123"


def test_vneid_verified_fields_cannot_be_changed(client, citizen):
    citizen.personal_id, citizen.vneid_verified = "079195000123", True
    citizen.birth_date = date(1995, 3, 12)
    citizen.save()
    client.force_login(citizen)
    r = _post(client, full_name="Tên Khác", personal_id="001088004567", birth_date="1988-01-01",
              address="Hà Nội")
    assert r.status_code == 302
    citizen.refresh_from_db()
    assert (citizen.full_name, citizen.personal_id) == ("Nguyễn Văn An", "079195000123")
    assert citizen.birth_date == date(1995, 3, 12) and citizen.address == "Hà Nội"


def test_profile_needs_login(client):
    r = client.get("/tai-khoan/thong-tin-ca-nhan/")
    assert r.status_code == 302 and r["Location"].startswith("/tai-khoan/dang-nhap/")


def test_a_new_phone_or_email_is_used_only_after_its_code(client, citizen,
                                                          django_capture_on_commit_callbacks):
    User.objects.filter(pk=citizen.pk).update(phone="0912345678", email="an@example.vn")
    citizen.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        saved = profile_update(user=citizen, full_name="Nguyễn Văn An", phone="0987 654 321",
                               email="an.moi@example.vn", address="Huế")
    assert saved.waiting == {"phone": "0987654321", "email": "an.moi@example.vn"}
    citizen.refresh_from_db()
    # The rest is saved; the contacts stay what they were until each code is entered.
    assert (citizen.address, citizen.phone, citizen.email) == ("Huế", "0912345678",
                                                               "an@example.vn")
    assert sent[0][0] == "0987654321" and mail.outbox[0].to == ["an.moi@example.vn"]
    client.force_login(citizen)
    r = client.post("/tai-khoan/thong-tin-ca-nhan/xac-minh-lien-he/",
                    # Not the phone's code, which is random: "000000" is it once in a million.
                    {"purpose": "contact_phone",
                     "code": "000000" if _code(sent[0][1]) != "000000" else "111111"},
                    follow=True)
    assert "Mã xác minh không đúng" in r.content.decode()
    citizen.refresh_from_db()
    assert citizen.phone == "0912345678"
    # The e-mail's code does not confirm the phone. Both codes are random: once in a million
    # runs they are the same six digits, and then the e-mail's code is rightly the phone's too.
    if _code(mail.outbox[0].body) != _code(sent[0][1]):
        r = client.post("/tai-khoan/thong-tin-ca-nhan/xac-minh-lien-he/",
                        {"purpose": "contact_phone", "code": _code(mail.outbox[0].body)})
        citizen.refresh_from_db()
        assert citizen.phone == "0912345678"
    for purpose, text in (("contact_phone", sent[0][1]), ("contact_email", mail.outbox[0].body)):
        client.post("/tai-khoan/thong-tin-ca-nhan/xac-minh-lien-he/",
                    {"purpose": purpose, "code": _code(text)})
    citizen.refresh_from_db()
    assert (citizen.phone, citizen.email) == ("0987654321", "an.moi@example.vn")
    assert "Mã xác minh đã gửi" not in client.get("/tai-khoan/thong-tin-ca-nhan/").content.decode()


def test_removing_a_contact_needs_no_code_and_a_typo_can_be_retyped(
        citizen, django_capture_on_commit_callbacks):
    User.objects.filter(pk=citizen.pk).update(phone="0912345678")
    citizen.refresh_from_db()
    saved = profile_update(user=citizen, full_name="Nguyễn Văn An", phone="")
    assert saved.waiting == {} and User.objects.get(pk=citizen.pk).phone == ""
    with django_capture_on_commit_callbacks(execute=True):
        profile_update(user=citizen, full_name="Nguyễn Văn An", phone="0912345670")
    # A mistyped number, corrected at once: asking again for the same purpose within the
    # minute is refused on the field, and the first code stays the valid one.
    with pytest.raises(DomainError, match="chờ một phút") as e:
        profile_update(user=citizen, full_name="Nguyễn Văn An", phone="0912345678")
    assert "phone" in e.value.fields
    VerificationCode.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    with django_capture_on_commit_callbacks(execute=True):
        profile_update(user=citizen, full_name="Nguyễn Văn An", phone="0912345678")
    assert [phone for phone, _ in sent] == ["0912345670", "0912345678"]
    # Only the newest code counts.
    waiting = VerificationCode.objects.filter(purpose="contact_phone",
                                              expires_at__gt=timezone.now())
    assert [c.destination for c in waiting] == ["0912345678"]
