"""What the results app reads of a dossier when an action changes it, read by the action's lock
statement instead of statements of their own (issue #18).

`dossier_act` reads the dossier locked in one statement that carries, as annotations, what the
event consumers ask (dossiers/events.py `event_consumer_lock_reads`: a consumer's `lock_reads`).
The results consumer asks:

- whether the dossier has any draft version: an approval of a dossier with none (the result is
  the procedure's template, issued as it stands) then reads no versions;
- whether a result of the dossier was issued digitally signed, and whether one still waits for
  its rendering: returning the result (dossiers/services/transitions.py `_settled_papers`) then
  needs no read of the stored results when none is pending (results/rendering.py);
and it takes the catalogue version the lock statement read for `dossier_act` itself
(`dossiers.reference.CATALOGUE_VERSION_SEEN`), under which each worker caches the signature
blocks (results/signature_blocks.py; a block's save moves it, results/apps.py), rather than
reading the same number a second time.

Drafts and stored results are written only by a transaction holding the dossier's lock, which
appends an event of the dossier too (drafting.py, the approval), so what the lock statement reads
of them holds until the commit. Its subqueries see the database as it was when the statement
started (PostgreSQL, READ COMMITTED), also when it then waited for the lock; when the dossier
changed in between, `dossier_act` reads the statement again under the lock it now holds
(dossiers/services/transitions.py `_locked`), so these values are never stale. A rendering
after the commit (results/rendering.py) only turns "pending" into "rendered", and the hand-over
reads again whenever "pending" was read.
Each value is taken off the dossier when used, so an instance kept after its transaction never
answers from a stale one. Each is read only by the lock statement of the action that uses it
(`USED_BY`; the statement is compiled once per action): a forward reads neither.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Exists, Field, IntegerField, OuterRef
from django.db.models.expressions import RawSQL

from dossiers.models import Dossier
from dossiers.reference import CATALOGUE_VERSION_SEEN
from motcua.prepared import Prepared
from results.models import ResultDraft, StoredDocument

VERSIONS = "results_versions"
RESULTS = "results_issued"
REFERENCE = CATALOGUE_VERSION_SEEN
NAMES = (VERSIONS, RESULTS, REFERENCE)
# What RESULTS holds, bit by bit (None or 0: no result stored).
SIGNED, PENDING = 1, 2


# The approval's read of the dossier's draft versions, latest first, compiled once
# (motcua/prepared.py). Not `FOR UPDATE`: every write of a version (drafting.py, the approval)
# holds the dossier's lock, which the approval holds, so none changes before the commit; locking
# each version too wrote a lock record into each of their rows (WAL, a page dirtied) for nothing
# (issue #18). On PostgreSQL it rides in the approval's lock statement as JSON (`VERSIONS`).
VERSIONS_READ = Prepared(lambda dossier: ResultDraft.objects
                         .filter(dossier_id=dossier).order_by("-version"), int)


# The action that uses each value: the lock statement of any other action leaves it out (its
# subquery read two index pages of a forward for nothing, issue #18). A value not read is
# `MISSING` to `lock_read`, and its user reads it itself.
USED_BY = {VERSIONS: "approve", RESULTS: "return_result"}


def results_lock_reads(action: str | None = None) -> dict[str, Any]:
    """The annotations `dossier_act`'s lock statement carries for the results consumer: those
    `action` uses (every one when None)."""
    q = connection.ops.quote_name
    dossier = f"{q(Dossier._meta.db_table)}.{q('id')}"
    # Whether a stored result of the dossier is signed (an unsigned result, from an installation
    # without certificates, is not a valid electronic result: Decree 45/2020) and whether one
    # waits for its rendering, from one scan of the dossier's stored documents by its index. Not
    # `file = ''` in the WHERE: the planner would then scan the partial index of every pending
    # result (stored_render_pending), many after a pause of the worker.
    issued = RawSQL(
        f"SELECT MAX(CASE WHEN s.{q('signatures')} <> '[]' THEN {SIGNED} ELSE 0 END) "
        f"+ MAX(CASE WHEN s.{q('file')} = '' THEN {PENDING} ELSE 0 END) "
        f"FROM {q(StoredDocument._meta.db_table)} s WHERE s.{q('dossier_id')} = {dossier} "
        f"AND s.{q('kind')} = '{StoredDocument.Kind.RESULT.value}'", (),
        output_field=IntegerField())
    # The versions themselves as JSON (PostgreSQL, `Prepared.json_sql`: NULL when there are
    # none), so the approval reads them without a statement of their own; elsewhere whether
    # there are any, and the approval reads them when there are (`lock_versions`).
    versions = VERSIONS_READ.json_sql(dossier) if action in (None, USED_BY[VERSIONS]) else None
    reads = {
        VERSIONS: (RawSQL(versions, (), output_field=Field()) if versions is not None
                   else Exists(ResultDraft.objects.filter(dossier=OuterRef("pk")))),
        RESULTS: issued,
    }
    return {name: read for name, read in reads.items()
            if action is None or USED_BY[name] == action}


# `event_consumer_lock_reads` passes the action to it (dossiers/events.py).
results_lock_reads.per_action = True


MISSING = object()


def lock_read(dossier: Any, name: str) -> Any:
    """The value the lock statement read as `name` for `dossier`, taken off it (used once);
    `MISSING` when the dossier was not read by that statement (any other caller)."""
    return dossier.__dict__.pop(name, MISSING)



def lock_versions(dossier: Any) -> list[ResultDraft]:
    """The dossier's draft versions, latest first: as the lock statement read them (JSON on
    PostgreSQL, None there when it has none), none when it found there are none (SQLite), else
    read now. Taken off the dossier (used once)."""
    read = lock_read(dossier, VERSIONS)
    if read is None or read is False:
        return []
    if isinstance(read, list):
        return VERSIONS_READ.rows_json(read)
    return VERSIONS_READ.rows(dossier.pk)


def lock_reads_drop(dossier: Any) -> None:
    """Take every value the lock statement read for results off `dossier` (an action that used
    none of them): true of that transaction only."""
    for name in NAMES:
        dossier.__dict__.pop(name, None)
