"""reform/services/plan_import.py: the template imports; a bad file imports nothing."""

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from dossiers.tests import files
from dossiers.uploads import UploadRejected
from motcua.errors import NotAllowed
from reform.models import Area, Task, TaskEvent
from reform.services.plan_import import (
    COLUMNS,
    PlanImportError,
    plan_import_xlsx,
    template_xlsx,
)


def xlsx(rows: list[list], header: list[str] = COLUMNS, title_rows: int = 0) -> bytes:
    book = Workbook()
    sheet = book.active
    for _ in range(title_rows):
        sheet.append(["PHỤ LỤC KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH"])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_template_itself_imports_with_its_nesting(world):
    before = Task.objects.count()
    tasks = plan_import_xlsx(actor=world.officer, plan=world.plan, name="mau.xlsx",
                             data=template_xlsx(year=2026))
    assert len(tasks) == 2 and Task.objects.count() == before + 2
    parent, child = tasks
    assert parent.area == Area.PROCEDURES and parent.lead_unit == world.justice
    assert parent.deadline == date(2026, 6, 30) and parent.weight == Decimal(2)
    # "Các sở, ban, ngành" names no unit of the system: kept as text.
    assert parent.cooperating_other == "Các sở, ban, ngành"
    assert child.parent == parent and child.area == Area.PROCEDURES  # inherited
    assert child.deadline == date(2026, 6, 30)  # "Quý II" of the plan's year
    assert TaskEvent.objects.filter(task=child, kind=TaskEvent.Kind.CREATE).count() == 1


def test_the_template_offers_every_column_and_every_area():
    book = load_workbook(io.BytesIO(template_xlsx(year=2026)))
    assert [c.value for c in book.worksheets[0][1]] == COLUMNS
    guide = [r[0] for r in book["Hướng dẫn"].iter_rows(values_only=True)]
    assert all(str(area.label) in guide for area in Area)


def test_a_good_annex_with_title_rows_codes_short_names_and_every_deadline_form(world):
    data = xlsx([
        ["1", "Công tác chỉ đạo, điều hành", "Ban hành kế hoạch", "Kế hoạch",
         "000.00.15.H99", "Sở Tài chính; Các xã", date(2026, 2, 15), ""],
        ["1.1", "", "Kiểm tra CCHC", "Báo cáo", "sở tài chính", "", "Tháng 5", 1.5],
        ["1.1.1", "", "Kiểm tra tại xã", "", "SO TU PHAP", "", "Thường xuyên", 1],
        ["2", "Chính phủ số", "Số hóa hồ sơ", "Hệ thống", "Sở Tư pháp tỉnh Thử nghiệm", "",
         "31/12/2026", 3],
        [3, "Cải cách thể chế", "Rà soát văn bản", "", "Sở Tư pháp", "", "Quý IV/2026", None],
    ], title_rows=2)
    tasks = plan_import_xlsx(actor=world.officer, plan=world.plan, name="phu-luc.xlsx",
                             data=data)
    one, one_one, deep, two, three = tasks
    assert one.area == Area.DIRECTION and one.deadline == date(2026, 2, 15)
    assert list(one.cooperating_units.all()) == [world.finance]
    assert one.cooperating_other == "Các xã"
    assert one_one.parent == one and one_one.lead_unit == world.finance
    assert one_one.deadline == date(2026, 5, 31) and one_one.weight == Decimal("1.5")
    assert deep.parent == one_one and deep.deadline is None and deep.area == Area.DIRECTION
    assert deep.due == date(2026, 12, 31)
    assert two.area == Area.DIGITAL and two.weight == Decimal(3)
    assert three.number == "3" and three.area == Area.INSTITUTIONS
    assert three.deadline == date(2026, 12, 31)


def test_a_bad_annex_names_every_wrong_row_and_imports_nothing(world):
    before = (Task.objects.count(), TaskEvent.objects.count())
    data = xlsx([
        ["1", "Cải cách thủ tục hành chính", "Việc đúng", "", "Sở Tư pháp", "", "Quý I", 1],
        ["2", "Lĩnh vực lạ", "Việc có lĩnh vực sai", "", "Sở Tư pháp", "", "", 1],
        ["3", "Cải cách thể chế", "", "", "Sở Không Có", "", "mai kia", "-2"],
        ["4.1", "", "Nhiệm vụ con mồ côi", "", "Sở Tư pháp", "", "", "abc"],
        ["1", "Cải cách thể chế", "Trùng số", "", "Sở Tư pháp", "", "", ""],
    ])
    with pytest.raises(PlanImportError) as caught:
        plan_import_xlsx(actor=world.officer, plan=world.plan, name="sai.xlsx", data=data)
    lines = caught.value.lines
    assert "Dòng 3, cột “Lĩnh vực”: không nhận ra lĩnh vực “Lĩnh vực lạ” (xem trang " \
           "“Hướng dẫn”)." in lines
    assert "Dòng 4, cột “Nội dung nhiệm vụ”: chưa có nội dung nhiệm vụ." in lines
    assert "Dòng 4, cột “Đơn vị chủ trì”: không tìm thấy đơn vị “Sở Không Có” trong hệ " \
           "thống." in lines
    assert any(x.startswith("Dòng 4, cột “Thời hạn hoàn thành”: không hiểu thời hạn “mai kia”")
               for x in lines)
    assert "Dòng 4, cột “Trọng số”: trọng số “-2” phải là số lớn hơn 0." in lines
    assert "Dòng 5, cột “STT”: nhiệm vụ cha “4” chưa có ở các dòng phía trên." in lines
    assert "Dòng 5, cột “Trọng số”: trọng số “abc” phải là số lớn hơn 0." in lines
    assert "Dòng 6, cột “STT”: số thứ tự “1” bị trùng." in lines
    assert len(lines) == 8
    assert caught.value.message.startswith("Tệp có 8 lỗi, chưa nhập nhiệm vụ nào.")
    # Row 2 was right, and still nothing was written.
    assert (Task.objects.count(), TaskEvent.objects.count()) == before


def test_a_file_without_the_header_or_not_excel_is_refused(world):
    with pytest.raises(PlanImportError) as caught:
        plan_import_xlsx(actor=world.officer, plan=world.plan, name="x.xlsx",
                         data=xlsx([["a", "b"]], header=["Cột 1", "Cột 2"]))
    assert "Nội dung nhiệm vụ" in caught.value.lines[0]
    with pytest.raises(PlanImportError):
        plan_import_xlsx(actor=world.officer, plan=world.plan, name="x.pdf", data=files.PDF)
    with pytest.raises(UploadRejected):
        plan_import_xlsx(actor=world.officer, plan=world.plan, name="x.xlsx",
                         data=b"MZ\x90\x00 not a workbook")
    with pytest.raises(PlanImportError) as caught:
        plan_import_xlsx(actor=world.officer, plan=world.plan, name="trong.xlsx", data=xlsx([]))
    assert "không có nhiệm vụ nào" in caught.value.lines[0]


def _sheet_replaced(text: bytes) -> bytes:
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(template_xlsx(year=2026)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            sheet = item.filename == "xl/worksheets/sheet1.xml"
            target.writestr(item, text if sheet else source.read(item.filename))
    return out.getvalue()


# Ten levels of ten: 10^10 characters if expanded ("billion laughs").
_ENTITIES = '<!ENTITY a0 "AAAAAAAAAA">' + "".join(
    f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
_BOMB = (f'<!DOCTYPE worksheet [{_ENTITIES}]><worksheet xmlns="http://schemas.openxmlformats.org'
         '/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&a9;'
         '</t></is></c></row></sheetData></worksheet>').encode()


@pytest.mark.parametrize("sheet", [b"<worksheet><sheetData><row", _BOMB],
                         ids=["damaged", "entity-bomb"])
def test_a_damaged_sheet_is_refused_not_a_server_error(world, sheet):
    """audit9: the sheet's XML is parsed as its rows are read, after the workbook opened; a
    broken part, or entities expanding past expat's limit, raised a ParseError (a 500)."""
    with pytest.raises(PlanImportError) as caught:
        plan_import_xlsx(actor=world.officer, plan=world.plan, name="x.xlsx",
                         data=_sheet_replaced(sheet))
    assert "Không đọc được tệp Excel" in caught.value.lines[0]


def test_only_the_reform_officer_imports(world):
    with pytest.raises(NotAllowed):
        plan_import_xlsx(actor=world.justice_head, plan=world.plan, name="mau.xlsx",
                         data=template_xlsx(year=2026))


def test_a_cell_longer_than_its_column_is_named_not_a_500(world):
    """The form's fields hold the columns' lengths; the annex's cells did not, and PostgreSQL
    refused the whole import (a 500) for one long title, product or number."""
    long_number = "9" * 21
    data = xlsx([
        ["1", "Cải cách thủ tục hành chính", "Nhiệm vụ " * 120, "Sản phẩm " * 60,
         "Sở Tư pháp", "", "Quý I", 1],
        [long_number, "Cải cách thể chế", "Việc", "", "Sở Tư pháp", "", "", 1],
    ])
    with pytest.raises(PlanImportError) as caught:
        plan_import_xlsx(actor=world.officer, plan=world.plan, name="dai.xlsx", data=data)
    assert caught.value.lines == [
        "Dòng 2, cột “Nội dung nhiệm vụ”: dài 1.079 ký tự, tối đa 1.000.",
        "Dòng 2, cột “Sản phẩm dự kiến”: dài 539 ký tự, tối đa 500.",
        "Dòng 3, cột “STT”: dài 21 ký tự, tối đa 20."]
    assert not Task.objects.filter(plan=world.plan, title__startswith="Nhiệm vụ Nhiệm").exists()
