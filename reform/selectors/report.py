"""The plan's progress report for a quarter, six or nine months, or the year (domain.md §12:
reported to the Steering Committee every quarter, six months and year).

Each task that is work itself (a task without sub-tasks; a task with sub-tasks is their sum) is
classed as of the period's last day (or today, if the period has not ended):
- done on time: accepted, reported done on or before its deadline;
- done late: accepted, reported done after its deadline;
- overdue: not accepted and its deadline has passed;
- in progress: everything else (not started, in progress, waiting for acceptance, returned).
A task is counted as done only if the unit reported it done within the period.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from metrics.periods import Period
from reform.models import Area, Directive, Evidence, Plan, Task
from reform.rollup import round_percent
from reform.selectors.plans import plan_rollup

CLASSES = ("on_time", "late", "in_progress", "overdue")
CLASS_LABELS = {"on_time": _("Hoàn thành đúng hạn"), "late": _("Hoàn thành quá hạn"),
                "in_progress": _("Đang thực hiện"), "overdue": _("Quá hạn chưa hoàn thành")}
REPORT_KINDS = ("quy", "6thang", "9thang", "nam")


def task_class(task: Task, as_of: date) -> str:
    done = task.status == Task.Status.ACCEPTED and task.done_on and task.done_on <= as_of
    if done:
        return "on_time" if task.done_on <= task.due else "late"
    return "overdue" if task.due < as_of else "in_progress"


@dataclass
class AreaLine:
    area: str
    label: str
    progress: Decimal
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class TaskLine:
    task: Task
    area_label: str
    klass: str
    progress: Decimal
    evidence: list[Evidence]


@dataclass
class PlanReport:
    plan: Plan
    period: Period
    as_of: date
    progress: Decimal
    areas: list[AreaLine]
    tasks: list[TaskLine]
    directive_count: int
    directives_linked: int
    evidence_count: int

    @property
    def totals(self) -> dict[str, int]:
        return {k: sum(a.counts[k] for a in self.areas) for k in CLASSES}

    @property
    def total(self) -> int:
        return sum(self.totals.values())


def report_period_ok(period: Period) -> bool:
    return period.kind in REPORT_KINDS


def plan_report(*, plan: Plan, period: Period, today: date) -> PlanReport:
    as_of = min(period.last_day, today)
    roll = plan_rollup(plan)
    evidence = Evidence.objects.filter(added_at__date__lte=as_of).select_related(
        "stored_document").order_by("added_at", "id")
    tasks = list(Task.objects.filter(plan=plan).select_related("lead_unit", "plan")
                 .prefetch_related(Prefetch("evidence", queryset=evidence))
                 .order_by("position", "id"))
    parents = {t.parent_id for t in tasks if t.parent_id}
    areas = {a.value: AreaLine(a.value, str(a.label), round_percent(roll.areas.get(a.value,
                                                                              Decimal(0))),
                               dict.fromkeys(CLASSES, 0)) for a in Area}
    lines = []
    for task in tasks:
        klass = task_class(task, as_of)
        if task.pk not in parents:
            areas[task.area].counts[klass] += 1
        lines.append(TaskLine(task, areas[task.area].label, klass,
                              round_percent(roll.tasks.get(task.pk, Decimal(0))),
                              list(task.evidence.all())))
    year_start = date(plan.year, 1, 1)
    directives = Directive.objects.filter(date__gte=year_start, date__lte=as_of)
    return PlanReport(
        plan=plan, period=period, as_of=as_of, progress=round_percent(roll.plan),
        areas=list(areas.values()), tasks=lines,
        directive_count=directives.count(),
        directives_linked=directives.filter(tasks__plan=plan).distinct().count(),
        evidence_count=sum(len(t.evidence) for t in lines))
