"""Alternatives, cases and look-ups read from paper lists (catalog/parsing/papers.py)."""

from catalog.parsing.documents import TABLE_HEADER as T
from catalog.parsing.documents import parse_documents
from catalog.parsing.papers import (
    AUTHORISATION_CONDITION,
    LOOKUP_POPULATION,
    LOOKUP_RESULTS,
    choices_of,
    condition_of,
    lookup_of,
)
from catalog.parsing.record import parse_record

# The judicial record list as the catalogue prints it (3.000330, shortened): two forms for the
# applicant (paper 01 or electronic 04), two for a person authorised (02 or 05), the
# authorisation, and the identity paper.
JUDICIAL_RECORD = (
    f"--{T}Tờ khai yêu cầu cấp Phiếu Lý lịch tư pháp ( Dùng cho cá nhân trong trường hợp ủy "
    "quyền yêu cầu cấp Phiếu Lý lịch tư pháp số 1), Mẫu số 02/2025/LLTP;1 bản chính"
    "Tờ khai yêu cầu cấp Phiếu Lý lịch tư pháp  điện tử tương tác (Dùng cho cá nhân trong "
    "trường hợp ủy quyền yêu cầu cấp Phiếu Lý lịch tư pháp số 1), Mẫu số 05/2025/LLTP;1 bản chính"
    "Tờ khai yêu cầu cấp Phiếu Lý lịch tư pháp  điện tử tương tác (Dùng cho cá nhân có yêu cầu "
    "cấp Phiếu Lý lịch tư pháp), Mẫu số 04/2025/LLTP;1 bản chính"
    "Văn bản ủy quyền làm thủ tục yêu cầu cấp Phiếu Lý lịch tư pháp số 1 (người được ủy quyền "
    "phải xuất trình Thẻ Căn cước).1 bản chính"
    "Tờ khai yêu cầu cấp Phiếu Lý lịch tư pháp  (Dùng cho cá nhân có yêu cầu cấp Phiếu Lý lịch "
    "tư pháp), Mẫu số 01/2025/LLTP1 bản chính"
    "Bản sao Thẻ Căn cước hoặc thẻ Căn cước công dân hoặc Giấy xác nhận căn cước hoặc Hộ chiếu "
    "của người được cấp Phiếu (Trường hợp nộp bản chụp thì phải xuất trình bản chính để đối "
    "chiếu).1 bản chính"
)


def _docs(text: str, context: str = ""):
    return parse_documents(text, context=context).documents


def test_the_paper_and_electronic_forms_of_one_declaration_are_one_of_a_group():
    docs = _docs(JUDICIAL_RECORD)
    groups = {}
    for n, d in enumerate(docs, start=1):
        if d.group:
            groups.setdefault(d.group, []).append(n)
    assert sorted(groups.values()) == [[1, 2], [3, 5]]


def test_the_authorised_forms_and_the_authorisation_are_conditional():
    docs = _docs(JUDICIAL_RECORD)
    assert docs[0].condition.startswith("Trong trường hợp ủy quyền yêu cầu cấp Phiếu")
    assert docs[1].condition == docs[0].condition
    assert docs[3].condition == AUTHORISATION_CONDITION
    # "Dùng cho cá nhân có yêu cầu" is everyone; how a copy is shown is no condition.
    assert [docs[i].condition for i in (2, 4, 5)] == ["", "", ""]


def test_identity_alternatives_inside_one_row_are_choices():
    docs = _docs(JUDICIAL_RECORD)
    assert docs[5].choices == ("Thẻ Căn cước", "Thẻ Căn cước công dân",
                               "Giấy xác nhận căn cước", "Hộ chiếu của người được cấp Phiếu")
    assert docs[0].choices == ()


def test_the_form_of_a_copy_is_not_a_choice_between_papers():
    assert choices_of("Bản chính hoặc bản sao có chứng thực Giấy phép thành lập") == []
    assert choices_of("Văn bản, tài liệu chứng minh quyền sử dụng hoặc sở hữu hợp pháp trụ sở"
                      ) == []
    assert choices_of("Bản sao hợp lệ một trong các giấy tờ sau đây: Quyết định đầu tư dự án; "
                      "Quyết định phê duyệt báo cáo kinh tế - kỹ thuật") == [
        "Quyết định đầu tư dự án", "Quyết định phê duyệt báo cáo kinh tế - kỹ thuật"]


def test_choices_that_count_leave_out_the_head_noun_or_run_long_are_read():
    """Recall on the development part (docs/papers.md): a choice that starts with a counting
    word ("Các quyết định …"), leaves out the head noun the first names ("Biên bản nghiệm thu A
    hoặc nghiệm thu B"), names a paper the list did not know ("vận tải đơn", "Đăng ký …"), or
    runs on into its explanation ("… đối với phương tiện …")."""
    assert choices_of("Bản sao hợp lệ một trong các giấy tờ sau đây: • Quyết định đầu tư dự án; "
                      "• Các quyết định điều chỉnh dự án (nếu có).") == [
        "Quyết định đầu tư dự án", "Các quyết định điều chỉnh dự án"]
    assert choices_of("Biên bản nghiệm thu giai đoạn hoặc nghiệm thu hoàn thành công trình") == [
        "Biên bản nghiệm thu giai đoạn", "Biên bản nghiệm thu hoàn thành công trình"]
    assert choices_of("Bản chụp vận tải đơn hoặc chứng từ vận tải khác có giá trị tương đương."
                      ) == ["Vận tải đơn", "Chứng từ vận tải khác có giá trị tương đương"]
    long = ("Hợp đồng mua bán phương tiện hoặc hợp đồng đóng mới phương tiện đối với phương "
            "tiện thuộc diện đăng kiểm để cơ quan đăng ký phương tiện kiểm tra, trừ trường hợp "
            + "chủ phương tiện là cơ sở đóng mới, hoán cải, sửa chữa phương tiện " * 3)
    first, second = choices_of(long)
    assert first == "Hợp đồng mua bán phương tiện"
    assert second.startswith("Hợp đồng đóng mới phương tiện") and len(second) <= 200
    # Further in than the head noun, "hoặc" joins the parts of one paper.
    assert choices_of("Quyết định phê duyệt kèm theo thiết kế kỹ thuật hoặc thiết kế bản vẽ "
                      "thi công") == []


def test_leading_and_trailing_cases_are_conditions_exemptions_are_not():
    assert condition_of("Trường hợp xin giữ quốc tịch nước ngoài thì nộp đơn xin giữ quốc tịch"
                        ) == "Trường hợp xin giữ quốc tịch nước ngoài"
    assert condition_of("Đối với doanh nghiệp bảo hiểm: báo cáo tài chính đã kiểm toán"
                        ) == "Đối với doanh nghiệp bảo hiểm"
    assert condition_of("Giấy phép lao động trong trường hợp người lao động là người nước ngoài"
                        ) == "Trong trường hợp người lao động là người nước ngoài"
    assert condition_of("Trường hợp người được ủy quyền là cha, mẹ thì không cần văn bản") == ""
    assert condition_of("Tài liệu kèm theo (nếu có)") == ""


def test_rows_joined_by_hoac_and_one_of_headings_are_groups():
    text = (f"--{T}Giấy khai sinh; hoặc1 bản chínhTrích lục khai sinh1 bản chínhĐơn1 bản chính"
            f"Một trong các giấy tờ sau:{T}Hợp đồng thuê nhà1 bản chínhGiấy chứng nhận quyền sử "
            "dụng đất1 bản chính")
    docs = _docs(text)
    assert [d.group for d in docs][:3] == ["g1", "g1", ""]
    assert docs[3].group and docs[3].group == docs[4].group != "g1"


def test_papers_the_agency_looks_up_are_marked_with_where():
    assert lookup_of("Giấy tờ chứng minh nơi cư trú trong trường hợp cơ quan đăng ký hộ tịch "
                     "không thể khai thác được thông tin về nơi cư trú của công dân"
                     ) == LOOKUP_POPULATION
    assert lookup_of("Giấy chứng nhận quyền sử dụng đất. Trường hợp Giấy chứng nhận đã có trong "
                     "Cơ sở dữ liệu quốc gia về đất đai thì được thay thế bằng dữ liệu"
                     ) == LOOKUP_RESULTS
    # An identity card copy only where the procedure itself names the population database.
    card = f"--{T}Bản sao Thẻ Căn cước1 bản chính"
    assert _docs(card)[0].lookup == ""
    assert _docs(card, context="cán bộ khai thác Cơ sở dữ liệu quốc gia về dân cư"
                 )[0].lookup == LOOKUP_POPULATION


def test_the_record_parser_passes_groups_and_conditions_to_its_variant():
    parsed = parse_record({"ma_thu_tuc": "9.999999", "ten_thu_tuc": "Cấp Phiếu",
                           "thanh_phan_ho_so": JUDICIAL_RECORD})
    docs = [d for d, _ in parsed.variants[0].documents]
    assert [bool(d.group) for d in docs] == [True, True, True, False, True, False]
    assert docs[3].condition == AUTHORISATION_CONDITION
