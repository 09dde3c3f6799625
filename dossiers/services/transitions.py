"""dossier_act: the only way a dossier changes state.

The action is looked up in the transition table (dossiers/states.py); the actor's role and unit
are checked; the dossier, its steps and its event row change in one database transaction under
the dossier's row lock.
"""

from collections.abc import Callable
from datetime import datetime
from itertools import compress
from operator import itemgetter, ne
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Field,
    IntegerField,
    TextField,
    prefetch_related_objects,
)
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.models import Role, User
from accounts.selectors import (
    user_has_role,
    user_holding_role,
    user_roles_cached,
    user_roles_known,
    user_roles_read,
)
from catalog.models import Step
from catalog.selectors import variant_time_limit
from dossiers import deadlines
from dossiers.calendar import calendar_for_unit
from dossiers.events import (
    event_consumer_lock_reads,
    event_consumers,
    event_lock_reads,
    event_write,
)
from dossiers.handover import receiver_clean
from dossiers.models import Dossier, DossierEvent, DossierPause, DossierStep, State
from dossiers.numbering import FORM_SUFFIX, document_number_next
from dossiers.reference import (
    CATALOGUE_VERSION_SEEN,
    reference_unit,
    reference_variant,
    reference_version_of,
    reference_version_reads,
)
from dossiers.selectors import detail_lists, dossier_is_own, dossier_visible
from dossiers.services.access import access_grant, dossier_access_units
from dossiers.services.planning import plan_dues, statutory_due, step_plan
from dossiers.services.step_rows import steps_save
from dossiers.states import (
    APPLICANT,
    COMPETENT,
    INTAKE,
    STEP,
    SYSTEM,
    SystemActor,
    Transition,
    actions_from,
    transition,
)
from motcua import inputs
from motcua.errors import DomainError, NotAllowed
from motcua.prepared import (
    Prepared,
    related_hold,
    related_rows,
    related_set,
    row_update,
    rows_insert,
    writes_joined,
)

# The staff role that acts on a step of each catalog step role.
STEP_ROLE_ACTOR = {
    Step.Role.RECEIVING: Role.RECEIVING,
    Step.Role.RETURNING: Role.RECEIVING,
    Step.Role.SPECIALIST: Role.SPECIALIST,
    Step.Role.COORDINATING: Role.SPECIALIST,
    Step.Role.HEAD: Role.HEAD,
}


class _Context:
    """What one action is doing: filled by the handler, written by dossier_act."""

    def __init__(self, dossier: Dossier, actor: User, at: datetime, reason: str,
                 data: dict[str, Any]) -> None:
        self.dossier = dossier
        self.actor = actor
        self.at = at
        self.reason = reason
        self.data = data
        self.target: str | None = None
        self.step: DossierStep | None = dossier.current_step
        self.timing = ""
        self.to_unit = None
        self.to_user = None
        self.event_data: dict[str, Any] = {}
        self.actor_unit = None
        # Steps the action plans (acceptance): written by dossier_act, or by the filing's insert
        # when the dossier is created already received (intake.py).
        self.new_steps: list[DossierStep] = []
        # The receiving unit's calendar when the caller holds it already, or the calendar
        # table's version read with the dossier's lock (`calendar()`).
        self.cal = None
        self.calendar_version: tuple | None = None
        # Steps started or finished by the action: written together by dossier_act.
        self.touched: dict[int, DossierStep] = {}

    def calendar(self):
        """The receiving unit's working calendar: no statement when the caller or the lock
        statement read the calendar table's version."""
        if self.cal is None:
            self.cal = calendar_for_unit(self.dossier.receiving_unit,
                                         version=self.calendar_version)
        return self.cal


def _acts_as(dossier: Dossier, actor: User, scope: str, role: str) -> tuple[bool, Any]:
    """Whether `actor` acts on `dossier` as one (scope, role) pair of the transition table's
    actors, and the unit they act for then."""
    if scope == APPLICANT:
        return dossier_is_own(dossier, actor), None
    if scope == INTAKE:
        unit = dossier.receiving_unit
        return user_has_role(actor, unit_id=unit.pk, role=role), unit
    if scope == COMPETENT:
        unit = dossier.competent_unit
        return user_has_role(actor, unit_id=unit.pk, role=role), unit
    if scope == STEP:
        step = dossier.current_step
        if step is None or step.finished_at is not None or STEP_ROLE_ACTOR.get(step.role) != role:
            return False, None
        return user_has_role(actor, unit_id=step.unit_id, role=role), step.unit
    return False, None


def actor_may(dossier: Dossier, actor: User, t: Transition,
              asked: dict | None = None) -> tuple[bool, Any]:
    """Whether `actor` may perform `t` on `dossier` now, and the unit they act for. `asked`
    keeps each (scope, role) pair's answer for the next transition asked about the same dossier
    and actor (`allowed_actions`: the table's transitions from one state share a few pairs)."""
    if isinstance(actor, SystemActor):
        # A system process acts only where the table names it, for the competent agency.
        allowed = any(scope == SYSTEM and role == actor.name for scope, role in t.actors)
        return allowed, dossier.competent_unit if allowed else None
    for pair in t.actors:
        found = asked.get(pair) if asked is not None else None
        if found is None:
            found = _acts_as(dossier, actor, *pair)
            if asked is not None:
                asked[pair] = found
        if found[0]:
            return found
    return False, None


def allowed_actions(dossier: Dossier, actor: User) -> list[Transition]:
    """The transitions `actor` may perform on `dossier` now: each of the table's transitions
    from its state, asked by `actor_may` with each (scope, role) pair answered once (the API's
    answer after every action lists them; a dossier in processing has nine transitions naming
    six pairs)."""
    asked: dict = {}
    return [t for t in actions_from(dossier.state) if actor_may(dossier, actor, t, asked)[0]
            and _precondition(dossier, t) is None]


def _precondition(dossier: Dossier, t: Transition) -> str | None:
    """A reason why the action cannot happen in the dossier's present situation, or None."""
    steps = None
    if t.action == "forward":
        steps = list(related_rows(dossier, "steps"))
        current = dossier.current_step
        following = [s for s in steps if current and s.order > current.order]
        if not following or following[0].role in (Step.Role.RETURNING,):
            return "Đây là bước cuối trước khi phê duyệt: lãnh đạo phê duyệt kết quả."
        if following[0].role == Step.Role.HEAD and current.role == Step.Role.HEAD:
            return "Lãnh đạo phê duyệt kết quả thay vì chuyển tiếp."
    if t.action == "return_step":
        current = dossier.current_step
        if current is None or current.order <= 1:
            return "Không có bước trước để trả lại."
        steps = steps or list(related_rows(dossier, "steps"))
        if current.order - 1 <= 1 and steps and steps[0].role == Step.Role.RECEIVING:
            return "Muốn trả về bộ phận một cửa, hãy yêu cầu bổ sung hồ sơ."
    if t.action == "approve":
        current = dossier.current_step
        if current is None or current.role != Step.Role.HEAD:
            return "Chỉ phê duyệt ở bước lãnh đạo."
    return None


def _finish_step(ctx: _Context) -> None:
    step = ctx.dossier.current_step
    if step is None or step.finished_at is not None:
        return
    step.finished_at = ctx.at
    step.timing = deadlines.timing(ctx.at, step.due_at) if step.due_at else ""
    ctx.touched[step.pk] = step
    ctx.step = step
    ctx.timing = step.timing


def _start_step(ctx: _Context, step: DossierStep, assignee: User | None) -> None:
    step.started_at = ctx.at
    step.finished_at = None
    step.timing = ""
    related_set(step, "assignee", assignee)
    if step.pk is not None:
        # A step planned by this very action is written with these values by its insert.
        ctx.touched[step.pk] = step
    unit = step.unit
    related_set(ctx.dossier, "current_step", step)
    related_set(ctx.dossier, "current_unit", unit)
    ctx.to_unit = unit
    ctx.to_user = assignee


def _assignee(ctx: _Context, step: DossierStep) -> User | None:
    raw = ctx.data.get("assignee")
    if raw in (None, ""):
        return None
    user = user_holding_role(raw, unit_id=step.unit_id, role=STEP_ROLE_ACTOR.get(step.role))
    if user is None:
        raise DomainError("invalid_assignee",
                          f"Người nhận không thuộc {step.unit.name} với vai trò phù hợp.",
                          "The assignee does not hold the step's role in the step's unit.",
                          fields={"assignee": ["Người nhận không hợp lệ."]})
    return user


def _pause(ctx: _Context, kind: str) -> None:
    d = ctx.dossier
    d.paused_at = ctx.at
    DossierPause.objects.create(dossier=d, kind=kind, started_at=ctx.at, reason=ctx.reason)
    # The pauses read with the lock no longer hold them all: whoever reads them next reads them.
    d._prefetched_objects_cache.pop("pauses", None)


def _resume(ctx: _Context) -> None:
    d = ctx.dossier
    pause = d.pauses.filter(ended_at__isnull=True).order_by("-started_at").first()
    if pause:
        pause.ended_at = ctx.at
        pause.save(update_fields=["ended_at"])
        d._prefetched_objects_cache.pop("pauses", None)
    d.paused_at = None
    steps = list(d.steps.all())
    plan_dues(d, steps, cal=ctx.calendar())
    DossierStep.objects.bulk_update(steps, ["due_at"])
    if d.current_step_id:
        d.current_step = next(s for s in steps if s.pk == d.current_step_id)
    if pause:
        ctx.event_data["paused_from"] = pause.started_at.isoformat()


# --- handlers: one per action -----------------------------------------------------------------

def _accept(ctx: _Context) -> None:
    d = ctx.dossier
    limit = variant_time_limit(d.variant, d.channel)
    cal = ctx.calendar()
    d.received_at = ctx.at
    d.cutoff_time = d.variant.cutoff_time
    d.civil_code_counting = d.variant.civil_code_counting
    d.clock_started_at = deadlines.clock_start(ctx.at, cal, d.cutoff_time)
    if limit is not None:
        d.limit_amount, d.limit_unit = limit.amount, limit.unit
    steps = step_plan(d)
    # Nothing can have paused a dossier before its acceptance.
    plan_dues(d, steps, cal=cal, paused=False)
    d.original_due_at = d.due_at
    # The first step starts now, in memory: the steps are inserted once, as they stand.
    _start_step(ctx, steps[0], ctx.actor)
    ctx.new_steps = steps
    ctx.step = steps[0]
    ctx.event_data.update({"clock_started_at": d.clock_started_at.isoformat(),
                           "limit": f"{d.limit_amount} {d.limit_unit}" if limit else ""})
    ctx.target = State.RECEIVED


def _forward(ctx: _Context) -> None:
    d = ctx.dossier
    current = d.current_step
    nxt = _step_at(d, current.order + 1)
    assignee = _assignee(ctx, nxt)
    _finish_step(ctx)
    _start_step(ctx, nxt, assignee)
    ctx.target = State.PROCESSING


def _step_at(dossier: Dossier, order: int) -> DossierStep | None:
    """The dossier's step `order`, from its steps loaded with it (dossier_act)."""
    return next((s for s in related_rows(dossier, "steps") if s.order == order), None)


def _settled_timing(moment: datetime, dossier: Dossier, cal) -> str:
    due = statutory_due(dossier, cal=cal) or dossier.due_at
    return deadlines.timing(moment, due) if due else ""


def _return_step(ctx: _Context) -> None:
    d = ctx.dossier
    previous = _step_at(d, d.current_step.order - 1)
    _finish_step(ctx)
    _start_step(ctx, previous, previous.assignee)
    ctx.target = State.PROCESSING


def _approve(ctx: _Context) -> None:
    d = ctx.dossier
    draft = ctx.data.get("result_draft")
    if draft is not None:
        # The draft version the head signed through the confirmation page (results/drafting.py):
        # the results consumer issues that version and no other.
        if not isinstance(draft, int) or isinstance(draft, bool):
            raise DomainError("invalid", "Dự thảo kết quả không hợp lệ.",
                              "result_draft must be the id of a draft.",
                              fields={"result_draft": ["Giá trị không hợp lệ."]})
        ctx.event_data["result_draft"] = draft
    _finish_step(ctx)
    d.decided_at = ctx.at
    d.timing = _settled_timing(ctx.at, d, ctx.calendar())
    nxt = _step_at(d, d.current_step.order + 1)
    if nxt is not None:
        _start_step(ctx, nxt, None)
    ctx.target = State.DECIDED


def _request_supplement(ctx: _Context) -> None:
    missing = ctx.data.get("missing_documents") or []
    if not isinstance(missing, list) or not all(isinstance(m, str) for m in missing):
        raise DomainError("invalid", "Danh sách giấy tờ cần bổ sung không hợp lệ.",
                          "missing_documents must be a list of names.",
                          fields={"missing_documents": ["Phải là danh sách tên giấy tờ."]})
    ctx.event_data["missing_documents"] = missing
    if ctx.dossier.state == State.PROCESSING:
        # During processing the clock pauses until the applicant supplements (domain.md §3.5).
        _pause(ctx, DossierPause.Kind.SUPPLEMENT)
    ctx.target = State.SUPPLEMENT_REQUESTED


def _supplement(ctx: _Context) -> None:
    d = ctx.dossier
    if d.paused_at is not None:
        _resume(ctx)
        ctx.target = State.PROCESSING
    else:
        ctx.target = State.SUBMITTED


def _request_payment(ctx: _Context) -> None:
    amount = ctx.data.get("amount")
    if amount is not None and (not isinstance(amount, int) or isinstance(amount, bool)
                               or not 0 <= amount <= inputs.AMOUNT_MAX):
        raise DomainError("invalid", "Số tiền phải là số nguyên không âm (đồng), không quá "
                          f"{inputs.AMOUNT_MAX}.",
                          f"amount must be a non-negative integer (VND), at most "
                          f"{inputs.AMOUNT_MAX}.",
                          fields={"amount": ["Giá trị không hợp lệ."]})
    if amount is not None:
        ctx.event_data["amount"] = amount
    if ctx.data.get("exemption"):
        # The applicant is exempt (payments/ charges 0 and shows this reason on each fee line).
        ctx.event_data["exemption"] = str(ctx.data["exemption"])[:500]
    _pause(ctx, DossierPause.Kind.PAYMENT)
    ctx.target = State.AWAITING_PAYMENT


# What a confirmed payment tells the event (payments/): who confirmed it (gateway, bank or
# officer), whether it was paid online (the portal's DuocThanhToanTrucTuyen), its reference.
PAYMENT_EVENT_KEYS = ("confirmed_by", "online", "payment_reference", "amount", "method")


def _mark_paid(ctx: _Context) -> None:
    # Only the payment system may say that the gateway or the bank confirmed; an officer's
    # own word is recorded as the officer's, whatever the request body claims.
    if isinstance(ctx.actor, SystemActor) or ctx.data.get("confirmed_by") == "officer":
        ctx.event_data.update({k: ctx.data[k] for k in PAYMENT_EVENT_KEYS if k in ctx.data})
    _resume(ctx)
    ctx.target = State.PROCESSING


def _apologize(ctx: _Context) -> None:
    d = ctx.dossier
    raw = ctx.data.get("new_due_at")
    try:
        new_due = parse_datetime(raw) if isinstance(raw, str) else raw
    except ValueError:
        # Well formed but no such moment ("2026-02-30T10:00+07:00"): parse_datetime raises.
        new_due = None
    if (not isinstance(new_due, datetime) or timezone.is_naive(new_due)
            or not inputs.day_in_range(new_due.date())):
        # Outside the years the system keeps, a moment near 31/12/9999 cannot even be moved
        # to UTC to be stored.
        raise DomainError("invalid", "Cần ghi ngày hẹn trả mới (kèm giờ và múi giờ).",
                          "new_due_at must be an ISO 8601 date-time with offset.",
                          fields={"new_due_at": ["Ngày hẹn mới không hợp lệ."]})
    if d.due_at and new_due <= d.due_at:
        raise DomainError("invalid", "Ngày hẹn trả mới phải sau ngày hẹn hiện tại.",
                          "new_due_at must be later than the current due moment.",
                          fields={"new_due_at": ["Phải sau ngày hẹn hiện tại."]})
    cal = ctx.calendar()
    # Law (Decree 118/2025): the apology is issued at the latest 1 working day before the due
    # moment; a later one is still recorded, and flagged, because the applicant must be told.
    in_time = bool(d.due_at) and deadlines.working_seconds_between(
        ctx.at, d.due_at, cal) >= cal.seconds_per_day
    ctx.event_data.update({"previous_due_at": d.due_at.isoformat() if d.due_at else None,
                           "new_due_at": new_due.isoformat(), "issued_in_time": in_time})
    if d.original_due_at is None:
        d.original_due_at = d.due_at
    d.due_at = new_due
    d.apology_count += 1
    last = max(related_rows(d, "steps"), key=lambda s: s.order, default=None)
    if last:
        last.due_at = new_due
        last.save(update_fields=["due_at"])
    ctx.target = d.state


def _close(ctx: _Context, target: str) -> None:
    _finish_step(ctx)
    ctx.dossier.closed_at = ctx.at
    if ctx.dossier.paused_at:
        _resume(ctx)
    ctx.target = target


def _mark_result_ready(ctx: _Context) -> None:
    ctx.target = State.RESULT_READY


def _return_result(ctx: _Context) -> None:
    d = ctx.dossier
    # Who received the result, the paper they showed, how (dossiers/handover.py): required from
    # every caller, the desk's form and the API alike, since Form 05 and the register (Form 06)
    # must say to whom and how the result went.
    ctx.event_data["receiver"] = receiver_clean(ctx.data.get("receiver"),
                                                applicant_name=d.applicant_name)
    d.returned_at = ctx.at
    d.timing = _settled_timing(ctx.at, d, ctx.calendar())
    # What the service index counts for a settled dossier (Decision 766, digitisation group),
    # kept on the event so that a rebuild from the log counts the same (docs/metrics.md).
    ctx.event_data.update(_settled_papers(d))
    _close(ctx, State.RETURNED)


def _settled_papers(d: Dossier) -> dict[str, Any]:
    """The dossier's papers by the flags the national portal asks for (domain.md §10), and
    whether its result was issued as a signed electronic document (results/)."""
    # results builds on dossiers; handing the result over renders it if it is still pending.
    from results.rendering import dossier_results_hand_over

    # Counted from the papers dossier_act read with the dossier.
    documents = list(related_rows(d, "documents"))
    papers = {"papers": len(documents),
              "papers_digitised": sum(1 for p in documents if p.digitised),
              "papers_reused": sum(1 for p in documents if p.reused),
              "papers_from_national_store": sum(1 for p in documents if p.from_national_store)}
    return {**papers,
            "result_electronic": dossier_results_hand_over(dossier_id=d.pk, dossier=d)}


HANDLERS: dict[str, Callable[[_Context], None]] = {
    "accept": _accept,
    "forward": _forward,
    "return_step": _return_step,
    "approve": _approve,
    "request_supplement": _request_supplement,
    "supplement": _supplement,
    "refuse": lambda ctx: _close(ctx, State.REFUSED),
    "request_payment": _request_payment,
    "mark_paid": _mark_paid,
    "apologize": _apologize,
    "stop": lambda ctx: _close(ctx, State.STOPPED),
    "withdraw": lambda ctx: _close(ctx, State.WITHDRAWN),
    "mark_result_ready": _mark_result_ready,
    "return_result": _return_result,
}


def _refusal(dossier: Dossier, actor: User | SystemActor, t: Transition, reason: str):
    """Whether the table lets `actor` perform `t` on `dossier` now: the unit they act for, or
    the NotAllowed / DomainError saying why not (not raised, so callers decide)."""
    if dossier.state not in t.sources:
        return NotAllowed("invalid_transition",
                          f"Không thể “{t.label}” khi hồ sơ đang ở trạng thái "
                          f"“{dossier.get_state_display()}”.",
                          f"Action '{t.action}' is not allowed in state '{dossier.state}'."), None
    allowed, unit = actor_may(dossier, actor, t)
    if not allowed:
        return NotAllowed("permission_denied",
                          f"Bạn không có vai trò phù hợp để “{t.label}” hồ sơ này.",
                          "Your role or unit does not allow this action on this dossier.",
                          http_status=403), None
    problem = _precondition(dossier, t)
    if problem:
        return NotAllowed("invalid_transition", problem,
                          f"Action '{t.action}' is not possible at this step."), None
    if t.reason_required and not reason:
        return DomainError("reason_required", f"Cần ghi rõ lý do khi “{t.label}”.",
                           "A reason is required for this action.",
                           fields={"reason": ["Bắt buộc."]}), None
    return None, unit


def _apply(ctx: _Context, t: Transition) -> str:
    """Run the action's handler on ctx.dossier in memory and number its form; returns the state
    it leaves. The one rule behind dossier_act and a filing created already received."""
    from_state = ctx.dossier.state
    HANDLERS[t.action](ctx)
    if t.form in FORM_SUFFIX:
        ctx.event_data["document_number"] = document_number_next(
            unit=ctx.actor_unit or ctx.dossier.receiving_unit, form=t.form, at=ctx.at)
    ctx.dossier.state = ctx.target
    return from_state


def transition_unsaved(*, dossier: Dossier, actor: User, action: str, at: datetime,
                       cal=None) -> _Context:
    """Apply `action` of the table to a dossier not written yet (filing at the desk and accepting
    at once): the same checks and handler as dossier_act, in memory. The caller inserts the
    dossier in the state it ends in, ctx.new_steps and the event (intake.py)."""
    t = transition(action)
    refusal, unit = _refusal(dossier, actor, t, "")
    if refusal is not None:
        raise refusal
    ctx = _Context(dossier, actor, at, "", {})
    ctx.actor_unit = unit
    ctx.cal = cal
    _apply(ctx, t)
    return ctx


def _hold_steps(dossier: Dossier, steps: list[DossierStep]) -> None:
    """Record the steps acceptance just planned as the dossier's loaded steps."""
    related_hold(dossier, "steps", steps)


def _hold_none(dossier: Dossier, relation: str) -> None:
    """Record that the dossier has no rows of `relation` (known from its lock statement)."""
    related_hold(dossier, relation, [])


def _lock_reads() -> dict[str, RawSQL]:
    """The number of the dossier's last event and whether it was ever paused, as correlated
    subqueries of the lock statement, written out: the ORM's Subquery and Exists cost more to
    compile on every action than the rest of the statement (issue #18)."""
    q = connection.ops.quote_name
    table = q(Dossier._meta.db_table)
    dossier = f"{table}.{q('id')}"
    fresh = {}
    if connection.vendor == "postgresql":
        # The statement's subqueries read the snapshot taken when it started, also after it
        # waited for the lock, while the locked row itself is its latest version. The row's
        # version as locked and as that snapshot saw it tell whether another transaction
        # changed the dossier in between (`_locked` then reads again).
        fresh = {
            _ROW_LOCKED: RawSQL(f"{table}.xmin::text", (), output_field=TextField()),
            _ROW_SEEN: RawSQL(f"SELECT d.xmin::text FROM {table} d WHERE d.{q('id')} = {dossier}",
                              (), output_field=TextField()),
        }
    return {
        **fresh,
        "last_event_seq": RawSQL(
            f"SELECT e.{q('seq')} FROM {q(DossierEvent._meta.db_table)} e "
            f"WHERE e.{q('dossier_id')} = {dossier} ORDER BY e.{q('seq')} DESC LIMIT 1", (),
            output_field=IntegerField()),
        "ever_paused": RawSQL(
            f"EXISTS(SELECT 1 FROM {q(DossierPause._meta.db_table)} p "
            f"WHERE p.{q('dossier_id')} = {dossier})", (), output_field=BooleanField()),
    }


def _lists_reads() -> dict[str, RawSQL]:
    """The dossier's steps (with their officers) and papers as two JSON columns of the lock
    statement (PostgreSQL): each the read `_prepared_lists` runs, as a correlated subquery
    (motcua.prepared.Prepared.json_sql), so an action reads them without two statements of
    their own (issue #18). None on SQLite, which reads them apart after the lock (`_lists_load`)."""
    q = connection.ops.quote_name
    outer = f"{q(Dossier._meta.db_table)}.{q('id')}"
    found = {}
    for name, read in zip((_LOCK_STEPS, _LOCK_PAPERS), _prepared_lists(), strict=True):
        sql = read.json_sql(outer)
        if sql is None:
            return {}
        # A field without converters: psycopg has parsed the JSON already.
        found[name] = RawSQL(sql, (), output_field=Field())
    return found


_LOCK_STEPS, _LOCK_PAPERS = "lock_steps", "lock_papers"


def _lock_query(by: str, roles: bool, action: str) -> Prepared:
    """The lock statement finding the dossier by `by` ("pk" or "code"), with the actor's roles
    when `roles` (accounts.selectors.user_roles_read: no statement of their own), compiled once
    per process (motcua/prepared.py) and action: what it reads is fixed by the consumers, the
    mode, which do not change while a process runs, and what the action's consumers use."""
    key = (by, roles, action, event_consumers(), settings.MOTCUA_MODE)
    prepared = _LOCKS.get(key)
    if prepared is None:
        def build(marker, actor=None):
            more = {_ACTOR_ROLES: user_roles_read(actor)} if roles else {}
            return (Dossier.objects.filter(**{by: marker})
                    .select_for_update(of=("self",)).select_related(None)
                    .annotate(**_lock_reads(), **_lists_reads(), **reference_version_reads(),
                              **event_lock_reads(), **event_consumer_lock_reads(action), **more)
                    # No ordering: the code or the id names one row.
                    .order_by()[:1])

        kinds = (int if by == "pk" else str, *((int,) if roles else ()))
        prepared = _LOCKS[key] = Prepared(build, *kinds)
    return prepared


_ACTOR_ROLES = "actor_roles"
# The locked row's version, as locked and as the statement's snapshot saw it (`_lock_reads`).
_ROW_LOCKED, _ROW_SEEN = "row_locked", "row_seen"


_LOCKS: dict[tuple, Prepared] = {}


def _locked(by: str, value: int | str, actor: Any = None, action: str = "") -> Dossier:
    """The dossier whose `by` is `value`, locked, read in one statement with what the action, its
    handlers and the event consumers read of it: the number of its last event, whether it was
    ever paused, the reference data's version (its case, procedure, fees and units then come from
    the worker's cache, dossiers/reference.py, and its calendar needs no check) and what the
    consumers ask (`event_consumer_lock_reads`: the portal snapshot's). Its current step is
    taken from its steps, read next. With `actor` (a user), their roles are read too and
    cached on them for the request (accounts.selectors.user_roles_known)."""
    roles = isinstance(actor, User) and actor.is_authenticated and not user_roles_cached(actor)
    found_rows = (_lock_query(by, True, action).rows(value, actor.pk) if roles
                  else _lock_query(by, False, action).rows(value))
    if not found_rows:
        raise Http404("Không tìm thấy hồ sơ.")
    locked = found_rows[0]
    if locked.__dict__.pop(_ROW_LOCKED, None) != locked.__dict__.pop(_ROW_SEEN, None):
        # Another action changed the dossier after this statement's snapshot and before its
        # lock (two officers at once, PostgreSQL): what the subqueries read — the last event's
        # number, the consumers' values — is stale, and the event would take a number already
        # used. The lock is held now, so a second read sees every change made under it.
        found_rows = (_lock_query(by, True, action).rows(value, actor.pk) if roles
                      else _lock_query(by, False, action).rows(value))
        locked = found_rows[0]
        locked.__dict__.pop(_ROW_LOCKED, None)
        locked.__dict__.pop(_ROW_SEEN, None)
    if roles:
        user_roles_known(actor, locked.__dict__.pop(_ACTOR_ROLES))
    return locked


def _prepared_lists() -> tuple[Prepared, Prepared]:
    """The dossier's steps (with their officers) and papers as a page shows them
    (`detail_lists`, dossiers/selectors.py), each read by one statement compiled once; the
    steps' units (with their parents) come from the worker's reference cache (`_lists_load`)."""
    global _LISTS
    if _LISTS is None:
        steps = detail_lists()[0].queryset.select_related(None).select_related("assignee")
        papers = Dossier.documents.rel.related_model.objects
        _LISTS = (Prepared(lambda m: steps.filter(dossier_id=m), int),
                  Prepared(lambda m: papers.filter(dossier_id=m), int))
    return _LISTS


_LISTS: tuple[Prepared, Prepared] | None = None


def _lists_load(dossier: Dossier, catalogue: tuple) -> None:
    """Hold the dossier's steps and papers (not locked: the dossier's lock guards them) as its
    loaded relations, each pointing back at it, as prefetch_related does: on PostgreSQL as the
    lock statement read them (`_lists_reads`, JSON), else read once here. Each step's unit, with
    its parent, is the worker's cached one under the catalogue version the lock statement read
    (`reference_unit`: a unit's save moves the version), not two more rows joined to every
    step."""
    steps_read, papers_read = _prepared_lists()
    held = dossier.__dict__
    for name, read, key in (("steps", steps_read, _LOCK_STEPS),
                            ("documents", papers_read, _LOCK_PAPERS)):
        rows = (read.rows_json(held.pop(key)) if key in held else read.rows(dossier.pk))
        # What each field's set_cached_value does, its cache's name read once (`_CACHED`):
        # Django's fields are slow to read attributes of (motcua.prepared.related_set).
        for row in rows:
            row._state.fields_cache[_CACHED[name]] = dossier
        if name == "steps":
            for row in rows:
                row._state.fields_cache[_CACHED["unit"]] = reference_unit(row.unit_id, catalogue)
        related_hold(dossier, name, rows)


# The names the steps' and papers' related rows are cached under (FieldCacheMixin.cache_name):
# the dossier they point back at, a step's unit.
_CACHED = {"steps": Dossier.steps.field.cache_name,
           "documents": Dossier.documents.field.cache_name,
           "unit": DossierStep._meta.get_field("unit").cache_name}


_FIELDS = [(f.name, f.attname) for f in Dossier._meta.concrete_fields if not f.primary_key]
_NAMES = tuple(name for name, _attname in _FIELDS)
_ATTNAMES = tuple(attname for _name, attname in _FIELDS)
_VALUES = itemgetter(*_ATTNAMES)


def _columns(dossier: Dossier) -> tuple:
    """The dossier's columns, in `_FIELDS`' order, taken in one C call (issue #18: two loops
    of forty-odd Python steps an action, here and in `_save_changed`)."""
    held = dossier.__dict__
    try:
        return _VALUES(held)
    except KeyError:
        return tuple(held.get(attname) for attname in _ATTNAMES)


def _save_changed(dossier: Dossier, read: tuple) -> None:
    """Write the columns the action changed (with `updated_at`) in one UPDATE whose text is built
    once (motcua/prepared.py): the dossier row has some forty columns, each sent and quoted on
    every action by a full save. A change of the applicant's name goes through the model's save,
    which keeps its folded copy."""
    # The names whose value differs from the one read, compared and picked in C.
    changed = list(compress(_NAMES, map(ne, _columns(dossier), read)))
    if "applicant_name" in changed:
        dossier.save(update_fields=changed)
    else:
        row_update(dossier, changed)


def dossier_act(*, dossier: Dossier | None = None, actor: User | SystemActor, action: str,
                reason: str = "", data: dict[str, Any] | None = None,
                at: datetime | None = None, code: str | None = None) -> Dossier:
    """Perform `action` on `dossier` as `actor`; raises DomainError / NotAllowed with the reason.

    `code`, instead of `dossier`: the dossier with this code if `actor` may see it (the API);
    Http404 when there is none or another unit's. The row-level rule
    (`dossiers.selectors.dossier_visible`) is asked only when the action is refused: an actor
    the table lets act holds a role in the receiving, the competent or the current step's unit,
    or owns the dossier, and each of these sees it by that very rule.
    """
    t = transition(action)
    if t is None:
        raise DomainError("unknown_action", f"Thao tác “{action}” không tồn tại.",
                          f"Unknown action '{action}'.", http_status=404)
    try:
        reason = inputs.input_value(reason, inputs.REASON)
    except inputs.InputRefused as refused:
        raise DomainError("invalid", f"Lý do: {refused.problem.message}",
                          f"Reason: {refused.problem.message_en}",
                          fields={"reason": [refused.problem.message]}) from None
    at = at or timezone.now()
    with transaction.atomic():
        locked = (_locked("code", code, actor, action) if code is not None
                  else _locked("pk", dossier.pk, actor, action))
        # Its columns as read, to write back only what the action changes.
        read = _columns(locked)
        versions = reference_version_of(locked)
        locked.__dict__[CATALOGUE_VERSION_SEEN] = versions[0]
        variant = reference_variant(locked.variant_id, versions[0])
        if variant is not None:
            # The worker's cached case (with its procedure, papers and fees): read, never changed.
            related_set(locked, "variant", variant)
            if variant.procedure_id == locked.procedure_id:
                related_set(locked, "procedure", variant.procedure)
        for name in ("receiving_unit", "competent_unit", "current_unit"):
            unit = reference_unit(getattr(locked, f"{name}_id"), versions[0])
            if unit is not None:
                related_set(locked, name, unit)
        # Its steps and papers, read once (not locked: the dossier's lock guards them): the
        # handlers, the portal snapshot and the answer use these; its pauses only if it has any.
        _lists_load(locked, versions[0])
        if locked.__dict__.pop("ever_paused"):
            prefetch_related_objects([locked], "pauses")
        else:
            _hold_none(locked, "pauses")
        if locked.current_step_id:
            current = next((s for s in related_rows(locked, "steps")
                            if s.pk == locked.current_step_id), None)
            if current is not None:
                related_set(locked, "current_step", current)
        refusal, unit = _refusal(locked, actor, t, reason)
        if refusal is not None:
            if code is not None and not dossier_visible(actor).filter(pk=locked.pk).exists():
                # Another unit's dossier: whatever the refusal, it does not exist for them.
                raise Http404("Không tìm thấy hồ sơ.")
            raise refusal
        ctx = _Context(locked, actor, at, reason, dict(data or {}))
        ctx.actor_unit = unit
        # The units that see the dossier before the hand-off (from what is loaded: no query).
        seen_by = dossier_access_units(locked, related_rows(locked, "steps"))
        ctx.calendar_version = versions[1]
        # The handler's reads (and its own writes: a pause, a due moment) are done.
        from_state = _apply(ctx, t)
        _write(ctx, read=read, seen_by=seen_by, action=action, from_state=from_state, unit=unit)
    return locked


def _write(ctx: _Context, *, read: tuple, seen_by: set[int], action: str,
           from_state: str, unit: Any) -> None:
    """Write what the action changed, then its event, whose consumers add their rows.

    On PostgreSQL the writes that return nothing are held and sent as one statement when the
    block ends (motcua/prepared.py writes_joined, issue #18): the steps' update, the access rows,
    the dossier's update, the event (its id taken by the lock statement), the outbox rows, the
    service index's counters. A consumer that reads (the results consumer on an approval: the
    dossier's drafts, locked; a notification's applicant account) sends the writes held before
    its read first, so it sees them; the writes after it are joined again."""
    locked = ctx.dossier
    with writes_joined(commit=True):
        if ctx.new_steps:
            # Their ids are returned (the dossier row points at the first): sent at once.
            rows_insert(ctx.new_steps)
            locked.current_step = locked.current_step
            _hold_steps(locked, ctx.new_steps)
        if ctx.touched:
            steps_save(list(ctx.touched.values()),
                       ["started_at", "finished_at", "timing", "assignee"])
        # A unit the hand-off involves for the first time (a step of another unit planned at
        # acceptance, a move to another unit) sees the dossier from now: one insert, none when
        # the hand-off stays among the units that see it already (docs/staff-lists.md).
        access_grant(dossier=locked,
                     units=dossier_access_units(locked, related_rows(locked, "steps")),
                     known=seen_by)
        _save_changed(locked, read)
        event_write(dossier=locked, action=action, actor=ctx.actor, at=ctx.at,
                    from_state=from_state, to_state=locked.state, actor_unit=unit, step=ctx.step,
                    to_unit=ctx.to_unit, to_user=ctx.to_user, reason=ctx.reason,
                    timing=ctx.timing, data=ctx.event_data)
