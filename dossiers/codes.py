"""Dossier codes (mã hồ sơ). The generator is pluggable via settings.MOTCUA_DOSSIER_CODE_GENERATOR.

The default is `<receiving unit identifier>-<yyMMdd>-<NNNN>` with a per-unit daily counter
(domain.md §5). The counter is incremented by one atomic upsert inside the caller's transaction:
concurrent submissions queue on the counter row, and a rolled-back submission rolls its number
back too, so the sequence stays unique and gap-free.

The counter row stays locked until the filing transaction commits, so every other filing at the
same desk that day waits that long. Filing therefore inserts the dossier under a provisional code
and takes the number last (`dossier_code_assign`), just before the event consumers and the
commit: the lock is held for those few statements instead of the whole filing. A provisional
code is never seen outside the transaction.
"""

import uuid
from collections.abc import Callable
from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.utils.module_loading import import_string

from accounts.models import Unit
from dossiers.models import CodeCounter, Dossier

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


# A provisional code starts with a character no generated code uses.
PROVISIONAL_CODE_PREFIX = "~"


def provisional_code() -> str:
    """A unique placeholder for the dossier's row until `dossier_code_assign` numbers it."""
    return PROVISIONAL_CODE_PREFIX + uuid.uuid4().hex


def dossier_code_assign(*, dossier: Dossier, unit: Unit, at: datetime) -> str:
    """Give the dossier its code; call last in the filing transaction (see the module text)."""
    dossier.code = dossier_code_generate(unit=unit, at=at)
    Dossier.objects.filter(pk=dossier.pk).update(code=dossier.code)
    return dossier.code
