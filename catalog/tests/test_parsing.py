"""The parsers of the national database's run-together cells, on fragments copied from the file.

Each fixture string is a real cell (or the start of one) of
`shared/data/procedures/national-catalog-2642.jsonl.gz`; the code of its procedure is named.
"""

from decimal import Decimal

from catalog.models import Channel, Procedure, RequiredDocument, TimeUnit
from catalog.parsing.channels import parse_channels
from catalog.parsing.documents import parse_documents, split_template
from catalog.parsing.legal import parse_legal_bases
from catalog.parsing.record import parse_record, split_applicants
from catalog.parsing.variants import DEFAULT_VARIANT
from catalog.text import fold

H = "Hình thức nộpThời gianPhí, lệ phíMô tả"
T = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"


# --- fold ---------------------------------------------------------------------------------------

def test_fold_strips_tones_and_d_and_case():
    assert fold("Hộ chiếu") == "ho chieu"
    assert fold("ĐĂNG KÝ  Khai sinh\n") == "dang ky khai sinh"
    assert fold("Ưu đãi ơn giời ă â ê ô") == "uu dai on gioi a a e o"


def test_fold_handles_text_that_arrives_decomposed():
    assert fold("Hô\u0323 chiê\u0301u") == "ho chieu"


# --- cach_thuc_thuc_hien ------------------------------------------------------------------------

def test_calendar_days_and_free_fee_per_channel():
    # 1.011607
    result = parse_channels(f"{H}Dịch vụ bưu chính15 NgàyMiễn phíTrực tiếp15 NgàyMiễn phí")
    assert result.issues == []
    assert [r.channel for r in result.rows] == [Channel.POST, Channel.COUNTER]
    row = result.rows[1]
    assert (row.time.amount, row.time.unit) == (Decimal(15), TimeUnit.CALENDAR_DAYS)
    assert [(f.name, f.amount) for f in row.fees] == [("Miễn phí", 0)]


def test_amount_in_vnd_with_thousands_separator():
    # 1.001321
    row = parse_channels(f"{H}Trực tiếp7 Ngày làm việc2,000 Việt Nam Đồng(2.000 đồng/thẻ)").rows[0]
    assert (row.time.amount, row.time.unit) == (Decimal(7), TimeUnit.WORKING_DAYS)
    assert [(f.amount, f.description) for f in row.fees] == [(2000, "2.000 đồng/thẻ")]


def test_vnd_amount_entered_in_thousands_is_scaled_and_explained():
    # 3.000349: "135 VNĐ" whose note says 135.000 đồng
    row = parse_channels(f"{H}Trực tiếp5 Ngày làm việc135 VNĐ(Lệ phí cấp giấy phép lái xe: "
                         "135.000 đồng/lần.)").rows[0]
    fee = row.fees[0]
    assert fee.amount == 135000
    assert fee.name == "Lệ phí cấp giấy phép lái xe"
    assert "«135 VNĐ»" in fee.description


def test_usd_fee_has_no_amount_in_dong_and_keeps_the_figure():
    # 1.003358: one row in USD, one entered as "155 VNĐ" whose note says 155 USD
    text = (f"{H}Trực tuyến5 Ngày làm việc145 USD(Thẻ tạm trú có thời hạn không quá 02 năm: "
            "145 USD/thẻ.)Trực tuyến: nộp hồ sơ trực tuyến qua Cổng dịch vụ công quốc gia hoặc "
            "Cổng dịch vụ công Bộ Công an. Không quá 05 ngày làm việc kể từ khi nhận đủ hồ sơ."
            "Trực tiếp5 Ngày làm việc155 VNĐ(Thẻ tạm trú có thời hạn từ trên 02 năm đến 05 năm: "
            "155 USD/thẻ.)Trực tiếp nộp hồ sơ và nhận kết quả tại trụ sở Cục Quản lý xuất nhập "
            "cảnh. Không quá 05 ngày làm việc kể từ khi nhận đủ hồ sơ.")
    result = parse_channels(text)
    # "Trực tuyến: nộp…" and "Trực tiếp nộp…" are descriptions, not rows
    assert [r.channel for r in result.rows] == [Channel.ONLINE, Channel.COUNTER]
    online, counter = result.rows
    assert online.fees[0].amount is None and "145 USD" in online.fees[0].description
    assert online.description.startswith("Trực tuyến: nộp hồ sơ")
    assert counter.fees[0].amount is None and "155 USD" in counter.fees[0].description


def test_bare_time_glued_to_amount_is_split_by_the_note():
    # 1.007839: time "1" (no unit) then fee "20 VNĐ" meaning 20.000 đồng
    row = parse_channels(f"{H}Trực tiếp120 VNĐ(20.000 đồng)").rows[0]
    assert row.time is None
    assert row.bare_amount == Decimal(1)
    assert row.fees[0].amount == 20000


def test_ambiguous_glued_time_and_amount_is_reported_not_guessed():
    # 2.002015: "125 VNĐ" is 1 + 25 or 12 + 5; nothing says which
    result = parse_channels(
        f"{H}Trực tuyến1Miễn phí(Miễn lệ phí đăng ký doanh nghiệp đối với trường hợp đăng ký "
        "qua mạng điện tử, đăng ký thành lập trên cơ sở chuyển đổi từ hộ kinh doanh (Thông tư số "
        "47/2019/TT-BTC).)Dịch vụ bưu chính125 VNĐTrực tiếp125 VNĐ")
    online, post, counter = result.rows
    assert online.bare_amount == Decimal(1) and online.fee_parsed
    assert post.bare_amount is None and post.fees == [] and not post.fee_parsed
    assert [i.fragment for i in result.issues] == ["125 VNĐ", "125 VNĐ"]


def test_decimal_working_days():
    # 1.013097
    row = parse_channels(f"{H}Trực tuyến1.5 Ngày làm việc40,000 Việt Nam Đồng(- Xe ô tô trên "
                         "10 chỗ)- Trường hợp Giấy chứng nhận cải tạo bị mất").rows[0]
    assert (row.time.amount, row.time.unit) == (Decimal("1.5"), TimeUnit.WORKING_DAYS)
    assert row.fees[0].amount == 40000
    assert row.description.startswith("- Trường hợp")


def test_hours_and_months():
    # 1.008615, 2.000511
    hours = parse_channels(f"{H}Trực tiếp8 GiờMiễn phí").rows[0]
    assert (hours.time.amount, hours.time.unit) == (Decimal(8), TimeUnit.WORKING_HOURS)
    months = parse_channels(f"{H}Trực tiếp12 ThángKhông có thông tin").rows[0]
    assert (months.time.amount, months.time.unit) == (Decimal(12), TimeUnit.MONTHS)
    assert months.fees == [] and months.fee_parsed


def test_worded_time_is_reported_and_the_fee_still_read():
    # 1.115132
    result = parse_channels(
        f"{H}Trực tuyếnKhông phải trả kết quả cho người nộp thuếKhông có thông tinTrực tuyến "
        "qua Cổng dịch vụ công quốc gia hoặc Ứng dụng định danh quốc gia")
    row = result.rows[0]
    assert row.time is None and row.fee_parsed
    assert row.description.startswith("Trực tuyến qua Cổng")
    assert result.issues[0].fragment == "Không phải trả kết quả cho người nộp thuế"


def test_placeholders_give_no_time_and_no_issue():
    # 1.009825 ("Không" then "Không có thông tin") and 1.000232
    result = parse_channels(
        f"{H}Trực tiếpKhôngKhông có thông tinTại Trung tâm phục vụ hành chính công cấp tỉnh, xã"
        "Trực tuyếnKhôngKhông có thông tinQua Cổng dịch vụ công Quốc gia")
    assert result.issues == []
    assert [(r.time, r.fees) for r in result.rows] == [(None, []), (None, [])]
    result = parse_channels(
        f"{H}Trực tuyếnKhông có thông tinKhông có thông tinTrực tuyến: nộp hồ sơ trực tuyến qua "
        "Cổng dịch vụ công quốc gia hoặc Cổng dịch vụ công Bộ Công an.")
    assert len(result.rows) == 1 and result.issues == []


def test_bare_number_keeps_the_amount_only():
    # 1.007738
    row = parse_channels(f"{H}Trực tuyến1Miễn phí").rows[0]
    assert row.time is None and row.bare_amount == Decimal(1) and row.fee_parsed


# --- thanh_phan_ho_so ---------------------------------------------------------------------------

def test_document_with_template_file():
    # 1.002508
    result = parse_documents(f"--{T}Tờ khai xóa đăng ký theo mẫuMuTkhaixaK.docx1 bản chính")
    assert result.parsed and result.issues == []
    (doc,) = result.documents
    assert (doc.name, doc.template_name, doc.copy_kind, doc.count) == (
        "Tờ khai xóa đăng ký theo mẫu", "MuTkhaixaK.docx", RequiredDocument.CopyKind.ORIGINAL, 1)


def test_copy_only_and_original_or_copy():
    # 1.002181, 1.012782 ("Mẫu số 18" glued to the count "1 bản chính")
    (doc,) = parse_documents(f"--{T}Giấy tờ chứng minh về trụ sở0 bản chính,1 bản sao").documents
    assert (doc.copy_kind, doc.count) == (RequiredDocument.CopyKind.COPY, 1)
    docs = parse_documents(f"--{T}Bản gốc Giấy chứng nhận đã cấp.1 bản chính,1 bản saoĐơn đăng ký "
                           "biến động đất đai, tài sản gắn liền với đất theo Mẫu số 181 bản "
                           "chính,1 bản sao").documents
    assert [d.name for d in docs] == [
        "Bản gốc Giấy chứng nhận đã cấp.",
        "Đơn đăng ký biến động đất đai, tài sản gắn liền với đất theo Mẫu số 18"]
    assert {d.copy_kind for d in docs} == {RequiredDocument.CopyKind.ORIGINAL_OR_COPY}


def test_name_saying_original_or_certified_copy():
    # 3.000444
    docs = parse_documents(f"--{T}- Văn bản đề nghị công nhận hoàn thành tập sự;1 bản chínhBản "
                           "chính hoặc bản sao có chứng thực hoặc bản sao điện tử báo cáo kết quả "
                           "tập sự, Sổ nhật ký tập sự1 bản chính").documents
    assert docs[0].name == "Văn bản đề nghị công nhận hoàn thành tập sự"
    assert docs[1].copy_kind == RequiredDocument.CopyKind.ORIGINAL_OR_COPY


def test_if_any_makes_a_paper_optional():
    # 2.002239
    result = parse_documents(f"(Đối với người mua hàng){T}- Biên bản thanh lý hợp đồng (nếu có)."
                             "1 bản chính- Phiếu thu tiền;1 bản chính- Hợp đồng mua, bán (nếu có);"
                             "1 bản chính")
    assert [(d.name, d.optional) for d in result.documents] == [
        ("Biên bản thanh lý hợp đồng (nếu có).", True),
        ("Phiếu thu tiền", False),
        ("Hợp đồng mua, bán (nếu có)", True)]
    assert result.sections[0].is_case


def test_zero_count_rows_are_notes_and_tables_keep_their_headings():
    # 1.000593
    text = (f"* Giấy tờ phải nộp:{T}- Tờ khai đăng ký kết hôn theo mẫu. Hai bên nam, nữ có thể "
            f"khai chung vào một Tờ khai đăng ký kết hôn.1 bản chính* Giấy tờ phải xuất trình:{T}"
            "- Hộ chiếu/Thẻ căn cước công dân/Thẻ căn cước/Căn cước điện tử.1 bản chínhTrường "
            "hợp không khai thác được thông tin hoặc thông tin khai thác được không đầy đủ, không "
            "chính xác thì cơ quan đăng ký hộ tịch yêu cầu xuất trình bản chính giấy tờ."
            "0 bản chính")
    result = parse_documents(text)
    assert result.issues == []
    assert [(s.heading, s.is_case, len(s.documents), len(s.notes)) for s in result.sections] == [
        ("* Giấy tờ phải nộp", False, 1, 0), ("* Giấy tờ phải xuất trình", False, 1, 1)]


def test_zero_padded_count_inside_a_name_is_prose():
    # 1.000811: "+ 01 bản chính văn bản cho phép…" is a name, not a count cell
    result = parse_documents(
        f"--{T}+ 01 tờ khai đề nghị cấp thẻ ABTC (mẫu TK06) ban hành kèm theo Quyết định số "
        "09/2023/QĐ-TTg.Tờ khai đề nghị cấp thẻ ABTC (mẫu TK06) (1).pdf1 bản chính+ 01 bản chính "
        "văn bản cho phép sử dụng thẻ của cấp có thẩm quyền.1 bản chính")
    names = [d.name for d in result.documents]
    assert names == ["01 tờ khai đề nghị cấp thẻ ABTC (mẫu TK06) ban hành kèm theo Quyết định số "
                     "09/2023/QĐ-TTg.",
                     "01 bản chính văn bản cho phép sử dụng thẻ của cấp có thẩm quyền."]
    assert result.documents[0].template_name == "Tờ khai đề nghị cấp thẻ ABTC (mẫu TK06) (1).pdf"


def test_template_boundaries_seen_in_the_file():
    assert split_template("Giấy đề nghị theo Mẫu số 34 Phụ lục V ban hành kèm theo Nghị định số "
                          "33/2026/NĐ-CPMẫu số 34.docx") == (
        "Giấy đề nghị theo Mẫu số 34 Phụ lục V ban hành kèm theo Nghị định số 33/2026/NĐ-CP",
        "Mẫu số 34.docx")
    name, files = split_template("Bản tổng hợp thành tích.Mẫu số 01.docxMẫu số 09 NĐ 152.docx")
    assert (name, files) == ("Bản tổng hợp thành tích.", "Mẫu số 01.docx; Mẫu số 09 NĐ 152.docx")
    assert split_template("Văn bản đề nghị điều chỉnh dự án đầu tư;Mẫu I.1.8.d.docx")[1] == (
        "Mẫu I.1.8.d.docx")


def test_empty_and_missing_tables():
    assert parse_documents("--").parsed and parse_documents("--").documents == []
    # 1.001601: the cell holds a fragment of the steps, not a table
    result = parse_documents(".\nBước 2. Nộp hồ sơ a) Đối với nhận chế độ BHXH hàng tháng")
    assert not result.parsed and result.issues


# --- can_cu_phap_ly -----------------------------------------------------------------------------

def test_legal_rows_with_numbers_glued_to_titles():
    # 1.000178
    result = parse_legal_bases(
        "Tên văn bản pháp lýMã văn bảnHướng dẫn xử lý khiếu nại, kiến nghị, phản ánh; giải quyết "
        "khiếu nại và quản lý công tác giải quyết khiếu nại trong công an nhân dân68/2013/TT-BCA"
        "Luật Khiếu nại  năm 201102/2011/QH13Quy định quy trình giải quyết khiếu nại trong công "
        "an nhân dân11/2015/TT-BCANghị định 05/2012/NĐ-CP05/2012/NĐ-CP")
    assert result.issues == []
    assert [(b.title[-25:], b.number) for b in result.bases] == [
        ("i quyết khiếu nại trong công an nhân dân"[-25:], "68/2013/TT-BCA"),
        ("Luật Khiếu nại  năm 2011", "02/2011/QH13"),
        ("quyết khiếu nại trong công an nhân dân"[-25:], "11/2015/TT-BCA"),
        ("Nghị định 05/2012/NĐ-CP", "05/2012/NĐ-CP")]


def test_legal_number_column_with_its_own_prefix():
    # 1.001579, 3.000042, 1.007878
    result = parse_legal_bases("Tên văn bản pháp lýMã văn bảnLuật Các tổ chức tín dụngLuật số "
                               "32/2024/QH1573/2025/TT-NHNNSố 73/2025/TT-NHNN")
    assert [(b.title, b.number) for b in result.bases] == [
        ("Luật Các tổ chức tín dụng", "Luật số 32/2024/QH15"),
        ("73/2025/TT-NHNN", "Số 73/2025/TT-NHNN")]
    result = parse_legal_bases("Tên văn bản pháp lýMã văn bảnvề cấp và quản lý bảo lãnh Chính "
                               "phủNghị định số 92/2018/NĐ-CP")
    assert [(b.title, b.number) for b in result.bases] == [
        ("về cấp và quản lý bảo lãnh Chính phủ", "Nghị định số 92/2018/NĐ-CP")]
    result = parse_legal_bases("Tên văn bản pháp lýMã văn bảnLuật 54/2014/QH1354/2014/QH13")
    assert [(b.title, b.number) for b in result.bases] == [("Luật 54/2014/QH13", "54/2014/QH13")]


def test_legal_tail_without_number_is_reported():
    # 3.000353 ends with a title that has no number
    result = parse_legal_bases("Tên văn bản pháp lýMã văn bảnLuật Hóa chất")
    assert result.bases == [] and result.issues[0].fragment == "Luật Hóa chất"
    assert parse_legal_bases("Không có thông tin").bases == []


# --- whole records ------------------------------------------------------------------------------

def test_applicant_labels_keep_their_own_commas():
    assert split_applicants("Cán bộ, công chức, viên chức, Công dân Việt Nam") == [
        "Cán bộ, công chức, viên chức", "Công dân Việt Nam"]
    assert split_applicants("Tổ chức (không bao gồm doanh nghiệp, HTX), Doanh nghiệp") == [
        "Tổ chức (không bao gồm doanh nghiệp, HTX)", "Doanh nghiệp"]


def _record(**fields: str) -> dict:
    base = {"ma_thu_tuc": "9.999999", "ten_thu_tuc": "Thủ tục thử", "cap_thuc_hien": "Cấp tỉnh",
            "cach_thuc_thuc_hien": f"{H}Trực tiếp5 Ngày làm việcMiễn phí",
            "thanh_phan_ho_so": "--", "can_cu_phap_ly": "Không có thông tin"}
    base.update(fields)
    return base


def test_levels_and_the_level_closest_to_the_applicant():
    parsed = parse_record(_record(cap_thuc_hien="Cấp bộ, Cấp tỉnh, Cấp xã, Cơ quan khác"))
    assert parsed.levels == ["bo", "tinh", "xa", "khac"]
    assert parsed.level == Procedure.Level.COMMUNE
    assert parse_record(_record(cap_thuc_hien="Cấp bộ, Cấp tỉnh")).level == "tinh"


def test_online_level_rule():
    assert parse_record(_record()).online_level == Procedure.OnlineLevel.INFORMATION
    online = f"{H}Trực tuyến8 GiờMiễn phíTrực tiếp8 GiờMiễn phí"
    assert parse_record(_record(cach_thuc_thuc_hien=online)).online_level == "partial"
    # 1.013083
    full = parse_record(_record(cach_thuc_thuc_hien=online, ten_thu_tuc=(
        "Đăng ký xe tạm thời thực hiện bằng dịch vụ công  trực  tuyến toàn trình")))
    assert full.online_level == Procedure.OnlineLevel.FULL


def test_result_codes_and_portal_widgets_removed():
    # 1.003563
    parsed = parse_record(_record(ket_qua_xu_ly=(
        "Giấy chứng nhận an toàn kỹ thuật tàu cáMã: KQ.G10.000145Từ khóaKhông có thông tinMô tả"
        "Không có thông tinChọn cơ quan thực hiệnTỉnh/ Thành phốBộ ngànhNộp hồ sơ")))
    assert parsed.result_codes == ["KQ.G10.000145"]
    assert "Chọn cơ quan" not in parsed.result_text


def test_several_limits_for_one_channel_become_named_variants():
    # 3.000159
    row4 = ("4 Ngày làm việcMiễn phíTrường hợp hồ sơ hợp lệ: 04 ngày làm việc kể từ ngày nhận "
            "được hồ sơ đầy đủ, hợp lệ.")
    row6 = ("6 Ngày làm việcMiễn phíTrường hợp hồ sơ hợp lệ, cơ quan Kiểm lâm sở tại quyết định "
            "tăng thời hạn kiểm tra (khi có thông tin vi phạm): 06 ngày làm việc kể từ ngày nhận "
            "được hồ sơ đầy đủ, hợp lệ.")
    text = f"{H}Trực tuyến{row4}Trực tiếp{row6}Trực tuyến{row6}Trực tiếp{row4}"
    parsed = parse_record(_record(cach_thuc_thuc_hien=text))
    assert [v.name for v in parsed.variants] == [
        "Trường hợp hồ sơ hợp lệ",
        "Trường hợp hồ sơ hợp lệ, cơ quan Kiểm lâm sở tại quyết định tăng thời hạn kiểm tra "
        "(khi có thông tin vi phạm)"]
    assert [[(t.channel, t.amount) for t in v.time_limits] for v in parsed.variants] == [
        [(Channel.ONLINE, 4), (Channel.COUNTER, 4)], [(Channel.COUNTER, 6), (Channel.ONLINE, 6)]]
    assert parsed.issues == []


def test_unit_less_time_is_an_issue_and_no_limit():
    # 1.001193 (Thủ tục đăng ký khai sinh)
    parsed = parse_record(_record(cach_thuc_thuc_hien=(
        f"{H}Trực tuyến1Miễn phíDịch vụ bưu chính1Miễn phíTrực tiếp1Miễn phí")))
    assert not parsed.has_time_limit
    assert parsed.variants[0].name == DEFAULT_VARIANT
    assert sum("không ghi đơn vị" in i.problem for i in parsed.issues) == 3


def test_empty_time_cell_takes_the_single_limit_its_description_states():
    # 1.004415
    parsed = parse_record(_record(cach_thuc_thuc_hien=(
        f"{H}Dịch vụ bưu chínhKhông có thông tinMiễn phí15 ngày kể từ ngày nhận được hồ sơ hợp lệ"
        "Trực tiếpKhông có thông tinMiễn phí15 ngày kể từ ngày nhận được hồ sơ hợp lệ")))
    limits = parsed.variants[0].time_limits
    assert [(t.channel, t.amount, t.unit) for t in limits] == [
        (Channel.POST, 15, TimeUnit.CALENDAR_DAYS), (Channel.COUNTER, 15, TimeUnit.CALENDAR_DAYS)]
    assert parsed.inferred_time_limits == 2
    assert all("cần kiểm tra" in i.problem for i in parsed.issues)


def test_case_papers_are_conditional_when_other_papers_exist():
    # Needed only in their case: the heading is the condition the desk ticks (not "optional",
    # which would let the desk skip it when the case does apply).
    parsed = parse_record(_record(thanh_phan_ho_so=(
        f"--{T}Tờ khai1 bản chính* Trường hợp ủy quyền:{T}Văn bản ủy quyền1 bản chính")))
    assert [(d.name, d.optional, d.condition, section)
            for d, section in parsed.variants[0].documents] == [
        ("Tờ khai", False, "", ""),
        ("Văn bản ủy quyền", False, "Trường hợp ủy quyền", "* Trường hợp ủy quyền")]


def test_a_list_made_of_alternatives_becomes_variants():
    # 1.012786 (Cấp lại Giấy chứng nhận do bị mất), shortened
    parsed = parse_record(_record(thanh_phan_ho_so=(
        f"a) Đối với trường hợp cấp lại Giấy chứng nhận bị mất:{T}(1) Đơn đăng ký biến động đất "
        f"đai.1 bản chính,1 bản saob) Đối với trường hợp mất Trang bổ sung:{T}(2) Bản gốc Giấy "
        "chứng nhận đã cấp.1 bản chính")))
    assert [(v.name, [d.name for d, _ in v.documents]) for v in parsed.variants] == [
        ("Đối với trường hợp cấp lại Giấy chứng nhận bị mất", ["Đơn đăng ký biến động đất đai."]),
        ("Đối với trường hợp mất Trang bổ sung", ["Bản gốc Giấy chứng nhận đã cấp."])]
    assert all(v.time_limits for v in parsed.variants)
