"""Numbers of the results a unit issues: `<n>/<kind suffix>-<unit abbreviation>`, yearly per unit.

Taken like the dossier codes and the form numbers (dossiers/numbering.py): one atomic upsert in
the approving transaction, so numbers are unique, and a rolled-back approval gives its number back.
"""

from datetime import datetime

from django.db import connection

from accounts.models import Unit
from dossiers.deadlines import TZ
from dossiers.numbering import unit_abbreviation
from results.models import ResultCounter


def result_number_next(*, unit: Unit, suffix: str, at: datetime) -> str:
    year = at.astimezone(TZ).year
    table = connection.ops.quote_name(ResultCounter._meta.db_table)
    sql = (
        f"INSERT INTO {table} (unit_id, suffix, year, last) VALUES (%s, %s, %s, 1) "
        f"ON CONFLICT (unit_id, suffix, year) DO UPDATE SET last = {table}.last + 1 "
        "RETURNING last"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [unit.pk, suffix, year])
        number = cursor.fetchone()[0]
    return f"{number}/{suffix}-{unit_abbreviation(unit)}"
