"""The dossier tests' organisation, plus a commune procedure and a hand-checked month of dossiers.

Working hours 07:30–11:30, 13:00–17:00; March 2026 starts on a Sunday, so 02/03 is a Monday.
The department's procedure (online end-to-end) has 3 working days at the counter, 2 online; the
commune's (partly online) 1 working day.
"""

from datetime import datetime
from decimal import Decimal

import pytest

from accounts.models import Membership, Role
from catalog.models import Procedure, RequiredDocument, TimeLimit, Variant
from dossiers.services import dossier_act, dossier_create
from dossiers.tests import conftest as dossier_fixtures
from dossiers.tests.conftest import APPLICANT, at
from results.models import StoredDocument
from sync.models import Kind, OutboxMessage

# The dossier tests' fixtures, shared rather than copied.
org = dossier_fixtures.org
make_dossier = dossier_fixtures.make_dossier

REASON = "Lý do ghi rõ theo quy định"
NOW = at("2026-03-31 12:00")


def act(d, actor, action, when, **kw):
    return dossier_act(dossier=d, actor=actor, action=action, at=at(when), **kw)


def settle(o, d, *, approve: str, returned: str, desk=None, specialist=None, head=None,
           result: str = ""):
    """desk → specialist → head → approve → result ready → returned, from the received state.

    `result`: "signed" or "unsigned" stores the approved result as results/ does (its consumer
    is left out here, see `_only_metrics_consumer`); "" stores none.
    """
    desk, specialist, head = desk or o.desk, specialist or o.specialist, head or o.head
    day = approve[:10]
    if d.state == "received":
        d = act(d, desk, "forward", f"{day} 07:40", data={"assignee": specialist.pk})
    d = act(d, specialist, "forward", f"{day} 07:50", data={"assignee": head.pk})
    d = act(d, head, "approve", approve)
    if result:
        stored_result(d, signed=result == "signed", when=at(approve))
    d = act(d, desk, "mark_result_ready", returned[:10] + " 07:35")
    return act(d, desk, "return_result", returned,
               data={"receiver": {"method": "desk", "paper": "CCCD số 056185004321"}})


def stored_result(d, *, signed: bool, when: datetime):
    """The dossier's result in the data store, as `results.services.result_issue` keeps it."""
    return StoredDocument.objects.create(
        kind=StoredDocument.Kind.RESULT, title="Kết quả giải quyết", issuer_unit=d.competent_unit,
        issued_at=when, owner_id_number=d.applicant_id_number, owner_name=d.applicant_name,
        dossier=d, procedure_code=d.procedure.code, file="results/kq.pdf", sha256="0" * 64,
        signatures=[{"role": "seal", "name": d.competent_unit.name, "at": when.isoformat()}]
        if signed else [])


def scan(o, d, required_document):
    """The desk scans a paper of the dossier (the paper becomes digitised, domain.md §10)."""
    from dossiers.services.online import counter_files_attach
    from dossiers.tests.files import PDF, upload

    counter_files_attach(actor=o.desk, dossier=d,
                         uploads=[(required_document.pk, upload("ban-quet.pdf", PDF))])


def reuse(o, d, required_document):
    """A paper of the dossier replaced by a document of the owner's data store."""
    from results.services import stored_document_reuse

    stored = StoredDocument.objects.create(
        kind=StoredDocument.Kind.DIGITISED, title=required_document.name,
        issuer_unit=o.centre, issued_at=at("2026-01-05 09:00"),
        owner_id_number=d.applicant_id_number, owner_name=d.applicant_name,
        file="results/cccd.pdf", sha256="1" * 64)
    paper = d.documents.get(required_document=required_document)
    stored_document_reuse(stored=stored, dossier_document=paper, actor=o.desk,
                          at=at("2026-03-02 10:00"))


def outbox(d, *statuses: str) -> None:
    """The dossier's national-portal messages with the given outcomes, in order (sync/)."""
    for seq, status in enumerate(statuses, start=1):
        OutboxMessage.of(
            d, seq=seq, kind=Kind.PROGRESS, payload={}, status=status,
            idempotency_key=f"{d.code}:{seq}", next_try_at=NOW, created_at=NOW,
            sent_at=NOW if status == OutboxMessage.Status.SENT else None).save()


@pytest.fixture
def commune(org):
    """A commune-level, partly online procedure resolved by the commune itself."""
    p = Procedure.objects.create(
        code="2.000002", name="Chứng thực bản sao từ bản chính", search_text="chung thuc",
        level=Procedure.Level.COMMUNE, competent_unit=org.other,
        online_level=Procedure.OnlineLevel.PARTIAL)
    v = Variant.objects.create(procedure=p, name="Trường hợp chung")
    TimeLimit.objects.create(variant=v, channel=1, amount=Decimal(1), unit="working_days")
    doc = RequiredDocument.objects.create(variant=v, name="Bản chính", copy_kind="original",
                                          count=1, order=1)

    def make(*, when: str, channel: int = 1):
        d, _ = dossier_create(actor=org.other_desk, variant=v, channel=channel,
                              receiving_unit=org.other, applicant=APPLICANT,
                              documents=[{"required_document": doc.pk}], accept=True,
                              at=at(when))
        return d

    return make


@pytest.fixture
def month(org, make_dossier, commune):
    """The hand-checked dossiers (see docs/metrics.md "Worked example")."""
    o = org
    Membership.objects.get_or_create(user=o.head, unit=o.province, role=Role.HEAD)
    ds = {}
    # A: counter, due Thu 05/03 09:00, returned Wed 04/03 → early. Its form scanned at the
    # desk; signed electronic result.
    a = make_dossier()
    scan(o, a, o.doc_form)
    ds["A"] = settle(o, a, approve="2026-03-03 15:00", returned="2026-03-04 09:00",
                     result="signed")
    # B: counter, returned on the due day before the due hour → on time. Its ID copy reused
    # from the owner's data store; signed electronic result.
    b = make_dossier()
    reuse(o, b, o.doc_id)
    ds["B"] = settle(o, b, approve="2026-03-04 15:00", returned="2026-03-05 08:30",
                     result="signed")
    # C: online (2 days, due Wed 04/03 09:00); apology on 03/03 with a new date 10/03; returned
    # 09/03, before the new date but after the statutory one → still late. Signed result.
    c = make_dossier(channel=2)
    c = act(c, o.head, "apologize", "2026-03-03 08:00", reason=REASON,
            data={"new_due_at": "2026-03-10T10:00:00+07:00"})
    ds["C"] = settle(o, c, approve="2026-03-06 15:00", returned="2026-03-09 10:00",
                     result="signed")
    # D: counter; paused for a supplement Mon 14:00 → Wed 14:00 (16 working hours = 2 days), so
    # due moves from Thu 05/03 09:00 to Mon 09/03 09:00; returned Fri 06/03 → early. Its result
    # stored unsigned: not an electronic result.
    d = make_dossier()
    d = act(d, o.desk, "forward", "2026-03-02 09:30", data={"assignee": o.specialist.pk})
    d = act(d, o.specialist, "request_supplement", "2026-03-02 14:00", reason=REASON,
            data={"missing_documents": ["Bản chụp CCCD"]})
    d = act(d, o.desk, "supplement", "2026-03-04 14:00")
    ds["D"] = settle(o, d, approve="2026-03-06 10:00", returned="2026-03-06 11:00",
                     result="unsigned")
    # E: counter, scanned, then withdrawn after acceptance: never settled, so not counted in the
    # digitisation shares.
    e = make_dossier()
    scan(o, e, o.doc_form)
    ds["E"] = act(e, o.desk, "withdraw", "2026-03-03 10:00", reason=REASON)
    # F: postal (counter limit, due 05/03 09:00), left with the specialist → overdue on 31/03.
    f = make_dossier(channel=3)
    ds["F"] = act(f, o.desk, "forward", "2026-03-02 09:30", data={"assignee": o.specialist.pk})
    # G: online, refused at intake (never received).
    ds["G"] = act(make_dossier(channel=2, accept=False), o.desk, "refuse", "2026-03-02 10:00",
                  reason=REASON)
    # H: counter, received Fri 20/03, waiting for a supplement on 31/03 → paused, on time.
    h = make_dossier(when="2026-03-20 09:00")
    h = act(h, o.desk, "forward", "2026-03-20 09:30", data={"assignee": o.specialist.pk})
    ds["H"] = act(h, o.specialist, "request_supplement", "2026-03-20 10:00", reason=REASON,
                  data={"missing_documents": ["Tờ khai"]})
    # I: April, counter, due Mon 06/04 09:00, returned Wed 08/04 → late.
    ds["I"] = settle(o, make_dossier(when="2026-04-01 09:00"), approve="2026-04-07 15:00",
                     returned="2026-04-08 09:00")
    # J: commune, counter, due Tue 03/03 09:00, returned 03/03 08:00 → on time.
    cd = o.other_desk
    ds["J"] = settle(o, commune(when="2026-03-02 09:00"), approve="2026-03-02 15:00",
                     returned="2026-03-03 08:00", desk=cd, specialist=cd, head=cd,
                     result="signed")
    # K: commune, online, left being processed → overdue on 31/03.
    k = commune(when="2026-03-02 09:00", channel=2)
    ds["K"] = act(k, cd, "forward", "2026-03-02 09:30", data={"assignee": cd.pk})
    # The national portal's acknowledgements at NOW: every message of A, B, C, D, E, I and J
    # sent; F's second message failed, H's second still pending; K's first still pending (the
    # portal has not acknowledged anything of it); G refused (never received, so outside the
    # sync share's dossiers).
    sent, failed, pending = (OutboxMessage.Status.SENT, OutboxMessage.Status.FAILED,
                             OutboxMessage.Status.PENDING)
    for key in "ABCDEIJ":
        outbox(ds[key], sent, sent)
    outbox(ds["F"], sent, failed)
    outbox(ds["H"], sent, pending)
    outbox(ds["G"], sent)
    outbox(ds["K"], pending)
    return ds


def as_datetime(text: str) -> datetime:
    return at(text)


@pytest.fixture(autouse=True)
def _only_metrics_consumer(settings):
    """Run the dossier events through the counters alone.

    The other consumers (the national-portal outbox) belong to other apps and are tested there;
    test_counters.py checks that settings list ours.
    """
    from dossiers.events import event_consumers

    settings.MOTCUA_EVENT_CONSUMERS = ["metrics.counters.counters_apply"]
    event_consumers.cache_clear()
    yield
    event_consumers.cache_clear()
