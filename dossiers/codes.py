"""Dossier codes (mã hồ sơ). The generator is pluggable via settings.MOTCUA_DOSSIER_CODE_GENERATOR.

The default is `<receiving unit identifier>-<yyMMdd>-<NNNN>` with a per-unit daily counter
(domain.md §5). The counter is incremented by one atomic upsert inside the caller's transaction:
concurrent submissions queue on the counter row, and a rolled-back submission rolls its number
back too, so the sequence stays unique and gap-free.

The counter row stays locked until the filing transaction commits, so every other filing at the
same desk that day waits that long. Filing therefore takes the number as late as the dossier row
allows: its papers, steps and events are inserted first; then, on PostgreSQL, one statement takes
the number and writes the dossier row under its final code with the rest of the filing's last
writes, and commits in the same round trip (`dossier_code_last`, dossiers/services/intake.py
`_insert`).
"""

from collections.abc import Callable
from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.utils.module_loading import import_string

from accounts.models import Unit
from dossiers.models import CodeCounter
from motcua.prepared import value_taken_last

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def next_counter(*, unit: Unit, day) -> int:
    """Atomically take the next number of `unit`'s counter for `day`; call inside a transaction."""
    table = connection.ops.quote_name(CodeCounter._meta.db_table)
    sql = (
        f"INSERT INTO {table} (unit_id, day, last) VALUES (%s, %s, 1) "
        f"ON CONFLICT (unit_id, day) DO UPDATE SET last = {table}.last + 1 RETURNING last"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [unit.pk, day])
        return cursor.fetchone()[0]


def unit_daily_counter_code(*, unit: Unit, at: datetime) -> str:
    day = at.astimezone(LOCAL_TZ).date()
    number = next_counter(unit=unit, day=day)
    return f"{unit.code}-{day:%y%m%d}-{number:04d}"


@cache
def _generator(path: str) -> Callable[..., str]:
    return import_string(path)


def dossier_code_generate(*, unit: Unit, at: datetime) -> str:
    return _generator(settings.MOTCUA_DOSSIER_CODE_GENERATOR)(unit=unit, at=at)


DEFAULT_GENERATOR = "dossiers.codes.unit_daily_counter_code"
_HELD_SQL: list[str] = []


def dossier_code_last(*, unit: Unit, at: datetime) -> str:
    """The code of a dossier filed now, taken by the statement that writes the dossier row.

    Inside a block of joined writes on PostgreSQL (motcua/prepared.py `writes_joined`), with the
    default generator: the counter's upsert heads the block's statement and gives the code
    (`<unit>-<yyMMdd>-<NNNN>`, as `unit_daily_counter_code` writes it), and the returned token
    stands for it in the rows built until then (the dossier's code, the outbox's keys and
    records): `motcua.prepared.value_taken(token)` gives the code after the block. The counter's
    row is then locked for that statement's own work and its COMMIT only, never for Python's
    building of the rows or a round trip (issue #18: concurrent filings of a desk queue on this
    row). A rolled-back filing still gives its number back. Elsewhere: taken at once."""
    if settings.MOTCUA_DOSSIER_CODE_GENERATOR == DEFAULT_GENERATOR:
        day = at.astimezone(LOCAL_TZ).date()
        if not _HELD_SQL:
            table = connection.ops.quote_name(CodeCounter._meta.db_table)
            _HELD_SQL.append(
                f"INSERT INTO {table} (unit_id, day, last) VALUES (%s, %s, 1) "
                f"ON CONFLICT (unit_id, day) DO UPDATE SET last = {table}.last + 1 "
                # f"{number:04d}": four digits at least.
                "RETURNING %s || lpad(last::text, greatest(length(last::text), 4), '0') AS value")
        token = value_taken_last(_HELD_SQL[0], [unit.pk, day, f"{unit.code}-{day:%y%m%d}-"])
        if token is not None:
            return token
    return dossier_code_generate(unit=unit, at=at)


# No generated code starts with this character: an earlier filing path inserted the row under
# a placeholder code beginning with it before numbering it (tests still check none is left).
PROVISIONAL_CODE_PREFIX = "~"
