"""A PAKN form refused for one field keeps what was typed and the files already sent: the
page lists them, ticked, and the next try sends them without choosing them again
(motcua/held_files.py). Before, the page said "choose the files again"."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from feedback.models import Feedback
from feedback.tests.test_submit import PDF
from feedback.tests.test_views import SENDER, _staff

NAME = "giấy hẹn trả kết quả.pdf"


def _kept(page: str) -> list[str]:
    return re.findall(r'<input type="checkbox" name="held_files" value="([0-9a-f]{32})" checked>',
                      page)


@pytest.mark.parametrize("who", ["public", "officer"])
def test_a_refused_pakn_form_keeps_the_typed_values_and_the_file(pakn, settings, tmp_path, who):
    settings.MEDIA_ROOT = tmp_path
    if who == "public":
        client, url, extra = Client(), "/phan-anh/gui/", {"unit": ""}
    else:
        client, url = _staff(pakn.receiver), "/phan-anh/can-bo/ghi-nhan/"
        extra = {"channel": "letter", "unit": pakn.centre.pk}
    wrong = {**SENDER, **extra, "sender_phone": "0123",
             "files": [SimpleUploadedFile(NAME, PDF),
                       SimpleUploadedFile("không phải pdf.pdf", b"not a PDF at all")]}
    r = client.post(url, wrong)
    assert r.status_code == 400
    page = r.content.decode()
    assert "Số điện thoại" in page  # the refused field is named
    for field in ("title", "content", "sender_name", "sender_email", "sender_address"):
        assert SENDER[field] in page, field
    assert 'value="0123"' in page  # the wrong value too, to be corrected
    tokens = _kept(page)
    # The valid file is kept; the one refused for itself is not (it would be refused again).
    assert len(tokens) == 1 and NAME in page
    assert not Feedback.objects.exists()

    # Corrected, without choosing the file again: the item has it.
    r = client.post(url, {**SENDER, **extra, "held_files": tokens})
    assert r.status_code == 302, r.content.decode()[:3000]
    item = Feedback.objects.get()
    attachment = item.attachments.get()
    assert attachment.file.read() == PDF
    # Used, the kept copy is gone.
    assert not any((tmp_path / "private" / "held").iterdir())


def test_a_kept_file_counts_only_in_its_session_and_unticked_is_dropped(pakn, settings,
                                                                        tmp_path):
    settings.MEDIA_ROOT = tmp_path
    sender = Client()
    r = sender.post("/phan-anh/gui/", {**SENDER, "unit": "", "sender_phone": "0123",
                                       "files": [SimpleUploadedFile(NAME, PDF)]})
    tokens = _kept(r.content.decode())
    assert len(tokens) == 1
    # Someone else sending the reference gets no file.
    r = Client().post("/phan-anh/gui/", {**SENDER, "unit": "", "held_files": tokens})
    assert r.status_code == 302
    assert not Feedback.objects.get().attachments.exists()
    # The sender unticks it: sent without it, and the kept copy is deleted.
    r = sender.post("/phan-anh/gui/", {**SENDER, "unit": ""})
    assert r.status_code == 302
    assert Feedback.objects.count() == 2 and not any(i.attachments.exists()
                                                     for i in Feedback.objects.all())
    assert not any((tmp_path / "private" / "held").iterdir())
