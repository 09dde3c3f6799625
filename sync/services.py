"""Operator actions on the sync: re-send, and the reconciliation with the portal."""

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dossiers.models import Dossier
from dossiers.states import portal_status
from motcua.errors import DomainError
from sync.models import Kind, OutboxMessage, ReconcileDifference, ReconcileRun
from sync.portal_client import PortalClient, PortalUnavailable
from sync.portal_format import dossier_record

Status = OutboxMessage.Status


def outbox_resend_failed(*, dossier: Dossier | None = None, unit_ids: set[int] | None = None
                         ) -> int:
    """Put parked messages back in line with a fresh count of tries; how many were reset.
    With `unit_ids`, only those of the dossiers received or settled there (an administrator's
    units and those under them); None is every one."""
    failed = OutboxMessage.objects.filter(status=Status.FAILED)
    if dossier is not None:
        failed = failed.filter(dossier=dossier)
    if unit_ids is not None:
        failed = failed.filter(Q(dossier__receiving_unit_id__in=unit_ids)
                               | Q(dossier__competent_unit_id__in=unit_ids))
    return failed.update(status=Status.PENDING, tries=0, next_try_at=timezone.now(),
                         claim_token="")


def outbox_resend_dossier(*, code: str, unit_ids: set[int] | None = None) -> int:
    """Re-send one dossier: its parked messages, then a fresh snapshot of how it is now.

    The fresh snapshot repairs a dossier the reconciliation found different at the portal even
    when every earlier message was acknowledged. With `unit_ids` (an administrator's units and
    those under them, `selectors.sync_operator_unit_ids`) a dossier received or settled by
    another unit is not found, as if absent; None is a superuser or a command: any dossier.
    """
    now = timezone.now()
    rows = Dossier.objects.select_for_update().filter(code=code.strip())
    if unit_ids is not None:
        rows = rows.filter(Q(receiving_unit_id__in=unit_ids) | Q(competent_unit_id__in=unit_ids))
    with transaction.atomic():
        dossier = rows.first()
        if dossier is None:
            raise DomainError("not_found", f"Không tìm thấy hồ sơ {code}.",
                              f"Dossier {code} not found.", http_status=404)
        reset = outbox_resend_failed(dossier=dossier)
        last = dossier.outbox_messages.order_by("-seq").values_list("seq", flat=True).first()
        seq = (last or 0) + 1
        OutboxMessage.of(
            dossier, seq=seq, kind=Kind.DOSSIER, payload=dossier_record(dossier, version=seq),
            is_update=last is not None, idempotency_key=f"{dossier.code}:{seq}",
            next_try_at=now, created_at=now).save()
    return reset + 1


def _chunks(codes: list[str], size: int) -> Iterable[list[str]]:
    for i in range(0, len(codes), size):
        yield codes[i:i + size]


def sync_reconcile(*, client: PortalClient, since: datetime | None = None,
                   chunk: int = 500) -> ReconcileRun:
    """Compare each dossier's status code with the portal's and store the differences.

    Dossiers whose messages are still on their way are left out: they differ for a few seconds
    by design and the operator page already shows them as pending.
    """
    run = ReconcileRun.objects.create(started_at=timezone.now())
    dossiers = Dossier.objects.exclude(outbox_messages__status__in=[
        Status.PENDING, Status.SENDING, Status.FAILED]).filter(outbox_messages__isnull=False)
    if since is not None:
        dossiers = dossiers.filter(updated_at__gte=since)
    ours = dict(dossiers.distinct().values_list("code", "state"))
    rows = []
    try:
        for codes in _chunks(sorted(ours), chunk):
            theirs = client.lookup(codes)
            for code in codes:
                mine = portal_status(ours[code])
                if theirs.get(code) != mine:
                    rows.append(ReconcileDifference(run=run, dossier_code=code, ours=mine,
                                                    theirs=theirs.get(code)))
    except PortalUnavailable as exc:
        run.error = str(exc)
    ReconcileDifference.objects.bulk_create(rows)
    run.checked = len(ours)
    run.differences = len(rows)
    run.save(update_fields=["checked", "differences", "error"])
    return run
