"""The public verification's per-address limit (audit10, results/verification_limits.py)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from results.models import VerificationTry

PDF = b"%PDF-1.4 not really signed"


def _upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("ket-qua.pdf", PDF, content_type="application/pdf")


@pytest.fixture
def limited(db, settings):
    settings.MOTCUA_VERIFY_MAX_PER_ADDRESS = 3
    settings.MOTCUA_VERIFY_WINDOW_SECONDS = 600


def test_an_address_past_the_limit_gets_a_429_page_that_keeps_the_form(limited, monkeypatch):
    """Each check costs up to 2 s of a worker (a 20 MB crafted file): past the limit the upload
    is refused before it is read, in Vietnamese, with the form and what to do meanwhile."""
    checked: list[bytes] = []
    import results.views

    real = results.views.pdf_verify
    monkeypatch.setattr(results.views, "pdf_verify", lambda c: (checked.append(c), real(c))[1])
    browser = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(3):
        assert browser.post("/xac-thuc/", {"tep": _upload()}).status_code == 200
    refused = browser.post("/xac-thuc/", {"tep": _upload()})
    assert refused.status_code == 429 and len(checked) == 3
    page = refused.content.decode()
    assert "quá nhiều văn bản được kiểm tra từ địa chỉ mạng này" in page
    assert "10 phút" in page and "mã QR" in page
    assert 'type="file"' in page and 'name="tep"' in page  # the form is still there
    # Another address is not held back, nor a plain visit of the page.
    assert Client(REMOTE_ADDR="203.0.113.8").post("/xac-thuc/",
                                                   {"tep": _upload()}).status_code == 200
    assert browser.get("/xac-thuc/").status_code == 200
    # The refused try is not counted: the limit ends a window after the tries that made it.
    assert VerificationTry.objects.filter(key="203.0.113.7").count() == 3
    # A form sent without a file costs nothing and is not counted either.
    nothing = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        assert nothing.post("/xac-thuc/", {}).status_code == 400
    assert not VerificationTry.objects.filter(key="203.0.113.9").exists()


def test_the_api_and_the_qr_page_share_the_budget(limited, settings, monkeypatch):
    api = APIClient(REMOTE_ADDR="198.51.100.4")
    for _ in range(3):
        answer = api.post("/api/v1/xac-thuc/", {"file": _upload()}, format="multipart")
        assert answer.status_code == 200
    refused = api.post("/api/v1/xac-thuc/", {"file": _upload()}, format="multipart")
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "verification_limit"
    assert "Too many documents" in refused.json()["error"]["message_en"]
    # The QR page's comparison of a held file counts against the same address.
    from django.test import RequestFactory

    from results.views import _verified_upload

    request = RequestFactory().post("/xac-thuc/", {"tep": _upload()}, REMOTE_ADDR="198.51.100.4")
    content, message, status = _verified_upload(request)
    assert content is None and status == 429 and "thử lại sau" in message

