"""Issue #17: uploads cost bounded memory (decompressed sizes and pixel counts are checked before
anything is decoded), refusals say the real reason, and PDFs that can act are flagged to staff."""

import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dossiers.models import DossierFile
from dossiers.services.files import files_check
from dossiers.tests import files
from dossiers.uploads import UploadRejected, pdf_active_content, upload_check


def test_a_file_too_big_is_told_its_real_size(settings):
    settings.MOTCUA_UPLOAD_MAX_FILE_MB = 1
    upload = SimpleUploadedFile("ban-quet.pdf", files.PDF + b"%" * (int(2.5 * 1024 * 1024)))
    with pytest.raises(UploadRejected) as refused:
        files_check([(None, upload)], existing_bytes=0)
    assert "dung lượng 2.5 MB vượt quá mức tối đa 1 MB" in refused.value.message
    assert "2.5 MB is more than the 1 MB allowed" in refused.value.message_en


def test_an_office_file_that_inflates_past_the_budget_is_called_what_it_is(settings):
    settings.MOTCUA_UPLOAD_MAX_UNPACKED_MB = 2
    with pytest.raises(UploadRejected) as refused:
        upload_check("to-khai.docx", files.zip_bomb(3))
    message = refused.value.message
    assert "bung ra hơn 2 MB" in message and "bị hỏng" not in message
    # Within the budget, the same kind of file is a document.
    assert upload_check("to-khai.docx", files.zip_bomb(1)).kind == "docx"


def test_a_part_that_lies_about_its_size_is_refused_without_inflating_it(settings):
    """A part declaring 100 bytes is inflated to 100 bytes, then fails its checksum: refused
    as damaged, having cost next to nothing."""
    import io
    import zipfile

    settings.MOTCUA_UPLOAD_MAX_UNPACKED_MB = 1
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\0" * (32 * 1024 * 1024))
    data = bytearray(buf.getvalue())
    # Rewrite the declared size of the big part (central directory) to 100 bytes.
    central = data.rindex(b"PK\x01\x02")
    data[central + 24:central + 28] = (100).to_bytes(4, "little")
    with pytest.raises(UploadRejected, match="bị hỏng"):
        upload_check("bom.docx", bytes(data))


def test_an_image_over_the_pixel_limit_is_refused_before_decoding(settings):
    settings.MOTCUA_UPLOAD_MAX_MEGAPIXELS = 36
    # 79 megapixels in the header (8900 × 8900): refused by its header, with the count.
    with pytest.raises(UploadRejected) as refused:
        upload_check("anh.png", files.png_claiming(8900, 8900))
    assert "ảnh 79.2 megapixel" in refused.value.message and "36 megapixel" in refused.value.message
    # 144 megapixels: past Pillow's own bomb limit, still the real reason, never "damaged".
    with pytest.raises(UploadRejected) as refused:
        upload_check("anh.png", files.png_claiming(12000, 12000))
    assert "144 megapixel" in refused.value.message and "bị hỏng" not in refused.value.message


def test_a_real_scan_still_passes():
    assert upload_check("anh.jpg", files.image("JPEG")).kind == "jpeg"
    assert upload_check("anh.png", files.image("PNG")).kind == "png"


def test_pdf_active_content_is_found_even_escaped():
    assert pdf_active_content(files.pdf_with_javascript()) == ["JS", "JavaScript"]
    assert pdf_active_content(files.PDF) == []



def _compressed_object_stream(content: bytes) -> bytes:
    body = zlib.compress(content)
    return (b"%PDF-1.5\n1 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length "
            + str(len(body)).encode() + b" >>\nstream\n" + body + b"\nendstream\nendobj\n%%EOF\n")


def test_pdf_active_content_is_found_in_a_compressed_object_stream():
    hidden = _compressed_object_stream(b"3 0 << /S /JavaScript /JS (app.alert\\(1\\)) >>")
    assert b"JavaScript" not in hidden
    assert pdf_active_content(hidden) == ["JS", "JavaScript"]


def test_the_stream_scan_reads_each_byte_a_bounded_number_of_times(monkeypatch):
    """A 100 KB file of 12,500 `stream` keywords had each try hand zlib the rest of the file
    (up to 20 MB): 600 MB read for 100 KB, and a 1 MB file took a worker 17 s. Each try now
    starts with the zlib header and reads further only while the data inflates."""
    real = zlib.decompressobj
    fed = [0]

    class Counting:
        def __init__(self, *args, **kwargs):
            self._inner = real(*args, **kwargs)

        def decompress(self, data, max_length=0):
            fed[0] += len(data)
            return self._inner.decompress(data, max_length)

        def __getattr__(self, name):
            return getattr(self._inner, name)

    monkeypatch.setattr(zlib, "decompressobj", Counting)
    crafted = b"%PDF-1.4\n" + b"stream\nx" * 12_500 + b"\n%%EOF\n"
    assert pdf_active_content(crafted) == []
    assert fed[0] <= 4 * len(crafted)
    # A real compressed stream is still read to its end.
    fed[0] = 0
    content = b"/JavaScript " + bytes(range(256)) * 4000
    assert pdf_active_content(_compressed_object_stream(content)) == ["JavaScript"]
    assert len(zlib.compress(content)) <= fed[0] <= 4 * len(content)

def test_a_pdf_with_javascript_is_flagged_to_staff(org, client_for):
    from dossiers.tests.test_views import counter_data

    desk = client_for(org.desk)
    data = counter_data(org, channel="3")
    data[f"doc_{org.doc_id.pk}_scan"] = files.upload("cccd.pdf", files.pdf_with_javascript())
    assert desk.post(reverse("dossiers:counter_new"), data).status_code == 303
    stored = DossierFile.objects.get()
    assert stored.active_content == "JS, JavaScript"
    page = desk.get(reverse("dossiers:detail", args=[stored.dossier.code])).content.decode()
    assert "Cảnh báo: tệp PDF chứa nội dung chủ động (JS, JavaScript)" in page


def test_the_api_download_is_sandboxed_like_the_web_download(org, client_for):
    from rest_framework.test import APIClient

    from dossiers.tests.test_views import counter_data

    desk = client_for(org.desk)
    data = counter_data(org, channel="3")
    data[f"doc_{org.doc_id.pk}_scan"] = files.upload("cccd.pdf", files.pdf_with_javascript())
    desk.post(reverse("dossiers:counter_new"), data)
    stored = DossierFile.objects.get()
    web = desk.get(reverse("dossiers:file_download", args=[stored.token]))
    api = APIClient()
    api.force_authenticate(org.desk)
    answer = api.get(f"/api/v1/files/{stored.token}/")
    assert answer.status_code == web.status_code == 200
    assert answer["Content-Security-Policy"] == web["Content-Security-Policy"] == \
        "default-src 'none'; sandbox"
