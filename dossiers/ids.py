"""Row ids taken before the rows are written, so that a dossier created already received is
inserted once, in its final state, pointing at its current step (dossiers/services/intake.py).

The foreign keys Django creates are checked at commit (DEFERRABLE INITIALLY DEFERRED on
PostgreSQL and SQLite), so rows that point at each other can be inserted in any order inside the
filing transaction once their ids are known.
"""

from django.db import connection

from dossiers.models import Dossier, DossierDocument, DossierEvent, DossierStep


def ids_reserve(*, steps: int, papers: int = 0,
                events: int = 0) -> tuple[int, list[int], list[int], list[int]]:
    """A new dossier id, and `steps` new step ids, `papers` new paper ids and `events` new event
    ids, in one statement; call inside the transaction that inserts them. (With every id known,
    the rows are written by statements that return nothing, which are joined into one:
    motcua.prepared.writes_joined.)

    PostgreSQL takes them from the tables' sequences (an id taken and not used is a harmless gap).
    SQLite has no sequence: the next ids follow sqlite_sequence, which only the transaction holding
    the database's write lock can move (the settings open every transaction IMMEDIATE), and the
    inserts of this transaction move it past them.
    """
    tables = [m._meta.db_table for m in (DossierStep, DossierDocument, DossierEvent)]
    counts = [steps, papers, events]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            many = ("ARRAY(SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                    "FROM generate_series(1, %s))")
            cursor.execute(
                f"SELECT nextval(pg_get_serial_sequence(%s, 'id')), {', '.join([many] * 3)}",
                [Dossier._meta.db_table,
                 *[x for pair in zip(tables, counts, strict=True) for x in pair]])
            dossier_id, *ids = cursor.fetchone()
            return dossier_id, *[sorted(some) for some in ids]
        if connection.vendor == "sqlite":
            last = "(SELECT seq FROM sqlite_sequence WHERE name = %s)"
            cursor.execute(f"SELECT {', '.join([last] * 4)}", [Dossier._meta.db_table, *tables])
            last_dossier, *lasts = cursor.fetchone()
            return (last_dossier or 0) + 1, *[
                list(range((seq or 0) + 1, (seq or 0) + 1 + n))
                for seq, n in zip(lasts, counts, strict=True)]
    raise NotImplementedError(f"ids_reserve: {connection.vendor} is not supported")
