"""The portal snapshot an action writes is built from what the action's lock statement read
(issue #18: last outbox number, paid online, charged, pauses) and from the rows it holds: it must
be the snapshot of the dossier read afresh, at every step of a long life."""

import pytest

from dossiers.models import Dossier
from dossiers.services import dossier_act
from dossiers.states import PAYMENT_SYSTEM, SystemActor
from sync.models import Kind, OutboxMessage
from sync.portal_format import dossier_record

PAYMENTS = SystemActor(name=PAYMENT_SYSTEM, display_name="Cổng thanh toán")


def _last_snapshot_is_afresh(dossier: Dossier, action: str) -> dict:
    row = (OutboxMessage.objects.filter(dossier=dossier, kind=Kind.DOSSIER)
           .order_by("-seq").first())
    afresh = dossier_record(Dossier.objects.get(pk=dossier.pk), version=row.seq)
    if action == "request_payment":
        # The demand's fee lines are written by the payments consumer, which runs after the
        # outbox in the same transaction (settings.MOTCUA_EVENT_CONSUMERS): they reach the
        # portal with the next snapshot, as they always did.
        assert row.payload["DanhSachLePhi"] == [] != afresh["DanhSachLePhi"]
        afresh["DanhSachLePhi"] = []
    assert row.payload == afresh
    # The numbering stays gap-free: the snapshot and the progress row follow the last one.
    seqs = list(OutboxMessage.objects.filter(dossier=dossier).order_by("seq")
                .values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    return row.payload


@pytest.mark.django_db
def test_each_action_writes_the_snapshot_of_the_dossier_read_afresh(org, make_dossier):
    dossier = make_dossier()
    steps = [
        (org.desk, "forward", "", {"assignee": org.specialist.pk}),
        (org.specialist, "request_supplement", "Thiếu bản sao", {"missing_documents": ["CCCD"]}),
        (org.desk, "supplement", "", {}),
        (org.specialist, "request_payment", "", {"amount": 200000}),
        (PAYMENTS, "mark_paid", "", {"confirmed_by": "gateway", "online": True}),
        (org.specialist, "forward", "", {"assignee": org.head.pk}),
        (org.head, "approve", "", {}),
        (org.desk, "mark_result_ready", "", {}),
        (org.desk, "return_result", "",
         {"receiver": {"method": "desk", "paper": "CCCD số 056185004321"}}),
    ]
    payloads = []
    for actor, action, reason, data in steps:
        dossier = dossier_act(dossier=dossier, actor=actor, action=action, reason=reason,
                              data=data)
        payloads.append((action, _last_snapshot_is_afresh(dossier, action)))
    by_action = dict(payloads)
    # What the lock statement told the snapshot, seen in it: the supplement asked, the payment
    # made online in the very action that recorded it, the fee lines charged.
    assert by_action["supplement"]["DanhSachHoSoBoSung"][0]["NoiDungBoSung"] == "Thiếu bản sao"
    assert by_action["mark_paid"]["DuocThanhToanTrucTuyen"] == "1"
    assert by_action["request_payment"]["DuocThanhToanTrucTuyen"] == "0"
    assert by_action["return_result"]["DanhSachLePhi"]
