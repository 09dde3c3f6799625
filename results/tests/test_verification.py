"""The public verification page and API (results/verification.py, results/views.py)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from results.models import StoredDocument
from results.signing import _signer_from, pdf_sign
from results.tests.conftest import PASSWORD, pdfsig_valid, tamper
from results.verification import pdf_verify


def _signed_result(make_dossier, approve) -> tuple[StoredDocument, bytes]:
    stored = StoredDocument.objects.get(dossier=approve(make_dossier()))
    with stored.file.open("rb") as f:
        return stored, f.read()


def _upload(content: bytes, name: str = "ket-qua.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_the_page_reports_signer_time_integrity_and_coverage(signing, make_dossier, approve):
    _, content = _signed_result(make_dossier, approve)
    page = Client().post("/xac-thuc/", {"tep": _upload(content)})
    html = page.content.decode()
    assert page.status_code == 200
    assert "HỢP LỆ" in html and "KHÔNG HỢP LỆ" not in html
    # The approving head's own certificate (results/tests/conftest.py OWN_HEADS).
    assert "Lanhdao" in html and "Sở Tư pháp tỉnh Thử nghiệm" in html
    assert "Nguyên vẹn" in html and "Toàn bộ tài liệu" in html and "Được tin cậy" in html

    bad = Client().post("/xac-thuc/", {"tep": _upload(tamper(content))}).content.decode()
    assert "KHÔNG HỢP LỆ" in bad and "Đã bị sửa đổi" in bad


def test_the_qr_page_shows_the_registry_entry_and_compares_the_holders_file(
        signing, make_dossier, approve):
    stored, content = _signed_result(make_dossier, approve)
    page = Client().get(f"/xac-thuc/{stored.uid}/").content.decode()
    assert stored.document_number in page and "Chữ ký số hợp lệ, nguyên vẹn" in page
    assert "056185004321" not in page and "056" in page  # the owner's ID is masked
    same = Client().post(f"/xac-thuc/{stored.uid}/", {"tep": _upload(content)}).content.decode()
    assert "trùng khớp từng byte" in same
    other = Client().post(f"/xac-thuc/{stored.uid}/",
                          {"tep": _upload(tamper(content))}).content.decode()
    assert "KHÔNG trùng khớp" in other and "KHÔNG HỢP LỆ" in other
    assert Client().get("/xac-thuc/00000000-0000-4000-8000-000000000000/").status_code == 404


def test_the_api_answers_in_the_projects_format(signing, make_dossier, approve):
    _, content = _signed_result(make_dossier, approve)
    api = APIClient()
    good = api.post("/api/v1/xac-thuc/", {"file": _upload(content)}, format="multipart").json()
    assert good["valid"] is True
    assert [s["signer"] for s in good["signatures"]] == ["Lanhdao",
                                                        "Sở Tư pháp tỉnh Thử nghiệm"]
    assert all(s["intact"] and s["trusted"] for s in good["signatures"])
    assert good["signatures"][1]["coverage"] == "file"
    bad = api.post("/api/v1/xac-thuc/", {"file": _upload(tamper(content))},
                   format="multipart").json()
    assert bad["valid"] is False and "đã bị sửa đổi" in bad["summary"]
    missing = api.post("/api/v1/xac-thuc/", {}, format="multipart")
    assert missing.status_code == 400
    assert missing.json()["error"]["fields"]["file"]


def test_a_signature_from_an_untrusted_ca_is_intact_but_not_trusted(signing, other_pki, pdfsig,
                                                                   make_dossier, approve):
    _, content = _signed_result(make_dossier, approve)
    forger = _signer_from(str(other_pki.unit), PASSWORD, "seal")
    # The forger re-signs an unsigned copy with his own look-alike certificate.
    from results.documents import RESULT_TYPES, ResultFacts, result_render

    stored = StoredDocument.objects.get()
    facts = ResultFacts(uid=str(stored.uid), title=stored.title, result_code="",
                        document_number=stored.document_number, issuer=stored.issuer_unit,
                        issued_at=stored.issued_at, valid_until=None, owner_name="X",
                        owner_id_number="", owner_address="", procedure_name="P",
                        procedure_code="1", dossier_code="D", summary="", signer_name="",
                        signer_title="", verify_url="https://example.invalid/")
    forged = pdf_sign(result_render(facts, RESULT_TYPES["answer"]), signer_list=[forger],
                      reason="giả", location="giả").content
    report = pdf_verify(forged)
    assert not report.valid
    assert report.signatures[0].intact and not report.signatures[0].trusted
    out = pdfsig(forged)
    assert "Signature is Valid." in out and "Certificate is Trusted." not in out
    assert pdfsig_valid(pdfsig(content), 2)


def test_garbage_and_unsigned_files_get_an_answer_not_an_error(signing, db):
    assert pdf_verify(b"not a pdf at all").summary == \
        "Tệp không phải là PDF hợp lệ hoặc đã bị hỏng."
    page = Client().post("/xac-thuc/", {"tep": _upload(b"%PDF-1.4 broken")})
    assert page.status_code == 200 and "KHÔNG HỢP LỆ" in page.content.decode()
    assert Client().post("/xac-thuc/", {}).status_code == 400
