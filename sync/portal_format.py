"""The National Public Service Portal's format (domain.md §9), kept apart from our models.

Everything the portal sees passes through here: field names, `yyyyMMddHHmmss` dates in
Asia/Ho_Chi_Minh, status codes 1–10 (from `dossiers.states.portal_status`, the one mapping of our
internal states), "0"/"1" flags. The national mode validates what it receives with the same
module, so both sides agree on one reading of the format.
"""

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import override

from catalog.models import Channel
from dossiers.models import ApplicantKind, Dossier, DossierEvent, DossierPause, State
from dossiers.states import portal_status, transition
from motcua.prepared import related_rows
from payments.selectors import dossier_charged_lines

PORTAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DATE_FORMAT = "%Y%m%d%H%M%S"
_DATE_RE = re.compile(r"^\d{14}$")

# Our extension of the dossier record: the sender's per-dossier order of the snapshot. The
# national mode uses it so that a replayed or late snapshot never moves a dossier backwards;
# a portal that does not know the field ignores it.
VERSION_FIELD = "PhienBan"

# What the snapshot may find on the dossier, read with its lock (sync/outbox.py): whether it
# was paid online, whether a payment demand charged it. Absent, the snapshot reads them.
SNAPSHOT_PAID_ONLINE = "snapshot_paid_online"
SNAPSHOT_CHARGED = "snapshot_charged"

SUCCESS_CODES = frozenset({"0", "00"})
ALREADY_EXISTS = "-3"


def portal_date(value: datetime | None) -> str:
    """`value` in the portal's zone as DATE_FORMAT writes it, the numbers formatted directly:
    `strftime` goes through the C library's (a time tuple built, the format scanned and
    re-encoded), about a fifth of each action's portal snapshot, which writes eight dates
    (issue #18). The year unpadded, as glibc's `%Y` writes it."""
    if value is None:
        return ""
    t = value.astimezone(PORTAL_TZ)
    # %-formatting: an f-string's format specifiers each call format(), twice the time here.
    return "%d%02d%02d%02d%02d%02d" % (  # noqa: UP031
        t.year, t.month, t.day, t.hour, t.minute, t.second)


def parse_portal_date(value: str) -> datetime | None:
    if not value:
        return None
    return datetime.strptime(value, DATE_FORMAT).replace(tzinfo=PORTAL_TZ)


def _flag(value: bool) -> str:
    return "1" if value else "0"


def _identity_kind(dossier: Dossier) -> str:
    # LoaiDinhDanh: 1 personal ID (citizens), 2 tax code (businesses and organisations).
    return "1" if dossier.applicant_kind == ApplicantKind.CITIZEN else "2"


def _fee_lines(dossier: Dossier, begun: bool) -> list[dict[str, str]]:
    """DanhSachLePhi: what the dossier was charged — the lines of its payment demand (the
    channel's fee, an exemption, an amount the officer named) once one charges it; before that,
    the catalogue's fees for the dossier's case and channel."""
    charged = begun and dossier.__dict__.get(SNAPSHOT_CHARGED, True)
    lines = dossier_charged_lines(dossier=dossier) if charged else []
    if lines:
        return [{"TenPhiLePhi": line.name, "MaPhiLePhi": str(line.fee_id or f"L{line.pk}"),
                 "HinhThucThu": "1", "Gia": str(line.amount)} for line in lines]
    # All the variant's fees, filtered here: a filing holds them in memory already (the cached
    # reference data, dossiers/reference.py), so the snapshot costs no query.
    fees = sorted((f for f in related_rows(dossier.variant, "fees")
                   if f.channel == dossier.channel),
                  key=lambda f: f.pk)
    return [{"TenPhiLePhi": fee.name, "MaPhiLePhi": str(fee.pk), "HinhThucThu": "1",
             "Gia": str(fee.amount or 0)} for fee in fees]


def dossier_record(dossier: Dossier, *, version: int) -> dict[str, Any]:
    """One item of DongBoHoSoMC's `data` list: the dossier as it is now."""
    procedure = dossier.procedure
    field = procedure.field
    documents = list(related_rows(dossier, "documents"))
    owner_id = dossier.owner_id_number or dossier.applicant_id_number
    # Before processing starts nothing can have paused the dossier or taken a payment
    # (dossiers/states.py): the two lookups are spared for every filing.
    begun = dossier.state not in (State.SUBMITTED, State.RECEIVED)
    # From the pauses dossier_act read with the dossier (none read when it never paused).
    supplements = ([p for p in related_rows(dossier, "pauses")
                    if p.kind == DossierPause.Kind.SUPPLEMENT] if begun else [])
    paid_online = begun and dossier.__dict__.get(SNAPSHOT_PAID_ONLINE)
    if begun and paid_online is None:
        paid_online = dossier.events.filter(action="mark_paid", data__online=True).exists()
    status = portal_status(dossier.state)
    user = dossier.applicant_user
    return {
        "MaHoSo": dossier.code,
        "MaTTHC": procedure.code,
        "TenTTHC": procedure.name,
        "MaLinhVuc": field.code if field else "",
        "TenLinhVuc": field.name if field else "",
        "KenhThucHien": str(dossier.channel),
        "ChuHoSo": dossier.owner_name or dossier.applicant_name,
        "LoaiDoiTuong": str(dossier.applicant_kind),
        "SoGiayToChuHoSo": owner_id,
        "DinhDanhCHS": ([{"LoaiDinhDanh": _identity_kind(dossier), "SoDinhDanh": owner_id}]
                        if owner_id else []),
        "Email": dossier.applicant_email,
        "SoDienThoai": dossier.applicant_phone,
        "TrichYeuHoSo": dossier.summary,
        "NgayNopHoSo": portal_date(dossier.submitted_at),
        "NgayTiepNhan": portal_date(dossier.received_at),
        "NgayHenTra": portal_date(dossier.due_at),
        "NgayTra": portal_date(dossier.returned_at),
        "NgayKetThucXuLy": portal_date(dossier.decided_at or dossier.closed_at),
        "NgayTuChoi": portal_date(dossier.closed_at) if dossier.state == State.REFUSED else "",
        "TrangThaiHoSo": str(status),
        "DonViXuLy": dossier.competent_unit.name,
        "NoiNopHoSo": "2" if dossier.channel == Channel.ONLINE else "1",
        "HoSoCoThanhPhanSoHoa": _flag(any(d.digitised for d in documents)),
        # Only VNeID's own verification counts: a password account may hold a typed personal ID
        # (or one a desk officer proved), which is not what the portal asks (issue #17).
        "TaiKhoanDuocXacThucVoiVNeID": _flag(bool(user and user.vneid_verified)),
        "DuocThanhToanTrucTuyen": _flag(paid_online),
        "TaiLieuNop": [{
            "TepDinhKemId": str(d.pk),
            "TenTepDinhKem": d.name,
            "MaThanhPhanHoSo": str(d.required_document_id or ""),
            "DuocSoHoa": _flag(d.digitised),
            "DuocTaiSuDung": _flag(d.reused),
            "DuocLayTuKhoDMQG": _flag(d.from_national_store),
            "MaKetQuaThayThe": d.replacing_result_code,
        } for d in documents],
        "DanhSachLePhi": _fee_lines(dossier, begun),
        "DanhSachHoSoBoSung": [{
            "NgayYeuCauBoSung": portal_date(p.started_at),
            "NgayBoSung": portal_date(p.ended_at),
            "NoiDungBoSung": p.reason,
        } for p in supplements],
        "DanhSachGiayToKetQua": [],
        VERSION_FIELD: version,
    }


# Each action's label in Vietnamese, whatever the language of the request that made the change
# (an English API client's action too): the national portal shows the record to the citizen
# and to other agencies on its Vietnamese pages. Translated once per worker (a lazy label is
# looked up in the catalogue each time it is made a string: every change's progress record
# did, issue #18).
_LABELS: dict[str, str] = {}


def _label(action: str) -> str:
    label = _LABELS.get(action)
    if label is None:
        t = transition(action)
        with override("vi"):
            label = _LABELS[action] = (str(t.label) if t else
                                       ("Nộp hồ sơ" if action == "submit" else action))
    return label


def progress_record(event: DossierEvent, dossier: Dossier) -> dict[str, Any]:
    """One row of CapNhatTienDoHoSoMC: what happened in this event."""
    label = _label(event.action)
    content = f"{label}: {event.reason}" if event.reason else label
    actor = event.actor
    step = event.step
    return {
        "MaHoSo": dossier.code,
        "NguoiXuLy": event.actor_name or (dossier.applicant_name if actor is None else ""),
        "ChucDanh": actor.title if actor else "",
        "ThoiDiemXuLy": portal_date(event.at),
        "PhongBanXuLy": event.actor_unit.name if event.actor_unit else "",
        "NoiDungXuLy": content,
        "TrangThai": str(portal_status(event.to_state)),
        "NgayBatDau": portal_date(step.started_at) if step else "",
        "NgayKetThucTheoQuyDinh": portal_date(event.step_due_at),
    }


def envelope(*, service: str, session: str, unit_code: str, data: list[dict[str, Any]],
             is_updating: bool | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"session": session, "madonvi": unit_code, "service": service}
    if is_updating is not None:
        body["isUpdating"] = "True" if is_updating else "False"
    body["data"] = data
    return body


# --- Validation (national side) ----------------------------------------------------------------

DOSSIER_DATES = ("NgayNopHoSo", "NgayTiepNhan", "NgayHenTra", "NgayTra", "NgayKetThucXuLy",
                 "NgayTuChoi")
DOSSIER_FLAGS = ("HoSoCoThanhPhanSoHoa", "TaiKhoanDuocXacThucVoiVNeID", "DuocThanhToanTrucTuyen")
PROGRESS_DATES = ("ThoiDiemXuLy", "NgayBatDau", "NgayKetThucTheoQuyDinh")


def _status_ok(value: Any) -> bool:
    return str(value).isdigit() and 1 <= int(str(value)) <= 10


def _date_errors(record: dict[str, Any], names: tuple[str, ...]) -> list[str]:
    errors = []
    for name in names:
        value = record.get(name) or ""
        if not isinstance(value, str) or (value and not _DATE_RE.match(value)):
            errors.append(f"{name} phải có dạng yyyyMMddHHmmss.")
            continue
        try:
            parse_portal_date(value)
        except ValueError:
            errors.append(f"{name} không phải ngày giờ hợp lệ.")
    return errors


def _code_errors(record: dict[str, Any]) -> list[str]:
    code = record.get("MaHoSo")
    if not isinstance(code, str) or not code.strip() or len(code) > 60:
        return ["MaHoSo là bắt buộc (tối đa 60 ký tự)."]
    return []


def dossier_record_errors(record: Any) -> list[str]:
    """What is wrong with one DongBoHoSoMC record, in Vietnamese; empty when it is valid."""
    if not isinstance(record, dict):
        return ["Mỗi phần tử của data phải là một đối tượng."]
    errors = _code_errors(record)
    if not isinstance(record.get("MaTTHC"), str) or not record["MaTTHC"].strip():
        errors.append("MaTTHC là bắt buộc.")
    if not _status_ok(record.get("TrangThaiHoSo")):
        errors.append("TrangThaiHoSo phải là mã trạng thái từ 1 đến 10.")
    if str(record.get("KenhThucHien", "")) not in {"1", "2", "3"}:
        errors.append("KenhThucHien phải là 1, 2 hoặc 3.")
    if not record.get("NgayNopHoSo"):
        errors.append("NgayNopHoSo là bắt buộc.")
    errors += _date_errors(record, DOSSIER_DATES)
    for name in DOSSIER_FLAGS:
        if str(record.get(name, "0")) not in {"0", "1"}:
            errors.append(f"{name} phải là 0 hoặc 1.")
    version = record.get(VERSION_FIELD, 0)
    if type(version) is not int or not 0 <= version <= 2_147_483_647:
        errors.append(f"{VERSION_FIELD} phải là số nguyên không âm.")
    return errors


def progress_record_errors(record: Any) -> list[str]:
    """What is wrong with one CapNhatTienDoHoSoMC row, in Vietnamese; empty when it is valid."""
    if not isinstance(record, dict):
        return ["Mỗi phần tử của data phải là một đối tượng."]
    errors = _code_errors(record)
    if not _status_ok(record.get("TrangThai")):
        errors.append("TrangThai phải là mã trạng thái từ 1 đến 10.")
    if not record.get("ThoiDiemXuLy"):
        errors.append("ThoiDiemXuLy là bắt buộc.")
    if not isinstance(record.get("NoiDungXuLy"), str) or not record["NoiDungXuLy"].strip():
        errors.append("NoiDungXuLy là bắt buộc.")
    errors += _date_errors(record, PROGRESS_DATES)
    return errors
