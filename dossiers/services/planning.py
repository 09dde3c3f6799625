"""Due moments of a dossier and of each of its steps, from the deadline engine and the calendar.

The overall due moment is always derived from the same facts — clock start, the time limit pinned
at acceptance, the closed pauses, an apology's new date — so recomputing after a calendar change
gives the same answer as the incremental updates made while the dossier moved.
"""

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_noop

from accounts.models import Unit
from catalog.models import Step
from dossiers import deadlines
from dossiers.calendar import calendar_for_unit
from dossiers.deadlines import WorkCalendar
from dossiers.models import Dossier, DossierStep
from dossiers.states import OPEN_STATES
from motcua.prepared import related_rows, row_new

# Used when a procedure variant defines no steps of its own: the desk receives and returns,
# a specialist of the competent unit examines, its head decides. Shares of the time limit follow
# common provincial practice and are editable per variant in the catalog.
# The names are stored on the dossier's steps in Vietnamese (Form 05 prints them); pages show
# them through the catalogue ({% translate step.name %}), so they are marked here.
DEFAULT_STEPS: tuple[tuple[str, str, Decimal], ...] = (
    (gettext_noop("Tiếp nhận và chuyển hồ sơ"), Step.Role.RECEIVING, Decimal("10")),
    (gettext_noop("Thẩm định, xử lý hồ sơ"), Step.Role.SPECIALIST, Decimal("60")),
    (gettext_noop("Phê duyệt kết quả"), Step.Role.HEAD, Decimal("20")),
    (gettext_noop("Trả kết quả"), Step.Role.RETURNING, Decimal("10")),
)


def step_plan(dossier: Dossier) -> list[DossierStep]:
    """Unsaved DossierStep rows for the dossier's variant (or the default plan)."""
    # The case's steps as held (the reference cache's), without a related manager (issue #18).
    catalog_steps = list(related_rows(dossier.variant, "steps"))
    rows: list[tuple[str, str, Unit | None, Decimal]]
    if catalog_steps:
        rows = [(s.name, s.role, s.unit, s.share_percent) for s in catalog_steps]
    else:
        rows = [(name, role, None, share) for name, role, share in DEFAULT_STEPS]
    plan = []
    for order, (name, role, unit, share) in enumerate(rows, start=1):
        if unit is None:
            desk = role in (Step.Role.RECEIVING, Step.Role.RETURNING)
            unit = dossier.receiving_unit if desk else dossier.competent_unit
        # Built as DossierStep(...) builds it, without Model.__init__'s walk
        # (motcua/prepared.py `row_new`: a filing builds one a step, issue #18).
        plan.append(row_new(DossierStep, dossier=dossier, order=order, name=name, role=role,
                            unit=unit, share_percent=share))
    return plan


def base_due(dossier: Dossier, cal: WorkCalendar | None = None) -> datetime | None:
    """The due moment from the clock start and the pinned limit, before pauses; `cal` is the
    receiving unit's calendar when the caller has it already."""
    if dossier.clock_started_at is None or dossier.limit_amount is None:
        return None
    cal = cal or calendar_for_unit(dossier.receiving_unit)
    return deadlines.due_moment(dossier.clock_started_at, dossier.limit_amount,
                                dossier.limit_unit, cal, civil_code=dossier.civil_code_counting)


def statutory_due(dossier: Dossier, *, cal: WorkCalendar | None = None) -> datetime | None:
    """The due moment the law sets: the limit plus closed pauses, whatever an apology promised.

    A dossier settled after it is late even when an apology gave the applicant a later date
    (Decree 118/2025; Decision 766 counts it late). `cal`: the receiving unit's calendar when the
    caller has it.
    """
    cal = cal or calendar_for_unit(dossier.receiving_unit)
    due = base_due(dossier, cal)
    if due is None:
        return None
    pauses = [(p.started_at, p.ended_at) for p in related_rows(dossier, "pauses") if p.ended_at]
    return _extend(due, pauses, cal)


def _extend(due: datetime, pauses, cal) -> datetime:
    for start, end in pauses:
        if start < due:
            due = deadlines.extend_for_pause(due, start, end, cal)
    return due


def plan_dues(dossier: Dossier, steps: list[DossierStep], *, cal: WorkCalendar | None = None,
              paused: bool = True) -> None:
    """Set dossier.due_at and each step's due_at in memory (callers save).

    `cal`: the receiving unit's calendar when the caller has it. `paused=False`: the caller knows
    the dossier has had no pause (acceptance), which spares reading them.
    """
    cal = cal or calendar_for_unit(dossier.receiving_unit)
    due = base_due(dossier, cal)
    pauses = ([(p.started_at, p.ended_at) for p in related_rows(dossier, "pauses")
               if p.ended_at] if paused else [])
    if due is None:
        return
    start = dossier.clock_started_at
    total = deadlines.working_seconds_between(start, due, cal)
    cumulative = Decimal(0)
    for step in steps:
        cumulative += step.share_percent
        seconds = int(total * min(cumulative, Decimal(100)) / 100)
        step.due_at = _extend(deadlines.add_working_seconds(start, seconds, cal), pauses, cal)
    if dossier.apology_count:
        # An apology fixed a new date by decision of the head; only pauses after it move it.
        return
    dossier.due_at = _extend(due, pauses, cal)
    if steps:
        steps[-1].due_at = dossier.due_at


def dossier_recompute_due(*, dossier: Dossier) -> bool:
    """Recompute an open dossier's due moments (after a calendar change); True if any moved."""
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
        steps = list(dossier.steps.all())
        before = (dossier.due_at, [s.due_at for s in steps])
        plan_dues(dossier, steps)
        after = (dossier.due_at, [s.due_at for s in steps])
        if before == after:
            return False
        dossier.save(update_fields=["due_at", "updated_at"])
        DossierStep.objects.bulk_update(steps, ["due_at"])
        return True


def dossiers_recompute_open() -> tuple[int, int]:
    """Recompute every open dossier; returns (looked at, changed)."""
    seen = changed = 0
    ids = Dossier.objects.filter(state__in=OPEN_STATES).values_list("pk", flat=True)
    for pk in ids.iterator():
        seen += 1
        changed += dossier_recompute_due(dossier=Dossier(pk=pk))
    return seen, changed
