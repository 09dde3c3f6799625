"""Issue #17: the data store opens only to a proven identity, and reuse checks who acts.

Both leaks were reproduced against the previous code: a password account that typed someone's
personal ID listed and downloaded that person's signed results; naming someone as the owner of
an online dossier let the filer reuse, then download, their stored document.
"""

import re

import pytest
from django.core import mail
from rest_framework.test import APIClient

from accounts.models import IdentityProof, PersonalDataAccess, User
from accounts.services.identity import identity_prove_at_desk, identity_prove_vneid
from dossiers.models import Dossier, DossierDocument
from dossiers.tests import files
from results.models import DocumentReuse, StoredDocument

OWNER_ID = "056185004321"  # the applicant of dossiers.tests.conftest.APPLICANT
PASSWORD = "Mot-cua-2026!"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def _signed_up_with(client, personal_id: str, capture) -> User:
    """Sign up on the real page with `personal_id` typed in, and confirm one's own e-mail."""
    with capture(execute=True):
        r = client.post("/tai-khoan/dang-ky/", {
            "kind": "citizen", "identifier": "ke.gia@example.vn", "full_name": "Kẻ Giả Danh",
            "personal_id": personal_id, "organization_name": "", "tax_code": "",
            "password": PASSWORD, "password2": PASSWORD})
    assert r.status_code == 302
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    assert client.post("/tai-khoan/xac-minh/", {"code": code}).status_code == 302
    return User.objects.get(username="ke.gia@example.vn")


def _file_online_naming_the_owner(org, attacker) -> Dossier:
    body = {"variant": org.variant.pk, "receiving_unit": org.centre.code,
            "applicant_name": "Kẻ Giả Danh", "applicant_id_number": "001099000001",
            "applicant_phone": "0914000111",
            "applicant_owner_name": "Trần Thị Bích", "applicant_owner_id_number": OWNER_ID,
            f"doc_{org.doc_form.pk}": files.upload("to-khai.pdf", files.PDF),
            f"doc_{org.doc_id.pk}": files.upload("cccd.jpg", files.image("JPEG"))}
    r = _api(attacker).post("/api/v1/my/dossiers/", body, format="multipart")
    assert r.status_code == 201, r.json()
    return Dossier.objects.get(code=r.json()["code"])


def test_a_typed_personal_id_opens_nobodys_store(signing, make_dossier, approve, client,
                                                 django_capture_on_commit_callbacks):
    stored = StoredDocument.objects.get(dossier=approve(make_dossier()))
    impostor = _signed_up_with(client, OWNER_ID, django_capture_on_commit_callbacks)
    assert impostor.personal_id == OWNER_ID  # held, not proven
    listing = _api(impostor).get("/api/v1/kho-du-lieu/").json()
    assert listing["results"] == []
    assert _api(impostor).get(f"/api/v1/kho-du-lieu/{stored.uid}/tai-ve/").status_code == 404
    assert client.get(f"/kho-du-lieu/{stored.uid}/tai-ve/").status_code == 404
    page = client.get("/kho-du-lieu/").content.decode()
    assert stored.document_number not in page
    # The page says how to open the store: VNeID or a desk.
    assert "VNeID" in page and "bộ phận một cửa" in page


def test_the_real_holder_proven_at_a_desk_takes_the_number_and_the_store(
        signing, org, make_dossier, approve, client, django_capture_on_commit_callbacks):
    stored = StoredDocument.objects.get(dossier=approve(make_dossier()))
    impostor = _signed_up_with(client, OWNER_ID, django_capture_on_commit_callbacks)
    holder = User.objects.create_user(username="0914222333", password=PASSWORD,
                                      kind=User.Kind.CITIZEN, phone="0914222333")
    done = identity_prove_at_desk(officer=org.desk, unit=org.centre, account=holder,
                                  kind=IdentityProof.Kind.PERSONAL, number=OWNER_ID,
                                  paper="Thẻ căn cước số 056185004321, cấp 01/07/2024")
    proof, holder = done.proof, done.account
    assert holder.personal_id == OWNER_ID
    assert (proof.officer, proof.unit, proof.method) == (org.desk, org.centre, "desk")
    impostor.refresh_from_db()
    assert impostor.personal_id is None
    rows = _api(holder).get("/api/v1/kho-du-lieu/").json()["results"]
    assert [r["uid"] for r in rows] == [str(stored.uid)]
    # The officer's proof is a read of the person's data, in the log.
    assert PersonalDataAccess.objects.filter(
        user=org.desk, subject=OWNER_ID, action=PersonalDataAccess.Action.IDENTITY_PROOF).exists()


def test_naming_someone_as_owner_does_not_reuse_or_download_their_document(
        signing, org, make_dossier, approve):
    stored = StoredDocument.objects.get(dossier=approve(make_dossier()))
    attacker = org.citizen
    dossier = _file_online_naming_the_owner(org, attacker)
    assert dossier.owner_id_number == OWNER_ID
    paper = DossierDocument.objects.filter(dossier=dossier).first()
    r = _api(attacker).post(f"/api/v1/dossiers/{dossier.code}/documents/{paper.pk}/reuse/",
                            {"stored": str(stored.uid)}, format="json")
    assert r.status_code == 404
    assert not DocumentReuse.objects.exists()
    assert _api(attacker).get(f"/api/v1/kho-du-lieu/{stored.uid}/tai-ve/").status_code == 404


def test_the_proven_owner_reuses_their_own_document_online(signing, org, make_dossier, approve):
    stored = StoredDocument.objects.get(dossier=approve(make_dossier()))
    owner = User.objects.create_user(username="chu.so.huu", password=PASSWORD,
                                     kind=User.Kind.CITIZEN, personal_id=OWNER_ID)
    identity_prove_vneid(user=owner, personal_id=OWNER_ID)
    body = {"variant": org.variant.pk, "receiving_unit": org.centre.code,
            "applicant_name": "Trần Thị Bích", "applicant_id_number": OWNER_ID,
            "applicant_phone": "0914222333",
            f"doc_{org.doc_form.pk}": files.upload("to-khai.pdf", files.PDF),
            f"doc_{org.doc_id.pk}": files.upload("cccd.jpg", files.image("JPEG"))}
    r = _api(owner).post("/api/v1/my/dossiers/", body, format="multipart")
    assert r.status_code == 201, r.json()
    dossier = Dossier.objects.get(code=r.json()["code"])
    paper = DossierDocument.objects.filter(dossier=dossier).first()
    r = _api(owner).post(f"/api/v1/dossiers/{dossier.code}/documents/{paper.pk}/reuse/",
                         {"stored": str(stored.uid)}, format="json")
    assert r.status_code == 200, r.json()
    assert DocumentReuse.objects.get().dossier_document == paper
    # A citizen using their own store reads nobody else's data: nothing in the staff log.
    assert not PersonalDataAccess.objects.exists()


def test_the_desk_reuses_the_owners_document_and_the_read_is_logged(signing, org, make_dossier,
                                                                   approve):
    stored = StoredDocument.objects.get(dossier=approve(make_dossier()))
    later = make_dossier()
    paper = later.documents.first()
    r = _api(org.desk).post(f"/api/v1/dossiers/{later.code}/documents/{paper.pk}/reuse/",
                            {"stored": str(stored.uid)}, format="json")
    assert r.status_code == 200, r.json()
    log = PersonalDataAccess.objects.get(action=PersonalDataAccess.Action.STORE_REUSE)
    assert (log.user, log.unit, log.subject) == (org.desk, org.centre, OWNER_ID)
    assert later.code in log.reference


def test_a_document_the_desk_reuses_for_a_named_owner_stays_closed_to_the_filer(
        signing, org, make_dossier, approve, client_for):
    """The desk may use the named owner's stored paper for the dossier (its own read, logged);
    that opens the paper to the staff handling the dossier, not to the account that typed the
    owner's number: reuse grants the filer nothing their proven identity does not."""
    stored = StoredDocument.objects.get(dossier=approve(make_dossier()))
    attacker = org.citizen
    dossier = _file_online_naming_the_owner(org, attacker)
    paper = DossierDocument.objects.filter(dossier=dossier).first()
    r = _api(org.desk).post(f"/api/v1/dossiers/{dossier.code}/documents/{paper.pk}/reuse/",
                            {"stored": str(stored.uid)}, format="json")
    assert r.status_code == 200, r.json()
    assert _api(attacker).get(f"/api/v1/kho-du-lieu/{stored.uid}/tai-ve/").status_code == 404
    assert client_for(attacker).get(f"/kho-du-lieu/{stored.uid}/tai-ve/").status_code == 404
    assert _api(attacker).get("/api/v1/kho-du-lieu/").json()["results"] == []
    # The staff handling the dossier still open it.
    assert _api(org.desk).get(f"/api/v1/kho-du-lieu/{stored.uid}/tai-ve/").status_code == 200


def test_a_staff_download_of_a_stored_result_is_logged_on_the_page_and_the_api(
        signing, org, make_dossier, approve, client_for):
    stored = StoredDocument.objects.get(dossier=approve(make_dossier()))
    assert client_for(org.desk).get(f"/kho-du-lieu/{stored.uid}/tai-ve/").status_code == 200
    assert _api(org.desk).get(f"/api/v1/kho-du-lieu/{stored.uid}/tai-ve/").status_code == 200
    rows = list(PersonalDataAccess.objects.filter(
        action=PersonalDataAccess.Action.RESULT_DOWNLOAD).values_list(
        "user__username", "unit__code", "subject", "reference"))
    reference = stored.document_number or str(stored.uid)
    assert rows == [(org.desk.username, org.centre.code, OWNER_ID, reference)] * 2
    # The proven owner downloading their own result is not a staff read.
    owner = User.objects.create_user(username="chu.so.huu", password=PASSWORD,
                                     kind=User.Kind.CITIZEN, personal_id=OWNER_ID)
    identity_prove_vneid(user=owner, personal_id=OWNER_ID)
    assert _api(owner).get(f"/api/v1/kho-du-lieu/{stored.uid}/tai-ve/").status_code == 200
    assert PersonalDataAccess.objects.filter(
        action=PersonalDataAccess.Action.RESULT_DOWNLOAD).count() == 2
