"""The dossier's append-only event log (Zulip's audit-row discipline: written with the change)."""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import BigIntegerField, Max
from django.db.models.expressions import RawSQL
from django.utils.module_loading import import_string

from accounts.models import Unit, User
from dossiers.models import Dossier, DossierEvent, DossierStep
from motcua.prepared import row_new, rows_insert

_local = threading.local()


class _Batch:
    def __init__(self) -> None:
        self.events: list[tuple[DossierEvent, Dossier]] = []
        self.last_seq: dict[int, int] = {}
        # The instance of each dossier its latest change was written with: the state it ends in.
        self.latest: dict[int, Dossier] = {}


def event_write(*, dossier: Dossier, action: str, actor: User | None, at: datetime,
                from_state: str, to_state: str, actor_unit: Unit | None = None,
                step: DossierStep | None = None, to_unit: Unit | None = None,
                to_user: User | None = None, reason: str = "", timing: str = "",
                data: dict[str, Any] | None = None) -> DossierEvent:
    """Append one event; the caller holds the dossier's row lock inside its transaction.

    Outside an `event_batch` the consumers run at once; inside one they run when it ends.
    """
    batch: _Batch | None = getattr(_local, "batch", None)
    last = batch.last_seq.get(dossier.pk) if batch else None
    if last is None:
        # dossier_act reads it with the dossier's lock (`last_event_seq`); used once, so an
        # instance kept after its transaction never numbers from a stale value.
        last = dossier.__dict__.pop("last_event_seq", None)
    if last is None:
        last = dossier.events.aggregate(m=Max("seq"))["m"] or 0
    event = event_new(dossier=dossier, seq=last + 1, action=action, actor=actor, at=at,
                      from_state=from_state, to_state=to_state, actor_unit=actor_unit, step=step,
                      to_unit=to_unit, to_user=to_user, reason=reason, timing=timing, data=data)
    # The id dossier_act took with the dossier's lock (`event_lock_reads`; used once): the
    # insert then returns nothing, and joins the action's other writes (writes_joined).
    event.pk = dossier.__dict__.pop(EVENT_ID, None)
    rows_insert([event])
    if batch is not None:
        batch.last_seq[dossier.pk] = event.seq
        batch.latest[dossier.pk] = dossier
        batch.events.append((event, dossier))
        return event
    event.batch_first = True
    for consume in event_consumers():
        consume(event=event, dossier=dossier)
    return event


def event_new(*, dossier: Dossier, seq: int, action: str, actor: User | None, at: datetime,
              from_state: str, to_state: str, actor_unit: Unit | None = None,
              step: DossierStep | None = None, to_unit: Unit | None = None,
              to_user: User | None = None, reason: str = "", timing: str = "",
              data: dict[str, Any] | None = None) -> DossierEvent:
    """The event row (unsaved) of a change just made to `dossier` in memory: it records the
    dossier's and the step's due moments as the change leaves them (built by `row_new`, as
    DossierEvent(...) builds it)."""
    return row_new(
        DossierEvent,
        # A SystemActor (dossiers.states) is recorded by its name only: it has no user row.
        dossier=dossier, seq=seq, action=action, at=at,
        actor=actor if isinstance(actor, User) else None,
        actor_name=actor.display_name if actor else "", actor_unit=actor_unit,
        from_state=from_state, to_state=to_state, step=step, to_unit=to_unit, to_user=to_user,
        reason=reason, step_due_at=step.due_at if step else None, timing=timing,
        dossier_due_at=dossier.due_at, data=data or {},
    )


def events_insert_new(*, events: list[DossierEvent]) -> None:
    """Insert the first events of a dossier created in this transaction (seq 1, 2, …) in one
    statement; `events_consume` runs the consumers once the dossier row is written."""
    for seq, event in enumerate(events, start=1):
        event.seq = seq
    rows_insert(events)


def events_consume(*, dossier: Dossier, events: list[DossierEvent]) -> None:
    """Run the consumers on the events of one transaction, as one batch (see `event_batch`),
    each with `dossier` as the transaction leaves it."""
    _consume([(event, dossier) for event in events], {dossier.pk: dossier})


def _consume(pairs: list[tuple[DossierEvent, Dossier]], latest: dict[int, Dossier]) -> None:
    """Call every consumer on the events of one transaction, each with its dossier as the
    transaction leaves it. A consumer with a `batch` attribute (a function taking `pairs=`) is
    called once with all of them, so that it can write its rows in one statement."""
    seen: set[int] = set()
    final = []
    for event, written_with in pairs:
        dossier = latest[written_with.pk]
        event.batch_first = dossier.pk not in seen
        seen.add(dossier.pk)
        final.append((event, dossier))
    for consume in event_consumers():
        many = getattr(consume, "batch", None)
        if many is not None:
            many(pairs=final)
            continue
        for event, dossier in final:
            consume(event=event, dossier=dossier)


@contextmanager
def event_batch() -> Iterator[None]:
    """Several changes of one dossier in one transaction (filing and accepting at the desk):
    their events are written as they happen, and the consumers see them all at the end, each
    with the dossier as it stands then.

    So the national-portal outbox sends one snapshot of the final state instead of one per
    event, and whatever the caller settles last (the dossier's code, dossiers/codes.py) is
    what every consumer records. An event's `batch_first` is True for the first event of its
    dossier in the batch (and for every event written outside one). Nested batches join the
    outermost; an exception leaves the consumers uncalled, and the transaction rolls back.
    """
    if getattr(_local, "batch", None) is not None:
        yield
        return
    batch = _local.batch = _Batch()
    try:
        yield
    finally:
        _local.batch = None
    _consume(batch.events, batch.latest)


# The name under which dossier_act's lock statement reads the id of the event it will write.
EVENT_ID = "event_id_taken"


def event_lock_reads() -> dict[str, Any]:
    """The next event's id, taken from the events' sequence by the lock statement of
    `dossier_act` (PostgreSQL; an id taken and not used, by a refused action, is a harmless gap),
    so that the event and the rows pointing at it (notifications) are inserted by statements
    that return nothing, joined into one with the action's other writes (motcua/prepared.py
    writes_joined, issue #18). SQLite has no sequence and runs each write apart: none."""
    if connection.vendor != "postgresql":
        return {}
    return {EVENT_ID: RawSQL("nextval(pg_get_serial_sequence(%s, 'id'))",
                             (DossierEvent._meta.db_table,), output_field=BigIntegerField())}


def event_consumer_lock_reads(action: str | None = None) -> dict[str, Any]:
    """What the consumers read of a dossier when a change is made to it, as annotations of
    the lock statement of `dossier_act` (dossiers/services/transitions.py), so that each costs no
    statement of its own: a consumer with a `lock_reads` attribute (a function returning
    {name: expression on the dossier row}) finds the values on the dossier it is given. A
    `lock_reads` with a true `per_action` attribute is given `action` (None: any) and returns
    only what that action uses."""
    reads: dict[str, Any] = {}
    for consume in event_consumers():
        more = getattr(consume, "lock_reads", None)
        if more is not None:
            reads.update(more(action) if getattr(more, "per_action", False) else more())
    return reads


def event_consumers_code_late() -> bool:
    """Whether every consumer puts a new dossier's code only into rows of the transaction, or
    does not read it (settings.MOTCUA_CODE_LATE_CONSUMERS): the filing may then hand them a
    token standing for the code, which its last statement replaces (dossiers/codes.py)."""
    return _code_late(tuple(settings.MOTCUA_EVENT_CONSUMERS),
                      settings.MOTCUA_CODE_LATE_CONSUMERS)


@cache
def _code_late(paths: tuple[str, ...], late: frozenset[str]) -> bool:
    return all(path in late for path in paths)


@cache
def event_consumers() -> tuple[Callable[..., None], ...]:
    """The functions of settings.MOTCUA_EVENT_CONSUMERS, called with (event=, dossier=).

    They run inside the transaction of the change, so what they write (the national-portal
    outbox, the service-index counters) commits or rolls back with it, and an exception undoes
    the change. They must be quick and must not call other systems: they record work that a
    worker does after commit. A plain list in settings instead of Django signals, so that a reader
    sees every consumer in one place and an installation (the national mode) can leave one out.
    """
    return tuple(import_string(path) for path in settings.MOTCUA_EVENT_CONSUMERS)
