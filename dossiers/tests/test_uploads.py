"""Uploads are accepted or refused by what the bytes are, never by the file name."""

import io
import zipfile

import pytest

from dossiers.tests import files
from dossiers.uploads import UploadRejected, file_type_detect, total_check, upload_check


def test_each_allowed_type_is_recognised_by_content():
    assert upload_check("a.pdf", files.PDF).kind == "pdf"
    assert upload_check("a.jpg", files.image("JPEG")).kind == "jpeg"
    assert upload_check("a.png", files.image("PNG")).kind == "png"
    assert upload_check("a.docx", files.docx()).kind == "docx"
    assert upload_check("a.xlsx", files.xlsx()).kind == "xlsx"


def test_exe_named_pdf_is_refused_naming_the_file():
    exe = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200 + b"This program cannot be run in DOS"
    with pytest.raises(UploadRejected) as err:
        upload_check("to-khai.pdf", exe)
    assert "to-khai.pdf" in err.value.message
    assert "không phải PDF" in err.value.message


def test_text_named_pdf_is_refused():
    with pytest.raises(UploadRejected, match="ghi-chu.pdf"):
        upload_check("ghi-chu.pdf", "Đây là văn bản thường".encode())


def test_png_named_pdf_is_accepted_as_png():
    # Documented rule (docs/online.md): the content decides; the stored type is PNG.
    kind = upload_check("scan.pdf", files.image("PNG"))
    assert kind.kind == "png" and kind.content_type == "image/png"


def test_truncated_pdf_is_refused_as_damaged():
    with pytest.raises(UploadRejected) as err:
        upload_check("giay-khai-sinh.pdf", files.PDF[:-20])
    assert "giay-khai-sinh.pdf" in err.value.message and "bị hỏng" in err.value.message


def test_truncated_images_are_refused():
    for fmt in ("PNG", "JPEG"):
        data = files.image(fmt)
        with pytest.raises(UploadRejected, match="bị hỏng"):
            upload_check(f"anh.{fmt.lower()}", data[: len(data) // 2])


def test_empty_file_is_refused():
    with pytest.raises(UploadRejected) as err:
        upload_check("rong.pdf", b"")
    assert "rong.pdf" in err.value.message and "rỗng" in err.value.message


def test_too_big_file_is_refused(settings):
    settings.MOTCUA_UPLOAD_MAX_FILE_MB = 0.001  # about 1 KB
    with pytest.raises(UploadRejected) as err:
        upload_check("lon.pdf", files.PDF + b"%" * 2000 + b"\n%%EOF")
    assert "lon.pdf" in err.value.message and "vượt quá" in err.value.message


def test_too_much_per_dossier_is_refused(settings):
    settings.MOTCUA_UPLOAD_MAX_DOSSIER_MB = 0.01  # about 10 KB
    total_check(existing_bytes=5000, new_sizes=[4000])
    with pytest.raises(UploadRejected, match="Tổng dung lượng"):
        total_check(existing_bytes=5000, new_sizes=[4000, 2000])


def test_zip_that_is_not_office_and_macro_documents_are_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "hello")
    assert file_type_detect(buf.getvalue()) is None
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "application/vnd.ms-word.document.macroEnabled.main+xml")
    assert file_type_detect(buf.getvalue()) is None
    assert file_type_detect(files.docx()) is not None
