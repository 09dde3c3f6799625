"""The two clocks of an item, computed by the project's deadline engine (dossiers/deadlines.py)
on the working calendar of the unit that owes the step (dossiers/calendar.py): weekends,
public holidays (Tết included), make-up Saturdays and the unit's own calendar rows.

- Forward: an item outside the receiver's authority goes to the competent agency within 5
  working days of its receipt (Decree 20/2008/ND-CP as amended by Decree 92/2017/ND-CP;
  MOTCUA_FEEDBACK_FORWARD_WORKING_DAYS).
- Answer: working days per class from when the competent unit takes the item
  (MOTCUA_FEEDBACK_ANSWER_DAYS; the figures are settings because they could not be confirmed
  against the amended text, docs/feedback.md).
"""

from datetime import datetime

from django.conf import settings

from accounts.models import Unit
from dossiers.calendar import calendar_for_unit
from dossiers.deadlines import WORKING_DAYS, clock_start, due_moment

DEFAULT_ANSWER_DAYS = 30


def forward_due(*, received_at: datetime, unit: Unit) -> datetime:
    cal = calendar_for_unit(unit)
    return due_moment(clock_start(received_at, cal), settings.MOTCUA_FEEDBACK_FORWARD_WORKING_DAYS,
                      WORKING_DAYS, cal)


def answer_days(kind: str) -> int:
    return int(settings.MOTCUA_FEEDBACK_ANSWER_DAYS.get(kind, DEFAULT_ANSWER_DAYS))


def answer_due(*, start: datetime, kind: str, unit: Unit) -> datetime:
    cal = calendar_for_unit(unit)
    return due_moment(clock_start(start, cal), answer_days(kind), WORKING_DAYS, cal)


def step_timing(done: datetime, due: datetime | None) -> str:
    """"late" when a step finished after its due moment, else "on_time" ("" without a due)."""
    if due is None:
        return ""
    return "late" if done > due else "on_time"
