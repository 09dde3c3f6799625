"""National mode's receiving endpoints, in process: validation, idempotency, order, lookup."""

import hashlib
import json

import pytest
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from accounts.models import User
from sync.models import InstallationSession, NationalDossier, NationalProgress
from sync.national import installation_save

URL = "/api/v1/cong-quoc-gia/"


def record(code="000.00.12.H99-260302-0001", status="2", version=1, **extra):
    return {"MaHoSo": code, "MaTTHC": "1.000001", "TrangThaiHoSo": status, "KenhThucHien": "1",
            "NgayNopHoSo": "20260302090000", "NgayTiepNhan": "20260302090000",
            "PhienBan": version, **extra}


def history(code="000.00.12.H99-260302-0001", status="2"):
    return {"MaHoSo": code, "TrangThai": status, "ThoiDiemXuLy": "20260302090000",
            "NoiDungXuLy": "Tiếp nhận hồ sơ", "NguoiXuLy": "Cán bộ"}


@pytest.fixture
def national(db, settings):
    settings.MOTCUA_MODE = "national"
    installation_save(unit_code="000.00.00.H99", name="Tỉnh thử", username="tinh",
                      password="mat-khau", province_code=99)
    installation_save(unit_code="000.00.00.H98", name="Tỉnh khác", username="tinh2",
                      password="mat-khau", province_code=98)
    client = Client()

    def post(path, body, *, key="", raw=None):
        response = client.post(URL + path, data=raw if raw is not None else json.dumps(body),
                               content_type="application/json",
                               headers={"Idempotency-Key": key} if key else {})
        assert response.status_code == 200, response.content
        return response.json()

    def session(username="tinh"):
        answer = post("token/", {"username": username, "password": "mat-khau"})
        assert answer["error_code"] == "0"
        return answer["session"]

    def send(data, *, service="DongBoHoSoMC", updating=True, key="", unit="000.00.00.H99",
             token=None):
        body = {"session": token or session(), "madonvi": unit, "service": service,
                "isUpdating": str(updating), "data": data}
        return post("dich-vu/", body, key=key)

    class National:
        pass

    n = National()
    n.post, n.session, n.send, n.client = post, session, send, client
    return n


def test_outside_national_mode_the_endpoints_do_not_exist(db, settings):
    settings.MOTCUA_MODE = "province"
    assert Client().post(URL + "token/", "{}", content_type="application/json").status_code == 404


@pytest.mark.parametrize("raw,expected", [
    ("{not json", "JSON"),
    ("[1, 2]", "đối tượng"),
    ("\"text\"", "đối tượng"),
])
def test_unreadable_bodies_are_clear_errors_not_crashes(national, raw, expected):
    answer = national.post("dich-vu/", None, raw=raw)
    assert answer["error_code"] != "0" and expected in answer["message"]


@pytest.mark.parametrize("change,expected", [
    ({"session": "sai"}, "Phiên làm việc"),
    ({"madonvi": "000.00.00.H98"}, "madonvi"),
    ({"service": "XoaHoSo"}, "service"),
    ({"data": []}, "data"),
    ({"data": "x"}, "data"),
    ({"data": [record(status="11")]}, "TrangThaiHoSo"),
    ({"data": [record(NgayNopHoSo="02/03/2026")]}, "NgayNopHoSo"),
    ({"data": [record(NgayTiepNhan="20261399000000")]}, "NgayTiepNhan"),
    ({"data": [record(PhienBan="ba")]}, "PhienBan"),
    ({"data": [record(MaHoSo=None)]}, "MaHoSo"),
    ({"data": [7]}, "đối tượng"),
    ({"service": "CapNhatTienDoHoSoMC", "data": [history(status="0")]}, "TrangThai"),
    # JSON may say "\u0000"; no PostgreSQL text column can hold it (found by the test below).
    ({"data": [record(MaTTHC={"\x00": None})]}, "NUL"),
    ({"data": [record(ChuHoSo="Nguyễn\x00Văn")]}, "NUL"),
])
def test_bad_payloads_are_refused_with_the_field_named(national, change, expected):
    body = {"session": national.session(), "madonvi": "000.00.00.H99",
            "service": "DongBoHoSoMC", "isUpdating": "False", "data": [record()]} | change
    answer = national.post("dich-vu/", body)
    assert answer["error_code"] != "0"
    assert expected in answer["message"]
    assert not NationalDossier.objects.exists()


def test_wrong_password_gets_no_session(national):
    answer = national.post("token/", {"username": "tinh", "password": "sai"})
    assert answer["error_code"] == "-1" and "session" not in answer


def test_the_session_table_keeps_no_token_that_opens_a_session(national):
    token = national.session()
    kept = InstallationSession.objects.get().digest
    assert token not in kept and kept == hashlib.sha256(token.encode()).hexdigest()
    # A copy of the table (a backup, a read of the database) is no session.
    answer = national.send([record()], updating=False, token=kept)
    assert answer["error_code"] == "-1" and not NationalDossier.objects.exists()
    assert national.send([record()], updating=False, token=token)["error_code"] == "0"


def test_create_twice_answers_already_exists_and_update_applies(national):
    assert national.send([record()], updating=False)["error_code"] == "0"
    answer = national.send([record(status="4", version=2)], updating=False)
    assert answer["error_code"] == "-3" and "đã tồn tại" in answer["message"]
    assert national.send([record(status="4", version=2)])["error_code"] == "0"
    assert NationalDossier.objects.get().status == 4


def test_a_late_or_replayed_snapshot_never_moves_a_dossier_backwards(national):
    national.send([record(status="4", version=5)])
    assert national.send([record(status="2", version=3)])["error_code"] == "0"
    assert national.send([record(status="4", version=5)])["error_code"] == "0"
    stored = NationalDossier.objects.get()
    assert (stored.status, stored.version, stored.applied) == (4, 5, 1)


def test_the_same_idempotency_key_is_applied_once(national):
    token = national.session()
    for _ in range(3):
        assert national.send([history()], service="CapNhatTienDoHoSoMC", key="k:2",
                             token=token)["error_code"] == "0"
    national.send([history()], service="CapNhatTienDoHoSoMC", key="k:3", token=token)
    assert NationalProgress.objects.count() == 1


def test_another_province_cannot_overwrite_or_see_a_dossier(national):
    national.send([record()])
    answer = national.send([record(status="10", version=9)], unit="000.00.00.H98",
                           token=national.session("tinh2"))
    assert answer["error_code"] != "0" and "đơn vị khác" in answer["message"]
    lookup = national.post("tra-cuu/", {"session": national.session("tinh2"),
                                        "MaHoSo": [record()["MaHoSo"]]})
    assert lookup == {"error_code": "0", "message": "Thành công", "data": []}


def test_staff_see_the_nationwide_lookup_and_counts_per_province(national):
    national.send([record(), record(code="000.00.12.H99-260302-0002", status="4")])
    admin = User.objects.create_user("quocgia", password="x-Test-2026", is_staff=True)
    national.client.force_login(admin)
    counts = national.client.get(URL + "thong-ke/").json()["results"]
    assert counts == [{"madonvi": "000.00.00.H99", "ten": "Tỉnh thử", "ma_tinh": 99, "tong": 2,
                       "theo_trang_thai": {"2": 1, "4": 1}}]
    rows = national.client.get(URL + "ho-so/", {"ma_tinh": 99}).json()["results"]
    assert [r["TrangThaiHoSo"] for r in rows] == ["2", "4"]


def test_switches_need_the_setting_and_its_secret(national, settings):
    settings.MOTCUA_NATIONAL_TEST_SWITCHES = ""
    assert national.client.get(URL + "dieu-khien/").status_code == 404
    settings.MOTCUA_NATIONAL_TEST_SWITCHES = "bi-mat"
    assert national.client.get(URL + "dieu-khien/",
                               headers={"X-Motcua-Switches": "sai"}).status_code == 404
    assert national.client.get(URL + "dieu-khien/",
                               headers={"X-Motcua-Switches": "bi-mat"}).status_code == 200


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=12)
FIELDS = st.sampled_from(["MaHoSo", "MaTTHC", "TrangThaiHoSo", "KenhThucHien", "NgayNopHoSo",
                          "NgayTiepNhan", "PhienBan", "HoSoCoThanhPhanSoHoa", "TrangThai",
                          "ThoiDiemXuLy", "NoiDungXuLy"])


@hypothesis_settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(service=st.sampled_from(["DongBoHoSoMC", "CapNhatTienDoHoSoMC"]),
       changes=st.dictionaries(FIELDS, JSON, max_size=4), envelope=JSON)
def test_no_payload_makes_the_server_fail(national, service, changes, envelope):
    token = national.session()
    base = record() if service == "DongBoHoSoMC" else history()
    body = {"session": token, "madonvi": "000.00.00.H99", "service": service,
            "data": [base | changes]}
    answer = national.send([base | changes], service=service, token=token)
    assert answer["error_code"] in {"0", "-2", "-3"}
    assert national.post("dich-vu/", envelope)["error_code"] != "0"
    assert national.post("dich-vu/", body | {"data": envelope})["error_code"] in {"0", "-2"}


def test_one_key_per_record_and_only_new_keys_are_applied(national):
    token = national.session()
    a, b = history(), history(status="4")
    assert national.send([a], service="CapNhatTienDoHoSoMC", key="d:2",
                         token=token)["error_code"] == "0"
    assert national.send([a, b], service="CapNhatTienDoHoSoMC", key="d:2,d:4",
                         token=token)["error_code"] == "0"
    assert NationalProgress.objects.count() == 2
    for bad in ("d:6", "d:6,d:6", "d:6,"):
        answer = national.send([a, b], service="CapNhatTienDoHoSoMC", key=bad, token=token)
        assert answer["error_code"] == "-2" and "Idempotency-Key" in answer["message"]


def test_another_province_cannot_write_or_read_a_dossiers_progress(national):
    # audit5: the progress rows (CapNhatTienDoHoSoMC) were stored for any code and listed by
    # code alone, so one province wrote history into another's dossier and read its history.
    national.send([record()])
    national.send([history()], service="CapNhatTienDoHoSoMC")
    forged = history(status="10") | {"NoiDungXuLy": "Đã trả kết quả (giả)"}
    answer = national.send([forged], service="CapNhatTienDoHoSoMC", unit="000.00.00.H98",
                           token=national.session("tinh2"))
    assert answer["error_code"] != "0" and "đơn vị khác" in answer["message"]
    assert NationalProgress.objects.count() == 1
    # A history row sent before the dossier's snapshot, by another province, is its own only.
    early = "000.00.12.H99-260302-0002"
    national.send([history(code=early, status="4")], service="CapNhatTienDoHoSoMC",
                  unit="000.00.00.H98", token=national.session("tinh2"))
    national.send([record(code=early)])
    lookup = national.post("tra-cuu/", {"session": national.session(),
                                        "MaHoSo": [record()["MaHoSo"], early]})
    assert [(r["MaHoSo"], [p["TrangThai"] for p in r["TienDo"]]) for r in lookup["data"]] == [
        (record()["MaHoSo"], ["2"]), (early, [])]


def test_another_provinces_identical_row_does_not_shadow_the_owners(national):
    """audit6: progress rows were unique per (code, content). A row another province sent
    for a code before its owner's snapshot, with exactly the content the owner then sent (same
    time, step, officer), made the owner's own row a "repeat": dropped, while the lookup lists
    only the owner's rows — the owner's history lost it. Rows are now once per province."""
    code = "000.00.12.H99-260302-0003"
    row = history(code=code, status="4")
    answer = national.send([row], service="CapNhatTienDoHoSoMC", unit="000.00.00.H98",
                           token=national.session("tinh2"))
    assert answer["error_code"] == "0"
    national.send([record(code=code, status="4")])
    assert national.send([row], service="CapNhatTienDoHoSoMC")["error_code"] == "0"
    lookup = national.post("tra-cuu/", {"session": national.session(), "MaHoSo": [code]})
    assert [p["TrangThai"] for p in lookup["data"][0]["TienDo"]] == ["4"]
    # Each province's row once: the owner's repeat is still a repeat.
    national.send([row], service="CapNhatTienDoHoSoMC")
    assert sorted(NationalProgress.objects.filter(code=code)
                  .values_list("installation__unit_code", flat=True)) == [
        "000.00.00.H98", "000.00.00.H99"]


def test_an_installations_log_in_is_locked_after_wrong_passwords(national, settings):
    """audit10: the national side's `token/` took any number of passwords for an installation.
    As the province side's log-in (django-axes), the pair of installation and address is refused
    after AXES_FAILURE_LIMIT wrong ones, the right password too, with a Vietnamese message; the
    other installation, and the same one from another address, are not."""
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        wrong = national.post("token/", {"username": "tinh", "password": "sai"})
        assert wrong["error_code"] == "-1"
    # The third is answered in the protocol's JSON, saying the log-in is now locked.
    third = national.post("token/", {"username": "tinh", "password": "sai"})
    assert third["error_code"] == "-1" and "tạm thời bị khóa" in third["message"]
    locked = national.post("token/", {"username": "tinh", "password": "mat-khau"})
    assert locked["error_code"] == "-1" and "session" not in locked
    assert "tạm thời bị khóa" in locked["message"] and "15 phút" in locked["message"]
    assert national.session("tinh2")
    elsewhere = Client(REMOTE_ADDR="10.0.0.9").post(
        URL + "token/", json.dumps({"username": "tinh", "password": "mat-khau"}),
        content_type="application/json").json()
    assert elsewhere["error_code"] == "0"
    # An account named like the installation keeps its own count (the prefix).
    from axes.models import AccessAttempt

    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"cong-quoc-gia:tinh"}
    # A username past any installation's length is counted under its first 100 characters
    # (PostgreSQL refused axes' row past 255: a 500).
    long = national.post("token/", {"username": "x" * 5000, "password": "sai"})
    assert long["error_code"] == "-1"
    assert AccessAttempt.objects.filter(username="cong-quoc-gia:" + "x" * 100).exists()


def test_a_right_password_starts_the_count_again(national, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        national.post("token/", {"username": "tinh", "password": "sai"})
    assert national.session("tinh")
    for _ in range(2):
        national.post("token/", {"username": "tinh", "password": "sai"})
    assert national.session("tinh")
    # Three in a row still lock it.
    for _ in range(3):
        national.post("token/", {"username": "tinh", "password": "sai"})
    assert "session" not in national.post("token/", {"username": "tinh", "password": "mat-khau"})


class _CountingHasher:
    """Django's MD5 hasher, counting the hashes it computes."""

    runs = 0

    def __new__(cls):
        from django.contrib.auth.hashers import MD5PasswordHasher

        class Counting(MD5PasswordHasher):
            algorithm = "md5"

            def encode(self, password, salt):
                _CountingHasher.runs += 1
                return super().encode(password, salt)

        return Counting()


def test_an_unknown_username_costs_a_hash_as_a_wrong_password_does(national, monkeypatch):
    """audit10: a username no installation has answered before any hash was computed, so the
    time of the answer told which usernames exist."""
    from django.contrib.auth import hashers

    monkeypatch.setattr(hashers, "get_hasher", lambda algorithm="default": _CountingHasher())
    monkeypatch.setattr(hashers, "identify_hasher", lambda encoded: _CountingHasher())
    _CountingHasher.runs = 0
    national.post("token/", {"username": "khong-co", "password": "sai"})
    unknown = _CountingHasher.runs
    _CountingHasher.runs = 0
    national.post("token/", {"username": "tinh", "password": "sai"})
    assert unknown == _CountingHasher.runs >= 1


def test_a_form_posted_to_the_portal_is_refused_not_a_server_error(national):
    """audit10: a multipart body, parsed (and its stream spent) by the NUL check before the
    view, made reading the JSON a 500."""
    for path in ("token/", "dich-vu/", "tra-cuu/"):
        answer = national.client.post(URL + path, {"username": "tinh", "password": "mat-khau"})
        assert answer.status_code == 200, path
        assert answer.json()["error_code"] == "-2" and "JSON" in answer.json()["message"]
