"""Issue #16: every form PDF keeps its column headers and dossier codes whole at the widest real
data — the longest unit and procedure names of the national catalogue, a company's full name, a
long address — read back with poppler's pdftotext in content order (-raw), where a word broken
across lines shows as two tokens."""

import shutil
import subprocess

import pytest
from django.urls import reverse

from accounts.models import Unit
from dossiers.models import State
from dossiers.printing.pdf import CELL_HEAD, column_widths
from dossiers.tests.test_transitions import REASON, _act, reach

PDFTOTEXT = shutil.which("pdftotext")

# Real names at their widest (the national catalogue and the list of units).
PROCEDURE = ("Cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền "
             "với đất cho tổ chức, cơ sở tôn giáo, người Việt Nam định cư ở nước ngoài, doanh "
             "nghiệp có vốn đầu tư nước ngoài thực hiện dự án đầu tư xây dựng nhà ở để bán hoặc "
             "để bán kết hợp cho thuê")
CENTRE = "Trung tâm Phục vụ hành chính công và Kiểm soát thủ tục hành chính tỉnh Thử nghiệm"
DEPT = "Sở Nông nghiệp và Môi trường tỉnh Thử nghiệm (Văn phòng Đăng ký đất đai)"
COMPANY = {"kind": 2, "name": "Công ty Trách nhiệm hữu hạn Một thành viên Thương mại Dịch vụ "
           "Xuất nhập khẩu Nông sản và Vật tư Nông nghiệp Nguyễn Hoàng Phúc Khánh Hòa",
           "id_number": "0100109106",
           "address": "Lô C12-C13, đường số 4, Khu công nghiệp Suối Dầu, xã Suối Tân, huyện "
                      "Cam Lâm (nay là xã Suối Dầu), tỉnh Khánh Hòa",
           "phone": "02583812345"}

HEADERS = {
    "01": ["TT", "Tên giấy tờ", "Hình thức", "Số lượng"],
    "05": ["Tên cơ quan", "Thời gian giao, nhận hồ sơ", "Người giao", "Người nhận", "Kết quả",
           "Ghi chú"],
    "06": ["STT", "Mã hồ sơ", "Tên thủ tục", "Tên cá nhân, tổ chức", "Địa chỉ, số điện thoại",
           "Cơ quan chủ trì giải quyết", "Nhận hồ sơ", "Hẹn trả kết quả", "Trả kết quả",
           "Hình thức nhận kết quả", "Ký nhận"],
}


def raw_tokens(content: bytes) -> list[str]:
    assert content.startswith(b"%PDF-")
    if PDFTOTEXT is None:
        pytest.fail("pdftotext (Debian package poppler-utils) is needed to read PDFs back")
    out = subprocess.run([PDFTOTEXT, "-raw", "-", "-"], input=content, capture_output=True,
                         check=True)
    return out.stdout.decode("utf-8").split()


def assert_whole(tokens: list[str], words: list[str], where: str) -> None:
    """Each of `words` is one token of the text, in the order given: none broken across lines."""
    joined = " ".join(t.strip("(),;:.") for t in tokens)
    for word in words:
        assert f" {word} " in f" {joined} ", f"{where}: «{word}» is broken in: {joined}"


@pytest.fixture
def wide(org, make_dossier):
    Unit.objects.filter(pk=org.centre.pk).update(name=CENTRE)
    Unit.objects.filter(pk=org.dept.pk).update(name=DEPT)
    org.procedure.name = PROCEDURE
    org.procedure.save(update_fields=["name"])
    org.centre.refresh_from_db()
    org.dept.refresh_from_db()
    return lambda **kw: make_dossier(applicant=COMPANY, **kw)


def _pdf(client, code, form) -> list[str]:
    r = client.get(reverse("dossiers:form_pdf", args=[code, form]))
    assert r.status_code == 200, r.content[:200]
    return raw_tokens(r.content)


def _header_words(form: str) -> list[str]:
    return [w.strip(",") for h in HEADERS[form] for w in h.split()]


def test_forms_01_to_05_keep_codes_and_headers_whole(client_for, org, wide):
    d = wide()
    desk = client_for(org.desk)
    for form in ("01", "05"):
        tokens = _pdf(desk, d.code, form)
        assert_whole(tokens, [d.code], f"Form {form}")
        assert_whole(tokens, _header_words(form), f"Form {form}")
    supplement = reach(org, wide, State.SUPPLEMENT_REQUESTED)
    assert_whole(_pdf(client_for(org.specialist), supplement.code, "02"), [supplement.code],
                 "Form 02")
    refused = reach(org, wide, State.REFUSED)
    assert_whole(_pdf(desk, refused.code, "03"), [refused.code], "Form 03")
    late = reach(org, wide, State.PROCESSING)
    _act(late, org.head, "apologize", "2026-03-03 09:00", reason=REASON,
         data={"new_due_at": "2026-03-10T09:00:00+07:00"})
    assert_whole(_pdf(client_for(org.head), late.code, "04"), [late.code], "Form 04")


def test_form06_keeps_its_headers_and_every_code_whole(client_for, org, wide):
    made = [wide(when=f"2026-03-{day:02d} 09:00") for day in (2, 3, 4, 5, 6)]
    r = client_for(org.desk).get(reverse("dossiers:register_pdf"),
                                 {"tu-ngay": "2026-03-01", "den-ngay": "2026-03-31"})
    tokens = raw_tokens(r.content)
    assert_whole(tokens, [d.code for d in made], "Form 06")
    assert_whole(tokens, _header_words("06"), "Form 06")


def test_columns_are_fitted_to_their_longest_word():
    code = "000.00.12.H56-261123-0001"
    widths = column_widths(["STT", "Mã hồ sơ", "Tên"], [[1, code, "x " * 200]],
                           [10.0, 60.0, 400.0], small=True)
    assert sum(widths) == pytest.approx(470.0)
    from reportlab.pdfbase.pdfmetrics import stringWidth

    assert widths[0] >= stringWidth("STT", f"{CELL_HEAD.fontName}", 8.5) + 12
    assert widths[1] >= stringWidth(code, "DejaVuSerif", 8.5) + 12
    # Nothing to move when every column already holds its words.
    assert column_widths(["A"], [["b"]], [100.0]) == [100.0]
