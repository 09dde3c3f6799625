"""sync/portal_format.py: the portal's field names, dates, status codes and flags."""

from sync.portal_format import (
    dossier_record,
    dossier_record_errors,
    portal_date,
    progress_record,
    progress_record_errors,
)
from sync.tests.conftest import at

DOMAIN_FIELDS = """MaHoSo MaTTHC TenTTHC MaLinhVuc TenLinhVuc KenhThucHien ChuHoSo LoaiDoiTuong
SoGiayToChuHoSo DinhDanhCHS Email SoDienThoai TrichYeuHoSo NgayNopHoSo NgayTiepNhan NgayHenTra
NgayTra NgayKetThucXuLy NgayTuChoi TrangThaiHoSo DonViXuLy NoiNopHoSo HoSoCoThanhPhanSoHoa
TaiKhoanDuocXacThucVoiVNeID DuocThanhToanTrucTuyen TaiLieuNop DanhSachLePhi DanhSachHoSoBoSung
DanhSachGiayToKetQua""".split()
HISTORY_FIELDS = """MaHoSo NguoiXuLy ChucDanh ThoiDiemXuLy PhongBanXuLy NoiDungXuLy TrangThai
NgayBatDau NgayKetThucTheoQuyDinh""".split()


def test_dates_are_vietnam_time_in_portal_format():
    from datetime import UTC, datetime

    assert portal_date(datetime(2026, 3, 5, 1, 30, tzinfo=UTC)) == "20260305083000"
    assert portal_date(None) == ""


def test_dates_are_written_as_strftime_writes_them_without_calling_it():
    """portal_date formats the numbers itself (issue #18: strftime cost a fifth of each
    action's portal snapshot), byte for byte what DATE_FORMAT gives, the year unpadded as
    glibc's %Y writes it."""
    import random
    from datetime import UTC, datetime, timedelta

    from sync.portal_format import DATE_FORMAT, PORTAL_TZ

    class NoStrftime(datetime):
        def strftime(self, fmt):
            raise AssertionError("portal_date called strftime")

    assert portal_date(NoStrftime(2026, 12, 31, 17, 0, 5, tzinfo=UTC)) == "20270101000005"
    draw = random.Random(18)
    start = datetime(1990, 1, 1, tzinfo=UTC)
    for _ in range(2000):
        value = start + timedelta(seconds=draw.randrange(2 * 10**9),
                                  microseconds=draw.randrange(10**6))
        assert portal_date(value) == value.astimezone(PORTAL_TZ).strftime(DATE_FORMAT)
    early = datetime(999, 3, 1, 12, tzinfo=PORTAL_TZ)
    assert portal_date(early) == early.strftime(DATE_FORMAT)


def test_dossier_record_has_the_portal_fields_and_is_valid(make_dossier):
    dossier = make_dossier(when="2026-03-02 09:00")
    record = dossier_record(dossier, version=3)
    assert set(DOMAIN_FIELDS) <= set(record)
    assert record["TrangThaiHoSo"] == "2"
    assert record["NgayNopHoSo"] == "20260302090000"
    assert record["KenhThucHien"] == "1" and record["NoiNopHoSo"] == "1"
    assert record["DinhDanhCHS"] == [{"LoaiDinhDanh": "1", "SoDinhDanh": "056185004321"}]
    assert record["HoSoCoThanhPhanSoHoa"] in {"0", "1"}
    assert len(record["TaiLieuNop"]) == 2
    assert record["PhienBan"] == 3
    assert dossier_record_errors(record) == []


def test_progress_record_has_the_portal_fields_and_is_valid(make_dossier):
    dossier = make_dossier(when="2026-03-02 09:00")
    event = dossier.events.get(action="accept")
    row = progress_record(event, dossier)
    assert set(HISTORY_FIELDS) == set(row)
    assert row["TrangThai"] == "2" and row["ThoiDiemXuLy"] == "20260302090000"
    assert row["NoiDungXuLy"] == "Tiếp nhận hồ sơ"
    assert progress_record_errors(row) == []



def test_validation_names_each_bad_field():
    errors = dossier_record_errors({"MaHoSo": "X", "MaTTHC": "1", "TrangThaiHoSo": "11",
                                    "KenhThucHien": "9", "NgayNopHoSo": "2026-03-02",
                                    "DuocThanhToanTrucTuyen": "yes"})
    text = " ".join(errors)
    for name in ("TrangThaiHoSo", "KenhThucHien", "NgayNopHoSo", "DuocThanhToanTrucTuyen"):
        assert name in text
    assert progress_record_errors("x") and progress_record_errors({"MaHoSo": ""})
    assert at  # the shared helper is importable here


def test_vneid_flag_is_vneids_verification_not_a_typed_number(make_dossier):
    # Issue #17: an account holding a typed personal ID was reported as verified by VNeID.
    from accounts.models import User
    from accounts.services.identity import identity_prove_vneid

    dossier = make_dossier(when="2026-03-02 09:00")
    dossier.applicant_user = User.objects.create_user(
        username="go.tay@example.vn", password="x-Test-2026", personal_id="056185004321")
    assert dossier_record(dossier, version=1)["TaiKhoanDuocXacThucVoiVNeID"] == "0"
    identity_prove_vneid(user=dossier.applicant_user, personal_id="056185004321")
    dossier.applicant_user.vneid_verified = True
    assert dossier_record(dossier, version=1)["TaiKhoanDuocXacThucVoiVNeID"] == "1"


def test_progress_labels_are_translated_once_per_action(make_dossier, monkeypatch):
    """The action's label is made a string once per worker, not on every change (issue #18),
    and in Vietnamese whatever the request's language (the portal's record is Vietnamese)."""
    from django.utils import translation

    import sync.portal_format as portal_format

    dossier = make_dossier(when="2026-03-02 09:00")
    event = dossier.events.get(action="accept")
    looked_up: list[str] = []
    real = portal_format.transition
    monkeypatch.setattr(portal_format, "transition",
                        lambda action: looked_up.append(action) or real(action))
    monkeypatch.setattr(portal_format, "_LABELS", {})
    with translation.override("vi"):
        rows = [progress_record(event, dossier) for _ in range(3)]
    with translation.override("en"):
        english = progress_record(event, dossier)
    assert {r["NoiDungXuLy"] for r in rows} == {"Tiếp nhận hồ sơ"}
    assert english["NoiDungXuLy"] == "Tiếp nhận hồ sơ"
    assert looked_up == ["accept"]
