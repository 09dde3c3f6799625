"""Dossier codes (mã hồ sơ). The generator is pluggable via settings.MOTCUA_DOSSIER_CODE_GENERATOR.

The default is `<receiving unit identifier>-<yyMMdd>-<NNNN>` with a per-unit daily counter
(domain.md §5). The counter is incremented by one atomic upsert inside the caller's transaction:
concurrent submissions queue on the counter row, and a rolled-back submission rolls its number
back too, so the sequence stays unique and gap-free.

The counter row stays locked until the filing transaction commits, so every other filing at the
same desk that day waits that long. Filing therefore takes the number as late as the dossier row
allows: its papers, steps and events are inserted first, then the number, then the dossier row
under its final code, written once (dossiers/services/intake.py `_insert`).
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


# No generated code starts with this character: an earlier filing path inserted the row under
# a placeholder code beginning with it before numbering it (tests still check none is left).
PROVISIONAL_CODE_PREFIX = "~"
