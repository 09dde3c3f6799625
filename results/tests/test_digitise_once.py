"""A paper is digitised into the owner's store once (audit4): the page offers the form only for
a paper not digitised yet, but a second submission (a double click, two tabs, two desks, the
API) signed and stored a second copy with a second event. Checked under the dossier's lock."""

import pytest

from dossiers.models import DossierDocument, DossierEvent
from motcua.errors import DomainError
from results.models import StoredDocument
from results.services import digitised_store
from results.tests.test_forms_and_tsa import _scan


def test_a_paper_digitised_twice_is_stored_once(signing, org, make_dossier):
    dossier = make_dossier()
    paper = DossierDocument.objects.filter(dossier=dossier).first()
    first = digitised_store(dossier_document=paper, content=_scan(), actor=org.desk,
                            unit=org.centre)
    # The second desk's request read the paper before the first one committed.
    stale = DossierDocument.objects.get(pk=paper.pk)
    stale.digitised = False
    with pytest.raises(DomainError) as refused:
        digitised_store(dossier_document=stale, content=_scan(), actor=org.desk,
                        unit=org.centre)
    assert refused.value.http_status == 409
    assert list(StoredDocument.objects.filter(kind="digitised", dossier=dossier)
                .values_list("uid", flat=True)) == [first.uid]
    assert DossierEvent.objects.filter(dossier=dossier, action="paper_digitised").count() == 1


def test_a_paper_flagged_at_the_counter_without_a_stored_copy_can_still_be_stored(
        signing, org, make_dossier):
    # The desk's scans attached at intake flag the paper without a copy in the store.
    dossier = make_dossier()
    paper = DossierDocument.objects.filter(dossier=dossier).first()
    DossierDocument.objects.filter(pk=paper.pk).update(digitised=True)
    paper.refresh_from_db()
    digitised_store(dossier_document=paper, content=_scan(), actor=org.desk, unit=org.centre)
    assert StoredDocument.objects.filter(kind="digitised", dossier=dossier).count() == 1


def test_the_api_refuses_a_second_copy(signing, org, make_dossier):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from rest_framework.test import APIClient

    dossier = make_dossier()
    paper = dossier.documents.first()
    api = APIClient()
    api.force_authenticate(org.desk)
    url = f"/api/v1/dossiers/{dossier.code}/documents/{paper.pk}/digitise/"
    for expected in (201, 409):
        scan = SimpleUploadedFile("scan.pdf", _scan(), content_type="application/pdf")
        assert api.post(url, {"file": scan}, format="multipart").status_code == expected
    assert StoredDocument.objects.filter(kind="digitised", dossier=dossier).count() == 1


def test_a_second_copy_is_refused_before_the_seal_signs(signing, org, make_dossier,
                                                        monkeypatch):
    # Signing is the costly part (it may call the remote signing service): a paper already
    # in the store is refused before it.
    import results.services as services

    dossier = make_dossier()
    paper = DossierDocument.objects.filter(dossier=dossier).first()
    digitised_store(dossier_document=paper, content=_scan(), actor=org.desk, unit=org.centre)
    signed: list[bytes] = []
    real = services.pdf_sign
    monkeypatch.setattr(services, "pdf_sign",
                        lambda content, **kw: signed.append(content) or real(content, **kw))
    with pytest.raises(DomainError) as refused:
        digitised_store(dossier_document=paper, content=_scan(), actor=org.desk,
                        unit=org.centre)
    assert refused.value.code == "already_digitised" and signed == []
