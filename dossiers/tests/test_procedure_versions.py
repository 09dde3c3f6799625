"""Filing under the procedure version in force on the filing date (dossiers/services/intake.py,
catalog/versions.py): a dossier filed the day before a new version takes effect keeps the old
papers and time limit; one filed on the day gets the new ones."""

from datetime import date
from decimal import Decimal

import pytest

from catalog.models import Procedure
from catalog.versions import (
    REMOVE_DOCUMENT,
    SET_TIME_LIMIT,
    VersionChange,
    procedure_version_create,
)
from dossiers.services import dossier_create
from motcua.errors import DomainError

from .conftest import APPLICANT, at

EFFECTIVE = date(2026, 3, 10)


@pytest.fixture
def next_version(org):
    return procedure_version_create(
        code=org.procedure.code, effective_from=EFFECTIVE, note="Bỏ bản chụp CCCD; 2 ngày",
        today=date(2026, 3, 1),
        changes=[VersionChange(REMOVE_DOCUMENT, org.doc_id.pk),
                 VersionChange(SET_TIME_LIMIT, org.variant.time_limits.get(channel=1).pk,
                               Decimal(2))])


def _file(org, when: str):
    # The desk's form was opened on the old version: it names the old version's papers.
    docs = [{"required_document": org.doc_form.pk}, {"required_document": org.doc_id.pk}]
    dossier, _ = dossier_create(actor=org.desk, variant=org.variant, channel=1,
                                receiving_unit=org.centre, applicant=APPLICANT,
                                documents=docs, accept=True, at=at(when))
    return dossier


def test_version_switches_on_the_effective_date(org, next_version):
    before = _file(org, "2026-03-09 09:00")
    after = _file(org, "2026-03-10 09:00")
    assert before.procedure_id == org.procedure.pk and before.variant_id == org.variant.pk
    assert before.limit_amount == 3
    assert [d.required_document_id for d in before.documents.all()] == [org.doc_form.pk,
                                                                         org.doc_id.pk]
    new_variant = next_version.variants.get()
    assert after.procedure_id == next_version.pk and after.variant_id == new_variant.pk
    assert after.limit_amount == 2
    # The paper the new version no longer asks for stays in the dossier by its name.
    docs = list(after.documents.all())
    assert docs[0].required_document_id == new_variant.documents.get().pk
    assert (docs[1].required_document_id, docs[1].name) == (None, "Bản chụp CCCD")


def test_older_dossiers_keep_their_version(org, next_version):
    before = _file(org, "2026-03-09 09:00")
    due = before.due_at
    from catalog.versions import procedure_versions_bring_into_force

    procedure_versions_bring_into_force(today=EFFECTIVE)
    before.refresh_from_db()
    assert before.procedure_id == org.procedure.pk and before.due_at == due
    assert before.variant.documents.count() == 2
    assert Procedure.objects.get(pk=next_version.pk).is_active


def test_withdrawn_procedure_refuses_filing(org):
    Procedure.objects.filter(pk=org.procedure.pk).update(is_active=False)
    with pytest.raises(DomainError) as error:
        _file(org, "2026-03-09 09:00")
    assert error.value.code == "procedure_inactive"


def test_an_online_draft_submitted_after_the_switch_is_filed_under_the_new_version(
        org, client_for, settings, tmp_path):
    """A draft opened (and its files uploaded) under version 1 and submitted on the day the
    next version takes effect is filed under the new version; each file stays on its paper,
    the paper the new version no longer asks for kept by its name (issue 14)."""
    from django.urls import reverse
    from django.utils import timezone

    from dossiers.models import Dossier, OnlineDraft
    from dossiers.tests import files
    from dossiers.tests.test_online import APPLICANT as ONLINE_APPLICANT

    settings.MEDIA_ROOT = tmp_path
    c = client_for(org.citizen)
    r = c.post(reverse("dossiers:online_start", args=[org.procedure.code]),
               {"variant": org.variant.pk, "receiving_unit": org.centre.pk})
    assert r.status_code == 303
    draft = OnlineDraft.objects.get(user=org.citizen)
    r = c.post(reverse("dossiers:online_draft", args=[draft.pk]),
               {**ONLINE_APPLICANT,
                f"doc_{org.doc_form.pk}": files.upload("to-khai.pdf", files.PDF),
                f"doc_{org.doc_id.pk}": files.upload("cccd.png", files.image("PNG"))})
    assert r.status_code in (200, 303) and draft.files.count() == 2

    today = timezone.localdate()
    new = procedure_version_create(
        code=org.procedure.code, effective_from=today, note="Bỏ bản chụp CCCD", today=today,
        changes=[VersionChange(REMOVE_DOCUMENT, org.doc_id.pk)])
    assert new.is_active  # its date has come

    r = c.post(reverse("dossiers:online_draft", args=[draft.pk]),
               {**ONLINE_APPLICANT, "submit": "submit"})
    assert r.status_code == 303, r.content.decode()[:800]
    dossier = Dossier.objects.get()
    assert dossier.procedure_id == new.pk and dossier.variant.procedure_id == new.pk
    papers = {d.name: d for d in dossier.documents.all()}
    form = papers[org.doc_form.name]
    assert form.required_document_id == new.variants.get().documents.get().pk
    assert [f.original_name for f in form.files.all()] == ["to-khai.pdf"]
    kept = papers[org.doc_id.name]
    assert kept.required_document_id is None
    assert [f.original_name for f in kept.files.all()] == ["cccd.png"]
