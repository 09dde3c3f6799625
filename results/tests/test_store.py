"""The citizen's data store: who sees what, downloads, and reuse in a later dossier."""

import time
import uuid

import pytest
from rest_framework.test import APIClient

from accounts.models import Role, User
from accounts.services.identity import identity_prove_vneid
from dossiers.models import DossierDocument
from motcua.errors import DomainError
from results.models import DocumentReuse, StoredDocument
from results.selectors import reusable_for
from results.services import stored_document_reuse
from results.tests.conftest import pdfsig_valid
from results.verification import pdf_verify

OWNER_ID = "056185004321"  # the applicant of dossiers.tests.conftest.APPLICANT


@pytest.fixture
def owner(db):
    """The result's owner, logged in with VNeID (which proves the personal ID)."""
    user = User.objects.create_user(username="chu.so.huu", password="x-Test-2026",
                                    kind=User.Kind.CITIZEN, full_name="Trần Thị Bích",
                                    personal_id=OWNER_ID)
    identity_prove_vneid(user=user, personal_id=OWNER_ID)
    return user


@pytest.fixture
def birth_certificate(org):
    org.procedure.result_text = "Giấy khai sinhMã: KQ.G15.000031Từ khóa"
    org.procedure.result_codes = ["KQ.G15.000031"]
    org.procedure.save()
    return org


def test_approval_to_download_to_reuse_without_upload(signing, birth_certificate, make_dossier,
                                                      approve, owner, client_for, pdfsig):
    """Issue 4, done: approval → signed result the citizen downloads, pdfsig calls valid, and the
    same citizen reuses it in a second dossier without uploading."""
    org = birth_certificate
    first = approve(make_dossier())
    stored = StoredDocument.objects.get(dossier=first)

    page = client_for(owner).get("/kho-du-lieu/")
    assert page.status_code == 200
    assert "Giấy khai sinh" in page.content.decode() and stored.document_number in \
        page.content.decode()
    download = client_for(owner).get(f"/kho-du-lieu/{stored.uid}/tai-ve/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    content = b"".join(download.streaming_content)
    assert pdfsig_valid(pdfsig(content), 2)
    assert pdf_verify(content).valid

    # A second procedure needs "Bản sao Giấy khai sinh": the store offers the result.
    from catalog.models import RequiredDocument

    needed = RequiredDocument.objects.create(variant=org.variant, name="Bản sao Giấy khai sinh",
                                             copy_kind="copy", order=3,
                                             optional=True)
    offered = reusable_for(OWNER_ID, needed)
    assert offered == [stored]
    assert reusable_for(OWNER_ID, org.doc_form) == []
    assert reusable_for("001099000001", needed) == []

    second = make_dossier()
    paper = DossierDocument.objects.create(dossier=second, required_document=needed,
                                           name=needed.name, copy_kind="copy")
    api = APIClient()
    api.force_authenticate(org.desk)
    answer = api.post(f"/api/v1/dossiers/{second.code}/documents/{paper.pk}/reuse/",
                      {"stored": str(stored.uid)}, format="json")
    assert answer.status_code == 200, answer.content
    paper.refresh_from_db()
    assert (paper.reused, paper.replacing_result_code, paper.from_national_store) == \
        (True, "KQ.G15.000031", False)
    assert DocumentReuse.objects.get(dossier_document=paper).stored == stored


def test_reuse_refuses_someone_elses_and_expired_documents(signing, org, make_dossier, approve):
    stored = StoredDocument.objects.get(dossier=approve(make_dossier()))
    other = make_dossier(applicant={"kind": 1, "name": "Lê Văn Cường",
                                    "id_number": "056088007654"})
    paper = DossierDocument.objects.create(dossier=other, name="Giấy tờ")
    with pytest.raises(DomainError) as err:
        stored_document_reuse(stored=stored, dossier_document=paper, actor=org.desk)
    assert (err.value.code, err.value.http_status) == ("not_found", 404)
    paper.refresh_from_db()
    assert not paper.reused

    from datetime import date

    stored.valid_until = date(2026, 1, 1)
    stored.save()
    mine = DossierDocument.objects.create(dossier=make_dossier(), name="Giấy tờ")
    with pytest.raises(DomainError) as err:
        stored_document_reuse(stored=stored, dossier_document=mine, actor=org.desk)
    assert err.value.code == "expired"
    assert reusable_for(OWNER_ID, stored.title) == []


def test_who_may_download(signing, org, make_dossier, approve, owner, client_for):
    stored = StoredDocument.objects.get(dossier=approve(make_dossier()))
    url = f"/kho-du-lieu/{stored.uid}/tai-ve/"
    stranger = User.objects.create_user(username="nguoi.la", password="x-Test-2026",
                                        kind=User.Kind.CITIZEN, personal_id="001099000001")
    assert client_for(stranger).get(url).status_code == 404
    assert client_for(stranger).get("/kho-du-lieu/").content.decode().count("Tải về") == 0
    # Staff of another unit: 404; staff who handled the dossier: the file.
    assert client_for(org.other_desk).get(url).status_code == 404
    assert client_for(org.specialist).get(url).status_code == 200
    assert client_for(owner).get(url).status_code == 200
    # Staff have no store of their own to browse.
    assert "Tải về" not in client_for(org.specialist).get("/kho-du-lieu/").content.decode()
    anonymous = client_for(owner)
    anonymous.logout()
    assert anonymous.get(url).status_code == 302


def test_staff_of_a_dossier_that_reuses_a_document_may_open_it(signing, org, make_dossier,
                                                               approve, client_for):
    from accounts.models import Membership, Unit

    stored = StoredDocument.objects.get(dossier=approve(make_dossier()))
    commune_desk = User.objects.create_user(username="motcua.xa", password="x-Test-2026",
                                            kind=User.Kind.STAFF)
    commune = Unit.objects.get(code="000.31.01.H99")
    Membership.objects.create(user=commune_desk, unit=commune, role=Role.RECEIVING)
    url = f"/kho-du-lieu/{stored.uid}/tai-ve/"
    assert client_for(commune_desk).get(url).status_code == 404

    from dossiers.services import dossier_create

    later, _ = dossier_create(actor=commune_desk, variant=org.variant, channel=1,
                              receiving_unit=commune,
                              applicant={"kind": 1, "name": "Trần Thị Bích",
                                         "id_number": OWNER_ID},
                              documents=[{"required_document": org.doc_form.pk}])
    stored_document_reuse(stored=stored, dossier_document=later.documents.first(),
                          actor=commune_desk)
    assert client_for(commune_desk).get(url).status_code == 200


def test_my_store_api(signing, make_dossier, approve, owner):
    stored = StoredDocument.objects.get(dossier=approve(make_dossier()))
    api = APIClient()
    api.force_authenticate(owner)
    listing = api.get("/api/v1/kho-du-lieu/").json()
    assert [d["uid"] for d in listing["results"]] == [str(stored.uid)]
    row = listing["results"][0]
    assert row["owner_id_number"] == OWNER_ID and row["signed"] is True
    download = api.get(row["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_the_staff_dossier_page_and_the_public_lookup_link_the_result(signing, org, make_dossier,
                                                                      approve, client_for):
    dossier = approve(make_dossier())
    stored = StoredDocument.objects.get(dossier=dossier)
    page = client_for(org.desk).get(f"/ho-so/{dossier.code}/").content.decode()
    assert f"/kho-du-lieu/{stored.uid}/tai-ve/" in page

    from django.test import Client

    public = Client()
    html = public.post("/tra-cuu/", {"ma": dossier.code,
                                     "bi-mat": dossier.lookup_secret}).content.decode()
    marker = "/ket-qua/"
    assert marker in html
    link = html[html.index(marker):].split('"', 1)[0]
    assert link == f"/ket-qua/{stored.uid}/"
    download = public.get(link)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    # The link carries no bearer token: read from a log, it opens nothing in another browser.
    assert Client().get(link).status_code == 404
    assert public.get(f"/ket-qua/{uuid.uuid4()}/").status_code == 404
    assert public.get("/ket-qua/xyz/").status_code == 404


def test_a_public_result_link_lasts_an_hour(signing, make_dossier, approve, monkeypatch):
    from django.test import Client

    from results import views

    dossier = approve(make_dossier())
    stored = StoredDocument.objects.get(dossier=dossier)
    public = Client()
    public.post("/tra-cuu/", {"ma": dossier.code, "bi-mat": dossier.lookup_secret})
    now = time.time()
    monkeypatch.setattr(views, "_now", lambda: now + views.PUBLIC_LINK_SECONDS - 5)
    assert public.get(f"/ket-qua/{stored.uid}/").status_code == 200
    monkeypatch.setattr(views, "_now", lambda: now + views.PUBLIC_LINK_SECONDS + 5)
    expired = public.get(f"/ket-qua/{stored.uid}/")
    assert expired.status_code == 404
    assert "tra cứu lại" in expired.content.decode()


def test_the_applicant_finds_the_result_on_my_dossier_page(signing, make_dossier, approve, owner,
                                                            client_for):
    from dossiers.models import Dossier

    dossier = approve(make_dossier())
    Dossier.objects.filter(pk=dossier.pk).update(applicant_user=owner)
    stored = StoredDocument.objects.get(dossier=dossier)
    page = client_for(owner).get(f"/ho-so-cua-toi/{dossier.code}/")
    assert page.status_code == 200
    assert f"/kho-du-lieu/{stored.uid}/tai-ve/" in page.content.decode()
