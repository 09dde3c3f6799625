"""Issue #17: uploads cost bounded memory (decompressed sizes and pixel counts are checked before
anything is decoded), refusals say the real reason, and PDFs that can act are flagged to staff."""

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
