"""The 2026 civil-service calendar entries that the `holidays` package (0.109) does not give.

Checked against `holidays.country_holidays("VN", years=2026)` and its `weekend_workdays`, which
dossiers/calendar.py already applies:

- Tết Nguyên đán: civil servants were off Sat 14/02 – Sun 22/02/2026; the package already lists
  every working day of it (Mon 16/02 eve … Fri 20/02, the 4th day), so no row is needed.
- Giỗ Tổ Hùng Vương fell on Sun 26/04/2026; the package gives Mon 27/04 as the compensatory day.
- 30/04 (Thu) and 01/05 (Fri) are in the package.
- Quốc khánh: the package gives Tue 01/09 and Wed 02/09, plus Mon 31/08 off in exchange for
  Sat 22/08/2026 worked (that Saturday is in its `weekend_workdays`).
- Tết Dương lịch: NOT in the package. Official letter 12729/VPCP-KGVX of 25/12/2025 gave civil
  servants Thu 01/01 – Sun 04/01/2026 off by moving the working day of Fri 02/01/2026 to
  Sat 10/01/2026. Those two rows are added here.

24/11 "Ngày Văn hóa Việt Nam": chosen by Politburo Resolution 80-NQ/TW (01/2026), with the
Labor Code art. 112 amendment that would make it a paid day off still unconfirmed here. It is
deliberately not added by this migration. Note that holidays 0.109 already lists 24/11/2026 as a
holiday; administrators who find it is a working day add an all-unit "work" row for it.
"""

from datetime import date

from django.db import migrations

ROWS = (
    (date(2026, 1, 2), "off",
     ("Nghỉ Tết Dương lịch 2026 (hoán đổi, làm bù thứ Bảy 10/01/2026 — "
      "Công văn 12729/VPCP-KGVX)")),
    (date(2026, 1, 10), "work",
     "Làm bù cho ngày nghỉ thứ Sáu 02/01/2026 (Tết Dương lịch — Công văn 12729/VPCP-KGVX)"),
)


def add_rows(apps, schema_editor):
    CalendarDay = apps.get_model("dossiers", "CalendarDay")
    for day, kind, name in ROWS:
        CalendarDay.objects.update_or_create(date=day, unit=None,
                                             defaults={"kind": kind, "name": name})


def remove_rows(apps, schema_editor):
    CalendarDay = apps.get_model("dossiers", "CalendarDay")
    CalendarDay.objects.filter(unit=None, date__in=[day for day, _, _ in ROWS]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("dossiers", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(add_rows, remove_rows),
    ]
