"""A head's signature is the approver's own (results/signing.py own_head_signer; audit7).

The installation-wide head certificate (MOTCUA_SIGNING_HEAD_PKCS12) signed for whoever approved:
a result signed with another person's key bears a forged signature (Decree 130/2018/NĐ-CP
art. 9 cl. 1; Decree 30/2020/NĐ-CP art. 13, the competent person signs).
"""

import shutil
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from dossiers.models import State
from dossiers.services import dossier_act
from dossiers.tests.conftest import at
from motcua.errors import DomainError
from results.demo import _own_certificates
from results.drafting import draft_from_template
from results.models import ResultCounter, ResultDraft, StoredDocument
from results.signing import certificate_name
from results.tests.conftest import HOLDER, PASSWORD
from results.verification import pdf_verify

REFUSED = "signing_certificate_not_signer"


@pytest.fixture
def at_head(org, make_dossier):
    """A dossier at the head's step with the specialist's draft from the template."""
    def make():
        d = dossier_act(dossier=make_dossier(), actor=org.desk, action="forward",
                        data={"assignee": org.specialist.pk}, at=at("2026-03-02 09:30"))
        draft = draft_from_template(dossier=d, actor=org.specialist, at=at("2026-03-02 16:00"))
        d = dossier_act(dossier=d, actor=org.specialist, action="forward",
                        data={"assignee": org.head.pk}, at=at("2026-03-03 09:00"))
        return d, draft
    return make


def _nothing_written(dossier, draft) -> None:
    dossier.refresh_from_db()
    draft.refresh_from_db()
    assert dossier.state == State.PROCESSING
    assert not dossier.events.filter(action="approve").exists()
    assert not StoredDocument.objects.filter(dossier=dossier).exists()
    # Refused before the number was taken: no number held, no counter moved.
    assert draft.status == ResultDraft.Status.DRAFT and draft.number == ""
    assert not ResultCounter.objects.exists()


def _signers(stored: StoredDocument) -> list[str]:
    with stored.file.open("rb") as f:
        return [s.signer for s in pdf_verify(f.read()).signatures]


def test_a_head_who_does_not_hold_the_server_certificate_is_refused(signing, org, at_head,
                                                                    client_for):
    # No own file: only the installation's head.p12, issued to Lãnh Đạo Thử, not to Lanhdao.
    signing.MOTCUA_SIGNING_HEAD_DIR = ""
    dossier, draft = at_head()
    page = client_for(org.head).post(f"/du-thao-ket-qua/{dossier.code}/1/ky/",
                                      {"confirm": "yes"})
    assert page.status_code == 422
    html = page.content.decode()
    assert f"được cấp cho {HOLDER}, không phải cho {org.head.display_name}" in html
    assert "Dịch vụ ký số từ xa" in html and "thể thức chữ ký" in html
    _nothing_written(dossier, draft)


def test_the_api_refuses_with_a_stable_code(signing, org, at_head):
    signing.MOTCUA_SIGNING_HEAD_DIR = ""
    dossier, draft = at_head()
    api = APIClient()
    api.force_authenticate(org.head)
    answer = api.post(f"/api/v1/dossiers/{dossier.code}/actions/approve/",
                      {"data": {"result_draft": draft.pk}}, format="json")
    assert answer.status_code == 409, answer.content
    error = answer.json()["error"]
    assert error["code"] == REFUSED
    assert "remote signing" in error["message_en"]
    _nothing_written(dossier, draft)


def test_the_holder_signs_with_the_server_certificate(signing, org, at_head):
    signing.MOTCUA_SIGNING_HEAD_DIR = ""
    # The same person, written without accents and in capitals: still the holder.
    org.head.full_name = "LANH DAO  THU"
    org.head.save(update_fields=["full_name"])
    dossier, draft = at_head()
    from results.drafting import draft_sign

    draft_sign(draft=draft, actor=org.head, confirmed=True, at=at("2026-03-03 15:00"))
    draft.refresh_from_db()
    assert _signers(draft.stored) == [HOLDER, "Sở Tư pháp tỉnh Thử nghiệm"]


def test_an_own_file_issued_to_someone_else_is_refused_too(signing, pki, org, at_head,
                                                           tmp_path):
    # The head's folder holds, under Lanhdao's username, the holder's certificate.
    folder = tmp_path / "heads"
    folder.mkdir()
    shutil.copy(pki.head, folder / f"{org.head.username}.p12")
    signing.MOTCUA_SIGNING_HEAD_DIR = str(folder)
    dossier, draft = at_head()
    from results.drafting import draft_sign

    with pytest.raises(DomainError) as err:
        draft_sign(draft=draft, actor=org.head, confirmed=True, at=at("2026-03-03 15:00"))
    assert err.value.code == REFUSED and err.value.http_status == 409
    _nothing_written(dossier, draft)


def test_the_seal_signs_as_before_without_any_head_certificate(signing, org, at_head):
    """The unit's seal is not a person's signature: no holder rule for it."""
    signing.MOTCUA_SIGNING_HEAD_PKCS12 = ""
    signing.MOTCUA_SIGNING_HEAD_DIR = ""
    dossier, draft = at_head()
    from results.drafting import draft_sign

    draft_sign(draft=draft, actor=org.head, confirmed=True, at=at("2026-03-03 15:00"))
    draft.refresh_from_db()
    assert _signers(draft.stored) == ["Sở Tư pháp tỉnh Thử nghiệm"]


def test_the_demo_gives_each_head_their_own_certificate_once(settings, pki, org, tmp_path):
    """results/demo.py: every demo head signing with a server-kept key gets a certificate in
    their own name; a folder that exists is extended, never rebuilt."""
    from pyhanko.sign import signers

    root = tmp_path / "pki"
    shutil.copytree(pki.root, root, ignore=shutil.ignore_patterns("heads"))
    settings.MOTCUA_PKI_DIR = root
    settings.MOTCUA_SIGNING_HEAD_DIR = str(root / "heads")
    settings.MOTCUA_SIGNING_HEAD_PKCS12_PASSWORD = PASSWORD
    kept = root / "heads" / f"{org.other_desk.username}.p12"
    kept.parent.mkdir()
    kept.write_bytes(pki.own_head(org.other_desk.username).read_bytes())
    before = kept.read_bytes()

    assert _own_certificates() == 2  # org.head and org.other_desk, the fixture's two heads
    assert kept.read_bytes() == before
    made = Path(settings.MOTCUA_SIGNING_HEAD_DIR) / f"{org.head.username}.p12"
    loaded = signers.SimpleSigner.load_pkcs12_data(made.read_bytes(), other_certs=(),
                                                   passphrase=PASSWORD.encode())
    assert certificate_name(loaded.signing_cert) == org.head.display_name
    again = made.read_bytes()
    assert _own_certificates() == 2 and made.read_bytes() == again


def test_the_demo_pki_command_issues_the_heads_certificates_before_any_approval(settings, org,
                                                                                tmp_path):
    """`make demo` approves dossiers right after `results_demo_pki` (accounts/demo.py): the
    heads' own certificates come with it, into the configured folder only."""
    from django.core.management import call_command

    settings.MOTCUA_PKI_DIR = tmp_path / "pki"
    settings.MOTCUA_SIGNING_HEAD_DIR = str(tmp_path / "pki" / "heads")
    settings.MOTCUA_SIGNING_HEAD_PKCS12_PASSWORD = PASSWORD
    elsewhere = tmp_path / "bench-pki"
    call_command("results_demo_pki", "--dir", str(elsewhere), "--password", PASSWORD,
                 verbosity=0)
    assert not (elsewhere / "heads").exists() and not (tmp_path / "pki").exists()
    call_command("results_demo_pki", "--dir", str(settings.MOTCUA_PKI_DIR), "--password",
                 PASSWORD, verbosity=0)
    assert sorted(p.name for p in (tmp_path / "pki" / "heads").iterdir()) == \
        [f"{org.head.username}.p12", f"{org.other_desk.username}.p12"]


def test_an_expired_installation_file_does_not_stop_a_head_with_their_own(signing, pki, org,
                                                                          at_head, tmp_path):
    """The installation's head file is read for its holder only: out of its term, it refuses
    no one else's approval (the approver signs with their own file)."""
    from results.drafting import draft_sign
    from results.tests.test_result_signing import _p12_out_of_term

    signing.MOTCUA_SIGNING_HEAD_PKCS12 = str(_p12_out_of_term(pki, tmp_path / "head.p12",
                                                              days_from=-1100, days_to=-1))
    dossier, draft = at_head()
    draft_sign(draft=draft, actor=org.head, confirmed=True, at=at("2026-03-03 15:00"))
    draft.refresh_from_db()
    assert _signers(draft.stored) == [org.head.display_name, "Sở Tư pháp tỉnh Thử nghiệm"]
