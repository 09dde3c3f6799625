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
