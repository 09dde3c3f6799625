"""The plan's annex from Excel (openpyxl): a template to download, and an all-or-nothing import.

The template's columns are those of a provincial plan's annex: number (STT, "1.2" is sub-task 2
of task 1), area, task, expected product, lead unit, cooperating units, deadline, weight. Every
row is read and checked first; if any row is wrong, the officer gets every error with its row
number and column, and nothing is imported. Only a clean file is written, in one transaction.
"""

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import translation
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font

from accounts.models import User
from catalog.text import fold
from dossiers.uploads import upload_check
from motcua.errors import DomainError
from motcua.spreadsheets import workbook_bytes
from reform.models import Area, Plan, Task
from reform.selectors.units import units_for_matching
from reform.services.plans import officer_check, task_add, weight_parse
from reform.spreadsheet import UNREADABLE, cell_text

COLUMNS = ["STT", "Lĩnh vực", "Nội dung nhiệm vụ", "Sản phẩm dự kiến", "Đơn vị chủ trì",
           "Đơn vị phối hợp", "Thời hạn hoàn thành", "Trọng số"]
KEYS = ["number", "area", "title", "product", "lead", "cooperating", "deadline", "weight"]

# Words that name an area in an annex (folded); the first area whose word appears wins, so the
# longer phrases come before the shorter ones they contain.
AREA_WORDS = [
    (Area.DIRECTION, ("chi dao", "dieu hanh")),
    (Area.INSTITUTIONS, ("the che",)),
    (Area.PROCEDURES, ("thu tuc hanh chinh", "tthc")),
    (Area.APPARATUS, ("to chuc bo may", "bo may")),
    (Area.CIVIL_SERVICE, ("cong vu", "cong chuc")),
    (Area.PUBLIC_FINANCE, ("tai chinh cong", "tai chinh")),
    (Area.DIGITAL, ("chinh phu dien tu", "chinh phu so", "chuyen doi so", "dien tu")),
]
ONGOING = {"", "thuong xuyen", "ca nam", "trong nam", "hang nam"}
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_QUARTER = re.compile(r"^quy\s+([ivx]+|\d)(?:\s*/\s*(\d{4})|\s+nam\s+(\d{4}))?$")
_MONTH = re.compile(r"^thang\s+(\d{1,2})(?:\s*/\s*(\d{4})|\s+nam\s+(\d{4}))?$")
_NUMBER = re.compile(r"^\d+(\.\d+)*$")


class PlanImportError(DomainError):
    """The file was refused; `rows` holds every (row, column, message) found."""

    def __init__(self, rows: list[tuple[int, str, str]]) -> None:
        lines = [f"Dòng {r}, cột “{c}”: {m}" if c else f"Dòng {r}: {m}" for r, c, m in rows]
        super().__init__(
            "import_rejected",
            f"Tệp có {len(rows)} lỗi, chưa nhập nhiệm vụ nào. Sửa các dòng dưới đây rồi tải "
            "lên lại.",
            f"The file has {len(rows)} error(s); no task was imported.",
            fields={"file": lines})
        self.rows = rows
        self.lines = lines


@dataclass
class Row:
    line: int
    number: str
    area: str
    title: str
    product: str
    lead: object
    cooperating: list = field(default_factory=list)
    cooperating_other: str = ""
    deadline: date | None = None
    weight: Decimal = Decimal(1)
    parent_number: str = ""


def area_labels_vi() -> dict[str, str]:
    """The areas' names as the province's documents write them, whatever the page's language."""
    with translation.override("vi"):
        return {area.value: str(area.label) for area in Area}


def template_xlsx(*, year: int | None = None) -> bytes:
    """The annex template: the header row, two example rows, and a sheet listing the areas."""
    labels = area_labels_vi()
    book = Workbook()
    sheet = book.active
    sheet.title = "Phụ lục nhiệm vụ"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    y = year or date.today().year
    sheet.append(["1", labels[Area.PROCEDURES], "Rà soát, đơn giản hóa thủ tục hành chính",
                  "Quyết định phê duyệt phương án đơn giản hóa", "Sở Tư pháp",
                  "Các sở, ban, ngành", f"30/06/{y}", 2])
    sheet.append(["1.1", "", "Rà soát thủ tục lĩnh vực hộ tịch", "Báo cáo rà soát",
                  "Sở Tư pháp", "", "Quý II", 1])
    for column, width in zip("ABCDEFGH", (8, 40, 60, 40, 30, 30, 18, 10), strict=True):
        sheet.column_dimensions[column].width = width
    guide = book.create_sheet("Hướng dẫn")
    guide.append(["Lĩnh vực (ghi đúng tên hoặc từ khóa)"])
    for label in labels.values():
        guide.append([label])
    guide.append([])
    guide.append(["STT: 1, 2, … cho nhiệm vụ; 1.1, 1.2, … cho nhiệm vụ con của nhiệm vụ 1 "
                  "(nhiệm vụ con để trống lĩnh vực thì theo lĩnh vực của nhiệm vụ cha)."])
    guide.append(["Đơn vị chủ trì, phối hợp: tên, tên ngắn hoặc mã định danh của đơn vị; "
                  "nhiều đơn vị phối hợp ngăn cách bởi dấu chấm phẩy."])
    guide.append(["Thời hạn: ngày (dd/mm/yyyy), “Quý I”…“Quý IV”, “Tháng 6” hoặc "
                  "“Thường xuyên” (hạn cuối năm)."])
    guide.append(["Trọng số: số lớn hơn 0; để trống là 1."])
    return workbook_bytes(book)


def _area(value: str) -> str | None:
    folded = fold(value)
    for code, label in area_labels_vi().items():
        if folded in (fold(label), code):
            return code
    for area, words in AREA_WORDS:
        if any(w in folded for w in words):
            return area.value
    return None


def _end_of_month(year: int, month: int) -> date:
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return date.fromordinal(nxt.toordinal() - 1)


def _deadline(value: object, year: int) -> date | None:
    """A date cell, dd/mm/yyyy, "Quý II[/2026]", "Tháng 6[/2026]", "6 tháng đầu năm",
    or "Thường xuyên" / empty (None: due at the end of the plan's year)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = fold(cell_text(value))
    if text in ONGOING:
        return None
    if m := _DATE.match(text):
        return date(int(m[3]), int(m[2]), int(m[1]))
    if m := _QUARTER.match(text):
        q = ROMAN.get(m[1]) or (int(m[1]) if m[1].isdigit() else 0)
        if not 1 <= q <= 4:
            raise ValueError
        return _end_of_month(int(m[2] or m[3] or year), 3 * q)
    if m := _MONTH.match(text):
        month = int(m[1])
        if not 1 <= month <= 12:
            raise ValueError
        return _end_of_month(int(m[2] or m[3] or year), month)
    if text in ("6 thang dau nam", "6 thang"):
        return date(year, 6, 30)
    raise ValueError


def _read(data: bytes) -> list[tuple[int, list]]:
    try:
        return _rows(data)
    except UNREADABLE:
        # A read-only sheet parses its XML row by row as it is read: a damaged part (or one
        # whose entities expand past expat's limit) is a ParseError here, a refusal, not a 500.
        raise PlanImportError([(1, "", "Không đọc được tệp Excel (.xlsx).")]) from None


def _rows(data: bytes) -> list[tuple[int, list]]:
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = book.worksheets[0]
    rows = []
    header_seen = False
    for line, values in enumerate(sheet.iter_rows(values_only=True, max_col=8), start=1):
        values = list(values) + [None] * (8 - len(values))
        if not header_seen:
            if any(fold(cell_text(v)) == fold(COLUMNS[2]) for v in values):
                header_seen = True
            elif line > 10:
                break
            continue
        if all(cell_text(v) == "" for v in values):
            continue
        rows.append((line, values))
    book.close()
    if not header_seen:
        raise PlanImportError([(1, "", "Không thấy dòng tiêu đề “Nội dung nhiệm vụ” trong 10 "
                                "dòng đầu của trang tính thứ nhất. Hãy dùng tệp mẫu.")])
    return rows


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def annex_parse(data: bytes, *, plan: Plan) -> list[Row]:
    """Every row of the annex checked; PlanImportError with all errors if any is wrong."""
    names = units_for_matching()

    def find(value: str):
        return names.get(fold(value))

    errors: list[tuple[int, str, str]] = []
    parsed: list[Row] = []
    numbers: dict[str, Row] = {}
    for line, values in _read(data):
        v = dict(zip(KEYS, values, strict=True))
        before = len(errors)

        def err(column: int, message: str, line=line) -> None:
            errors.append((line, COLUMNS[column], message))

        number = cell_text(v["number"]).rstrip(".")
        parent_number = ""
        if number and not _NUMBER.match(number):
            err(0, f"số thứ tự “{number}” không hợp lệ (ví dụ 1, 2, 1.1).")
        elif number in numbers:
            err(0, f"số thứ tự “{number}” bị trùng.")
        elif "." in number:
            parent_number = number.rsplit(".", 1)[0]
            if parent_number not in numbers:
                err(0, f"nhiệm vụ cha “{parent_number}” chưa có ở các dòng phía trên.")
        title = cell_text(v["title"])
        if not title:
            err(2, "chưa có nội dung nhiệm vụ.")
        area_text = cell_text(v["area"])
        area = _area(area_text) if area_text else None
        if area_text and area is None:
            err(1, f"không nhận ra lĩnh vực “{area_text}” (xem trang “Hướng dẫn”).")
        elif area is None:
            parent = numbers.get(parent_number)
            if parent is not None:
                area = parent.area
            elif not parent_number:
                err(1, "chưa ghi lĩnh vực.")
        lead_text = cell_text(v["lead"])
        lead = find(lead_text) if lead_text else None
        if not lead_text:
            err(4, "chưa ghi đơn vị chủ trì.")
        elif lead is None:
            err(4, f"không tìm thấy đơn vị “{lead_text}” trong hệ thống.")
        cooperating, other = [], []
        for name in re.split(r"[;\n]", str(v["cooperating"] or "")):
            name = cell_text(name)
            if name:
                unit = find(name)
                (cooperating.append(unit) if unit else other.append(name))
        try:
            deadline = _deadline(v["deadline"], plan.year)
        except ValueError:
            deadline = None
            err(6, f"không hiểu thời hạn “{cell_text(v['deadline'])}” (dd/mm/yyyy, Quý I–IV, "
                   "Tháng 1–12 hoặc Thường xuyên).")
        try:
            weight = weight_parse(v["weight"])
        except DomainError:
            weight = Decimal(1)
            err(7, f"trọng số “{cell_text(v['weight'])}” phải là số lớn hơn 0.")
        # The form holds each field to its column; a cell must fit it too (PostgreSQL refused
        # the whole import for one long cell: a 500).
        other_text = "; ".join(other)
        for column, text, name in ((0, number, "number"), (2, title, "title"),
                                   (3, cell_text(v["product"]), "expected_product"),
                                   (5, other_text, "cooperating_other")):
            limit = Task._meta.get_field(name).max_length
            if len(text) > limit:
                err(column, f"dài {_thousands(len(text))} ký tự, tối đa {_thousands(limit)}.")
        row = Row(line=line, number=number, area=area or "", title=title,
                  product=cell_text(v["product"]), lead=lead, cooperating=cooperating,
                  cooperating_other=other_text, deadline=deadline, weight=weight,
                  parent_number=parent_number)
        if number and number not in numbers:
            numbers[number] = row
        if len(errors) == before:
            parsed.append(row)
    if not errors and not parsed:
        errors.append((1, "", "Tệp không có nhiệm vụ nào dưới dòng tiêu đề."))
    if errors:
        raise PlanImportError(errors)
    return parsed


def plan_import_xlsx(*, actor: User, plan: Plan, name: str, data: bytes) -> list[Task]:
    """Add the annex's tasks to the plan: all of them, or none (with every row's error)."""
    officer_check(actor, plan)
    kind = upload_check(name, data)
    if kind.kind != "xlsx":
        raise PlanImportError([(1, "", f"Tệp “{name}” không phải tệp Excel (.xlsx).")])
    rows = annex_parse(data, plan=plan)
    created: dict[str, Task] = {}
    tasks = []
    with transaction.atomic():
        for row in rows:
            task = task_add(actor=actor, plan=plan, title=row.title, area=row.area,
                            lead_unit=row.lead, parent=created.get(row.parent_number),
                            number=row.number, expected_product=row.product,
                            cooperating_units=row.cooperating,
                            cooperating_other=row.cooperating_other, deadline=row.deadline,
                            weight=row.weight)
            if row.number:
                created[row.number] = task
            tasks.append(task)
    return tasks
