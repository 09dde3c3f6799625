"""The transactional outbox: every dossier change leaves its portal messages in the same commit.

`outbox_record` is one of settings.MOTCUA_EVENT_CONSUMERS (dossiers/events.py): it runs inside
the transaction of the change, under the dossier's row lock, so the change and its messages
commit or roll back together and nothing is sent from inside a request. `manage.py sync_worker`
delivers the messages afterwards, in the order of their per-dossier sequence.
"""

from typing import Any

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Subquery
from django.utils import timezone

from dossiers.models import Dossier, DossierEvent
from motcua.prepared import rows_insert
from payments.selectors import dossier_charged_exists
from sync.models import Kind, OutboxMessage
from sync.portal_format import (
    SNAPSHOT_CHARGED,
    SNAPSHOT_PAID_ONLINE,
    dossier_record,
    progress_record,
)

# The name under which the dossier's lock statement reads its last outbox sequence number.
LAST_SEQ = "outbox_last_seq"


def outbox_record(*, event: DossierEvent, dossier: Dossier) -> None:
    """Write the CapNhatTienDoHoSoMC row for one event, after the DongBoHoSoMC snapshot of the
    dossier when the event is the first of its transaction's batch."""
    outbox_record_batch(pairs=[(event, dossier)])


def outbox_record_batch(*, pairs: list[tuple[DossierEvent, Dossier]]) -> None:
    """`outbox_record` for the events of one transaction (dossiers/events.py), their rows in one
    multi-row insert."""
    if settings.MOTCUA_MODE != "province" or not pairs:
        # The national installation receives; it has no portal above it to sync to.
        return
    now = timezone.now()
    rows = []
    for event, dossier in pairs:
        # The events of one transaction reach this consumer with the same dossier instance,
        # which keeps its last sequence number for the next one (dossiers/events.py). A dossier
        # created in this transaction (`created_now`, dossiers/services/intake.py) has none yet.
        last = getattr(dossier, "_outbox_last_seq", None)
        if last is None and getattr(dossier, "created_now", False):
            last = 0
        if last is None and LAST_SEQ in dossier.__dict__:
            # Read with the dossier's lock (`outbox_lock_reads`); used once.
            last = dossier.__dict__.pop(LAST_SEQ) or 0
        if last is None:
            last = (OutboxMessage.objects.filter(dossier=dossier).aggregate(m=Max("seq"))["m"]
                    or 0)
        if event.action == "mark_paid" and (event.data or {}).get("online") is True:
            # Paid online by this very change, which the lock statement could not see yet.
            dossier.__dict__[SNAPSHOT_PAID_ONLINE] = True
        if getattr(event, "batch_first", True):
            # One snapshot per transaction: the dossier as the change leaves it (several
            # events of one transaction, such as filing and accepting at the desk, share it).
            last += 1
            rows.append(OutboxMessage.of(
                dossier, seq=last, kind=Kind.DOSSIER,
                payload=dossier_record(dossier, version=last),
                # The first snapshot creates the dossier at the portal; every later one updates.
                is_update=last > 1, idempotency_key=f"{dossier.code}:{last}",
                next_try_at=now, created_at=now))
        last += 1
        rows.append(OutboxMessage.of(dossier, seq=last, kind=Kind.PROGRESS,
                                     payload=progress_record(event, dossier), is_update=True,
                                     idempotency_key=f"{dossier.code}:{last}",
                                     next_try_at=now, created_at=now))
        dossier._outbox_last_seq = last
    for _event, dossier in pairs:
        # What the lock statement read is true of this transaction only.
        for name in (SNAPSHOT_PAID_ONLINE, SNAPSHOT_CHARGED):
            dossier.__dict__.pop(name, None)
    # Its text built once per number of rows (motcua/prepared.py), not compiled every time; no
    # one reads the rows' ids, so a filing joins it to its other writes (`writes_joined`).
    rows_insert(rows, ids=False)


def outbox_lock_reads() -> dict[str, Any]:
    """What the snapshot reads of a dossier, read with its lock by dossier_act
    (dossiers/events.py `event_consumer_lock_reads`): the last outbox sequence number, whether it
    was paid online and whether a payment demand charged it."""
    if settings.MOTCUA_MODE != "province":
        return {}
    return {
        LAST_SEQ: Subquery(OutboxMessage.objects.filter(dossier=OuterRef("pk"))
                           .order_by("-seq").values("seq")[:1]),
        SNAPSHOT_PAID_ONLINE: Exists(DossierEvent.objects.filter(
            dossier=OuterRef("pk"), action="mark_paid", data__online=True)),
        SNAPSHOT_CHARGED: dossier_charged_exists(),
    }


outbox_record.batch = outbox_record_batch
outbox_record.lock_reads = outbox_lock_reads
