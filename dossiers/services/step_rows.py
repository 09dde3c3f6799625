"""Writing the steps an action touched: one UPDATE, its SQL written here (issue #18).

Django's `bulk_update` builds a `Case(When(…))` expression per field and row and compiles it on
every call; on an action's hot path (forward, approve, return) that was about a sixth of the
request's CPU for two rows. The statement is the same as the one it sends — `SET col = CASE id
WHEN … THEN … END … WHERE id IN (…)`, each value prepared by its field and cast to the
column's type where the database needs it (PostgreSQL, as Django does) — written as a string,
once per field list, number of steps and database vendor.
"""

from datetime import datetime

from django.db import connection

from dossiers.models import DossierStep
from motcua.prepared import field_plan, hot_cursor, statement_write

_SQL: dict[tuple, tuple[str, list]] = {}


def _statement(fields: tuple[str, ...], count: int) -> tuple[str, list]:
    """The UPDATE's text for `count` steps and the fields it sets, built once (the columns'
    types and quoting cost more than the values)."""
    key = (fields, count, connection.vendor)
    found = _SQL.get(key)
    if found is not None:
        return found
    meta = DossierStep._meta
    table = connection.ops.quote_name(meta.db_table)
    pk = connection.ops.quote_name(meta.pk.column)
    cast = connection.features.requires_casted_case_in_updates
    sets, chosen = [], []
    for name in fields:
        field = meta.get_field(name)
        value_sql = f"CAST(%s AS {field.db_type(connection)})" if cast else "%s"
        whens = " ".join(f"WHEN %s THEN {value_sql}" for _ in range(count))
        sets.append(f"{connection.ops.quote_name(field.column)} = CASE {pk} {whens} END")
        chosen.append(field)
    ids = ", ".join("%s" for _ in range(count))
    found = _SQL[key] = (f"UPDATE {table} SET {', '.join(sets)} WHERE {pk} IN ({ids})", chosen)
    return found


def steps_save(steps: list[DossierStep], fields: list[str]) -> None:
    """Write `fields` of `steps` (saved rows) in one statement."""
    if not steps:
        return
    sql, chosen = _statement(tuple(fields), len(steps))
    params = []
    # Each field with its attname and plain type, read once (a Django field's attributes are
    # slow to read in a running process: motcua/prepared.py `_insert_fields`).
    for field, attname, kind in field_plan(chosen, connection.vendor):
        for step in steps:
            value = getattr(step, attname)
            # A value its field's preparation returns unchanged (motcua/prepared.py) is sent
            # as it is: a moment only when aware.
            if not (value is None or (kind is not None and type(value) is kind and (
                    kind is not datetime or value.tzinfo is not None))):
                value = field.get_db_prep_save(value, connection)
            params += [step.pk, value]
    params += [step.pk for step in steps]
    # Inside an action's joined writes (motcua/prepared.py writes_joined), one of its WITHs.
    if statement_write(sql, params):
        return
    # Otherwise prepared on the server once per connection and number of steps (motcua/prepared.py).
    with hot_cursor(connection) as cursor:
        cursor.execute(sql, params)
