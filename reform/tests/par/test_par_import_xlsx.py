"""Importing a criteria set from Excel: the same structure and the same validation as YAML, each
bad row named by its number, nothing half-imported; the downloadable template imports as is."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from reform.models import ParCriteriaSet, ParCriterion
from reform.par.criteria_xlsx import COLUMNS, criteria_template_xlsx
from reform.par.importer import CriteriaImportError, criteria_import, criteria_parse
from reform.tests.par.conftest import CRITERIA_FILE

HEADER = [f"{label} ({key})" for key, label in COLUMNS]
INFO = [["Năm đánh giá (year)", 2026], ["Cấp áp dụng (level)", "UBND cấp xã"],
        ["Tên bộ tiêu chí (name)", "Bộ tiêu chí cấp xã 2026"],
        ["Quyết định ban hành (decision)", "Quyết định số 12/QĐ-UBND"]]
# The docs' small commune example, typed as an officer would (codes as text, scale as text).
ROWS = [
    ["1", "Công tác chỉ đạo, điều hành CCHC"],
    ["1.1", "Ban hành kế hoạch CCHC năm đúng hạn", 10, "yes_no", "", "",
     "Ban hành trước 31/12 – 10 điểm", "Quyết định ban hành kế hoạch"],
    ["1.2", "Sáng kiến trong CCHC", 10, "points"],
    ["2", "Cải cách thủ tục hành chính"],
    ["2.1", "Kết quả giải quyết thủ tục hành chính"],
    ["2.1.1", "Tỷ lệ hồ sơ giải quyết trước và đúng hạn", 30, "percent",
     "100:30; 95:20; 90:10; 0:0", "settled_on_time_rate"],
    ["2.1.2", "Số cuộc kiểm tra việc giải quyết TTHC", "10", "number", "2:10; 1:5; 0:0"],
    ["3", "Sự hài lòng của người dân"],
    ["3.1", "Chỉ số hài lòng SIPAS", "40", "percent", "90:40; 80:30; 0:0", "sipas"],
]


def workbook(rows=ROWS, info=INFO, header=HEADER, sheets=("Thông tin", "Tiêu chí")) -> bytes:
    book = Workbook()
    first = book.active
    first.title = sheets[0]
    for row in info:
        first.append(row)
    crit = book.create_sheet(sheets[1])
    crit.append(header)
    for row in rows:
        crit.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _tree(crit_set: ParCriteriaSet) -> list[tuple]:
    return [(c.code, c.depth, c.parent.code if c.parent else "", c.title, c.max_points,
             c.answer_kind, c.scale, c.live_metric, c.rule, c.evidence)
            for c in crit_set.criteria.select_related("parent").order_by("order")]


def test_a_good_excel_file_imports_the_whole_tree(db):
    s = criteria_import(workbook(), source_name="xa.xlsx")
    assert (s.year, s.level, s.name, s.decision) == (
        2026, "commune", "Bộ tiêu chí cấp xã 2026", "Quyết định số 12/QĐ-UBND")
    assert s.source_name == "xa.xlsx"
    sub = ParCriterion.objects.get(criteria_set=s, code="2.1.1")
    assert (sub.depth, sub.parent.code, sub.parent.parent.code) == (2, "2.1", "2")
    assert sub.live_metric == "settled_on_time_rate" and sub.max_points == 30
    assert sub.scale == [{"from": 100.0, "points": 30.0}, {"from": 95.0, "points": 20.0},
                         {"from": 90.0, "points": 10.0}, {"from": 0.0, "points": 0.0}]
    assert ParCriterion.objects.get(criteria_set=s, code="2.1").max_points == 40
    assert ParCriterion.objects.get(criteria_set=s, code="1.1").rule == (
        "Ban hành trước 31/12 – 10 điểm")
    assert sum(a.max_points for a in s.criteria.filter(depth=0)) == 100


def test_the_template_imports_as_the_same_set_as_the_shipped_yaml(db):
    template = criteria_template_xlsx()
    sheets = load_workbook(io.BytesIO(template)).sheetnames
    assert sheets == ["Thông tin", "Tiêu chí", "Hướng dẫn"]
    from_yaml = _tree(criteria_import(CRITERIA_FILE.read_text(encoding="utf-8")))
    from_xlsx = criteria_import(template, replace=True)
    assert ParCriteriaSet.objects.get() == from_xlsx
    assert _tree(from_xlsx) == from_yaml and len(from_yaml) > 40


def _problems(data: bytes) -> list[str]:
    with pytest.raises(CriteriaImportError) as caught:
        criteria_import(data)
    assert caught.value.message.startswith("Tệp bộ tiêu chí có lỗi, chưa nhập gì")
    assert ParCriteriaSet.objects.count() == 0 and ParCriterion.objects.count() == 0
    return caught.value.problems


def _with(index: int, row: list) -> list:
    rows = [list(r) for r in ROWS]
    rows[index] = row
    return rows


@pytest.mark.parametrize("row, line, problem", [
    # Rows are numbered as Excel shows them: the header is row 1, ROWS[i] is row i + 2.
    (["1.x.2.4", "Mã sai", 10, "points"], 4, "dòng 4: mã “1.x.2.4” không hợp lệ"),
    (["7.2", "Không có cha", 10, "points"], 4, "dòng 4: mục cha “7” của mã 7.2 chưa có"),
    (["1.2", "", 10, "points"], 4, "dòng 4, mã 1.2: thiếu nội dung (title)"),
    (["1.2", "Sáng kiến", "mười", "points"], 4, "dòng 4, mã 1.2: max_points phải là số dương"),
    (["1.2", "Sáng kiến", 10, "maybe"], 4, "dòng 4, mã 1.2: answer phải là một trong"),
    (["1.2", "Sáng kiến", 10, "percent"], 4, "dòng 4, mã 1.2: câu trả lời dạng số hoặc tỷ lệ "
                                             "cần thang điểm"),
    (["1.2", "Sáng kiến", 10, "percent", "100:10; chín mươi"], 4,
     "dòng 4, mã 1.2: bậc 2 của scale cần from và points là số"),
    (["1.2", "Sáng kiến", 10, "percent", "100:12"], 4, "bậc 1 của scale cho 12 điểm, vượt"),
    (["1.2", "Sáng kiến", 10, "percent", "100:10", "ty_le_bia"], 4,
     "dòng 4, mã 1.2: live “ty_le_bia” không phải chỉ số có sẵn"),
    (["1.2", "Sáng kiến", 10, "points", "", "sipas"], 4,
     "dòng 4, mã 1.2: tiêu chí lấy số liệu tự động phải có answer: percent"),
    (["1.1", "Trùng mã", 10, "points"], 4, "dòng 4, mã 1.1: mã 1.1 bị trùng"),
])
def test_each_kind_of_bad_row_is_named_by_its_row_and_nothing_is_imported(db, row, line,
                                                                           problem):
    problems = _problems(workbook(_with(2, row)))
    assert any(problem in p for p in problems), problems


def test_every_bad_row_is_reported_at_once(db):
    rows = _with(2, ["1.2", "", 10, "maybe"])
    rows[5] = ["2.1.1", "Tỷ lệ", 30, "percent", "", "settled_on_time_rate"]
    problems = _problems(workbook(rows))
    assert any(p.startswith("dòng 4, mã 1.2: thiếu nội dung") for p in problems)
    assert any(p.startswith("dòng 4, mã 1.2: answer phải") for p in problems)
    assert any(p.startswith("dòng 7, mã 2.1.1: câu trả lời dạng số") for p in problems)


def test_a_wrong_total_and_a_wrong_header_are_refused(db):
    rows = _with(8, ["3.1", "Chỉ số hài lòng SIPAS", 35, "percent", "90:35; 0:0", "sipas"])
    assert any("tổng điểm tối đa là 95, phải bằng 100" in p for p in _problems(workbook(rows)))
    info = [["Năm đánh giá (year)", "năm nay"], ["Cấp áp dụng (level)", "thôn"]]
    problems = _problems(workbook(info=info))
    assert any("year phải là năm" in p for p in problems)
    assert any("level phải là một trong" in p for p in problems)
    assert any("thiếu name" in p for p in problems)


@pytest.mark.parametrize("data, problem", [
    (workbook(sheets=("Sheet", "Tiêu chí")), "cần hai trang tính “Thông tin” và “Tiêu chí”"),
    (workbook(header=["STT", "Tên", "Điểm"]), "không có dòng tiêu đề với cột “Mã (code)”"),
    (b"PK\x03\x04 not really a workbook", "Tệp “tệp bộ tiêu chí”: tệp bị hỏng"),
])
def test_a_file_that_is_not_the_template_s_layout_is_refused(db, data, problem):
    assert any(problem in p for p in _problems(data))


def _rezipped(broken_part: str, text: bytes) -> bytes:
    """The good workbook with one part replaced."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(workbook()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = text if item.filename == broken_part else source.read(item.filename)
            target.writestr(item, data)
    return out.getvalue()


@pytest.mark.parametrize("part, text, problem", [
    ("xl/worksheets/sheet2.xml", b"<worksheet><sheetData><row", "không đọc được tệp Excel"),
    ("xl/workbook.xml", b"<<<", "không đọc được tệp Excel"),
    ("[Content_Types].xml", b'<Types><Default Extension="xml" ContentType="text/xml"/></Types>',
     "không phải"),
])
def test_a_damaged_workbook_is_refused_not_a_server_error(db, part, text, problem):
    assert any(problem in p for p in _problems(_rezipped(part, text)))


def test_the_page_offers_the_template_and_imports_an_excel_file(home):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    c = Client()
    c.force_login(home.reform_officer)
    page = c.get("/cai-cach/chi-so-cchc/").content.decode()
    assert 'href="/cai-cach/chi-so-cchc/mau-bo-tieu-chi.xlsx"' in page
    template = c.get("/cai-cach/chi-so-cchc/mau-bo-tieu-chi.xlsx")
    assert template.status_code == 200
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    assert criteria_parse(template.content)[0]["level"] == "department"
    bad = c.post("/cai-cach/chi-so-cchc/", {"form": "import", "file": SimpleUploadedFile(
        "xa.xlsx", workbook(_with(2, ["1.2", "", 10, "points"])))})
    assert bad.status_code == 400 and "dòng 4, mã 1.2: thiếu nội dung" in bad.content.decode()
    assert ParCriteriaSet.objects.count() == 0
    ok = c.post("/cai-cach/chi-so-cchc/", {"form": "import", "file": SimpleUploadedFile(
        "xa.xlsx", workbook())})
    assert ok.status_code == 303 and ParCriteriaSet.objects.get().level == "commune"
    anonymous = Client().get("/cai-cach/chi-so-cchc/mau-bo-tieu-chi.xlsx")
    assert anonymous.status_code in (302, 303) and "dang-nhap" in anonymous["Location"]
