"""The head's signature through the remote-signing adapter, against its simulator."""

import pytest

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
        draft_sign(draft=drafted, actor=org.head, confirmed=True, at=at("2026-03-03 15:00"))
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
