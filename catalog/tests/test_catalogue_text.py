"""Catalogue text read apart: results, page fields, template names; re-import reads again."""

import json

import pytest

from catalog.importer import import_catalog
from catalog.models import Procedure, RequiredDocument
from catalog.parsing.documents import TABLE_HEADER as T
from catalog.parsing.documents import parse_documents, split_template
from catalog.parsing.record import parse_record


def test_results_are_one_line_each_without_the_page_fields():
    # 3.000330: shown as "…(Cấp bộ)Mã: KQ.G01.000197Phiếu…Từ khóaKhông có thông tin…" before.
    parsed = parse_record({"ma_thu_tuc": "3.000330", "ket_qua_xu_ly": (
        "Phiếu Lý lịch tư pháp số 1 (Cấp bộ)Mã: KQ.G01.000197Phiếu Lý lịch tư pháp số 2 (Cấp bộ)"
        "Mã: KQ.G01.000198Từ khóaKhông có thông tinMô tảKhông có thông tinChọn cơ quan thực "
        "hiệnTỉnh/ Thành phốNộp hồ sơ")})
    assert parsed.result_text == ("Phiếu Lý lịch tư pháp số 1 (Cấp bộ) (mã KQ.G01.000197)\n"
                                  "Phiếu Lý lịch tư pháp số 2 (Cấp bộ) (mã KQ.G01.000198)")
    assert parsed.result_codes == ["KQ.G01.000197", "KQ.G01.000198"]


def test_keywords_the_portal_gives_are_kept_on_their_own_line():
    parsed = parse_record({"ma_thu_tuc": "1.0", "ket_qua_xu_ly": (
        "Thẻ căn cướcMã: KQ.G01.000023Từ khóaCấp lại thẻ căn cướcMô tảKhông có thông tin")})
    assert parsed.result_text == "Thẻ căn cước (mã KQ.G01.000023)\nTừ khóa: Cấp lại thẻ căn cước"


def test_requirements_that_swallowed_the_page_are_empty():
    parsed = parse_record({"ma_thu_tuc": "1.000916", "yeu_cau_dieu_kien": (
        "Không có thông tinTừ khóaKhông có thông tinMô tảKhông có thông tinChọn cơ quan thực "
        "hiệnNộp hồ sơ")})
    assert parsed.requirements == ""


@pytest.mark.parametrize(("segment", "name", "template"), [
    ("Đơn khai báo kiểm dịch động vật, sản phẩm động vật thủy sản xuất khẩu, nhập khẩuMau 03 TS."
     " Don khai bao kiem dich.docx",
     "Đơn khai báo kiểm dịch động vật, sản phẩm động vật thủy sản xuất khẩu, nhập khẩu",
     "Mau 03 TS. Don khai bao kiem dich.docx"),
    ("Đơn đề nghị theo mẫu quy định1.6. Don de nghi CPXD.docx", "Đơn đề nghị theo mẫu quy định",
     "1.6. Don de nghi CPXD.docx"),
    ("Đơn khai báo theo mẫu 3 ban hành kèm theo Thông tư số 01/2026/TT-BNNMT;Mau 3. Don khai "
     "bao kiem dich.docx", "Đơn khai báo theo mẫu 3 ban hành kèm theo Thông tư số "
     "01/2026/TT-BNNMT;", "Mau 3. Don khai bao kiem dich.docx"),
    ("Văn bản đề nghị theo Nghị định 52/2024/NĐ-CP ngày 15/5/2024.Mẫu số 15.docx",
     "Văn bản đề nghị theo Nghị định 52/2024/NĐ-CP ngày 15/5/2024.", "Mẫu số 15.docx"),
])
def test_template_file_names_glued_to_the_paper_are_split_off(segment, name, template):
    assert split_template(segment) == (name, template)


def test_a_file_address_in_the_text_becomes_the_template_link():
    docs = parse_documents(
        f"--{T}Thông báo vận chuyển theo mẫu của Công ước Basel tại địa chỉ: "
        "http://www.basel.int/docs/vCOP8.doc1 bản chính").documents
    assert docs[0].template_url == "http://www.basel.int/docs/vCOP8.doc"
    assert "http" not in docs[0].name


def _line(papers: str) -> str:
    return json.dumps({"ma_thu_tuc": "9.000777", "ten_thu_tuc": "Cấp giấy phép thử",
                       "cap_thuc_hien": "Cấp tỉnh", "thanh_phan_ho_so": papers,
                       "ket_qua_xu_ly": "Giấy phépMã: KQ.G01.000001Từ khóaKhông có thông tinMô tả"
                                        "Không có thông tin"}, ensure_ascii=False)


@pytest.mark.django_db
def test_reimport_reads_unchanged_records_again_in_place_then_is_idempotent():
    line = _line(f"--{T}Đơn đề nghị theo mẫu quy định1.6. Don de nghi CPXD.docx1 bản chính")
    import_catalog([line])
    procedure = Procedure.objects.get(code="9.000777")
    paper = RequiredDocument.objects.get(variant__procedure=procedure)
    # As an older parser stored it: the file name glued on, the page text in the result.
    Procedure.objects.filter(pk=procedure.pk).update(
        parsed_with="", result_text="Giấy phépMã: KQ.G01.000001Từ khóaKhông có thông tin")
    RequiredDocument.objects.filter(pk=paper.pk).update(
        name="Đơn đề nghị theo mẫu quy định1.6. Don de nghi CPXD.docx", template_name="")
    report = import_catalog([line])
    assert (report.reread, report.created, report.new_versions) == (1, 0, 0)
    paper.refresh_from_db()
    procedure.refresh_from_db()
    assert (paper.name, paper.template_name) == ("Đơn đề nghị theo mẫu quy định",
                                                 "1.6. Don de nghi CPXD.docx")
    assert procedure.result_text == "Giấy phép (mã KQ.G01.000001)"
    assert Procedure.objects.filter(code="9.000777").count() == 1
    again = import_catalog([line])
    assert (again.reread, again.unchanged) == (0, 1)


@pytest.mark.django_db
def test_the_public_page_shows_results_apart_and_how_each_paper_applies(client):
    from django.urls import reverse

    from catalog.tests.test_papers_parsing import JUDICIAL_RECORD

    import_catalog([json.dumps({
        "ma_thu_tuc": "9.000330", "ten_thu_tuc": "Cấp Phiếu lý lịch tư pháp",
        "cap_thuc_hien": "Cấp tỉnh", "detail_url": "https://dichvucong.gov.vn/thu-tuc/x",
        "thanh_phan_ho_so": JUDICIAL_RECORD + "Đơn đề nghị theo mẫu quy định1.6. Don de nghi "
                                              "CPXD.docx1 bản chính",
        "ket_qua_xu_ly": "Phiếu Lý lịch tư phápMã: KQ.G01.000197Từ khóaKhông có thông tinMô tả"
                         "Không có thông tinChọn cơ quan thực hiệnNộp hồ sơ"},
        ensure_ascii=False)])
    page = client.get(reverse("catalog:detail", args=["9.000330"])).content.decode()
    assert "Phiếu Lý lịch tư pháp (mã KQ.G01.000197)" in page
    assert "Từ khóa" not in page and "Chọn cơ quan thực hiện" not in page
    assert "Chỉ cần khi: Trường hợp ủy quyền cho người khác nộp hồ sơ" in page
    assert "Thay thế được cho nhau với các giấy tờ cùng nhóm: chỉ cần một." in page
    assert "Thẻ Căn cước / Thẻ Căn cước công dân" in page
    assert "quy định1.6" not in page
    assert "1.6. Don de nghi CPXD.docx" in page
    assert 'href="https://dichvucong.gov.vn/thu-tuc/x"' in page
