"""Numbers of the forms a unit issues: `<n>/<form suffix>-<unit abbreviation>`, yearly per unit.

Circular 03/2025 forms 02, 03 and 04 are documents of the issuing unit and carry its number; the
suffixes follow common practice (domain.md §4): PBS for a supplement request, PTC for a refusal,
PXL for an apology. The counter is taken with one atomic upsert inside the action's transaction,
like dossier codes, so numbers are unique and a rolled-back action gives its number back.
"""

from datetime import datetime
from functools import lru_cache

from django.db import connection

from accounts.models import Unit
from catalog.text import fold
from dossiers.deadlines import TZ
from dossiers.models import DocumentCounter
from motcua.prepared import hot_cursor

FORM_SUFFIX = {"02": "PBS", "03": "PTC", "04": "PXL"}


def unit_abbreviation(unit: Unit) -> str:
    """The initials of the unit's short name, else of its name ('Sở Tư pháp' → 'STP'), as
    document numbers write the issuing body ('12/QĐ-STP')."""
    return _initials(unit.short_name or unit.name)


# Asked on every approval (the signer's block, the result's number) and every numbered form, of
# a few hundred unit names: folded once per name and worker (issue #18).
@lru_cache(maxsize=1024)
def _initials(name: str) -> str:
    return "".join(word[0] for word in fold(name).upper().split() if word[0].isalnum())


def yearly_number_next(*, model, series_column: str, unit: Unit, series: str,
                       at: datetime) -> int:
    """Take the next number of `series` for `unit` in the year of `at` from a counter table
    keyed (unit, series, year): one atomic upsert, call inside the issuing transaction."""
    year = at.astimezone(TZ).year
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(series_column)
    sql = (
        f"INSERT INTO {table} (unit_id, {column}, year, last) VALUES (%s, %s, %s, 1) "
        f"ON CONFLICT (unit_id, {column}, year) DO UPDATE SET last = {table}.last + 1 "
        "RETURNING last"
    )
    # Prepared on the server once per connection and counter table (motcua/prepared.py).
    with hot_cursor(connection) as cursor:
        cursor.execute(sql, [unit.pk, series, year])
        return cursor.fetchone()[0]


def document_number_next(*, unit: Unit, form: str, at: datetime) -> str:
    """Take the next number of `form` for `unit` in the year of `at`; call inside a transaction."""
    number = yearly_number_next(model=DocumentCounter, series_column="form", unit=unit,
                                series=form, at=at)
    return f"{number}/{FORM_SUFFIX[form]}-{unit_abbreviation(unit)}"
