"""Issue #17: a 2 KB PDF with 1,000 nested arrays gave a 500 on the public verification page,
its API and the desk's digitising; each now answers that the file cannot be read."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from dossiers.models import DossierDocument
from dossiers.tests import files
from results.models import StoredDocument
from results.verification import pdf_readable


def _upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("long-sau.pdf", files.deep_pdf(), content_type="application/pdf")


def test_the_crafted_file_is_small_and_unreadable():
    assert len(files.deep_pdf()) < 2500
    assert not pdf_readable(files.deep_pdf())
    assert pdf_readable(files.deep_pdf(depth=20))


def test_the_nesting_is_refused_before_python_s_recursion_limit(caplog):
    """The parser is stopped at a bounded depth (results/verification.py MAX_PARSE_NESTING), not
    by a RecursionError: its thousand-frame traceback, freed later, failed once in the garbage
    collector's finalizers (an unraisable exception in another test)."""
    import logging

    with caplog.at_level(logging.INFO, logger="results.verification"):
        assert not pdf_readable(files.deep_pdf())
    assert "PdfTooComplex: PDF objects nested deeper than 100" in caplog.text
    assert "RecursionError" not in caplog.text


def test_the_public_verification_page_answers(db):
    page = Client().post("/xac-thuc/", {"tep": _upload()})
    assert page.status_code == 200
    assert "Tệp không phải là PDF hợp lệ hoặc đã bị hỏng." in page.content.decode()


def test_the_public_verification_api_answers(db):
    answer = APIClient().post("/api/v1/xac-thuc/", {"file": _upload()}, format="multipart")
    assert answer.status_code == 200
    assert answer.json()["valid"] is False


def test_digitising_refuses_it_on_the_page_and_through_the_api(signing, org, make_dossier,
                                                               client_for):
    dossier = make_dossier()
    paper = DossierDocument.objects.filter(dossier=dossier).first()
    page = client_for(org.desk).post(f"/kho-du-lieu/so-hoa/{dossier.code}/{paper.pk}/",
                                     {"tep": _upload()}, follow=True)
    assert page.status_code == 200 and "Tệp PDF bị hỏng" in page.content.decode()
    api = APIClient()
    api.force_authenticate(org.desk)
    answer = api.post(f"/api/v1/dossiers/{dossier.code}/documents/{paper.pk}/digitise/",
                      {"file": _upload()}, format="multipart")
    assert answer.status_code == 400
    assert answer.json()["error"]["fields"] == {"file": ["Tệp PDF không đọc được."]}
    assert not StoredDocument.objects.exists()


def _wide_pdf(elements: int) -> bytes:
    """A valid page tree whose page names one array of `elements` numbers: two bytes each, so
    an 18 MB file is a 9-million-element array."""
    return _pdf_naming(b"[" + b"0 " * elements + b"]")


def _pdf_naming(extra: bytes) -> bytes:
    """A valid one-page PDF whose page names `extra` (object 4)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Foo 4 0 R >>", extra]
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def test_a_wide_pdf_is_refused_after_a_bounded_number_of_objects(db, monkeypatch):
    """Issue #17 audit: an anonymous 18 MB upload of one 9-million-element array took the public
    verification 176 s and its worker's memory to 8.7 GB (pyHanko makes a Python object of each
    element, twice). Reading stops at MAX_PARSED_OBJECTS objects: not a readable PDF."""
    from results import verification

    monkeypatch.setattr(verification, "MAX_PARSED_OBJECTS", 5_000)
    read = verification._read_object  # pyHanko's own reader, which the count wraps
    count = [0]

    def counting(*args, **kwargs):
        count[0] += 1
        return read(*args, **kwargs)

    monkeypatch.setattr(verification, "_read_object", counting)
    wide = SimpleUploadedFile("rong.pdf", _wide_pdf(20_000), content_type="application/pdf")
    answer = APIClient().post("/api/v1/xac-thuc/", {"file": wide}, format="multipart")
    assert answer.status_code == 200
    assert answer.json()["summary_en"] == "The file is not a readable PDF."
    assert count[0] <= 5_001
    # Below the limit the same shape is an ordinary document without a signature.
    count[0] = 0
    assert verification.pdf_verify(_wide_pdf(1_000)).summary_en == \
        "The document carries no digital signature."
    assert 1_000 < count[0] <= 5_000


def test_a_long_hex_string_is_refused_before_it_is_read(db, monkeypatch):
    """One hex string is one object: an 18 MB one took 19 s and 1.7 GB (pyHanko reads it a digit
    at a time). A string whose end is not within MAX_HEX_STRING_DIGITS is not read."""
    from results import verification

    monkeypatch.setattr(verification, "MAX_HEX_STRING_DIGITS", 1_000)
    long = SimpleUploadedFile("hex.pdf", _pdf_naming(b"<" + b"61" * 2_000 + b">"),
                              content_type="application/pdf")
    page = Client().post("/xac-thuc/", {"tep": long})
    assert page.status_code == 200
    assert "Tệp không phải là PDF hợp lệ hoặc đã bị hỏng." in page.content.decode()
    assert verification.pdf_verify(_pdf_naming(b"<" + b"61" * 400 + b">")).summary_en == \
        "The document carries no digital signature."
