"""The profile page, its personal-ID checks, and the pre-fill the dossier form reads."""

from datetime import date

import pytest

from accounts.models import User
from accounts.selectors import applicant_prefill
from accounts.services import profile_update
from motcua.errors import DomainError


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


def test_profile_saves_and_prefills_the_applicant(client, citizen):
    client.force_login(citizen)
    r = _post(client, personal_id="079195000123", birth_date="1995-03-12",
              address="12 Lê Lợi, phường Bến Thành, TP. Hồ Chí Minh", phone="+84 912 345 678",
              email="An@Example.vn")
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
