"""Form 04 is signed; the optional RFC 3161 timestamp comes from a TSA server process; counter
officers' scans are signed and kept in the owner's store."""

from datetime import timedelta
from pathlib import Path

from dossiers.models import DossierDocument
from dossiers.services import dossier_act
from motcua.testing import free_port
from results.models import StoredDocument
from results.services import digitised_store, stored_document_timestamp
from results.tests.conftest import HOLDER, at, pdfsig_valid, tamper
from results.verification import pdf_verify


def _apology_letter(org, make_dossier, client_for):
    """The head apologises for a dossier and downloads its Form 04."""
    dossier = make_dossier()
    dossier_act(dossier=dossier, actor=org.head, action="apologize", reason="Cần xác minh thêm",
                data={"new_due_at": (dossier.due_at + timedelta(days=3)).isoformat()},
                at=at("2026-03-03 08:00"))
    return client_for(org.head).get(f"/ho-so/{dossier.code}/mau-04.pdf")


def test_the_apology_letter_is_signed(signing, org, make_dossier, client_for, pdfsig):
    response = _apology_letter(org, make_dossier, client_for)
    assert response.status_code == 200
    content = response.content
    report = pdf_verify(content)
    assert report.valid, report.as_dict()
    assert pdfsig_valid(pdfsig(content), 2)
    assert not pdf_verify(tamper(content)).valid
    assert "Signature is Valid." not in pdfsig(tamper(content))


def test_the_apology_letter_never_carries_another_persons_head_signature(
        signing, org, make_dossier, client_for, pdfsig):
    """The letter names the apology's actor as its signer; the installation's head file is
    issued to someone else (HOLDER), so the seal alone signs (Decree 130/2018 art. 9 cl. 1)."""
    signing.MOTCUA_SIGNING_HEAD_DIR = ""  # the actor has no certificate of their own
    response = _apology_letter(org, make_dossier, client_for)
    assert response.status_code == 200
    report = pdf_verify(response.content)
    assert report.valid, report.as_dict()
    out = pdfsig(response.content)
    assert pdfsig_valid(out, 1)
    assert HOLDER not in out


def test_a_result_gets_an_rfc3161_timestamp_after_the_commit(signing, tsa, make_dossier,
                                                             approve, pdfsig,
                                                             django_capture_on_commit_callbacks):
    signing.MOTCUA_TSA_URL = tsa
    with django_capture_on_commit_callbacks(execute=True):
        dossier = approve(make_dossier())
    stored = StoredDocument.objects.get(dossier=dossier)
    assert stored.timestamped
    with stored.file.open("rb") as f:
        content = f.read()
    report = pdf_verify(content)
    assert report.valid, report.as_dict()
    assert [s.is_timestamp for s in report.signatures] == [False, False, True]
    assert report.signatures[2].timestamp_at is not None
    # pdfsig checks the two signatures; it lists the document timestamp but cannot validate
    # that type ("Unimplemented Feature"), so pyHanko alone vouches for the timestamp.
    out = pdfsig(content)
    assert pdfsig_valid(out, 2) and "Common Name: motcua Demo TSA" in out
    # Only the stamped file remains.
    assert len(list(Path(signing.MEDIA_ROOT, "results").iterdir())) == 1


def test_an_unreachable_tsa_leaves_the_signed_result_as_it_is(signing, make_dossier, approve):
    stored = StoredDocument.objects.get(dossier=approve(make_dossier()))
    signing.MOTCUA_TSA_URL = f"http://127.0.0.1:{free_port()}/"
    signing.MOTCUA_TSA_TIMEOUT = 1
    assert stored_document_timestamp(pk=stored.pk) is False
    stored.refresh_from_db()
    assert not stored.timestamped
    with stored.file.open("rb") as f:
        assert pdf_verify(f.read()).valid


def test_a_counter_officer_digitises_a_paper(signing, org, make_dossier, pdfsig):
    dossier = make_dossier()
    paper = DossierDocument.objects.filter(dossier=dossier).first()
    stored = digitised_store(dossier_document=paper, content=_scan(), actor=org.desk,
                             unit=org.centre)
    paper.refresh_from_db()
    assert paper.digitised
    assert stored.kind == StoredDocument.Kind.DIGITISED
    assert stored.owner_id_number == "056185004321" and stored.signer_name == "Tiepnhan"
    with stored.file.open("rb") as f:
        content = f.read()
    assert pdf_verify(content).valid
    assert pdfsig_valid(pdfsig(content), 1)


def test_digitising_is_one_transaction_with_its_event_under_the_dossiers_lock(signing, org,
                                                                             make_dossier):
    # The flag, the stored copy and the event row written together, the dossier's row locked
    # first as every change of it is (a portal snapshot never sees the flag a step late).
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dossiers.selectors import dossier_events

    dossier = make_dossier()
    state = dossier.state
    paper = DossierDocument.objects.filter(dossier=dossier).first()
    with CaptureQueriesContext(connection) as queries:
        stored = digitised_store(dossier_document=paper, content=_scan(), actor=org.desk,
                                 unit=org.centre)
    event = dossier_events(dossier=dossier).order_by("-seq").first()
    assert (event.action, event.actor, event.actor_unit) == ("paper_digitised", org.desk,
                                                              org.centre)
    assert event.from_state == event.to_state == state and event.reason == paper.name
    assert event.data == {"document": paper.pk, "stored": str(stored.uid)}
    dossier.refresh_from_db()
    assert dossier.state == state
    sql = [q["sql"] for q in queries.captured_queries]
    lock = next(i for i, q in enumerate(sql) if 'FROM "dossiers_dossier"' in q
                and (" FOR UPDATE" in q or not connection.features.has_select_for_update))
    flag = next(i for i, q in enumerate(sql) if q.startswith('UPDATE "dossiers_dossierdocument"'))
    assert lock < flag


def _scan() -> bytes:
    import io

    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    page = canvas.Canvas(buf)
    page.drawString(72, 720, "Scan of a paper")
    page.save()
    return buf.getvalue()


def test_the_desk_digitises_from_the_dossier_page(signing, org, make_dossier, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    dossier = make_dossier()
    paper = dossier.documents.first()
    page = client_for(org.desk).get(f"/ho-so/{dossier.code}/").content.decode()
    assert f"/kho-du-lieu/so-hoa/{dossier.code}/{paper.pk}/" in page
    # Only the receiving desk sees the form and may post it.
    assert "/kho-du-lieu/so-hoa/" not in \
        client_for(org.specialist).get(f"/ho-so/{dossier.code}/").content.decode()
    url = f"/kho-du-lieu/so-hoa/{dossier.code}/{paper.pk}/"
    upload = {"tep": SimpleUploadedFile("scan.pdf", _scan(), content_type="application/pdf")}
    assert client_for(org.specialist).post(url, upload).status_code == 404
    upload = {"tep": SimpleUploadedFile("scan.pdf", _scan(), content_type="application/pdf")}
    response = client_for(org.desk).post(url, upload)
    assert response.status_code == 302
    paper.refresh_from_db()
    assert paper.digitised
    assert StoredDocument.objects.filter(kind="digitised", dossier=dossier).count() == 1
    bad = {"tep": SimpleUploadedFile("scan.pdf", b"MZ not a pdf", content_type="application/pdf")}
    other = dossier.documents.exclude(pk=paper.pk).first()
    followed = client_for(org.desk).post(f"/kho-du-lieu/so-hoa/{dossier.code}/{other.pk}/", bad,
                                         follow=True)
    assert "Bản số hóa phải là tệp PDF." in followed.content.decode()


def test_digitising_through_the_api(signing, org, make_dossier):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from rest_framework.test import APIClient

    dossier = make_dossier()
    paper = dossier.documents.first()
    url = f"/api/v1/dossiers/{dossier.code}/documents/{paper.pk}/digitise/"
    api = APIClient()
    api.force_authenticate(org.specialist)
    refused = api.post(url, {"file": SimpleUploadedFile("s.pdf", _scan())}, format="multipart")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "permission_denied"
    api.force_authenticate(org.desk)
    made = api.post(url, {"file": SimpleUploadedFile("s.pdf", _scan())}, format="multipart")
    assert made.status_code == 201, made.content
    assert made.json()["kind"] == "digitised" and made.json()["signed"] is True
    paper.refresh_from_db()
    assert paper.digitised


def test_the_commands_retry_timestamps_and_find_orphan_files(
        signing, tsa, make_dossier, approve, django_capture_on_commit_callbacks):
    from io import StringIO

    from django.core.management import call_command

    stored = StoredDocument.objects.get(dossier=approve(make_dossier()))
    orphan = Path(signing.MEDIA_ROOT, "results", "left-behind.pdf")
    orphan.write_bytes(b"%PDF-1.7")
    signing.MOTCUA_TSA_URL = tsa
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # deletes the unstamped file
        call_command("results_timestamp", stdout=out)
    assert "Đã gắn dấu thời gian: 1; chưa được: 0." in out.getvalue()
    stored.refresh_from_db()
    assert stored.timestamped
    out = StringIO()
    call_command("results_orphans", "--delete", stdout=out)
    assert "left-behind.pdf" in out.getvalue() and "Đã xóa 1 tệp" in out.getvalue()
    assert not orphan.exists()
    assert Path(signing.MEDIA_ROOT, stored.file.name).exists()


def test_a_signature_may_carry_its_own_tsa_timestamp(signing, tsa, pdfsig):
    from results.signing import configured_signers, pdf_sign

    signing.MOTCUA_TSA_URL = tsa
    signed = pdf_sign(_scan(), signer_list=configured_signers(), reason="r", location="l",
                      with_timestamp=True)
    assert signed.timestamped
    report = pdf_verify(signed.content)
    assert report.valid, report.as_dict()
    assert all(s.timestamp_at is not None for s in report.signatures)
    assert pdfsig_valid(pdfsig(signed.content), 2)
