"""Reads for the operator page: how far the outbox is behind, and what failed."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Min, Q, QuerySet
from django.utils import timezone

from accounts.models import Role, User
from accounts.selectors import unit_subtree_ids, user_unit_ids
from dossiers.models import Dossier
from sync.models import OutboxMessage, ReconcileDifference, ReconcileRun

Status = OutboxMessage.Status
# Codes asked in one statement: SQLite takes at most 32,766 parameters in one.
CODES_A_STATEMENT = 5000


@dataclass
class SyncOverview:
    dossiers_synced: int
    dossiers_pending: int
    dossiers_failed: int
    messages_pending: int
    messages_failed: int
    oldest_pending_at: datetime | None

    @property
    def oldest_pending_age(self) -> timedelta | None:
        return timezone.now() - self.oldest_pending_at if self.oldest_pending_at else None


def _of_units(messages: QuerySet[OutboxMessage], unit_ids: set[int] | None
              ) -> QuerySet[OutboxMessage]:
    """The messages of the dossiers received or settled by `unit_ids` (an administrator's units
    and those under them, sync_operator_unit_ids); None is every dossier (a superuser)."""
    if unit_ids is None:
        return messages
    return messages.filter(Q(dossier__receiving_unit_id__in=unit_ids)
                           | Q(dossier__competent_unit_id__in=unit_ids))


def _dossiers_of_units(unit_ids: set[int] | None) -> QuerySet[Dossier]:
    if unit_ids is None:
        return Dossier.objects.all()
    return Dossier.objects.filter(Q(receiving_unit_id__in=unit_ids)
                                  | Q(competent_unit_id__in=unit_ids))


def sync_overview(unit_ids: set[int] | None = None) -> SyncOverview:
    """The counts of the operator page, by the dashboard's rule (metrics.selectors,
    `sync_waiting_by_unit`; Decision 766: 100 % synced): a received dossier is synced when none
    of its messages waits. Every statement starts from the outbox's status index (the few
    messages in flight) or from the dossiers' unit indexes; none reads the whole outbox, which
    holds several messages a dossier for ever (4,000,000 rows at 1,000,000 dossiers: counting
    its distinct dossiers took over a second, and for an administrator's units, joined to the
    dossiers, minutes; bench/sync_page.py)."""
    messages = _of_units(OutboxMessage.objects.all(), unit_ids)
    unsent = messages.filter(status__in=[Status.PENDING, Status.SENDING])
    failed = messages.filter(status=Status.FAILED)
    failed_ids = set(failed.values_list("dossier_id", flat=True).distinct())
    pending_ids = set(unsent.values_list("dossier_id", flat=True).distinct()) - failed_ids
    received = _dossiers_of_units(unit_ids).filter(received_at__isnull=False)
    waiting = received.filter(pk__in=messages.filter(
        status__in=[Status.PENDING, Status.SENDING, Status.FAILED]).values("dossier_id"))
    return SyncOverview(
        dossiers_synced=received.count() - waiting.count(),
        dossiers_pending=len(pending_ids),
        dossiers_failed=len(failed_ids),
        messages_pending=unsent.count(),
        messages_failed=failed.count(),
        oldest_pending_at=unsent.aggregate(m=Min("created_at"))["m"],
    )


def sync_failures(*, limit: int = 100, unit_ids: set[int] | None = None
                  ) -> list[OutboxMessage]:
    return list(_of_units(OutboxMessage.objects.filter(status=Status.FAILED), unit_ids)
                .select_related("dossier").order_by("created_at")[:limit])


def sync_last_reconcile() -> ReconcileRun | None:
    return ReconcileRun.objects.first()


def sync_reconcile_rows(run: ReconcileRun, *, unit_ids: set[int] | None = None
                        ) -> list[ReconcileDifference]:
    """The run's differences, those of the dossiers received or settled by `unit_ids` (None:
    all). From the differences (a run's few) to their dossiers, never the other way: the units'
    dossiers are up to all of them."""
    rows = list(run.rows.all())
    if unit_ids is None or not rows:
        return rows
    codes = sorted({row.dossier_code for row in rows})
    mine: set[str] = set()
    for start in range(0, len(codes), CODES_A_STATEMENT):
        mine.update(_dossiers_of_units(unit_ids)
                    .filter(code__in=codes[start:start + CODES_A_STATEMENT])
                    .values_list("code", flat=True))
    return [row for row in rows if row.dossier_code in mine]


def sync_operator_unit_ids(user: User) -> set[int] | None:
    """The units whose dossiers `user` may re-send: those they administer and every unit under
    them; None for a superuser (all)."""
    if user.is_superuser:
        return None
    return unit_subtree_ids(user_unit_ids(user, role=Role.ADMIN))


def user_may_operate_sync(user: User) -> bool:
    """Superusers and staff holding the administrator role in some unit."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    # From the roles the request has read already (every staff page's navigation asks).
    return bool(user_unit_ids(user, role=Role.ADMIN))
