"""`manage.py deadline`: receipt rules, then the limit; one ISO 8601 line."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Unit

pytestmark = pytest.mark.django_db


def run(*args: str) -> list[str]:
    out = StringIO()
    call_command("deadline", *args, stdout=out)
    return out.getvalue().splitlines()


def test_spec_example_over_tet_2026():
    # Thu 12/02 10:00 → 5.5h; Fri 13 8h; Tết; Mon 23 8h; Tue 24 07:30 + 2.5h.
    assert run("--start", "2026-02-12 10:00", "--amount", "3", "--unit", "working_days") == [
        "2026-02-24T10:00:00+07:00"]


def test_unit_defaults_to_working_days_and_monday_example():
    assert run("--start", "2026-03-02 10:00", "--amount", "3") == ["2026-03-05T10:00:00+07:00"]


def test_after_hours_receipt_is_normalised_first():
    # Fri 18:00 → clock starts Mon 07:30; one working day → Mon 17:00.
    assert run("--start", "2026-03-06 18:00", "--amount", "1") == ["2026-03-09T17:00:00+07:00"]


def test_explain_prints_the_clock_start():
    lines = run("--start", "2026-03-02 12:00", "--amount", "2", "--unit", "working_hours",
                "--explain")
    # Received in the lunch break: the clock starts at 13:00, + 2h = 15:00.
    assert lines[0] == "2026-03-02T15:00:00+07:00"
    assert "Bắt đầu tính hạn / clock start: 2026-03-02T13:00:00+07:00" in lines


def test_cutoff():
    # 15:30 is after the 15:00 cut-off: clock starts Tue 07:30; 4 working hours → 11:30.
    assert run("--start", "2026-03-02 15:30", "--amount", "4", "--unit", "working_hours",
               "--cutoff", "15:00") == ["2026-03-03T11:30:00+07:00"]
    # 14:59 is before it: 14:59 + 4h = 2h01 to 17:00, Tue 07:30 + 1h59 = 09:29.
    assert run("--start", "2026-03-02 14:59", "--amount", "4", "--unit", "working_hours",
               "--cutoff", "15:00") == ["2026-03-03T09:29:00+07:00"]


def test_calendar_days_months_and_civil_code():
    # Wed + 4 days = Sun 08/03 → Mon 09/03 at the same time.
    assert run("--start", "2026-03-04 10:00", "--amount", "4", "--unit", "calendar_days") == [
        "2026-03-09T10:00:00+07:00"]
    # Civil Code: Mon not counted; Tue, Wed, Thu; ends at Thu's closing.
    assert run("--start", "2026-03-02 10:00", "--amount", "3", "--unit", "calendar_days",
               "--civil-code") == ["2026-03-05T17:00:00+07:00"]
    # 31/03 + 1 month = Thu 30/04 (holiday), Fri 01/05, weekend → Mon 04/05 10:00.
    assert run("--start", "2026-03-31 10:00", "--amount", "1", "--unit", "months") == [
        "2026-05-04T10:00:00+07:00"]


def test_new_year_2026_rows_from_the_migration_are_used():
    # Wed 31/12/2025 10:00 → 5.5h; 01/01 holiday, 02/01 swapped off, weekend; Mon 05/01 8h;
    # Tue 06/01 07:30 + 2.5h = 10:00.
    assert run("--start", "2025-12-31 10:00", "--amount", "2") == ["2026-01-06T10:00:00+07:00"]


def test_start_with_an_offset_is_converted_to_vietnam_time():
    assert run("--start", "2026-02-12T03:00:00+00:00", "--amount", "3") == [
        "2026-02-24T10:00:00+07:00"]


def test_unit_code_uses_that_units_hours():
    Unit.objects.create(code="000.00.12.H99", name="Trung tâm PVHCC", kind=Unit.Kind.CENTRE,
                        office_hours="07:00-11:30,13:30-17:00")
    # This unit opens at 07:00, so 07:10 is inside its hours: + 1h = 08:10.
    assert run("--start", "2026-03-02 07:10", "--amount", "1", "--unit", "working_hours",
               "--unit-code", "000.00.12.H99") == ["2026-03-02T08:10:00+07:00"]
    # The default hours open at 07:30: 07:30 + 1h = 08:30.
    assert run("--start", "2026-03-02 07:10", "--amount", "1", "--unit", "working_hours") == [
        "2026-03-02T08:30:00+07:00"]


@pytest.mark.parametrize(("args", "words"), [
    (("--unit-code", "KHONG.CO"), "Không có đơn vị mã"),
    (("--start", "12/02/2026"), "không hợp lệ"),
    (("--amount", "ba"), "không phải là số"),
    (("--amount", "-1"), "Không tính được hạn"),
    (("--cutoff", "3pm"), "Giờ chốt"),
])
def test_errors_are_command_errors_in_vietnamese(args, words):
    base = {"--start": "2026-03-02 10:00", "--amount": "3"}
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    argv = [x for pair in base.items() for x in pair]
    with pytest.raises(CommandError, match=words):
        run(*argv)
