"""Approval issues a signed result inside the approving transaction (results/services.py)."""

import io
import shutil
import subprocess

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from dossiers.models import DossierEvent, State
from motcua.errors import DomainError
from results.models import StoredDocument
from results.rendering import stored_content
from results.signing import certificate_name, configured_signers
from results.tests.conftest import PASSWORD, pdfsig_valid, tamper
from results.verification import pdf_verify


def _content(stored: StoredDocument) -> bytes:
    # As every reader gets it: a result issued unsigned is rendered at its first need.
    return stored_content(stored)


def test_approval_issues_a_result_signed_by_head_and_seal(signing, org, make_dossier, approve,
                                                          pdfsig):
    org.procedure.result_text = "Phiếu Lý lịch tư pháp số 1 (Cấp tỉnh)Mã: KQ.G01.000200"
    org.procedure.result_codes = ["KQ.G01.000200"]
    org.procedure.save()
    org.head.title = "Phó Giám đốc Sở"
    org.head.save()
    dossier = approve(make_dossier())

    assert dossier.state == State.DECIDED
    stored = StoredDocument.objects.get(dossier=dossier)
    assert stored.kind == StoredDocument.Kind.RESULT
    assert stored.result_type == "extract"
    assert stored.title == "Phiếu Lý lịch tư pháp số 1 (Cấp tỉnh)"
    assert stored.result_code == "KQ.G01.000200"
    assert stored.document_number == "1/TL-STPTTN"
    assert stored.owner_id_number == "056185004321"
    assert stored.issuer_unit == org.dept
    assert stored.signer_name == org.head.display_name
    assert [s["role"] for s in stored.signatures] == ["head", "seal"]
    assert "/results/" not in stored.file.name.split("results/", 1)[1]  # random flat name
    content = _content(stored)
    assert len(content) == stored.size

    report = pdf_verify(content)
    assert report.valid, report.as_dict()
    # The head's signature is the approver's own: the name printed under it (audit7).
    assert [s.signer for s in report.signatures] == [org.head.display_name,
                                                     "Sở Tư pháp tỉnh Thử nghiệm"]
    assert report.signatures[-1].coverage == "file"
    assert pdfsig_valid(pdfsig(content), 2)
    assert "ETSI.CAdES.detached" in pdfsig(content)

    # The document prints its number, owner and the QR target (the public verification page).
    text = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True,
                          check=True).stdout.decode()
    assert "Số: 1/TL-STPTTN" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "Trần Thị Bích" in text and "056185004321" in text
    assert f"xac-thuc/{stored.uid}/" in text.replace("\n", "")


def test_a_tampered_result_is_rejected_by_both_verifiers(signing, make_dossier, approve, pdfsig):
    stored = StoredDocument.objects.get(dossier=approve(make_dossier()))
    bad = tamper(_content(stored))
    report = pdf_verify(bad)
    assert not report.valid
    assert "đã bị sửa đổi" in report.summary
    assert not any(s.intact for s in report.signatures)
    out = pdfsig(bad)
    assert "Signature is Valid." not in out
    assert "Digest Mismatch" in out


def test_numbers_follow_per_unit_and_kind(signing, make_dossier, approve):
    first = StoredDocument.objects.get(dossier=approve(make_dossier()))
    second = StoredDocument.objects.get(dossier=approve(make_dossier()))
    assert (first.document_number, second.document_number) == ("1/KQ-STPTTN", "2/KQ-STPTTN")


def test_without_a_certificate_the_approval_is_refused_and_nothing_changes(
        signing, make_dossier, approve):
    signing.MOTCUA_SIGNING_PKCS12 = "/nonexistent/unit.p12"
    dossier = make_dossier()
    with pytest.raises(DomainError) as err:
        approve(dossier)
    assert err.value.code == "signing_not_configured"
    dossier.refresh_from_db()
    assert dossier.state == State.PROCESSING
    assert not DossierEvent.objects.filter(dossier=dossier, action="approve").exists()
    assert not StoredDocument.objects.exists()


def test_a_wrong_password_is_reported_and_rolls_back(signing, make_dossier, approve):
    signing.MOTCUA_SIGNING_PKCS12_PASSWORD = "sai"
    dossier = make_dossier()
    with pytest.raises(DomainError) as err:
        approve(dossier)
    assert err.value.code == "signing_key_unusable"
    dossier.refresh_from_db()
    assert dossier.state == State.PROCESSING


def test_debug_installations_without_keys_store_the_result_unsigned(signing, make_dossier,
                                                                     approve):
    signing.MOTCUA_SIGNING_PKCS12 = ""
    signing.MOTCUA_SIGNING_HEAD_PKCS12 = ""
    signing.MOTCUA_SIGNING_REQUIRED = False
    stored = StoredDocument.objects.get(dossier=approve(make_dossier()))
    assert not stored.signed
    report = pdf_verify(_content(stored))
    assert not report.valid and report.summary == "Tài liệu không có chữ ký số."


def test_a_unit_with_its_own_seal_signs_with_it(signing, other_pki, org, make_dossier, approve,
                                                tmp_path):
    # The other PKI's seal under the deciding unit's code; its CA is trusted too.
    folder = tmp_path / "seals"
    folder.mkdir()
    shutil.copy(other_pki.unit, folder / f"{org.dept.code}.p12")
    signing.MOTCUA_SIGNING_UNIT_DIR = str(folder)
    signing.MOTCUA_SIGNING_PKCS12_PASSWORD = PASSWORD
    signing.MOTCUA_TRUST_ROOTS = [*signing.MOTCUA_TRUST_ROOTS, str(other_pki.ca_cert)]
    stored = StoredDocument.objects.get(dossier=approve(make_dossier()))
    report = pdf_verify(_content(stored))
    assert report.valid
    assert [s.issuer for s in report.signatures] == ["motcua Demo Root CA (THỬ NGHIỆM)"] * 2
    unit_seal = configured_signers(org.dept.code)[-1].signer.signing_cert
    default_seal = configured_signers(None)[-1].signer.signing_cert
    assert unit_seal != default_seal
    sigs = PdfFileReader(io.BytesIO(_content(stored))).embedded_signatures
    assert sigs[-1].signer_cert.dump() == unit_seal.dump()
    assert certificate_name(unit_seal) == "Sở Tư pháp tỉnh Thử nghiệm"


def _p12_out_of_term(pki, path, *, days_from: int, days_to: int):
    """A PKCS#12 of the test CA whose certificate is valid only between the days given."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    from results.tests.conftest import certificate_of_test_ca

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert, ca_cert = certificate_of_test_ca(
        pki, key=key, attributes=[x509.NameAttribute(NameOID.COMMON_NAME,
                                                     "Sở Tư pháp tỉnh Thử nghiệm")],
        days_from=days_from, days_to=days_to)
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"seal", key, cert, [ca_cert], serialization.BestAvailableEncryption(PASSWORD.encode())))
    return path


@pytest.mark.parametrize("term", [(-1100, -1), (1, 400)], ids=["expired", "not_yet_valid"])
def test_a_seal_out_of_its_term_issues_nothing(signing, pki, make_dossier, approve, tmp_path,
                                               term):
    """audit6: a local PKCS#12 left past its renewal signed results (and approved their
    dossiers) with a signature no reader accepts (Decree 130/2018/NĐ-CP art. 9 cl. 1: made
    while the certificate is valid). The approval is refused and says why."""
    signing.MOTCUA_SIGNING_PKCS12 = str(_p12_out_of_term(pki, tmp_path / "seal.p12",
                                                         days_from=term[0], days_to=term[1]))
    dossier = make_dossier()
    with pytest.raises(DomainError) as err:
        approve(dossier)
    assert err.value.code == "signing_certificate_expired"
    assert "đã hết hạn hoặc chưa có hiệu lực" in err.value.message
    dossier.refresh_from_db()
    assert dossier.state == State.PROCESSING
    assert not DossierEvent.objects.filter(dossier=dossier, action="approve").exists()
    assert not StoredDocument.objects.exists()


def test_the_apology_letter_with_an_expired_seal_is_a_message_not_a_server_error(
        signing, pki, org, make_dossier, client_for, tmp_path):
    from django.urls import reverse

    from dossiers.tests.test_transitions import _act, reach

    signing.MOTCUA_SIGNING_PKCS12 = str(_p12_out_of_term(pki, tmp_path / "seal.p12",
                                                         days_from=-1100, days_to=-1))
    d = reach(org, make_dossier, State.PROCESSING)
    _act(d, org.head, "apologize", "2026-03-03 09:00", reason="Cần xác minh tại địa phương",
         data={"new_due_at": "2026-03-10T09:00:00+07:00"})
    head = client_for(org.head)
    answer = head.get(reverse("dossiers:form_pdf", args=[d.code, "04"]))
    assert answer.status_code == 302 and answer["Location"].endswith(f"/{d.code}/")
    assert "đã hết hạn hoặc chưa có hiệu lực" in head.get(answer["Location"]).content.decode()
