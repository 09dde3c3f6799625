"""The transactional outbox: every dossier change leaves its portal messages in the same commit.

`outbox_record` is one of settings.MOTCUA_EVENT_CONSUMERS (dossiers/events.py): it runs inside
the transaction of the change, under the dossier's row lock, so the change and its messages
commit or roll back together and nothing is sent from inside a request. `manage.py sync_worker`
delivers the messages afterwards, in the order of their per-dossier sequence.
"""

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from dossiers.models import Dossier, DossierEvent
from sync.models import Kind, OutboxMessage
from sync.portal_format import dossier_record, progress_record


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
        if last is None:
            last = (OutboxMessage.objects.filter(dossier=dossier).aggregate(m=Max("seq"))["m"]
                    or 0)
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
    OutboxMessage.objects.bulk_create(rows)


outbox_record.batch = outbox_record_batch
