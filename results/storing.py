"""The approval's writes of the result: its number, the stored row and the draft version it was
issued from, in one statement on PostgreSQL (issue #18).

An approval that issues a result no one signs takes the result's number from the unit's yearly
counter, inserts the stored row (which keeps what the result prints, its number among it, until
it is rendered after the commit: results/rendering.py) and marks the version signed with that
number. On PostgreSQL these are one statement of data-modifying WITHs — the counter's upsert
returning the number, the insert writing it, the version's update — instead of three round trips
while the dossier and the counter row are locked. The counter's row stays locked to the commit,
as before: numbers are unique and gap-free, and a rolled-back approval gives its number back
(Decree 30/2020, Article 15). SQLite has no data-modifying WITH: the same writes one by one.

The statements' text is built once per shape (motcua/prepared.py keeps its own the same way) and
prepared on the server (`hot_cursor`) when sent alone. Inside an action, the writes it holds
(the steps, the dossier, the event, the outbox rows) head the same statement: one round trip for
all of the approval's writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection

from dossiers.numbering import yearly_number_next
from motcua.prepared import (
    AFTER_HELD,
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
from results.models import ResultCounter, ResultDraft, StoredDocument

# The version's columns the approval writes (with the number it was issued under).
DRAFT_FIELDS = ["status", "stored", "reviewed_by", "reviewed_at", "number", "number_taken_at"]


@dataclass(frozen=True)
class NumberTaken:
    """The result's number is taken now from the counter of (`unit_id`, `suffix`, `year`):
    `<n><tail>`, tail "/QĐ-STP"."""

    unit_id: int
    suffix: str
    year: int
    tail: str


_SQL: dict[tuple, tuple[str, list]] = {}


def stored_write(stored: StoredDocument, *, draft: ResultDraft | None = None,
                 taken: NumberTaken | None = None) -> None:
    """Insert `stored` (a result) and, with `draft`, write the version's `DRAFT_FIELDS` (set by
    the caller, `stored` aside); with `taken`, the number is taken from the counter first and
    written as the row's `document_number`, in the facts it keeps and as the version's number.
    Sets the new row's id, and the number, on the instances: inside an action's joined writes
    when its last statement is sent (below), elsewhere at once."""
    if taken is not None and not stored.facts:
        raise ValueError("stored_write: a number taken here is written into the kept facts")
    # The thread's connection itself, not the proxy that looks it up on every read.
    conn = connection_itself(connection)
    if conn.vendor != "postgresql" or (draft is None and taken is None):
        _one_by_one(stored, draft=draft, taken=taken)
        return
    sql, fields = _statement(taken is not None, draft is not None)
    params: list[Any] = []
    if taken is not None:
        params += [taken.unit_id, taken.suffix, taken.year]
    # Each value prepared as rows_insert prepares it (a text, a number or an id sent as it is).
    values = row_values(stored, fields, conn)
    if taken is None:
        params += values
    else:
        for field, value in zip(fields, values, strict=True):
            if field.attname == "document_number":
                params.append(taken.tail)  # after the number the counter gives
                continue
            params.append(value)
            if field.attname == "facts":
                params.append(taken.tail)
    if draft is not None:
        params += row_params(draft, _DRAFT_SET, conn)
        params.append(draft.pk)

    def written(row: tuple) -> None:
        pk, number = row
        stored.pk = pk
        stored._state.adding, stored._state.db = False, "default"
        stored.document_number = number
        if taken is not None:
            stored.facts["document_number"] = number
        if draft is not None:
            draft.stored, draft.number = stored, number

    # Inside an action (dossiers/services/transitions.py `_write`), held as the action's last
    # statement: the writes held before and after it (the steps, the dossier, the event, the
    # outbox rows, any counters) go at its head, as WITHs of their own, and it is sent with the
    # COMMIT when the action's transaction ends there (motcua/prepared.py). The unit's counter
    # row is then locked for that statement's work only (issue #18). The text varies with the
    # held writes, so it is not prepared, as the joined writes are not. The new row's id and
    # number are set on the instances when it is sent.
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
              for name in ("status", "reviewed_by", "reviewed_at", "number_taken_at")]


def _one_by_one(stored: StoredDocument, *, draft: ResultDraft | None,
                taken: NumberTaken | None) -> None:
    if taken is not None:
        number = yearly_number_next(model=ResultCounter, series_column="suffix",
                                    unit=stored.issuer_unit, series=taken.suffix,
                                    at=stored.issued_at)
        stored.document_number = f"{number}{taken.tail}"
        stored.facts["document_number"] = stored.document_number
        if draft is not None:
            draft.number = stored.document_number
    rows_insert([stored])
    if draft is not None:
        draft.stored = stored
        row_update(draft, DRAFT_FIELDS)


def _statement(taken: bool, draft: bool) -> tuple[str, list]:
    """The statement's text (PostgreSQL) for a number taken here or not, a version written or
    not; and the stored row's fields in the order of their values."""
    key = (taken, draft)
    entry = _SQL.get(key)
    if entry is not None:
        return entry
    q = connection.ops.quote_name
    meta = StoredDocument._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    values = []
    for f in fields:
        if taken and f.attname == "document_number":
            values.append("(SELECT last FROM n)::text || %s")
        elif taken and f.attname == "facts":
            values.append("jsonb_set(%s, '{document_number}', "
                          "to_jsonb((SELECT last FROM n)::text || %s))")
        else:
            values.append("%s")
    parts = []
    if taken:
        counter = q(ResultCounter._meta.db_table)
        parts.append(
            # Taken once the action's held writes have run (`AFTER_HELD`): its row is locked
            # for the stored row's insert, the version's update and the COMMIT only.
            f"n AS (INSERT INTO {counter} (unit_id, suffix, year, last) "
            f"SELECT %s, %s, %s, 1{AFTER_HELD} "
            f"ON CONFLICT (unit_id, suffix, year) DO UPDATE SET last = {counter}.last + 1 "
            "RETURNING last)")
    parts.append(
        f"s AS (INSERT INTO {q(meta.db_table)} ({', '.join(q(f.column) for f in fields)}) "
        f"VALUES ({', '.join(values)}) RETURNING {q(meta.pk.column)}, "
        f"{q('document_number')})")
    if draft:
        table = q(ResultDraft._meta.db_table)
        last = (f"UPDATE {table} SET status = %s, stored_id = s.id, reviewed_by_id = %s, "
                "reviewed_at = %s, number = s.document_number, number_taken_at = %s FROM s "
                f"WHERE {table}.id = %s RETURNING s.id, s.document_number")
    else:
        last = "SELECT id, document_number FROM s"
    entry = _SQL[key] = ("WITH " + ", ".join(parts) + " " + last, fields)
    return entry
