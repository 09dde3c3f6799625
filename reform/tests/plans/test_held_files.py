"""A reform form refused for one field keeps what was typed and the file already sent: a
task's evidence with a title past its limit, a directive with no number (motcua.held_files).
Before, the page came back with the text and an empty file input."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dossiers.tests import files
from reform.models import Directive, Evidence
from reform.tests.plans.test_views import login


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _kept(page: str) -> list[str]:
    return re.findall(r'name="held_file" value="([0-9a-f]{32})" checked', page)


def test_a_refused_evidence_keeps_the_file(world, tmp_path):
    c = login(world.justice_staff)
    url = f"/cai-cach/nhiem-vu/{world.justice_task.pk}/minh-chung/"
    r = c.post(url, {"title": "Quyết định " * 60,
                     "file": SimpleUploadedFile("quyết định 12.pdf", files.PDF)})
    assert r.status_code == 422
    page = r.content.decode()
    tokens = _kept(page)
    assert len(tokens) == 1 and "quyết định 12.pdf" in page
    assert "Quyết định Quyết định" in page  # the typed title, to be shortened
    r = c.post(url, {"title": "Quyết định 12", "held_file": tokens})
    assert r.status_code == 303, r.content.decode()[:3000]
    evidence = Evidence.objects.get(task=world.justice_task)
    assert evidence.title == "Quyết định 12" and evidence.file.read() == files.PDF
    assert not any((tmp_path / "private" / "held").iterdir())


def test_a_refused_directive_keeps_the_typed_values_and_the_file(world):
    c = login(world.officer)
    r = c.post("/cai-cach/van-ban-chi-dao/", {
        "number": "", "date": "2026-02-01", "issuer": "UBND tỉnh", "kind": "plan",
        "summary": "Kế hoạch tuyên truyền CCHC", "file": SimpleUploadedFile("kh.pdf", files.PDF)})
    assert r.status_code == 422
    page = r.content.decode()
    assert "Kế hoạch tuyên truyền CCHC" in page and 'value="UBND tỉnh"' in page
    tokens = _kept(page)
    assert len(tokens) == 1 and "kh.pdf" in page
    r = c.post("/cai-cach/van-ban-chi-dao/", {
        "number": "15/KH-UBND", "date": "2026-02-01", "issuer": "UBND tỉnh", "kind": "plan",
        "summary": "Kế hoạch tuyên truyền CCHC", "held_file": tokens})
    assert r.status_code == 303
    d = Directive.objects.get(number="15/KH-UBND")
    assert d.content_type == "application/pdf" and d.file.read() == files.PDF

    # A file refused for itself (a picture where a PDF or DOCX is wanted) is not kept.
    r = c.post("/cai-cach/van-ban-chi-dao/", {
        "number": "16/KH", "date": "2026-02-01", "issuer": "UBND tỉnh", "kind": "plan",
        "summary": "Ảnh", "file": SimpleUploadedFile("a.png", files.image("PNG"))})
    assert r.status_code == 422 and "chỉ nhận PDF hoặc DOCX" in r.content.decode()
    assert _kept(r.content.decode()) == []
