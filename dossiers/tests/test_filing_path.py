"""The lean filing path (issue #18) writes what the previous path wrote, and answers the same.

The same input is filed twice, once by each path, and every row both leave — the dossier, its
papers, steps and events, the portal outbox, the notifications, the service-index counters — is
compared with the ids, the codes and the random lookup secret put aside. The API answer built from
memory is compared with the answer read afresh from the database.
"""

import re
from types import SimpleNamespace

import pytest
from django.db.models import Sum
from django.forms.models import model_to_dict

from dossiers import selectors
from dossiers.models import Dossier, DossierDocument, DossierEvent, DossierStep
from dossiers.serializers import DossierDetailSerializer
from dossiers.services import dossier_create
from dossiers.tests.conftest import APPLICANT, at
from dossiers.tests.filing_previous import dossier_create_previous
from metrics.models import DailyCounter, MonthlyCounter
from notifications.models import Notification
from sync.models import OutboxMessage

WHEN = "2026-03-02 09:00"
APPLICANT_MAIL = {**APPLICANT, "email": "bich@example.vn"}


def _documents(org):
    return [{"required_document": org.doc_form.pk, "original_seen": True},
            {"required_document": org.doc_id.pk}, {"name": "Giấy ủy quyền", "count": 2}]


def _plain(value, dossier: Dossier):
    """`value` with what differs between two filings of one input put aside: the code's number,
    the row ids."""
    text = repr(value).replace(dossier.code, "CODE").replace(dossier.lookup_secret, "SECRET")
    return re.sub(r"\b(id|pk|dossier|step|event|current_step|TepDinhKemId)\b(['\"]?: ?'?)\d+",
                  r"\1\2N", text)


def _rows(dossier: Dossier) -> dict[str, object]:
    skip = {"id", "code", "lookup_secret", "created_at", "updated_at", "current_step"}
    ids = {s.pk: s.order for s in DossierStep.objects.filter(dossier=dossier)}
    row = {k: v for k, v in model_to_dict(Dossier.objects.get(pk=dossier.pk)).items()
           if k not in skip}
    row["current_step_order"] = ids.get(Dossier.objects.get(pk=dossier.pk).current_step_id)
    return {
        "dossier": row,
        "documents": [{k: v for k, v in model_to_dict(d).items() if k not in ("id", "dossier")}
                      for d in DossierDocument.objects.filter(dossier=dossier).order_by("pk")],
        "steps": [{k: v for k, v in model_to_dict(s).items() if k not in ("id", "dossier")}
                  for s in DossierStep.objects.filter(dossier=dossier)],
        "events": [{**{k: v for k, v in model_to_dict(e).items()
                       if k not in ("id", "dossier", "step")},
                    "step_order": ids.get(e.step_id)}
                   for e in DossierEvent.objects.filter(dossier=dossier)],
        "outbox": _plain([{k: v for k, v in model_to_dict(m).items()
                           if k not in ("id", "dossier", "next_try_at", "created_at")}
                          for m in OutboxMessage.objects.filter(dossier=dossier)], dossier),
        "notifications": _plain([(n.kind, n.channel, n.recipient, n.subject, n.body)
                                 for n in Notification.objects.filter(dossier=dossier)
                                 .order_by("pk")], dossier),
    }


def _counters() -> list[tuple]:
    """The day and month counters, each key's slots summed (metrics/counters.py)."""
    from metrics.models import COUNTER_FIELDS

    sums = {n: Sum(n) for n in COUNTER_FIELDS}
    return [tuple(r[f] for f in COUNTER_FIELDS)
            for m, key in ((DailyCounter, "day"), (MonthlyCounter, "month"))
            for r in m.objects.values(key, "unit_id", "procedure_id").annotate(**sums)
            .order_by(key, "unit_id", "procedure_id")]


@pytest.mark.django_db
@pytest.mark.parametrize("accept", [True, False])
def test_the_lean_filing_writes_the_rows_the_previous_path_wrote(org, accept):
    previous = dossier_create_previous(actor=org.desk, variant=org.variant, channel=1,
                                       receiving_unit=org.centre, applicant=APPLICANT_MAIL,
                                       documents=_documents(org), accept=accept, at=at(WHEN))
    counted_once = _counters()
    lean, created = dossier_create(actor=org.desk, variant=org.variant, channel=1,
                                   receiving_unit=org.centre, applicant=APPLICANT_MAIL,
                                   documents=_documents(org), accept=accept, at=at(WHEN))
    assert created
    assert (previous.code[-4:], lean.code[-4:]) == ("0001", "0002")
    assert _rows(lean) == _rows(previous)
    # The second filing counted exactly what the first did, in the same rows.
    assert _counters() == [tuple(2 * n for n in row) for row in counted_once]
    assert Notification.objects.filter(dossier=lean).exists() == accept


@pytest.mark.django_db
def test_the_answer_built_from_memory_is_the_answer_read_afresh(org):
    request = SimpleNamespace(user=org.desk)
    previous = dossier_create_previous(actor=org.desk, variant=org.variant, channel=1,
                                       receiving_unit=org.centre, applicant=APPLICANT_MAIL,
                                       documents=_documents(org), accept=True, at=at(WHEN))
    lean, _ = dossier_create(actor=org.desk, variant=org.variant, channel=1,
                             receiving_unit=org.centre, applicant=APPLICANT_MAIL,
                             documents=_documents(org), accept=True, at=at(WHEN))
    from_memory = DossierDetailSerializer(selectors.dossier_details_load(lean),
                                          context={"request": request}).data
    afresh = DossierDetailSerializer(selectors.dossier_with_details(pk=lean.pk),
                                     context={"request": request}).data
    before = DossierDetailSerializer(selectors.dossier_with_details(pk=previous.pk),
                                     context={"request": request}).data
    assert from_memory == afresh
    assert _plain(dict(afresh), lean) == _plain(dict(before), previous)
    assert from_memory["state"] == "received" and len(from_memory["steps"]) == 4



@pytest.mark.django_db
def test_the_answer_finds_every_detail_held_after_a_filing(org, monkeypatch):
    """Issue #18: the steps' units (the competent unit's for a step the case gives none) come
    from the reference cache with their parents, so the answer loads nothing: without them every
    filing walked prefetch_related_objects over the dossier's relations, reading nothing."""
    lean, _ = dossier_create(actor=org.desk, variant=org.variant, channel=1,
                             receiving_unit=org.centre, applicant=APPLICANT_MAIL,
                             documents=_documents(org), accept=True, at=at(WHEN))

    def walked(*args, **kwargs):
        raise AssertionError("prefetch_related_objects walked a filed dossier's relations")

    monkeypatch.setattr(selectors, "prefetch_related_objects", walked)
    assert selectors.dossier_details_load(lean) is lean


@pytest.mark.django_db
def test_a_filing_reads_its_cases_lists_without_related_managers(org, monkeypatch):
    """Issue #18: the case from the reference cache holds its papers, steps, time limits and fees;
    a filing reads them as held (motcua.prepared.related_rows), not through a related manager
    and the queryset its `.all()` builds on every call."""
    from django.db.models.fields.related_descriptors import ReverseManyToOneDescriptor

    from catalog.models import Variant

    asked: list[str] = []
    original = ReverseManyToOneDescriptor.__get__

    def counted(self, instance, cls=None):
        if isinstance(instance, Variant):
            asked.append(self.rel.get_accessor_name())
        return original(self, instance, cls)

    # The first filing of the worker loads the case into the cache (prefetch_related).
    dossier_create(actor=org.desk, variant=org.variant.pk, channel=1, receiving_unit=org.centre,
                   applicant=APPLICANT_MAIL, documents=_documents(org), accept=True, at=at(WHEN))
    monkeypatch.setattr(ReverseManyToOneDescriptor, "__get__", counted)
    lean, created = dossier_create(actor=org.desk, variant=org.variant.pk, channel=1,
                                   receiving_unit=org.centre, applicant=APPLICANT_MAIL,
                                   documents=_documents(org), accept=True, at=at(WHEN))
    assert created and len(lean.steps.all()) == 4
    assert asked == []
