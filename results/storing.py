"""The approval's writes of the result: the stored row and the draft version it was issued from,
in one statement on PostgreSQL (issue #18).

An approval that issues a result no one signs inserts the stored row (which keeps what the result
prints until it is rendered after the commit: results/rendering.py) and marks the version signed.
The result is stored unnumbered: its number is taken after the approval's commit, in a
transaction of its own (results/numbering.py), so the approval no longer locks its unit's yearly
result counter row to the end of its COMMIT's WAL flush (Decree 30/2020, Article 15 still holds:
numbers in sequence through the year, gap-free). On PostgreSQL these writes are one statement of
data-modifying WITHs — the insert, the version's update — instead of two round trips while the
dossier is locked. SQLite has no data-modifying WITH: the same writes one by one.

The statements' text is built once per shape (motcua/prepared.py keeps its own the same way) and
prepared on the server (`hot_cursor`) when sent alone. Inside an action, the writes it holds
(the steps, the dossier, the event, the outbox rows) head the same statement: one round trip for
all of the approval's writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection

from motcua.prepared import (
    connection_itself,
    held_first,
    held_writes_take,
    hot_cursor,
    joined_cursor,
    row_params,
    row_update,
    row_values,
    rows_insert,
    statement_write_returning,
)
from results.models import ResultDraft, StoredDocument
from results.numbering import NUMBER_PENDING

# The version's columns the approval writes (with the number it was issued under, if any yet).
DRAFT_FIELDS = ["status", "stored", "reviewed_by", "reviewed_at", "number", "number_taken_at"]


@dataclass(frozen=True)
class NumberPending:
    """The result is stored unnumbered, to be numbered after the commit in the series of
    (its unit, `suffix`, its issue's year) as `<n><tail>`, tail "/QĐ-STP"
    (results/numbering.py)."""

    suffix: str
    tail: str


_SQL: dict[bool, tuple[str, list]] = {}


def stored_write(stored: StoredDocument, *, draft: ResultDraft | None = None,
                 pending: NumberPending | None = None) -> None:
    """Insert `stored` (a result) and, with `draft`, write the version's `DRAFT_FIELDS` (set by
    the caller, `stored` aside); with `pending`, the result is stored without a number (the
    row's and the version's empty, the kept facts naming the series it is to be numbered in).
    Sets the new row's id on the instances: inside an action's joined writes when its last
    statement is sent (below), elsewhere at once."""
    if pending is not None:
        if not stored.facts:
            raise ValueError("stored_write: a result numbered later keeps its facts")
        stored.document_number = ""
        stored.facts["document_number"] = ""
        stored.facts[NUMBER_PENDING] = [pending.suffix, pending.tail]
        if draft is not None:
            draft.number = ""
    # The thread's connection itself, not the proxy that looks it up on every read.
    conn = connection_itself(connection)
    if conn.vendor != "postgresql" or (draft is None and pending is None):
        _one_by_one(stored, draft=draft)
        return
    sql, fields = _statement(draft is not None)
    # Each value prepared as rows_insert prepares it (a text, a number or an id sent as it is).
    params: list[Any] = row_values(stored, fields, conn)
    if draft is not None:
        params += row_params(draft, _DRAFT_SET, conn)
        params.append(draft.pk)

    def written(row: tuple) -> None:
        stored.pk = row[0]
        stored._state.adding, stored._state.db = False, "default"
        if draft is not None:
            draft.stored = stored

    # Inside an action (dossiers/services/transitions.py `_write`), held as the action's last
    # statement: the writes held before and after it (the steps, the dossier, the event, the
    # outbox rows, any counters) go at its head, as WITHs of their own, and it is sent with the
    # COMMIT when the action's transaction ends there (motcua/prepared.py). The text varies with
    # the held writes, so it is not prepared, as the joined writes are not. The new row's id is
    # set on the instances when it is sent.
    if statement_write_returning(sql, params, written):
        return
    held = held_writes_take()
    sql = held_first([s for s, _ in held], sql)
    if held:
        params = [p for _, ps in held for p in ps] + params
        cursor_made = lambda: joined_cursor(conn)  # noqa: E731
    else:
        cursor_made = lambda: hot_cursor(conn)  # noqa: E731
    with cursor_made() as cursor:
        cursor.execute(sql, params)
        written(cursor.fetchone())


# The version's columns set from the instance, in the order of the statement's placeholders.
_DRAFT_SET = [ResultDraft._meta.get_field(name)
              for name in ("status", "reviewed_by", "reviewed_at", "number", "number_taken_at")]


def _one_by_one(stored: StoredDocument, *, draft: ResultDraft | None) -> None:
    rows_insert([stored])
    if draft is not None:
        draft.stored = stored
        row_update(draft, DRAFT_FIELDS)


def _statement(draft: bool) -> tuple[str, list]:
    """The statement's text (PostgreSQL) inserting the stored row and, with `draft`, writing the
    version; and the stored row's fields in the order of their values."""
    entry = _SQL.get(draft)
    if entry is not None:
        return entry
    q = connection.ops.quote_name
    meta = StoredDocument._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    insert = (f"INSERT INTO {q(meta.db_table)} ({', '.join(q(f.column) for f in fields)}) "
              f"VALUES ({', '.join('%s' for _ in fields)}) RETURNING {q(meta.pk.column)}")
    if draft:
        table = q(ResultDraft._meta.db_table)
        sql = (f"WITH s AS ({insert}) "
               f"UPDATE {table} SET status = %s, stored_id = s.id, reviewed_by_id = %s, "
               "reviewed_at = %s, number = %s, number_taken_at = %s FROM s "
               f"WHERE {table}.id = %s RETURNING s.id")
    else:
        sql = insert
    entry = _SQL[draft] = (sql, fields)
    return entry
