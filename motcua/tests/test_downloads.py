"""The headers of a file built on the fly (motcua.downloads.generated_attachment)."""

from feedback.tests.conftest import pakn  # noqa: F401 - fixture
from motcua.downloads import download_filename, generated_attachment


def test_a_file_name_cannot_split_the_header_or_name_a_folder():
    assert download_filename("bao-cao-2026.xlsx") == "bao-cao-2026.xlsx"
    # A CR/LF would end the header and start another one; a slash names a folder.
    assert download_filename('x.pdf"\r\nSet-Cookie: a=b') == "x.pdf- Set-Cookie- a=b"
    assert download_filename("../../etc/passwd") == "etc-passwd"
    assert download_filename("  \u202e ") == "tep"
    assert len(download_filename("a" * 400)) == 150


def test_a_generated_file_is_an_attachment_under_the_download_headers():
    response = generated_attachment(b"a,b\n", filename="Báo cáo quý 1/2026.csv",
                                    content_type="text/csv; charset=utf-8")
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''B%C3%A1o%20c%C3%A1o%20qu%C3%BD%201-2026.csv")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    shown = generated_attachment(b"%PDF-", filename="mau-01.pdf", content_type="application/pdf",
                                 inline=True)
    assert shown["Content-Disposition"] == 'inline; filename="mau-01.pdf"'
    assert shown["X-Content-Type-Options"] == "nosniff"
    assert shown["Cache-Control"] == "private, no-store"


def test_an_uploads_name_ends_in_the_extension_of_what_its_content_is():
    from motcua.downloads import download_filename_for

    jpeg, pdf = "image/jpeg", "application/pdf"
    assert download_filename_for("ảnh giấy hẹn.jpeg", jpeg) == "ảnh giấy hẹn.jpeg"
    assert download_filename_for("SCAN.JPG", jpeg) == "SCAN.JPG"
    assert download_filename_for("anh.hta", jpeg) == "anh.jpg"
    assert download_filename_for("don.pdf.bat", pdf) == "don.pdf.pdf"
    assert download_filename_for("bang-chung.html", "image/png") == "bang-chung.png"
    assert download_filename_for("khong-duoi", pdf) == "khong-duoi.pdf"
    assert download_filename_for(".hta", jpeg) == "hta.jpg"
    assert download_filename_for("", pdf) == "tep.pdf"
    # A type uploads may not be (an administrator's template): the cleaned name as it was.
    assert download_filename_for("mau.doc", None) == "mau.doc"
    assert download_filename_for("mau.doc", "application/msword") == "mau.doc"


def test_an_anonymous_senders_polyglot_is_saved_as_the_picture_it_was_accepted_as(
        pakn, settings, tmp_path):  # noqa: F811 - the imported fixture
    """audit6: the feedback form (no account) kept the name the sender gave; a PNG that is
    also an HTA script, sent as "bang-chung.hta", passed the content check as a PNG and was
    handed to the officer under its .hta name, which Windows runs when it is opened."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from PIL import Image

    from feedback.tests.test_views import _send, _staff

    settings.MEDIA_ROOT = tmp_path
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, "PNG")
    polyglot = out.getvalue() + b"<script>new ActiveXObject('WScript.Shell').Run('calc')</script>"
    item, _ = _send(Client(), unit=str(pakn.centre.pk),
                    files=[SimpleUploadedFile("bang-chung.hta", polyglot)])
    row = item.attachments.get()
    answer = _staff(pakn.receiver).get(f"/phan-anh/can-bo/{item.code}/tep/{row.pk}/")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "image/png"
    assert answer["Content-Disposition"] == 'attachment; filename="bang-chung.png"'
