"""The six-monthly PAKN report as an Excel workbook (openpyxl): each ministry and province
reports its feedback every six months (Decree 20/2008/ND-CP as amended by Decree 92/2017/ND-CP;
Circular 02/2017/TT-VPCP). One sheet per grouping (unit, class, procedure, month), the same
figures as the statistics page (`feedback.selectors.feedback_statistics`).
"""

from datetime import date, datetime, time, timedelta

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from feedback.selectors import Figures, feedback_statistics
from motcua.spreadsheets import workbook_bytes

COLUMNS = [
    ("Tiếp nhận", "received"), ("Không tiếp nhận", "refused"), ("Đã chuyển", "forwarded"),
    ("Chuyển quá 5 ngày làm việc", "forwarded_late"), ("Đã trả lời", "answered"),
    ("Trả lời đúng hạn", "answered_on_time"), ("Trả lời quá hạn", "answered_late"),
    ("Đang xử lý", "open"), ("Đang xử lý quá hạn", "open_overdue"),
    ("Đã công khai", "published"), ("Hài lòng", "satisfied"), ("Chưa hài lòng", "not_satisfied"),
]
SHEETS = [("unit", "Theo đơn vị", "Đơn vị xử lý"), ("kind", "Theo phân loại", "Phân loại"),
          ("procedure", "Theo thủ tục", "Thủ tục"), ("month", "Theo tháng", "Tháng tiếp nhận")]


# The days a period may name: an aware datetime at either end of the calendar does not fit in
# UTC (01/01/0001 00:00 in Vietnam is year 0 in UTC), so typed dates are kept within these.
EARLIEST_DAY, LATEST_DAY = date.min + timedelta(days=1), date.max - timedelta(days=1)


def period_moments(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, end 23:59:59.999999] in the current time zone, the days swapped when given
    in reverse and kept within the calendar the database can hold, so no typed period reaches
    a 500."""
    from django.utils import timezone

    if end < start:
        start, end = end, start
    start, end = max(start, EARLIEST_DAY), min(end, LATEST_DAY)
    tz = timezone.get_current_timezone()
    return datetime.combine(start, time.min, tz), datetime.combine(end, time.max, tz)


def six_month_period(today: date) -> tuple[date, date, str]:
    """The half-year `today` falls in: 01/01–30/06 or 01/07–31/12."""
    if today.month <= 6:
        return date(today.year, 1, 1), date(today.year, 6, 30), f"6 tháng đầu năm {today.year}"
    return date(today.year, 7, 1), date(today.year, 12, 31), f"6 tháng cuối năm {today.year}"


def _row(label: str, fig: Figures) -> list:
    rate = fig.on_time_rate
    return [label, *[getattr(fig, attr) for _, attr in COLUMNS],
            float(rate) if rate is not None else "—"]


def report_workbook(*, start: datetime, end: datetime, label: str,
                    unit_ids: set[int] | None = None) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for by, title, first in SHEETS:
        total, rows = feedback_statistics(start=start, end=end, by=by, unit_ids=unit_ids)
        sheet = book.create_sheet(title)
        sheet.append([f"Báo cáo tình hình tiếp nhận, xử lý phản ánh, kiến nghị — {label}"])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([f"Từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}"])
        sheet.append([])
        header = [first, *[name for name, _ in COLUMNS], "Tỷ lệ trả lời đúng hạn (%)"]
        sheet.append(header)
        for cell in sheet[4]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for key, name, fig in rows:
            sheet.append(_row(name if by != "procedure" or key == "-" else f"{key} — {name}",
                              fig))
        sheet.append(_row("Tổng cộng", total))
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 48
        for i in range(2, len(header) + 1):
            sheet.column_dimensions[get_column_letter(i)].width = 14
        sheet.freeze_panes = "B5"
    return workbook_bytes(book)
