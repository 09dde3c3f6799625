"""The working calendar built from the package, the CalendarDay table and a unit's hours."""

import logging
from datetime import date, datetime, time

import pytest

from accounts.models import Unit
from dossiers import deadlines
from dossiers.calendar import calendar_for_unit, default_calendar, parse_office_hours
from dossiers.models import CalendarDay

TZ = deadlines.TZ


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def _unit(code: str = "000.00.12.H99", hours: str = "") -> Unit:
    return Unit.objects.create(code=code, name=f"Đơn vị {code}", kind=Unit.Kind.CENTRE,
                               office_hours=hours)


# --- parse_office_hours (no database) ------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("07:30-11:30,13:00-17:00", ((time(7, 30), time(11, 30)), (time(13), time(17)))),
    (" 13:00 - 17:00 , 7:30-11:30 ", ((time(7, 30), time(11, 30)), (time(13), time(17)))),
    ("07h00-11h30;13h30-17h00", ((time(7), time(11, 30)), (time(13, 30), time(17)))),
    ("08:00-16:00", ((time(8), time(16)),)),
])
def test_parse_office_hours(text, expected):
    assert parse_office_hours(text) == expected


@pytest.mark.parametrize(("text", "words"), [
    ("", "Chưa nhập giờ làm việc"),
    ("sáng 7 giờ", "Không hiểu khoảng giờ"),
    ("07:30-11:30,", None),
    ("11:30-07:30", "giờ kết thúc không sau giờ bắt đầu"),
    ("07:30-12:00,11:00-17:00", "chồng lên nhau"),
    ("25:00-26:00", "Giờ không hợp lệ"),
])
def test_parse_office_hours_errors_in_vietnamese(text, words):
    if words is None:
        # A trailing comma is harmless: one period.
        assert parse_office_hours(text) == ((time(7, 30), time(11, 30)),)
        return
    with pytest.raises(ValueError, match=words):
        parse_office_hours(text)


def test_default_calendar_needs_no_database():
    cal = default_calendar(range(2026, 2027))
    assert not cal.is_working_day(date(2026, 2, 17))
    assert cal.seconds_per_day == 8 * 3600


# --- the table -------------------------------------------------------------------------------

@pytest.mark.django_db
def test_migration_rows_for_2026_are_present():
    rows = {(r.date, r.kind) for r in CalendarDay.objects.filter(unit=None, date__year=2026)}
    assert (date(2026, 1, 2), "off") in rows
    assert (date(2026, 1, 10), "work") in rows
    # The rumoured 24/11 day is not added by the migration.
    assert not CalendarDay.objects.filter(date=date(2026, 11, 24)).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("day", "working"), [
    (date(2026, 1, 2), False),    # migration: New Year swap
    (date(2026, 1, 10), True),    # migration: make-up Saturday
    (date(2026, 2, 16), False),   # package: Tết
    (date(2026, 2, 20), False),
    (date(2026, 4, 27), False),   # package: Giỗ Tổ compensatory day
    (date(2026, 4, 30), False),
    (date(2026, 5, 1), False),
    (date(2026, 8, 22), True),    # package: make-up Saturday for Mon 31/08
    (date(2026, 8, 31), False),
    (date(2026, 9, 1), False),
    (date(2026, 9, 2), False),
])
def test_default_calendar_of_the_system(day, working):
    assert calendar_for_unit(None).is_working_day(day) is working


@pytest.mark.django_db
def test_all_unit_rows_add_days_off_and_make_up_days():
    CalendarDay.objects.create(date=date(2026, 3, 9), kind="off", name="Nghỉ đột xuất")
    CalendarDay.objects.create(date=date(2026, 3, 7), kind="work", name="Làm bù")
    cal = calendar_for_unit(None)
    assert not cal.is_working_day(date(2026, 3, 9))
    assert cal.is_working_day(date(2026, 3, 7))
    # Fri 06/03 10:00 → 5.5h; Sat 07/03 worked → 07:30 + 2.5h = 10:00.
    assert deadlines.due_moment(at("2026-03-06 10:00"), 1, "working_days", cal) == at(
        "2026-03-07 10:00")


@pytest.mark.django_db
def test_rows_override_the_package():
    # A "work" row beats a package holiday (how administrators undo 24/11 if it is not official).
    CalendarDay.objects.create(date=date(2026, 11, 24), kind="work", name="Làm việc bình thường")
    # An "off" row beats a make-up Saturday the package knows of.
    CalendarDay.objects.create(date=date(2026, 8, 22), kind="off", name="Không làm bù")
    cal = calendar_for_unit(None)
    assert cal.is_working_day(date(2026, 11, 24))
    assert not cal.is_working_day(date(2026, 8, 22))


@pytest.mark.django_db
def test_unit_rows_override_all_unit_rows_for_that_unit_only():
    unit, other = _unit("U1"), _unit("U2")
    CalendarDay.objects.create(date=date(2026, 3, 9), kind="off", name="Nghỉ toàn tỉnh")
    CalendarDay.objects.create(date=date(2026, 3, 9), kind="work", unit=unit,
                               name="Đơn vị vẫn làm việc")
    CalendarDay.objects.create(date=date(2026, 3, 10), kind="off", unit=unit,
                               name="Đơn vị nghỉ riêng")
    own, theirs, system = calendar_for_unit(unit), calendar_for_unit(other), calendar_for_unit(None)
    assert own.is_working_day(date(2026, 3, 9))
    assert not own.is_working_day(date(2026, 3, 10))
    assert not theirs.is_working_day(date(2026, 3, 9))
    assert theirs.is_working_day(date(2026, 3, 10))
    assert not system.is_working_day(date(2026, 3, 9))


@pytest.mark.django_db
def test_unit_office_hours():
    unit = _unit(hours="07:00-11:30,13:30-17:00")
    cal = calendar_for_unit(unit)
    assert cal.periods == ((time(7), time(11, 30)), (time(13, 30), time(17)))
    assert cal.seconds_per_day == 8 * 3600
    # Received 07:10 at this unit counts from 07:10, not 07:30.
    assert deadlines.clock_start(at("2026-03-02 07:10"), cal) == at("2026-03-02 07:10")
    assert calendar_for_unit(_unit("U2")).periods == parse_office_hours(
        "07:30-11:30,13:00-17:00")


@pytest.mark.django_db
def test_invalid_unit_hours_fall_back_to_the_default(caplog):
    unit = _unit(hours="cả ngày")
    with caplog.at_level(logging.WARNING, logger="dossiers.calendar"):
        cal = calendar_for_unit(unit)
    assert cal.periods == parse_office_hours("07:30-11:30,13:00-17:00")
    assert "invalid office hours" in caplog.text


# --- the cache -------------------------------------------------------------------------------

@pytest.mark.django_db
def test_cache_is_reused_and_invalidated_by_edits():
    first = calendar_for_unit(None)
    assert calendar_for_unit(None) is first
    assert first.is_working_day(date(2026, 3, 9))

    row = CalendarDay.objects.create(date=date(2026, 3, 9), kind="off", name="Nghỉ")
    second = calendar_for_unit(None)
    assert second is not first and not second.is_working_day(date(2026, 3, 9))

    row.kind = CalendarDay.Kind.WORKING_DAY
    row.save()
    assert calendar_for_unit(None).is_working_day(date(2026, 3, 9))

    row.date = date(2026, 3, 7)
    row.save()
    assert calendar_for_unit(None).is_working_day(date(2026, 3, 7))

    row.delete()
    assert not calendar_for_unit(None).is_working_day(date(2026, 3, 7))


@pytest.mark.django_db
def test_cache_follows_a_change_of_unit_hours():
    unit = _unit(hours="07:30-11:30,13:00-17:00")
    assert calendar_for_unit(unit).opening == time(7, 30)
    unit.office_hours = "07:00-11:00,13:00-17:00"
    unit.save()
    assert calendar_for_unit(unit).opening == time(7, 0)


@pytest.mark.django_db
def test_a_units_office_hours_are_parsed_once_per_text(monkeypatch):
    """Each action weighing a moment asks for the receiving unit's calendar: its hours' text is
    parsed once per worker, and a changed text is parsed anew (issue #18)."""
    import dossiers.calendar as calendar

    parsed: list[str] = []
    real = calendar.parse_office_hours
    monkeypatch.setattr(calendar, "parse_office_hours",
                        lambda text: parsed.append(text) or real(text))
    unit = _unit(hours="06:45-11:15,13:05-16:55")
    for _ in range(3):
        assert calendar_for_unit(unit).opening == time(6, 45)
    assert parsed == ["06:45-11:15,13:05-16:55"]
    unit.office_hours = "06:40-11:15,13:05-16:55"
    unit.save()
    assert calendar_for_unit(unit).opening == time(6, 40)
    assert parsed == ["06:45-11:15,13:05-16:55", "06:40-11:15,13:05-16:55"]
