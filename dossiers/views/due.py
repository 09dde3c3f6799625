"""The deadline badge of a dossier row: overdue, or due within one working day."""

from datetime import datetime

from dossiers.calendar import calendar_for_unit
from dossiers.deadlines import working_days_left
from dossiers.models import Dossier
from dossiers.selectors import dossier_is_overdue
from dossiers.states import OPEN_STATES, PAUSED_STATES
from dossiers.work_lists import DUE_SOON_WORKING_DAYS


def due_flags(dossiers: list[Dossier], now: datetime) -> dict[int, str]:
    """{dossier id: "overdue" | "soon"} for the dossiers whose clock is running."""
    calendars = {}
    flags = {}
    for d in dossiers:
        if d.due_at is None or d.state not in OPEN_STATES or d.state in PAUSED_STATES:
            continue
        if dossier_is_overdue(d, now):
            flags[d.pk] = "overdue"
            continue
        unit_id = d.receiving_unit_id
        if unit_id not in calendars:
            calendars[unit_id] = calendar_for_unit(d.receiving_unit)
        if working_days_left(now, d.due_at, calendars[unit_id]) <= DUE_SOON_WORKING_DAYS:
            flags[d.pk] = "soon"
    return flags
