"""The essential floor of an action (issue #18): the least a forward could be on this stack.

`POST /bench/essential/<code>/forward/` goes through what the real forward goes through —
gunicorn, Django's middleware, DRF with the same token authentication and permission class, the
same request body parsed — and sends **the same three statements** the real forward sends
(`POST /api/v1/dossiers/<code>/actions/forward/`, dossiers/services/transitions.py): the token's
read (DRF's authentication, the same code), the lock statement (the very SQL text the real path
compiled, `_lock_query`, bound and prepared on the server the same way, `hot_cursor`) and one
joined write (the steps' update, the dossier's update, the event's insert and the two portal
outbox rows', each with the SQL text the real path builds, bound on the server, `joined_cursor`),
in one transaction. What it does in between is the least that writes the same rows: no
transition table, no model instances, no serializer for the answer — values taken from the lock
statement's row by position, the portal's two records and the answer written as dicts.

Not a second copy of the rules: it covers the plain case the benches measure (the next step is
planned, no officer named, never paused, no payment demand, no applicant account, the province's
mode) and refuses anything else with a 409; the reference data it needs (procedure, field, units,
fees) and the allowed actions of the answer are kept per worker as plain tuples, keyed by the
catalogue version the lock statement reads (the real path keeps its reference data per worker
too, dossiers/reference.py). `bench/tests/test_essential.py` checks that it writes the rows the
real forward writes and answers the same JSON. Mounted only by bench/trivial_urls.py.
"""

from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from psycopg.types.json import Jsonb
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.models import Fee, Procedure
from dossiers.models import DossierEvent, State
from dossiers.serializers import ActionSerializer
from dossiers.services.step_rows import _statement as steps_statement
from dossiers.services.transitions import STEP_ROLE_ACTOR, _lock_query
from dossiers.states import PORTAL_LABEL, portal_status
from motcua.prepared import _insert_sql, hot_cursor, joined_cursor
from sync.models import Kind, OutboxMessage

_STEP = {"id": 0, "order": 2, "name": 3, "role": 4, "unit_id": 5, "assignee_id": 7,
         "started_at": 8, "due_at": 9, "finished_at": 10, "timing": 11, "username": 16}
_PORTAL_DATE = "%Y%m%d%H%M%S"


class _Statements:
    """The real forward's statements' text, taken once a process from the code that builds it."""

    def __init__(self) -> None:
        lock = _lock_query("code", True, "forward")._compiled_for()
        self.lock_sql, self.lock_params, self.lock_slots = lock.sql, lock.params, lock.slots
        steps_sql, _ = steps_statement(("started_at", "finished_at", "timing", "assignee"), 2)
        q = connection.ops.quote_name
        dossier_sql = (f"UPDATE {q('dossiers_dossier')} SET {q('state')} = %s, "
                       f"{q('current_unit_id')} = %s, {q('current_step_id')} = %s, "
                       f"{q('updated_at')} = %s WHERE {q('id')} = %s")
        event_sql = _insert_sql(connection, DossierEvent._meta,
                                list(DossierEvent._meta.concrete_fields), 1)
        outbox_sql = _insert_sql(connection, OutboxMessage._meta,
                                 [f for f in OutboxMessage._meta.concrete_fields
                                  if not f.primary_key], 2)
        self.write_sql = (f"WITH w0 AS ({steps_sql}), w1 AS ({dossier_sql}), "
                          f"w2 AS ({event_sql}) {outbox_sql}")
        self.column: dict[str, int] = {}

    def columns(self, description) -> dict[str, int]:
        if not self.column:
            self.column = {d.name: i for i, d in enumerate(description)}
        return self.column


_S: _Statements | None = None
# Per worker, keyed by the catalogue's version as the lock statement reads it: a unit's
# (code, name), a procedure's (code, name, field code, field name), a case's fees by channel.
_UNITS: dict[tuple, tuple[str, str]] = {}
_PROCEDURES: dict[tuple, tuple[str, str, str, str]] = {}
_FEES: dict[tuple, list[dict[str, str]]] = {}
# The answer's allowed actions, by what the rule reads of the forwarded dossier and the actor.
_ALLOWED: dict[tuple, list[str]] = {}


def _unit(version: tuple, unit_id: int) -> tuple[str, str]:
    found = _UNITS.get((version, unit_id))
    if found is None:
        from accounts.models import Unit

        u = Unit.objects.get(pk=unit_id)
        found = _UNITS[(version, unit_id)] = (u.code, u.name)
    return found


def _procedure(version: tuple, procedure_id: int) -> tuple[str, str, str, str]:
    found = _PROCEDURES.get((version, procedure_id))
    if found is None:
        p = Procedure.objects.select_related("field").get(pk=procedure_id)
        f = p.field
        found = _PROCEDURES[(version, procedure_id)] = (
            p.code, p.name, f.code if f else "", f.name if f else "")
    return found


def _fees(version: tuple, variant_id: int, channel: int) -> list[dict[str, str]]:
    found = _FEES.get((version, variant_id, channel))
    if found is None:
        found = _FEES[(version, variant_id, channel)] = [
            {"TenPhiLePhi": f.name, "MaPhiLePhi": str(f.pk), "HinhThucThu": "1",
             "Gia": str(f.amount or 0)}
            for f in Fee.objects.filter(variant_id=variant_id, channel=channel).order_by("pk")]
    return found


def _allowed(key: tuple, dossier_id: int, user) -> list[str]:
    """Asked of the transition table the first time a worker meets `key` (what the rule reads
    of a forwarded dossier and its actor), then kept: a floor needs no rule of its own."""
    found = _ALLOWED.get(key)
    if found is None:
        from dossiers.selectors import dossier_with_details
        from dossiers.services.transitions import allowed_actions

        d = dossier_with_details(pk=dossier_id)
        found = _ALLOWED[key] = [t.action for t in allowed_actions(d, user)]
    return found


def _moment(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text).replace(tzinfo=UTC)


def _portal(value: datetime | None, tz) -> str:
    return "" if value is None else value.astimezone(tz).strftime(_PORTAL_DATE)


def _iso(value: datetime | None, tz) -> str | None:
    return None if value is None else value.astimezone(tz).isoformat()


def _steps_moved_on(steps: list, version: tuple, tz, *, current: tuple, nxt: tuple,
                    current_started: datetime | None, at: datetime, timing: str) -> list[dict]:
    """The answer's steps after the current one finished at `at` and the next one started then
    (a forward, an approval): DossierDetailSerializer's step items from the rows as written."""
    out_steps = []
    for s in steps:
        u_code, u_name = _unit(version, s[5])
        if s[0] == current[0]:
            started, finished, s_timing, assignee = current_started, at, timing, s[16]
        elif s[0] == nxt[0]:
            started, finished, s_timing, assignee = at, None, "", None
        else:
            started, finished, s_timing = _moment(s[8]), _moment(s[10]), s[11]
            assignee = s[16]
        out_steps.append({
            "order": s[2], "name": s[3], "role": s[4], "unit": u_code, "unit_name": u_name,
            "assignee": assignee, "started_at": _iso(started, tz),
            "due_at": _iso(_moment(s[9]), tz), "finished_at": _iso(finished, tz),
            "timing": s_timing})
    return out_steps


class _Refused(Exception):
    pass


class EssentialForwardApi(APIView):
    """The least a forward could be: the same 3 statements, the same rows, the same answer."""

    def post(self, request, code: str):
        global _S
        s = ActionSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        if s.validated_data.get("reason") or s.validated_data.get("data"):
            return Response({"detail": "essential: the plain forward only"}, status=409)
        user = request.user
        try:
            with transaction.atomic():
                if _S is None:
                    # Compiling a locking read needs a transaction (Django's check).
                    _S = _Statements()
                answer = _forward(_S, code, user)
        except _Refused as refused:
            return Response({"detail": str(refused)}, status=409)
        if answer is None:
            return Response({"detail": "Không tìm thấy hồ sơ."}, status=404)
        return Response(answer)


def _forward(st: _Statements, code: str, user) -> dict[str, Any] | None:
    params = list(st.lock_params)
    for slot, value in zip(st.lock_slots, (code, user.pk), strict=True):
        for i in slot:
            params[i] = value
    with hot_cursor(connection) as cursor:
        cursor.execute(st.lock_sql, params)
        row = cursor.fetchone()
        if row is None:
            return None
        # Which column is which, read once a process (psycopg builds the description anew).
        c = st.column or st.columns(cursor.description)
    if row[c["row_locked"]] != row[c["row_seen"]]:
        raise _Refused("essential: changed under the lock")
    if (row[c["ever_paused"]] or row[c["snapshot_charged"]] or row[c["applicant_user_id"]]
            or settings.MOTCUA_MODE != "province"):
        raise _Refused("essential: the plain case only")
    state = row[c["state"]]
    if state not in (State.RECEIVED, State.PROCESSING):
        raise _Refused("essential: not forwardable")
    steps = row[c["lock_steps"]] or []
    current_id = row[c["current_step_id"]]
    current = next((s for s in steps if s[0] == current_id), None)
    if current is None:
        raise _Refused("essential: no current step")
    nxt = next((s for s in steps if s[2] == current[2] + 1), None)
    if nxt is None:
        raise _Refused("essential: no next step")
    roles = row[c["actor_roles"]] or ""
    actor_unit = current[5]
    if f"{actor_unit}:{STEP_ROLE_ACTOR[current[4]].value}" not in roles.split(","):
        raise _Refused("essential: the actor does not act at this step")
    version = (row[c["ref_number"]], row[c["ref_procedures"]])
    tz = timezone.get_current_timezone()
    at = timezone.now()
    current_due = _moment(current[9])
    if current_due is None:
        timing = ""
    else:
        done, due = at.astimezone(tz), current_due.astimezone(tz)
        timing = ("late" if done > due else "early" if done.date() < due.date() else "on_time")
    current_started = _moment(current[8])
    dossier_id = row[c["id"]]
    dossier_due = row[c["due_at"]]
    next_unit = nxt[5]
    seq = (row[c["last_event_seq"]] or 0) + 1
    event_id = row[c["event_id_taken"]]
    # The portal's two records (sync/portal_format.py), from the row and the per-worker data.
    p_code, p_name, f_code, f_name = _procedure(version, row[c["procedure_id"]])
    competent = row[c["competent_unit_id"]]
    papers = row[c["lock_papers"]] or []
    last = row[c["outbox_last_seq"]] or 0
    owner_id = row[c["owner_id_number"]] or row[c["applicant_id_number"]]
    kind = row[c["applicant_kind"]]
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
        "NgayTra": _portal(row[c["returned_at"]], tz),
        "NgayKetThucXuLy": _portal(row[c["decided_at"]] or row[c["closed_at"]], tz),
        "NgayTuChoi": "", "TrangThaiHoSo": str(portal_status(State.PROCESSING)),
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
        "ThoiDiemXuLy": _portal(at, tz), "PhongBanXuLy": _unit(version, actor_unit)[1],
        "NoiDungXuLy": "Chuyển bước tiếp theo",
        "TrangThai": str(portal_status(State.PROCESSING)),
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
    write = [
        # The steps: the current one finished by the actor, the next one started.
        current[0], current_started, nxt[0], at, current[0], at, nxt[0], None,
        current[0], timing, nxt[0], "", current[0], current[7], nxt[0], None, current[0], nxt[0],
        # The dossier.
        State.PROCESSING, next_unit, nxt[0], timezone.now(), dossier_id,
        # The event.
        event_id, dossier_id, seq, "forward", at, user.pk, actor_name, actor_unit, state,
        State.PROCESSING, current[0], next_unit, None, "", current_due, timing, dossier_due,
        Jsonb({}),
        *outbox,
    ]
    with joined_cursor(connection) as cursor:
        cursor.execute(st.write_sql, write)
    # The answer (DossierDetailSerializer's JSON), from the row and the steps as written.
    receiving = row[c["receiving_unit_id"]]
    allowed = _allowed((State.PROCESSING, user.pk, roles, receiving, competent, next_unit,
                        nxt[4], row[c["paused_at"]] is None), dossier_id, user)
    out_steps = _steps_moved_on(steps, version, tz, current=current, nxt=nxt,
                                current_started=current_started, at=at, timing=timing)
    limit = row[c["limit_amount"]]
    return {
        "code": code, "procedure_code": p_code, "procedure_name": p_name,
        "variant": row[c["variant_id"]], "channel": row[c["channel"]],
        "state": State.PROCESSING.value, "portal_status": portal_status(State.PROCESSING),
        "portal_status_label": PORTAL_LABEL[portal_status(State.PROCESSING)],
        "receiving_unit": _unit(version, receiving)[0],
        "competent_unit": _unit(version, competent)[0],
        "current_unit": _unit(version, next_unit)[0],
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
        "decided_at": _iso(row[c["decided_at"]], tz),
        "returned_at": _iso(row[c["returned_at"]], tz),
        "closed_at": _iso(row[c["closed_at"]], tz),
        "timing": row[c["timing"]], "apology_count": row[c["apology_count"]],
        "steps": out_steps,
        "documents": [{
            "id": p[0], "required_document": p[2], "name": p[3], "copy_kind": p[4],
            "count": p[5], "original_seen": p[6], "digitised": p[7], "reused": p[8],
            "from_national_store": p[9], "replacing_result_code": p[10]} for p in papers],
        "allowed_actions": allowed,
    }
