"""Tasks whose lead unit must be warned: overdue, or due within a few days, and still open."""

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Q

from accounts.models import Unit
from reform.models import Task

# Tasks the unit still owes: waiting for acceptance or accepted ones are not its to finish.
OWED = (Task.Status.NOT_STARTED, Task.Status.IN_PROGRESS, Task.Status.RETURNED)


def tasks_to_warn(*, today: date, days: int) -> dict[Unit, list[Task]]:
    """Per lead unit, its owed tasks due before `today` + `days` (overdue first, then by due
    day). A task without a deadline is due on the last day of its plan's year."""
    horizon = today + timedelta(days=days)
    # The last plan year whose 31 December falls on or before the horizon.
    last_year = horizon.year if (horizon.month, horizon.day) == (12, 31) else horizon.year - 1
    tasks = (Task.objects.filter(status__in=OWED)
             .filter(Q(deadline__lte=horizon)
                     | Q(deadline__isnull=True, plan__year__lte=last_year))
             .select_related("lead_unit", "plan"))
    per_unit: dict[Unit, list[Task]] = defaultdict(list)
    for task in sorted(tasks, key=lambda t: (t.due, t.pk)):
        per_unit[task.lead_unit].append(task)
    return dict(per_unit)
