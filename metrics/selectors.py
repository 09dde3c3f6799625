"""Reading the service index: shared by the pages, the exports, the API and the commands.

Period figures are sums of `MonthlyCounter` rows (every reporting period is a run of whole months;
one grouped query per unit subtree); only the
"in progress on time / overdue" pair is counted from open dossiers, because it depends on the
moment of viewing (an indexed query on state and due moment, over open dossiers only).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, Unit, User
from accounts.selectors import user_unit_ids
from catalog.models import Channel, Procedure
from dossiers.calendar import calendars_for_units
from dossiers.deadlines import add_working_seconds
from dossiers.models import CalendarDay, Dossier, DossierEvent, State, Timing
from dossiers.selectors import dossier_visible
from dossiers.states import OPEN_STATES, PAUSED_STATES
from evaluations.selectors import evaluation_sums_by_unit
from feedback.selectors import feedback_totals_by_scope
from metrics import indicators
from metrics.indicators import Figures, Score
from metrics.models import COUNTER_FIELDS, IndexMethod, MonthlyCounter
from metrics.periods import Period
from sync.models import OutboxMessage

RUNNING_STATES = OPEN_STATES - PAUSED_STATES


# --- the unit tree and who sees what ---------------------------------------------------------

@dataclass(frozen=True)
class UnitTree:
    """The active units by parent, and how many units exist at all: one read of the unit table,
    shared by everything a page asks about the tree."""

    children: dict[int | None, list[int]]
    size: int  # every unit, active or not

    def subtree(self, unit_id: int) -> set[int]:
        """The unit and its active descendants."""
        out, stack = set(), [unit_id]
        while stack:
            pk = stack.pop()
            if pk not in out:
                out.add(pk)
                stack.extend(self.children.get(pk, ()))
        return out

    def scope(self, unit_id: int) -> set[int] | None:
        """The unit ids to narrow dossiers and counters to; None when the subtree holds every
        unit there is (the province of a provincial installation): the queries then need no
        condition on the unit, which spares the database a list of every unit's id."""
        ids = self.subtree(unit_id)
        return None if len(ids) == self.size else ids


def unit_tree() -> UnitTree:
    children: dict[int | None, list[int]] = defaultdict(list)
    size = 0
    for pk, parent, active in Unit.objects.values_list("pk", "parent_id", "is_active"):
        size += 1
        if active:
            children[parent].append(pk)
    return UnitTree(children, size)


def unit_subtree_ids(unit_id: int, tree: UnitTree | None = None) -> set[int]:
    return (tree or unit_tree()).subtree(unit_id)


def unit_roots_for(user: User, tree: UnitTree | None = None) -> list[Unit]:
    """The units whose subtree `user` may read on the dashboards.

    The heads (lãnh đạo) and administrators of a unit see it and everything below it — the
    chairman's province, a department head's department; a superuser sees every top unit. Desk
    officers and specialists work from their inboxes and have no dashboard.

    Kept on the user object for the rest of the request, as Django keeps permissions: a
    dashboard page asks three times (the navigation, the page, the unit asked for).
    """
    cached = getattr(user, "_dashboard_roots", None)
    if cached is not None:
        return list(cached)
    if user.is_superuser:
        roots = list(Unit.objects.filter(parent__isnull=True, is_active=True).order_by("name"))
    else:
        ids = user_unit_ids(user, role=Role.HEAD) | user_unit_ids(user, role=Role.ADMIN)
        if not ids:
            # Most staff (desk officers, specialists): no unit, no tree to read.
            user._dashboard_roots = []
            return []
        units = list(Unit.objects.filter(pk__in=ids, is_active=True))
        # A unit below another root of the same person adds nothing.
        tree = tree or unit_tree()
        covered = set()
        for u in units:
            covered |= tree.subtree(u.pk) - {u.pk}
        roots = sorted((u for u in units if u.pk not in covered), key=lambda u: u.name)
    user._dashboard_roots = roots
    return list(roots)


def unit_for_user(user: User, code: str | None, tree: UnitTree | None = None) -> Unit:
    """The unit asked for (by code), if it lies under one of the user's roots; else 404."""
    roots = unit_roots_for(user, tree)
    if not roots:
        raise Http404("Không có đơn vị được xem chỉ số.")
    if not code:
        return roots[0]
    unit = Unit.objects.filter(code=code, is_active=True).first()
    if unit is None:
        raise Http404("Không có đơn vị này.")
    tree = tree or unit_tree()
    if not any(unit.pk in tree.subtree(r.pk) for r in roots):
        raise Http404("Không có đơn vị này.")
    return unit


def unit_path(unit: Unit, roots: list[Unit]) -> list[Unit]:
    """Breadcrumb from the user's root down to `unit`."""
    root_ids = {r.pk for r in roots}
    path = [unit]
    while path[-1].pk not in root_ids and path[-1].parent_id:
        path.append(Unit.objects.get(pk=path[-1].parent_id))
    return list(reversed(path))


# --- figures --------------------------------------------------------------------------------

def method_for(day: date) -> IndexMethod:
    """The scoring set in force on `day`; the default set when the table holds none."""
    found = IndexMethod.objects.filter(effective_from__lte=day).order_by("-effective_from").first()
    return found or IndexMethod(name=indicators.DEFAULT_METHOD_NAME, is_default_set=True,
                                effective_from=date(2022, 6, 23),
                                groups=indicators.DEFAULT_GROUPS, bands=indicators.DEFAULT_BANDS)


@dataclass
class UnitReport:
    unit: Unit
    figures: Figures
    values: dict[str, int | Decimal | None]
    score: Score


def _rollup(rows, key: str, owners: dict[int, list[int]]) -> dict[int, dict[str, int]]:
    """Add each row (one per unit id) into every requested unit whose subtree holds that id."""
    out: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        for target in owners.get(row[key], ()):
            for name, value in row.items():
                if name != key:
                    out[target][name] += value or 0
    return out


def _in_units(field: str, ids) -> Q:
    """`field` among `ids`; no condition when `ids` is None (every unit)."""
    return Q() if ids is None else Q(**{f"{field}__in": ids})


def figures_by_unit(units: list[Unit], period: Period, now: datetime,
                    tree: UnitTree | None = None) -> dict[int, Figures]:
    """Figures of each unit's subtree; four grouped queries in all, whatever the units.

    The units may overlap (a province and its departments): rows are fetched once per unit id
    and added into every requested unit above it (rows of other units are left out there).
    """
    tree = tree or unit_tree()
    owners: dict[int, list[int]] = defaultdict(list)
    for u in units:
        for pk in tree.subtree(u.pk):
            owners[pk].append(u.pk)
    ids = None if len(owners) == tree.size else list(owners)
    sums = {n: Sum(n) for n in COUNTER_FIELDS}
    in_period = _rollup(
        MonthlyCounter.objects.filter(_in_units("unit_id", ids), month__gte=period.start,
                                      month__lt=period.end)
        .values("unit_id").annotate(**sums).order_by(), "unit_id", owners)
    # Received − closed after receipt: summed over the months before the period, the dossiers
    # carried over into it; over every month, the dossiers in progress now (metrics/counters.py
    # keeps the difference equal to the received dossiers not closed, whatever their state).
    in_progress = (F("received_counter") + F("received_online") + F("received_post")
                   - F("closed_after_receipt"))
    backlog = _rollup(
        MonthlyCounter.objects.filter(_in_units("unit_id", ids)).values("unit_id")
        .annotate(before=Sum(in_progress, filter=Q(month__lt=period.start)),
                  now=Sum(in_progress)).order_by(), "unit_id", owners)
    # Of those, the overdue ones (relative to `now`; a paused clock is never overdue): a range of
    # the running dossiers' due index, whose size is the number of late dossiers.
    overdue = _rollup(
        Dossier.objects.filter(_in_units("competent_unit_id", ids), state__in=RUNNING_STATES,
                               due_at__lt=now)
        .values("competent_unit_id").annotate(n=Count("competent_unit_id")).order_by(),
        "competent_unit_id", owners)
    # Applicants' evaluations in the period (one grouped query over their day counters).
    rated = _rollup(
        [{"unit_id": unit_id, **sums} for unit_id, sums in evaluation_sums_by_unit(
            unit_ids=ids, start=period.start, end=period.end).items()], "unit_id", owners)
    waiting = _rollup([{"unit_id": k, "n": n} for k, n in sync_waiting_by_unit(
        unit_ids=ids, period=period).items()], "unit_id", owners)
    # Feedback on regulations (feedback/ counts it: one query for every unit's subtree).
    pakn = feedback_totals_by_scope(start=period.start_at, end=period.end_at,
                                    scopes={u.pk: tree.subtree(u.pk) for u in units})
    out = {}
    for u in units:
        b, e = backlog.get(u.pk, {}), rated.get(u.pk, {})
        late = overdue.get(u.pk, {}).get("n", 0)
        out[u.pk] = Figures.from_sums(
            in_period.get(u.pk, {}), carried_over=b.get("before", 0),
            open_on_time=b.get("now", 0) - late, open_overdue=late,
            evaluated=e.get("evaluated", 0),
            satisfied=e.get("very_satisfied", 0) + e.get("satisfied", 0),
            evaluated_officer_unconfirmed=e.get("officer_unconfirmed", 0),
            sync_waiting=waiting.get(u.pk, {}).get("n", 0),
            feedback_answered=pakn[u.pk].answered,
            feedback_answered_on_time=pakn[u.pk].answered_on_time)
    return out


def unit_reports(units: list[Unit], period: Period, now: datetime,
                 tree: UnitTree | None = None) -> list[UnitReport]:
    method = method_for(period.last_day)
    scoring = indicators.Scoring(groups=method.groups, bands=method.bands)
    figures = figures_by_unit(units, period, now, tree)
    out = []
    for u in units:
        f = figures[u.pk]
        vals = indicators.values(f)
        out.append(UnitReport(u, f, vals, scoring.score(vals)))
    return out


def unit_report(unit: Unit, period: Period, now: datetime) -> UnitReport:
    return unit_reports([unit], period, now)[0]


def unit_children(unit: Unit) -> list[Unit]:
    return list(Unit.objects.filter(parent=unit, is_active=True).order_by("kind", "name"))


def ranked(reports: list[UnitReport]) -> list[UnitReport]:
    """Best scaled score first; units with no score last."""
    return sorted(reports, key=lambda r: (r.score.scaled is None,
                                          -(r.score.scaled or 0), r.unit.name))


def unit_ranking(unit: Unit, period: Period, now: datetime) -> list[UnitReport]:
    """The unit's direct children, ranked."""
    return ranked(unit_reports(unit_children(unit), period, now))


def unit_with_children(unit: Unit, period: Period, now: datetime,
                       tree: UnitTree | None = None) -> tuple[UnitReport, list[UnitReport]]:
    """The unit's report and its children's (in tree order), from one set of grouped queries."""
    reports = unit_reports([unit, *unit_children(unit)], period, now, tree)
    return reports[0], reports[1:]


@dataclass(frozen=True)
class TrendPoint:
    period: Period
    received: int
    settled: int
    on_time_rate: Decimal | None


def unit_trend(unit: Unit, months: list[Period],
               tree: UnitTree | None = None) -> list[TrendPoint]:
    """Monthly received, settled and on-time rate over `months` (one grouped query by month)."""
    ids = (tree or unit_tree()).scope(unit.pk)
    rows = (MonthlyCounter.objects.filter(_in_units("unit_id", ids), month__gte=months[0].start,
                                          month__lt=months[-1].end)
            .values("month").annotate(**{n: Sum(n) for n in COUNTER_FIELDS}).order_by())
    by_month: dict[tuple[int, int], dict[str, int]] = {
        (row["month"].year, row["month"].month): {n: row[n] or 0 for n in COUNTER_FIELDS}
        for row in rows}
    out = []
    for p in months:
        f = Figures.from_sums(by_month.get((p.year, p.number), {}))
        v = indicators.values(f)
        out.append(TrendPoint(p, v["received"], v["settled"], v["settled_on_time_rate"]))
    return out


# --- the dossiers behind a number ---------------------------------------------------------------

DRILL_LABELS = {
    "carried_over": _("Hồ sơ tồn từ kỳ trước"),
    "received": _("Hồ sơ tiếp nhận trong kỳ"),
    "received_counter": _("Hồ sơ tiếp nhận trực tiếp"),
    "received_online": _("Hồ sơ tiếp nhận trực tuyến"),
    "received_post": _("Hồ sơ tiếp nhận qua bưu chính"),
    "received_full_online": _("Hồ sơ trực tuyến của thủ tục toàn trình"),
    "settled": _("Hồ sơ đã giải quyết"),
    "settled_early": _("Hồ sơ giải quyết trước hạn"),
    "settled_on_time": _("Hồ sơ giải quyết đúng hạn"),
    "settled_late": _("Hồ sơ giải quyết quá hạn"),
    "open_on_time": _("Hồ sơ đang giải quyết, còn hạn"),
    "open_overdue": _("Hồ sơ đang giải quyết, đã quá hạn"),
    "refused": _("Hồ sơ bị từ chối tiếp nhận"),
    "withdrawn": _("Hồ sơ công dân rút"),
    "stopped": _("Hồ sơ dừng xử lý"),
    "apologised": _("Hồ sơ có phiếu xin lỗi, hẹn lại"),
    "settled_digitised": _("Hồ sơ đã giải quyết có thành phần được số hóa"),
    "settled_e_result": _("Hồ sơ đã giải quyết có kết quả điện tử"),
    "settled_reused": _("Hồ sơ đã giải quyết có thành phần tái sử dụng dữ liệu số hóa"),
    "not_synced": _("Hồ sơ chưa được Cổng Dịch vụ công quốc gia xác nhận trạng thái mới nhất"),
}


WAITING_STATUSES = [s for s in OutboxMessage.Status.values if s != OutboxMessage.Status.SENT]


def _waiting() -> QuerySet[OutboxMessage]:
    """Messages the national portal has not acknowledged yet: queued, being sent, or stopped
    after failing. The sync backlog, read by the outbox's status index."""
    # Named one by one (not "not sent") so that the status index can serve the condition.
    return OutboxMessage.objects.filter(status__in=WAITING_STATUSES)


def _waiting_received(unit_ids: set[int] | list[int] | None, start: datetime,
                      end: datetime) -> QuerySet[OutboxMessage]:
    """The backlog of dossiers of the units received in [start, end), by the competent unit and
    receipt each message carries (sync/models.py)."""
    return _waiting().filter(_in_units("competent_unit_id", unit_ids), received_at__gte=start,
                             received_at__lt=end)


def sync_waiting_by_unit(*, unit_ids: list[int] | set[int] | None,
                         period: Period) -> dict[int, int]:
    """Per competent unit: dossiers received in the period whose latest status the national
    portal has not acknowledged at the moment of viewing (Decision 766: 100 % synced).

    Every change of a dossier queues its messages in the same transaction (sync/outbox.py), and
    a dossier's messages go in order, so its latest status is acknowledged exactly when none of
    its messages is waiting. The query reads the backlog alone (each message carries its
    dossier's unit and moment of receipt, sync/models.py): its cost follows the few messages in
    flight, whatever the period's length or the number of dossiers.
    """
    rows = (_waiting_received(unit_ids, period.start_at, period.end_at)
            .values("competent_unit_id")
            .annotate(n=Count("dossier_id", distinct=True)).order_by())
    return {r["competent_unit_id"]: r["n"] for r in rows}


def _settled_with(key: str, value: object) -> Exists:
    """The return event records the settled dossier's papers and result (metrics/counters.py
    counts the same facts from it)."""
    return Exists(DossierEvent.objects.filter(dossier=OuterRef("pk"), action="return_result",
                                              **{f"data__{key}": value}))


def dossier_codes_openable(user: User, codes: list[str]) -> set[str]:
    """The codes among `codes` whose dossier page `user` may open, so the dashboard's lists link
    only those. The dashboard counts every dossier of the unit it shows (a province's leader
    sees the province's), but the dossier itself, with its applicant's personal data, opens only
    under the row-level rule (dossiers.selectors.dossier_visible; Decree 13/2023): the others
    are listed without a link."""
    return set(dossier_visible(user, per_row=True).filter(code__in=codes)
               .values_list("code", flat=True)) if codes else set()


def dossier_drill(*, unit_ids: set[int] | None, period: Period, metric: str,
                  now: datetime) -> QuerySet[Dossier]:
    """The dossiers counted in `metric` for the units and period: each number's list.

    Each filter restates the counting rule of metrics/counters.py on dossier fields, so the list
    has as many rows as the number that links to it (tests check this).
    """
    s, e = period.start_at, period.end_at
    qs = Dossier.objects.filter(_in_units("competent_unit_id", unit_ids)).select_related(
        "procedure", "competent_unit", "current_unit", "current_step__assignee",
        "current_step__unit")
    received = Q(received_at__gte=s, received_at__lt=e)
    settled = Q(state=State.RETURNED, returned_at__gte=s, returned_at__lt=e)
    closed_in = Q(closed_at__gte=s, closed_at__lt=e)
    filters = {
        "carried_over": Q(received_at__lt=s) & (Q(closed_at__isnull=True) | Q(closed_at__gte=s)),
        "received": received,
        "received_counter": received & Q(channel=Channel.COUNTER),
        "received_online": received & Q(channel=Channel.ONLINE),
        "received_post": received & Q(channel=Channel.POST),
        "received_full_online": received & Q(channel=Channel.ONLINE,
                                             procedure__online_level=Procedure.OnlineLevel.FULL),
        "settled": settled,
        "settled_early": settled & Q(timing=Timing.EARLY),
        "settled_on_time": settled & Q(timing__in=[Timing.ON_TIME, ""]),
        "settled_late": settled & Q(timing=Timing.LATE),
        "open_on_time": Q(state__in=OPEN_STATES, received_at__isnull=False)
        & ~Q(state__in=RUNNING_STATES, due_at__lt=now),
        "open_overdue": Q(state__in=RUNNING_STATES, due_at__lt=now),
        "refused": Q(state=State.REFUSED) & closed_in,
        "withdrawn": Q(state=State.WITHDRAWN) & closed_in,
        "stopped": Q(state=State.STOPPED) & closed_in,
        "settled_digitised": settled & Q(_settled_with("papers_digitised__gt", 0)),
        "settled_e_result": settled & Q(_settled_with("result_electronic", True)),
        "settled_reused": settled & Q(_settled_with("papers_reused__gt", 0)),
        # The backlog narrowed by the unit and receipt its messages carry, then checked against
        # the dossiers themselves: a few lookups instead of one per waiting message.
        "not_synced": received & Q(pk__in=_waiting_received(unit_ids, s, e).values("dossier_id")),
    }
    if metric == "apologised":
        first = (DossierEvent.objects.filter(dossier=OuterRef("pk"), action="apologize")
                 .order_by("seq").values("at")[:1])
        return (qs.filter(Exists(DossierEvent.objects.filter(dossier=OuterRef("pk"),
                                                             action="apologize")))
                .annotate(first_apology_at=Subquery(first))
                .filter(first_apology_at__gte=s, first_apology_at__lt=e).order_by("code"))
    if metric not in filters:
        raise Http404("Không có chỉ số này.")
    # Each list in the order its index serves, so a page reads 50 rows, not the whole set.
    if metric.startswith("received") or metric == "not_synced":
        order = ("received_at", "code")
    elif metric.startswith("settled"):
        order = ("returned_at", "code")
    else:
        order = ("due_at", "code")
    return qs.filter(filters[metric]).order_by(*order)


# --- early warning ------------------------------------------------------------------------------

@dataclass(frozen=True)
class DueWarning:
    dossier: Dossier
    kind: str  # "late" (dossier overdue), "step_late", "soon" (step due within N hours)
    step_due_at: datetime | None
    apology_due: bool  # the apology (Form 04) must go out within N working hours, or is overdue
    responsible: str
    unit_name: str


WARNING_LABELS = {"late": _("Hồ sơ đã quá hạn"), "step_late": _("Bước xử lý đã quá hạn"),
                  "soon": _("Sắp đến hạn bước xử lý")}


def _responsible(d: Dossier) -> tuple[str, str]:
    step = d.current_step
    if step is None:
        return "Chưa phân công", d.current_unit.name
    unit = step.unit.name
    if step.assignee is not None:
        return step.assignee.display_name, unit
    return f"Chưa phân công — {unit}", unit


def _running(unit_ids: set[int] | None) -> QuerySet[Dossier]:
    """Running dossiers held or decided by the units. The lists pick ids with it from the
    `dossier_running_due` index alone, then read the few rows they show in full."""
    qs = Dossier.objects.filter(state__in=RUNNING_STATES)
    if unit_ids is not None:
        qs = qs.filter(Q(current_unit_id__in=unit_ids) | Q(competent_unit_id__in=unit_ids))
    return qs


# The order of both lists, the order of the index: a dossier without a due moment comes last.
_DUE_ORDER = (F("due_at").asc(nulls_last=True), "pk")


def _working_cutoff(now: datetime, seconds: int, cal) -> datetime:
    """The first moment after `now` that is more than `seconds` working seconds away.

    `working_seconds_between(now, t)` counts whole seconds and never decreases as `t` moves on,
    so it is at most `seconds` exactly for the moments before the instant at which `seconds` + 1
    working seconds have elapsed: one comparison in the database replaces the arithmetic per row.
    """
    return add_working_seconds(now, max(seconds + 1, 0), cal)


@dataclass(frozen=True)
class _Cutoffs:
    units: tuple[int, ...] | None  # the receiving units they apply to; None: all the others
    step: datetime  # a step due before this is due within the hours
    apology: datetime  # a dossier due before this needs its apology within the hours


def _warning_cutoffs(now: datetime, hours: int) -> list[_Cutoffs]:
    """The cut-off moments of each working calendar in use, with the receiving units it covers;
    the system calendar's first.

    A dossier's working time follows its receiving unit's calendar (the one its due moments were
    planned with). Most units keep the system calendar; only those with their own office hours or
    their own calendar days can differ, and units whose cut-offs come out the same are grouped,
    so the lists stay a handful of range conditions whatever the number of units. The calendars
    are read together: one look at the calendar table's version per page.
    """
    limit = hours * 3600
    own = Unit.objects.filter(~Q(office_hours="") | Q(Exists(
        CalendarDay.objects.filter(unit=OuterRef("pk")))))
    calendars = calendars_for_units([None, *own])

    def cutoffs(cal) -> tuple[datetime, datetime]:
        return (_working_cutoff(now, limit, cal),
                _working_cutoff(now, limit + cal.seconds_per_day, cal))

    default = cutoffs(calendars[None])
    groups: dict[tuple[datetime, datetime], list[int]] = defaultdict(list)
    for pk, cal in calendars.items():
        if pk is not None and (c := cutoffs(cal)) != default:
            groups[c].append(pk)
    return [_Cutoffs(None, *default),
            *(_Cutoffs(tuple(sorted(ids)), *c) for c, ids in groups.items())]


def _due_soon(now: datetime, cutoffs: list[_Cutoffs],
              unit_ids: set[int] | None) -> QuerySet[Dossier]:
    """Running dossiers not yet late whose current step is late or due within the hours, or
    whose apology deadline is, each weighed on its receiving unit's calendar."""
    apart = [pk for c in cutoffs if c.units for pk in c.units]
    due = Q()
    for c in cutoffs:
        which = (Q(receiving_unit_id__in=c.units) if c.units else
                 ~Q(receiving_unit_id__in=apart) if apart else Q())
        due |= which & (Q(current_step__due_at__lte=now) | Q(current_step__due_at__lt=c.step)
                        | Q(due_at__lt=c.apology))
    return _running(unit_ids).filter(Q(due_at__gt=now) | Q(due_at__isnull=True)).filter(due)


def _soon_ids(now: datetime, cutoffs: list[_Cutoffs], unit_ids: set[int] | None,
              limit: int | None) -> list[int]:
    """Ids of the dossiers of `_due_soon` in due order; `limit` + 1 of them at most when given.

    A dossier due before every calendar's apology cut-off is on the list whatever its step, and
    it comes before every other dossier of the list in due order. Where at least `limit` + 1 such
    dossiers exist (a province, a large department), they are the answer, read as a range of the
    due index; only otherwise is each running dossier's current step looked at.
    """
    every = _due_soon(now, cutoffs, unit_ids).order_by(*_DUE_ORDER).values_list("pk", flat=True)
    if limit is None:
        return list(every)
    first = min(c.apology for c in cutoffs)
    ids = list(_running(unit_ids).filter(due_at__gt=now, due_at__lt=first)
               .order_by(*_DUE_ORDER).values_list("pk", flat=True)[:limit + 1])
    return ids if len(ids) > limit else list(every[:limit + 1])


_WARNING_FIELDS = ("code", "due_at", "receiving_unit_id", "procedure__name",
                   "current_unit__name", "current_step__due_at", "current_step__unit__name",
                   "current_step__assignee")


@dataclass(frozen=True)
class WarningLists:
    late: list[DueWarning]  # the longest-late first
    late_count: int
    soon: list[DueWarning]  # step late or due soon, or apology due; the soonest due first
    soon_more: bool  # more dossiers are due soon than the list shows


def dossier_warning_lists(*, now: datetime, hours: int, unit_ids: set[int] | None = None,
                          limit: int | None = None) -> WarningLists:
    """The dashboard's two warning lists, each cut at `limit` rows (all rows when None).

    Same rules as `dossier_warnings`. Late is `due_at` ≤ now, counted in full from the index.
    The others are decided in the database against each calendar's cut-off moments
    (`_warning_cutoffs`) instead of working-time arithmetic per open dossier; the page says
    whether more are due soon than it shows, not how many, because that count would weigh the
    current step of every running dossier.
    """
    cutoffs = _warning_cutoffs(now, hours)
    late_qs = _running(unit_ids).filter(due_at__lte=now)
    late_ids = list(late_qs.order_by(*_DUE_ORDER).values_list("pk", flat=True)
                    [:None if limit is None else limit + 1])
    soon_ids = _soon_ids(now, cutoffs, unit_ids, limit)
    late_count = len(late_ids) if limit is None or len(late_ids) <= limit else late_qs.count()
    soon_more = limit is not None and len(soon_ids) > limit
    late_ids, soon_ids = late_ids[:limit], soon_ids[:limit]
    rows = (Dossier.objects.select_related("current_unit", "current_step__unit",
                                           "current_step__assignee", "procedure")
            # What a list row shows, and who is told: a hundred rows of a page are read with
            # a few columns each instead of every column of five tables.
            .only(*_WARNING_FIELDS).in_bulk(late_ids + soon_ids))
    by_unit = {pk: c for c in cutoffs[1:] for pk in c.units}
    late, soon = [], []
    for pk in late_ids:
        d = rows[pk]
        person, unit = _responsible(d)
        late.append(DueWarning(d, "late", d.current_step.due_at if d.current_step else None,
                               False, person, unit))
    for pk in soon_ids:
        d = rows[pk]
        c = by_unit.get(d.receiving_unit_id, cutoffs[0])
        step_due = d.current_step.due_at if d.current_step else None
        kind = "step_late" if step_due is not None and step_due <= now else "soon"
        person, unit = _responsible(d)
        soon.append(DueWarning(d, kind, step_due, d.due_at is not None and d.due_at < c.apology,
                               person, unit))
    return WarningLists(late, late_count, soon, soon_more)


def dossier_warnings(*, now: datetime, hours: int, unit_ids: set[int] | None = None,
                     late_limit: int | None = None) -> list[DueWarning]:
    """Running dossiers that are late (the longest-late first), then those whose step is late or
    due within `hours` working hours, or whose apology deadline is; at most `late_limit` of each
    kind when given, all of them otherwise (the daily command).

    The apology letter must go out at the latest 1 working day before the due moment (Decree
    118/2025), so it is flagged once that deadline is within `hours` working hours. Working time
    follows the receiving unit's calendar (the one the due moments were planned with).
    """
    lists = dossier_warning_lists(now=now, hours=hours, unit_ids=unit_ids, limit=late_limit)
    return lists.late + lists.soon


def warnings_by_person(warnings: list[DueWarning]) -> dict[str, list[DueWarning]]:
    grouped: dict[str, list[DueWarning]] = defaultdict(list)
    for w in warnings:
        grouped[w.responsible].append(w)
    return dict(sorted(grouped.items()))
