"""Hand-checked cases of the deadline engine (pure functions, no database).

The calendar is the one every unit starts from: Saturdays and Sundays off plus the holidays
package (pinned version), office hours 07:30-11:30 and 13:00-17:00 (8 working hours a day).
Each case's comment gives the count done by hand. 2026 facts used below: Tết off Mon 16/02 -
Fri 20/02; Giỗ Tổ on Sun 26/04 with Mon 27/04 off; Thu 30/04 and Fri 01/05 off; Sat 22/08 worked
in exchange for Mon 31/08 off; Tue 01/09 and Wed 02/09 off.
"""

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dossiers.calendar import default_calendar, package_days
from dossiers.deadlines import (
    TZ,
    WorkCalendar,
    add_working_seconds,
    clock_start,
    due_moment,
    extend_for_pause,
    opening_at_or_after,
    timing,
    working_days_left,
    working_seconds_between,
)

HOURS = ((time(7, 30), time(11, 30)), (time(13, 0), time(17, 0)))
CAL = default_calendar(range(2024, 2029), periods=HOURS)
# What dossiers/migrations/0002 adds on top of the package: Fri 02/01/2026 off, Sat 10/01 worked.
OFFICIAL = replace(CAL, days_off=CAL.days_off | {date(2026, 1, 2)},
                   extra_working_days=CAL.extra_working_days | {date(2026, 1, 10)})
# A unit that opens at 07:00 and lunches 11:30-13:30: still 8 working hours a day.
UNIT_HOURS = ((time(7, 0), time(11, 30)), (time(13, 30), time(17, 0)))
UNIT_CAL = replace(CAL, periods=UNIT_HOURS)
HOUR = 3600


def at(text: str) -> datetime:
    """'2026-03-02 09:00' in Vietnam time."""
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


# --- the package gives what the cases rely on ------------------------------------------------

def test_package_2026_days_off_and_make_up_saturday():
    days_off, workdays = package_days((2026,))
    expected = {date(2026, 1, 1), date(2026, 2, 16), date(2026, 2, 17), date(2026, 2, 18),
                date(2026, 2, 19), date(2026, 2, 20), date(2026, 4, 26), date(2026, 4, 27),
                date(2026, 4, 30), date(2026, 5, 1), date(2026, 8, 31), date(2026, 9, 1),
                date(2026, 9, 2), date(2026, 11, 24)}
    assert set(days_off) == expected
    assert workdays == {date(2026, 8, 22)}


@pytest.mark.parametrize(("day", "working"), [
    (date(2026, 2, 13), True),    # Fri before Tết
    (date(2026, 2, 14), False),   # Sat
    (date(2026, 2, 16), False),   # Mon, Tết eve (29 Chạp)
    (date(2026, 2, 20), False),   # Fri, 4th day of Tết
    (date(2026, 2, 23), True),    # Mon after Tết
    (date(2026, 4, 27), False),   # Mon, compensatory day for Giỗ Tổ on Sunday
    (date(2026, 8, 22), True),    # Sat worked in exchange for Mon 31/08
    (date(2026, 8, 31), False),
    (date(2026, 9, 1), False),    # the day next to National Day
    (date(2026, 1, 2), True),     # the package does not know the 2026 New Year swap ...
])
def test_is_working_day(day, working):
    assert CAL.is_working_day(day) is working


def test_official_new_year_swap_on_top_of_the_package():
    # ... which the migration adds: Fri 02/01 off, Sat 10/01 worked.
    assert not OFFICIAL.is_working_day(date(2026, 1, 2))
    assert OFFICIAL.is_working_day(date(2026, 1, 10))


# --- working days across holidays --------------------------------------------------------------

@pytest.mark.parametrize(("start", "amount", "expected"), [
    # Thu 12/02 10:00-17:00 = 5.5h (lunch excluded), Fri 13 = 8h (13.5h), Tết and two weekends,
    # Mon 23 = 8h (21.5h), Tue 24 07:30 + 2.5h = 10:00.
    ("2026-02-12 10:00", 3, "2026-02-24 10:00"),
    # Fri 13/02 15:00-17:00 = 2h; Mon 23/02 07:30-11:30 = 4h (6h), 13:00 + 2h = 15:00.
    ("2026-02-13 15:00", 1, "2026-02-23 15:00"),
    # Fri 24/04 10:00-17:00 = 5.5h; Sat, Sun, Mon 27/04 (Giỗ Tổ compensatory) off;
    # Tue 28/04 07:30 + 2.5h = 10:00.
    ("2026-04-24 10:00", 1, "2026-04-28 10:00"),
    # Wed 29/04 = 5.5h; Thu 30/04, Fri 01/05, weekend off; Mon 04/05 = 8h (13.5h);
    # Tue 05/05 07:30 + 2.5h = 10:00.
    ("2026-04-29 10:00", 2, "2026-05-05 10:00"),
    # Fri 28/08 = 5.5h; Sat-Sun, Mon 31/08, Tue 01/09, Wed 02/09 off; Thu 03/09 + 2.5h.
    ("2026-08-28 10:00", 1, "2026-09-03 10:00"),
    # Monday 10:00 + 3 working days keeps the time of day: Thursday 10:00.
    ("2026-03-02 10:00", 3, "2026-03-05 10:00"),
    # 07:30 + one working day is the close of that day, not the next morning.
    ("2026-03-02 07:30", 1, "2026-03-02 17:00"),
])
def test_working_days(start, amount, expected):
    assert due_moment(at(start), amount, "working_days", CAL) == at(expected)


def test_working_days_over_new_year_2026_official_swap():
    # Wed 31/12/2025 10:00-17:00 = 5.5h; Thu 01/01 holiday, Fri 02/01 swapped off, weekend;
    # Mon 05/01 = 8h (13.5h); Tue 06/01 07:30 + 2.5h = 10:00.
    assert due_moment(at("2025-12-31 10:00"), 2, "working_days", OFFICIAL) == at(
        "2026-01-06 10:00")
    # With the package alone Fri 02/01 is worked: 5.5h + 8h, then Mon 05/01 07:30 + 2.5h.
    assert due_moment(at("2025-12-31 10:00"), 2, "working_days", CAL) == at("2026-01-05 10:00")


def test_make_up_saturday_is_counted():
    # Fri 09/01/2026 10:00-17:00 = 5.5h; Sat 10/01 is a make-up day: 07:30 + 2.5h = 10:00.
    assert due_moment(at("2026-01-09 10:00"), 1, "working_days", OFFICIAL) == at(
        "2026-01-10 10:00")
    # Without it the Saturday is off and the day ends on Mon 12/01 10:00.
    assert due_moment(at("2026-01-09 10:00"), 1, "working_days", CAL) == at("2026-01-12 10:00")


def test_package_make_up_saturday_22_08_2026():
    # Fri 21/08 10:00-17:00 = 5.5h; Sat 22/08 worked: 07:30 + 2.5h = 10:00.
    assert due_moment(at("2026-08-21 10:00"), 1, "working_days", CAL) == at("2026-08-22 10:00")


def test_make_up_day_wins_over_a_day_off():
    sat = date(2026, 3, 7)
    cal = WorkCalendar(periods=HOURS, days_off=frozenset({sat}),
                       extra_working_days=frozenset({sat}))
    assert cal.is_working_day(sat)


# --- receipt rules ------------------------------------------------------------------------------

@pytest.mark.parametrize(("received", "cutoff", "expected"), [
    ("2026-03-06 18:00", None, "2026-03-09 07:30"),     # Fri after closing → Mon opening
    ("2026-03-02 06:00", None, "2026-03-02 07:30"),     # before opening → same day's opening
    ("2026-03-02 17:00", None, "2026-03-03 07:30"),     # at closing: 17:00 is no longer open
    ("2026-03-02 12:00", None, "2026-03-02 13:00"),     # lunch → afternoon opening
    ("2026-03-02 08:15", None, "2026-03-02 08:15"),     # inside hours: unchanged
    ("2026-02-14 09:00", None, "2026-02-23 07:30"),     # Sat before Tết → Mon 23/02
    ("2026-03-02 15:30", time(15), "2026-03-03 07:30"),  # after the cut-off → next day
    ("2026-03-02 14:59", time(15), "2026-03-02 14:59"),  # before the cut-off → same day
    ("2026-03-02 15:00", time(15), "2026-03-02 15:00"),  # at the cut-off is not after it
    ("2026-02-13 15:30", time(15), "2026-02-23 07:30"),  # Fri after cut-off, then Tết
    ("2026-03-07 10:00", time(15), "2026-03-09 07:30"),  # Sat: cut-off irrelevant, Mon opening
])
def test_clock_start(received, cutoff, expected):
    assert clock_start(at(received), CAL, cutoff) == at(expected)


def test_opening_at_or_after_in_unit_hours():
    # The unit opens at 07:00, so 07:15 is inside its hours; the default opens at 07:30.
    assert opening_at_or_after(at("2026-03-02 07:15"), UNIT_CAL) == at("2026-03-02 07:15")
    assert opening_at_or_after(at("2026-03-02 07:15"), CAL) == at("2026-03-02 07:30")


# --- working hours and the lunch break -------------------------------------------------------

@pytest.mark.parametrize(("start", "hours", "expected"), [
    ("2026-03-02 11:00", 2, "2026-03-02 14:30"),    # 30 min to 11:30, 1.5h from 13:00
    ("2026-03-02 09:30", 2, "2026-03-02 11:30"),    # ends at 11:30 exactly, not at 13:00
    ("2026-03-02 11:30", 1, "2026-03-02 14:00"),    # 11:30-13:00 is not working time
    ("2026-03-02 16:00", 8, "2026-03-03 16:00"),    # 1h Mon; Tue 4h morning + 3h → 16:00
    ("2026-03-02 07:30", 4, "2026-03-02 11:30"),    # the whole morning
    ("2026-03-02 10:30", Decimal("1.5"), "2026-03-02 13:30"),  # 1h to 11:30 + 0.5h
    ("2026-02-13 16:00", 4, "2026-02-23 10:30"),    # 1h Fri; Tết; Mon 07:30 + 3h
])
def test_working_hours(start, hours, expected):
    assert due_moment(at(start), hours, "working_hours", CAL) == at(expected)


def test_add_working_seconds_from_outside_hours():
    # Sat 10:00 + 1h: nothing counts until Mon 07:30, so Mon 08:30.
    assert add_working_seconds(at("2026-03-07 10:00"), HOUR, CAL) == at("2026-03-09 08:30")


# --- per-unit office hours -----------------------------------------------------------------

def test_unit_hours_still_eight_hours_a_day():
    # 07:00-11:30 is 4.5h and 13:30-17:00 is 3.5h.
    assert UNIT_CAL.seconds_per_day == 8 * HOUR == CAL.seconds_per_day


def test_unit_hours_working_days_keep_time_of_day():
    # Mon 10:00 → 8h a day → Thu 10:00, the same as with the default hours.
    assert due_moment(at("2026-03-02 10:00"), 3, "working_days", UNIT_CAL) == at(
        "2026-03-05 10:00")


def test_unit_hours_lunch_break():
    # 11:00-11:30 = 0.5h; the afternoon opens at 13:30: + 1.5h = 15:00.
    assert due_moment(at("2026-03-02 11:00"), 2, "working_hours", UNIT_CAL) == at(
        "2026-03-02 15:00")


def test_unit_hours_civil_code_ends_at_that_unit_closing():
    cal = replace(CAL, periods=((time(7, 0), time(11, 0)), (time(13, 0), time(16, 30))))
    # First day not counted: Mon + 1 day = Tue, ending at this unit's closing, 16:30.
    assert due_moment(at("2026-03-02 10:00"), 1, "calendar_days", cal, civil_code=True) == at(
        "2026-03-03 16:30")


# --- fractional and zero amounts -------------------------------------------------------------

@pytest.mark.parametrize(("start", "amount", "expected"), [
    ("2026-03-02 07:30", Decimal("0.5"), "2026-03-02 11:30"),   # 4h: the morning
    ("2026-03-02 14:00", Decimal("0.5"), "2026-03-03 08:30"),   # 3h Mon + 1h Tue
    ("2026-03-02 07:30", Decimal("1.25"), "2026-03-03 09:30"),  # 10h: Mon 8h + Tue 2h
    ("2026-03-02 07:30", 0.5, "2026-03-02 11:30"),              # float accepted too
    ("2026-03-02 10:00", 0, "2026-03-02 10:00"),                # zero: the start itself
    ("2026-03-02 10:00", Decimal("0.00"), "2026-03-02 10:00"),
])
def test_fractional_and_zero_working_days(start, amount, expected):
    assert due_moment(at(start), amount, "working_days", CAL) == at(expected)


def test_zero_seconds_and_zero_calendar_days():
    assert add_working_seconds(at("2026-03-07 10:00"), 0, CAL) == at("2026-03-07 10:00")
    assert due_moment(at("2026-03-02 10:00"), 0, "calendar_days", CAL) == at("2026-03-02 10:00")


# --- calendar days and months ---------------------------------------------------------------

@pytest.mark.parametrize(("start", "amount", "expected"), [
    ("2026-03-04 10:00", 4, "2026-03-09 10:00"),    # Wed + 4 = Sun 08/03 → Mon, same time
    ("2026-03-03 10:00", 7, "2026-03-10 10:00"),    # Tue + 7 = Tue, a working day
    ("2026-03-06 16:00", 1, "2026-03-09 16:00"),    # Fri + 1 = Sat → Mon 16:00
    ("2026-04-23 10:00", 4, "2026-04-28 10:00"),    # Thu + 4 = Mon 27/04 (Giỗ Tổ) → Tue
    ("2026-04-28 09:00", 3, "2026-05-04 09:00"),    # Tue + 3 = Fri 01/05, then weekend → Mon
    ("2026-08-28 10:00", 4, "2026-09-03 10:00"),    # Fri + 4 = Tue 01/09; 02/09 off → Thu
    ("2026-03-02 12:00", 1, "2026-03-03 13:00"),    # lands in the lunch break → 13:00
    ("2026-03-02 18:00", 1, "2026-03-04 07:30"),    # lands after closing → next opening
])
def test_calendar_days(start, amount, expected):
    assert due_moment(at(start), amount, "calendar_days", CAL) == at(expected)


@pytest.mark.parametrize(("start", "amount", "expected"), [
    ("2026-01-31 10:00", 1, "2026-03-02 10:00"),    # 31/01 + 1 month → 28/02 (Sat) → Mon 02/03
    ("2026-06-15 10:00", 2, "2026-08-17 10:00"),    # 15/08 is a Saturday → Mon 17/08
    ("2026-03-31 10:00", 2, "2026-06-01 10:00"),    # 31/05 is a Sunday → Mon 01/06
    ("2026-01-12 10:00", 12, "2027-01-12 10:00"),   # Tue 12/01/2027, a working day
    ("2026-03-31 10:00", 1, "2026-05-04 10:00"),    # 30/04 holiday, 01/05, weekend → Mon 04/05
])
def test_months(start, amount, expected):
    assert due_moment(at(start), amount, "months", CAL) == at(expected)


def test_fractional_months_are_refused():
    with pytest.raises(ValueError):
        due_moment(at("2026-03-02 10:00"), Decimal("1.5"), "months", CAL)


# --- Civil Code counting ----------------------------------------------------------------------

@pytest.mark.parametrize(("start", "amount", "unit", "expected"), [
    # First day (Mon) not counted: Tue, Wed, Thu; ends at Thu's closing.
    ("2026-03-02 10:00", 3, "calendar_days", "2026-03-05 17:00"),
    # Wed + 4 = Sun 08/03, a day off → end of Mon 09/03.
    ("2026-03-04 10:00", 4, "calendar_days", "2026-03-09 17:00"),
    # Tue 28/04 + 2 = Thu 30/04 (holiday); Fri 01/05 and the weekend off → end of Mon 04/05.
    ("2026-04-28 09:00", 2, "calendar_days", "2026-05-04 17:00"),
    # Zero days: the period ends with the day it started.
    ("2026-03-02 10:00", 0, "calendar_days", "2026-03-02 17:00"),
    # 31/01 + 1 month → last day of February (Sat 28/02) → end of Mon 02/03.
    ("2026-01-31 10:00", 1, "months", "2026-03-02 17:00"),
    # 31/03 + 1 month → 30/04 (holiday) → end of Mon 04/05.
    ("2026-03-31 10:00", 1, "months", "2026-05-04 17:00"),
    # Working-time units ignore the flag: Mon 10:00 + 3 working days is still Thu 10:00.
    ("2026-03-02 10:00", 3, "working_days", "2026-03-05 10:00"),
])
def test_civil_code(start, amount, unit, expected):
    assert due_moment(at(start), amount, unit, CAL, civil_code=True) == at(expected)


# --- pauses -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("due", "pause_start", "pause_end", "expected"), [
    # Paused Fri 15:00 → Mon 09:00: 2h Fri + 1.5h Mon = 3.5h. Thu 10:00 + 3.5h: 1.5h to 11:30,
    # 2h from 13:00 → Thu 15:00.
    ("2026-03-05 10:00", "2026-03-06 15:00", "2026-03-09 09:00", "2026-03-05 15:00"),
    # Paused Wed 29/04 16:00 → Mon 04/05 08:00 over 30/04-01/05: 1h + 0.5h = 1.5h.
    # Tue 05/05 10:00 + 1.5h = 11:30.
    ("2026-05-05 10:00", "2026-04-29 16:00", "2026-05-04 08:00", "2026-05-05 11:30"),
    # A pause wholly inside a weekend stops no working time.
    ("2026-03-05 10:00", "2026-03-07 09:00", "2026-03-08 18:00", "2026-03-05 10:00"),
    # A pause wholly inside Tết neither.
    ("2026-02-24 10:00", "2026-02-13 17:00", "2026-02-23 07:30", "2026-02-24 10:00"),
    # Paused past the due moment: Mon 14:00 → Tue 09:00 is 3h + 1.5h = 4.5h; Mon 15:00 + 4.5h
    # = 2h to 17:00 and Tue 07:30 + 2.5h → Tue 10:00 (the 1h left at the pause, after it).
    ("2026-03-02 15:00", "2026-03-02 14:00", "2026-03-03 09:00", "2026-03-03 10:00"),
])
def test_extend_for_pause(due, pause_start, pause_end, expected):
    assert extend_for_pause(at(due), at(pause_start), at(pause_end), CAL) == at(expected)


# --- measuring working time -----------------------------------------------------------------

def test_working_seconds_between():
    # Fri 16:00-17:00 = 1h, Mon 07:30-08:30 = 1h.
    assert working_seconds_between(at("2026-03-06 16:00"), at("2026-03-09 08:30"), CAL) == 7200
    # Reversed or equal: 0.
    assert working_seconds_between(at("2026-03-09 08:30"), at("2026-03-06 16:00"), CAL) == 0
    # Across Tết: Fri 13/02 17:00 → Mon 23/02 07:30 holds no working time.
    assert working_seconds_between(at("2026-02-13 17:00"), at("2026-02-23 07:30"), CAL) == 0


@pytest.mark.parametrize(("now", "due", "expected"), [
    ("2026-03-02 10:00", "2026-03-05 10:00", Decimal("3.00")),
    ("2026-02-12 10:00", "2026-02-24 10:00", Decimal("3.00")),   # Tết is not counted
    # Overdue by 10:00-11:30 + 13:00-14:00 = 2.5h = 0.3125 day → -0.31.
    ("2026-03-05 14:00", "2026-03-05 10:00", Decimal("-0.31")),
])
def test_working_days_left(now, due, expected):
    assert working_days_left(at(now), at(due), CAL) == expected


# --- timing ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("finished", "expected"), [
    ("2026-03-05 10:00", "on_time"),               # exactly at the due moment
    ("2026-03-05 08:00", "on_time"),               # earlier the same day
    ("2026-03-04 16:59", "early"),                 # the day before
    ("2026-03-05 10:00:00.000001", "late"),        # one microsecond late
])
def test_timing(finished, expected):
    assert timing(at(finished), at("2026-03-05 10:00")) == expected


def test_timing_compares_local_dates():
    # 23:30 UTC on 04/03 is 06:30 on Thu 05/03 in Vietnam: the due day itself, so on time.
    finished = datetime(2026, 3, 4, 23, 30, tzinfo=UTC)
    assert timing(finished, at("2026-03-05 10:00")) == "on_time"


# --- time zones and bad input ---------------------------------------------------------------

def test_other_time_zone_in_vietnam_time_out():
    # 03:00 UTC is 10:00 in Vietnam: Mon 10:00 + 3 working days → Thu 10:00 +07:00.
    due = due_moment(datetime(2026, 3, 2, 3, 0, tzinfo=UTC), 3, "working_days", CAL)
    assert due == at("2026-03-05 10:00") and due.tzinfo is TZ
    assert due.isoformat() == "2026-03-05T10:00:00+07:00"


@pytest.mark.parametrize("call", [
    lambda: due_moment(datetime(2026, 3, 2, 10), 1, "working_days", CAL),
    lambda: clock_start(datetime(2026, 3, 2, 10), CAL),
    lambda: working_seconds_between(datetime(2026, 3, 2, 10), datetime(2026, 3, 3), CAL),
    lambda: due_moment(at("2026-03-02 10:00"), 1, "weeks", CAL),
    lambda: due_moment(at("2026-03-02 10:00"), -1, "working_days", CAL),
    lambda: due_moment(at("2026-03-02 10:00"), Decimal("-0.5"), "calendar_days", CAL),
    lambda: due_moment(at("2026-03-02 10:00"), Decimal("NaN"), "working_days", CAL),
    lambda: add_working_seconds(at("2026-03-02 10:00"), -1, CAL),
    lambda: WorkCalendar(periods=(), days_off=frozenset()),
    lambda: WorkCalendar(periods=((time(13), time(12)),), days_off=frozenset()),
])
def test_bad_input_raises_value_error(call):
    with pytest.raises(ValueError):
        call()


def test_far_future_grows_the_index():
    # 2,000 working days from 2026 needs index beyond the first window; 8h each, so the result
    # is again at 10:00 and exactly 2,000 working days later.
    start = at("2026-03-02 10:00")
    due = due_moment(start, 2000, "working_days", CAL)
    assert due.time() == time(10, 0)
    assert working_seconds_between(start, due, CAL) == 2000 * CAL.seconds_per_day


# --- properties -----------------------------------------------------------------------------

moments = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31)).map(
    lambda d: d.replace(tzinfo=TZ))


@settings(max_examples=300, deadline=None)
@given(start=moments, days=st.integers(min_value=0, max_value=60))
def test_working_days_measure_back_exactly(start, days):
    opened = opening_at_or_after(start, CAL)
    due = due_moment(opened, days, "working_days", CAL)
    assert working_seconds_between(opened, due, CAL) == days * CAL.seconds_per_day


@settings(max_examples=300, deadline=None)
@given(start=moments, a=st.integers(min_value=0, max_value=40 * 28_800),
       b=st.integers(min_value=0, max_value=40 * 28_800))
def test_add_working_seconds_is_monotonic(start, a, b):
    low, high = sorted((a, b))
    assert add_working_seconds(start, low, CAL) <= add_working_seconds(start, high, CAL)
    later = start + timedelta(hours=5)
    assert add_working_seconds(start, a, CAL) <= add_working_seconds(later, a, CAL)


@settings(max_examples=200, deadline=None)
@given(start=moments, seconds=st.integers(min_value=1, max_value=20 * 28_800))
def test_due_moment_is_inside_office_hours(start, seconds):
    due = add_working_seconds(start, seconds, CAL)
    assert CAL.is_working_day(due.date())
    assert any(s < due.time() <= e for s, e in HOURS)
