"""Row ids taken before the rows are written, so that a dossier created already received is
inserted once, in its final state, pointing at its current step (dossiers/services/intake.py).

The foreign keys Django creates are checked at commit (DEFERRABLE INITIALLY DEFERRED on
PostgreSQL and SQLite), so rows that point at each other can be inserted in any order inside the
filing transaction once their ids are known.
"""

from django.db import connection

from dossiers.models import Dossier, DossierStep


def ids_reserve(*, steps: int) -> tuple[int, list[int]]:
    """A new dossier id and `steps` new step ids, in one statement; call inside the transaction
    that inserts them.

    PostgreSQL takes them from the tables' sequences (an id taken and not used is a harmless gap).
    SQLite has no sequence: the next ids follow sqlite_sequence, which only the transaction holding
    the database's write lock can move (the settings open every transaction IMMEDIATE), and the
    inserts of this transaction move it past them.
    """
    dossier_table, step_table = Dossier._meta.db_table, DossierStep._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')), "
                "ARRAY(SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                "FROM generate_series(1, %s))", [dossier_table, step_table, steps])
            dossier_id, step_ids = cursor.fetchone()
            return dossier_id, sorted(step_ids)
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT (SELECT seq FROM sqlite_sequence WHERE name = %s), "
                "(SELECT seq FROM sqlite_sequence WHERE name = %s)", [dossier_table, step_table])
            last_dossier, last_step = cursor.fetchone()
            first_step = (last_step or 0) + 1
            return (last_dossier or 0) + 1, list(range(first_step, first_step + steps))
    raise NotImplementedError(f"ids_reserve: {connection.vendor} is not supported")
