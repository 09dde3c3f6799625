"""Exports of the index report: Excel in the layout of the monthly report, CSV for open data."""

import csv
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from metrics.indicators import INDICATORS, REPORT_ORDER
from motcua.spreadsheets import csv_cells, workbook_bytes

NO_DATA = "Chưa có dữ liệu"


def _cell(value: Any) -> Any:
    return NO_DATA if value is None else value


def xlsx_report(table: dict[str, Any]) -> bytes:
    """Sheet 1: one row per unit (the unit first, then its children) with every indicator, the
    group points, the total and the band. Sheet 2: the definitions, so the figures explain
    themselves when the file travels without the system."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Chỉ số 766"
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDDDDD")
    ws.append([f"BÁO CÁO CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP — {table['period']['label']}"])
    ws.append([f"Bộ tiêu chí: {table['method']['name']}; số liệu tính đến "
               f"{table['computed_at'][:16].replace('T', ' ')}"])
    ws.append([])
    groups = table["units"][0]["groups"] if table["units"] else []
    header = (["STT", "Mã đơn vị", "Đơn vị"] + [str(INDICATORS[k].name) for k in REPORT_ORDER]
              + [f"{g['name']} (tối đa {g['max_points']:g})" for g in groups]
              + ["Tổng điểm", "Điểm tối đa các nhóm có dữ liệu", "Điểm quy đổi thang 100",
                 "Xếp loại"])
    ws.append(header)
    for cell in ws[ws.max_row]:
        cell.font, cell.fill = bold, head_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, u in enumerate(table["units"], start=1):
        ws.append([i, u["code"], u["name"]]
                  + [_cell(u["indicators"][k]) for k in REPORT_ORDER]
                  + [_cell(g["points"]) for g in u["groups"]]
                  + [_cell(u["points"]), u["max_points"], _cell(u["scaled"]),
                     _cell(u["band"])])
    ws.freeze_panes = "D5"
    for col in range(1, len(header) + 1):
        ws.column_dimensions[get_column_letter(col)].width = 40 if col == 3 else 14
    defs = wb.create_sheet("Định nghĩa")
    defs.append(["Mã", "Chỉ số", "Công thức", "Căn cứ", "Có dữ liệu"])
    for cell in defs[1]:
        cell.font = bold
    for key, d in table["definitions"].items():
        defs.append([key, d["name"], d["formula"], d["source"],
                     "có" if d["available"] else "chưa"])
    for col, width in zip("ABCDE", (24, 45, 70, 35, 10), strict=True):
        defs.column_dimensions[col].width = width
    return workbook_bytes(wb)


def csv_report(table: dict[str, Any]) -> str:
    """One row per unit and indicator (long format: easy to load anywhere); no personal data.
    A unit's name is typed by an administrator: a text opening as a formula is written as text
    (motcua/spreadsheets.py)."""
    rows = [["ky_bao_cao", "tu_ngay", "den_truoc_ngay", "ma_don_vi", "ten_don_vi", "ma_chi_so",
             "ten_chi_so", "gia_tri"]]
    p = table["period"]
    for u in table["units"]:
        base = [p["label"], p["start"], p["end_exclusive"], u["code"], u["name"]]
        for key in REPORT_ORDER:
            value = u["indicators"][key]
            rows.append(base + [key, str(INDICATORS[key].name), "" if value is None else value])
        for g in u["groups"]:
            rows.append(base + [f"diem_{g['key']}", g["name"],
                                "" if g["points"] is None else g["points"]])
        rows.append(base + ["diem_quy_doi", "Điểm quy đổi thang 100",
                            "" if u["scaled"] is None else u["scaled"]])
        rows.append(base + ["xep_loai", "Xếp loại", u["band"] or ""])
    out = io.StringIO()
    csv.writer(out).writerows(csv_cells(row) for row in rows)
    return out.getvalue()
