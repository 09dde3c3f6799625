"""The essential floor of a filing (issue #18): the least a filing (accept: true) could be here.

`POST /bench/essential/dossiers/` goes through what `POST /api/v1/dossiers/` goes through —
gunicorn, Django's middleware, DRF with the same token authentication and permission class, the
same request serializer (`DossierCreateSerializer`) and the same input checks of the body (the
applicant's, `_check_applicant`; the summary's and return method's rules; each paper's name, kind
and count) — and sends **the real filing's statements** (dossiers/services/intake.py): the
token's read, the version check with the officer's roles (`reference_version`, the same code),
the ids (`ids_reserve`, the same code), the papers + steps + access rows + events joined into one
(`writes_joined`, each insert's text built by `_insert_sql` as `rows_insert` builds it), the
desk's code counter (`dossier_code_generate`, the same code), and the dossier + outbox rows + day
and month counters joined into one (the counters' upserts by `metrics.counters._count`, the same
code) — in one transaction. In between it does the least that writes the same rows: the deadline
engine's four calls for the clock start and the due moments (dossiers/deadlines.py; the dossier's
due moment and the steps' are the filing's work, not a rule to skip), the rows' values as lists,
the portal's three records and the answer as dicts for DRF's `Response`; no transition table, no
model instance of the dossier, its papers, steps, events or outbox rows.

Not a second copy of the rules: it covers the plain case the benches file (at the counter, the desk
of the officer's one unit, accepted at once, the case in force on the day, a time limit, an
Idempotency-Key recorded or none (a replay is refused), no answers about papers, no e-mail to
notify, the province's mode) and answers 409 otherwise. The reference data it needs (the case, its
procedure, field, papers, limit, steps, fees, units) is kept per worker as plain tuples keyed by the
catalogue version the version check reads (taken from the real path's per-worker cache,
dossiers/reference.py, the first time a worker meets a case); which mandatory papers are missing for
a set of papers handed in, and the answer's allowed actions, are asked of the real code the first
time a worker meets them, then kept. `dossiers/tests/test_essential_filing.py` checks that it writes
the rows the real filing writes, answers the same JSON and sends the same statements. Mounted only
by bench/trivial_urls.py.
"""

from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from psycopg.types.json import Jsonb
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from catalog.models import RequiredDocument, Step
from catalog.selectors import variant_time_limit
from dossiers import deadlines
from dossiers.calendar import calendar_for_unit
from dossiers.codes import PROVISIONAL_CODE_PREFIX, dossier_code_last
from dossiers.ids import ids_reserve
from dossiers.lookup import lookup_secret_new
from dossiers.models import (
    Dossier,
    DossierAccess,
    DossierDocument,
    DossierEvent,
    DossierStep,
    State,
)
from dossiers.reference import (
    reference_unit,
    reference_variant,
    reference_version,
    variant_in_force_cached,
)
from dossiers.serializers import DossierCreateSerializer
from dossiers.services.intake import _check_applicant, _request_hash
from dossiers.services.planning import DEFAULT_STEPS
from dossiers.states import PORTAL_LABEL, portal_status
from metrics.counters import _count, event_deltas, local_day
from motcua import inputs
from motcua.errors import DomainError
from motcua.prepared import (
    _insert_fields,
    _insert_sql,
    statement_write,
    value_taken,
    writes_joined,
)
from sync.models import Kind, OutboxMessage
from sync.portal_format import _label

_PORTAL_DATE = "%Y%m%d%H%M%S"
_COPY_KINDS = frozenset(RequiredDocument.CopyKind.values)
_SUMMARY_RULES = {"summary": inputs.SUMMARY, "return_method": inputs.SHORT_LINE}
_SUMMARY_LABELS = {"summary": ("trích yếu", "summary"),
                   "return_method": ("hình thức nhận kết quả", "return method")}


class _Statements:
    """The inserts' texts and column names, built once a process as `rows_insert` builds them."""

    def __init__(self) -> None:
        def insert(model, rows: int, with_pk: bool = True) -> str:
            _, with_fields, without = _insert_fields(model)
            return _insert_sql(connection, model._meta, with_fields if with_pk else without, rows)

        self.insert = insert
        self.sql: dict[tuple, str] = {}
        self.dossier_columns = [f.attname for f in _insert_fields(Dossier)[1]]

    def text(self, model, rows: int, with_pk: bool = True) -> str:
        key = (model, rows, with_pk)
        found = self.sql.get(key)
        if found is None:
            found = self.sql[key] = self.insert(model, rows, with_pk)
        return found


_S: _Statements | None = None
# Per worker, keyed by (catalogue version, case, receiving unit, channel): the case as plain
# values (see `_case`).
_CASES: dict[tuple, tuple] = {}
# Per worker: whether the case is the one in force on a day; the mandatory papers missing for
# the papers handed in; the answer's allowed actions.
_IN_FORCE: dict[tuple, bool] = {}
_MISSING: dict[tuple, list[str]] = {}
_ALLOWED: dict[tuple, list[str]] = {}


class _Refused(Exception):
    pass


def _case(catalogue: tuple, variant_id: int, unit_id: int, channel: int) -> tuple | None:
    """The case, as plain values, from the real path's per-worker cache on the first meeting."""
    key = (catalogue, variant_id, unit_id, channel)
    found = _CASES.get(key)
    if found is None:
        variant = reference_variant(variant_id, catalogue)
        unit = reference_unit(unit_id, catalogue)
        if variant is None or unit is None:
            return None
        p = variant.procedure
        f = p.field
        competent = p.competent_unit or unit
        limit = variant_time_limit(variant, channel)
        steps = [(s.name, s.role, s.unit, s.share_percent) for s in variant.steps.all()] or [
            (name, role, None, share) for name, role, share in DEFAULT_STEPS]
        plan = []
        for name, role, step_unit, share in steps:
            if step_unit is None:
                desk = role in (Step.Role.RECEIVING, Step.Role.RETURNING)
                step_unit = unit if desk else competent
            plan.append((name, str(role), step_unit.pk, Decimal(share), step_unit.code,
                         step_unit.name))
        papers = {d.pk: (d.name.strip(), d.copy_kind, d.count) for d in variant.documents.all()}
        fees = [{"TenPhiLePhi": fee.name, "MaPhiLePhi": str(fee.pk), "HinhThucThu": "1",
                 "Gia": str(fee.amount or 0)}
                for fee in sorted((fee for fee in variant.fees.all() if fee.channel == channel),
                                  key=lambda fee: fee.pk)]
        found = _CASES[key] = (
            (p.pk, p.code, p.name, f.code if f else "", f.name if f else "", str(p.online_level)),
            (competent.pk, competent.code, competent.name),
            (unit.code, unit.name, unit.receives_dossiers, unit),
            None if limit is None else (limit.amount, str(limit.unit)),
            (variant.cutoff_time, variant.civil_code_counting),
            tuple(plan), papers, fees, variant)
    return found


def _in_force(catalogue: tuple, variant, day) -> bool:
    key = (catalogue, variant.pk, day)
    found = _IN_FORCE.get(key)
    if found is None:
        in_force = variant_in_force_cached(variant, day, catalogue)
        found = _IN_FORCE[key] = in_force is not None and in_force.pk == variant.pk
    return found


def _missing(catalogue: tuple, variant, given: frozenset) -> list[str]:
    """Asked of the real rule (dossiers/services/papers.py) once a worker and set of papers."""
    key = (catalogue, variant.pk, given)
    found = _MISSING.get(key)
    if found is None:
        from dossiers.services.papers import papers_missing

        found = _MISSING[key] = papers_missing(list(variant.documents.all()), set(given), None)
    return found


def _allowed(key: tuple, dossier_id: int, user) -> list[str]:
    """Asked of the transition table the first time a worker meets `key`, then kept."""
    found = _ALLOWED.get(key)
    if found is None:
        from dossiers.selectors import dossier_with_details
        from dossiers.services.transitions import allowed_actions

        d = dossier_with_details(pk=dossier_id)
        found = _ALLOWED[key] = [t.action for t in allowed_actions(d, user)]
    return found


def _papers(required: dict, documents: list) -> list[tuple]:
    """The papers handed in, checked as the real filing checks them (intake.py `_documents`)."""
    rows, errors = [], {}
    for i, doc in enumerate(documents):
        req = None
        pk = doc.get("required_document")
        if pk is not None:
            req = required.get(pk)
            if req is None:
                errors[f"documents[{i}].required_document"] = [
                    "Giấy tờ này không thuộc thành phần hồ sơ của trường hợp đã chọn."]
                continue
        typed = inputs.input_clean(doc.get("name") or "", inputs.DOCUMENT_NAME.kind)
        problem = inputs.input_problem(typed, inputs.DOCUMENT_NAME)
        if problem is not None:
            errors[f"documents[{i}].name"] = [problem.message]
            continue
        name = typed or (req[0] if req else "")
        if not name:
            errors[f"documents[{i}].name"] = ["Cần nhập tên giấy tờ."]
            continue
        copy_kind = doc.get("copy_kind") or (req[1] if req else "original")
        if copy_kind not in _COPY_KINDS:
            errors[f"documents[{i}].copy_kind"] = ["Loại bản không hợp lệ."]
            continue
        count = doc.get("count", req[2] if req else 1)
        if not isinstance(count, int) or not 1 <= count <= 100:
            errors[f"documents[{i}].count"] = ["Số lượng phải là số nguyên từ 1 đến 100."]
            continue
        rows.append((pk, name, copy_kind, count, bool(doc.get("original_seen"))))
    if errors:
        raise DomainError("invalid", "Danh sách giấy tờ chưa hợp lệ.",
                          "The document list is invalid.", fields=errors)
    return rows


def _portal(value: datetime | None, tz) -> str:
    return "" if value is None else value.astimezone(tz).strftime(_PORTAL_DATE)


def _iso(value: datetime | None, tz) -> str | None:
    return None if value is None else value.astimezone(tz).isoformat()


class EssentialFilingApi(APIView):
    """The least a filing could be: the same statements, the same rows, the same answer."""

    def post(self, request):
        global _S
        s = DossierCreateSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        v = s.validated_data
        if (not v["accept"] or int(v["channel"]) != 1 or v.get("receiving_unit")
                or v.get("papers") or settings.MOTCUA_MODE != "province"):
            return Response({"detail": "essential: the plain filing only"}, status=409)
        key = request.headers.get("Idempotency-Key", "").strip()
        if len(key) > 100:
            raise DomainError("invalid", "Idempotency-Key dài quá 100 ký tự.",
                              "Idempotency-Key is longer than 100 characters.")
        if _S is None:
            _S = _Statements()
        try:
            with transaction.atomic():
                answer = _file(_S, v, request.user, key)
        except _Refused as refused:
            return Response({"detail": str(refused)}, status=409)
        return Response(answer, status=status.HTTP_201_CREATED)


def _file(st: _Statements, v: dict[str, Any], user, key: str) -> dict[str, Any]:
    at = timezone.now()
    # The version check, reading the officer's roles (the real filing's first statement).
    catalogue, calendar = reference_version(user)
    from accounts.selectors import user_unit_ids

    desk = user_unit_ids(user, role=Role.RECEIVING)
    if len(desk) != 1:
        raise _Refused("essential: the desk of the officer's one unit only")
    unit_id = next(iter(desk))
    case = _case(catalogue, v["variant"], unit_id, 1)
    if case is None:
        raise _Refused("essential: unknown case or unit")
    ((procedure_id, p_code, p_name, f_code, f_name, online_level),
     (competent_id, competent_code, competent_name), (unit_code, unit_name, receives, unit),
     limit, (cutoff, civil), plan, required, fees, variant) = case
    tz = timezone.get_current_timezone()
    if not receives or limit is None or not _in_force(catalogue, variant, at.astimezone(tz).date()):
        raise _Refused("essential: the plain case only")
    values = _check_applicant(dict(v["applicant"]))
    if values["applicant_email"]:
        raise _Refused("essential: no notification")
    text = inputs.inputs_clean({"summary": v.get("summary", ""),
                                "return_method": v.get("return_method", "")},
                               _SUMMARY_RULES, labels=_SUMMARY_LABELS)
    documents = [dict(d) for d in v.get("documents", [])]
    papers = _papers(required, documents)
    missing = _missing(catalogue, variant, frozenset(p[0] for p in papers if p[0]))
    if missing:
        raise DomainError("documents_missing", "Hồ sơ còn thiếu giấy tờ bắt buộc: "
                          + "; ".join(missing) + ".", "Mandatory documents are missing.",
                          fields={"documents": missing})
    sets_count = int(v["sets_count"])
    # The clock and the due moments (dossiers/services/planning.py plan_dues, unpaused).
    cal = calendar_for_unit(unit, version=calendar)
    clock = deadlines.clock_start(at, cal, cutoff)
    amount, limit_unit = limit
    due = deadlines.due_moment(clock, amount, limit_unit, cal, civil_code=civil)
    total = deadlines.working_seconds_between(clock, due, cal)
    cumulative = Decimal(0)
    dues = []
    for step in plan:
        cumulative += step[3]
        dues.append(deadlines.add_working_seconds(
            clock, int(total * min(cumulative, Decimal(100)) / 100), cal))
    dues[-1] = due
    summary = text["summary"] or p_name
    actor_name = user.display_name
    n_steps, n_papers = len(plan), len(papers)
    claim = None
    if key:
        # The key recorded by the ids' statement, with the request's hash, as the real filing
        # records it (a replay is not the plain case: refused below, rolled back).
        claim = (user.pk, key, _request_hash({
            "variant": variant.pk, "channel": 1, "unit": unit_id,
            "applicant": dict(v["applicant"]), "documents": documents,
            "summary": text["summary"], "accept": True, "papers": {}}))
    dossier_id, step_ids, paper_ids, event_ids, claimed = ids_reserve(
        steps=n_steps, papers=n_papers, events=2, key=claim)
    if not claimed:
        raise _Refused("essential: a replay")
    first_step, first_unit = step_ids[0], plan[0][2]
    now = timezone.now()
    with writes_joined():
        params: list = []
        for pk, (req, name, copy_kind, count, seen) in zip(paper_ids, papers, strict=True):
            params += [pk, dossier_id, req, name, copy_kind, count, seen, False, False, False,
                       "", now]
        if papers:
            statement_write(st.text(DossierDocument, n_papers), params)
        params = []
        for n, (pk, step, step_due) in enumerate(zip(step_ids, plan, dues, strict=True)):
            params += [pk, dossier_id, n + 1, step[0], step[1], step[2], step[3],
                       user.pk if n == 0 else None, at if n == 0 else None, step_due, None, ""]
        statement_write(st.text(DossierStep, n_steps), params)
        units = sorted({unit_id, competent_id, first_unit, *(s[2] for s in plan)})
        statement_write(st.text(DossierAccess, len(units), with_pk=False),
                        [x for u in units for x in (u, dossier_id)])
        accepted = {"clock_started_at": clock.isoformat(), "limit": f"{amount} {limit_unit}"}
        statement_write(st.text(DossierEvent, 2), [
            event_ids[0], dossier_id, 1, "submit", at, user.pk, actor_name, unit_id, "",
            State.SUBMITTED, None, None, None, "", None, "", None,
            Jsonb({"channel": 1, "documents": n_papers}),
            event_ids[1], dossier_id, 2, "accept", at, user.pk, actor_name, unit_id,
            State.SUBMITTED, State.RECEIVED, first_step, first_unit, user.pk, "", dues[0], "",
            due, Jsonb(accepted)])
    with writes_joined(commit=True):
        # The number taken by the last statement, a token until then (dossiers/codes.py).
        code = dossier_code_last(unit=SimpleNamespace(pk=unit_id, code=unit_code), at=at)
        from catalog.text import fold

        row = {
            "id": dossier_id, "code": code, "lookup_secret": lookup_secret_new(),
            "procedure_id": procedure_id, "variant_id": variant.pk, "channel": 1,
            "state": State.RECEIVED, "receiving_unit_id": unit_id,
            "competent_unit_id": competent_id,
            "current_unit_id": first_unit, "current_step_id": first_step,
            "applicant_kind": values["applicant_kind"], "applicant_name": values["applicant_name"],
            "applicant_name_folded": fold(values["applicant_name"] or "")[:255],
            "applicant_id_number": values["applicant_id_number"],
            "applicant_address": values["applicant_address"],
            "applicant_phone": values["applicant_phone"], "applicant_email": "",
            "applicant_user_id": None, "owner_name": values["owner_name"],
            "owner_id_number": values["owner_id_number"], "summary": summary,
            "sets_count": sets_count, "return_method": text["return_method"],
            "limit_amount": amount, "limit_unit": limit_unit, "cutoff_time": cutoff,
            "civil_code_counting": civil, "submitted_at": at, "received_at": at,
            "clock_started_at": clock, "due_at": due, "original_due_at": due, "paused_at": None,
            "decided_at": None, "returned_at": None, "closed_at": None, "timing": "",
            "apology_count": 0, "created_by_id": user.pk, "created_at": now, "updated_at": now,
        }
        # The portal's three records (sync/outbox.py, sync/portal_format.py).
        owner_id = values["owner_id_number"] or values["applicant_id_number"]
        kind = values["applicant_kind"]
        received = portal_status(State.RECEIVED)
        record = {
            "MaHoSo": code, "MaTTHC": p_code, "TenTTHC": p_name, "MaLinhVuc": f_code,
            "TenLinhVuc": f_name, "KenhThucHien": "1",
            "ChuHoSo": values["owner_name"] or values["applicant_name"], "LoaiDoiTuong": str(kind),
            "SoGiayToChuHoSo": owner_id,
            "DinhDanhCHS": ([{"LoaiDinhDanh": "1" if kind == 1 else "2", "SoDinhDanh": owner_id}]
                            if owner_id else []),
            "Email": "", "SoDienThoai": values["applicant_phone"], "TrichYeuHoSo": summary,
            "NgayNopHoSo": _portal(at, tz), "NgayTiepNhan": _portal(at, tz),
            "NgayHenTra": _portal(due, tz), "NgayTra": "", "NgayKetThucXuLy": "", "NgayTuChoi": "",
            "TrangThaiHoSo": str(received), "DonViXuLy": competent_name, "NoiNopHoSo": "1",
            "HoSoCoThanhPhanSoHoa": "0", "TaiKhoanDuocXacThucVoiVNeID": "0",
            "DuocThanhToanTrucTuyen": "0",
            "TaiLieuNop": [{
                "TepDinhKemId": str(pk), "TenTepDinhKem": p[1], "MaThanhPhanHoSo": str(p[0] or ""),
                "DuocSoHoa": "0", "DuocTaiSuDung": "0", "DuocLayTuKhoDMQG": "0",
                "MaKetQuaThayThe": ""} for pk, p in zip(paper_ids, papers, strict=True)],
            "DanhSachLePhi": fees, "DanhSachHoSoBoSung": [], "DanhSachGiayToKetQua": [],
            "PhienBan": 1,
        }
        at_portal = _portal(at, tz)
        progress = [{
            "MaHoSo": code, "NguoiXuLy": actor_name, "ChucDanh": user.title,
            "ThoiDiemXuLy": at_portal, "PhongBanXuLy": unit_name, "NoiDungXuLy": _label(action),
            "TrangThai": str(portal_status(state)), "NgayBatDau": started,
            "NgayKetThucTheoQuyDinh": ends,
        } for action, state, started, ends in (
            ("submit", State.SUBMITTED, "", ""),
            ("accept", State.RECEIVED, at_portal, _portal(dues[0], tz)))]
        outbox = []
        for seq, (kind_, payload, update) in enumerate(
                ((Kind.DOSSIER, record, False), (Kind.PROGRESS, progress[0], True),
                 (Kind.PROGRESS, progress[1], True)), start=1):
            outbox += [dossier_id, seq, kind_, Jsonb(payload), update, f"{code}:{seq}", "pending",
                       0, now, None, "", "", None, now, competent_id, at]
        statement_write(st.text(Dossier, 1), [row[c] for c in st.dossier_columns])
        statement_write(st.text(OutboxMessage, 3, with_pk=False), outbox)
        # The service-index counters, last (the hot rows locked for the shortest time).
        _count(local_day(at), competent_id, procedure_id, event_deltas(
            action="accept", received=True, channel=1, online_level=online_level,
            settled_timing="", first_apology=False))
    if code.startswith(PROVISIONAL_CODE_PREFIX):
        code = value_taken(code)
    # The answer (DossierDetailSerializer's JSON), from what was written.
    allowed = _allowed((user.pk, unit_id, competent_id, first_unit, plan[0][1]), dossier_id,
                       user)
    unit_of = {unit_id: unit_code, competent_id: competent_code}
    return {
        "code": code, "procedure_code": p_code, "procedure_name": p_name,
        "variant": variant.pk, "channel": 1, "state": State.RECEIVED.value,
        "portal_status": received, "portal_status_label": PORTAL_LABEL[received],
        "receiving_unit": unit_code, "competent_unit": competent_code,
        "current_unit": plan[0][4],
        "applicant": {"kind": kind, "name": values["applicant_name"],
                      "id_number": values["applicant_id_number"],
                      "address": values["applicant_address"],
                      "phone": values["applicant_phone"], "email": "",
                      "owner_name": values["owner_name"],
                      "owner_id_number": values["owner_id_number"]},
        "summary": summary, "sets_count": sets_count, "limit_amount": str(amount),
        "limit_unit": limit_unit, "submitted_at": _iso(at, tz), "received_at": _iso(at, tz),
        "clock_started_at": _iso(clock, tz), "due_at": _iso(due, tz),
        "original_due_at": _iso(due, tz), "paused_at": None, "decided_at": None,
        "returned_at": None, "closed_at": None, "timing": "", "apology_count": 0,
        "steps": [{
            "order": n + 1, "name": step[0], "role": step[1],
            "unit": unit_of.get(step[2], step[4]), "unit_name": step[5],
            "assignee": user.username if n == 0 else None,
            "started_at": _iso(at, tz) if n == 0 else None, "due_at": _iso(step_due, tz),
            "finished_at": None, "timing": ""}
            for n, (step, step_due) in enumerate(zip(plan, dues, strict=True))],
        "documents": [{
            "id": pk, "required_document": p[0], "name": p[1], "copy_kind": p[2],
            "count": p[3], "original_seen": p[4], "digitised": False, "reused": False,
            "from_national_store": False, "replacing_result_code": ""}
            for pk, p in zip(paper_ids, papers, strict=True)],
        "allowed_actions": allowed,
    }
