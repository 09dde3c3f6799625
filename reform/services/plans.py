"""Writing the plan: creating it, giving it tasks by hand, linking tasks to procedures and
directive documents. Only the Home Affairs officer (Role.REFORM) does these."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import Unit, User
from motcua.errors import DomainError, NotAllowed
from reform.models import Area, Directive, Plan, Task, TaskEvent
from reform.selectors.plans import is_plan_officer, is_reform_officer


def officer_check(actor: User, plan: Plan | None = None) -> None:
    """The plan's officer (Role.REFORM in its agency); without a plan, an officer of an agency
    that issues plans (the directive register)."""
    if not (is_plan_officer(actor, plan) if plan is not None else is_reform_officer(actor)):
        raise NotAllowed("permission_denied",
                         "Chỉ cán bộ cải cách hành chính (Sở Nội vụ) được thực hiện thao tác này.",
                         "Only the administrative-reform officer may do this.", http_status=403)


def _invalid(field: str, message: str, message_en: str) -> DomainError:
    return DomainError("invalid", message, message_en, fields={field: [message]})


def plan_create(*, actor: User, unit: Unit, year: int, title: str, decision_number: str,
                decision_date: date, authorised: bool = False, draft: bool = False) -> Plan:
    """A plan of `unit`'s agency. `authorised`: the caller has checked the actor's right under
    its own rule (the PAR Index's next-year draft, reform/par/next_plan.py: the round's organiser
    or the unit's own reform officer drafts the unit's plan). `draft`: not on the public pages
    until issued."""
    if not authorised:
        officer_check(actor, Plan(unit=unit))
    if not 2000 <= year <= 2100:
        raise _invalid("year", "Năm kế hoạch phải từ 2000 đến 2100.",
                       "The plan's year must be between 2000 and 2100.")
    if not title.strip():
        raise _invalid("title", "Vui lòng nhập tên kế hoạch.", "The plan needs a title.")
    if not decision_number.strip():
        raise _invalid("decision_number", "Vui lòng nhập số quyết định ban hành kế hoạch.",
                       "The decision number is required.")
    try:
        with transaction.atomic():
            return Plan.objects.create(unit=unit, year=year, title=title.strip(),
                                       decision_number=decision_number.strip(),
                                       decision_date=decision_date, draft=draft,
                                       created_by=actor)
    except IntegrityError:
        raise _invalid("year", f"{unit.name} đã có kế hoạch năm {year}.",
                       f"{unit.name} already has a plan for {year}.") from None


def weight_parse(value: object, field: str = "weight") -> Decimal:
    if value in (None, ""):
        return Decimal(1)
    try:
        weight = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        weight = Decimal(0)
    if not weight.is_finite() or weight <= 0 or weight >= 10000:
        raise _invalid(field, "Trọng số phải là số lớn hơn 0 (để trống: 1).",
                       "The weight must be a number above 0 (empty: 1).")
    return weight.quantize(Decimal("0.01"))


def task_add(*, actor: User, plan: Plan, title: str, area: str, lead_unit: Unit,
             parent: Task | None = None, number: str = "", expected_product: str = "",
             cooperating_units: list[Unit] | None = None, cooperating_other: str = "",
             deadline: date | None = None, weight: Decimal = Decimal(1),
             at=None, authorised: bool = False) -> Task:
    """One task (or sub-task) of the plan, with its "assigned" history row (`authorised`: as
    for plan_create)."""
    if not authorised:
        officer_check(actor, plan)
    if not title.strip():
        raise _invalid("title", "Vui lòng nhập nội dung nhiệm vụ.", "The task needs a title.")
    if parent is not None:
        if parent.plan_id != plan.pk:
            raise _invalid("parent", "Nhiệm vụ cha không thuộc kế hoạch này.",
                           "The parent task belongs to another plan.")
        area = area or parent.area
    if area not in Area.values:
        raise _invalid("area", "Vui lòng chọn lĩnh vực cải cách của nhiệm vụ.",
                       "Choose the reform area of the task.")
    if deadline is not None and deadline.year > plan.year + 1:
        raise _invalid("deadline", "Thời hạn hoàn thành vượt quá năm kế hoạch.",
                       "The deadline lies beyond the plan's year.")
    at = at or timezone.now()
    with transaction.atomic():
        position = (Task.objects.filter(plan=plan).aggregate(m=Max("position"))["m"] or 0) + 1
        task = Task.objects.create(
            plan=plan, parent=parent, area=area, number=number.strip(), position=position,
            title=title.strip(), expected_product=expected_product.strip(), lead_unit=lead_unit,
            cooperating_other=cooperating_other.strip(), deadline=deadline, weight=weight)
        if cooperating_units:
            task.cooperating_units.set(cooperating_units)
        TaskEvent.objects.create(task=task, at=at, actor=actor, kind=TaskEvent.Kind.CREATE,
                                 status_to=task.status, note=f"Đơn vị chủ trì: {lead_unit.name}")
    return task


def task_link(*, actor: User, task: Task, procedure_codes: list[str],
              directive_ids: list[int], review_round_ids: list[int] | None = None) -> Task:
    """Which catalogue procedures (by code) and directive documents the task concerns, and the
    regulation review rounds (regulations/) it delivers; replaces each list given (the rounds
    are kept when `review_round_ids` is None). An unknown procedure code is refused, naming it;
    a round outside the plan's year is refused too."""
    officer_check(actor, task.plan)
    from catalog.selectors import procedure_get
    from regulations.selectors import rounds_overlapping

    procedures = []
    for code in dict.fromkeys(c.strip() for c in procedure_codes if c.strip()):
        procedure = procedure_get(code)
        if procedure is None:
            raise _invalid("procedures", f"Không có thủ tục mã “{code}” trong danh mục.",
                           f"No procedure with code '{code}' in the catalogue.")
        procedures.append(procedure)
    directives = list(Directive.objects.filter(pk__in=directive_ids))
    rounds = None
    if review_round_ids is not None:
        year = task.plan.year
        rounds = list(rounds_overlapping(start=date(year, 1, 1), end=date(year, 12, 31))
                      .filter(pk__in=review_round_ids))
        if len(rounds) != len(set(review_round_ids)):
            raise _invalid("review_rounds",
                           f"Đợt rà soát không có hoặc không thuộc năm {year} của kế hoạch.",
                           f"A review round does not exist or is outside the plan's year {year}.")
    with transaction.atomic():
        task.procedures.set(procedures)
        task.directives.set(directives)
        if rounds is not None:
            task.review_rounds.set(rounds)
        linked = rounds if rounds is not None else list(task.review_rounds.all())
        note = "; ".join([p.code for p in procedures] + [d.number for d in directives]
                         + [r.name for r in linked])
        TaskEvent.objects.create(task=task, at=timezone.now(), actor=actor,
                                 kind=TaskEvent.Kind.LINK, status_from=task.status,
                                 status_to=task.status, progress=task.progress,
                                 note=note or "Bỏ liên kết")
    return task
