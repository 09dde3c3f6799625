"""Reading dossiers: shared by the web pages and the API so both see exactly the same rows."""

import functools
import hmac
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import (
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.lookups import IsNull
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from accounts.selectors import proven_ids, user_unit_ids
from catalog.models import Step
from dossiers.handover import receiver_text
from dossiers.models import Dossier, DossierAccess, DossierEvent, DossierStep, State
from dossiers.states import OPEN_STATES, PAUSED_STATES
from motcua.filled import Filled
from motcua.prepared import held_rows


def dossier_owner_number(dossier: Dossier) -> str:
    """The number of the person or business the dossier is about: its owner when filed under
    an authorisation, else the applicant."""
    return dossier.owner_id_number or dossier.applicant_id_number


def _own(user: User) -> Q:
    """The dossiers that are this person's: filed from their account, or — once their personal
    ID or enterprise code is proven (VNeID or a desk officer, accounts.selectors.proven_ids) —
    filed under that number anywhere, at a counter too. A number merely typed opens nothing."""
    rule = Q(applicant_user=user)
    numbers = sorted(proven_ids(user))
    if numbers:
        # Filled: the owner index covers filled numbers only (motcua/filled.py).
        rule |= ((Q(owner_id_number__in=numbers) & Q(Filled("owner_id_number")))
                 | (Q(owner_id_number="") & Q(applicant_id_number__in=numbers)))
    return rule


def dossier_is_own(dossier: Dossier, user: User) -> bool:
    """Whether `dossier` is `user`'s own (the same rule as `_own`, on a dossier in hand)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if dossier.applicant_user_id and dossier.applicant_user_id == user.pk:
        return True
    number = dossier_owner_number(dossier)
    return bool(number) and number in proven_ids(user)


# What a list row shows of a dossier's relations, read with it.
LIST_RELATIONS = ("procedure", "receiving_unit", "current_unit", "current_step", "competent_unit")


def dossier_visible(user: User, *, per_row: bool = False) -> QuerySet[Dossier]:
    """Row-level rule: staff see the dossiers of their units — received, decided or held by one
    of them, or with a step of one of them in its plan — and an applicant sees their own.

    A unit's dossiers are its rows of DossierAccess, written at each hand-off
    (dossiers.services.access): `id IN (the units' rows)`, which PostgreSQL joins from the unit's
    rows (a department's 10,000 among a million) or, for a desk that sees nearly every dossier,
    probes while it walks the list's order. The OR of four unit columns and the steps it
    replaces made a department's counts test ~100,000 dossiers each (docs/staff-lists.md).

    `per_row`: for a list that a search narrows by an index (`list_filters.narrows_by_index`),
    each row the index finds is checked against the (unit, dossier) key on its own, and the
    units' rows are never read as a set. With `IN` (or a plain EXISTS, which PostgreSQL turns
    into the same join) a centre's desk that sees a million dossiers had its code-beginning
    search merge or hash the whole set: 54 → 295 ms, and 59 ms row by row (docs/staff-lists.md).
    Both modes give exactly the same rows."""
    qs = Dossier.objects.select_related(*LIST_RELATIONS)
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    units = user_unit_ids(user)
    if not units:
        return qs.filter(_own(user))
    rows = DossierAccess.objects.filter(unit_id__in=sorted(units))
    if per_row:
        seen = _seen_by_row(rows)
        return qs.filter(seen | _own(user) if _owns_any(user) else seen)
    if _owns_any(user):
        # Their own dossiers too: an OR, so each dossier is tested — the unit's rows probed by
        # EXISTS, as the old rule probed the steps. `id IN (…) OR …` would have PostgreSQL hash
        # every row of the unit first: 10 s for the desk's page of a million dossiers.
        return qs.filter(Exists(rows.filter(dossier=OuterRef("pk"))) | _own(user))
    return qs.filter(pk__in=rows.values("dossier_id"))


def _seen_by_row(rows: QuerySet[DossierAccess]) -> Q:
    """`(SELECT unit_id FROM the units' rows WHERE dossier_id = the row's id LIMIT 1) IS NOT
    NULL`: a scalar subquery, which PostgreSQL runs for each row as one probe of the (unit,
    dossier) primary key. An EXISTS in its place is pulled up into a semi-join (the merge of
    the whole set again), and `EXISTS (…) = true` is run as a hashed subplan that reads the
    units' every row; a scalar subquery is neither (PostgreSQL 15, planner's subselect.c)."""
    first = Subquery(rows.filter(dossier=OuterRef("pk")).values("unit_id")[:1])
    return Q(IsNull(first, False))


_OWNS_ATTR = "_motcua_owns_dossiers"


def _owns_any(user: User) -> bool:
    """Whether a staff member has dossiers of their own (`_own`), cached on the user object for
    one request. Without a query for most staff: a staff account never files from its account
    (online filing is refused to it and a desk files without one, dossiers/services/intake.py),
    so only one with a proven ID (VNeID or the desk), or an account of another kind, is asked."""
    if user.kind == User.Kind.STAFF and not proven_ids(user):
        return False
    cached = getattr(user, _OWNS_ATTR, None)
    if cached is None:
        cached = Dossier.objects.filter(_own(user)).exists()
        setattr(user, _OWNS_ATTR, cached)
    return cached


DETAIL_RELATIONS = ("procedure", "variant", "receiving_unit", "competent_unit", "current_unit",
                    "current_step__unit", "current_step__assignee")


def detail_lists() -> tuple[Prefetch | str, ...]:
    """The dossier's lists a page or an answer shows: steps (with unit and officer), papers. The
    step's unit comes with its parent: a result's header prints both (results/rendering.py)."""
    steps = DossierStep.objects.select_related("unit__parent", "assignee")
    return (Prefetch("steps", queryset=steps), "documents")


def _with_details(qs: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """What a dossier page or API answer shows, fetched in a fixed number of queries."""
    return qs.select_related(*DETAIL_RELATIONS).prefetch_related(*detail_lists())


def dossier_details_load(dossier: Dossier) -> Dossier:
    """The same for a dossier the caller has just written and holds: only what it does not hold
    yet is read (after a filing, its steps and papers), instead of the whole dossier again."""
    if not _details_held(dossier):
        prefetch_related_objects([dossier], *DETAIL_RELATIONS, *detail_lists())
    return dossier


def _held(instance: Any, tree: dict) -> bool:
    """Whether the foreign keys of `tree` (select_related's form: {"unit": {"parent": {}}}) are
    loaded on `instance`, or empty, all the way down. Read as Django's descriptors read them
    (the key's column in the instance's dict, the related row in its state's cache), with the
    fields looked up once per model and tree (`_links`), not on every answer (issue #18)."""
    data, cached = instance.__dict__, instance._state.fields_cache
    for attname, cache_name, below in _links(type(instance), tree):
        if attname not in data:
            return False  # a deferred key: not held
        if data[attname] is None:
            continue
        if cache_name not in cached or (below and not _held(cached[cache_name], below)):
            return False
    return True


# (model, id of a tree) -> (the tree, its links): the trees are this module's constants.
_LINKS: dict[tuple, tuple[dict, list[tuple[str, str, dict]]]] = {}


def _links(model: type, tree: dict) -> list[tuple[str, str, dict]]:
    """Each foreign key `tree` names on `model`: its column's attname, the name its related row
    is cached under (FieldCacheMixin.cache_name) and the tree below it."""
    found = _LINKS.get((model, id(tree)))
    if found is None or found[0] is not tree:
        fields = [(model._meta.get_field(name), below) for name, below in tree.items()]
        found = _LINKS[(model, id(tree))] = (
            tree, [(f.attname, f.cache_name, below) for f, below in fields])
    return found[1]


def _tree(paths: tuple[str, ...]) -> dict:
    tree: dict = {}
    for path in paths:
        node = tree
        for name in path.split("__"):
            node = node.setdefault(name, {})
    return tree


_DETAIL_TREE = _tree(DETAIL_RELATIONS)


def _details_held(dossier: Dossier) -> bool:
    """Whether `dossier` holds all that `dossier_details_load` would load (an action's dossier
    does, dossier_act having read it): asking costs a few attribute reads, where
    prefetch_related_objects walks every relation and builds the lists' querysets (issue #18).
    What is asked is what DETAIL_RELATIONS and detail_lists name."""
    held = getattr(dossier, "_prefetched_objects_cache", {})
    if "steps" not in held or "documents" not in held:
        return False
    steps = held_rows(dossier, "steps")
    if steps is None:
        return False
    if dossier.current_step_id is not None and not any(
            s is dossier.current_step for s in steps):
        return False
    step_tree = _step_tree()
    return _held(dossier, _DETAIL_TREE) and all(_held(step, step_tree) for step in steps)


@functools.cache
def _step_tree() -> dict:
    return detail_lists()[0].queryset.query.select_related


def dossier_with_details(*, pk: int) -> Dossier:
    """A dossier the caller has just created or changed, with what its answer shows."""
    return _with_details(Dossier.objects.all()).get(pk=pk)


def dossier_find(*, user: User, code: str) -> Dossier:
    """The dossier with `code` if `user` may see it, without its details (an action loads what
    it needs under the dossier's lock); 404 otherwise."""
    dossier = dossier_visible(user).filter(code=code).first()
    if dossier is None:
        raise Http404("Không tìm thấy hồ sơ.")
    return dossier


def dossier_get(*, user: User, code: str) -> Dossier:
    """The dossier with `code` if `user` may see it; 404 otherwise (never reveal it exists)."""
    dossier = _with_details(dossier_visible(user)).filter(code=code).first()
    if dossier is None:
        raise Http404("Không tìm thấy hồ sơ.")
    return dossier


INBOXES = {
    "receive": _("Chờ tiếp nhận"),
    "process": _("Chờ xử lý"),
    "approve": _("Chờ phê duyệt"),
    "return": _("Chờ trả kết quả"),
    "paused": _("Đang tạm dừng (bổ sung, nghĩa vụ tài chính)"),
    "all": _("Tất cả hồ sơ của đơn vị"),
}


def _step_box(units: set[int], roles: list[str]) -> Q:
    return Q(current_step__unit_id__in=units, current_step__role__in=roles,
             current_step__finished_at__isnull=True)


def dossier_inbox(*, user: User, box: str, per_row: bool = False) -> QuerySet[Dossier]:
    """A staff member's work list; the overdue and the soonest due come first. `per_row` as in
    `dossier_visible`."""
    qs = dossier_visible(user, per_row=per_row)
    desk = user_unit_ids(user, role=Role.RECEIVING)
    if box == "receive":
        qs = qs.filter(state=State.SUBMITTED, receiving_unit_id__in=desk)
    elif box == "process":
        qs = qs.filter(Q(state=State.PROCESSING)
                       & _step_box(user_unit_ids(user, role=Role.SPECIALIST),
                                   [Step.Role.SPECIALIST, Step.Role.COORDINATING])
                       | Q(state=State.RECEIVED, receiving_unit_id__in=desk))
    elif box == "approve":
        qs = qs.filter(Q(state=State.PROCESSING)
                       & _step_box(user_unit_ids(user, role=Role.HEAD), [Step.Role.HEAD]))
    elif box == "return":
        qs = qs.filter(state__in=[State.DECIDED, State.RESULT_READY], receiving_unit_id__in=desk)
    elif box == "paused":
        qs = qs.filter(state__in=PAUSED_STATES)
    elif box != "all":
        raise Http404("Không có hộp hồ sơ này.")
    return qs.order_by(F("due_at").asc(nulls_last=True), "id")


# A tab's count stops here ("1000+"): counting a million rows to print one number would cost
# more than the page. The list itself is paged by keyset (`dossier_list_page`), never by offset.
COUNT_LIMIT = 1000


def dossier_inbox_counts(*, user: User, narrow=None,
                         per_row: bool = False) -> dict[str, int]:
    """Each box's number of dossiers, up to COUNT_LIMIT + 1 (shown as "1000+");
    `narrow(qs) -> qs` applies the list's search and filters, so the tabs count what they
    would show; `per_row` as in `dossier_visible`, chosen from the same filters."""
    counts = {}
    for box in INBOXES:
        qs = dossier_inbox(user=user, box=box, per_row=per_row)
        if narrow is not None:
            qs = narrow(qs)
        # Without the relations a row shows: the count needs none of their joins.
        counts[box] = qs.select_related(None).order_by().values("pk")[:COUNT_LIMIT + 1].count()
    return counts


@dataclass(frozen=True)
class ListPage:
    rows: list[Dossier]
    next_after: str  # the cursor of the next page, "" on the last one


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _cursor_read(after: str) -> tuple[datetime | None, int] | None:
    """`<due moment in µs since the epoch, or "-" for none>_<id>`; None when malformed."""
    due, _sep, pk = (after or "").partition("_")
    try:
        ident = int(pk)
        moment = None if due == "-" else _EPOCH + timedelta(microseconds=int(due))
    except (ValueError, OverflowError, OSError):
        return None
    return moment, ident


def _cursor_of(dossier: Dossier) -> str:
    if dossier.due_at is None:
        return f"-_{dossier.pk}"
    return f"{(dossier.due_at - _EPOCH) // timedelta(microseconds=1)}_{dossier.pk}"


def dossier_list_page(qs: QuerySet[Dossier], *, after: str = "", size: int = 50) -> ListPage:
    """One page of a list ordered by (due moment, nulls last; id): the rows after the cursor
    `after` (keyset paging: page 2,000 costs what page 1 costs, where an OFFSET would read and
    drop 100,000 rows first).

    After a cursor the dated rows and the undated ones are read apart: `due_at >= d` is a range
    of the due index, where one condition with `OR due_at IS NULL` made PostgreSQL read the index
    from its start (5 s at row 500,000 of a million, bench/staff_lists.py)."""
    cursor = _cursor_read(after) if after else None
    if cursor is None:
        rows = _first_rows(qs.order_by(F("due_at").asc(nulls_last=True), "id"), size + 1)
    elif cursor[0] is None:
        rows = _first_rows(qs.filter(due_at__isnull=True, id__gt=cursor[1]).order_by("id"),
                           size + 1)
    else:
        due, pk = cursor
        rows = _first_rows(qs.filter(due_at__gte=due).exclude(due_at=due, id__lte=pk)
                           .order_by("due_at", "id"), size + 1)
        if len(rows) <= size:
            rows += _first_rows(qs.filter(due_at__isnull=True).order_by("id"),
                                size + 1 - len(rows))
    more = len(rows) > size
    rows = rows[:size]
    return ListPage(rows=rows, next_after=_cursor_of(rows[-1]) if more else "")


def _first_rows(qs: QuerySet[Dossier], n: int) -> list[Dossier]:
    """The first `n` dossiers of `qs` in its order, in one query: their ids are chosen first, in
    a subquery that reads only the indexes and the columns the rule and the filters test, and
    only these rows are then read with their relations. Read in one step, PostgreSQL joined the
    relations of every dossier of a unit before sorting them (a department's 10,000 among a
    million: 0.8 s, bench/staff_lists.py)."""
    chosen = qs.values("pk")[:n]
    return list(Dossier.objects.select_related(*LIST_RELATIONS).filter(pk__in=chosen)
                .order_by(*qs.query.order_by))


@dataclass(frozen=True)
class SlipRow:
    """One row of the control slip (Form 05)."""

    at: datetime
    action: str
    label: str
    unit: str
    giver: str
    receiver: str
    step_due_at: datetime | None
    timing: str
    timing_label: str
    note: str


ACTION_LABELS = {
    "submit": _("Nộp hồ sơ"),
    "accept": _("Tiếp nhận hồ sơ"),
    "forward": _("Chuyển xử lý"),
    "return_step": _("Trả lại bước trước"),
    "approve": _("Phê duyệt kết quả"),
    "request_supplement": _("Yêu cầu bổ sung"),
    "supplement": _("Bổ sung hồ sơ"),
    "refuse": _("Từ chối tiếp nhận"),
    "request_payment": _("Yêu cầu nộp phí, lệ phí"),
    "mark_paid": _("Đã nộp phí, lệ phí"),
    "apologize": _("Xin lỗi, hẹn lại ngày trả"),
    "stop": _("Dừng xử lý"),
    "withdraw": _("Rút hồ sơ"),
    "mark_result_ready": _("Kết quả chuyển bộ phận một cửa"),
    "return_result": _("Trả kết quả"),
    # The desk's answers about the papers (dossiers/services/papers.py).
    "papers_checked": _("Kiểm tra thành phần hồ sơ"),
    "result_draft": _("Dự thảo kết quả"),
    "paper_digitised": _("Số hóa thành phần hồ sơ"),
}
TIMING_LABELS = {"early": _("Trước hạn"), "on_time": _("Đúng hạn"), "late": _("Quá hạn"),
                 "": ""}


def dossier_events(*, dossier: Dossier) -> QuerySet[DossierEvent]:
    return dossier.events.select_related("actor", "actor_unit", "to_unit", "to_user", "step")


def dossier_event_for_form(*, dossier: Dossier, action: str,
                           seq: str | int | None = None) -> DossierEvent | None:
    """The event that issued a form: the one numbered `seq`, or the latest of that action."""
    events = dossier_events(dossier=dossier).filter(action=action)
    if seq not in (None, ""):
        try:
            return events.filter(seq=int(seq)).first()
        except (TypeError, ValueError):
            return None
    return events.order_by("-seq").first()


@dataclass(frozen=True)
class IssuedForm:
    form: str
    label: str
    seq: int
    number: str
    at: datetime


_FORM_OF_ACTION = {"request_supplement": ("02", _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")),
                   "refuse": ("03", _("Phiếu từ chối tiếp nhận giải quyết hồ sơ")),
                   "apologize": ("04", _("Phiếu xin lỗi và đề nghị gia hạn"))}


def dossier_issued_forms(*, dossier: Dossier,
                         events: list[DossierEvent] | None = None) -> list[IssuedForm]:
    """Forms 02, 03 and 04 issued for the dossier, oldest first; from `events` (the dossier's
    events in order) when the caller read them already."""
    if events is None:
        events = dossier.events.filter(action__in=_FORM_OF_ACTION).order_by("seq")
    return [IssuedForm(*_FORM_OF_ACTION[e.action], e.seq, e.data.get("document_number", ""),
                       e.at) for e in events if e.action in _FORM_OF_ACTION]


def control_slip(*, dossier: Dossier,
                 events: list[DossierEvent] | None = None) -> list[SlipRow]:
    """Form 05: every hand-off with giver, receiver, time and whether the step was on time;
    from `events` (as `dossier_events` reads them) when the caller read them already."""
    rows = []
    for e in (dossier_events(dossier=dossier) if events is None else events):
        receiver = ""
        if e.to_user:
            receiver = e.to_user.display_name
        if e.to_unit:
            receiver = f"{receiver} ({e.to_unit.name})" if receiver else e.to_unit.name
        if e.action == "return_result" and e.data.get("receiver"):
            receiver = receiver_text(e.data["receiver"])
        rows.append(SlipRow(
            at=e.at, action=e.action, label=ACTION_LABELS.get(e.action, e.action),
            unit=e.actor_unit.name if e.actor_unit else "", giver=e.actor_name,
            receiver=receiver, step_due_at=e.step_due_at, timing=e.timing,
            timing_label=TIMING_LABELS.get(e.timing, ""), note=e.reason,
        ))
    return rows


def dossier_register(*, unit_ids: set[int], start: datetime, end: datetime) -> QuerySet[Dossier]:
    """Form 06 register: dossiers received by the units in [start, end), by their moment of
    receipt. An online dossier enters the register when the desk receives it (Circular
    03/2025/TT-VPCP, Form 06 "Ngày, giờ nhận hồ sơ"): one still waiting for the desk's check, or
    refused at that check, was never received and is not in the register."""
    return (Dossier.objects.filter(receiving_unit_id__in=unit_ids, received_at__gte=start,
                                   received_at__lt=end)
            .select_related("procedure", "competent_unit").order_by("received_at", "pk"))


def dossier_handovers(*, dossier_ids: list[int]) -> dict[int, str]:
    """How each returned dossier's result was handed over, one line each (dossiers/handover.py),
    for the register (Form 06)."""
    events = (DossierEvent.objects.filter(dossier_id__in=dossier_ids, action="return_result")
              .values_list("dossier_id", "data"))
    return {pk: receiver_text(data.get("receiver")) for pk, data in events
            if data.get("receiver")}


def dossier_is_overdue(dossier: Dossier, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return (dossier.state in OPEN_STATES and dossier.state not in PAUSED_STATES
            and dossier.due_at is not None and dossier.due_at < now)


# --- Public status lookup (/tra-cuu/) ------------------------------------------------------------

@dataclass(frozen=True)
class PublicEvent:
    """One line of the history an applicant may see: what happened, when, in which unit."""

    at: datetime
    label: str
    unit: str
    note: str


@dataclass(frozen=True)
class PublicStatus:
    code: str
    procedure: str
    status_code: int
    status: str
    explanation: str
    next_step: str
    missing_documents: list[str]
    received_at: datetime | None
    due_at: datetime | None
    paused: bool
    overdue: bool
    history: list[PublicEvent]


def _phone_digits(phone: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", phone) if ch.isascii()
                   and ch.isdigit())


def lookup_code_normalize(code: str) -> str:
    """A dossier code as typed (any letter case, full-width characters, spaces around) in the
    form codes are stored: `000.00.12.h56-260305-0001` is `000.00.12.H56-260305-0001`."""
    return unicodedata.normalize("NFKC", code).strip().upper()


def lookup_factor_normalize(factor: str) -> str:
    """The lookup secret or phone digits as typed, in the form they are compared."""
    return unicodedata.normalize("NFKC", factor).strip().upper().replace(" ", "")


def dossier_public_lookup(*, code: str, factor: str) -> Dossier | None:
    """The dossier `code` if `factor` proves the asker holds its receipt or its phone; else None.

    The factor is either the lookup secret printed on Form 01 or the last 4 digits of the
    applicant's phone number. The answer is the same None for an unknown code and a wrong factor,
    so the page cannot be used to learn which codes exist. Callers facing the public go through
    `dossiers.services.lookup.lookup_attempt`, which counts the tries.
    """
    code, factor = lookup_code_normalize(code), lookup_factor_normalize(factor)
    if not code or not factor:
        return None
    dossier = (Dossier.objects.select_related("procedure", "receiving_unit", "current_unit")
               .filter(code=code).first())
    if dossier is None:
        # Compare anyway, so an unknown code costs the same time as a wrong factor.
        hmac.compare_digest(factor.encode(), b"-" * len(factor.encode()))
        return None
    if len(factor) == 4 and factor.isascii() and factor.isdigit():
        phone = _phone_digits(dossier.applicant_phone)
        ok = len(phone) >= 4 and hmac.compare_digest(factor, phone[-4:])
    else:
        ok = bool(dossier.lookup_secret) and hmac.compare_digest(factor.encode(),
                                                                 dossier.lookup_secret.encode())
    return dossier if ok else None


# What each state means for the applicant, in plain words, and what they should do now.
PUBLIC_STATE_TEXT: dict[str, tuple[str, str]] = {
    State.SUBMITTED: (_("Hồ sơ đã được gửi đến bộ phận một cửa và đang chờ kiểm tra."),
                      _("Chưa cần làm gì. Bộ phận một cửa sẽ kiểm tra và báo cho ông/bà nếu cần "
                      "bổ sung.")),
    State.RECEIVED: (_("Hồ sơ đã được tiếp nhận; thời hạn giải quyết bắt đầu được tính."),
                     _("Chưa cần làm gì. Hãy giữ giấy tiếp nhận và hẹn trả kết quả.")),
    State.PROCESSING: (_("Cơ quan có thẩm quyền đang giải quyết hồ sơ."),
                       _("Chưa cần làm gì. Kết quả sẽ có vào ngày hẹn trả.")),
    State.SUPPLEMENT_REQUESTED: (_("Hồ sơ cần bổ sung giấy tờ; thời hạn giải quyết tạm dừng "
                                 "cho đến khi ông/bà bổ sung."),
                                 _("Hãy nộp bổ sung các giấy tờ dưới đây tại bộ phận một cửa "
                                 "hoặc trên Cổng dịch vụ công.")),
    State.AWAITING_PAYMENT: (_("Hồ sơ đang chờ ông/bà nộp phí, lệ phí hoặc thực hiện nghĩa vụ tài "
                             "chính; thời hạn giải quyết tạm dừng."),
                             _("Hãy nộp phí, lệ phí theo thông báo của cơ quan giải quyết.")),
    State.REFUSED: (_("Hồ sơ không được tiếp nhận."),
                    _("Xem lý do ở lịch sử bên dưới; ông/bà có thể nộp lại hồ sơ khi đủ "
                      "điều kiện.")),
    State.WITHDRAWN: (_("Hồ sơ đã được rút theo yêu cầu của người nộp."),
                      _("Không cần làm gì thêm.")),
    State.STOPPED: (_("Cơ quan có thẩm quyền đã dừng giải quyết hồ sơ."),
                    _("Xem lý do ở lịch sử bên dưới hoặc liên hệ bộ phận một cửa.")),
    State.DECIDED: (_("Hồ sơ đã giải quyết xong; kết quả đang được chuyển đến bộ phận trả "
                      "kết quả."),
                    _("Chờ thông báo nhận kết quả.")),
    State.RESULT_READY: (_("Kết quả đã sẵn sàng tại bộ phận một cửa."),
                         _("Mang giấy tiếp nhận và giấy tờ tùy thân đến nhận kết quả.")),
    State.RETURNED: (_("Kết quả đã được trả."), _("Không cần làm gì thêm. Cảm ơn ông/bà.")),
}

# Events the applicant sees, with whether their reason is meant for the applicant. The others
# (a step sent back inside the agency, internal notes) stay internal.
PUBLIC_EVENTS: dict[str, tuple[str, bool]] = {
    "submit": (_("Nộp hồ sơ"), False),
    "accept": (_("Tiếp nhận hồ sơ"), False),
    "forward": (_("Chuyển xử lý"), False),
    "request_supplement": (_("Yêu cầu bổ sung giấy tờ"), True),
    "supplement": (_("Đã bổ sung giấy tờ"), False),
    "refuse": (_("Từ chối tiếp nhận"), True),
    "request_payment": (_("Yêu cầu nộp phí, lệ phí"), False),
    "mark_paid": (_("Đã nộp phí, lệ phí"), False),
    "apologize": (_("Xin lỗi và hẹn lại ngày trả kết quả"), True),
    "stop": (_("Dừng xử lý"), True),
    "withdraw": (_("Rút hồ sơ"), True),
    "approve": (_("Đã có kết quả giải quyết"), False),
    "mark_result_ready": (_("Kết quả đã chuyển đến bộ phận một cửa"), False),
    "return_result": (_("Đã trả kết quả"), False),
}


def dossier_public_status(*, dossier: Dossier) -> PublicStatus:
    """What the public page shows: no staff names (only units), no internal notes."""
    from dossiers.states import PORTAL_LABEL, portal_status

    events = list(dossier.events.select_related("actor_unit", "to_unit").order_by("seq"))
    history = []
    for e in events:
        if e.action not in PUBLIC_EVENTS:
            continue
        label, reason_public = PUBLIC_EVENTS[e.action]
        unit = e.to_unit if e.action == "forward" and e.to_unit else e.actor_unit
        note = e.reason if reason_public else ""
        if e.action == "apologize" and e.data.get("new_due_at"):
            new_due = timezone.localtime(datetime.fromisoformat(e.data["new_due_at"]))
            new_date = gettext("Ngày hẹn mới: %(time)s ngày %(day)s.") % {
                "time": f"{new_due:%H:%M}", "day": f"{new_due:%d/%m/%Y}"}
            note = f"{note} {new_date}".strip()
        history.append(PublicEvent(at=e.at, label=label, unit=unit.name if unit else "",
                                   note=note))
    missing: list[str] = []
    if dossier.state == State.SUPPLEMENT_REQUESTED:
        request = next((e for e in reversed(events) if e.action == "request_supplement"), None)
        if request is not None:
            missing = list(request.data.get("missing_documents") or [])
            if not missing and request.reason:
                missing = [request.reason]
    explanation, next_step = PUBLIC_STATE_TEXT[dossier.state]
    status_code = portal_status(dossier.state)
    return PublicStatus(
        code=dossier.code, procedure=dossier.procedure.name, status_code=status_code,
        status=PORTAL_LABEL[status_code], explanation=explanation, next_step=next_step,
        missing_documents=missing, received_at=dossier.received_at, due_at=dossier.due_at,
        paused=dossier.state in PAUSED_STATES, overdue=dossier_is_overdue(dossier),
        history=history,
    )


# --- The applicant's own dossiers (/ho-so-cua-toi/), drafts and files ---------------------------

def dossier_mine(*, user: User) -> QuerySet[Dossier]:
    """The person's own dossiers, newest first (staff's work excluded): filed from the account,
    and — with a proven identity — filed under their number at a counter or by post."""
    if not getattr(user, "is_authenticated", False):
        return Dossier.objects.none()
    # The id breaks ties of one instant, as in the staff's list: the API pages this by offset.
    return (Dossier.objects.select_related(*LIST_RELATIONS).filter(_own(user))
            .order_by("-submitted_at", "-id"))


def dossier_mine_get(*, user: User, code: str) -> Dossier:
    dossier = _with_details(dossier_mine(user=user)).filter(code=code).first()
    if dossier is None:
        raise Http404("Không tìm thấy hồ sơ.")
    return dossier


def draft_list(*, user: User):
    from dossiers.models import OnlineDraft

    return (OnlineDraft.objects.filter(user=user, submitted_dossier__isnull=True)
            .select_related("variant__procedure", "receiving_unit"))


def draft_get(*, user: User, pk: int):
    from dossiers.models import OnlineDraft

    draft = (OnlineDraft.objects.filter(user=user, pk=pk)
             .select_related("variant__procedure", "receiving_unit").first())
    if draft is None:
        raise Http404("Không tìm thấy hồ sơ nháp.")
    return draft


def file_get(*, user: User, token: str):
    """A file the person may download: of a dossier they may see, or of their own draft."""
    from dossiers.models import DossierFile

    row = DossierFile.objects.filter(token=token).select_related("draft", "dossier").first()
    if row is None:
        raise Http404("Không tìm thấy tệp.")
    if row.dossier_id and dossier_visible(user).filter(pk=row.dossier_id).exists():
        return row
    if row.draft_id and row.draft.user_id == getattr(user, "pk", None):
        return row
    raise Http404("Không tìm thấy tệp.")


@dataclass(frozen=True)
class ApplicantView:
    """What "Hồ sơ của tôi" shows beyond the public status: forms to download, the supplement
    request (Form 02 reason) and the apology's new date, and whether the applicant can answer."""

    status: PublicStatus
    next_step: str
    can_supplement: bool
    supplement_reason: str
    supplement_documents: list[str]
    apology_reason: str
    apology_new_due_at: datetime | None
    forms: list[tuple[str, str, str]]


# Where the applicant acts online, the plain next step says so.
ONLINE_NEXT_STEP = {
    State.SUPPLEMENT_REQUESTED: _("Hãy tải lên các giấy tờ cần bổ sung ngay trên trang này "
                                  "(hoặc nộp tại bộ phận một cửa). Thời hạn giải quyết tiếp tục "
                                  "được tính khi ông/bà bổ sung."),
    State.AWAITING_PAYMENT: _("Hãy nộp phí, lệ phí theo thông báo của cơ quan giải quyết."),
    State.RESULT_READY: _("Mang giấy tờ tùy thân đến bộ phận một cửa để nhận kết quả."),
}


def dossier_applicant_view(*, dossier: Dossier) -> ApplicantView:
    status = dossier_public_status(dossier=dossier)
    events = list(dossier.events.order_by("seq"))
    supplement = next((e for e in reversed(events) if e.action == "request_supplement"), None)
    apology = next((e for e in reversed(events) if e.action == "apologize"), None)
    new_due = None
    if apology is not None and apology.data.get("new_due_at"):
        new_due = datetime.fromisoformat(apology.data["new_due_at"])
    forms = []
    if dossier.received_at is not None:
        forms.append(("01", gettext("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"), ""))
    for f in dossier_issued_forms(dossier=dossier):
        forms.append((f.form, f"{f.label} {f.number}".strip(), str(f.seq)))
    waiting = dossier.state == State.SUPPLEMENT_REQUESTED
    return ApplicantView(
        status=status,
        next_step=ONLINE_NEXT_STEP.get(dossier.state, status.next_step),
        can_supplement=waiting,
        supplement_reason=supplement.reason if (waiting and supplement) else "",
        supplement_documents=list(supplement.data.get("missing_documents") or [])
        if (waiting and supplement) else [],
        apology_reason=apology.reason if apology else "",
        apology_new_due_at=new_due,
        forms=forms,
    )


# What the counter's search may fill from an earlier dossier (docs/security.md, "Personal
# data"): from the desk's own units' dossiers what the officer needs to avoid asking again
# (name, address, phone, e-mail); from another unit's dossiers only the name and the kind of
# applicant — the person is at the desk and gives the rest, the population database gives the
# permanent address. The minimum needed to fill the form (Decree 13/2023 art. 3 principle of
# data minimisation; Law 91/2025/QH15).
APPLICANT_FIELDS_OWN_UNIT = ("applicant_kind", "applicant_name", "applicant_address",
                             "applicant_phone", "applicant_email")
APPLICANT_FIELDS_OTHER_UNIT = ("applicant_kind", "applicant_name")


def applicant_previous(*, id_number: str, unit_ids: set[int] | frozenset[int] = frozenset()
                       ) -> dict[str, str] | None:
    """The applicant data of the latest dossier filed under this personal ID or enterprise code,
    for the counter: the whole applicant block from a dossier received by one of `unit_ids`,
    else only the name and kind from another unit's."""
    id_number = (id_number or "").strip()
    if not id_number:
        return None
    # The id decides between two dossiers filed in the same instant: the same one every time.
    latest = Dossier.objects.filter(applicant_id_number=id_number).order_by("-submitted_at",
                                                                              "-id")
    if unit_ids:
        row = (latest.filter(receiving_unit_id__in=unit_ids)
               .values(*APPLICANT_FIELDS_OWN_UNIT).first())
        if row:
            return {k: str(v) for k, v in row.items()}
    row = latest.values(*APPLICANT_FIELDS_OTHER_UNIT).first()
    return {k: str(v) for k, v in row.items()} if row else None


# --- Figures per procedure, for the regulation review (regulations/) ------------------------
# Counts only: no dossier's personal data leaves through these.

def procedure_dossier_count(*, code: str, start: datetime, end: datetime) -> int:
    """Dossiers filed for procedure `code` (every version) in [start, end), refused ones too:
    each is a time the applicant bore the procedure's compliance cost."""
    return Dossier.objects.filter(procedure__code=code, submitted_at__gte=start,
                                  submitted_at__lt=end).count()


@dataclass(frozen=True)
class SettledFigures:
    """Dossiers returned in a period: how many, the median days from receipt to return, and
    the share returned early or on time (Decision 766's on-time rate), in percent."""

    count: int
    median_days: float | None
    on_time_percent: float | None


def procedure_settled_figures(*, code: str, start: datetime, end: datetime,
                              procedure_ids: list[int] | None = None) -> SettledFigures:
    """Figures of the dossiers of procedure `code` returned in [start, end); only those filed
    under the versions `procedure_ids` when given."""
    qs = Dossier.objects.filter(procedure__code=code, state=State.RETURNED,
                                returned_at__gte=start, returned_at__lt=end,
                                received_at__isnull=False)
    if procedure_ids is not None:
        qs = qs.filter(procedure_id__in=procedure_ids)
    rows = list(qs.values_list("received_at", "returned_at", "timing"))
    if not rows:
        return SettledFigures(0, None, None)
    days = sorted((returned - received).total_seconds() / 86400
                  for received, returned, _timing in rows)
    middle = len(days) // 2
    median = days[middle] if len(days) % 2 else (days[middle - 1] + days[middle]) / 2
    on_time = sum(1 for *_, timing in rows if timing in ("early", "on_time"))
    return SettledFigures(len(rows), round(median, 2), round(100 * on_time / len(rows), 1))
