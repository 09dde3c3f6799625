"""The reference data a filing reads, cached per worker behind a version check.

A filing reads its procedure's case (variant) with the procedure, its field and competent unit,
its papers, time limits, steps (with their units) and fees, and the receiving unit's working
calendar. They change a few times a year and are read on every filing, so each worker process
keeps them in memory and checks, with one small statement per filing, that they are still
current (docs/architecture.md, "The filing path"):

- `ReferenceVersion.number` moves whenever a catalogue row (procedure, field, case, paper, time
  limit, fee, step) or a unit is saved or deleted through the ORM — the admin, the services, the
  demo loader — by the receivers connected in dossiers/apps.py;
- max(Procedure.updated_at) moves when the importer bulk-creates new procedure versions (a bulk
  insert sends no signal);
- the CalendarDay table's row count and max(updated_at) move with any change of the calendar
  (dossiers/calendar.py reads the same fingerprint).

A queryset .update() or a raw SQL change sends no signal and is not seen until one of them moves;
the admin, the importer and the migrations never change reference rows that way.
"""

import threading
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Prefetch

from catalog.models import Step, Variant
from catalog.selectors import variant_in_force
from dossiers.calendar import calendar_version
from dossiers.models import CalendarDay, ReferenceVersion

_lock = threading.Lock()
_variants: dict[int, tuple[tuple, Variant | None]] = {}


def reference_version() -> tuple[tuple, tuple]:
    """(catalogue version, calendar version) in one statement."""
    from catalog.models import Procedure

    q = connection.ops.quote_name
    sql = (f"SELECT (SELECT number FROM {q(ReferenceVersion._meta.db_table)} WHERE id = 1), "
           f"(SELECT MAX(updated_at) FROM {q(Procedure._meta.db_table)}), "
           f"(SELECT COUNT(*) FROM {q(CalendarDay._meta.db_table)}), "
           f"(SELECT MAX(updated_at) FROM {q(CalendarDay._meta.db_table)})")
    with connection.cursor() as cursor:
        cursor.execute(sql)
        number, procedures, days, last_day = cursor.fetchone()
    return (number, str(procedures)), calendar_version(days, last_day)


def _load(variant_id: int) -> Variant | None:
    return (Variant.objects.select_related("procedure__competent_unit", "procedure__field")
            .prefetch_related("documents", "time_limits", "fees",
                              Prefetch("steps", queryset=Step.objects.select_related("unit")))
            .filter(pk=variant_id).first())


def filing_reference(variant_id: int) -> tuple[Variant | None, tuple]:
    """The case `variant_id` with everything a filing reads of it loaded (None if it does not
    exist), and the versions read (catalogue, calendar: the second to give
    `calendar_for_unit`); one statement when cached.

    The instances are shared by the requests of this worker: read them, never change them.
    """
    catalogue, calendar = reference_version()
    hit = _variants.get(variant_id)
    if hit is not None and hit[0] == catalogue:
        return hit[1], (catalogue, calendar)
    variant = _load(variant_id)
    with _lock:
        for key in [k for k, (version, _) in _variants.items() if version != catalogue]:
            del _variants[key]
        _variants[variant_id] = (catalogue, variant)
    return variant, (catalogue, calendar)


_in_force: dict[tuple[int, date], tuple[tuple, int | None]] = {}


def variant_in_force_cached(variant: Variant, on_date: date, catalogue: tuple) -> Variant | None:
    """catalog's `variant_in_force`, remembered per (case, date) under the catalogue version
    `catalogue` (as `filing_reference` read it): the version in force changes only with the
    catalogue. The case returned is the one given, or one loaded by `filing_reference`."""
    hit = _in_force.get((variant.pk, on_date))
    if hit is None or hit[0] != catalogue:
        found = variant_in_force(variant, on_date)
        hit = (catalogue, None if found is None else found.pk)
        with _lock:
            _in_force[(variant.pk, on_date)] = hit
    if hit[1] is None:
        return None
    if hit[1] == variant.pk:
        return variant
    return _load(hit[1])


def reference_changed(**kwargs: Any) -> None:
    """Signal receiver (dossiers/apps.py): a reference row was saved or deleted; move the
    version so that every worker reloads what it cached."""
    table = connection.ops.quote_name(ReferenceVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} (id, number) VALUES (1, 1) "
                       f"ON CONFLICT (id) DO UPDATE SET number = {table}.number + 1")


def reference_clear() -> None:
    """Forget what this process cached (tests)."""
    with _lock:
        _variants.clear()
        _in_force.clear()
