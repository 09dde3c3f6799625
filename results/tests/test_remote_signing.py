"""The head's signature through the remote-signing adapter, against its simulator."""

import pytest
from django.utils import timezone

from dossiers.models import State
from dossiers.services import dossier_act
from dossiers.tests.conftest import at
from motcua.errors import DomainError
from motcua.testing import free_port
from results.drafting import draft_save, draft_sign
from results.models import ResultCounter, ResultDraft, SignatureBlock, StoredDocument
from results.remote_signing import RemoteSigningClient, RemoteSigningFailed
from results.tests.conftest import pdfsig_valid
from results.verification import pdf_verify


@pytest.fixture
def drafted(org, make_dossier):
    # The head's account bears the name the service's certificate is issued to (results_demo_pki
    # in conftest): a certificate signs only for its holder.
    org.head.full_name = "Lãnh Đạo Thử"
    org.head.save(update_fields=["full_name"])
    SignatureBlock.objects.create(unit=org.dept, signer=org.head, authority="KT",
                                  on_behalf_of="Giám đốc", signer_title="Phó Giám đốc",
                                  method=SignatureBlock.Method.REMOTE, remote_key_id="head")
    d = dossier_act(dossier=make_dossier(), actor=org.desk, action="forward",
                    data={"assignee": org.specialist.pk}, at=at("2026-03-02 09:30"))
    draft = draft_save(dossier=d, actor=org.specialist, at=at("2026-03-02 15:00"),
                       values={"title": "Phiếu lý lịch tư pháp số 1",
                               "subject": "Về việc cấp phiếu", "body": "Không có án tích."})
    dossier_act(dossier=d, actor=org.specialist, action="forward",
                data={"assignee": org.head.pk}, at=at("2026-03-03 09:00"))
    return draft


def test_the_head_signs_through_the_remote_service(remote_signing, drafted, org, pdfsig):
    draft_sign(draft=drafted, actor=org.head, confirmed=True, at=at("2026-03-03 15:00"))
    drafted.refresh_from_db()
    stored = drafted.stored
    assert [s["role"] for s in stored.signatures] == ["head", "seal"]
    with stored.file.open("rb") as f:
        content = f.read()
    report = pdf_verify(content)
    assert report.valid, report.as_dict()
    assert [s.signer for s in report.signatures] == ["Lãnh Đạo Thử", "Sở Tư pháp tỉnh Thử nghiệm"]
    assert pdfsig_valid(pdfsig(content), 2)
    # The service signed once, for this document, with the key the block names.
    signed = remote_signing.signed()
    assert len(signed) == 1 and signed[0]["key"] == "head"
    assert "KT. GIÁM ĐỐC" in signed[0]["description"]


def _nothing_signed(org, draft):
    draft.refresh_from_db()
    assert draft.status == ResultDraft.Status.DRAFT and draft.stored is None
    assert draft.dossier.state == State.PROCESSING
    assert not draft.dossier.events.filter(action="approve").exists()
    assert not StoredDocument.objects.filter(dossier=draft.dossier).exists()
    # At most one number was taken, and it waits with the version for the retry.
    assert list(ResultCounter.objects.values_list("last", flat=True)) in ([], [1])
    assert draft.number == "" or draft.number.startswith("1/TL-")


def test_the_service_refusing_signs_nothing(remote_signing, drafted, org):
    remote_signing.control(fail=True)
    with pytest.raises(RemoteSigningFailed) as refused:
        draft_sign(draft=drafted, actor=org.head, confirmed=True, at=at("2026-03-03 15:00"))
    assert "ký số từ xa" in refused.value.message
    _nothing_signed(org, drafted)
    assert remote_signing.signed() == []


def test_a_signature_refused_midway_signs_nothing(remote_signing, drafted, org):
    # The certificate came, the signature did not (the head declined on their phone).
    remote_signing.control(refuse_signing=True)
    with pytest.raises(RemoteSigningFailed) as refused:
        draft_sign(draft=drafted, actor=org.head, confirmed=True, at=at("2026-03-03 15:00"))
    assert refused.value.detail == "HTTP 503"
    _nothing_signed(org, drafted)


def test_the_service_down_is_a_clear_error_and_nothing_is_signed(remote_signing, drafted, org,
                                                                 settings, client_for):
    settings.MOTCUA_REMOTE_SIGNING_URL = f"http://127.0.0.1:{free_port()}/"
    with pytest.raises(DomainError) as refused:
        # Now, as the page's try below signs: a fixed day in 2026 numbered the first try in
        # 2026's counter and the page's in the real year's, two numbers from 2027 on.
        draft_sign(draft=drafted, actor=org.head, confirmed=True, at=timezone.now())
    assert refused.value.code == "remote_signing_failed"
    _nothing_signed(org, drafted)
    # Through the page: the head reads the reason on the confirmation page, nothing changes.
    page = client_for(org.head).post(
        f"/du-thao-ket-qua/{drafted.dossier.code}/1/ky/", {"confirm": "yes"})
    assert page.status_code == 422
    assert "Không ký được qua dịch vụ ký số từ xa" in page.content.decode()
    _nothing_signed(org, drafted)


def test_a_wrong_token_is_refused(remote_signing, drafted, org, settings):
    settings.MOTCUA_REMOTE_SIGNING_TOKEN = "sai"
    with pytest.raises(RemoteSigningFailed) as refused:
        draft_sign(draft=drafted, actor=org.head, confirmed=True, at=at("2026-03-03 15:00"))
    assert refused.value.detail == "HTTP 401"
    _nothing_signed(org, drafted)


def test_a_retry_after_a_failed_signature_numbers_once(remote_signing, drafted, org):
    remote_signing.control(refuse_signing=True)
    for _ in range(2):
        with pytest.raises(RemoteSigningFailed):
            draft_sign(draft=drafted, actor=org.head, confirmed=True,
                       at=at("2026-03-03 15:00"))
        _nothing_signed(org, drafted)
    remote_signing.control(refuse_signing=False)
    dossier = draft_sign(draft=drafted, actor=org.head, confirmed=True,
                         at=at("2026-03-03 15:30"))
    drafted.refresh_from_db()
    assert dossier.state == State.DECIDED
    assert drafted.stored.document_number.startswith("1/TL-")
    assert list(ResultCounter.objects.values_list("last", flat=True)) == [1]
    assert dossier.events.filter(action="approve").count() == 1


def test_a_slow_service_times_out_and_leaves_the_dossier_untouched(remote_signing, drafted,
                                                                   org, settings):
    settings.MOTCUA_REMOTE_SIGNING_TIMEOUT = 0.5
    remote_signing.control(delay_seconds=2)
    with pytest.raises(RemoteSigningFailed) as refused:
        draft_sign(draft=drafted, actor=org.head, confirmed=True, at=at("2026-03-03 15:00"))
    assert "ReadTimeout" in refused.value.detail
    assert "thử lại" in refused.value.message
    _nothing_signed(org, drafted)
    remote_signing.control(delay_seconds=0)
    settings.MOTCUA_REMOTE_SIGNING_TIMEOUT = 5
    draft_sign(draft=drafted, actor=org.head, confirmed=True, at=at("2026-03-03 15:10"))
    drafted.refresh_from_db()
    assert drafted.stored.document_number.startswith("1/TL-")
    assert list(ResultCounter.objects.values_list("last", flat=True)) == [1]


def test_the_signature_is_asked_for_outside_the_approval_transaction(remote_signing, drafted,
                                                                     org, monkeypatch):
    """While the (slow) service signs, no transaction of the approval is open: the dossier's
    row is not locked and nothing of the approval is written yet."""
    from django.db import connections

    # This thread's connection itself: pyHanko may call the signer from another thread.
    connection = connections["default"]
    base = len(connection.atomic_blocks)
    seen = []
    original = RemoteSigningClient.sign

    def watched(self, *args, **kwargs):
        # (pyHanko calls this from its event loop, where the ORM may not be used.)
        seen.append(len(connection.atomic_blocks) - base)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(RemoteSigningClient, "sign", watched)
    remote_signing.control(delay_seconds=0.5)
    dossier = draft_sign(draft=drafted, actor=org.head, confirmed=True,
                         at=at("2026-03-03 15:00"))
    assert seen == [0]
    assert dossier.state == State.DECIDED
    assert dossier.events.filter(action="approve").count() == 1


@pytest.mark.django_db(transaction=True)
def test_another_writer_is_not_held_up_while_the_service_signs(remote_signing, drafted, org,
                                                                monkeypatch):
    """While the head waits for the (slow) service, the desk can still write the dossier's row:
    no transaction holds it. Before issue #16 this write waited for the signature."""
    import threading

    from django.db import connection as main_connection
    from django.db import connections
    from django.db.models import F

    from dossiers.models import Dossier

    wrote = []

    def desk_writes() -> None:
        try:
            if connections["default"].vendor == "postgresql":
                with connections["default"].cursor() as cursor:
                    cursor.execute("SET lock_timeout = '2s'")
            Dossier.objects.filter(pk=drafted.dossier_id).update(
                apology_count=F("apology_count"))
            wrote.append(True)
        except Exception as e:  # noqa: BLE001 - the failure is what the test reports
            wrote.append(repr(e))
        finally:
            connections.close_all()

    original = RemoteSigningClient.sign

    def watched(self, *args, **kwargs):
        other = threading.Thread(target=desk_writes)
        other.start()
        other.join(timeout=30)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(RemoteSigningClient, "sign", watched)
    assert main_connection.vendor in ("sqlite", "postgresql")
    dossier = draft_sign(draft=drafted, actor=org.head, confirmed=True,
                         at=at("2026-03-03 15:00"))
    assert wrote == [True]
    assert dossier.state == State.DECIDED


def _signature_by(p12, password):
    from pathlib import Path

    from pyhanko.sign import signers

    other = signers.SimpleSigner.load_pkcs12_data(Path(p12).read_bytes(), other_certs=(),
                                                  passphrase=password.encode())

    def sign(self, key_id, data, digest_algorithm, description):
        return other.sign_raw(data, digest_algorithm)
    return sign


@pytest.mark.parametrize("answer", ["garbled", "another_key"])
def test_an_answer_that_is_not_the_certificates_signature_signs_nothing(
        remote_signing, drafted, org, monkeypatch, other_pki, answer):
    """audit5: the service's answer was put in the PDF as it came. A signature that the
    certificate the service named does not verify (a garbled answer, another person's key)
    made a result whose head signature no reader accepts, and the dossier was approved."""
    from results.tests.conftest import PASSWORD

    original = RemoteSigningClient.sign

    def garbled(self, *args, **kwargs):
        raw = bytearray(original(self, *args, **kwargs))
        raw[-1] ^= 0x01
        return bytes(raw)

    monkeypatch.setattr(RemoteSigningClient, "sign", garbled if answer == "garbled"
                        else _signature_by(other_pki.head, PASSWORD))
    with pytest.raises(RemoteSigningFailed) as refused:
        draft_sign(draft=drafted, actor=org.head, confirmed=True, at=at("2026-03-03 15:00"))
    assert refused.value.detail == "the signature does not match the service's certificate"
    _nothing_signed(org, drafted)


def _head_certificate(pki, *, common_name: str, uid: str = "", days_from: int = -1,
                      days_to: int = 365):
    """A certificate of the test CA for the head's own key (so the service's signature verifies
    against it), with the subject and the validity given: what the service could name."""
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    from results.tests.conftest import PASSWORD, certificate_of_test_ca

    key, _, _ = pkcs12.load_key_and_certificates(pki.head.read_bytes(), PASSWORD.encode())
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                  x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if uid:
        attributes.append(x509.NameAttribute(NameOID.USER_ID, uid))
    cert, ca_cert = certificate_of_test_ca(pki, key=key, attributes=attributes,
                                           days_from=days_from, days_to=days_to)
    return (asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
            [asn1_x509.Certificate.load(ca_cert.public_bytes(serialization.Encoding.DER))])


def _service_names(monkeypatch, certificate) -> None:
    monkeypatch.setattr(RemoteSigningClient, "certificate", lambda self, key_id: certificate)


@pytest.mark.parametrize("validity", [(-1200, -1), (2, 365)], ids=["expired", "not_yet_valid"])
def test_a_certificate_out_of_its_term_signs_nothing(remote_signing, drafted, org, pki,
                                                     monkeypatch, validity):
    """audit6: the service's signature was checked against the certificate it named, but not
    the certificate's term: an expired certificate signed results (Decree 130/2018/NĐ-CP,
    art. 9: a signature is made while its certificate is valid)."""
    _service_names(monkeypatch, _head_certificate(pki, common_name="Lãnh Đạo Thử",
                                                  days_from=validity[0], days_to=validity[1]))
    with pytest.raises(RemoteSigningFailed) as refused:
        draft_sign(draft=drafted, actor=org.head, confirmed=True, at=at("2026-03-03 15:00"))
    assert refused.value.detail in ("the certificate has expired",
                                    "the certificate is not valid yet")
    assert "hết hạn hoặc chưa có hiệu lực" in refused.value.message
    _nothing_signed(org, drafted)
    assert remote_signing.signed() == []


def test_another_persons_certificate_signs_nothing(remote_signing, drafted, org, client_for):
    """audit6: a signature block's key id naming a certificate of someone else on the service
    (the demo's second head signed with the first head's certificate) signed results in the
    head's name. The certificate's holder must be the signer."""
    org.head.full_name = "Trần Văn Khác"
    org.head.save(update_fields=["full_name"])
    with pytest.raises(RemoteSigningFailed) as refused:
        # Now, as the page's try below signs: a fixed day in 2026 numbered the first try in
        # 2026's counter and the page's in the real year's, two numbers from 2027 on.
        draft_sign(draft=drafted, actor=org.head, confirmed=True, at=timezone.now())
    assert refused.value.detail == "the certificate names another person"
    assert "không cấp cho Trần Văn Khác" in refused.value.message
    _nothing_signed(org, drafted)
    assert remote_signing.signed() == []
    page = client_for(org.head).post(
        f"/du-thao-ket-qua/{drafted.dossier.code}/1/ky/", {"confirm": "yes"})
    assert page.status_code == 422
    assert "không cấp cho Trần Văn Khác" in page.content.decode()
    _nothing_signed(org, drafted)


@pytest.mark.parametrize("spelled", ["LÃNH ĐẠO THỬ", "Lanh Dao Thu", "  lãnh  đạo thử "])
def test_the_holders_name_as_a_ca_writes_it_signs(remote_signing, drafted, org, pki,
                                                  monkeypatch, spelled):
    _service_names(monkeypatch, _head_certificate(pki, common_name=spelled))
    dossier = draft_sign(draft=drafted, actor=org.head, confirmed=True,
                         at=at("2026-03-03 15:00"))
    assert dossier.state == State.DECIDED


@pytest.mark.parametrize("number,signs", [("056090000123", True), ("079200009999", False)])
def test_a_proven_number_decides_over_the_name(remote_signing, drafted, org, pki, monkeypatch,
                                               number, signs):
    """A certificate naming its holder's ID number (UID "CCCD:…") signs for the account proven
    to stand for that number, and not for another person who shares the name."""
    from accounts.models import IdentityProof

    org.head.personal_id = "056090000123"
    org.head.save(update_fields=["personal_id"])
    IdentityProof.objects.create(user=org.head, kind=IdentityProof.Kind.PERSONAL,
                                 number="056090000123", method=IdentityProof.Method.VNEID,
                                 at=at("2026-03-02 10:00"))
    _service_names(monkeypatch, _head_certificate(pki, common_name="Lãnh Đạo Thử",
                                                  uid=f"CCCD:{number}"))
    if signs:
        assert draft_sign(draft=drafted, actor=org.head, confirmed=True,
                          at=at("2026-03-03 15:00")).state == State.DECIDED
        return
    with pytest.raises(RemoteSigningFailed) as refused:
        draft_sign(draft=drafted, actor=org.head, confirmed=True, at=at("2026-03-03 15:00"))
    assert refused.value.detail == "the certificate names another person"
    _nothing_signed(org, drafted)
