"""The national population database: look up a citizen by personal ID (once-only principle).

The counter and the online form pre-fill name, date of birth and address from the database
instead of asking the citizen again. Personal data: every lookup is logged with who asked, for
what purpose and whether it found someone (Decree 13/2023 on personal-data protection; since
01/01/2026 Law 91/2025/QH15), refused attempts too; staff lookups also go to the personal-data
access log every citizen can read (accounts.services.data_access). An applicant may look up
only their own number, and only once it is proven (VNeID or a desk officer): a number typed
into an account proves nothing.

Two adapters behind one interface, chosen by MOTCUA_POPULATION_ADAPTER: "http" calls the
database's service, "simulator" answers from the synthetic citizens of
sync/data/test_citizens.json. The national mode also serves that simulator over HTTP
(/api/v1/csdl-dan-cu/tra-cuu/), which is what the tests of the HTTP adapter run against.
"""

import json
from dataclasses import asdict, dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import httpx
from django.conf import settings

from accounts.models import PersonalDataAccess, Role, User
from accounts.selectors import proven_personal_id, user_is_staff_member, user_roles
from accounts.services.data_access import personal_data_read
from accounts.validation import personal_id_problem
from motcua.errors import DomainError
from sync.models import PopulationLookup

TEST_CITIZENS = Path(__file__).resolve().parent / "data" / "test_citizens.json"


@dataclass(frozen=True)
class Citizen:
    personal_id: str
    full_name: str
    date_of_birth: date | None
    gender: str
    address: str

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> "Citizen":
        born = record.get("ngay_sinh") or ""
        return cls(personal_id=str(record["so_dinh_danh"]), full_name=str(record["ho_ten"]),
                   date_of_birth=date.fromisoformat(born) if born else None,
                   gender=str(record.get("gioi_tinh", "")),
                   address=str(record.get("noi_thuong_tru", "")))

    def to_record(self) -> dict[str, str]:
        data = asdict(self)
        return {"so_dinh_danh": data["personal_id"], "ho_ten": data["full_name"],
                "ngay_sinh": self.date_of_birth.isoformat() if self.date_of_birth else "",
                "gioi_tinh": data["gender"], "noi_thuong_tru": data["address"]}


class PopulationUnavailable(Exception):
    """The population database could not answer now."""


class PopulationAdapter(Protocol):
    def find(self, personal_id: str) -> Citizen | None: ...


@cache
def _test_citizens() -> dict[str, Citizen]:
    records = json.loads(TEST_CITIZENS.read_text(encoding="utf-8"))["citizens"]
    return {r["so_dinh_danh"]: Citizen.from_record(r) for r in records}


class SimulatedPopulationAdapter:
    def find(self, personal_id: str) -> Citizen | None:
        return _test_citizens().get(personal_id)


class HttpPopulationAdapter:
    """POSTs the number (never in a URL, so it stays out of access logs)."""

    def __init__(self, *, url: str, token: str, timeout: float,
                 http: httpx.Client | None = None) -> None:
        self.url = url
        self.token = token
        self.http = http or httpx.Client(timeout=httpx.Timeout(timeout))

    def find(self, personal_id: str) -> Citizen | None:
        try:
            response = self.http.post(self.url, json={"so_dinh_danh": personal_id},
                                      headers={"Authorization": f"Bearer {self.token}"})
        except httpx.HTTPError as exc:
            raise PopulationUnavailable(f"Không kết nối được CSDL dân cư ({exc!r}).") from exc
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise PopulationUnavailable(f"CSDL dân cư trả lời HTTP {response.status_code}.")
        try:
            return Citizen.from_record(response.json())
        except (ValueError, KeyError, TypeError) as exc:
            raise PopulationUnavailable("CSDL dân cư trả lời không đúng định dạng.") from exc


def population_adapter() -> PopulationAdapter:
    if settings.MOTCUA_POPULATION_ADAPTER == "http":
        return HttpPopulationAdapter(url=settings.MOTCUA_POPULATION_URL,
                                     token=settings.MOTCUA_POPULATION_TOKEN,
                                     timeout=settings.MOTCUA_POPULATION_TIMEOUT)
    return SimulatedPopulationAdapter()


# The roles that receive and settle dossiers: the desk pre-fills the form of the person standing
# there with their paper, the specialist and the head check a dossier's papers against its
# owner's record. An officer of reform, PAKN or administration has no dossier to fill or check:
# a number they type reaches no one (the identity rule, docs/security.md; Decree 13/2023/NĐ-CP
# art. 3: data processed only for the purpose it is needed for).
LOOKUP_ROLES = frozenset({Role.RECEIVING, Role.SPECIALIST, Role.HEAD})


def citizen_lookup(*, actor: User, personal_id: str, purpose: str,
                   adapter: PopulationAdapter | None = None) -> Citizen:
    """Look a citizen up for `purpose`, logging the lookup whatever its outcome."""
    personal_id = (personal_id or "").strip()
    purpose = (purpose or "").strip()
    problem = personal_id_problem(personal_id)
    if problem:
        raise DomainError("invalid", problem, "Invalid personal ID.",
                          fields={"so_dinh_danh": [problem]})
    staff = user_is_staff_member(actor)
    log = PopulationLookup(user=actor, personal_id=personal_id,
                           purpose=(purpose or "—")[:255])

    def record(outcome: str, found: bool = False) -> None:
        log.found = found
        log.save()
        if staff:
            personal_data_read(actor=actor, subject=personal_id, purpose=purpose or "—",
                               action=PersonalDataAccess.Action.POPULATION_LOOKUP,
                               outcome=outcome)

    if not purpose:
        log.error = "Không ghi mục đích"
        record("từ chối: không ghi mục đích")
        raise DomainError("purpose_required", "Cần ghi rõ mục đích tra cứu.",
                          "A purpose is required.", fields={"muc_dich": ["Bắt buộc."]})
    may = any(role in LOOKUP_ROLES for _unit, role in user_roles(actor))
    if staff and not may and proven_personal_id(actor) != personal_id:
        log.error = "Vai trò không được tra cứu CSDL dân cư"
        record("từ chối: vai trò không xử lý hồ sơ")
        raise DomainError("permission_denied",
                          "Chỉ cán bộ tiếp nhận, chuyên viên xử lý và lãnh đạo giải quyết hồ sơ "
                          "được tra cứu CSDL quốc gia về dân cư.",
                          "Only the desk, specialists and heads handling dossiers may look up "
                          "the population database.", http_status=403)
    if not staff and proven_personal_id(actor) != personal_id:
        log.error = "Không phải số định danh đã xác thực của người tra cứu"
        record("từ chối")
        raise DomainError("permission_denied",
                          "Bạn chỉ được tra cứu thông tin của chính mình, sau khi số định danh "
                          "của tài khoản được xác thực (đăng nhập VNeID hoặc tại bộ phận một "
                          "cửa).", "You may look up only your own, proven personal ID.",
                          http_status=403)
    try:
        citizen = (adapter or population_adapter()).find(personal_id)
    except PopulationUnavailable as exc:
        log.error = str(exc)
        record("CSDL không trả lời")
        raise DomainError("unavailable", "CSDL quốc gia về dân cư đang không trả lời, vui lòng "
                          "nhập tay hoặc thử lại sau.", "The population database is unavailable.",
                          http_status=503) from exc
    record("tìm thấy" if citizen is not None else "không tìm thấy", found=citizen is not None)
    if citizen is None:
        raise DomainError("not_found", "Không tìm thấy công dân có số định danh này.",
                          "No citizen with this personal ID.", http_status=404)
    return citizen


def simulator_find(*, personal_id: Any) -> Citizen | None:
    """The national mode's simulator endpoint: the synthetic citizens only."""
    return _test_citizens().get(str(personal_id or ""))
