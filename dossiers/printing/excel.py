"""Form 06, the register, as an Excel workbook: the layout of the PDF, one dossier a row."""

from __future__ import annotations

from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from accounts.models import Unit
from dossiers.deadlines import TZ
from dossiers.models import Dossier
from motcua.spreadsheets import workbook_bytes

COLUMNS = (
    ("STT", 6), ("Mã hồ sơ", 28), ("Tên thủ tục", 48), ("Tên cá nhân, tổ chức", 24),
    ("Địa chỉ, số điện thoại", 32), ("Cơ quan chủ trì giải quyết", 28),
    ("Ngày, giờ nhận hồ sơ", 18), ("Ngày, giờ hẹn trả kết quả", 18),
    ("Ngày, giờ trả kết quả", 18), ("Hình thức nhận kết quả", 20), ("Ký nhận", 12),
)


def _naive_local(moment: datetime | None) -> datetime | None:
    # Excel has no time zones: write the Vietnamese wall-clock time.
    return moment.astimezone(TZ).replace(tzinfo=None) if moment else None


def form06_workbook(unit: Unit, first: date, last: date, dossiers: list[Dossier]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "So theo doi ho so"
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws.append([unit.name.upper()])
    ws.append(["SỔ THEO DÕI HỒ SƠ"])
    ws.append([f"Từ ngày {first:%d/%m/%Y} đến ngày {last:%d/%m/%Y}"])
    ws.append([])
    ws.append([title for title, _ in COLUMNS])
    for cell in ws[1] + ws[2]:
        cell.font = Font(bold=True, size=13)
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = border
    for i, d in enumerate(dossiers, start=1):
        ws.append([
            i, d.code, d.procedure.name, d.applicant_name,
            "; ".join(x for x in (d.applicant_address, d.applicant_phone) if x),
            d.competent_unit.name, _naive_local(d.received_at),
            _naive_local(d.due_at), _naive_local(d.returned_at), d.return_method, "",
        ])
        for cell in ws[ws.max_row]:
            cell.border = border
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(cell.value, datetime):
                cell.number_format = "hh:mm dd/mm/yyyy"
    for index, (_, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    return workbook_bytes(wb)
