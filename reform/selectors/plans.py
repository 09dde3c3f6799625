"""Who sees which plan and task; the plan's tree and its roll-up, read for pages, API and report.

A plan belongs to its issuing agency (a province's or ministry's people's committee). Its
officers are the people holding the CCHC role (Role.REFORM) in that agency — the Department of
Home Affairs' reform officer holds it there — and they run the plan; a leader (Role.HEAD) of the
agency reads all of it; every other staff member sees only the tasks whose lead unit they belong
to, and another unit's task is a 404. A department's own CCHC officer (Role.REFORM in the
department) is, for the plan, one of its lead unit's people, nothing more.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import Role, Unit, User
from accounts.selectors import user_roles, user_unit_ids
from reform.models import Area, Evidence, Plan, Task
from reform.rollup import Node, Rollup, rollup, round_percent


def officer_unit_ids(user: User) -> set[int]:
    """The units where the person holds the CCHC role."""
    return user_unit_ids(user, role=Role.REFORM)


def is_reform_officer(user: User) -> bool:
    """Holds the CCHC role in an agency that issues plans (a unit with no parent: the province's
    or ministry's committee): creates plans there and keeps the directive register."""
    units = officer_unit_ids(user)
    return bool(units) and Unit.objects.filter(pk__in=units, parent__isnull=True).exists()


def is_plan_officer(user: User, plan: Plan) -> bool:
    return (plan.unit_id, Role.REFORM) in user_roles(user)


def reads_whole_plan(user: User, plan: Plan) -> bool:
    """The plan's officers and the leaders of its agency read every task of the plan."""
    return is_plan_officer(user, plan) or (plan.unit_id, Role.HEAD) in user_roles(user)


def _whole_plan_units(user: User) -> set[int]:
    return officer_unit_ids(user) | user_unit_ids(user, role=Role.HEAD)


def plans_visible(user: User) -> QuerySet[Plan]:
    plans = Plan.objects.select_related("unit")
    return plans.filter(Q(unit_id__in=_whole_plan_units(user))
                        | Q(tasks__lead_unit_id__in=user_unit_ids(user))).distinct()


def plan_get_or_none(*, user: User, pk: int) -> Plan | None:
    return plans_visible(user).filter(pk=pk).first()


def plan_get(*, user: User, pk: int) -> Plan:
    plan = plan_get_or_none(user=user, pk=pk)
    if plan is None:
        raise Http404("Không tìm thấy kế hoạch.")
    return plan


def tasks_visible(user: User, plan: Plan | None = None) -> QuerySet[Task]:
    tasks = Task.objects.select_related("lead_unit", "plan", "plan__unit")
    if plan is not None:
        tasks = tasks.filter(plan=plan)
        if reads_whole_plan(user, plan):
            return tasks
        return tasks.filter(lead_unit_id__in=user_unit_ids(user))
    return tasks.filter(Q(lead_unit_id__in=user_unit_ids(user))
                        | Q(plan__unit_id__in=_whole_plan_units(user)))


def task_parent_openable(user: User, task: Task) -> bool:
    """Whether `user` may open the page of `task`'s parent (task_get). A unit leads a sub-task
    of a task another unit leads: the parent is named for context, linked only then."""
    return task.parent_id is not None and tasks_visible(user, task.plan).filter(
        pk=task.parent_id).exists()


def task_get(*, user: User, pk: int) -> Task:
    task = tasks_visible(user).filter(pk=pk).first()
    if task is None:
        raise Http404("Không tìm thấy nhiệm vụ.")
    return task


def can_report(user: User, task: Task) -> bool:
    """Only people of the task's lead unit report on it."""
    return task.lead_unit_id in user_unit_ids(user)


def plan_nodes(plan: Plan) -> list[Node]:
    rows = Task.objects.filter(plan=plan).values_list("id", "parent_id", "area", "weight",
                                                      "progress", "status")
    return [Node(id=i, parent_id=p, area=a, weight=w, progress=g,
                 accepted=s == Task.Status.ACCEPTED) for i, p, a, w, g, s in rows]


def plan_rollup(plan: Plan) -> Rollup:
    return rollup(plan_nodes(plan))


@dataclass
class TreeRow:
    task: Task
    depth: int
    progress: Decimal
    evidence_count: int

    @property
    def overdue(self) -> bool:
        return task_overdue(self.task, timezone.localdate())

    @property
    def prefix(self) -> str:
        """What marks a sub-task in a list: one arrow per level below the area's task."""
        return "↳ " * self.depth


@dataclass
class AreaBlock:
    area: str
    label: str
    progress: Decimal | None
    rows: list[TreeRow]


def plan_tree(plan: Plan, tasks: QuerySet[Task], roll: Rollup | None = None) -> list[AreaBlock]:
    """The tasks given, area by area in the order of Area, each followed by its sub-tasks.

    A sub-task whose parent is not among `tasks` (another unit's task) is shown at the top
    level of its area, so a unit sees its own sub-tasks of a task it does not lead.
    """
    roll = roll or plan_rollup(plan)
    tasks = list(tasks.annotate(n_evidence=Count("evidence")).order_by("position", "id"))
    present = {t.pk for t in tasks}
    kids: dict[int | None, list[Task]] = {}
    for t in tasks:
        parent = t.parent_id if t.parent_id in present else None
        kids.setdefault(parent, []).append(t)

    def walk(task: Task, depth: int, rows: list[TreeRow]) -> None:
        rows.append(TreeRow(task, depth, round_percent(roll.tasks.get(task.pk, Decimal(0))),
                            task.n_evidence))
        for child in kids.get(task.pk, []):
            walk(child, depth + 1, rows)

    blocks = []
    for area in Area:
        rows: list[TreeRow] = []
        for top in (t for t in kids.get(None, []) if t.area == area.value):
            walk(top, 0, rows)
        blocks.append(AreaBlock(area.value, area.label,
                                round_percent(roll.areas.get(area.value, Decimal(0))), rows))
    return blocks


def task_overdue(task: Task, today: date) -> bool:
    return task.status != Task.Status.ACCEPTED and task.due < today


def evidence_get(*, user: User, pk: int) -> Evidence:
    evidence = Evidence.objects.filter(pk=pk, task__in=tasks_visible(user)).first()
    if evidence is None:
        raise Http404("Không tìm thấy minh chứng.")
    return evidence
