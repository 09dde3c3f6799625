"""A PAR Index criteria set as an Excel workbook (openpyxl): written from the YAML's structure,
and read back into it, so that reform/par/importer.py checks both files with one validation.

The workbook (docs/reform.md, "The criteria file as Excel"): a sheet "Thông tin" with the header
(year, level, name, decision: one label and its value a row) and a sheet "Tiêu chí" with one
row per area, criterion or sub-criterion. The tree comes from the codes: "2" is an area, "2.1" a
criterion of area 2, "2.1.3" a sub-criterion of 2.1; a row's parent must stand above it. Each
column's header names the YAML key it fills, "Điểm tối đa (max_points)", so that a problem the
validation names by key points at a column too; problems carry the row's number ("dòng 7").
"""

import io
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font

from catalog.text import fold
from motcua.spreadsheets import workbook_bytes
from reform.models import ParAnswerKind, ParLevel
from reform.spreadsheet import UNREADABLE, cell_text

INFO_SHEET = "Thông tin"
CRITERIA_SHEET = "Tiêu chí"
GUIDE_SHEET = "Hướng dẫn"
INFO = [("year", "Năm đánh giá"), ("level", "Cấp áp dụng"), ("name", "Tên bộ tiêu chí"),
        ("decision", "Quyết định ban hành")]
COLUMNS = [("code", "Mã"), ("title", "Nội dung"), ("max_points", "Điểm tối đa"),
           ("answer", "Kiểu trả lời"), ("scale", "Thang điểm"), ("live", "Số liệu tự động"),
           ("rule", "Cách chấm"), ("evidence", "Minh chứng")]
_CODE = re.compile(r"^[0-9A-Za-z]+(\.[0-9A-Za-z]+){0,2}$")
_CHILDREN = {0: "criteria", 1: "sub"}  # the YAML key of an area's and a criterion's children


def is_xlsx(content: bytes) -> bool:
    """An .xlsx file is a zip archive; a YAML file never starts like one."""
    return content[:4] == b"PK\x03\x04"


def _header(key: str, label: str) -> str:
    return f"{label} ({key})"


def _key(cell: Any, known: list[tuple[str, str]]) -> str | None:
    """The key a header or label cell names: "(max_points)" or its Vietnamese label."""
    text = fold(cell_text(cell))
    for key, label in known:
        if f"({key})" in text or text == fold(label):
            return key
    return None


def _number(value: Any) -> Any:
    """A number cell as it is; a typed "2,5" as 2.5; anything else left for the validation."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    text = cell_text(value).replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation:
        return text


def _fmt(value: Any) -> str:
    number = Decimal(str(value))
    return str(int(number)) if number == number.to_integral_value() else str(number.normalize())


def scale_text(scale: list[dict]) -> str:
    """[{from: 100, points: 3}, {from: 90, points: 2}] as "100:3; 90:2"."""
    return "; ".join(f"{_fmt(s['from'])}:{_fmt(s['points'])}" for s in scale)


def _scale(text: str) -> list[dict]:
    """"100:3; 90:2" back to steps; a step that is not two numbers is kept as typed, for the
    validation to name ("bậc 2 của scale cần from và points là số")."""
    steps = []
    for part in re.split(r"[;\n]", text):
        part = part.strip()
        if part:
            start, _sep, points = part.partition(":")
            steps.append({"from": _number(start) if start.strip() else None,
                          "points": _number(points) if points.strip() else None})
    return steps


def _level(value: Any) -> Any:
    text = cell_text(value)
    if text in ParLevel.values:
        return text
    with translation.override("vi"):
        labels = {fold(str(level.label)): level.value for level in ParLevel}
    return labels.get(fold(text), text)


def _year(value: Any) -> Any:
    number = _number(value)
    if isinstance(number, int | float | Decimal) and number == int(number):
        return int(number)
    return number


def xlsx_data(content: bytes) -> tuple[dict[str, Any], list[str]]:
    """The workbook read into the YAML's structure, with the problems of its layout (a missing
    sheet or column, a bad code, a row whose parent is not above it). Each criterion carries
    its row number as `_row`, which the validation uses to name the row."""
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except UNREADABLE:
        return {}, [_("không đọc được tệp Excel (.xlsx)")]
    try:
        sheets = {fold(name): book[name] for name in book.sheetnames}
        info = sheets.get(fold(INFO_SHEET))
        crit = sheets.get(fold(CRITERIA_SHEET))
        problems = []
        if info is None or crit is None:
            return {}, [_("tệp Excel cần hai trang tính “%(a)s” và “%(b)s”; hãy dùng tệp mẫu")
                        % {"a": INFO_SHEET, "b": CRITERIA_SHEET}]
        data: dict[str, Any] = {}
        for row in info.iter_rows(values_only=True, max_col=2):
            key = _key(row[0] if row else None, INFO)
            if key and len(row) > 1 and cell_text(row[1]):
                data[key] = row[1]
        if "year" in data:
            data["year"] = _year(data["year"])
        if "level" in data:
            data["level"] = _level(data["level"])
        for key in ("name", "decision"):
            if key in data:
                data[key] = cell_text(data[key])
        data["areas"] = _criteria_rows(crit, problems)
        return data, problems
    except UNREADABLE:  # read_only sheets parse their XML row by row, as they are read
        return {}, [_("không đọc được tệp Excel (.xlsx)")]
    finally:
        book.close()


def _criteria_rows(sheet, problems: list[str]) -> list[dict]:
    columns: dict[str, int] = {}
    areas: list[dict] = []
    by_code: dict[str, dict] = {}
    for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if not columns:
            found = {_key(v, COLUMNS): i for i, v in enumerate(values)}
            if "code" in found and "title" in found:
                columns = {k: i for k, i in found.items() if k}
            elif line >= 10:
                break
            continue

        def cell(key: str, values=values, columns=columns) -> Any:
            i = columns.get(key)
            return values[i] if i is not None and i < len(values) else None

        if all(cell_text(v) == "" for v in values):
            continue
        code = cell_text(cell("code"))
        if not _CODE.match(code):
            problems.append(_("dòng %(n)s: mã “%(c)s” không hợp lệ (ví dụ 1, 1.2, 1.2.3)")
                            % {"n": line, "c": code})
            continue
        node: dict[str, Any] = {"_row": line, "code": code, "title": cell_text(cell("title"))}
        for key in ("answer", "live", "rule", "evidence"):
            if cell_text(cell(key)):
                node[key] = cell_text(cell(key))
        if cell_text(cell("max_points")):
            node["max_points"] = _number(cell("max_points"))
        if cell_text(cell("scale")):
            node["scale"] = _scale(str(cell("scale")))
        depth = code.count(".")
        if depth == 0:
            areas.append(node)
        else:
            parent = by_code.get(code.rsplit(".", 1)[0])
            if parent is None:
                problems.append(_("dòng %(n)s: mục cha “%(p)s” của mã %(c)s chưa có ở các dòng "
                                  "phía trên") % {"n": line, "p": code.rsplit(".", 1)[0],
                                                  "c": code})
                continue
            parent.setdefault(_CHILDREN[depth - 1], []).append(node)
        by_code.setdefault(code, node)
    if not columns:
        problems.append(_("trang tính “%(s)s” không có dòng tiêu đề với cột “%(c)s” và “%(t)s” "
                          "trong 10 dòng đầu; hãy dùng tệp mẫu") % {
            "s": CRITERIA_SHEET, "c": _header("code", "Mã"), "t": _header("title", "Nội dung")})
    return areas


def criteria_xlsx(data: dict[str, Any]) -> bytes:
    """A criteria set in the YAML's structure as the workbook `xlsx_data` reads back."""
    from reform.par.live import live_choices

    book = Workbook()
    info = book.active
    info.title = INFO_SHEET
    for key, label in INFO:
        info.append([_header(key, label), data.get(key, "")])
    info.column_dimensions["A"].width = 32
    info.column_dimensions["B"].width = 90
    sheet = book.create_sheet(CRITERIA_SHEET)
    sheet.append([_header(key, label) for key, label in COLUMNS])
    for c in sheet[1]:
        c.font = Font(bold=True)
        c.alignment = Alignment(wrap_text=True, vertical="center")

    def write(node: dict, depth: int) -> None:
        children = node.get(_CHILDREN[depth]) if depth < 2 else None
        sheet.append([str(node.get("code", "")), node.get("title", ""),
                      node.get("max_points") if not children else None,
                      node.get("answer", ""), scale_text(node.get("scale") or []),
                      node.get("live", ""), node.get("rule", ""), node.get("evidence", "")])
        sheet.cell(sheet.max_row, 1).number_format = "@"  # "1.10" stays text, not 1.1
        if depth == 0:
            sheet.cell(sheet.max_row, 2).font = Font(bold=True)
        for child in children or []:
            write(child, depth + 1)

    for area in data.get("areas") or []:
        write(area, 0)
    for column, width in zip("ABCDEFGH", (9, 60, 11, 12, 28, 26, 50, 40), strict=True):
        sheet.column_dimensions[column].width = width
    guide = book.create_sheet(GUIDE_SHEET)
    with translation.override("vi"):
        lines = [
            ["Mỗi dòng một lĩnh vực (mã 1, 2, …), tiêu chí (1.1, 1.2, …) hoặc tiêu chí thành "
             "phần (1.1.1, …); mục cha đứng trên mục con. Định dạng đầy đủ: docs/reform.md."],
            ["Điểm tối đa: số dương, ghi ở tiêu chí được chấm; lĩnh vực và tiêu chí có tiêu chí "
             "thành phần để trống (bằng tổng các mục con). Tổng các lĩnh vực phải bằng 100."],
            ["Thang điểm (cho number, percent): các bậc “từ:điểm” cách nhau bởi dấu chấm phẩy, "
             "ví dụ 100:3; 90:2; 0:0."],
            [],
            ["Cấp áp dụng (level)"],
            *[[level.value, str(level.label)] for level in ParLevel],
            [],
            ["Kiểu trả lời (answer)"],
            *[[kind.value, str(kind.label)] for kind in ParAnswerKind],
            [],
            ["Số liệu tự động (live), chỉ với answer percent"],
            *[[key] for key in live_choices()],
        ]
    for line in lines:
        guide.append(line)
    guide.column_dimensions["A"].width = 40
    guide.column_dimensions["B"].width = 50
    return workbook_bytes(book)


def criteria_template_xlsx() -> bytes:
    """The template offered for download: the shipped department set, as the format's example
    (imported as it is, it gives the same set as the shipped YAML)."""
    import yaml

    from reform.par.importer import SHIPPED_DEPARTMENT_SET

    return criteria_xlsx(yaml.safe_load(SHIPPED_DEPARTMENT_SET.read_text(encoding="utf-8")))
