"""The working calendar of a unit: office hours, weekends, public holidays and the admin table.

Layers, each overriding the one before it, date by date:

1. Saturdays and Sundays off;
2. Vietnamese public holidays from the `holidays` package (lunar Tết and Giỗ Tổ included, with
   its compensatory days and the make-up Saturdays it knows of, `weekend_workdays`);
3. CalendarDay rows for all units;
4. CalendarDay rows of the unit itself.

The package part needs neither Django nor a database (`default_calendar`), so the benchmark and
the pure tests can build a realistic calendar; `calendar_for_unit` adds the table on top.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from functools import lru_cache
from typing import TYPE_CHECKING

import holidays
from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from dossiers.deadlines import WorkCalendar

if TYPE_CHECKING:
    from accounts.models import Unit

logger = logging.getLogger(__name__)

# Used when Django is not configured (benchmark, pure tests); the project setting of the same
# value, MOTCUA_DEFAULT_OFFICE_HOURS, wins whenever settings are available.
FALLBACK_OFFICE_HOURS = "07:30-11:30,13:00-17:00"

# Dossiers older than this are not expected; years after `today + _YEARS_AHEAD` get no holidays,
# so keep the horizon well beyond the longest time limit (months, plus pauses).
FIRST_YEAR = 2000
_YEARS_AHEAD = 5

_PERIOD = re.compile(r"^\s*(\d{1,2})[:h](\d{2})\s*[-–—]\s*(\d{1,2})[:h](\d{2})\s*$")
_EXAMPLE = "07:30-11:30,13:00-17:00"


def _clock(hour: str, minute: str, text: str) -> time:
    h, m = int(hour), int(minute)
    if h > 23 or m > 59:
        raise ValueError(f"Giờ không hợp lệ trong “{text}”: {hour}:{minute}.")
    return time(h, m)


def parse_office_hours(text: str) -> tuple[tuple[time, time], ...]:
    """Periods from a text like "07:30-11:30,13:00-17:00", sorted.

    Raises ValueError, with a Vietnamese message shown to administrators, when the text is empty,
    malformed, or has a period that ends before it starts or overlaps another.
    """
    if text is None or not str(text).strip():
        raise ValueError(f"Chưa nhập giờ làm việc. Ví dụ đúng: {_EXAMPLE}.")
    periods = []
    for part in re.split(r"[,;]", str(text)):
        if not part.strip():
            continue
        match = _PERIOD.match(part)
        if not match:
            raise ValueError(
                f"Không hiểu khoảng giờ “{part.strip()}”. Ghi theo dạng giờ:phút-giờ:phút, "
                f"các khoảng cách nhau bằng dấu phẩy, ví dụ {_EXAMPLE}.")
        start = _clock(match[1], match[2], part.strip())
        end = _clock(match[3], match[4], part.strip())
        if not start < end:
            raise ValueError(
                f"Khoảng giờ “{part.strip()}” có giờ kết thúc không sau giờ bắt đầu.")
        periods.append((start, end))
    if not periods:
        raise ValueError(f"Chưa nhập giờ làm việc. Ví dụ đúng: {_EXAMPLE}.")
    periods.sort()
    for (_, end), (start, _) in zip(periods, periods[1:], strict=False):
        if start < end:
            raise ValueError(f"Các khoảng giờ làm việc bị chồng lên nhau: “{text.strip()}”.")
    return tuple(periods)


# The office hours (a unit's, else the system's) are read on every action that weighs a moment
# (an approval's, a return's settled timing; each acceptance): the text parsed once per worker,
# not each time (issue #18). The periods are tuples of times, never changed; a bad text raises
# every time.
@lru_cache(maxsize=256)
def _office_hours_parsed(text: str) -> tuple[tuple[time, time], ...]:
    return parse_office_hours(text)


def default_office_hours() -> tuple[tuple[time, time], ...]:
    """The system's office hours: settings.MOTCUA_DEFAULT_OFFICE_HOURS, else 07:30-17:00."""
    text = FALLBACK_OFFICE_HOURS
    if settings.configured:
        text = getattr(settings, "MOTCUA_DEFAULT_OFFICE_HOURS", None) or FALLBACK_OFFICE_HOURS
    return _office_hours_parsed(text)


def default_years() -> range:
    return range(FIRST_YEAR, date.today().year + _YEARS_AHEAD + 1)


@lru_cache(maxsize=8)
def package_days(years: tuple[int, ...]) -> tuple[dict[date, str], frozenset[date]]:
    """(holidays with their names, make-up working days) for Vietnam from the `holidays` package.

    Cached because the package takes about 0.1 s for 35 years and its answer never changes for
    one installed version.
    """
    vn = holidays.country_holidays("VN", years=years)
    days_off = {d: name for d, name in vn.items()}
    first, last = min(years), max(years)
    # The package lists the Saturdays worked to bridge a holiday in `weekend_workdays`, but for
    # every year it knows, whatever `years` was asked; keep only the years asked for.
    workdays = frozenset(d for d in getattr(vn, "weekend_workdays", ()) if first <= d.year <= last)
    return days_off, workdays


def default_calendar(years: range | tuple[int, ...] | None = None,
                     periods: tuple[tuple[time, time], ...] | None = None) -> WorkCalendar:
    """A calendar from weekends and the `holidays` package alone; needs no database."""
    days_off, workdays = package_days(tuple(years or default_years()))
    return WorkCalendar(periods=periods or default_office_hours(),
                        days_off=frozenset(days_off), extra_working_days=workdays)


def _unit_periods(unit: Unit | None) -> tuple[tuple[time, time], ...]:
    text = (getattr(unit, "office_hours", "") or "").strip() if unit is not None else ""
    if not text:
        return default_office_hours()
    try:
        return _office_hours_parsed(text)
    except ValueError:
        # A bad string saved before validation existed must not stop every intake at the desk;
        # the system hours are a lawful fallback, and the log tells the administrator.
        logger.warning("Unit %s has invalid office hours %r; using the default hours.",
                       getattr(unit, "code", unit), text)
        return default_office_hours()


_cache: dict[tuple, WorkCalendar] = {}
_cache_lock = threading.Lock()


def _table_version() -> tuple:
    """A cheap fingerprint of the CalendarDay table, shared by every process on the database.

    Any save changes max(updated_at) (auto_now) and any delete changes the count, so a row edited
    in the admin of another worker is seen on the next call here. A queryset .update() bypasses
    auto_now and is not seen; the admin and the migrations never use it.
    """
    from django.db.models import Count, Max

    from dossiers.models import CalendarDay

    row = CalendarDay.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return row["n"], row["last"]


def _build(unit: Unit | None, periods: tuple[tuple[time, time], ...]) -> WorkCalendar:
    from dossiers.models import CalendarDay

    days_off_named, workdays = package_days(tuple(default_years()))
    days_off = set(days_off_named)
    extra = set(workdays)
    rows = CalendarDay.objects.filter(unit__isnull=True).values_list("date", "kind")
    unit_rows = []
    if unit is not None and unit.pk is not None:
        unit_rows = list(CalendarDay.objects.filter(unit=unit).values_list("date", "kind"))
    # Unit rows come last so that they override an all-unit row of the same date.
    for day, kind in [*rows, *unit_rows]:
        if kind == CalendarDay.Kind.DAY_OFF:
            days_off.add(day)
            extra.discard(day)
        elif kind == CalendarDay.Kind.WORKING_DAY:
            extra.add(day)
            days_off.discard(day)
    return WorkCalendar(periods=periods, days_off=frozenset(days_off),
                        extra_working_days=frozenset(extra))


def _cached(unit: Unit | None, version: tuple) -> WorkCalendar:
    periods = _unit_periods(unit)
    key = (getattr(unit, "pk", None), periods, version, date.today().year)
    cal = _cache.get(key)
    if cal is not None:
        return cal
    cal = _build(unit, periods)
    with _cache_lock:
        stale = [k for k in _cache if k[2] != version or k[3] != key[3]]
        for k in stale:
            del _cache[k]
        _cache[key] = cal
    return cal


def calendar_for_unit(unit: Unit | None, *, version: tuple | None = None) -> WorkCalendar:
    """The working calendar of `unit` (None: the system default, all-unit rows only).

    Cached per unit, office hours and state of the CalendarDay table; costs one small aggregate
    query per call once cached, none when the caller read the table's state (`version`, as
    `calendar_version` gives it) in the same request (dossiers/reference.py).
    """
    return _cached(unit, version if version is not None else _table_version())


def calendar_version(count: int, last: datetime | str | None) -> tuple:
    """The CalendarDay table's fingerprint from a row count and max(updated_at) read in raw SQL
    (SQLite gives text), equal to what `_table_version` reads through the ORM."""
    if isinstance(last, str):
        last = parse_datetime(last)
    if last is not None and timezone.is_naive(last):
        last = timezone.make_aware(last, UTC)
    return count, last


def calendars_for_units(units: Iterable[Unit | None]) -> dict[int | None, WorkCalendar]:
    """{unit id (None: the system default): calendar} — what `calendar_for_unit` gives for each.

    The table's state is read once for all of them, so a page that weighs the dossiers of many
    receiving units costs one small query instead of one per unit.
    """
    version = _table_version()
    return {getattr(unit, "pk", None): _cached(unit, version) for unit in units}


def clear_cache() -> None:
    """Forget every cached calendar (tests, or after a bulk change done with .update())."""
    with _cache_lock:
        _cache.clear()
