"""The citizen's API: multipart submission, own list, online supplement, private download."""

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from dossiers.models import Dossier, DossierFile, State
from dossiers.services import dossier_act
from dossiers.tests import files
from dossiers.tests.conftest import _user


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _api(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def _body(org, **extra):
    return {"variant": org.variant.pk, "receiving_unit": org.centre.code,
            "applicant_name": "Trần Thị Bích", "applicant_id_number": "056185004321",
            "applicant_phone": "0914222333",
            f"doc_{org.doc_form.pk}": files.upload("to-khai.pdf", files.PDF),
            f"doc_{org.doc_id.pk}": files.upload("cccd.jpg", files.image("JPEG")), **extra}


def test_submit_list_supplement_download(org):
    api = _api(org.citizen)
    r = api.post("/api/v1/my/dossiers/", _body(org), format="multipart",
                 HTTP_IDEMPOTENCY_KEY="k-1")
    assert r.status_code == 201, r.json()
    code = r.json()["code"]
    assert r.json()["portal_status"] == 1 and r.json()["channel"] == 2
    # Same key again: the same dossier, no second one.
    r = api.post("/api/v1/my/dossiers/", _body(org), format="multipart",
                 HTTP_IDEMPOTENCY_KEY="k-1")
    assert r.status_code == 200 and r.json()["code"] == code
    assert Dossier.objects.count() == 1
    listed = api.get("/api/v1/my/dossiers/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [d["code"] for d in rows] == [code]
    other = _user("congdan2", None, kind=User.Kind.CITIZEN)
    other_rows = _api(other).get("/api/v1/my/dossiers/").json()
    assert (other_rows["results"] if isinstance(other_rows, dict) else other_rows) == []

    d = Dossier.objects.get()
    dossier_act(dossier=d, actor=org.desk, action="request_supplement", reason="Thiếu bản rõ",
                data={"missing_documents": ["Bản chụp CCCD"]})
    r = _api(other).post(f"/api/v1/my/dossiers/{code}/supplement/",
                         {f"doc_{org.doc_id.pk}": files.upload("x.png", files.image("PNG"))},
                         format="multipart")
    assert r.status_code == 404
    r = api.post(f"/api/v1/my/dossiers/{code}/supplement/",
                 {f"doc_{org.doc_id.pk}": files.upload("x.pdf", b"just text")},
                 format="multipart")
    assert r.status_code == 400 and "x.pdf" in r.json()["error"]["message"]
    r = api.post(f"/api/v1/my/dossiers/{code}/supplement/",
                 {f"doc_{org.doc_id.pk}": files.upload("cccd-ro.png", files.image("PNG")),
                  "note": "Bản rõ"}, format="multipart")
    assert r.status_code == 200, r.json()
    assert r.json()["state"] == State.SUBMITTED

    f = DossierFile.objects.get(original_name="cccd-ro.png")
    r = api.get(f"/api/v1/files/{f.token}/")
    assert r.status_code == 200 and r["X-Content-Type-Options"] == "nosniff"
    assert r["Content-Disposition"].startswith("attachment")
    assert _api(other).get(f"/api/v1/files/{f.token}/").status_code == 404


def test_submit_refuses_disguised_file_and_missing_paper(org):
    api = _api(org.citizen)
    r = api.post("/api/v1/my/dossiers/",
                 _body(org, **{f"doc_{org.doc_id.pk}": files.upload("cccd.pdf", b"MZ\x90")}),
                 format="multipart")
    assert r.status_code == 400 and "cccd.pdf" in r.json()["error"]["message"]
    body = _body(org)
    body.pop(f"doc_{org.doc_id.pk}")
    r = api.post("/api/v1/my/dossiers/", body, format="multipart")
    assert r.status_code == 400 and r.json()["error"]["code"] == "documents_missing"
    assert not Dossier.objects.exists() and not DossierFile.objects.exists()


@pytest.mark.parametrize("kind", [User.Kind.CITIZEN, User.Kind.BUSINESS])
def test_a_citizen_files_only_through_the_online_api_with_the_papers_files(org, kind):
    """`POST /api/v1/dossiers/` is the desk's. Until audit11 a citizen's token filed an online
    dossier there with no file for any mandatory paper, its papers marked "original seen" and
    the desk's answers about them, at any receiving unit (the audit11 review)."""
    applicant = _user(f"nguoi.nop.{kind}", None, kind=kind)
    body = {"variant": org.variant.pk, "channel": 2, "receiving_unit": org.other.code,
            "applicant": {"name": "Trần Thị Bích", "id_number": "056185004321"},
            "documents": [{"required_document": org.doc_form.pk, "original_seen": True},
                          {"required_document": org.doc_id.pk, "original_seen": True}],
            "papers": {"not_applicable": {str(org.doc_id.pk): "Không cần"}}}
    r = _api(applicant).post("/api/v1/dossiers/", body, format="json")
    assert r.status_code == 403, r.json()
    assert r.json()["error"]["code"] == "permission_denied"
    assert "/api/v1/my/dossiers/" in r.json()["error"]["message"]
    assert not Dossier.objects.exists()
    # The desk files the same body on the person's behalf at its own unit, as before.
    r = _api(org.desk).post("/api/v1/dossiers/", body | {"receiving_unit": org.centre.code},
                            format="json")
    assert r.status_code == 201, r.json()
