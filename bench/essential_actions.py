"""The essential floor of the return of the result (issue #18), built as bench/essential.py builds
the forward's: the least the action could be on this stack.

`POST /bench/essential/<code>/return_result/` goes through the same middleware, DRF view, token
authentication, permission class and request serializer as the real return (`POST
/api/v1/dossiers/<code>/actions/return_result/`) and sends **the real return's three
statements**: the token's read, the lock statement (the very text `_lock_query` compiles for
the action, with what the results consumer reads of it: whether a result was issued signed or
waits for its rendering, results/lock_reads.py) and one joined write (the current step's
update, the dossier's, the event's insert, the two portal outbox rows' and the service index's
day and month counters, metrics/counters.py: each with the real path's text). In between it does
the least that writes the same rows: values taken from the lock statement's row by position,
the records and the answer written as dicts, no transition table, no model instance.

The plain case only, 409 otherwise: the dossier decided or its result ready, never paused, no
payment demand, no applicant account, no paper digitised or reused, its result (if any) stored
unsigned and rendered, a time limit, the province's mode. The hand-over's receiver is checked by
the real code (dossiers/handover.py `receiver_clean`: a form's input, not a rule of the action).
The receiving unit's calendar is kept per worker by the calendar's version the lock statement
reads, as the real path keeps it. `dossiers/tests/test_essential_actions.py` compares its rows,
answer and statements with the real return's. Mounted only by bench/trivial_urls.py.
"""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from psycopg.types.json import Jsonb
from rest_framework.response import Response
from rest_framework.views import APIView

from bench.essential import (
    _allowed,
    _fees,
    _iso,
    _moment,
    _portal,
    _procedure,
    _Refused,
    _steps_moved_on,
    _unit,
)
from catalog.models import Procedure
from dossiers import deadlines
from dossiers.calendar import calendar_for_unit, calendar_version
from dossiers.handover import receiver_clean
from dossiers.models import Dossier, DossierEvent, State
from dossiers.serializers import ActionSerializer
from dossiers.services.step_rows import _statement as steps_statement
from dossiers.services.transitions import _lock_query
from dossiers.states import PORTAL_LABEL, portal_status
from metrics.counters import _upsert_sql, local_day, month_of
from metrics.models import COUNTER_FIELDS, MonthlyCounter
from motcua.prepared import _insert_sql, held_first, hot_cursor, joined_send
from results.lock_reads import PENDING, SIGNED
from results.numbering import NUMBER_PENDING
from sync.models import Kind, OutboxMessage

_SETTLED = {"early": "settled_early", "on_time": "settled_on_time", "late": "settled_late"}


class _Statements:
    """The real return's statements' text, taken once a process from the code that builds it."""

    def __init__(self) -> None:
        lock = _lock_query("code", True, "return_result")._compiled_for()
        self.lock_sql, self.lock_params, self.lock_slots = lock.sql, lock.params, lock.slots
        steps_sql, _ = steps_statement(("started_at", "finished_at", "timing", "assignee"), 1)
        q = connection.ops.quote_name
        event_sql = _insert_sql(connection, DossierEvent._meta,
                                list(DossierEvent._meta.concrete_fields), 1)
        outbox_sql = _insert_sql(connection, OutboxMessage._meta,
                                 [f for f in OutboxMessage._meta.concrete_fields
                                  if not f.primary_key], 2)
        self.write_sql: dict[tuple, str] = {}
        self.dossier_columns: dict[bool, list[str]] = {}
        for timing_changed in (False, True):
            # The real path writes the columns the action changed (`_save_changed`): the
            # dossier's timing only when the return settles it otherwise than the approval did.
            columns = ["state", *(["timing"] if timing_changed else []), "returned_at",
                       "closed_at", "updated_at"]
            columns.sort(key=_DOSSIER_ORDER.index)
            self.dossier_columns[timing_changed] = columns
            dossier_sql = (f"UPDATE {q('dossiers_dossier')} SET "
                           + ", ".join(f"{q(n)} = %s" for n in columns)
                           + f" WHERE {q('id')} = %s")
            for settled in _SETTLED.values():
                deltas = {settled: 1, "closed_after_receipt": 1}
                day_sql, _ = _upsert_sql((None, 0, 0), deltas)
                month_sql, _ = _upsert_sql((None, 0, 0), deltas, model=MonthlyCounter,
                                           key_column="month")
                self.write_sql[(timing_changed, settled)] = (
                    f"WITH w0 AS ({steps_sql}), w1 AS ({dossier_sql}), w2 AS ({event_sql}), "
                    f"w3 AS ({outbox_sql}), w4 AS ({day_sql}) {month_sql}")
        self.column: dict[str, int] = {}

    def columns(self, description) -> dict[str, int]:
        if not self.column:
            self.column = {d.name: i for i, d in enumerate(description)}
        return self.column


_DOSSIER_ORDER = [f.attname for f in Dossier._meta.concrete_fields]
_S: _Statements | None = None
_COUNTERS = list(COUNTER_FIELDS)
# The receiving units' calendars, per worker, by the calendar table's version and the unit.
_CALENDARS: dict[tuple, Any] = {}


def _calendar(version: tuple, unit_id: int):
    found = _CALENDARS.get((version, unit_id))
    if found is None:
        from accounts.models import Unit

        found = _CALENDARS[(version, unit_id)] = calendar_for_unit(
            Unit.objects.get(pk=unit_id), version=version)
    return found


class EssentialReturnApi(APIView):
    """The least a return of the result could be: the same 3 statements, rows and answer."""

    def post(self, request, code: str):
        global _S
        s = ActionSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        if s.validated_data.get("reason"):
            return Response({"detail": "essential: the plain return only"}, status=409)
        user = request.user
        try:
            with transaction.atomic():
                if _S is None:
                    # Compiling a locking read needs a transaction (Django's check).
                    _S = _Statements()
                answer = _return(_S, code, user, s.validated_data.get("data") or {})
        except _Refused as refused:
            return Response({"detail": str(refused)}, status=409)
        if answer is None:
            return Response({"detail": "Không tìm thấy hồ sơ."}, status=404)
        return Response(answer)


def _return(st: _Statements, code: str, user, data: dict[str, Any]) -> dict[str, Any] | None:
    params = list(st.lock_params)
    for slot, value in zip(st.lock_slots, (code, user.pk), strict=True):
        for i in slot:
            params[i] = value
    with hot_cursor(connection) as cursor:
        cursor.execute(st.lock_sql, params)
        row = cursor.fetchone()
        if row is None:
            return None
        c = st.column or st.columns(cursor.description)
    if row[c["row_locked"]] != row[c["row_seen"]]:
        raise _Refused("essential: changed under the lock")
    issued = row[c["results_issued"]] or 0
    papers = row[c["lock_papers"]] or []
    if (row[c["ever_paused"]] or row[c["snapshot_charged"]] or row[c["applicant_user_id"]]
            or settings.MOTCUA_MODE != "province" or issued & (PENDING | SIGNED)
            or row[c["limit_amount"]] is None or row[c["clock_started_at"]] is None
            or any(p[7] or p[8] for p in papers)):
        raise _Refused("essential: the plain case only")
    state = row[c["state"]]
    if state not in (State.DECIDED, State.RESULT_READY):
        raise _Refused("essential: not returnable")
    receiving = row[c["receiving_unit_id"]]
    roles = row[c["actor_roles"]] or ""
    if f"{receiving}:receiving" not in roles.split(","):
        raise _Refused("essential: the actor is not the receiving unit's desk")
    steps = row[c["lock_steps"]] or []
    current_id = row[c["current_step_id"]]
    current = next((s for s in steps if s[0] == current_id), None)
    if current is None or current[10] is not None:
        raise _Refused("essential: no open step")
    # The hand-over as the event keeps it (Form 05 and the register, Form 06, say to whom).
    receiver = receiver_clean(data.get("receiver"), applicant_name=row[c["applicant_name"]])
    version = (row[c["ref_number"]], row[c["ref_procedures"]])
    cal_version = calendar_version(row[c["ref_days"]], row[c["ref_last_day"]])
    tz = timezone.get_current_timezone()
    at = timezone.now()
    current_due = _moment(current[9])
    timing = deadlines.timing(at, current_due) if current_due else ""
    # Never paused: the statutory due moment is the limit counted from the clock's start
    # (dossiers/services/planning.py statutory_due; Decree 118/2025 counts an apology's date
    # late).
    statutory = deadlines.due_moment(
        row[c["clock_started_at"]], Decimal(row[c["limit_amount"]]), row[c["limit_unit"]],
        _calendar(cal_version, receiving), civil_code=row[c["civil_code_counting"]])
    settled_timing = deadlines.timing(at, statutory)
    timing_changed = settled_timing != row[c["timing"]]
    current_started = _moment(current[8])
    dossier_id = row[c["id"]]
    dossier_due = row[c["due_at"]]
    seq = (row[c["last_event_seq"]] or 0) + 1
    event_id = row[c["event_id_taken"]]
    p_code, p_name, f_code, f_name = _procedure(version, row[c["procedure_id"]])
    competent = row[c["competent_unit_id"]]
    last = row[c["outbox_last_seq"]] or 0
    owner_id = row[c["owner_id_number"]] or row[c["applicant_id_number"]]
    kind = row[c["applicant_kind"]]
    decided = row[c["decided_at"]]
    status = portal_status(State.RETURNED)
    record = {
        "MaHoSo": code, "MaTTHC": p_code, "TenTTHC": p_name, "MaLinhVuc": f_code,
        "TenLinhVuc": f_name, "KenhThucHien": str(row[c["channel"]]),
        "ChuHoSo": row[c["owner_name"]] or row[c["applicant_name"]], "LoaiDoiTuong": str(kind),
        "SoGiayToChuHoSo": owner_id,
        "DinhDanhCHS": ([{"LoaiDinhDanh": "1" if kind == 1 else "2", "SoDinhDanh": owner_id}]
                        if owner_id else []),
        "Email": row[c["applicant_email"]], "SoDienThoai": row[c["applicant_phone"]],
        "TrichYeuHoSo": row[c["summary"]],
        "NgayNopHoSo": _portal(row[c["submitted_at"]], tz),
        "NgayTiepNhan": _portal(row[c["received_at"]], tz),
        "NgayHenTra": _portal(dossier_due, tz),
        "NgayTra": _portal(at, tz),
        "NgayKetThucXuLy": _portal(decided or at, tz),
        "NgayTuChoi": "", "TrangThaiHoSo": str(status),
        "DonViXuLy": _unit(version, competent)[1],
        "NoiNopHoSo": "2" if row[c["channel"]] == 2 else "1",
        "HoSoCoThanhPhanSoHoa": "0",
        "TaiKhoanDuocXacThucVoiVNeID": "0",
        "DuocThanhToanTrucTuyen": "1" if row[c["snapshot_paid_online"]] else "0",
        "TaiLieuNop": [{
            "TepDinhKemId": str(p[0]), "TenTepDinhKem": p[3],
            "MaThanhPhanHoSo": str(p[2] or ""), "DuocSoHoa": "0", "DuocTaiSuDung": "0",
            "DuocLayTuKhoDMQG": "1" if p[9] else "0", "MaKetQuaThayThe": p[10]}
            for p in papers],
        "DanhSachLePhi": _fees(version, row[c["variant_id"]], row[c["channel"]]),
        "DanhSachHoSoBoSung": [], "DanhSachGiayToKetQua": [], "PhienBan": last + 1,
    }
    actor_name = user.full_name or user.get_full_name() or user.username
    progress = {
        "MaHoSo": code, "NguoiXuLy": actor_name, "ChucDanh": user.title,
        "ThoiDiemXuLy": _portal(at, tz), "PhongBanXuLy": _unit(version, receiving)[1],
        "NoiDungXuLy": "Trả kết quả", "TrangThai": str(status),
        "NgayBatDau": _portal(current_started, tz),
        "NgayKetThucTheoQuyDinh": _portal(current_due, tz),
    }
    now = timezone.now()
    received = row[c["received_at"]]
    outbox = []
    for n, (kind_, payload) in enumerate(((Kind.DOSSIER, record),
                                          (Kind.PROGRESS, progress)), start=1):
        outbox += [dossier_id, last + n, kind_, Jsonb(payload), True, f"{code}:{last + n}",
                   "pending", 0, now, None, "", "", None, now, competent, received]
    event_data = {"receiver": receiver, "papers": len(papers), "papers_digitised": 0,
                  "papers_reused": 0,
                  "papers_from_national_store": sum(1 for p in papers if p[9]),
                  "result_electronic": False}
    settled = _SETTLED[settled_timing]
    counted = [0] * len(_COUNTERS)
    counted[_COUNTERS.index(settled)] = counted[_COUNTERS.index("closed_after_receipt")] = 1
    day = local_day(at)
    write = [
        # The current step finished by the desk.
        current[0], current_started, current[0], at, current[0], timing, current[0], current[7],
        current[0],
        # The dossier: the columns the action changed, in the model's order.
        *[{"state": State.RETURNED, "timing": settled_timing, "returned_at": at, "closed_at": at,
           "updated_at": timezone.now()}[n] for n in st.dossier_columns[timing_changed]],
        dossier_id,
        # The event.
        event_id, dossier_id, seq, "return_result", at, user.pk, actor_name, receiving, state,
        State.RETURNED, current[0], None, None, "", current_due, timing, dossier_due,
        Jsonb(event_data),
        *outbox,
        # The service index's day and month rows (metrics/counters.py).
        day, competent, row[c["procedure_id"]], *counted,
        month_of(day), competent, row[c["procedure_id"]], *counted,
    ]
    # The last statement, with the COMMIT in the same round trip (motcua/prepared.py).
    joined_send(connection, st.write_sql[(timing_changed, settled)], write, commit=True)
    allowed = _allowed((State.RETURNED, user.pk, roles, receiving, competent,
                        row[c["current_unit_id"]], current[4], True), dossier_id, user)
    out_steps = []
    for s in steps:
        u_code, u_name = _unit(version, s[5])
        finished, s_timing = ((at, timing) if s[0] == current[0]
                              else (_moment(s[10]), s[11]))
        out_steps.append({
            "order": s[2], "name": s[3], "role": s[4], "unit": u_code, "unit_name": u_name,
            "assignee": s[16], "started_at": _iso(_moment(s[8]), tz),
            "due_at": _iso(_moment(s[9]), tz), "finished_at": _iso(finished, tz),
            "timing": s_timing})
    limit = row[c["limit_amount"]]
    return {
        "code": code, "procedure_code": p_code, "procedure_name": p_name,
        "variant": row[c["variant_id"]], "channel": row[c["channel"]],
        "state": State.RETURNED.value, "portal_status": status,
        "portal_status_label": PORTAL_LABEL[status],
        "receiving_unit": _unit(version, receiving)[0],
        "competent_unit": _unit(version, competent)[0],
        "current_unit": _unit(version, row[c["current_unit_id"]])[0],
        "applicant": {"kind": kind, "name": row[c["applicant_name"]], "id_number":
                      row[c["applicant_id_number"]], "address": row[c["applicant_address"]],
                      "phone": row[c["applicant_phone"]], "email": row[c["applicant_email"]],
                      "owner_name": row[c["owner_name"]],
                      "owner_id_number": row[c["owner_id_number"]]},
        "summary": row[c["summary"]], "sets_count": row[c["sets_count"]],
        "limit_amount": None if limit is None else str(limit),
        "limit_unit": row[c["limit_unit"]],
        "submitted_at": _iso(row[c["submitted_at"]], tz),
        "received_at": _iso(received, tz),
        "clock_started_at": _iso(row[c["clock_started_at"]], tz),
        "due_at": _iso(dossier_due, tz),
        "original_due_at": _iso(row[c["original_due_at"]], tz),
        "paused_at": _iso(row[c["paused_at"]], tz),
        "decided_at": _iso(decided, tz),
        "returned_at": _iso(at, tz),
        "closed_at": _iso(at, tz),
        "timing": settled_timing, "apology_count": row[c["apology_count"]],
        "steps": out_steps,
        "documents": [{
            "id": p[0], "required_document": p[2], "name": p[3], "copy_kind": p[4],
            "count": p[5], "original_seen": p[6], "digitised": p[7], "reused": p[8],
            "from_national_store": p[9], "replacing_result_code": p[10]} for p in papers],
        "allowed_actions": allowed,
    }


# --- The approval without signing -------------------------------------------------------------

class _ApproveStatements:
    """The real approval's statements' text (the lock statement, and the held writes heading the
    result's storing statement, results/storing.py), taken once a process from the code that
    builds them; the dossier's update by the set of columns the approval changes."""

    def __init__(self) -> None:
        from results.storing import _statement as stored_statement

        lock = _lock_query("code", True, "approve")._compiled_for()
        self.lock_sql, self.lock_params, self.lock_slots = lock.sql, lock.params, lock.slots
        self.steps_sql, _ = steps_statement(("started_at", "finished_at", "timing", "assignee"),
                                            2)
        self.event_sql = _insert_sql(connection, DossierEvent._meta,
                                     list(DossierEvent._meta.concrete_fields), 1)
        self.outbox_sql = _insert_sql(connection, OutboxMessage._meta,
                                      [f for f in OutboxMessage._meta.concrete_fields
                                       if not f.primary_key], 2)
        self.stored = {drafted: stored_statement(drafted)[0] for drafted in (False, True)}
        self.column: dict[str, int] = {}
        self.write_sql: dict[tuple, str] = {}

    def write(self, columns: tuple[str, ...], drafted: bool) -> str:
        found = self.write_sql.get((columns, drafted))
        if found is None:
            q = connection.ops.quote_name
            dossier_sql = (f"UPDATE {q('dossiers_dossier')} SET "
                           + ", ".join(f"{q(n)} = %s" for n in columns)
                           + f" WHERE {q('id')} = %s")
            held = (self.steps_sql, dossier_sql, self.event_sql, self.outbox_sql)
            # The held writes first, the result's storing after them, as the real path joins
            # them (its number is taken after the commit: results/numbering.py).
            found = self.write_sql[(columns, drafted)] = held_first(list(held),
                                                                    self.stored[drafted])
        return found

    def columns(self, description) -> dict[str, int]:
        if not self.column:
            self.column = {d.name: i for i, d in enumerate(description)}
        return self.column


_A: _ApproveStatements | None = None
# Per worker, by the catalogue's version: the signer's block as the result prints it, and
# whether anyone signs (results/signature_blocks.py, results/signing.py); a procedure's result
# name and first result code.
_BLOCKS: dict[tuple, tuple] = {}
_RESULTS: dict[tuple, tuple[str, str]] = {}
_ISSUERS: dict[tuple, list[str]] = {}


def _block(version: tuple, unit_id: int, user) -> tuple:
    found = _BLOCKS.get((version, unit_id, user.pk))
    if found is None:
        from accounts.models import Unit
        from dossiers.numbering import unit_abbreviation
        from results.signature_blocks import signature_block_for
        from results.signing import signers_for

        unit = Unit.objects.select_related("parent").get(pk=unit_id)
        b = signature_block_for(unit=unit, signer=user, version=version)
        found = _BLOCKS[(version, unit_id, user.pk)] = (
            b.name, b.title, list(b.lines), b.issuing_body, b.symbol or unit_abbreviation(unit),
            bool(signers_for(unit.code, b)))
        _ISSUERS[(version, unit_id)] = [unit.name, unit.parent.name if unit.parent_id else ""]
    return found


def _result(version: tuple, procedure_id: int) -> tuple[str, str]:
    found = _RESULTS.get((version, procedure_id))
    if found is None:
        from results.documents import result_name

        p = Procedure.objects.get(pk=procedure_id)
        found = _RESULTS[(version, procedure_id)] = (result_name(p.result_text),
                                                     (p.result_codes or [""])[0])
    return found


class EssentialApproveApi(APIView):
    """The least an approval without signing could be: the same 3 statements, rows, answer."""

    def post(self, request, code: str):
        global _A
        s = ActionSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        data = s.validated_data.get("data") or {}
        if s.validated_data.get("reason") or set(data) - {"result_draft"}:
            return Response({"detail": "essential: the plain approval only"}, status=409)
        try:
            with transaction.atomic():
                if _A is None:
                    _A = _ApproveStatements()
                answer = _approve(_A, code, request.user, data.get("result_draft"))
        except _Refused as refused:
            return Response({"detail": str(refused)}, status=409)
        if answer is None:
            return Response({"detail": "Không tìm thấy hồ sơ."}, status=404)
        return Response(answer)


def _approve(st: _ApproveStatements, code: str, user, draft_id) -> dict[str, Any] | None:
    import uuid

    from results.documents import result_type_for
    from results.services import verify_url

    params = list(st.lock_params)
    for slot, value in zip(st.lock_slots, (code, user.pk), strict=True):
        for i in slot:
            params[i] = value
    with hot_cursor(connection) as cursor:
        cursor.execute(st.lock_sql, params)
        row = cursor.fetchone()
        if row is None:
            return None
        c = st.column or st.columns(cursor.description)
    if row[c["row_locked"]] != row[c["row_seen"]]:
        raise _Refused("essential: changed under the lock")
    if (row[c["ever_paused"]] or row[c["snapshot_charged"]] or row[c["applicant_user_id"]]
            or settings.MOTCUA_MODE != "province" or row[c["limit_amount"]] is None
            or row[c["clock_started_at"]] is None):
        raise _Refused("essential: the plain case only")
    state = row[c["state"]]
    if state != State.PROCESSING:
        raise _Refused("essential: not approvable")
    steps = row[c["lock_steps"]] or []
    current_id = row[c["current_step_id"]]
    current = next((s for s in steps if s[0] == current_id), None)
    if current is None or current[4] != "head" or current[10] is not None:
        raise _Refused("essential: not at an open head's step")
    if any(s[4] == "head" and s[2] > current[2] for s in steps):
        raise _Refused("essential: another head's step follows")
    nxt = next((s for s in steps if s[2] == current[2] + 1), None)
    if nxt is None:
        raise _Refused("essential: no next step")
    roles = row[c["actor_roles"]] or ""
    issuer = current[5]
    if f"{issuer}:head" not in roles.split(","):
        raise _Refused("essential: the actor does not act at this step")
    # The versions, latest first (results/lock_reads.py): the one named is the latest, a draft,
    # and no earlier attempt kept a number (results/services.py `_number_kept`).
    versions = row[c["results_versions"]] or []
    if draft_id is not None:
        if (not isinstance(draft_id, int) or not versions or versions[0][0] != draft_id
                or versions[0][4] != "draft" or versions[0][3] != "template"):
            raise _Refused("essential: the latest draft, from the template, only")
    version = (row[c["ref_number"]], row[c["ref_procedures"]])
    p_code, p_name, f_code, f_name = _procedure(version, row[c["procedure_id"]])
    result_title, result_code = _result(version, row[c["procedure_id"]])
    if draft_id is None and (versions or result_title):
        raise _Refused("essential: a drafted result needs its draft")
    if any(v[16] is None and v[17] for v in versions):
        raise _Refused("essential: a number kept by an earlier attempt")
    signer_name, signer_title, lines, issuing_body, symbol, signed = _block(version, issuer, user)
    if signed:
        raise _Refused("essential: without signing only")
    draft = versions[0] if draft_id is not None else None
    title = (draft[5] if draft else "") or result_title or "Kết quả giải quyết thủ tục hành chính"
    kind = result_type_for(title)
    cal_version = calendar_version(row[c["ref_days"]], row[c["ref_last_day"]])
    tz = timezone.get_current_timezone()
    at = timezone.now()
    current_due = _moment(current[9])
    timing = deadlines.timing(at, current_due) if current_due else ""
    receiving = row[c["receiving_unit_id"]]
    statutory = deadlines.due_moment(
        row[c["clock_started_at"]], Decimal(row[c["limit_amount"]]), row[c["limit_unit"]],
        _calendar(cal_version, receiving), civil_code=row[c["civil_code_counting"]])
    settled_timing = deadlines.timing(at, statutory)
    current_started = _moment(current[8])
    dossier_id = row[c["id"]]
    dossier_due = row[c["due_at"]]
    next_unit = nxt[5]
    seq = (row[c["last_event_seq"]] or 0) + 1
    event_id = row[c["event_id_taken"]]
    competent = row[c["competent_unit_id"]]
    papers = row[c["lock_papers"]] or []
    last = row[c["outbox_last_seq"]] or 0
    owner_id = row[c["owner_id_number"]] or row[c["applicant_id_number"]]
    kind_ = row[c["applicant_kind"]]
    status = portal_status(State.DECIDED)
    record = {
        "MaHoSo": code, "MaTTHC": p_code, "TenTTHC": p_name, "MaLinhVuc": f_code,
        "TenLinhVuc": f_name, "KenhThucHien": str(row[c["channel"]]),
        "ChuHoSo": row[c["owner_name"]] or row[c["applicant_name"]],
        "LoaiDoiTuong": str(kind_), "SoGiayToChuHoSo": owner_id,
        "DinhDanhCHS": ([{"LoaiDinhDanh": "1" if kind_ == 1 else "2", "SoDinhDanh": owner_id}]
                        if owner_id else []),
        "Email": row[c["applicant_email"]], "SoDienThoai": row[c["applicant_phone"]],
        "TrichYeuHoSo": row[c["summary"]],
        "NgayNopHoSo": _portal(row[c["submitted_at"]], tz),
        "NgayTiepNhan": _portal(row[c["received_at"]], tz),
        "NgayHenTra": _portal(dossier_due, tz),
        "NgayTra": _portal(row[c["returned_at"]], tz),
        "NgayKetThucXuLy": _portal(at, tz),
        "NgayTuChoi": "", "TrangThaiHoSo": str(status),
        "DonViXuLy": _unit(version, competent)[1],
        "NoiNopHoSo": "2" if row[c["channel"]] == 2 else "1",
        "HoSoCoThanhPhanSoHoa": "1" if any(p[7] for p in papers) else "0",
        "TaiKhoanDuocXacThucVoiVNeID": "0",
        "DuocThanhToanTrucTuyen": "1" if row[c["snapshot_paid_online"]] else "0",
        "TaiLieuNop": [{
            "TepDinhKemId": str(p[0]), "TenTepDinhKem": p[3],
            "MaThanhPhanHoSo": str(p[2] or ""), "DuocSoHoa": "1" if p[7] else "0",
            "DuocTaiSuDung": "1" if p[8] else "0", "DuocLayTuKhoDMQG": "1" if p[9] else "0",
            "MaKetQuaThayThe": p[10]} for p in papers],
        "DanhSachLePhi": _fees(version, row[c["variant_id"]], row[c["channel"]]),
        "DanhSachHoSoBoSung": [], "DanhSachGiayToKetQua": [], "PhienBan": last + 1,
    }
    actor_name = user.full_name or user.get_full_name() or user.username
    progress = {
        "MaHoSo": code, "NguoiXuLy": actor_name, "ChucDanh": user.title,
        "ThoiDiemXuLy": _portal(at, tz), "PhongBanXuLy": _unit(version, issuer)[1],
        "NoiDungXuLy": "Phê duyệt kết quả", "TrangThai": str(status),
        "NgayBatDau": _portal(current_started, tz),
        "NgayKetThucTheoQuyDinh": _portal(current_due, tz),
    }
    now = timezone.now()
    received = row[c["received_at"]]
    outbox = []
    for n, (k, payload) in enumerate(((Kind.DOSSIER, record), (Kind.PROGRESS, progress)),
                                     start=1):
        outbox += [dossier_id, last + n, k, Jsonb(payload), True, f"{code}:{last + n}",
                   "pending", 0, now, None, "", "", None, now, competent, received]
    # The dossier's columns the approval changed, in the model's order (`_save_changed`).
    changed = {"state": State.DECIDED, "current_unit_id": next_unit,
               "current_step_id": nxt[0], "decided_at": at, "timing": settled_timing}
    changed = {k: v for k, v in changed.items() if row[c[k]] != v}
    changed["updated_at"] = timezone.now()
    columns = tuple(sorted(changed, key=_DOSSIER_ORDER.index))
    # The result: stored unnumbered, what it prints kept for its numbering and rendering after
    # the commit, with the series it is to be numbered in (the unit's yearly counter, Decree
    # 30/2020, Article 15; results/numbering.py).
    uid = uuid.uuid4()
    tail = f"/{kind.suffix}-{symbol}"
    owner_name = (row[c["owner_name"]] or row[c["applicant_name"]] if row[c["owner_id_number"]]
                  else row[c["applicant_name"]])
    valid_until = ((at.astimezone(tz) + timedelta(days=kind.validity_days)).date()
                   if kind.validity_days else None)
    facts = {
        "issuer_names": _ISSUERS[(version, issuer)], "uid": str(uid), "title": title,
        "result_code": result_code, "document_number": "", "issued_at": at.isoformat(),
        "valid_until": valid_until.isoformat() if valid_until else None,
        "owner_name": owner_name, "owner_id_number": owner_id,
        "owner_address": row[c["applicant_address"]], "procedure_name": p_name,
        "procedure_code": p_code, "dossier_code": code, "summary": row[c["summary"]],
        "signer_name": signer_name, "signer_title": signer_title, "verify_url": verify_url(uid),
        "subject": draft[6] if draft else "", "body": draft[7] if draft else "",
        "recipients": draft[8] if draft else "", "signature_lines": lines,
        "issuing_body": issuing_body, "draft": False, NUMBER_PENDING: [kind.suffix, tail]}
    write = [
        # The steps: the head's finished, the next one started.
        current[0], current_started, nxt[0], at, current[0], at, nxt[0], None,
        current[0], timing, nxt[0], "", current[0], current[7], nxt[0], None, current[0], nxt[0],
        *[changed[n] for n in columns], dossier_id,
        event_id, dossier_id, seq, "approve", at, user.pk, actor_name, issuer, state,
        State.DECIDED, current[0], next_unit, None, "", current_due, timing, dossier_due,
        Jsonb({"result_draft": draft_id} if draft_id is not None else {}),
        *outbox,
        uid, "result", kind.key, title, result_code, "", issuer, signer_name, signer_title,
        at, valid_until, owner_id, owner_name, dossier_id, p_code, "", "", 0, Jsonb([]), False,
        Jsonb(facts), user.pk, timezone.now(),
    ]
    if draft is not None:
        write += ["signed", user.pk, at, "", at, draft_id]
    # The last statement, with the COMMIT in the same round trip (motcua/prepared.py).
    joined_send(connection, st.write(columns, draft is not None), write, commit=True,
                returning=True)
    allowed = _allowed((State.DECIDED, user.pk, roles, receiving, competent, next_unit, nxt[4],
                        row[c["paused_at"]] is None), dossier_id, user)
    out_steps = _steps_moved_on(steps, version, tz, current=current, nxt=nxt,
                                current_started=current_started, at=at, timing=timing)
    limit = row[c["limit_amount"]]
    return {
        "code": code, "procedure_code": p_code, "procedure_name": p_name,
        "variant": row[c["variant_id"]], "channel": row[c["channel"]],
        "state": State.DECIDED.value, "portal_status": status,
        "portal_status_label": PORTAL_LABEL[status],
        "receiving_unit": _unit(version, receiving)[0],
        "competent_unit": _unit(version, competent)[0],
        "current_unit": _unit(version, next_unit)[0],
        "applicant": {"kind": kind_, "name": row[c["applicant_name"]], "id_number":
                      row[c["applicant_id_number"]], "address": row[c["applicant_address"]],
                      "phone": row[c["applicant_phone"]], "email": row[c["applicant_email"]],
                      "owner_name": row[c["owner_name"]],
                      "owner_id_number": row[c["owner_id_number"]]},
        "summary": row[c["summary"]], "sets_count": row[c["sets_count"]],
        "limit_amount": None if limit is None else str(limit),
        "limit_unit": row[c["limit_unit"]],
        "submitted_at": _iso(row[c["submitted_at"]], tz),
        "received_at": _iso(received, tz),
        "clock_started_at": _iso(row[c["clock_started_at"]], tz),
        "due_at": _iso(dossier_due, tz),
        "original_due_at": _iso(row[c["original_due_at"]], tz),
        "paused_at": _iso(row[c["paused_at"]], tz),
        "decided_at": _iso(at, tz),
        "returned_at": _iso(row[c["returned_at"]], tz),
        "closed_at": _iso(row[c["closed_at"]], tz),
        "timing": settled_timing, "apology_count": row[c["apology_count"]],
        "steps": out_steps,
        "documents": [{
            "id": p[0], "required_document": p[2], "name": p[3], "copy_kind": p[4],
            "count": p[5], "original_seen": p[6], "digitised": p[7], "reused": p[8],
            "from_national_store": p[9], "replacing_result_code": p[10]} for p in papers],
        "allowed_actions": allowed,
    }
