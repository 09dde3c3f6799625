"""The deadline badge of a dossier row: overdue, or due within one working day."""

from datetime import datetime
from decimal import Decimal

from accounts.models import Unit, User
from accounts.selectors import user_unit_ids
from dossiers.calendar import calendar_for_unit
from dossiers.deadlines import add_working_seconds, working_days_left
from dossiers.models import Dossier
from dossiers.selectors import dossier_is_overdue
from dossiers.states import OPEN_STATES, PAUSED_STATES

# Decree 118/2025 wants the apology issued at the latest 1 working day before the due moment, so
# from then on the dossier needs someone's attention.
DUE_SOON_WORKING_DAYS = Decimal(1)


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


def due_soon_until(user: User, now: datetime) -> datetime:
    """One working day after `now` on the calendar of the person's first unit: the badge's
    "soon", for the lists' "due soon" filter (the pages and the API)."""
    units = sorted(user_unit_ids(user))
    cal = calendar_for_unit(Unit.objects.filter(pk=units[0]).first() if units else None)
    return add_working_seconds(now, int(DUE_SOON_WORKING_DAYS * cal.seconds_per_day), cal)
