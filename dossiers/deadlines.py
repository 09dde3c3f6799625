"""The deadline engine: pure functions over a working calendar (domain.md §6).

Nothing here touches the database or Django settings; `dossiers.calendar` builds the
`WorkCalendar` a unit uses. Every function takes and returns timezone-aware datetimes and raises
ValueError for naive ones, because a naive moment cannot be placed on the office clock safely.
Results are in Asia/Ho_Chi_Minh.

Working time is counted on a single axis: a moment's position is "working microseconds since the
first day of the calendar's index". Adding working time or measuring it between two moments is
then integer arithmetic plus a look-up of the n-th working day, instead of a walk through days.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Ho_Chi_Minh")

WORKING_DAYS = "working_days"
WORKING_HOURS = "working_hours"
CALENDAR_DAYS = "calendar_days"
MONTHS = "months"
UNITS = frozenset({WORKING_DAYS, WORKING_HOURS, CALENDAR_DAYS, MONTHS})

_US = 1_000_000
_DAY_US = 86_400 * _US
# How far the working-day index reaches around the first date asked for; later requests outside
# it grow the index, so this only trades memory against the number of rebuilds.
_SPAN_BEFORE = 3 * 366
_SPAN_AFTER = 6 * 366
_MAX_ORDINAL = date(9999, 12, 31).toordinal()


def _us_of(t: time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * _US + t.microsecond


class _Index:
    """Working days of the ordinals lo .. hi-1: prefix counts and the list of working days."""

    __slots__ = ("lo", "hi", "cum", "days")

    def __init__(self, lo: int, hi: int, is_working) -> None:
        self.lo, self.hi = lo, hi
        cum = [0]
        days = []
        n = 0
        for o in range(lo, hi):
            if is_working(o):
                days.append(o)
                n += 1
            cum.append(n)
        self.cum, self.days = cum, days


@dataclass(frozen=True)
class WorkCalendar:
    """Office hours and days off of one unit.

    `extra_working_days` wins over both `days_off` and `weekend`: a make-up Saturday is worked
    even if a package or an administrator also lists it as a day off.
    """

    periods: tuple[tuple[time, time], ...]
    days_off: frozenset[date]
    extra_working_days: frozenset[date] = frozenset()
    weekend: frozenset[int] = frozenset({5, 6})

    def __post_init__(self) -> None:
        if not self.periods:
            raise ValueError("A working calendar needs at least one office-hours period.")
        bounds = tuple((_us_of(s), _us_of(e)) for s, e in self.periods)
        previous_end = -1
        for s, e in bounds:
            if not s < e or s < previous_end:
                raise ValueError("Office-hours periods must be sorted, non-empty and disjoint.")
            previous_end = e
        if len(self.weekend) >= 7 and not self.extra_working_days:
            raise ValueError("A calendar whose every weekday is off has no working time.")
        # A frozen dataclass still needs per-instance caches; object.__setattr__ is the
        # documented way to set them without making the public fields mutable.
        set_ = object.__setattr__
        set_(self, "_bounds", bounds)
        set_(self, "_starts", tuple(s for s, _ in bounds))
        set_(self, "_spd_us", sum(e - s for s, e in bounds))
        set_(self, "_open", bounds[0][0])
        set_(self, "_close", bounds[-1][1])
        set_(self, "_off_ord", frozenset(d.toordinal() for d in self.days_off))
        set_(self, "_extra_ord", frozenset(d.toordinal() for d in self.extra_working_days))
        set_(self, "_idx", None)
        set_(self, "_lock", threading.Lock())

    # --- day look-ups ------------------------------------------------------------------------

    def _compute_working(self, o: int) -> bool:
        if o in self._extra_ord:
            return True
        if o in self._off_ord:
            return False
        # date.toordinal() of a Monday is ≡ 1 (mod 7), so (o + 6) % 7 is date.weekday().
        return (o + 6) % 7 not in self.weekend

    def _index(self, lo: int, hi: int | None = None) -> _Index:
        """An index covering ordinals lo .. hi (inclusive); grows and replaces the cached one.

        Readers keep the object they were handed, and a growth builds a new object, so threads
        never see a half-built index.
        """
        hi = lo if hi is None else hi
        idx = self._idx
        if idx is not None and idx.lo <= lo and hi < idx.hi:
            return idx
        with self._lock:
            idx = self._idx
            if idx is not None and idx.lo <= lo and hi < idx.hi:
                return idx
            if hi > _MAX_ORDINAL:
                raise ValueError("The due moment falls after year 9999.")
            if idx is None:
                new_lo = max(1, lo - _SPAN_BEFORE)
                new_hi = min(_MAX_ORDINAL + 1, hi + _SPAN_AFTER)
            else:
                # Grow geometrically so that a run of far-away dates does not rebuild each time.
                size = idx.hi - idx.lo
                new_lo = idx.lo
                if lo < idx.lo:
                    new_lo = max(1, min(lo - _SPAN_BEFORE, idx.lo - size))
                new_hi = idx.hi
                if hi >= idx.hi:
                    new_hi = min(_MAX_ORDINAL + 1, max(hi + _SPAN_AFTER, idx.hi + size))
            idx = _Index(new_lo, new_hi, self._compute_working)
            object.__setattr__(self, "_idx", idx)
            return idx

    def is_working_day(self, d: date) -> bool:
        o = d.toordinal()
        idx = self._idx
        if idx is None or not idx.lo <= o < idx.hi:
            idx = self._index(o)
        i = o - idx.lo
        return idx.cum[i + 1] != idx.cum[i]

    @property
    def seconds_per_day(self) -> int:
        """Working seconds in one working day (28,800 for 07:30-11:30,13:00-17:00)."""
        return self._spd_us // _US

    @property
    def opening(self) -> time:
        return self.periods[0][0]

    @property
    def closing(self) -> time:
        return self.periods[-1][1]

    # --- position on the working-time axis ----------------------------------------------------

    def _elapsed_in_day(self, t: int) -> int:
        """Working microseconds of a working day before time-of-day t."""
        acc = 0
        for s, e in self._bounds:
            if t <= s:
                break
            acc += (t if t < e else e) - s
        return acc

    def _time_for_elapsed(self, r: int) -> int:
        """Earliest time of day at which r working microseconds of the day have elapsed."""
        acc = 0
        for s, e in self._bounds:
            length = e - s
            if r <= acc + length:
                return s + (r - acc)
            acc += length
        return self._close

    def _position(self, idx: _Index, o: int, t: int) -> int:
        i = o - idx.lo
        before = idx.cum[i]
        pos = before * self._spd_us
        if idx.cum[i + 1] != before:
            pos += self._elapsed_in_day(t)
        return pos


def _local(moment: datetime) -> datetime:
    tz = moment.tzinfo
    if tz is TZ:
        return moment
    if tz is None or tz.utcoffset(moment) is None:
        raise ValueError("Naive datetime: pass a timezone-aware moment.")
    return moment.astimezone(TZ)


def _split(moment: datetime) -> tuple[datetime, int, int]:
    local = _local(moment)
    t = ((local.hour * 60 + local.minute) * 60 + local.second) * _US + local.microsecond
    return local, local.toordinal(), t


def _moment(o: int, t: int) -> datetime:
    s, us = divmod(t, _US)
    m, s = divmod(s, 60)
    h, m = divmod(m, 60)
    return datetime.fromordinal(o).replace(hour=h, minute=m, second=s, microsecond=us, tzinfo=TZ)


def _next_working_ordinal(cal: WorkCalendar, o: int) -> int:
    """The first working day strictly after ordinal o."""
    while True:
        idx = cal._index(o + 1)
        k = idx.cum[o + 1 - idx.lo]
        if k < len(idx.days):
            return idx.days[k]
        cal._index(o + 1, idx.hi + 366)


def _working_ordinal_at_or_after(cal: WorkCalendar, o: int) -> int:
    return _next_working_ordinal(cal, o - 1)


def opening_at_or_after(moment: datetime, cal: WorkCalendar) -> datetime:
    """The first working instant at or after `moment`.

    A moment inside office hours is returned unchanged (converted to Vietnam time); the end of a
    period is not a working instant, so 17:00 on a working day gives the next day's opening.
    """
    local, o, t = _split(moment)
    if cal.is_working_day(local.date()):
        for s, e in cal._bounds:
            if t < e:
                return local if t >= s else _moment(o, s)
    return _moment(_next_working_ordinal(cal, o), cal._open)


def clock_start(received: datetime, cal: WorkCalendar, cutoff: time | None = None) -> datetime:
    """When the clock starts for something received at `received` (the receipt rules).

    Outside office hours the clock starts at the next opening. On a working day after `cutoff`
    (strictly later: received exactly at 15:00 with a 15:00 cut-off is still the same day) it
    starts at the opening of the next working day.
    """
    local, o, t = _split(received)
    if cutoff is not None and t > _us_of(cutoff) and cal.is_working_day(local.date()):
        return _moment(_next_working_ordinal(cal, o), cal._open)
    return opening_at_or_after(local, cal)


def _add_us(start: datetime, amount_us: int, cal: WorkCalendar) -> datetime:
    local, o, t = _split(start)
    if amount_us <= 0:
        return local
    idx = cal._idx
    if idx is None or not idx.lo <= o < idx.hi:
        idx = cal._index(o)
    spd = cal._spd_us
    while True:
        k, r = divmod(cal._position(idx, o, t) + amount_us, spd)
        if r == 0:
            # The earliest instant with that much elapsed is the close of the previous working
            # day, not the next opening: one working day from Monday 07:30 is Monday 17:00.
            k -= 1
            r = spd
        if k < len(idx.days):
            return _moment(idx.days[k], cal._time_for_elapsed(r))
        idx = cal._index(o, idx.hi + (k - len(idx.days)) * 7 // 5 + 366)


def add_working_seconds(start: datetime, seconds: int, cal: WorkCalendar) -> datetime:
    """The earliest instant at which `seconds` of working time have elapsed since `start`.

    One working day (28,800 s) from Monday 07:30 is Monday 17:00. Zero seconds give `start`
    itself. Negative amounts raise ValueError.
    """
    if seconds < 0:
        raise ValueError("Cannot add a negative amount of working time.")
    return _add_us(start, int(seconds) * _US, cal)


def _between_us(a: datetime, b: datetime, cal: WorkCalendar) -> int:
    _, oa, ta = _split(a)
    _, ob, tb = _split(b)
    lo, hi = (oa, ob) if oa <= ob else (ob, oa)
    idx = cal._index(lo, hi)
    return cal._position(idx, ob, tb) - cal._position(idx, oa, ta)


def working_seconds_between(a: datetime, b: datetime, cal: WorkCalendar) -> int:
    """Whole working seconds from `a` to `b`; 0 if `b` is not after `a`."""
    if _local(b) <= _local(a):
        return 0
    return _between_us(a, b, cal) // _US


def _as_decimal(amount: Decimal | int | float) -> Decimal:
    if isinstance(amount, bool):
        raise ValueError("The time limit must be a number.")
    try:
        value = amount if isinstance(amount, Decimal) else Decimal(str(amount))
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"Invalid time-limit amount: {amount!r}.") from exc
    if not value.is_finite():
        raise ValueError(f"Invalid time-limit amount: {amount!r}.")
    if value < 0:
        raise ValueError("The time limit cannot be negative.")
    return value


@lru_cache(maxsize=1024)
def _scaled_cached(amount: Decimal | float, unit_us: int) -> int:
    value = _as_decimal(amount) * unit_us
    return int(value.to_integral_value(rounding=ROUND_HALF_UP))


def _scaled_us(amount: Decimal | int | float, unit_us: int) -> int:
    """amount x unit in microseconds, rounded half up."""
    if type(amount) is int:
        if amount < 0:
            raise ValueError("The time limit cannot be negative.")
        return amount * unit_us
    # Time limits come from a short catalogue list (3, 5, 0.5, ...), so caching the Decimal
    # arithmetic per value removes most of its cost; NaN is rejected before it reaches the cache.
    try:
        if isinstance(amount, float | Decimal) and amount != amount:
            raise ValueError(f"Invalid time-limit amount: {amount!r}.")
        return _scaled_cached(amount, unit_us)
    except (TypeError, InvalidOperation) as exc:
        raise ValueError(f"Invalid time-limit amount: {amount!r}.") from exc


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    if month == 12:
        last = 31
    else:
        last = (date(year, month + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(d.day, last))


def _on_working_day_in_hours(cal: WorkCalendar, o: int, t: int) -> datetime:
    """Same time of day on ordinal o, or on the next working day; then into office hours.

    The end of a period counts as inside here (unlike for receipt): a calendar-day limit that
    lands at 17:00 is met at 17:00, not pushed to the next morning.
    """
    o = _working_ordinal_at_or_after(cal, o)
    for s, e in cal._bounds:
        if s <= t <= e:
            return _moment(o, t)
        if t < s:
            return _moment(o, s)
    return _moment(_next_working_ordinal(cal, o), cal._open)


def _end_of_working_day(cal: WorkCalendar, o: int, not_before: datetime) -> datetime:
    """Closing time of ordinal o, or of the next working day if o is off (Civil Code art. 148)."""
    o = _working_ordinal_at_or_after(cal, o)
    due = _moment(o, cal._close)
    while due < not_before:
        o = _next_working_ordinal(cal, o)
        due = _moment(o, cal._close)
    return due


def due_moment(start: datetime, amount: Decimal | int | float, unit: str, cal: WorkCalendar, *,
               civil_code: bool = False) -> datetime:
    """The due moment of a time limit of `amount` `unit` counted from `start`.

    `start` should already be the clock start (see `clock_start`). Units:

    - working_days: amount x one working day of working time; the time of day is kept
      (Monday 10:00 + 3 → Thursday 10:00); fractions such as 0.5 are allowed.
    - working_hours: amount x 3,600 working seconds.
    - calendar_days: start + amount days at the same time of day; moved to the next working day
      if that day is off, then into office hours (a time outside them → the next opening).
    - months: whole calendar months (31/01 + 1 → 28 or 29/02), then the calendar-day rule.

    civil_code=True applies Civil Code 2015 arts. 147-148 to calendar_days and months: the first
    day is not counted, the period ends at the office's closing time of its last day, and a last
    day that is off moves the end to the close of the next working day; a fractional number of
    days counts the partial day as a whole one. Working-time units are not affected by it.

    Raises ValueError for an unknown unit, a negative or non-numeric amount, a fractional
    number of months, or a naive `start`.
    """
    if unit == WORKING_DAYS:
        return _add_us(start, _scaled_us(amount, cal._spd_us), cal)
    if unit == WORKING_HOURS:
        return _add_us(start, _scaled_us(amount, 3600 * _US), cal)
    if unit == CALENDAR_DAYS:
        local, o, t = _split(start)
        if civil_code:
            days = math.ceil(_as_decimal(amount))
            return _end_of_working_day(cal, o + days, local)
        total = t + _scaled_us(amount, _DAY_US)
        extra_days, t = divmod(total, _DAY_US)
        return _on_working_day_in_hours(cal, o + extra_days, t)
    if unit == MONTHS:
        value = _as_decimal(amount)
        if value != value.to_integral_value():
            raise ValueError("A time limit in months must be a whole number of months.")
        local, o, t = _split(start)
        target = _add_months(local.date(), int(value)).toordinal()
        if civil_code:
            return _end_of_working_day(cal, target, local)
        return _on_working_day_in_hours(cal, target, t)
    raise ValueError(f"Unknown time-limit unit: {unit!r}.")


def extend_for_pause(due: datetime, pause_start: datetime, pause_end: datetime,
                     cal: WorkCalendar) -> datetime:
    """`due` pushed by the working time that elapsed between `pause_start` and `pause_end`.

    A pause over a weekend or a holiday only moves the due moment by the working time inside it.
    """
    paused = _between_us(pause_start, pause_end, cal) if pause_end > pause_start else 0
    return _add_us(due, paused, cal)


def timing(finished: datetime, due: datetime) -> str:
    """Late after the due moment, early when finished on an earlier day, otherwise on time.

    Returns "late", "early" or "on_time" (the values of dossiers.models.Timing).
    """
    finished_local, due_local = _local(finished), _local(due)
    if finished_local > due_local:
        return "late"
    if finished_local.date() < due_local.date():
        return "early"
    return "on_time"


_CENT = Decimal("0.01")


def working_days_left(now: datetime, due: datetime, cal: WorkCalendar) -> Decimal:
    """Working time from `now` to `due` in working days, to 0.01; negative once overdue."""
    left = _between_us(now, due, cal)
    return (Decimal(left) / Decimal(cal._spd_us)).quantize(_CENT, rounding=ROUND_HALF_UP)
