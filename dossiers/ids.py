"""Row ids taken before the rows are written, so that a dossier created already received is
inserted once, in its final state, pointing at its current step (dossiers/services/intake.py).

The foreign keys Django creates are checked at commit (DEFERRABLE INITIALLY DEFERRED on
PostgreSQL and SQLite), so rows that point at each other can be inserted in any order inside the
filing transaction once their ids are known.
"""

from django.db import connection
from django.utils import timezone

from dossiers.models import Dossier, DossierDocument, DossierEvent, DossierStep, IdempotencyKey


def ids_reserve(*, steps: int, papers: int = 0, events: int = 0,
                key: tuple[int, str, str] | None = None
                ) -> tuple[int, list[int], list[int], list[int], bool]:
    """A new dossier id, and `steps` new step ids, `papers` new paper ids and `events` new event
    ids, in one statement; call inside the transaction that inserts them. (With every id known,
    the rows are written by statements that return nothing, which are joined into one:
    motcua.prepared.writes_joined.)

    `key`, (user id, Idempotency-Key, request hash): the key is recorded for the new dossier by
    `INSERT … ON CONFLICT (user, key) DO NOTHING` — on PostgreSQL by the same statement — and the
    last value says whether it was (False: the key was used before; a concurrent retry waits for
    the first transaction on the key's unique index, then finds its row). True without a key.

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
            params = [Dossier._meta.db_table]
            claim, claimed = "", "TRUE"
            if key is not None:
                claim = (f", k AS ({_claim_sql('SELECT %s, %s, %s, d.id, %s FROM d')} "
                         "RETURNING 1)")
                params += [*key, _now()]
                claimed = "EXISTS (SELECT 1 FROM k)"
            params += [x for pair in zip(tables, counts, strict=True) for x in pair]
            # The dossier's id taken once (a WITH calling nextval is evaluated once) and
            # given to the key's row.
            cursor.execute(
                f"WITH d AS (SELECT nextval(pg_get_serial_sequence(%s, 'id')) AS id){claim} "
                f"SELECT d.id, {', '.join([many] * 3)}, {claimed} FROM d", params)
            dossier_id, *ids, taken = cursor.fetchone()
            return dossier_id, *[sorted(some) for some in ids], taken
        if connection.vendor == "sqlite":
            last = "(SELECT seq FROM sqlite_sequence WHERE name = %s)"
            cursor.execute(f"SELECT {', '.join([last] * 4)}", [Dossier._meta.db_table, *tables])
            last_dossier, *lasts = cursor.fetchone()
            dossier_id = (last_dossier or 0) + 1
            taken = True
            if key is not None:
                cursor.execute(f"{_claim_sql('VALUES (%s, %s, %s, %s, %s)')} RETURNING id",
                               [*key, dossier_id, _now()])
                taken = cursor.fetchone() is not None
            return dossier_id, *[
                list(range((seq or 0) + 1, (seq or 0) + 1 + n))
                for seq, n in zip(lasts, counts, strict=True)], taken
    raise NotImplementedError(f"ids_reserve: {connection.vendor} is not supported")


def _claim_sql(values: str) -> str:
    table = connection.ops.quote_name(IdempotencyKey._meta.db_table)
    return (f'INSERT INTO {table} (user_id, "key", request_hash, dossier_id, created_at) '
            f'{values} ON CONFLICT (user_id, "key") DO NOTHING')


def _now():
    return connection.ops.adapt_datetimefield_value(timezone.now())
